"""Tools > Import Score Results on a malformed file: the IRIS error's message, in a dialog."""

from __future__ import annotations

from app.import_results import start_import
from app.main_window import MainWindow
from app.settings import Settings


def test_a_malformed_results_file_is_reported_with_file_and_row(qtbot, worker, tmp_path):
    bad = tmp_path / "r.csv"
    bad.write_text("path,sha256,metric,metric_version,value\n/a.png,,psnr,1,abc\n")
    window = MainWindow(Settings(), worker)
    qtbot.addWidget(window)
    assert window.open_project(tmp_path / "project", create=True)
    handle = start_import(window, bad)
    with qtbot.waitSignal(handle.finished, timeout=20000):
        pass
    assert handle.state == "failed"
    assert f"{bad}: line 2: value 'abc' is not a number" in window.last_error
    assert "Traceback" not in window.last_error
    assert window.project.counts()["scores"] == 0
    window.close()
