"""Views answer to their names and their titles: ``iris gui --view metrics`` opens Metrics."""

from __future__ import annotations

import subprocess
import sys

import pytest

from app.views import view_name
from core.errors import RegistryError


def test_names_and_titles_find_the_view():
    assert view_name("plots") == view_name("metrics") == view_name("Metrics") == "plots"
    assert view_name("depth") == view_name("Depth") == "depth"
    with pytest.raises(RegistryError, match="known: annotate"):
        view_name("nope")


def test_gui_view_metrics_is_accepted(tmp_path):
    shot = tmp_path / "m.png"
    result = subprocess.run(
        [sys.executable, "-m", "app", "gui", "--view", "metrics", "--screenshot", str(shot)],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert shot.is_file()
