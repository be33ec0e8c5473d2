"""Recipes: chains of degradation steps, saved as JSON, applied reproducibly from a seed.

A recipe file looks like::

    {"format": "iris-degradation-recipe", "version": 1, "name": "hazy web photo",
     "steps": [{"kind": "haze", "severity": 3, "params": {"depth": "gradient"}},
               {"kind": "jpeg", "severity": 2, "params": {}}]}

``params`` holds overrides only; :meth:`Recipe.resolved` writes every value out,
which is what IRIS stores beside each degraded image so the image can be
remade even if a later IRIS changes its severity tables.

Determinism: step ``i`` draws from ``default_rng(SeedSequence(seed).spawn(n)[i])``
(the i-th child depends only on the seed and ``i``), never from global state,
so the same pixels, recipe and seed give the same float result and the same
PNG bytes.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from core.degrade.base import DegradationError, check_severity
from core.degrade.registry import DEGRADATIONS, get_degradation
from core.errors import RegistryError
from core.jobs import ProgressFn, check_cancelled, no_progress

# A recipe is a few steps of parameters; anything larger is not one.
RECIPE_FILE_BYTES = 1024 * 1024

RECIPE_FORMAT = "iris-degradation-recipe"
RECIPE_VERSION = 1
MAX_SEED = 2**63 - 1


@dataclass(frozen=True)
class Step:
    """One degradation of a chain: its kind, severity 1-5 and parameter overrides."""

    kind: str
    severity: int = 3
    params: Mapping[str, Any] = field(default_factory=dict)

    def resolved_params(self) -> dict[str, Any]:
        """Every parameter's value (severity table plus overrides), checked."""
        return get_degradation(self.kind).resolve(self.severity, self.params)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "severity": self.severity, "params": dict(self.params)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], where: str = "step") -> Step:
        if not isinstance(data, Mapping):
            raise DegradationError(f"{where}: expected an object, got {type(data).__name__}")
        unknown = set(data) - {"kind", "severity", "params"}
        if unknown:
            raise DegradationError(f"{where}: unknown keys {', '.join(sorted(unknown))}")
        if "kind" not in data:
            raise DegradationError(f"{where}: missing 'kind'")
        try:
            kind = DEGRADATIONS.get_name(str(data["kind"]))
        except RegistryError as exc:
            raise DegradationError(f"{where}: {exc}") from None
        params = data.get("params") or {}
        if not isinstance(params, Mapping):
            raise DegradationError(f"{where}: 'params' must be an object")
        return cls(kind, check_severity(data.get("severity", 3), kind), dict(params))


@dataclass(frozen=True)
class Recipe:
    """An ordered chain of steps with an optional name."""

    steps: Sequence[Step]
    name: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "steps", tuple(self.steps))

    @classmethod
    def single(cls, kind: str, severity: int = 3, **params: Any) -> Recipe:
        return cls([Step(kind, severity, params)])

    def validate(self) -> Recipe:
        """Raise :class:`DegradationError` unless every step names a kind with valid values."""
        if not self.steps:
            raise DegradationError("recipe has no steps")
        for step in self.steps:
            step.resolved_params()
        return self

    def resolved(self) -> Recipe:
        """The same recipe with every parameter written out (what a project stores)."""
        return Recipe(
            [Step(s.kind, s.severity, s.resolved_params()) for s in self.steps], self.name
        )

    def label(self) -> str:
        """Short human text, e.g. ``haze 3 + jpeg 2``."""
        return self.name or " + ".join(f"{s.kind} {s.severity}" for s in self.steps)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"format": RECIPE_FORMAT, "version": RECIPE_VERSION}
        if self.name:
            out["name"] = self.name
        out["steps"] = [step.to_dict() for step in self.steps]
        return out

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, sort_keys=False) + "\n"

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], where: str = "recipe") -> Recipe:
        if not isinstance(data, Mapping):
            raise DegradationError(f"{where}: expected a JSON object, got {type(data).__name__}")
        if data.get("format", RECIPE_FORMAT) != RECIPE_FORMAT:
            raise DegradationError(
                f"{where}: not an IRIS degradation recipe ({data.get('format')!r})"
            )
        version = data.get("version", RECIPE_VERSION)
        if not isinstance(version, int) or version > RECIPE_VERSION:
            raise DegradationError(
                f"{where}: recipe version {version!r} is newer than this IRIS reads ({RECIPE_VERSION})"
            )
        steps = data.get("steps")
        if not isinstance(steps, list):
            raise DegradationError(f"{where}: 'steps' must be a list")
        recipe = cls(
            [Step.from_dict(s, f"{where} step {i + 1}") for i, s in enumerate(steps)],
            str(data.get("name", "")),
        )
        return recipe.validate()

    @classmethod
    def from_json(cls, text: str, where: str = "recipe") -> Recipe:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise DegradationError(f"{where}: not valid JSON ({exc})") from exc
        except RecursionError:
            raise DegradationError(f"{where}: JSON nested too deeply") from None
        return cls.from_dict(data, where)

    @classmethod
    def load(cls, path: str | Path) -> Recipe:
        from core.files import FileReadError, decode_text, read_bounded

        path = Path(path)
        try:
            text = decode_text(read_bounded(path, RECIPE_FILE_BYTES), str(path))
        except FileReadError as exc:
            raise DegradationError(f"cannot read the recipe: {exc}") from exc
        return cls.from_json(text, str(path))

    def save(self, path: str | Path) -> None:
        from core.files import write_atomic

        write_atomic(path, self.to_json().encode("utf-8"))


def check_seed(seed: Any) -> int:
    if (
        isinstance(seed, bool)
        or not isinstance(seed, int | np.integer)
        or not 0 <= seed <= MAX_SEED
    ):
        raise DegradationError(f"seed must be a whole number from 0 to {MAX_SEED}, got {seed!r}")
    return int(seed)


def step_rngs(seed: int, count: int) -> list[np.random.Generator]:
    """One independent generator per step, each fixed by (seed, step index)."""
    children = np.random.SeedSequence(check_seed(seed)).spawn(count)
    return [np.random.default_rng(child) for child in children]


def apply_recipe(
    pixels: np.ndarray,
    recipe: Recipe,
    seed: int = 0,
    *,
    inputs: Mapping[str, Any] | None = None,
    progress: ProgressFn = no_progress,
    cancel: threading.Event | None = None,
) -> np.ndarray:
    """Run every step of ``recipe`` on canonical pixels; float32 (H, W, 3) in [0, 1].

    ``inputs`` carries arrays a step may use (``depth`` for haze, ``reflection``).
    """
    recipe.validate()
    out = np.asarray(pixels, np.float32)
    rngs = step_rngs(seed, len(recipe.steps))
    total = len(recipe.steps)
    for index, (step, rng) in enumerate(zip(recipe.steps, rngs, strict=True)):
        check_cancelled(cancel)
        kind = get_degradation(step.kind)
        out = kind.apply(out, rng, step.resolved_params(), inputs)
        progress(index + 1, total)
    return out
