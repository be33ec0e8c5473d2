"""Tools > Import Method Outputs registers files as results and reports mismatches."""

from __future__ import annotations

import numpy as np

from app.import_method import start_import
from app.main_window import MainWindow
from app.settings import Settings
from core.imageio import encode_png, save_png


def test_import_registers_outputs_and_lists_mismatches(qtbot, worker, tmp_path):
    window = MainWindow(Settings(), worker)
    qtbot.addWidget(window)
    assert window.open_project(tmp_path / "project", create=True)
    for name, value in (("x", 0.5), ("y", 0.6)):  # distinct content: one row per content
        window.project.add_image_bytes(
            encode_png(np.full((8, 8, 3), value, np.float32)), name=name, kind="imported"
        )
    outputs = tmp_path / "pisa"
    outputs.mkdir()
    save_png(outputs / "x.png", np.full((8, 8, 3), 0.9, np.float32))
    save_png(outputs / "other.png", np.zeros((8, 8, 3), np.float32))
    handle = start_import(window, "PiSA-SR", outputs)
    with qtbot.waitSignal(handle.finished, timeout=10000):
        pass
    assert handle.state == "done"
    (out,) = window.project.images(kind="method_output")
    assert window.project.image(out.parent_id).name == "x"
    assert "other.png" in window.last_error and "y" in window.last_error
    window.close()
