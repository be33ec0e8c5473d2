"""The window the local-diffusers GUI tests share: a new project holding one random photo,
the hub offline, and every local model released when the test ends."""

from __future__ import annotations

import contextlib
import os

import numpy as np

from app.main_window import MainWindow
from app.settings import Settings
from core.imageio import encode_png

os.environ["HF_HUB_OFFLINE"] = "1"


@contextlib.contextmanager
def photo_window(qtbot, worker, tmp_path, shape: tuple[int, int], seed: int):
    """A 1366x768 window on a project with one ``shape`` (height, width) photo."""
    from core.local_models.cache import release_models

    win = MainWindow(Settings(), worker)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    assert win.open_project(tmp_path / "project", create=True)
    pixels = np.random.default_rng(seed).random((*shape, 3)).astype(np.float32)
    win.project.add_image_bytes(encode_png(pixels), name="photo", kind="imported")
    win.browser.refresh()
    try:
        yield win
    finally:
        release_models()
        win.close()
