"""Build projects shaped like issue 5's iterative runs (and restore runs) for metric tests.

An iterative run: a ``runs`` row of kind "iterate" in a run group, step 0 = the
input (a result whose output is the input image), and steps 1..N as images of
kind "step" with their results (status ok, meta with thoughts, seed, size).
Here each step re-encodes the previous one as JPEG, so quality decays step by step.
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from core.imageio import load_image
from core.project import Project


def texture(size: int = 128, seed: int = 0) -> np.ndarray:
    """A deterministic textured RGB image in [0, 1] (stripes, a disc, mild noise)."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:size, 0:size] / size
    r = 0.5 + 0.4 * np.sin(12 * x + 3 * seed)
    g = 0.5 + 0.4 * np.cos(9 * y)
    b = np.where((x - 0.5) ** 2 + (y - 0.5) ** 2 < 0.08, 0.9, 0.2)
    pixels = np.stack([r, g, b], -1) + rng.normal(0, 0.03, (size, size, 3))
    return np.clip(pixels, 0, 1).astype(np.float32)


def jpeg_bytes(pixels: np.ndarray, quality: int) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray((np.clip(pixels, 0, 1) * 255 + 0.5).astype(np.uint8)).save(
        buffer, "JPEG", quality=quality
    )
    return buffer.getvalue()


def thought(step: int, noisy_from: int, seed: int = 0) -> str:
    if step >= noisy_from:
        return f"Step {step} ({seed}): the source looks noisy and shows blocky JPEG artifacts."
    return f"Step {step} ({seed}): reproducing the image exactly, keeping colours and layout."


def add_iterative_run(
    project: Project,
    name: str,
    input_id: int,
    *,
    steps: int = 20,
    group: str = "jpeg-replicate",
    quality: int = 40,
    seed: int = 0,
    noisy_from: int = 8,
) -> int:
    """An iterative run of JPEG re-encodings of ``input_id``; returns the run id."""
    run = project.create_run(
        name,
        "iterate",
        group_name=group,
        params={"editor": "jpeg", "schedule": "fixed", "steps": steps, "quality": quality},
        status="done",
    )
    project.add_result(
        run.id, status="ok", step_index=0, input_image_id=input_id, output_image_id=input_id
    )
    rng = np.random.default_rng(seed)
    pixels = project.load_pixels(input_id).pixels
    previous = input_id
    for step in range(1, steps + 1):
        noisy = np.clip(pixels + rng.normal(0, 0.03, pixels.shape), 0, 1)
        data = jpeg_bytes(noisy, quality)
        record = project.add_image_bytes(
            data, name=f"{name}-step{step:03d}.jpg", kind="step", run_id=run.id,
            step_index=step, parent_id=previous,
        )  # fmt: skip
        project.add_result(
            run.id,
            status="ok",
            step_index=step,
            input_image_id=previous,
            output_image_id=record.id,
            meta={
                "thoughts": thought(step, noisy_from + seed, seed),
                "seed": seed * 1000 + step,
                "width": record.width,
                "height": record.height,
            },
        )
        pixels = load_image(data).pixels
        previous = record.id
    return run.id


def build_iterative_project(
    path, *, runs: int = 3, steps: int = 20, size: int = 128, images: int = 1
) -> Project:
    """A project with ``images`` inputs and ``runs`` JPEG chains of each, one run group per input."""
    project = Project.create(path, name="metrics")
    for i in range(images):
        source = project.add_image_array(
            texture(size, seed=i), name=f"input{i}.png", kind="imported"
        )
        for r in range(runs):
            add_iterative_run(
                project,
                f"replicate-{i}-{r + 1}",
                source.id,
                steps=steps,
                seed=r,
                quality=40 + 5 * r,
                group="jpeg-replicate" if images == 1 else f"jpeg-input{i}",
            )
    return project
