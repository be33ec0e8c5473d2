"""The central views, by name: a registry the View menu, ``iris gui --view`` and tests share.

A view is a QWidget class taking ``(context: ViewContext)``; it may implement
``set_project(project)`` and ``show_images(records)``. Later features register
their views here (one line each); modules are imported when a view is first shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.registry import Registry

VIEWS: Registry = Registry("view")
VIEWS.register_lazy("images", "app.image_view:ImageView", title="Images")
VIEWS.register_lazy("depth", "app.depth_view:DepthView", title="Depth and 3D")


@dataclass
class ViewContext:
    """What a view may use from the shell: the compute worker, settings, a status callback."""

    worker: object
    settings: object
    show_status: object
