"""Tools the main window offers in its Tools menu: a registry of ``open(window)`` functions.

Each feature adds one line here; the function receives the MainWindow and
opens its dialog or panel.
"""

from __future__ import annotations

from core.registry import Registry

TOOLS: Registry = Registry("tool")
TOOLS.register_lazy(
    "restore", "app.restore_panel:open_restore_panel", title="&Restore...", shortcut="Ctrl+R"
)
TOOLS.register_lazy(
    "import-method", "app.import_method:open_import_method", title="Import &Method Outputs..."
)
TOOLS.register_lazy(
    "degrade", "app.degrade_dialog:open_degrade_dialog", title="&Degrade...", shortcut="Ctrl+D"
)
TOOLS.register_lazy(
    "import-results", "app.import_results:open_import_results", title="Import Score &Results..."
)
TOOLS.register_lazy(
    "import-chains", "app.chain_import_dialog:open_chain_import", title="Import &Chains..."
)
