"""Choosing the compute device: ``auto`` (CUDA when present, else CPU), ``cpu`` or ``cuda[:N]``.

torch is imported only when a device is resolved, on the compute thread, never
at startup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DEVICE_CHOICES = ("auto", "cpu", "cuda")


@dataclass(frozen=True)
class DeviceInfo:
    """The device jobs run on, as a torch device string and a human label."""

    name: str
    label: str
    cuda_available: bool


def resolve_device(choice: str = "auto") -> DeviceInfo:
    """Turn a setting into a concrete device; asking for CUDA without one falls back to CPU."""
    if choice not in ("auto", "cpu") and not re.fullmatch(r"cuda(:[0-9]{1,3})?", choice):
        raise ValueError(f"unknown device {choice!r}; known: {', '.join(DEVICE_CHOICES)} or cuda:N")
    import torch

    cuda = torch.cuda.is_available()
    if choice == "cpu" or not cuda:
        label = "CPU" if choice != "cuda" or cuda else "CPU (no CUDA device found)"
        return DeviceInfo("cpu", f"{label}, {torch.get_num_threads()} threads", cuda)
    name = "cuda:0" if choice in ("auto", "cuda") else choice
    index = int(name.split(":")[1])
    if index >= torch.cuda.device_count():
        raise ValueError(
            f"no CUDA device {index}: this machine has {torch.cuda.device_count()} "
            f"(cuda:0 to cuda:{torch.cuda.device_count() - 1})"
        )
    return DeviceInfo(name, f"CUDA {index}: {torch.cuda.get_device_name(index)}", cuda)
