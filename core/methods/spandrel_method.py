"""The ``spandrel`` method: any restoration architecture spandrel loads, tiled, on CPU or CUDA.

Loaded models are cached per thread (the compute worker's thread owns them),
keyed by file, modification time, device and precision. On CUDA out-of-memory
the tile side is halved and the image started again.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import numpy as np

from core.errors import IrisError
from core.methods.base import Method, MethodOutput, Param, ParamError
from core.methods.model_files import describe, load_descriptor, resolve_model_path
from core.methods.tiling import MIN_TILE, auto_tile, run_tiled

CACHE_SIZE = 2
_local = threading.local()


def _cache() -> dict:
    if not hasattr(_local, "models"):
        _local.models = {}
    return _local.models


def clear_model_cache() -> None:
    """Forget the models this thread loaded (frees their memory)."""
    _cache().clear()


def choose_dtype(descriptor, device: str, precision: str):
    """The torch dtype to run in: fp16/bf16 on CUDA where the architecture supports it."""
    import torch

    if precision == "fp32":
        return torch.float32
    if precision == "auto":
        if not device.startswith("cuda"):
            return torch.float32
        if descriptor.supports_half:
            return torch.float16
        if descriptor.supports_bfloat16 and torch.cuda.is_bf16_supported():
            return torch.bfloat16
        return torch.float32
    if precision == "fp16":
        if not descriptor.supports_half:
            raise ParamError(f"{descriptor.architecture.name} does not support fp16")
        if not device.startswith("cuda"):
            raise ParamError("fp16 inference needs a CUDA device; use fp32 or bf16 on the CPU")
        return torch.float16
    if not descriptor.supports_bfloat16:
        raise ParamError(f"{descriptor.architecture.name} does not support bf16")
    return torch.bfloat16


def get_model(path: Path, device: str, precision: str):
    """The descriptor for ``path`` on ``device`` in the chosen dtype, loaded once per thread."""
    stat = path.stat()
    cache = _cache()
    key = (str(path), stat.st_mtime_ns, stat.st_size, device, precision)
    if key in cache:
        cache[key] = cache.pop(key)  # most recently used last
        return cache[key]
    descriptor = load_descriptor(path, device)
    dtype = choose_dtype(descriptor, device, precision)
    descriptor.to(dtype)
    while len(cache) >= CACHE_SIZE:
        cache.pop(next(iter(cache)))
    cache[key] = (descriptor, dtype)
    return cache[key]


def infer(
    descriptor, dtype, pixels: np.ndarray, *, tile: int, overlap: int, progress, cancel
) -> tuple[np.ndarray, int]:
    """Run the model over ``pixels``; returns the output and the tile side finally used."""
    import torch

    device = descriptor.device
    # Layout changes happen on the device: on a GPU the host-side copies cost more than the model.
    image = torch.from_numpy(np.ascontiguousarray(pixels)).to(device)
    image = image.permute(2, 0, 1)[None].contiguous()
    if descriptor.input_channels == 1:
        weights = torch.tensor([0.299, 0.587, 0.114], device=device).view(1, 3, 1, 1)
        image = (image * weights).sum(dim=1, keepdim=True)
    image = image.to(dtype=dtype)
    no_tiling = descriptor.tiling.name == "INTERNAL"
    side = max(image.shape[2:]) if no_tiling or tile <= 0 else tile
    while True:
        try:
            with torch.inference_mode():
                out = run_tiled(
                    descriptor,
                    image,
                    tile=side,
                    overlap=overlap,
                    scale=descriptor.scale,
                    out_channels=descriptor.output_channels,
                    progress=progress,
                    cancel=cancel,
                )
            break
        except torch.OutOfMemoryError as exc:
            if device.type == "cuda":
                torch.cuda.empty_cache()
            if side // 2 < MIN_TILE:
                raise IrisError(f"out of memory even with {side} px tiles") from exc
            side //= 2
    result = out[0].clamp(0, 1).float().permute(1, 2, 0).contiguous().cpu().numpy()
    if result.shape[2] == 1:
        result = np.repeat(result, 3, axis=2)
    return result, side


def run_spandrel(pixels, params, *, progress, cancel, context) -> MethodOutput:
    path = resolve_model_path(params["model"], context.extra.get("models_dir"))
    descriptor, dtype = get_model(path, context.device, params["precision"])
    tile = int(params["tile"]) or auto_tile(context.device, descriptor.scale)
    out, used = infer(
        descriptor, dtype, pixels, tile=tile, overlap=int(params["overlap"]),
        progress=progress, cancel=cancel,
    )  # fmt: skip
    meta: dict[str, Any] = {
        "model": describe(descriptor, path),
        "dtype": str(dtype).removeprefix("torch."),
        "tile": used,
        "overlap": int(params["overlap"]),
    }
    return MethodOutput(out, meta=meta)


def _instance_name(params: dict[str, Any]) -> str:
    return f"spandrel:{Path(params['model']).stem}" if params.get("model") else "spandrel"


SPANDREL = Method(
    name="spandrel",
    kind="model",
    title="PyTorch model (spandrel)",
    description="Any restoration or super-resolution model spandrel loads (.pth, .ckpt, "
    ".safetensors), tiled with blended seams.",
    targets="depends on the model",
    params=(
        Param("model", "path", "", "model file, or a file name in the models folder"),
        Param("tile", "int", 0, "tile side in pixels (0 = automatic)", 0, 8192),
        Param("overlap", "int", 32, "tile overlap in pixels", 0, 512),
        Param(
            "precision",
            "choice",
            "auto",
            "auto = fp16/bf16 on CUDA when supported",
            choices=("auto", "fp32", "fp16", "bf16"),
        ),
    ),  # fmt: skip
    run=run_spandrel,
    instance_name=_instance_name,
)
