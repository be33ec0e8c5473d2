"""The status bar's note of the local models the compute worker holds, and their release.

Both read ``core.local_models.cache`` only when something loaded it: a window that never
ran a local model imports neither it nor torch for this.
"""

from __future__ import annotations

import sys


def _cache():
    return sys.modules.get("core.local_models.cache")


def loaded_models_note(device: str) -> tuple[str, str] | None:
    """('2 models loaded, 31.2 of 80 GiB GPU in use', one line per model) or None."""
    cache = _cache()
    models = cache.loaded_models() if cache is not None else []
    if not models:
        return None
    text = f"{len(models)} model{'s' if len(models) > 1 else ''} loaded"
    memory = cache.gpu_memory(device)
    if memory is not None:
        free, total = memory
        text += f", {(total - free) / 2**30:.1f} of {total / 2**30:.0f} GiB GPU in use"
    return text, "\n".join(f"{m.name} ({m.kind}, {m.device}, {m.dtype})" for m in models)


def release_models_job(*, progress, cancel) -> int:
    """Release every cached model on the compute thread (the one that owns the CUDA context)."""
    cache = _cache()
    return cache.release_models() if cache is not None else 0
