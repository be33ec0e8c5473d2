"""Building pyiqa metrics once per process and scoring pixel arrays with them.

Pixels are IRIS's canonical float32 RGB in [0, 1] (what ``PIL.convert("RGB")``
and ``to_tensor`` give pyiqa), so scores equal pyiqa's own on the same files.
Built metrics are kept per (name, device, weights folder): scoring a run does
not rebuild them. Images of one size are scored as one batch (the GPU path).
"""

from __future__ import annotations

import contextlib
import hashlib
import sys
import threading
from functools import cache, lru_cache
from importlib import metadata
from typing import Any

import numpy as np

from core.metrics.catalogue import is_vlm_metric, metric_info
from core.metrics.weights import (
    WeightsConfig,
    as_weights_error,
    check_weights,
    shipped_file,
    weights_environment,
)

_LOCK = threading.Lock()
_BUILT: dict[tuple[str, str, str], Any] = {}


@lru_cache(maxsize=1)
def pyiqa_version() -> str:
    try:
        return metadata.version("pyiqa")
    except metadata.PackageNotFoundError:  # pragma: no cover - pyiqa is a dependency
        return "unknown"


@cache
def metric_version(name: str) -> str:
    """What a cached score depends on: pyiqa's version and, for shipped files, their hash."""
    if is_vlm_metric(name):
        from core.local_models.vlm_metrics import metric_version as vlm_version

        return vlm_version(name)
    version = f"pyiqa-{pyiqa_version()}"
    path = shipped_file(name)
    if path is not None:
        version += f"+{path.name}:{hashlib.sha256(path.read_bytes()).hexdigest()[:12]}"
    return version


def load_metric(name: str, device: str = "cpu", config: WeightsConfig | None = None) -> Any:
    """The pyiqa metric ``name`` on ``device``, built on first use after the weights check."""
    config = config or WeightsConfig.from_env()
    if is_vlm_metric(name):  # the model lives in the local-models LRU cache, not in _BUILT
        from core.local_models.vlm_metrics import load_vlm_metric

        return load_vlm_metric(name, device, config.folder)
    key = (name, device, str(config.folder))
    with _LOCK:
        if key in _BUILT:
            return _BUILT[key]
        metric_info(name)  # unknown names fail here, listing the known ones
        check_weights(name, config)
        kwargs: dict[str, Any] = {}
        path = shipped_file(name)
        if path is not None:
            kwargs["pretrained_model_path"] = str(path)
        with weights_environment(name, config), contextlib.redirect_stdout(sys.stderr):
            import pyiqa
            import torch

            from core.metrics.pyiqa_archs import import_arch_of

            import_arch_of(name)  # else pyiqa may import all of its ~80 arch modules
            try:
                model = pyiqa.create_metric(name, device=torch.device(device), **kwargs)
            except Exception as exc:
                missing = None if config.allow_downloads else as_weights_error(name, exc, config)
                if missing is None:
                    raise
                raise missing from exc
        _BUILT[key] = model
        return model


def to_tensor(pixels: np.ndarray):
    """HxWx3 float pixels in [0, 1] as a 1x3xHxW float32 tensor."""
    import torch

    array = np.ascontiguousarray(np.clip(pixels[..., :3], 0.0, 1.0).transpose(2, 0, 1))
    return torch.from_numpy(array.astype(np.float32, copy=False))[None]


def _values(output: Any) -> list[float]:
    if isinstance(output, tuple | list):
        output = output[0]
    if hasattr(output, "detach"):
        tensor = output.detach().float().cpu()
        if tensor.dim() == 0:
            return [float(tensor)]
        return [float(v) for v in tensor.reshape(tensor.shape[0], -1)[:, 0]]
    return [float(output)]


def score_tensors(model: Any, targets, references=None) -> list[float]:
    """Scores of an N x 3 x H x W batch (against references of the same shape for FR)."""
    import torch

    with torch.inference_mode():
        output = model(targets) if references is None else model(targets, references)
    return _values(output)


def score_pixels(
    model: Any,
    targets: list[np.ndarray],
    references: list[np.ndarray] | None = None,
    *,
    batch: int = 8,
) -> list[float]:
    """Score images, batching those of equal size (and equal reference size)."""
    if hasattr(model, "score_images"):  # a VLM metric answers per image
        return [float(v) for v in model.score_images(targets, references)]
    import torch

    device = model.dummy_param.device if hasattr(model, "dummy_param") else torch.device("cpu")
    values: list[float | None] = [None] * len(targets)
    groups: dict[tuple, list[int]] = {}
    for index, pixels in enumerate(targets):
        ref_shape = references[index].shape if references is not None else None
        groups.setdefault((pixels.shape, ref_shape), []).append(index)
    for indices in groups.values():
        for start in range(0, len(indices), batch):
            chunk = indices[start : start + batch]
            x = torch.cat([to_tensor(targets[i]) for i in chunk]).to(device)
            r = None
            if references is not None:
                r = torch.cat([to_tensor(references[i]) for i in chunk]).to(device)
            for i, value in zip(chunk, score_tensors(model, x, r), strict=True):
                values[i] = value
    return [float(v) for v in values]  # type: ignore[arg-type]
