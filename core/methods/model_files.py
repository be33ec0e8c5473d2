"""Loading restoration model files safely through spandrel, and describing what they are.

Only ``.pth``, ``.ckpt`` and ``.safetensors`` are accepted. Pickle-based files
are read with ``torch.load(weights_only=True)``, torch's restricted unpickler,
which refuses any global that is not a tensor or a plain container, so a
planted payload is reported and never run. ``.pt`` files are refused outright:
spandrel would hand them to TorchScript, which executes code from the file.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from core.errors import IrisError

MODEL_SUFFIXES = (".pth", ".ckpt", ".safetensors")
REFUSED_SUFFIXES = {
    ".pt": "TorchScript/.pt files can execute code when loaded; convert the weights to "
    ".safetensors or a plain .pth state dict",
    ".bin": "unknown .bin container; convert the weights to .safetensors",
    ".onnx": "ONNX models are not supported; use a PyTorch .pth or .safetensors file",
}


class ModelRefused(IrisError):
    """A model file was not loaded; the message says which file and why."""

    def __init__(self, path: str | Path, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{path}: model refused ({reason})")


def default_models_dir() -> Path:
    """The models folder the settings default to (``<user data>/weights``)."""
    from core.sample_project import user_data_dir

    return user_data_dir() / "weights"


def list_model_files(folder: str | Path | None) -> list[dict[str, Any]]:
    """Model files in ``folder`` (recursive, sorted): path, size and whether IRIS can load them."""
    if not folder or not Path(folder).is_dir():
        return []
    found = []
    for path in sorted(Path(folder).rglob("*")):
        suffix = path.suffix.lower()
        if not path.is_file() or (suffix not in MODEL_SUFFIXES and suffix not in REFUSED_SUFFIXES):
            continue
        entry = {"path": str(path), "name": path.name, "bytes": path.stat().st_size}
        entry["refused"] = REFUSED_SUFFIXES.get(suffix)
        found.append(entry)
    return found


def resolve_model_path(model: str, models_dir: str | Path | None = None) -> Path:
    """``model`` as a path, or a file name looked up in the models folder."""
    if not model:
        raise IrisError("the spandrel method needs a model file (--model FILE)")
    path = Path(model).expanduser()
    if path.is_file():
        return path.resolve()
    folder = Path(models_dir) if models_dir else default_models_dir()
    for candidate in (folder / model, *folder.rglob(model)) if folder.is_dir() else ():
        if candidate.is_file():
            return candidate.resolve()
    raise IrisError(f"{model}: no such model file (looked in the current folder and {folder})")


def load_state_dict(path: str | Path) -> dict[str, Any]:
    """The tensors of a model file, without running anything stored in it."""
    import torch

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in REFUSED_SUFFIXES:
        raise ModelRefused(path, REFUSED_SUFFIXES[suffix])
    if suffix not in MODEL_SUFFIXES:
        raise ModelRefused(path, f"unknown model file type {suffix or '(none)'}")
    if not path.is_file():
        raise ModelRefused(path, "no such file")
    if suffix == ".safetensors":
        from safetensors.torch import load_file

        try:
            return dict(load_file(str(path), device="cpu"))
        except Exception as exc:  # safetensors raises its own error types
            raise ModelRefused(path, f"not a valid safetensors file: {exc}") from exc
    try:
        loaded = torch.load(str(path), map_location="cpu", weights_only=True)
    except Exception as exc:  # UnpicklingError, RuntimeError, EOFError...
        text = str(exc).strip()
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        code = next((line for line in lines if "GLOBAL" in line or "global" in line), None)
        if code:
            raise ModelRefused(path, f"safe loading failed, the file holds code: {code}") from exc
        raise ModelRefused(
            path, f"safe loading failed: {lines[0] if lines else type(exc).__name__}"
        ) from exc
    if not isinstance(loaded, dict):
        raise ModelRefused(path, f"expected a state dict, found {type(loaded).__name__}")
    return loaded


def load_descriptor(path: str | Path, device: str = "cpu"):
    """A spandrel ImageModelDescriptor for ``path`` on ``device`` (eval mode)."""
    from spandrel import (
        ImageModelDescriptor,
        ModelLoader,
        UnsupportedModelError,
        canonicalize_state_dict,
    )

    state = canonicalize_state_dict(load_state_dict(path))
    try:
        descriptor = ModelLoader("cpu").load_from_state_dict(state)
    except UnsupportedModelError as exc:
        raise ModelRefused(path, "spandrel does not recognise this architecture") from exc
    except (KeyError, ValueError, RuntimeError, AssertionError) as exc:
        raise ModelRefused(path, f"spandrel could not build the model: {exc}") from exc
    if not isinstance(descriptor, ImageModelDescriptor):
        raise ModelRefused(path, f"{descriptor.purpose} models (with masks) are not restorers")
    if descriptor.input_channels not in (1, 3) or descriptor.output_channels not in (1, 3):
        raise ModelRefused(
            path,
            f"{descriptor.input_channels}->{descriptor.output_channels} channels; "
            "IRIS runs 1- or 3-channel models",
        )
    return descriptor.to(device).eval()


def describe(descriptor, path: str | Path | None = None) -> dict[str, Any]:
    """What a user should see about a model: architecture, scale, purpose, precisions."""
    info = {
        "architecture": descriptor.architecture.name,
        "architecture_id": str(descriptor.architecture.id),
        "purpose": descriptor.purpose,
        "scale": int(descriptor.scale),
        "input_channels": int(descriptor.input_channels),
        "output_channels": int(descriptor.output_channels),
        "supports_half": bool(descriptor.supports_half),
        "supports_bfloat16": bool(descriptor.supports_bfloat16),
        "tiling": descriptor.tiling.name.lower(),
        "tags": list(descriptor.tags),
        "parameters": int(sum(p.numel() for p in descriptor.model.parameters())),
    }
    if path is not None:
        path = Path(path)
        info["file"] = path.name
        info["file_bytes"] = os.path.getsize(path)
    return info
