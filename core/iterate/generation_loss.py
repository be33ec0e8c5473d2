"""The ``generation-loss`` editor: generation loss without a model, for demos and tests.

Each call re-encodes the image as JPEG at ``quality``, optionally with a resize
jitter (down and back up by a random factor), a colour drift (a small random
per-channel gain) and a crop of each side. With ``follow_prompt`` it performs
the geometric edits the mirror/rotate prompts ask for, so those schedules can
be tried offline (without it, an editor that ignores them: the "not performed"
case). Given several input images (a reconstruction step's colour patches and
edges, ``context.extra["input_images"]``), it starts from their mean, each
resized to the first's size, so the output depends on every input.
``delay_s`` makes it slow on purpose (crash and GUI tests).
"""

from __future__ import annotations

import threading
import time
from typing import Any

import numpy as np

from core.jobs import check_cancelled
from core.methods.base import Method, MethodOutput, Param
from core.pixels import to_uint8

POLL_S = 0.02


def _sleep(seconds: float, cancel: threading.Event | None) -> None:
    end = time.monotonic() + seconds
    while (left := end - time.monotonic()) > 0:
        check_cancelled(cancel)
        time.sleep(min(POLL_S, left))


def prompt_transform(prompt: str) -> tuple[bool, int]:
    """(mirror?, clockwise quarter turns) that ``prompt`` asks for, by keywords."""
    text = prompt.lower()
    mirror = "mirror" in text or "flip" in text
    turns = 0
    if "rotate" in text:
        turns = 3 if "counter" in text or "anticlockwise" in text else 1
        if "180" in text:
            turns = 2
    return mirror, turns


def degrade(pixels: np.ndarray, params: dict[str, Any], rng: np.random.Generator) -> np.ndarray:
    """One generation of loss: geometry, crop, colour drift, resize jitter, JPEG round trip."""
    from PIL import Image

    from core.imageio import jpeg_round_trip

    out = pixels
    if params["follow_prompt"]:
        mirror, turns = prompt_transform(params["prompt"])
        if mirror:
            out = out[:, ::-1]
        if turns:
            out = np.rot90(out, -turns)
    h, w = out.shape[:2]
    crop = float(params["crop"])
    if crop > 0:
        dy, dx = int(round(h * crop)), int(round(w * crop))
        if h - 2 * dy >= 8 and w - 2 * dx >= 8:
            out = out[dy : h - dy, dx : w - dx]
    drift = float(params["colour_drift"])
    if drift > 0:
        out = out * (1.0 + rng.uniform(-drift, drift, 3)).astype(np.float32)
    image = Image.fromarray(to_uint8(out))
    jitter = float(params["resize_jitter"])
    if jitter > 0:
        size = image.size
        factor = 1.0 - rng.uniform(0, jitter)
        small = (max(1, round(size[0] * factor)), max(1, round(size[1] * factor)))
        image = image.resize(small, Image.Resampling.BICUBIC).resize(size, Image.Resampling.BICUBIC)
    return jpeg_round_trip(np.asarray(image, dtype=np.uint8), int(params["quality"]))


def blend_inputs(images: list[np.ndarray]) -> np.ndarray:
    """The mean of ``images``, each resized (bicubic) to the first one's size."""
    from core.metrics.alignment import resize_pixels

    first = images[0]
    size = (first.shape[1], first.shape[0])
    same = [
        im[..., :3] if im.shape[:2] == first.shape[:2] else resize_pixels(im, size, "bicubic")
        for im in images
    ]
    return np.mean(np.stack(same), axis=0, dtype=np.float32)


def run_generation_loss(pixels, params, *, progress, cancel, context) -> MethodOutput:
    seed = int(params["seed"])
    rng = np.random.default_rng(None if seed < 0 else seed)
    progress(0, 1)
    if params["delay_s"] > 0:
        _sleep(float(params["delay_s"]), cancel)
    check_cancelled(cancel)
    images = context.extra.get("input_images") or []
    if len(images) > 1:
        pixels = blend_inputs(images)
    out = degrade(pixels, params, rng)
    progress(1, 1)
    thoughts = (
        f"Re-encoding the image as JPEG at quality {params['quality']}. "
        "The copy is an exact replica of the provided image."
    )
    meta = {"editor": "generation-loss", "input_count": max(1, len(images))}
    return MethodOutput(out, meta=meta, thoughts=thoughts)


GENERATION_LOSS = Method(
    name="generation-loss",
    kind="classical",
    title="Generation loss (offline editor)",
    description="Imitates an editor that degrades a little at each pass: JPEG re-encode, "
    "optional resize jitter, colour drift and crop; follows mirror/rotate prompts; blends "
    "several input images. No model.",
    targets="iterative-edit demos and tests",
    params=(
        Param("prompt", "text", "", "the edit prompt (only mirror/rotate are acted on)"),
        Param("quality", "int", 75, "JPEG quality", 1, 100),
        Param(
            "resize_jitter", "float", 0.0, "largest down-and-up resize factor", 0.0, 0.5, step=0.01
        ),
        Param(
            "colour_drift", "float", 0.0, "largest per-channel gain change", 0.0, 0.2, step=0.005
        ),
        Param("crop", "float", 0.0, "fraction of each side cropped", 0.0, 0.2, step=0.005),
        Param("follow_prompt", "bool", True, "mirror or rotate when the prompt asks"),
        Param("seed", "int", -1, "random seed (-1 = fresh)", -1, 2**31 - 1),
        Param("delay_s", "float", 0.0, "seconds to wait per call (a slow editor)", 0.0, 60.0),
    ),
    run=run_generation_loss,
)
