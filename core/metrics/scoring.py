"""Scoring files and project images with pyiqa metrics, cached in the project.

A score is stored under (image SHA-256, metric, metric version, reference
SHA-256) in the project's ``scores`` table the moment it is computed; asking
again returns the stored value without loading the metric or the pixels. The
functions follow the long-work contract (``progress``, ``cancel``) so the
GUI's compute worker, the CLI and the tests call them alike.

Full-reference pairs of different sizes are brought to one size by an
alignment policy (``align``: resize, crop or none, see
:mod:`core.metrics.alignment`); the policy is folded into the metric version
of such pairs (:func:`~core.metrics.alignment.aligned_version`) and every FR
row names it (``ScoreRow.align``). ``orient`` (image id -> transform) turns a
mirror/rotate step (and a reference that is one) back to the original's
orientation before any metric sees it, folded into the version likewise
(:func:`~core.metrics.alignment.oriented_version`).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from core.device import resolve_device
from core.errors import IrisError
from core.hashing import sha256_of
from core.imageio import load_image
from core.jobs import ProgressFn, check_cancelled, no_progress
from core.metrics.alignment import (
    DEFAULT_FILTER,
    DEFAULT_POLICY,
    AlignmentError,
    Orientation,
    align,
    aligned_version,
    check_policy,
    orient_pixels,
    orientation_label,
    oriented_size,
    oriented_version,
    policy_label,
    size_error,
)
from core.metrics.catalogue import metric_info
from core.metrics.engine import load_metric, metric_version, score_pixels
from core.metrics.references import Reference, resolve_reference
from core.metrics.weights import WeightsConfig
from core.project import Project


@dataclass
class ScoreRow:
    """One score: which image, which metric, against what, and the value (or why not)."""

    image: str
    metric: str
    value: float | None
    sha256: str = ""
    image_id: int | None = None
    reference: str | None = None
    reference_sha256: str = ""
    cached: bool = False
    error: str | None = None
    seconds: float = 0.0
    align: str = ""  # the alignment policy of a full-reference score, e.g. "resize:bicubic"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ScoreReport:
    """The rows of one scoring call and how many were computed vs. read from the cache."""

    rows: list[ScoreRow] = field(default_factory=list)
    computed: int = 0
    cached: int = 0

    def value(self, image_id: int, metric: str) -> float | None:
        for row in self.rows:
            if row.image_id == image_id and row.metric == metric:
                return row.value
        return None


class _PixelCache:
    """A few decoded images, so a shared reference (step 1, the input) is read once."""

    def __init__(self, size: int = 4) -> None:
        self.size = size
        self._items: OrderedDict[str, np.ndarray] = OrderedDict()

    def get(self, key: str, loader) -> np.ndarray:
        if key in self._items:
            self._items.move_to_end(key)
            return self._items[key]
        pixels = loader()
        self._items[key] = pixels
        if len(self._items) > self.size:
            self._items.popitem(last=False)
        return pixels


def _device(device: str) -> str:
    return resolve_device(device).name


def score_files(
    paths: Sequence[str | Path],
    metrics: Sequence[str],
    *,
    reference: str | Path | None = None,
    device: str = "auto",
    config: WeightsConfig | None = None,
    align_policy: str = DEFAULT_POLICY,
    align_filter: str = DEFAULT_FILTER,
    progress: ProgressFn = no_progress,
    cancel: threading.Event | None = None,
) -> ScoreReport:
    """Score image files (no project, no cache); FR metrics compare with ``reference``.

    A file of another size than the reference is aligned to it by ``align_policy``
    with ``align_filter`` (see :mod:`core.metrics.alignment`).
    """
    infos = [metric_info(m) for m in metrics]
    label = policy_label(align_policy, align_filter)
    if reference is None and any(i.full_reference for i in infos):
        names = ", ".join(i.name for i in infos if i.full_reference)
        raise IrisError(f"full-reference metrics ({names}) need a reference image (--ref)")
    dev = _device(device)
    models = {m: load_metric(m, dev, config) for m in metrics}
    ref_loaded = load_image(reference) if reference is not None else None
    ref_pixels = ref_loaded.pixels if ref_loaded is not None else None
    ref_sha = sha256_of(ref_loaded.data) if ref_loaded is not None else ""
    report = ScoreReport()
    for done, path in enumerate(paths):
        check_cancelled(cancel)
        loaded = load_image(path, name=str(path))
        data, pixels = loaded.data, loaded.pixels
        for info in infos:
            start = time.perf_counter()
            fr = info.full_reference
            row = ScoreRow(str(path), info.name, None, sha256_of(data))
            if fr:
                row.reference, row.reference_sha256 = str(reference), ref_sha
                row.align = label
            try:
                target, refs = pixels, None
                if fr:
                    target, ref = align(pixels, ref_pixels, align_policy, align_filter)
                    refs = [ref]
                row.value = score_pixels(models[info.name], [target], refs)[0]
            except Exception as exc:  # one image's failure (size mismatch) is its row's error
                row.error = f"{type(exc).__name__}: {exc}"
            row.seconds = time.perf_counter() - start
            report.rows.append(row)
            report.computed += 1
        progress(done + 1, len(paths))
    return report


def _project_images(project: Project, image_ids, run: str | None) -> list:
    if image_ids is not None:
        return [project.image(int(i)) for i in image_ids]
    if run is not None:
        record = project.run(int(run) if str(run).isdigit() else run)
        ids = [r.output_image_id for r in project.results(record.id) if r.output_image_id]
        return [project.image(i) for i in dict.fromkeys(ids)]
    return project.images()


def score_project(
    project_dir: str | Path,
    metrics: Sequence[str],
    *,
    image_ids: Sequence[int] | None = None,
    run: str | None = None,
    reference: str | None = None,
    device: str = "auto",
    config: WeightsConfig | None = None,
    batch: int | None = None,
    compute: bool = True,
    align_policy: str = DEFAULT_POLICY,
    align_filter: str = DEFAULT_FILTER,
    orient: Mapping[int, Orientation] | None = None,
    progress: ProgressFn = no_progress,
    cancel: threading.Event | None = None,
) -> ScoreReport:
    """Score project images (given ids, a run's outputs, or all), reusing stored scores.

    ``compute=False`` only reads what is stored (rows without a stored score keep no
    value): what a view shows on opening, without loading any metric.

    ``reference`` (``input``, ``step0``, ``step1``, ``clean``, an image id or a file)
    applies to full-reference metrics; an image without that reference gets a row
    with an error instead of a value. Images still to score go through each metric
    in batches of equal-size images (``batch``; default 8 on CUDA, 1 on the CPU).
    An image of another size than its reference is aligned to it by
    ``align_policy``/``align_filter``; that pair's score is cached under the
    metric version with the policy folded in (equal-size pairs keep the bare one).
    ``orient`` maps image ids to the transform to undo before scoring (a mirror/rotate
    step, see :func:`core.metrics.series.collect_series`); it applies to references too.
    """
    infos = [metric_info(m) for m in metrics]
    versions = {i.name: metric_version(i.name) for i in infos}
    policy = check_policy(align_policy)
    label = policy_label(align_policy, align_filter)
    alignment = (align_policy, align_filter)
    orient = dict(orient or {})
    report = ScoreReport()
    with Project.open(project_dir) as project:
        images = _project_images(project, image_ids, run)
        pending: dict[str, list[tuple[ScoreRow, Any, Reference | None, str, tuple]]] = {}
        for image in images:
            check_cancelled(cancel)
            turn = orient.get(image.id)
            for info in infos:
                row = ScoreRow(image.name, info.name, None, image.sha256, image.id)
                report.rows.append(row)
                ref: Reference | None = None
                ref_turn = None
                version = versions[info.name]
                if info.full_reference:
                    ref = resolve_reference(project, image, reference) if reference else None
                    if ref is None:
                        row.error = f"no {reference or 'reference'} image for {image.name}"
                        continue
                    row.reference, row.reference_sha256 = ref.label, ref.sha256
                    row.align = label
                    ref_turn = orient.get(ref.image_id) if ref.image_id is not None else None
                    size = oriented_size((image.width, image.height), turn)
                    ref_size = oriented_size(ref.size, ref_turn)
                    if size != ref_size and not policy.aligns:
                        row.error = str(size_error(size, ref_size))
                        continue
                    version = aligned_version(version, size, ref_size, *alignment)
                version = oriented_version(version, turn, ref_turn)
                stored = project.score(image.sha256, info.name, version, row.reference_sha256)
                if stored is not None and stored["error"] is None:
                    row.value, row.cached = stored["value"], True
                    report.cached += 1
                else:
                    item = (row, image, ref, version, (turn, ref_turn))
                    pending.setdefault(info.name, []).append(item)
        total = sum(len(items) for items in pending.values())
        if not total or not compute:
            progress(len(images), len(images))
            return report
        dev = _device(device)
        size = batch or (8 if dev.startswith("cuda") else 1)
        pixels = _PixelCache(size=2 * size + 2)
        done = 0
        for name, items in pending.items():
            model = load_metric(name, dev, config)
            for start in range(0, len(items), size):
                check_cancelled(cancel)
                chunk = items[start : start + size]
                _score_chunk(project, model, chunk, pixels, alignment)
                for row, _image, _ref, version, _turns in chunk:
                    if row.value is not None:
                        project.put_score(
                            row.sha256, name, version, row.value,
                            reference_sha256=row.reference_sha256, seconds=row.seconds,
                        )  # fmt: skip
                report.computed += len(chunk)
                done += len(chunk)
                progress(done, total)
    return report


def _score_chunk(
    project: Project,
    model: Any,
    chunk: list,
    cache: _PixelCache,
    alignment: tuple[str, str] = (DEFAULT_POLICY, DEFAULT_FILTER),
) -> None:
    """Score a few rows in one call; when the batch fails, score them one by one.

    Images (and references) are turned back to the original's orientation where the
    item says so, then full-reference pairs are aligned (``alignment`` = policy,
    filter); a pair the policy refuses fails like any other one image: its row's error.
    """
    start = time.perf_counter()
    try:
        targets = [
            cache.get(
                f"{i.sha256}{orientation_label(t)}",
                lambda i=i, t=t: orient_pixels(project.load_pixels(i).pixels, t),
            )
            for _, i, _, _, (t, _rt) in chunk
        ]
        refs = None
        if chunk[0][2] is not None:
            refs = [
                cache.get(
                    f"{r.sha256}{orientation_label(rt)}",
                    lambda r=r, rt=rt: orient_pixels(_load_ref(project, r), rt),
                )
                for _, _, r, _, (_t, rt) in chunk
            ]
            pairs = [align(t, r, *alignment) for t, r in zip(targets, refs, strict=True)]
            targets, refs = [p[0] for p in pairs], [p[1] for p in pairs]
        values = score_pixels(model, targets, refs, batch=len(chunk))
    except Exception as exc:
        if isinstance(exc, IrisError) and not isinstance(exc, AlignmentError):
            raise
        if len(chunk) > 1:
            for item in chunk:
                _score_chunk(project, model, [item], cache, alignment)
            return
        chunk[0][0].error = f"{type(exc).__name__}: {exc}"
        chunk[0][0].seconds = time.perf_counter() - start
        return
    seconds = (time.perf_counter() - start) / len(chunk)
    for (row, _image, _ref, _version, _turns), value in zip(chunk, values, strict=True):
        row.value, row.seconds = value, seconds


def _load_ref(project: Project, ref: Reference) -> np.ndarray:
    if ref.image_id is not None:
        return project.load_pixels(ref.image_id).pixels
    return load_image(ref.path).pixels
