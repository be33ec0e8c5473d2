"""Labels that say where a compared image came from (kind, name, method, run step)."""

from __future__ import annotations

from core.project.records import ImageRecord

KIND_TITLES = {
    "imported": "input",
    "degraded": "degraded",
    "restored": "restored",
    "step": "step",
    "method_output": "method",
    "derived": "derived",
}


def source_label(
    record: ImageRecord, method_name: str | None = None, run_name: str | None = None
) -> str:
    """A short label such as ``"restored: bricks [swinir]"`` or ``"step 3 of edit-chain: face"``."""
    kind = KIND_TITLES.get(record.kind, record.kind)
    if record.kind == "step" or (record.step_index is not None and run_name):
        where = f"step {record.step_index}" if record.step_index is not None else "step"
        if run_name:
            where += f" of {run_name}"
        text = f"{where}: {record.name}"
    else:
        text = f"{kind}: {record.name}"
    if method_name and f"[{method_name}]" not in record.name:  # stored names may carry it
        text += f" [{method_name}]"
    elif (
        run_name and record.kind != "step" and record.step_index is None and "[" not in record.name
    ):
        text += f" [{run_name}]"  # a stored name like "x [bilateral]" already says its method
    return text


def project_labels(project, records: list[ImageRecord]) -> list[str]:
    """Labels for records of an open :class:`core.project.Project`."""
    methods = {m["id"]: m["name"] for m in project.methods()}
    runs = {r.id: r.name for r in project.runs()}
    return [
        source_label(r, methods.get(r.method_id), runs.get(r.run_id) if r.run_id else None)
        for r in records
    ]
