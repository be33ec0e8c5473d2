"""Loaded local models, kept between jobs in a least-recently-used cache bounded by GPU memory.

The compute worker's thread loads models; they stay loaded so the next job
starts at once. The cache holds at most ``IRIS_MODEL_CACHE`` bytes of weights
(default: 85% of the GPU's memory, or 2 models' worth on the CPU) and, before a
new model loads, releases the least recently used ones until it fits. The
About box and the status bar read :func:`loaded_models` and
:func:`gpu_memory` from the GUI thread: the list is a snapshot under a lock.
"""

from __future__ import annotations

import gc
import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from core.methods.memory import parse_size

BUDGET_ENV = "IRIS_MODEL_CACHE"
GPU_FRACTION = 0.85
CPU_ENTRIES = 2


@dataclass(frozen=True)
class LoadedModel:
    """One cached model as the About box lists it."""

    name: str
    kind: str  # "editor" or "vlm"
    device: str
    dtype: str
    bytes: int


@dataclass
class _Entry:
    value: Any
    info: LoadedModel


class ModelCache:
    """Key -> loaded model, least recently used first; evicts to stay under the budget."""

    def __init__(self) -> None:
        self._entries: OrderedDict[tuple, _Entry] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> Any | None:
        """The model under ``key`` (now the most recently used), or None."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            self._entries.move_to_end(key)
            return entry.value

    def load(self, key: tuple, loader: Callable[[], Any], info: LoadedModel) -> Any:
        """The model under ``key``, loaded by ``loader`` after making room for ``info.bytes``."""
        found = self.get(key)
        if found is not None:
            return found
        self.make_room(info.bytes, info.device)
        value = loader()
        with self._lock:
            self._entries[key] = _Entry(value, info)
        return value

    def make_room(self, need: int, device: str) -> None:
        """Release least recently used models until ``need`` more bytes fit the budget."""
        while True:
            with self._lock:
                if not self._entries:
                    return
                used = sum(e.info.bytes for e in self._entries.values())
                over_budget = used + need > budget_bytes(device)
                too_many = not device.startswith("cuda") and len(self._entries) >= CPU_ENTRIES
                if not over_budget and not too_many:
                    return
                self._entries.popitem(last=False)
            release_memory()

    def release(self, predicate: Callable[[tuple], bool] | None = None) -> int:
        """Forget every model (or those whose key matches); returns how many were released."""
        with self._lock:
            keys = [k for k in self._entries if predicate is None or predicate(k)]
            for key in keys:
                del self._entries[key]
        if keys:
            release_memory()
        return len(keys)

    def loaded(self) -> list[LoadedModel]:
        """What is loaded, least recently used first."""
        with self._lock:
            return [entry.info for entry in self._entries.values()]


CACHE = ModelCache()


def loaded_models() -> list[LoadedModel]:
    """The models the compute worker holds now."""
    return CACHE.loaded()


def release_models() -> int:
    """Release every local model (Settings' device switch calls this); returns how many."""
    return CACHE.release()


def release_memory() -> None:
    """Collect garbage and return cached CUDA blocks to the driver (when torch is loaded)."""
    gc.collect()
    import sys

    torch = sys.modules.get("torch")
    if torch is not None and torch.cuda.is_available():
        torch.cuda.empty_cache()


def gpu_memory(device: str = "cuda:0") -> tuple[int, int] | None:
    """(free, total) bytes of a CUDA device, or None without CUDA (torch never imported here)."""
    import sys

    torch = sys.modules.get("torch")
    if torch is None or not device.startswith("cuda") or not torch.cuda.is_available():
        return None
    free, total = torch.cuda.mem_get_info(torch.device(device))
    return int(free), int(total)


def budget_bytes(device: str) -> int:
    """How many bytes of weights the cache may hold on ``device``."""
    raw = os.environ.get(BUDGET_ENV, "")
    stated = parse_size(raw) if raw else None
    if stated:
        return stated
    memory = gpu_memory(device)
    if memory is None:
        return 2**62  # the CPU bound is the entry count (CPU_ENTRIES)
    return int(memory[1] * GPU_FRACTION)


def model_bytes(module: Any) -> int:
    """Parameter and buffer bytes of a torch module (or of a pipeline's modules)."""
    components = getattr(module, "components", None)
    modules = (
        [m for m in components.values() if hasattr(m, "parameters")] if components else [module]
    )
    total = 0
    for item in modules:
        for tensor in [*item.parameters(), *item.buffers()]:
            total += tensor.numel() * tensor.element_size()
    return total
