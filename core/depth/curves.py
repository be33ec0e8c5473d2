"""Depth <-> path parameter f in [0, 1]: the Vision Banana power curve and two range modes."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from core.depth.defaults import DEFAULT_LAMBDA, DEFAULT_RANGE_MODE, DEFAULT_SCALE, RANGE_MODES
from core.errors import IrisError

__all__ = ["DEFAULT_LAMBDA", "DEFAULT_SCALE", "RANGE_MODES"]


@dataclass(frozen=True)
class PowerCurve:
    """f(d) = 1 - (1 - d / (lambda c))^(lambda + 1); lambda < -1 reaches f = 1 at infinity.

    lambda > 0 is also a valid curve, ending at the finite depth lambda * c. An infinite
    lambda or c is refused: it maps every depth to one parameter.
    """

    curve_lambda: float = DEFAULT_LAMBDA
    curve_scale: float = DEFAULT_SCALE

    def __post_init__(self) -> None:
        lam, c = self.curve_lambda, self.curve_scale
        finite = math.isfinite(lam) and math.isfinite(c)
        if not (finite and c > 0 and (lam < -1 or lam > 0)):
            raise IrisError(
                f"depth curve needs a finite c > 0 and lambda < -1 or > 0 (got lambda={lam}, c={c})"
            )

    @property
    def far(self) -> float:
        lam = self.curve_lambda
        return float("inf") if lam < -1 else lam * self.curve_scale

    def to_f(self, depth: np.ndarray) -> np.ndarray:
        lam, c = self.curve_lambda, self.curve_scale
        d = np.clip(np.asarray(depth, dtype=np.float64), 0.0, self.far)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            f = 1.0 - np.power(1.0 - d / (lam * c), lam + 1.0)
        return np.where(np.isposinf(d), 1.0, f)

    def to_depth(self, f: np.ndarray) -> np.ndarray:
        lam, c = self.curve_lambda, self.curve_scale
        f = np.clip(np.asarray(f, dtype=np.float64), 0.0, 1.0)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            d = lam * c * (1.0 - np.power(1.0 - f, 1.0 / (lam + 1.0)))
        return np.where(f >= 1.0, self.far, d)


@dataclass(frozen=True)
class LinearRange:
    """f = (d - near) / (far - near)."""

    near: float
    far: float

    def __post_init__(self) -> None:
        if not (0 <= self.near < self.far < float("inf")):
            raise IrisError(f"range needs 0 <= near < far (got near={self.near}, far={self.far})")

    def to_f(self, depth: np.ndarray) -> np.ndarray:
        return np.clip((np.asarray(depth, np.float64) - self.near) / (self.far - self.near), 0, 1)

    def to_depth(self, f: np.ndarray) -> np.ndarray:
        return self.near + np.clip(np.asarray(f, np.float64), 0, 1) * (self.far - self.near)


@dataclass(frozen=True)
class InverseRange:
    """Inverse depth linear in f: f = (1/near - 1/d) / (1/near - 1/far)."""

    near: float
    far: float

    def __post_init__(self) -> None:
        if not (0 < self.near < self.far < float("inf")):
            raise IrisError(f"inverse range needs 0 < near < far (got {self.near}, {self.far})")

    def to_f(self, depth: np.ndarray) -> np.ndarray:
        d = np.clip(np.asarray(depth, np.float64), self.near, self.far)
        return (1 / self.near - 1 / d) / (1 / self.near - 1 / self.far)

    def to_depth(self, f: np.ndarray) -> np.ndarray:
        f = np.clip(np.asarray(f, np.float64), 0, 1)
        return 1.0 / (1 / self.near - f * (1 / self.near - 1 / self.far))


def make_curve(
    mode: str = DEFAULT_RANGE_MODE,
    *,
    curve_lambda: float = DEFAULT_LAMBDA,
    curve_scale: float = DEFAULT_SCALE,
    near: float | None = None,
    far: float | None = None,
):
    """The depth curve for a range ``mode`` (curve, linear, inverse)."""
    if mode == "curve":
        return PowerCurve(float(curve_lambda), float(curve_scale))
    if mode not in RANGE_MODES:
        raise IrisError(f"unknown range mode {mode!r}; known: {', '.join(RANGE_MODES)}")
    if near is None or far is None:
        raise IrisError(f"range mode {mode!r} needs --near and --far (metres)")
    return (LinearRange if mode == "linear" else InverseRange)(float(near), float(far))
