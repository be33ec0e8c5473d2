"""Tools > Import Score Results: bring a dataset scoring results file into the open project.

The rows land in the project's ``scores`` table, which the score table, plots
and failure heatmaps read; images still on disk are added to the project. When
it is done, the Metrics view opens with every stored score in its table.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from app.session import ProjectChange
from core.dataset.importer import import_results


def start_import(window, results: str | Path):
    """Import ``results`` on the compute worker; returns the JobHandle (None without a project)."""
    if window.project is None:
        window.report_error("No project open", "Open a project before importing score results.")
        return None
    return window.job_owner("import-results").start(
        import_results,
        window.project.path,
        Path(results),
        name=f"Import {Path(results).name}",
        on_done=lambda report: _on_done(window, report),
        changes=ProjectChange.IMAGES | ProjectChange.SCORES,
    )


def _on_done(window, report) -> None:
    text = (
        f"{report.scores_written} scores imported ({report.errors} errors); "
        f"{report.images_added} images added"
    )
    if report.images_missing:
        text += f", {report.images_missing} images not on disk (scores kept by content hash)"
    if report.images_refused:
        text += f", {report.images_refused} files refused as images (e.g. {report.refused[0]})"
    window.show_status(text)
    window.show_view("plots").show_stored()  # the imported rows, in the Metrics view's table


def open_import_results(window):
    """Ask for a results file (.parquet or .csv), then import it."""
    path, _filter = QFileDialog.getOpenFileName(
        window, "Score results to import", "", "Score results (*.parquet *.csv)"
    )
    if not path:
        return None
    return start_import(window, path)
