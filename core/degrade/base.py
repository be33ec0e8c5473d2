"""What a degradation is: a function plus parameters whose values follow a severity 1-5.

A :class:`Degradation` is described by data (:class:`Param` specs), so the CLI's
``--list --json``, the Degrade dialog's form and recipe validation all read the
same description. Each parameter either has one default or five ``levels``, one
per severity; a user override replaces the severity's value for that parameter.

Every degradation takes and returns canonical float32 RGB (H, W, 3) in [0, 1] of
the same size (resizing kinds scale back up), so the clean image stays the
pixel-aligned ground truth for full-reference metrics. Randomness comes only
from the ``numpy.random.Generator`` handed in, never from global state.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from core.errors import IrisError

SEVERITIES = (1, 2, 3, 4, 5)
PARAM_TYPES = ("float", "int", "choice", "path")  # path: a file name, or a keyword

# fn(pixels, rng, params, inputs) -> pixels; ``inputs`` holds optional arrays
# (a depth map for haze, a second image for reflection) that are not JSON.
DegradeFn = Callable[
    [np.ndarray, np.random.Generator, dict[str, Any], Mapping[str, Any]], np.ndarray
]


class DegradationError(IrisError):
    """A degradation, its parameters or a recipe is invalid."""


@dataclass(frozen=True)
class Param:
    """One parameter of a degradation: its type, range and value per severity."""

    name: str
    type: str
    help: str
    levels: tuple[Any, ...] | None = None
    default: Any = None
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    unit: str = ""

    def __post_init__(self) -> None:
        if self.type not in PARAM_TYPES:
            raise ValueError(f"parameter {self.name!r}: unknown type {self.type!r}")
        if self.levels is not None and len(self.levels) != len(SEVERITIES):
            raise ValueError(f"parameter {self.name!r}: needs {len(SEVERITIES)} levels")
        if self.levels is None and self.default is None:
            raise ValueError(f"parameter {self.name!r}: needs levels or a default")

    def value_at(self, severity: int) -> Any:
        """The parameter's value at ``severity`` (1-5) when the user does not override it."""
        return self.levels[severity - 1] if self.levels is not None else self.default

    def coerce(self, value: Any, kind: str) -> Any:
        """``value`` checked against type and range; raises :class:`DegradationError`."""
        where = f"{kind}.{self.name}"
        if self.type in ("float", "int"):
            if isinstance(value, bool):
                raise DegradationError(f"{where}: expected a number, got {value!r}")
            try:
                number = float(value)
            except (TypeError, ValueError, OverflowError):
                raise DegradationError(f"{where}: expected a number, got {value!r}") from None
            if not np.isfinite(number):
                raise DegradationError(f"{where}: expected a finite number, got {value!r}")
            if self.type == "int":
                if number != int(number):
                    raise DegradationError(f"{where}: expected a whole number, got {value!r}")
                number = int(number)
            if self.minimum is not None and number < self.minimum:
                raise DegradationError(f"{where}: {number} is below the minimum {self.minimum}")
            if self.maximum is not None and number > self.maximum:
                raise DegradationError(f"{where}: {number} is above the maximum {self.maximum}")
            return number
        if self.type == "choice":
            if value not in self.choices:
                raise DegradationError(
                    f"{where}: {value!r} is not one of {', '.join(map(repr, self.choices))}"
                )
            return value
        if not isinstance(value, str):
            raise DegradationError(f"{where}: expected text, got {value!r}")
        return value

    def describe(self) -> dict[str, Any]:
        """A JSON-ready description (``iris degrade --list --json``, the dialog's form)."""
        out: dict[str, Any] = {"name": self.name, "type": self.type, "help": self.help}
        if self.levels is not None:
            out["levels"] = list(self.levels)
        else:
            out["default"] = self.default
        if self.minimum is not None:
            out["min"] = self.minimum
        if self.maximum is not None:
            out["max"] = self.maximum
        if self.choices:
            out["choices"] = list(self.choices)
        if self.unit:
            out["unit"] = self.unit
        return out


@dataclass(frozen=True)
class Degradation:
    """A named degradation: its family, what it simulates, its parameters and its function."""

    name: str
    family: str
    title: str
    summary: str
    params: tuple[Param, ...]
    fn: DegradeFn = field(repr=False)

    def param(self, name: str) -> Param:
        for param in self.params:
            if param.name == name:
                return param
        known = ", ".join(p.name for p in self.params) or "(none)"
        raise DegradationError(f"{self.name}: unknown parameter {name!r}; known: {known}")

    def resolve(self, severity: int, overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Every parameter's value at ``severity`` with ``overrides`` applied and checked."""
        check_severity(severity, self.name)
        overrides = dict(overrides or {})
        for name in overrides:
            self.param(name)
        return {
            p.name: p.coerce(
                overrides[p.name] if p.name in overrides else p.value_at(severity), self.name
            )
            for p in self.params
        }

    def apply(
        self,
        pixels: np.ndarray,
        rng: np.random.Generator,
        params: Mapping[str, Any],
        inputs: Mapping[str, Any] | None = None,
    ) -> np.ndarray:
        """Run the degradation on canonical pixels; the result is float32, clipped, same size."""
        check_pixels(pixels, self.name)
        out = self.fn(pixels.astype(np.float32, copy=False), rng, dict(params), inputs or {})
        if out.shape != pixels.shape:
            raise DegradationError(
                f"{self.name}: returned shape {out.shape}, expected {pixels.shape}"
            )
        return np.clip(out, 0.0, 1.0).astype(np.float32, copy=False)

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "family": self.family,
            "title": self.title,
            "summary": self.summary,
            "severities": list(SEVERITIES),
            "params": [p.describe() for p in self.params],
        }


def check_severity(severity: Any, kind: str) -> int:
    if isinstance(severity, bool) or not isinstance(severity, int | np.integer):
        raise DegradationError(f"{kind}: severity must be a whole number 1-5, got {severity!r}")
    if int(severity) not in SEVERITIES:
        raise DegradationError(f"{kind}: severity must be 1-5, got {severity}")
    return int(severity)


def check_pixels(pixels: np.ndarray, kind: str) -> None:
    if not isinstance(pixels, np.ndarray) or pixels.ndim != 3 or pixels.shape[2] != 3:
        shape = getattr(pixels, "shape", type(pixels).__name__)
        raise DegradationError(f"{kind}: expected (H, W, 3) RGB pixels, got {shape}")
    if pixels.shape[0] < 2 or pixels.shape[1] < 2:
        raise DegradationError(f"{kind}: image of {pixels.shape[1]}x{pixels.shape[0]} is too small")


def luminance(pixels: np.ndarray) -> np.ndarray:
    """Rec. 709 luma of canonical pixels, (H, W) float32."""
    return (pixels @ np.array([0.2126, 0.7152, 0.0722], np.float32)).astype(np.float32)
