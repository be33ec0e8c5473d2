"""The central views, by name: a registry the View menu, ``iris gui --view`` and tests share.

A view is a QWidget class taking ``(context: ViewContext)``; ``order`` places
its tab (and its Ctrl+N shortcut) among the others. It may implement
``set_project(project)`` and ``show_images(records)``. Later features register
their views here (one line each); modules are imported when a view is first shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.registry import Registry

VIEWS: Registry = Registry("view")
VIEWS.register_lazy("images", "app.image_view:ImageView", title="Images", order=0)
VIEWS.register_lazy("compare", "app.compare_view:CompareView", title="Compare", order=10)
VIEWS.register_lazy("runs", "app.runs_view:RunsView", title="Runs", order=20)
VIEWS.register_lazy("plots", "app.plots_view:PlotsView", title="Metrics", order=25)
VIEWS.register_lazy("depth", "app.depth_view:DepthView", title="Depth and 3D", order=30)
VIEWS.register_lazy("annotate", "app.annotate_view:AnnotateView", title="Annotate", order=40)


def ordered_view_names() -> list[str]:
    """View names in tab order: by their ``order`` metadata, then by name."""
    return sorted(VIEWS.names(), key=lambda name: (VIEWS.meta(name).get("order", 100), name))


@dataclass
class ViewContext:
    """What a view may use from the shell: the compute worker, settings, a status callback."""

    worker: object
    settings: object
    show_status: object
