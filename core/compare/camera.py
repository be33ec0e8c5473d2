"""One camera shared by every compare view, in normalized image coordinates.

A point ``(u, v)`` in [0, 1]^2 is the same place in every image whatever its
size: pixel ``x`` of an image ``w`` pixels wide covers ``u`` in
``[(x + dx) / w, (x + dx + 1) / w)`` where ``dx`` is that view's offset (in
its own pixels; a user nudges it when an editor shifted or cropped the
content). So pixel ``(2x, 2y)`` of a x2 output lies inside pixel ``(x, y)`` of
its input. The camera stores the normalized point at the centre of every view
and ``zoom``, the screen pixels per pixel of the *frame* (the first image).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

MIN_ZOOM = 1e-3
MAX_ZOOM = 512.0


def _mid(extent: float) -> float:
    """A view's centre line, on a whole pixel so views one pixel apart in size stay aligned."""
    return float(math.floor(extent / 2.0))


@dataclass(frozen=True)
class Affine:
    """``screen = a * image + b`` on each axis (no rotation, no shear)."""

    ax: float
    bx: float
    ay: float
    by: float

    def to_screen(self, x: float, y: float) -> tuple[float, float]:
        return self.ax * x + self.bx, self.ay * y + self.by

    def to_image(self, sx: float, sy: float) -> tuple[float, float]:
        return (sx - self.bx) / self.ax, (sy - self.by) / self.ay


@dataclass
class Camera:
    """Centre (normalized) and zoom (screen px per frame px) shared by all views."""

    frame_width: int = 1
    frame_height: int = 1
    center_u: float = 0.5
    center_v: float = 0.5
    zoom: float = 1.0

    # -- mappings ----------------------------------------------------------------

    def placement(
        self,
        image_size: tuple[int, int],
        offset: tuple[float, float],
        view_size: tuple[float, float],
    ) -> Affine:
        """The image-pixel -> screen-pixel map of one view (image ``(w, h)``, offset in its px)."""
        w, h = image_size
        dx, dy = offset
        vw, vh = view_size
        span_x = self.zoom * self.frame_width
        span_y = self.zoom * self.frame_height
        return Affine(
            ax=span_x / w,
            bx=(dx / w - self.center_u) * span_x + _mid(vw),
            ay=span_y / h,
            by=(dy / h - self.center_v) * span_y + _mid(vh),
        )

    def screen_to_normalized(
        self, sx: float, sy: float, view_size: tuple[float, float]
    ) -> tuple[float, float]:
        vw, vh = view_size
        u = self.center_u + (sx - _mid(vw)) / (self.zoom * self.frame_width)
        v = self.center_v + (sy - _mid(vh)) / (self.zoom * self.frame_height)
        return u, v

    def image_scale(self, image_width: int) -> float:
        """Screen pixels per pixel of an image ``image_width`` wide."""
        return self.zoom * self.frame_width / image_width

    # -- moves -------------------------------------------------------------------

    def set_zoom(self, zoom: float) -> None:
        self.zoom = min(MAX_ZOOM, max(MIN_ZOOM, float(zoom)))

    def zoom_about(
        self, factor: float, sx: float, sy: float, view_size: tuple[float, float]
    ) -> None:
        """Zoom by ``factor`` keeping the point under screen ``(sx, sy)`` where it is."""
        u, v = self.screen_to_normalized(sx, sy, view_size)
        self.set_zoom(self.zoom * factor)
        vw, vh = view_size
        self.center_u = u - (sx - _mid(vw)) / (self.zoom * self.frame_width)
        self.center_v = v - (sy - _mid(vh)) / (self.zoom * self.frame_height)

    def pan(self, dx_screen: float, dy_screen: float) -> None:
        """Move the content by a screen-pixel drag."""
        self.center_u -= dx_screen / (self.zoom * self.frame_width)
        self.center_v -= dy_screen / (self.zoom * self.frame_height)

    def fit(self, view_size: tuple[float, float], margin: float = 0.0) -> None:
        """Show the whole frame, centred, in a view of ``view_size``."""
        vw, vh = view_size
        usable_w, usable_h = max(vw - 2 * margin, 1.0), max(vh - 2 * margin, 1.0)
        self.set_zoom(min(usable_w / self.frame_width, usable_h / self.frame_height))
        self.center_u = self.center_v = 0.5

    def actual_size(self, image_width: int) -> None:
        """Zoom so that an image ``image_width`` wide is shown at one screen px per pixel."""
        self.set_zoom(image_width / self.frame_width)

    def snap_center(self, view_size: tuple[float, float]) -> None:
        """Nudge the centre so the frame's top-left corner lands on a whole screen pixel."""
        vw, vh = view_size
        span_x, span_y = self.zoom * self.frame_width, self.zoom * self.frame_height
        left = math.floor(_mid(vw) - self.center_u * span_x + 0.5)
        top = math.floor(_mid(vh) - self.center_v * span_y + 0.5)
        self.center_u = (_mid(vw) - left) / span_x
        self.center_v = (_mid(vh) - top) / span_y

    # -- persistence -------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        return {"center_u": self.center_u, "center_v": self.center_v, "zoom": self.zoom}

    def update_from(self, state: dict[str, Any]) -> None:
        self.center_u = float(state.get("center_u", self.center_u))
        self.center_v = float(state.get("center_v", self.center_v))
        self.set_zoom(float(state.get("zoom", self.zoom)))
