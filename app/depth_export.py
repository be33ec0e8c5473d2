"""The Depth view's export buttons: depth ``.npy``, binary PLY, points ``.npy`` (core.depth.export).

Each writes on the compute worker; the status bar says where it saved, or why not.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QPushButton, QVBoxLayout, QWidget


class ExportButtons(QWidget):
    """One button per :data:`core.depth.export.EXPORTS` kind, enabled while a scene is shown."""

    def __init__(self, context, scene_of, parent=None) -> None:
        super().__init__(parent)
        from core.depth.export import EXPORTS

        self.context = context
        self._scene_of = scene_of  # () -> the DepthScene shown, or None
        self.buttons: dict[str, QPushButton] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for kind, spec in EXPORTS.items():
            button = QPushButton(spec.label)
            button.clicked.connect(lambda _checked=False, kind=kind: self._export(kind))
            self.buttons[kind] = button
            layout.addWidget(button)

    def set_enabled(self, enabled: bool) -> None:
        for button in self.buttons.values():
            button.setEnabled(enabled)

    def _export(self, kind: str) -> None:
        if self._scene_of() is None:
            return
        from core.depth.export import EXPORTS

        path, _filter = QFileDialog.getSaveFileName(self, "Export", "", EXPORTS[kind].file_filter)
        if path:
            self.export_to(kind, path)

    def export_to(self, kind: str, path: str):
        """Write the depth, PLY or points file on the compute worker; returns the job handle."""
        from core.depth.export import export

        scene = self._scene_of()
        handle = self.context.worker.submit(
            export, kind, path, scene.decoding.depth, scene.cloud, name=f"Export {kind}"
        )
        handle.succeeded.connect(lambda p: self.context.show_status(f"Saved {p}"))
        handle.failed.connect(lambda message, _tb: self.context.show_status(message))
        return handle
