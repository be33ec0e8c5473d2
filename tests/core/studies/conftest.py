"""Study tests: offline metrics with an empty weights folder, projects built by real runs."""

from __future__ import annotations

import pytest

from core.imageio import save_png
from core.project import Project
from core.project.importer import import_paths
from tests.core.methods.synthetic import scene

# generation-loss with a fresh random seed per call: its repeats differ (colour drift, resize
# jitter), as a generative editor's do, with no model and no network
VARYING = {"quality": 30, "colour_drift": 0.1, "resize_jitter": 0.4, "seed": -1}


@pytest.fixture(autouse=True)
def empty_weights(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("IRIS_WEIGHTS_DIR", str(tmp_path_factory.mktemp("weights")))
    monkeypatch.delenv("IRIS_ALLOW_DOWNLOADS", raising=False)


def make_inputs(tmp_path, count: int = 4, size: int = 40) -> tuple:
    """A project with ``count`` imported synthetic images; returns (project dir, image ids)."""
    folder = tmp_path / "inputs"
    folder.mkdir()
    for i in range(count):
        save_png(folder / f"img{i}.png", scene(size, seed=i))
    path = tmp_path / "project"
    Project.create(path).close()
    report = import_paths(path, sorted(folder.iterdir()))
    return path, list(report.imported)
