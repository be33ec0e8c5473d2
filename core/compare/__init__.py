"""Compare-view math without Qt: the shared camera, pyramids, difference maps, colour maps, figures."""
