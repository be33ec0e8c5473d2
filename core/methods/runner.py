"""Apply a method to project images and store every result with its provenance.

One call is one run (kind ``restore``). Each input x repeat is one result:
the output image (kind ``restored``, parent = the input), the parameters,
timings, device and whatever the method reports (model metadata, thought
summaries, token usage). A method that fails on one image (a blocked prompt, a
refused model, an input that cannot be read, not enough memory) becomes a
failed result with its reason; the others go on. An image too large for the
memory available is refused before it is loaded (:mod:`core.methods.memory`).
Every stored error text and meta is redacted of API keys.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from core.clock import now, stamp
from core.errors import Cancelled, IrisError
from core.jobs import ProgressFn, check_cancelled, no_progress
from core.methods.base import MethodContext, MethodFailed
from core.methods.memory import is_out_of_memory, memory_shortfall
from core.methods.registry import get_method
from core.project import ImageKind, Project, ResultStatus, RunKind, RunStatus
from core.redact import error_text, redact, redact_data

OUT_OF_MEMORY = "out-of-memory"

PROGRESS_SCALE = 1000
MAX_REPEAT = 100  # repeats per image in one run (the stability protocol uses 3)
MAX_RUN_NAME = 120


@dataclass
class RestoreResult:
    """One stored result, as ``iris restore`` prints it (one JSON line each)."""

    result_id: int
    run_id: int
    run: str
    method: str
    input_image_id: int
    input: str
    repeat: int
    status: str
    output_image_id: int | None
    error: str | None
    seconds: float
    device: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def resolve_device_name(kind: str, device: str) -> str:
    """Only model methods touch torch; everything else runs on the CPU without importing it."""
    if kind != "model":
        return "cpu"
    from core.device import resolve_device

    return resolve_device(device).name


def check_repeat(repeat: Any) -> int:
    """Repeats per image as a checked integer, 1 to :data:`MAX_REPEAT`, else IrisError."""
    if isinstance(repeat, bool) or not isinstance(repeat, int):
        raise IrisError(f"repeat must be a whole number, got {repeat!r}")
    if not 1 <= repeat <= MAX_REPEAT:
        raise IrisError(f"repeat must be 1-{MAX_REPEAT}, got {repeat}")
    return repeat


def check_run_name(project: Project, name: str | None) -> str | None:
    """A user-chosen run name, stripped and checked free in ``project``; None means "generate"."""
    if name is None:
        return None
    text = str(name).strip()
    if not text or len(text) > MAX_RUN_NAME or any(ord(ch) < 32 for ch in text):
        raise IrisError(f"run name {name!r}: give 1-{MAX_RUN_NAME} printable characters")
    if text.isdigit():
        raise IrisError(f"run name {text!r}: a name of digits only reads as a run id; add a letter")
    if any(run.name == text for run in project.runs()):
        raise IrisError(f"{project.path}: a run called {text!r} already exists; choose another")
    return text


def restore_images(
    project_dir: str | Path,
    image_ids: Sequence[int],
    method_name: str,
    params: dict[str, Any] | None = None,
    *,
    repeat: int = 1,
    run_name: str | None = None,
    device: str = "auto",
    on_result: Callable[[RestoreResult], None] | None = None,
    progress: ProgressFn = no_progress,
    cancel: threading.Event | None = None,
) -> list[RestoreResult]:
    """Run ``method_name`` on each image ``repeat`` times; returns the stored results.

    The repeats live in one run, each result carrying its repeat index (0-based) in its
    meta: the treatments of the stability protocol (``iris stats friedman``). ``run_name``
    names the run (it must be free); without it a unique name is made up.
    """
    repeat = check_repeat(repeat)
    if not image_ids:
        raise IrisError("no images to restore")
    method = get_method(method_name)
    values = method.prepare(params)  # the one pre-flight the CLI and the GUI run too
    stored_name = method.stored_name(values)
    device_name = resolve_device_name(method.kind, device)
    results: list[RestoreResult] = []
    total = len(image_ids) * repeat * PROGRESS_SCALE
    with Project.open(project_dir) as project:
        inputs = [project.image(int(i)) for i in image_ids]
        name = check_run_name(project, run_name)
        method_id = project.ensure_method(
            stored_name, method.kind, params=method.defaults(), meta={"method": method.name}
        )
        run = project.create_run(
            name or f"restore {stored_name} {stamp()} {uuid.uuid4().hex[:6]}",
            RunKind.RESTORE,
            method_id=method_id,
            params={"method": method.name, "params": values, "repeat": repeat, "device": device},
            status=RunStatus.RUNNING,
        )
        context = MethodContext(device=device_name, project_dir=str(project.path))
        unit = 0
        with project.running(run.id) as ending:
            for record in inputs:
                pixels, failure = _load_input(project, method.kind, record)
                for index in range(repeat):
                    check_cancelled(cancel)
                    base = unit * PROGRESS_SCALE

                    def inner(done: int, count: int, base: int = base) -> None:
                        fraction = min(max(done / count, 0.0), 1.0) if count else 0.0
                        progress(base + int(fraction * (PROGRESS_SCALE - 1)), total)

                    if failure is not None:
                        reason, error = failure
                        result = _store_failure(
                            project, method, values, record, index, run.id, context,
                            reason, error, {}, now(), time.perf_counter(),
                        )  # fmt: skip
                    else:
                        result = _run_one(
                            project, method, values, pixels, record, index, run.id, method_id,
                            context, inner, cancel,
                        )  # fmt: skip
                    result.run = run.name
                    results.append(result)
                    if on_result is not None:
                        on_result(result)
                    unit += 1
                    progress(unit * PROGRESS_SCALE, total)
                pixels = None  # the next input's pixels must not sit beside these
            failed = [r for r in results if r.status != ResultStatus.OK]
            if failed:  # the run failed only when nothing succeeded; the first error says why
                status = RunStatus.FAILED if len(failed) == len(results) else RunStatus.DONE
                ending.end(status, failed[0].error)
    return results


def _load_input(project, kind: str, record) -> tuple[Any, tuple[str, str] | None]:
    """(pixels, None), or (None, (reason, error)) when the input is too large or unreadable."""
    shortfall = memory_shortfall(kind, record.width, record.height)
    if shortfall is not None:
        return None, (OUT_OF_MEMORY, f"{record.name}: {shortfall}")
    try:
        return project.load_pixels(record).pixels, None
    except MemoryError as exc:
        return None, (OUT_OF_MEMORY, f"out of memory loading {record.name}: {error_text(exc)}")
    except IrisError as exc:
        return None, (type(exc).__name__, str(exc))


def _base_meta(method, values, record, index, context) -> dict[str, Any]:
    return {
        "method": method.name,
        "params": values,
        "repeat": index,
        "device": context.device,
        "input_image_id": record.id,
    }


def _store_failure(
    project, method, values, record, index, run_id, context, reason, error, meta, started_at, start
) -> RestoreResult:
    """One failed result row (redacted): every input x repeat gets a row, whatever went wrong."""
    seconds = time.perf_counter() - start
    error = redact(error)
    meta = {**_base_meta(method, values, record, index, context), **meta, "reason": reason}
    row = project.add_result(
        run_id, status=ResultStatus.FAILED, input_image_id=record.id, error=error, seconds=seconds,
        started_at=started_at, meta=redact_data(meta),
    )  # fmt: skip
    return _summary(row, method, record, index, context, None, error, seconds)


def _run_one(
    project, method, values, pixels, record, index, run_id, method_id, context, progress, cancel
) -> RestoreResult:
    started_at = now()
    start = time.perf_counter()
    failure = (project, method, values, record, index, run_id, context)
    try:
        output = method(pixels, values, progress=progress, cancel=cancel, context=context)
    except Cancelled:
        raise
    except MethodFailed as exc:
        return _store_failure(*failure, exc.reason, str(exc), exc.meta, started_at, start)
    except IrisError as exc:
        return _store_failure(*failure, type(exc).__name__, str(exc), {}, started_at, start)
    except Exception as exc:
        if not is_out_of_memory(exc):
            raise
        error = f"out of memory: {error_text(exc)}"
        return _store_failure(*failure, OUT_OF_MEMORY, error, {}, started_at, start)
    try:
        return _store_output(
            project, method, values, output, record, index, run_id, method_id, context,
            started_at, start,
        )  # fmt: skip
    except MemoryError as exc:  # encoding a huge output: the result row says so
        output = None
        error = f"out of memory storing the output: {error_text(exc)}"
        return _store_failure(*failure, OUT_OF_MEMORY, error, {}, started_at, start)


def _store_output(
    project, method, values, output, record, index, run_id, method_id, context, started_at, start
) -> RestoreResult:
    """The output image, its drafts and the ok result row, with the method's (redacted) meta."""
    seconds = time.perf_counter() - start
    base_meta = _base_meta(method, values, record, index, context)
    meta = redact_data({**base_meta, **output.meta, "seconds": round(seconds, 4)})
    if output.thoughts:
        meta["thoughts"] = redact(output.thoughts)
    suffix = f" #{index + 1}" if index else ""
    provenance = {
        "name": f"{record.name} [{method.stored_name(values)}]{suffix}",
        "kind": ImageKind.RESTORED,
        "parent_id": record.id,
        "method_id": method_id,
        "run_id": run_id,
        "meta": meta,
    }
    if output.encoded is not None:
        image = project.add_image_bytes(output.encoded, **provenance)
    else:
        depth = 16 if record.bit_depth > 8 else 8
        image = project.add_image_array(output.pixels, bit_depth=depth, **provenance)
    drafts = []
    for number, draft in enumerate(output.drafts):
        drafts.append(
            project.add_image_array(
                draft,
                name=f"{record.name} [{method.stored_name(values)}] draft {number + 1}",
                kind=ImageKind.DERIVED,
                parent_id=image.id,
                method_id=method_id,
                run_id=run_id,
                meta={"role": "draft", "index": number},
            ).id
        )
    if drafts:
        meta["draft_image_ids"] = drafts
    row = project.add_result(
        run_id, status=ResultStatus.OK, input_image_id=record.id, output_image_id=image.id,
        seconds=seconds, started_at=started_at, meta=meta,
    )  # fmt: skip
    return _summary(row, method, record, index, context, image.id, None, seconds)


def _summary(row, method, record, index, context, output_id, error, seconds) -> RestoreResult:
    return RestoreResult(
        result_id=row.id,
        run_id=row.run_id,
        run="",
        method=method.name,
        input_image_id=record.id,
        input=record.name,
        repeat=index,
        status=row.status,
        output_image_id=output_id,
        error=error,
        seconds=round(seconds, 4),
        device=context.device,
    )
