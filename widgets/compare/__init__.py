"""The compare view's widgets: synchronized canvases over image pyramids, modes, colour bar."""
