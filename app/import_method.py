"""Tools > Import Method Outputs: register another method's output folder as its results."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QInputDialog

from app.session import ProjectChange
from core.methods.imported import import_method_outputs


def start_import(window, name: str, folder: str | Path):
    """Match ``folder``'s files to the project's inputs on the worker; returns the JobHandle."""
    if window.project is None:
        window.report_error("No project open", "Open a project before importing method outputs.")
        return None
    return window.job_owner("import-method").start(
        import_method_outputs,
        window.project.path,
        name,
        Path(folder),
        name=f"Import {name}",
        on_done=lambda report: _on_done(window, report),
        changes=ProjectChange.IMAGES | ProjectChange.RUNS,
    )


def _on_done(window, report) -> None:
    text = f"{report.method}: {len(report.matched)} outputs registered"
    problems = []
    if report.unmatched_files:
        problems.append(f"{len(report.unmatched_files)} files match no input:")
        problems += [f"  {Path(p).name}" for p in report.unmatched_files[:20]]
    if report.inputs_without_output:
        problems.append(f"{len(report.inputs_without_output)} inputs have no output:")
        problems += [f"  {n}" for n in report.inputs_without_output[:20]]
    if report.ambiguous:
        problems.append(f"{len(report.ambiguous)} files match several inputs")
    problems += [f"refused: {error}" for _path, error in report.errors[:20]]
    window.show_status(text)
    if problems:
        window.report_error(f"{text}; some did not match", "\n".join(problems))


def open_import_method(window):
    """Ask for the outputs folder and the method's name, then import."""
    folder = QFileDialog.getExistingDirectory(window, "Folder of another method's outputs")
    if not folder:
        return None
    name, ok = QInputDialog.getText(
        window, "Method name", "Name of the method:", text=Path(folder).name
    )
    if not ok or not name.strip():
        return None
    return start_import(window, name.strip(), folder)
