"""Outputs made elsewhere (HYPIR, PiSA-SR, TSD-SR, DiffBIR...) registered as a method's results.

Files are matched to project inputs by file stem (exactly, else ignoring
case); every file and input that does not pair up is reported, so a user sees
at once which outputs are missing.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from core.clock import now
from core.errors import ImageLoadError, IrisError
from core.hashing import sha256_of
from core.imageio import load_image
from core.jobs import ProgressFn, check_cancelled, no_progress
from core.project import Project
from core.project.importer import expand_paths

INPUT_KINDS = ("imported", "degraded")


@dataclass
class ImportMethodReport:
    """Which files became results, which matched nothing, and which inputs got no output."""

    method: str
    run_id: int | None = None
    matched: list[dict] = field(default_factory=list)
    unmatched_files: list[str] = field(default_factory=list)
    inputs_without_output: list[str] = field(default_factory=list)
    ambiguous: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "method": self.method,
            "run_id": self.run_id,
            "matched": self.matched,
            "unmatched_files": self.unmatched_files,
            "inputs_without_output": self.inputs_without_output,
            "ambiguous": self.ambiguous,
            "duplicates": self.duplicates,
            "errors": [{"path": p, "error": e} for p, e in self.errors],
        }


def import_method_outputs(
    project_dir: str | Path,
    name: str,
    folder: str | Path,
    *,
    progress: ProgressFn = no_progress,
    cancel: threading.Event | None = None,
) -> ImportMethodReport:
    """Register the images in ``folder`` as results of the imported method ``name``."""
    if not name.strip():
        raise IrisError("an imported method needs a name")
    files = expand_paths([folder])
    report = ImportMethodReport(method=name)
    with Project.open(project_dir) as project:
        inputs = [r for r in project.images() if r.kind in INPUT_KINDS]
        exact: dict[str, list] = {}
        folded: dict[str, list] = {}
        for record in inputs:
            exact.setdefault(record.name, []).append(record)
            folded.setdefault(record.name.lower(), []).append(record)
        method_id = project.ensure_method(name, "imported", meta={"source": str(folder)})
        run = project.create_run(
            f"import {name} {now()} {uuid.uuid4().hex[:6]}",
            "restore",
            method_id=method_id,
            params={"method": name, "imported_from": str(Path(folder).resolve())},
            status="running",
        )
        report.run_id = run.id
        with project.running(run.id):  # done, or cancelled / failed with the reason
            matched_inputs: set[int] = set()
            for done, path in enumerate(files):
                check_cancelled(cancel)
                progress(done, len(files))
                candidates = exact.get(path.stem) or folded.get(path.stem.lower()) or []
                if not candidates:
                    report.unmatched_files.append(str(path))
                    continue
                if len(candidates) > 1:
                    report.ambiguous.append(str(path))
                    continue
                target = candidates[0]
                try:
                    loaded = load_image(path, name=str(path))
                except ImageLoadError as exc:
                    report.errors.append((str(path), str(exc)))
                    continue
                data = loaded.data
                sha = sha256_of(data)
                if any(
                    r.parent_id == target.id and r.method_id == method_id
                    for r in project.find_images(sha, kind="method_output")
                ):
                    report.duplicates.append(str(path))
                    matched_inputs.add(target.id)
                    continue
                image = project.add_image_bytes(
                    data,
                    name=f"{target.name} [{name}]",
                    kind="method_output",
                    info=loaded.info,
                    source_path=str(path.resolve()),
                    parent_id=target.id,
                    method_id=method_id,
                    run_id=run.id,
                    meta={"method": name, "imported_from": str(path.resolve())},
                )
                project.add_result(
                    run.id,
                    status="ok",
                    input_image_id=target.id,
                    output_image_id=image.id,
                    meta={"method": name, "imported_from": str(path.resolve())},
                )
                matched_inputs.add(target.id)
                report.matched.append(
                    {"file": str(path), "input_image_id": target.id, "output_image_id": image.id}
                )
            report.inputs_without_output = [r.name for r in inputs if r.id not in matched_inputs]
        progress(len(files), len(files))
    return report
