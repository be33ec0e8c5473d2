"""The dtype a local model runs in: bf16/fp16 on CUDA, fp32 on the CPU unless asked otherwise."""

from __future__ import annotations

from core.methods.base import ParamError

DTYPES = ("auto", "bf16", "fp16", "fp32")


def torch_dtype(choice: str, device: str):
    """The torch dtype for ``choice`` on ``device``; fp16 on the CPU is refused (no kernels)."""
    import torch

    if choice not in DTYPES:
        raise ParamError(f"unknown dtype {choice!r}; known: {', '.join(DTYPES)}")
    cuda = device.startswith("cuda")
    if choice == "auto":
        if not cuda:
            return torch.float32
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    if choice == "fp16" and not cuda:
        raise ParamError("fp16 needs a CUDA device; use fp32 or bf16 on the CPU")
    return {"bf16": torch.bfloat16, "fp16": torch.float16, "fp32": torch.float32}[choice]


def dtype_name(dtype) -> str:
    return str(dtype).removeprefix("torch.")
