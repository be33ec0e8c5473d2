"""One step of an iterative run: ask the editor (with retries), then commit the step at once.

A :class:`Chain` carries what passes from step to step (the previous image
and its pixels, every committed step's image, the original for geometry, the
editor and its parameters). A step edits the steps its plan names
(:attr:`~core.iterate.schedules.StepPlan.inputs`; usually the previous one): the
first is its parent and the editor's ``pixels``; a step with several inputs (the
reconstruction's rebuild) hands all of them to the editor as
``context.extra["input_images"]`` (a list of pixel arrays, the first = ``pixels``).
A step of a mirror/rotate schedule records whether the editor performed the
transform (:func:`~core.iterate.geometry.transform_check`).
An image the runner encodes is quantised first, so the next step's input is
exactly the stored file (a resumed chain equals an uninterrupted one). The
step image and its ``results`` row are written in one transaction.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from core.clock import now
from core.errors import Cancelled, IrisError
from core.iterate.geometry import step_geometry, transform_check
from core.iterate.schedules import CYCLE, StepPlan
from core.jobs import check_cancelled, no_progress
from core.limits import max_pixels_from_env
from core.methods.base import MethodContext, MethodFailed
from core.methods.runner import resolve_device_name
from core.project import ImageKind, ResultStatus, RunStatus
from core.redact import redact, redact_data

STEP_PNG_LEVEL = 1  # long chains write many PNGs: fast zlib, files about 15% larger
BLOCKING_REASONS = ("blocked-prompt", "blocked-output", "no-image", "no-candidates")
INPUT_IMAGES = "input_images"  # the MethodContext.extra key of a multi-input step's images


@dataclass
class StepEvent:
    """One committed step, reported to ``on_step`` (the GUI's filmstrip grows from these)."""

    run: str
    run_id: int
    index: int
    steps: int
    status: str
    image_id: int | None
    width: int | None
    height: int | None
    thoughts: str
    error: str | None
    seconds: float
    pixels: np.ndarray | None = None
    meta: dict[str, Any] = field(default_factory=dict)


class Chain:
    """The state carried from step to step: the previous image, the original, the editor."""

    def __init__(self, project, run, spec, method, values, results, cancel) -> None:
        self.project = project
        self.run = run
        self.spec = spec
        self.cancel = cancel
        self.method, self.values = method, values
        self.names = {p.name for p in self.method.params}
        _check_image_size(method, spec.schedule.image_size)
        self.context = MethodContext(
            device=resolve_device_name(self.method.kind, spec.device), project_dir=None
        )
        self.input = project.image(results[0].output_image_id)
        self.original = project.load_pixels(self.input).pixels
        self.previous = project.image(results[-1].output_image_id)
        self.pixels = (  # a copy: an editor may write into its input, the original must stay
            self.original.copy()
            if self.previous.id == self.input.id
            else project.load_pixels(self.previous).pixels
        )
        self.bit_depth = 16 if self.input.bit_depth > 8 else 8
        self.stop_status = RunStatus.FAILED
        self.step_images = {  # step index -> image id of every committed step
            r.step_index: r.output_image_id
            for r in results
            if r.step_index is not None and r.output_image_id is not None
        }

    def _inputs(self, plan: StepPlan) -> tuple[list, list[np.ndarray]]:
        """The image records and pixels of the steps ``plan`` edits (the first is the parent)."""
        records, pixels = [], []
        for step in plan.input_steps:
            image_id = self.step_images.get(step)
            if image_id is None:
                raise IrisError(f"step {plan.index} edits step {step}, which has no image")
            if image_id == self.previous.id:
                records.append(self.previous)
                pixels.append(self.pixels)
            else:
                records.append(self.project.image(image_id))
                pixels.append(self.project.load_pixels(image_id).pixels)
        return records, pixels

    def editor_values(self, plan: StepPlan) -> dict[str, Any]:
        """The editor's parameters for this step: the schedule fills those the editor has."""
        values = dict(self.values)
        if "prompt" in self.names:
            values["prompt"] = plan.prompt
        if "seed" in self.names:
            values["seed"] = -1 if plan.seed is None else plan.seed
        if "temperature" in self.names and plan.temperature is not None:
            values["temperature"] = plan.temperature
        if "image_size" in self.names:
            values["image_size"] = plan.image_size
        return values

    def step(self, index: int) -> StepEvent:
        """Run step ``index`` (with retries) and commit it; returns what was stored."""
        plan = self.spec.schedule.plan(index, self.project)
        values = self.editor_values(plan)
        parents, inputs = self._inputs(plan)
        context = self.context
        if len(inputs) > 1:
            context = replace(context, extra={**context.extra, INPUT_IMAGES: inputs})
        base_meta = {
            "prompt": plan.prompt,
            "prompt_id": plan.prompt_id,
            "seed": plan.seed,
            "temperature": plan.temperature,
            # what the editor was asked for; an editor without the parameter keeps its own size
            "image_size": plan.image_size if "image_size" in self.names else None,
            "editor": self.method.name,
            "inputs": list(plan.input_steps),
        }
        started_at = now()
        start = time.perf_counter()
        failures: list[dict[str, Any]] = []
        for _attempt in range(self.spec.step_retries + 1):
            check_cancelled(self.cancel)
            edit_start = time.perf_counter()
            try:
                output = self.method(
                    inputs[0],
                    values,
                    progress=no_progress,
                    cancel=self.cancel,
                    context=context,
                )
            except Cancelled:
                raise
            except MethodFailed as exc:
                failures.append({**_jsonable(exc.meta), "reason": exc.reason, "error": str(exc)})
                continue
            except IrisError as exc:
                failures.append({"reason": type(exc).__name__, "error": str(exc)})
                continue
            except MemoryError:
                height, width = inputs[0].shape[:2]
                failures.append(
                    {
                        "reason": "out-of-memory",
                        "error": f"out-of-memory: the editor ran out of memory on a "
                        f"{width}x{height} step",
                    }
                )
                break
            edit_s = time.perf_counter() - edit_start
            height, width = output.pixels.shape[:2]
            if width * height > max_pixels_from_env():  # a 4x upscaler fed back on itself
                failures.append(
                    {"reason": "too-large", "error": f"too-large: the output is {width}x{height}"}
                )
                break
            return self._commit_ok(
                index, output, plan, (parents[0], inputs[0]), base_meta, failures, started_at,
                start, edit_s,
            )  # fmt: skip
        return self._commit_failed(index, parents[0], base_meta, failures, started_at, start)

    def _commit_ok(
        self, index, output, plan, parent, base_meta, failures, started_at, start, edit_s
    ):
        parent_image, parent_pixels = parent
        quantize_start = time.perf_counter()
        info = None
        if output.encoded is not None:
            data, pixels = output.encoded, output.pixels
            quantize_s = encode_s = 0.0
        else:
            values, pixels = _quantize(output.pixels, self.bit_depth)
            quantize_s = time.perf_counter() - quantize_start
            data = _encode(values, pixels, self.bit_depth)
            encode_s = time.perf_counter() - quantize_start - quantize_s
            info = _png_info(pixels, self.bit_depth)  # we wrote it: no need to parse it again
        geometry = step_geometry(
            self.original, pixels, plan.expected, (parent_image.width, parent_image.height)
        )
        if not plan.requested.is_identity:  # did the editor mirror/rotate as asked?
            geometry.update(transform_check(parent_pixels, pixels, plan.requested))
        edited = _jsonable(output.meta)
        meta = {
            **edited,
            **base_meta,
            # the seed the editor used (it draws one when the schedule gives none): the one
            # that reproduces this step
            "seed": edited.get("seed", base_meta["seed"]),
            **geometry,
            "thoughts": output.thoughts or "",
            "failed_attempts": failures,
            "timings": {
                "edit_s": round(edit_s, 4),
                "quantize_s": round(quantize_s, 4),
                "encode_s": round(encode_s, 4),
            },
        }
        seconds = time.perf_counter() - start
        with self.project.transaction():
            image = self.project.add_image_bytes(
                data,
                name=f"{self.run.name} step {index}",
                kind=ImageKind.STEP,
                info=info,
                parent_id=parent_image.id,
                method_id=self.run.method_id,
                run_id=self.run.id,
                step_index=index,
                meta={
                    "prompt": plan.prompt,
                    "prompt_id": plan.prompt_id,  # per-prompt sets and case counts read it
                    "seed": meta["seed"],
                    "inputs": base_meta["inputs"],
                },
            )
            self.project.add_result(
                self.run.id,
                status=ResultStatus.OK,
                step_index=index,
                input_image_id=parent_image.id,
                output_image_id=image.id,
                seconds=round(seconds, 4),
                started_at=started_at,
                meta=meta,
            )
        event = StepEvent(
            self.run.name, self.run.id, index, self.spec.steps, "ok", image.id,
            image.width, image.height, meta["thoughts"], None, round(seconds, 4), pixels, meta,
        )  # fmt: skip
        self.previous, self.pixels = image, pixels
        self.step_images[index] = image.id
        return event

    def _commit_failed(self, index, parent, base_meta, failures, started_at, start) -> StepEvent:
        last = failures[-1]
        reason = last.get("reason", "")
        self.stop_status = RunStatus.BLOCKED if reason in BLOCKING_REASONS else RunStatus.FAILED
        error = redact(last["error"])
        seconds = time.perf_counter() - start
        meta = redact_data(
            {
                **{k: v for k, v in last.items() if k not in ("error",)},
                **base_meta,
                "thoughts": last.get("thoughts", ""),
                "failed_attempts": failures,
            }
        )
        self.project.add_result(
            self.run.id,
            status=ResultStatus.FAILED,
            step_index=index,
            input_image_id=parent.id,
            error=error,
            seconds=round(seconds, 4),
            started_at=started_at,
            meta=meta,
        )
        return StepEvent(
            self.run.name, self.run.id, index, self.spec.steps, "failed", None, None, None,
            meta["thoughts"], error, round(seconds, 4), None, meta,
        )  # fmt: skip


def _quantize(pixels: np.ndarray, bit_depth: int) -> tuple[np.ndarray, np.ndarray]:
    """(integer values, the float pixels they decode to): the next step's input is the stored image.

    ``pixels`` are already clipped to [0, 1] by the method wrapper, and overwritten.
    """
    if bit_depth == 8:
        import cv2  # one rounding pass, bit-identical to np.round(pixels * 255) on [0, 1]

        pixels = np.ascontiguousarray(pixels, dtype=np.float32)
        values = cv2.convertScaleAbs(pixels, alpha=255.0)
        # in place: the method wrapper's clipped output is ours; same floats as load_image gives
        return values, np.divide(values, np.float32(255.0), out=pixels, dtype=np.float32)
    values = np.round(pixels * 65535.0).astype(np.uint16)
    return values, np.divide(values, np.float32(65535.0), dtype=np.float32)


def _encode(values: np.ndarray, pixels: np.ndarray, bit_depth: int) -> bytes:
    """PNG bytes of the quantized step (8-bit straight from ``values``)."""
    if bit_depth == 8:
        import io

        from PIL import Image

        buffer = io.BytesIO()
        Image.fromarray(values).save(buffer, format="PNG", compress_level=STEP_PNG_LEVEL)
        return buffer.getvalue()
    from core.imageio import encode_png

    return encode_png(pixels, 16, compress_level=STEP_PNG_LEVEL)


def _png_info(pixels: np.ndarray, bit_depth: int):
    from core.imageio import ImageInfo

    height, width = pixels.shape[:2]
    mode = "RGB" if bit_depth == 8 else "RGB;16"
    return ImageInfo("step", "PNG", width, height, bit_depth, mode, False, False, False)


def _jsonable(meta: dict[str, Any]) -> dict[str, Any]:
    """Method metadata minus what JSON cannot hold (arrays become their shape)."""
    out: dict[str, Any] = {}
    for key, value in meta.items():
        if isinstance(value, np.ndarray):
            out[key] = list(value.shape)
        elif isinstance(value, np.generic):
            out[key] = value.item()
        else:
            out[key] = value
    return out


def _check_image_size(method, size: str) -> None:
    """Refuse, before the first step, a schedule size the editor cannot make."""
    param = next((p for p in method.params if p.name == "image_size"), None)
    if param is None or not param.choices:
        return
    wanted = CYCLE if size == "cycle" else (size,)
    missing = [s for s in wanted if s not in param.choices]
    if missing:
        raise IrisError(
            f"the editor {method.name} cannot make image size {', '.join(missing)}; "
            f"it offers {', '.join(param.choices)}"
        )
