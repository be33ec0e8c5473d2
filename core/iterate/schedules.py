"""What each step of an iterative run asks for: its prompt, seed, output size and expected geometry.

A schedule is plain data stored in the run's ``params`` so that a resumed run
(or another process reading the project) computes exactly the same step plan:

- ``replicate``: one fixed prompt (default Banana100's replication prompt);
- ``mirror``: mirror horizontally, the image should be the original every 2 steps;
- ``rotate``: rotate 90 degrees clockwise, the original every 4 steps;
- ``add-objects``: a template filled per step (``{fruit}`` from a list of 100
  fruits, ``{step}``); ``add-apple`` is the fixed "add one more apple" prompt;
- ``reconstruct``: Banana100's multi-step reconstruction (section 2.2), in cycles of three
  steps: colour patches of the cycle's start, its edges, then a rebuild from both (a
  step with two input images: :attr:`StepPlan.inputs` names them by step index);
- a prompt list (a text file, one prompt per line, cycled when shorter than the run).

Every step names its inputs (step indexes); all schedules but ``reconstruct`` take
the previous step alone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from core.errors import IrisError
from resources import resource_path

# One prompt a line; a file of prompts for a long run is kilobytes.
PROMPT_FILE_BYTES = 4 * 1024 * 1024

SCHEDULES = ("replicate", "mirror", "rotate", "add-objects", "add-apple", "reconstruct")
SEED_POLICIES = ("none", "fixed", "per-step")
# "input" keeps the input's size (the local diffusers editors offer it; Gemini does not).
IMAGE_SIZES = ("1K", "2K", "4K", "cycle", "input")
CYCLE = ("1K", "2K", "4K")
# Banana100 section 2.2: "The majority of the dataset was generated with the default
# resolution of 2K" (the API's three strings; 1K and 4K only to study resolution).
DEFAULT_IMAGE_SIZE = "2K"  # as core.gemini.config's (kept apart: no Gemini import here)
DEFAULT_PROMPTS = {
    "replicate": "B100-REPLICA",
    "mirror": "B100-MIRROR",
    "rotate": "B100-ROTATE",
    "add-apple": "B100-ADD-APPLE",
    "add-objects": "Add one {fruit} to the image, with no other alterations.",
}
# Per step, the transform the prompt asks for: (mirror horizontally?, quarter turns clockwise).
STEP_TRANSFORMS = {"mirror": (True, 0), "rotate": (False, 1)}
# Banana100 section 2.2 describes the reconstruction ("extract simplified color patches in a
# first step", "extract edge information in a second step", "reconstruct a photorealistic
# image from the color patches and the edges") but prints no prompt: these three are IRIS's
# own, written from that description (not verbatim).
RECONSTRUCT_PROMPTS = (
    "Simplify the provided image into flat colour patches: keep the layout and the colour of "
    "every region, and remove all texture and fine detail.",
    "Extract the edges of the provided image as a black line drawing on white: every contour "
    "and edge, with no colour or shading.",
    "Reconstruct a photorealistic image from the two provided images: the first gives the "
    "colour of every region, the second gives the edges.",
)


def reconstruct_inputs(index: int) -> tuple[int, ...]:
    """The input steps of reconstruction step ``index``: cycles of patches, edges, rebuild.

    A cycle starts from step ``3k`` (the input, or the previous rebuild): step ``3k+1``
    (colour patches) and ``3k+2`` (edges) both edit step ``3k``; step ``3k+3`` rebuilds
    from the two of them.
    """
    start = 3 * ((index - 1) // 3)
    phase = (index - 1) % 3
    return (start + 1, start + 2) if phase == 2 else (start,)


def previous_input(index: int) -> tuple[int, ...]:
    """The one input of a plain step: the step before it."""
    return (index - 1,)


# Per schedule, the step indexes a step edits (first = its parent); others take the previous.
STEP_INPUTS = {"reconstruct": reconstruct_inputs}


@lru_cache(maxsize=1)
def fruits() -> tuple[str, ...]:
    """The 100 fruits of the add-objects schedule, one per step."""
    data = json.loads(resource_path("iterate", "fruits.json").read_text(encoding="utf-8"))
    return tuple(data["fruits"])


@dataclass(frozen=True)
class Transform:
    """A cumulative geometric transform: optional horizontal mirror, then quarter turns clockwise."""

    mirror: bool = False
    quarter_turns: int = 0

    @property
    def is_identity(self) -> bool:
        return not self.mirror and self.quarter_turns % 4 == 0

    def then(self, mirror: bool, quarter_turns: int) -> Transform:
        """This transform followed by a mirror (if asked) and ``quarter_turns`` clockwise turns."""
        turns = self.quarter_turns
        flipped = self.mirror
        if (
            mirror
        ):  # mirroring after k clockwise turns = mirroring first, then k turns anticlockwise
            flipped = not flipped
            turns = -turns
        return Transform(flipped, (turns + quarter_turns) % 4)

    def as_dict(self) -> dict[str, Any]:
        return {"mirror": self.mirror, "quarter_turns": self.quarter_turns % 4}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Transform:
        data = data if isinstance(data, dict) else {}  # a stored meta is read, never trusted
        turns = data.get("quarter_turns", 0)
        turns = turns if isinstance(turns, int) and not isinstance(turns, bool) else 0
        return cls(data.get("mirror") is True, turns % 4)


@dataclass(frozen=True)
class StepPlan:
    """What step ``index`` (1-based) sends to the editor and what it should look like."""

    index: int
    prompt: str
    prompt_id: str
    seed: int | None
    image_size: str
    temperature: float | None
    expected: Transform
    inputs: tuple[int, ...] = ()
    """The steps this step edits, by index (the first is its parent); empty = the previous."""
    requested: Transform = Transform()
    """The transform this step asks of its parent (mirror/rotate schedules; else identity)."""

    @property
    def input_steps(self) -> tuple[int, ...]:
        return self.inputs or (self.index - 1,)


@dataclass(frozen=True)
class Schedule:
    """A run's setting: the prompt source, seed policy, temperature and output size."""

    name: str = "replicate"
    prompt: str = ""
    prompts: tuple[str, ...] = ()
    seed_policy: str = "none"
    seed: int = 0
    temperature: float | None = None
    image_size: str = DEFAULT_IMAGE_SIZE

    def __post_init__(self) -> None:
        if self.name not in SCHEDULES and self.name != "list":
            raise IrisError(f"unknown schedule {self.name!r}; known: {', '.join(SCHEDULES)}, FILE")
        if self.name == "list" and not self.prompts:
            raise IrisError("a prompt-list schedule needs at least one prompt")
        if self.name == "reconstruct" and self.prompt:
            raise IrisError(
                "the reconstruct schedule has its own three prompts (patches, edges, rebuild); "
                "it takes no --prompt"
            )
        if self.name == "reconstruct" and len(self.prompts) not in (0, 3):
            raise IrisError("the reconstruct schedule needs three prompts: patches, edges, rebuild")
        if self.seed_policy not in SEED_POLICIES:
            raise IrisError(
                f"unknown seed policy {self.seed_policy!r}; known: {', '.join(SEED_POLICIES)}"
            )
        if self.image_size not in IMAGE_SIZES:
            raise IrisError(
                f"unknown image size {self.image_size!r}; known: {', '.join(IMAGE_SIZES)}"
            )

    def phase_prompts(self) -> tuple[str, ...]:
        """The prompts cycled step by step (a prompt list, or the reconstruction's three)."""
        if self.name == "reconstruct":
            return self.prompts or RECONSTRUCT_PROMPTS
        return self.prompts

    def prompt_source(self) -> str:
        """The prompt id or template this schedule uses before per-step filling."""
        return self.prompt or DEFAULT_PROMPTS.get(self.name, "")

    def plan(self, index: int, project=None) -> StepPlan:
        """The plan of step ``index`` (>= 1); ``project`` resolves the project's own prompt ids."""
        from core.prompts import resolve_prompt

        if index < 1:
            raise ValueError("step 0 is the input; plans start at step 1")
        if (prompts := self.phase_prompts()) and self.name in ("list", "reconstruct"):
            source = prompts[(index - 1) % len(prompts)]
        else:
            source = self.prompt_source()
        resolved = resolve_prompt(source, project)
        text = resolved.text
        if "{" in text:
            fruit = fruits()[(index - 1) % len(fruits())]
            text = text.replace("{fruit}", fruit).replace("{step}", str(index))
        seed = None
        if self.seed_policy == "fixed":
            seed = self.seed
        elif self.seed_policy == "per-step":
            seed = (self.seed + index) % 2**31
        size = CYCLE[(index - 1) % 3] if self.image_size == "cycle" else self.image_size
        return StepPlan(
            index=index,
            prompt=text,
            prompt_id=resolved.id,
            seed=seed,
            image_size=size,
            temperature=self.temperature,
            expected=self.expected(index),
            inputs=STEP_INPUTS.get(self.name, previous_input)(index),
            requested=Transform(*STEP_TRANSFORMS.get(self.name, (False, 0))),
        )

    def expected(self, index: int) -> Transform:
        """The transform from the original to a faithful step ``index``."""
        total = Transform()
        if self.name in STEP_TRANSFORMS:
            mirror, turns = STEP_TRANSFORMS[self.name]
            for _ in range(index % 4):  # both transforms have a period dividing 4
                total = total.then(mirror, turns)
        return total

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "prompt": self.prompt_source(),
            "prompts": list(self.phase_prompts()),  # stored: a resumed run plans the same
            "seed_policy": self.seed_policy,
            "seed": self.seed,
            "temperature": self.temperature,
            "image_size": self.image_size,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Schedule:
        name = data.get("name", "replicate")
        prompt = data.get("prompt", "")
        if prompt == DEFAULT_PROMPTS.get(name):
            prompt = ""
        return cls(
            name=name,
            prompt=prompt,
            prompts=tuple(data.get("prompts") or ()),
            seed_policy=data.get("seed_policy", "none"),
            seed=int(data.get("seed", 0)),
            temperature=data.get("temperature"),
            # every stored run holds its size; params without one predate sizes (then 1K)
            image_size=data.get("image_size", "1K"),
        )


def schedule_from_spec(spec: str, **settings: Any) -> Schedule:
    """A schedule from a CLI/GUI name or a prompt-list file (one prompt per line, ``#`` comments)."""
    if spec in SCHEDULES:
        return Schedule(name=spec, **settings)
    path = Path(spec)
    if not path.is_file():
        raise IrisError(f"schedule {spec!r}: not one of {', '.join(SCHEDULES)}, nor a file")
    from core.files import FileReadError, decode_text, read_bounded

    try:
        text = decode_text(read_bounded(path, PROMPT_FILE_BYTES), str(path))
    except FileReadError as exc:
        raise IrisError(f"cannot read the prompt file: {exc}") from exc
    lines = [line.strip() for line in text.splitlines()]
    prompts = tuple(line for line in lines if line and not line.startswith("#"))
    if not prompts:
        raise IrisError(f"{path}: no prompts in the file")
    settings.pop("prompt", None)
    return Schedule(name="list", prompts=prompts, **settings)
