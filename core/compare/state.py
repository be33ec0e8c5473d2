"""What the compare view remembers per project: images, layout, mode, crop, camera, offsets."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

from core.compare.difference import DIFF_MODES

MODES = ("side", "swipe", "difference")
LAYOUTS = ("auto", "rows", "columns")
MAX_VIEWS = 8


@dataclass
class CompareState:
    """Plain settings of the compare view (the camera and images are kept beside them)."""

    mode: str = "side"
    layout: str = "auto"  # auto grid, one row ("rows" = side by side), or one column
    grid_columns: int = 0  # 0: automatic
    reference: int = 0  # view index the difference and flicker use
    diff_mode: str = "absolute"
    diff_scale: float = 1.0
    exposure: float = 0.0
    black: float = 0.0
    white: float = 1.0
    swipe_a: int = 0
    swipe_b: int = 1
    swipe_position: float = 0.5  # fraction of the view's width (or height)
    swipe_vertical: bool = True  # a vertical divider (A left, B right)
    pixel_values: bool = True  # draw values inside pixels at high zoom
    crop: list[int] | None = None  # x, y, w, h in frame pixels
    figure_scale: float = 4.0
    figure_full: bool = True
    offsets: list[list[float]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> CompareState:
        """Read a saved state, keeping defaults for anything missing or invalid."""
        state = cls()
        if not data:
            return state
        for f in fields(cls):
            if f.name not in data:
                continue
            try:
                value = _coerce(f.name, getattr(state, f.name), data[f.name])
            except (TypeError, ValueError):
                continue
            setattr(state, f.name, value)
        if state.mode not in MODES:
            state.mode = "side"
        if state.layout not in LAYOUTS:
            state.layout = "auto"
        if state.diff_mode not in DIFF_MODES:
            state.diff_mode = "absolute"
        if state.white <= state.black:
            state.black, state.white = 0.0, 1.0
        state.diff_scale = max(state.diff_scale, 1e-3)
        state.swipe_position = min(max(state.swipe_position, 0.0), 1.0)
        return state

    def offset(self, index: int) -> tuple[float, float]:
        if index < len(self.offsets):
            dx, dy = self.offsets[index]
            return float(dx), float(dy)
        return 0.0, 0.0

    def set_offset(self, index: int, dx: float, dy: float) -> None:
        while len(self.offsets) <= index:
            self.offsets.append([0.0, 0.0])
        self.offsets[index] = [float(dx), float(dy)]


def _coerce(name: str, default: Any, value: Any) -> Any:
    """``value`` converted to the type of the field's default; raises on nonsense."""
    if name == "crop":
        if not value:
            return None
        crop = [int(v) for v in value]
        if len(crop) != 4 or crop[2] < 1 or crop[3] < 1:
            raise ValueError(f"bad crop {value!r}")
        return crop
    if name == "offsets":
        return [[float(a), float(b)] for a, b in value]
    if isinstance(default, bool):
        return bool(value)
    if isinstance(default, int):
        return int(value)
    if isinstance(default, float):
        return float(value)
    return str(value)


def grid_shape(count: int, layout: str = "auto", columns: int = 0) -> tuple[int, int]:
    """(rows, columns) of the grid for ``count`` views."""
    count = max(1, count)
    if layout == "rows":
        return 1, count
    if layout == "columns":
        return count, 1
    if columns > 0:
        cols = min(columns, count)
    else:
        cols = {1: 1, 2: 2, 3: 3, 4: 2, 5: 3, 6: 3, 7: 4, 8: 4}.get(count, 4)
    return (count + cols - 1) // cols, cols
