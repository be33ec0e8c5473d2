"""Importing another method's outputs goes through the run lifecycle: a cancel or a failure
mid-import ends the run cancelled or failed, never left 'running'."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from core.errors import Cancelled
from core.imageio import encode_png, save_png
from core.methods.imported import import_method_outputs


def test_cancel_and_failure_end_the_import_run(project, tmp_path, monkeypatch):
    project.add_image_bytes(
        encode_png(np.full((8, 8, 3), 0.4, np.float32)), name="x", kind="imported"
    )
    folder = tmp_path / "outs"
    folder.mkdir()
    save_png(folder / "x.png", np.full((8, 8, 3), 0.7, np.float32))
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(Cancelled):
        import_method_outputs(project.path, "HYPIR", folder, cancel=cancel)
    assert project.runs()[-1].status == "cancelled"

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("core.methods.imported.load_image", broken)
    with pytest.raises(RuntimeError):
        import_method_outputs(project.path, "HYPIR", folder)
    run = project.runs()[-1]
    assert run.status == "failed" and run.error == "RuntimeError: disk on fire"
    monkeypatch.undo()
    report = import_method_outputs(project.path, "HYPIR", folder)
    assert project.run(report.run_id).status == "done" and len(report.matched) == 1
