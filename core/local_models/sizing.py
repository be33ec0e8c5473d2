"""The output size of an edit: the input's, or a longest side of 1K/2K/4K, on the model's grid."""

from __future__ import annotations

from core.methods.base import ParamError

SIZE_POLICIES = ("input", "1K", "2K", "4K")
_SIDES = {"1K": 1024, "2K": 2048, "4K": 4096}


def output_size(width: int, height: int, policy: str, multiple: int) -> tuple[int, int]:
    """(width, height) for ``policy``: aspect ratio kept, each side a multiple of ``multiple``."""
    if policy not in SIZE_POLICIES:
        raise ParamError(f"unknown image_size {policy!r}; known: {', '.join(SIZE_POLICIES)}")
    if width < 1 or height < 1:
        raise ParamError(f"cannot size an edit of a {width}x{height} image")
    scale = 1.0 if policy == "input" else _SIDES[policy] / max(width, height)
    multiple = max(1, int(multiple))

    def snap(side: float) -> int:
        return max(multiple, int(side / multiple + 0.5) * multiple)  # half up, not to even

    return snap(width * scale), snap(height * scale)
