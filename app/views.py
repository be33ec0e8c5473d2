"""The central views, by name: a registry the View menu, ``iris gui --view`` and tests share.

A view is a QWidget class taking ``(context: ViewContext)``; its registration
line's place is its tab's place (and its Ctrl+N shortcut). It may implement
``set_project(project)`` and ``show_images(records)``. Later features register
their views here (one line each); modules are imported when a view is first shown.
"""

from __future__ import annotations

from app.context import ViewContext
from core.registry import Registry

__all__ = ["VIEWS", "ViewContext", "ordered_view_names", "view_name"]

VIEWS: Registry = Registry("view")
VIEWS.register_lazy("images", "app.image_view:ImageView", title="Images")
VIEWS.register_lazy("compare", "app.compare_view:CompareView", title="Compare")
VIEWS.register_lazy("runs", "app.runs_view:RunsView", title="Runs")
VIEWS.register_lazy("plots", "app.plots_view:PlotsView", title="Metrics")
VIEWS.register_lazy("depth", "app.depth_view:DepthView", title="Depth and 3D")
VIEWS.register_lazy("annotate", "app.annotate_view:AnnotateView", title="Annotate")
VIEWS.register_lazy("tables", "app.tables_view:TablesView", title="Tables")


def ordered_view_names() -> list[str]:
    """View names in tab order: the order of the registration lines above."""
    return VIEWS.names()


def view_name(text: str) -> str:
    """The view called ``text``, by its name or its title (``metrics`` is the ``plots`` view)."""
    if text in VIEWS:
        return text
    wanted = text.strip().lower()
    for name in VIEWS.names():
        title = str(VIEWS.meta(name).get("title", "")).lower()
        if wanted and (title == wanted or title.split()[0] == wanted):
            return name
    return VIEWS.get_name(text)  # raises, listing the known names
