"""``iris score --dataset`` and ``iris results import``, and the Import Score Results tool."""

from __future__ import annotations

import json
import sys

import pytest

from app.cli import main
from app.import_results import start_import
from app.main_window import MainWindow
from app.settings import Settings
from app.tools import TOOLS
from core.dataset.results import read_rows
from core.project import Project
from tests.core.dataset.conftest import make_dataset


def test_score_dataset_prints_a_summary_and_resumes(tmp_path, capsys):
    noisy, clean = make_dataset(tmp_path / "d", n=4)
    (noisy / "broken.png").write_bytes(b"nope")
    out = tmp_path / "r.csv"
    args = ["score", "--dataset", str(noisy), "--ref-dir", str(clean)]
    args += ["--metrics", "psnr,ssim", "--batch-size", "2", "--device", "cpu", "--out", str(out)]
    assert main(args) == 0
    summary = json.loads(capsys.readouterr().out)
    assert (summary["images"], summary["rows_written"], summary["errors"]) == (5, 10, 2)
    assert summary["images_per_s"] > 0 and summary["engine"] == "local"
    assert len(read_rows(out)) == 10
    assert main(args) == 0
    again = json.loads(capsys.readouterr().out)
    assert (again["rows_written"], again["rows_skipped"], again["rows_total"]) == (0, 10, 10)


def test_score_dataset_errors_are_one_line(tmp_path, capsys):
    make_dataset(tmp_path / "d", n=1)
    base = ["score", "--dataset", str(tmp_path / "d" / "noisy"), "--out"]
    assert main([*base, str(tmp_path / "r.csv"), "--metrics", "nosuch"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("iris: error: unknown metric 'nosuch'; known: ") and err.count("\n") == 1
    assert main([*base, str(tmp_path / "r.json"), "--metrics", "psnr"]) == 1
    assert ".parquet or .csv" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        main([*base, str(tmp_path / "r.csv"), "--metrics", "psnr", "--device", "tpu"])
    err = capsys.readouterr().err
    assert exit_info.value.code == 2 and err.count("\n") == 1
    assert err.startswith("iris: error: argument --device: unknown device 'tpu'")


def test_engine_ray_without_ray_says_how_to_install(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)
    make_dataset(tmp_path / "d", n=1)
    args = ["score", "--dataset", str(tmp_path / "d"), "--metrics", "psnr"]
    assert main([*args, "--engine", "ray", "--out", str(tmp_path / "r.csv")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "pip install 'iris-studio[cluster]'" in err


def test_results_import_into_a_project(tmp_path, capsys):
    noisy, clean = make_dataset(tmp_path / "d", n=3)
    out = tmp_path / "r.parquet"
    args = ["score", "--dataset", str(noisy), "--ref-dir", str(clean)]
    assert main([*args, "--metrics", "psnr", "--device", "cpu", "--out", str(out)]) == 0
    capsys.readouterr()
    assert main(["new", str(tmp_path / "p")]) == 0
    capsys.readouterr()
    assert main(["results", "import", "--project", str(tmp_path / "p"), str(out)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["scores_written"], report["images_added"]) == (3, 6)
    with Project.open(tmp_path / "p") as project:
        assert project.counts()["scores"] == 3


def test_import_score_results_tool(qtbot, worker, tmp_path):
    assert TOOLS.meta("import-results")["title"] == "Import Score &Results..."
    noisy, clean = make_dataset(tmp_path / "d", n=2)
    out = tmp_path / "r.csv"
    args = ["score", "--dataset", str(noisy), "--ref-dir", str(clean)]
    assert main([*args, "--metrics", "psnr", "--device", "cpu", "--out", str(out)]) == 0
    window = MainWindow(Settings(), worker)
    qtbot.addWidget(window)
    assert window.open_project(tmp_path / "project", create=True)
    handle = start_import(window, out)
    with qtbot.waitSignal(handle.finished, timeout=20000):
        pass
    assert handle.state == "done"
    assert window.project.counts()["scores"] == 2
    assert len(window.project.images()) == 4
    assert "2 scores imported" in window.statusBar().currentMessage()
    view = window.current_view()
    assert view is window.views["plots"]
    qtbot.waitUntil(lambda: view.job.is_finished, timeout=20000)
    assert sorted(row[3] for row in view.table.visible_rows()) == ["psnr", "psnr"]
    window.close()


def test_dataset_flags_join_a_parser_that_already_has_some():
    """``iris score`` adds these flags to its own parser, which defines --metrics and --out."""
    import argparse

    from app.commands.score_dataset import add_dataset_arguments, metric_names

    parser = argparse.ArgumentParser()
    parser.add_argument("images", nargs="*")
    parser.add_argument("--metrics", action="append")
    parser.add_argument("--out")
    add_dataset_arguments(parser, required=False)
    args = parser.parse_args(["--metrics", "psnr,ssim", "--metrics", "niqe", "--engine", "ray"])
    assert args.dataset is None and args.engine == "ray" and args.batch_size == 16
    assert metric_names(args.metrics) == ["psnr", "ssim", "niqe"]
