"""Reusable Qt widgets with no knowledge of the main window (they never import ``app``)."""
