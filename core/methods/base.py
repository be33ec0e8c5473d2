"""What a method is: a name, a kind, typed parameters and a run function.

A :class:`Method` is plain data plus a function, so the CLI validates
``--param key=value`` strings, the GUI builds its form and ``iris methods
--json`` lists it from the same :class:`Param` specs. Run functions share one
signature::

    run(pixels, params, *, progress, cancel, context) -> MethodOutput

``pixels`` is canonical float32 RGB in [0, 1] (H, W, 3); ``params`` has been
validated and completed with defaults. A method that ends without an image for
a reason worth recording (a blocked prompt, a refused model) raises
:class:`MethodFailed`; the runner stores it as a failed result.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from core.errors import IrisError
from core.jobs import ProgressFn
from core.project.kinds import MethodKind, checked

PARAM_TYPES = ("int", "float", "bool", "choice", "str", "text", "path")


class ParamError(IrisError):
    """A parameter value is unknown, of the wrong type or out of range."""


class MethodFailed(IrisError):
    """A method ran but produced no usable image; ``reason`` is a short stable code.

    ``meta`` carries what is worth keeping anyway (finish reason, token usage,
    thought text, latency); the runner stores it with the failed result.
    """

    def __init__(self, reason: str, detail: str = "", meta: dict[str, Any] | None = None) -> None:
        self.reason = reason
        self.detail = detail
        self.meta = dict(meta or {})
        super().__init__(f"{reason}: {detail}" if detail else reason)


@dataclass(frozen=True)
class Param:
    """One parameter: its type, default and the values it accepts."""

    name: str
    type: str
    default: Any
    help: str = ""
    min: float | None = None
    max: float | None = None
    choices: tuple[str, ...] = ()
    step: float | None = None

    def __post_init__(self) -> None:
        if self.type not in PARAM_TYPES:
            raise ValueError(f"unknown parameter type {self.type!r}; known: {PARAM_TYPES}")
        if self.type == "choice" and not self.choices:
            raise ValueError(f"choice parameter {self.name!r} needs choices")

    def parse(self, raw: Any) -> Any:
        """Convert ``raw`` (a CLI string or a Python value) and check it; raises ParamError."""
        try:
            value = self._convert(raw)
        except (TypeError, ValueError, OverflowError) as exc:
            what = "finite number" if self.type == "float" else self.type
            raise ParamError(f"parameter {self.name!r}: {raw!r} is not a valid {what}") from exc
        if self.type in ("int", "float"):
            if self.min is not None and value < self.min:
                raise ParamError(
                    f"parameter {self.name!r}: {value} is below the minimum {self.min}"
                )
            if self.max is not None and value > self.max:
                raise ParamError(
                    f"parameter {self.name!r}: {value} is above the maximum {self.max}"
                )
        if self.type == "choice" and value not in self.choices:
            raise ParamError(
                f"parameter {self.name!r}: {value!r} is not one of {', '.join(self.choices)}"
            )
        return value

    def _convert(self, raw: Any) -> Any:
        if self.type in ("int", "float") and isinstance(raw, bool):
            raise ValueError(raw)
        if self.type == "int":
            if isinstance(raw, float) and not raw.is_integer():  # also NaN and infinity
                raise ValueError(raw)
            return int(str(raw).strip()) if isinstance(raw, str) else int(raw)
        if self.type == "float":
            value = float(raw)
            if not math.isfinite(value):  # NaN passes every range check; infinity overflows
                raise ValueError(raw)
            return value
        if self.type == "bool":
            if isinstance(raw, str):
                lowered = raw.strip().lower()
                if lowered in ("1", "true", "yes", "on"):
                    return True
                if lowered in ("0", "false", "no", "off"):
                    return False
                raise ValueError(raw)
            return bool(raw)
        return "" if raw is None else str(raw)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "type": self.type, "default": self.default}
        for key in ("min", "max", "step"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        if self.choices:
            out["choices"] = list(self.choices)
        if self.help:
            out["help"] = self.help
        return out


@dataclass
class MethodContext:
    """What the runner gives a method besides pixels: the device and where outputs go."""

    device: str = "cpu"
    project_dir: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class MethodOutput:
    """An output image and what the method reports about how it was made."""

    pixels: np.ndarray
    meta: dict[str, Any] = field(default_factory=dict)
    thoughts: str | None = None
    drafts: list[np.ndarray] = field(default_factory=list)
    encoded: bytes | None = None
    """The output file exactly as a remote service delivered it (stored instead of a re-encode)."""


RunFn = Callable[..., MethodOutput]


@dataclass(frozen=True)
class Method:
    """A named method with its parameter specs and run function."""

    name: str
    kind: str
    title: str
    description: str
    params: tuple[Param, ...]
    run: RunFn
    targets: str = ""
    needs_network: bool = False
    instance_name: Callable[[dict[str, Any]], str] | None = None
    """Name under which results are stored, from the parameters (``spandrel:<model>``)."""
    check: Callable[[dict[str, Any]], None] | None = None
    """Raises before a run starts when the method cannot run at all (no API key)."""

    def __post_init__(self) -> None:
        checked(MethodKind, self.kind, "method kind")  # a MethodKind; unknown kinds refused

    def stored_name(self, params: dict[str, Any]) -> str:
        return self.instance_name(params) if self.instance_name else self.name

    def param(self, name: str) -> Param:
        for spec in self.params:
            if spec.name == name:
                return spec
        known = ", ".join(p.name for p in self.params) or "(none)"
        raise ParamError(f"method {self.name!r} has no parameter {name!r}; known: {known}")

    def defaults(self) -> dict[str, Any]:
        return {p.name: p.default for p in self.params}

    def validate(self, values: dict[str, Any] | None = None) -> dict[str, Any]:
        """Defaults overlaid with ``values``, each parsed and range-checked."""
        out = self.defaults()
        for key, raw in (values or {}).items():
            out[key] = self.param(key).parse(raw)
        return out

    def prepare(self, values: dict[str, Any] | None = None) -> dict[str, Any]:
        """The pre-flight before a job starts: ``values`` validated, then :attr:`check` run.

        Runners, CLI and GUI all call this one step, so a method that cannot run
        (no API key, no model file) fails at once with its own error, before any
        image is read or any run row is written. Returns the validated values.
        """
        params = self.validate(values)
        if self.check is not None:
            self.check(params)
        return params

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "title": self.title,
            "description": self.description,
            "targets": self.targets,
            "needs_network": self.needs_network,
            "params": [p.as_dict() for p in self.params],
        }

    def __call__(
        self,
        pixels: np.ndarray,
        params: dict[str, Any] | None = None,
        *,
        progress: ProgressFn,
        cancel: threading.Event | None,
        context: MethodContext | None = None,
    ) -> MethodOutput:
        """Validate ``params`` and run; the shape of the result is checked here, once."""
        values = self.validate(params)
        output = self.run(
            np.ascontiguousarray(pixels, dtype=np.float32),
            values,
            progress=progress,
            cancel=cancel,
            context=context or MethodContext(),
        )
        out = np.asarray(output.pixels, dtype=np.float32)
        if out.ndim != 3 or out.shape[2] != 3:
            raise IrisError(f"method {self.name!r} returned pixels of shape {out.shape}")
        output.pixels = np.clip(out, 0.0, 1.0)
        return output


def parse_param_strings(items: list[str] | None) -> dict[str, str]:
    """``["key=value", ...]`` from the command line into a dict (values still strings)."""
    values: dict[str, str] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ParamError(f"--param {item!r}: expected key=value")
        values[key.strip()] = value
    return values
