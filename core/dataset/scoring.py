"""The batch scoring function both engines run: items in, one row per image and metric out.

It reads each image once (and its reference), hashes it, skips the metrics
already done for that content, and turns every failure (unreadable file, too
large, wrong size, a metric that raises) into a row carrying the error, so a
bad image never fails a job. Metrics are loaded once per scorer, on first use.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Callable, Iterable

from core.dataset.metric_adapter import MetricFn, load_metric, metric_version
from core.dataset.results import Key, Row, row_key
from core.errors import ImageLoadError, IrisError
from core.hashing import sha256_of
from core.metrics.catalogue import metric_info
from core.redact import error_text, redact

MetricLoader = Callable[[str, str], MetricFn]


def worker_name(engine: str) -> str:
    """Who computed a row: engine, host and process id."""
    return f"{engine}:{socket.gethostname()}:{os.getpid()}"


def _sizes(data: bytes, ref_data: bytes) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """(image size, reference size) from the headers, or None when either cannot be read
    (decoding then reports why)."""
    if not data or not ref_data:
        return None
    from core.imageio import read_info

    try:
        image, reference = read_info(data), read_info(ref_data)
    except IrisError:
        return None
    return (image.width, image.height), (reference.width, reference.height)


class BatchScorer:
    """Scores batches of dataset items with a fixed list of metrics on one device."""

    def __init__(
        self,
        metrics: list[str],
        *,
        device: str = "cpu",
        done: set[Key] | frozenset[Key] = frozenset(),
        worker: str | None = None,
        max_pixels: int | None = None,
        loader: MetricLoader = load_metric,
        node: str = "",
        align_policy: str = "resize",
        align_filter: str = "bicubic",
    ) -> None:
        from core.metrics.alignment import check_filter, check_policy

        check_policy(align_policy)
        check_filter(align_filter)
        self.align_policy, self.align_filter = align_policy, align_filter
        self.metrics = list(metrics)
        self.versions = {name: metric_version(name) for name in self.metrics}
        self.device = device
        self.done = done
        self.worker = worker or worker_name("local")
        self.max_pixels = max_pixels
        self.node = node
        self._loader = loader
        self._loaded: dict[str, MetricFn] = {}

    def metric(self, name: str) -> MetricFn:
        """Metric ``name``, created on the first call and kept for the scorer's life."""
        if name not in self._loaded:
            self._loaded[name] = self._loader(name, self.device)
        return self._loaded[name]

    def _read(self, path: str):
        """(sha256, bytes, error) of a file; an unreadable file gives its error instead."""
        from core.files import FileReadError, read_bounded
        from core.imageio import max_file_bytes
        from core.limits import max_pixels_from_env

        # Bounded by the largest file an image within the pixel limit can be; the content
        # is hashed even when decoding will refuse it, so its error row resumes by content.
        limit = max_file_bytes(self.max_pixels or max_pixels_from_env(), 1)
        try:
            data = read_bounded(path, limit)
        except FileReadError as exc:
            return "", b"", str(exc)
        return sha256_of(data), data, None

    def _decode(self, data: bytes, label: str):
        from core.imageio import load_image

        return load_image(data, max_pixels=self.max_pixels, name=label).pixels

    def score_items(self, items: Iterable[dict]) -> list[Row]:
        """Rows for every (item, metric) not yet done; failures become error rows.

        An item may carry ``metrics``, the names still to compute for it (the Ray
        driver plans them, see :mod:`core.dataset.plan`); otherwise all of the scorer's.
        """
        rows: list[Row] = []
        for item in items:
            rows.extend(self._score_one(item))
        return rows

    def pending_metrics(self, item: dict) -> list[str]:
        """The metrics of ``item`` whose rows are not in ``done`` (reads and hashes its files)."""
        path, ref_path = str(item["path"]), str(item.get("reference_path") or "")
        sha, data, _error = self._read(path)
        needs_ref = ref_path and any(metric_info(m).full_reference for m in self._names(item))
        ref_sha, ref_data, _ref_error = self._read(ref_path) if needs_ref else ("", b"", None)
        base = {
            "path": path,
            "sha256": sha,
            "reference_path": ref_path,
            "reference_sha256": ref_sha,
        }
        sizes = _sizes(data, ref_data)
        return [row["metric"] for row in self._todo(item, base, sizes)]

    def _names(self, item: dict) -> list[str]:
        wanted = item.get("metrics")
        return self.metrics if wanted is None else [m for m in self.metrics if m in wanted]

    def _todo(self, item: dict, base: Row, sizes: tuple | None = None) -> list[Row]:
        from core.metrics.alignment import aligned_version

        todo = []
        for name in self._names(item):
            row = {**base, "metric": name, "metric_version": self.versions[name]}
            if not metric_info(name).full_reference:
                # keyed like the project's cache: a no-reference score depends on no reference
                row.update(reference_path="", reference_sha256="")
            elif sizes is not None:  # a pair of two sizes is cached under its policy too
                row["metric_version"] = aligned_version(
                    self.versions[name], *sizes, self.align_policy, self.align_filter
                )
            if row_key(row) not in self.done:
                todo.append(row)
        return todo

    def _score_one(self, item: dict) -> list[Row]:
        path = str(item["path"])
        ref_path = str(item.get("reference_path") or "")
        sha, data, read_error = self._read(path)
        ref_sha, ref_data, ref_error = self._read(ref_path) if ref_path else ("", b"", None)
        base = {
            "path": path,
            "relpath": item.get("relpath", ""),
            "sha256": sha,
            "reference_path": ref_path,
            "reference_sha256": ref_sha,
            "worker": self.worker,
            "node": self.node,
        }
        todo = self._todo(item, base, _sizes(data, ref_data))
        if not todo:
            return []
        pixels, ref_pixels, error = None, None, read_error
        start = time.perf_counter()
        if error is None:
            try:
                pixels = self._decode(data, path)
            except ImageLoadError as exc:
                error = redact(str(exc))
        decode_s = time.perf_counter() - start
        rows = []
        for row in todo:
            start = time.perf_counter()
            value, row_error = None, error
            if row_error is None:
                try:
                    metric = self.metric(row["metric"])
                    if metric.needs_reference and ref_pixels is None:
                        ref_pixels, row_error = self._reference(ref_path, ref_data, ref_error)
                    if row_error is None and metric.needs_reference:
                        from core.metrics.alignment import align

                        value = metric(
                            *align(pixels, ref_pixels, self.align_policy, self.align_filter)
                        )
                    elif row_error is None:
                        value = metric(pixels, None)
                except Exception as exc:  # a metric failing on one image is that row's error
                    row_error = f"{path}: {row['metric']} failed ({error_text(exc)})"
            rows.append(
                {
                    **row,
                    "value": value,
                    "error": row_error,
                    "seconds": time.perf_counter() - start + decode_s / len(todo),
                }
            )
        return rows

    def _reference(self, ref_path: str, ref_data: bytes, ref_error: str | None):
        if not ref_path:
            return None, "no reference image found for this image (see --ref-dir, --ref-pattern)"
        if ref_error is not None:
            return None, f"reference {ref_error}"
        try:
            return self._decode(ref_data, ref_path), None
        except ImageLoadError as exc:
            return None, f"reference {exc}"
