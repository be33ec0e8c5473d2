"""Degrading files, folders and project images; every output carries its recipe and seed.

Output PNGs embed ``{"recipe": ..., "seed": ...}`` (the recipe fully resolved)
in a ``iris-degradation`` text chunk, so a degraded file found on disk says how
it was made; the encoder settings are fixed, so the bytes are reproducible.
In a project, degraded images are stored with ``kind="degraded"``, linked to
their clean original by ``parent_id`` (the ground truth for full-reference
metrics) and the same recipe and seed in ``meta``.
"""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from core.degrade.base import DegradationError
from core.degrade.recipe import Recipe, apply_recipe, check_seed
from core.errors import IrisError
from core.files import write_atomic
from core.imageio import load_image, read_image_file, to_uint
from core.jobs import ProgressFn, check_cancelled, no_progress

TEXT_KEY = "iris-degradation"
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".bmp", ".tif", ".tiff"}
PNG_COMPRESS_LEVEL = 6


def provenance(recipe: Recipe, seed: int) -> dict[str, Any]:
    """What is stored with a degraded image: the resolved recipe and the seed."""
    return {"recipe": recipe.resolved().to_dict(), "seed": check_seed(seed)}


def encode_degraded_png(pixels: np.ndarray, recipe: Recipe, seed: int) -> bytes:
    """8-bit PNG bytes of ``pixels`` with the recipe and seed in a text chunk (deterministic)."""
    from PIL import Image, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text(TEXT_KEY, json.dumps(provenance(recipe, seed), sort_keys=True))
    buffer = io.BytesIO()
    Image.fromarray(to_uint(pixels, 8)).save(
        buffer, format="PNG", pnginfo=info, compress_level=PNG_COMPRESS_LEVEL
    )
    return buffer.getvalue()


def read_provenance(source: str | Path | bytes) -> dict[str, Any] | None:
    """The recipe and seed embedded in a degraded PNG, or None when it has none."""
    from core.imageio import read_png_text

    text = read_png_text(source, TEXT_KEY)
    return json.loads(text) if text else None


def degrade_pixels(
    pixels: np.ndarray, recipe: Recipe, seed: int, inputs: Mapping[str, Any] | None = None
) -> bytes:
    """Apply ``recipe`` and return the PNG bytes that would be saved."""
    return encode_degraded_png(apply_recipe(pixels, recipe, seed, inputs=inputs), recipe, seed)


def degrade_file(
    source: str | Path,
    out: str | Path,
    recipe: Recipe,
    seed: int,
    inputs: Mapping[str, Any] | None = None,
) -> Path:
    """Degrade one image file into the PNG ``out`` (written atomically)."""
    out = Path(out)
    if out.suffix.lower() != ".png":
        raise DegradationError(f"{out}: degraded images are written as PNG; use a .png name")
    pixels = load_image(source).pixels
    write_atomic(out, degrade_pixels(pixels, recipe, seed, inputs))
    return out


def list_images(folder: str | Path) -> list[Path]:
    """Image files under ``folder`` (recursively), sorted, hidden files skipped."""
    root = Path(folder)
    return sorted(
        p
        for p in root.rglob("*")
        if p.is_file()
        and p.suffix.lower() in IMAGE_SUFFIXES
        and not any(part.startswith(".") for part in p.relative_to(root).parts)
    )


@dataclass
class BatchReport:
    """What a folder run wrote and what it refused."""

    written: list[tuple[str, str]] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "written": [{"source": s, "output": o} for s, o in self.written],
            "errors": [{"source": s, "error": e} for s, e in self.errors],
        }


def degrade_folder(
    source: str | Path,
    out_dir: str | Path,
    recipe: Recipe,
    seed: int,
    *,
    progress: ProgressFn = no_progress,
    cancel: threading.Event | None = None,
) -> BatchReport:
    """Degrade every image under ``source`` into ``out_dir`` as ``<same relative path>.png``.

    Every image uses the same ``seed``, so one file's output never depends on
    which other files are in the folder. Unreadable files are reported, not fatal.
    """
    recipe.validate()
    check_seed(seed)
    root, out_root = Path(source), Path(out_dir)
    if not root.is_dir():
        raise DegradationError(f"{root}: not a folder")
    files = list_images(root)
    if not files:
        raise DegradationError(f"{root}: no images found ({', '.join(sorted(IMAGE_SUFFIXES))})")
    report = BatchReport()
    for index, path in enumerate(files):
        check_cancelled(cancel)
        target = (out_root / path.relative_to(root)).with_suffix(".png")
        try:
            degrade_file(path, target, recipe, seed)
        except IrisError as exc:
            report.errors.append((str(path), str(exc)))
        else:
            report.written.append((str(path), str(target)))
        progress(index + 1, len(files))
    return report


def degrade_into_project(
    project_path: str | Path,
    image_ids: Sequence[int],
    recipe: Recipe,
    seed: int,
    *,
    progress: ProgressFn = no_progress,
    cancel: threading.Event | None = None,
) -> list[int]:
    """Add a degraded copy of each image to the project; returns the new image ids.

    Runs on any thread: it opens its own connection to the project.
    """
    from core.project import Project

    recipe.validate()
    check_seed(seed)
    made: list[int] = []
    with Project.open(project_path) as project:
        for index, image_id in enumerate(image_ids):
            check_cancelled(cancel)
            clean = project.image(image_id)
            pixels = project.load_pixels(clean).pixels
            data = degrade_pixels(pixels, recipe, seed)
            record = project.add_image_bytes(
                data,
                name=f"{clean.name} ({recipe.label()})",
                kind="degraded",
                parent_id=clean.id,
                meta=provenance(recipe, seed),
            )
            made.append(record.id)
            progress(index + 1, len(image_ids))
    return made


def degrade_paths_into_project(
    project_path: str | Path,
    paths: Sequence[str | Path],
    recipe: Recipe,
    seed: int,
    *,
    progress: ProgressFn = no_progress,
    cancel: threading.Event | None = None,
) -> tuple[list[int], list[tuple[str, str]]]:
    """Import image files or folders as clean originals (once), then add their degraded copies.

    Returns the new degraded image ids and the files that could not be imported.
    """
    from core.hashing import sha256_of
    from core.project import Project
    from core.project.importer import expand_paths, import_paths

    recipe.validate()
    report = import_paths(project_path, paths, cancel=cancel)
    refused = {path for path, _error in report.errors}
    clean_ids: list[int] = []
    with Project.open(project_path) as project:
        for path in expand_paths(paths):
            if str(path) in refused:
                continue
            found = project.find_images(sha256_of(read_image_file(path)), kind="imported")
            if found and found[0].id not in clean_ids:
                clean_ids.append(found[0].id)
    made = degrade_into_project(
        project_path, clean_ids, recipe, seed, progress=progress, cancel=cancel
    )
    return made, list(report.errors)
