"""The bundled sample project, built on first use from ``resources/sample``.

The shipped images live read-only inside the installation; IRIS builds a
project from them in the user's data folder so that the first launch shows
real content in every view and nothing is ever written into the installation.
Everything beyond the shipped images is made here by IRIS's own code, offline
and seeded, as ``resources/sample/manifest.json`` says: an iterative run group
(Runs), restorations by classical methods (Compare opens on them), their scores
(Metrics), a few annotations (Annotate) and a rendered depth pair (Depth and 3D).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from core.paths import is_project, user_data_dir
from core.project import Project
from resources import resource_path

SAMPLE_DIR_NAME = "sample-project"
ANNOTATOR = "sample"
TRUTH_DIR = "depth-truth"  # the depth pair's true depth (.npy), beside iris.db


def build_sample_project(dest: Path, *, scores: bool = True) -> Path:
    """Build the sample project at ``dest`` from the shipped manifest.

    ``scores=False`` leaves the score cache empty (how the scores file itself is made).
    """
    source = resource_path("sample")
    manifest = json.loads((source / "manifest.json").read_text())
    with Project.create(dest, name=manifest["name"]) as project:
        project.set_meta("licence", manifest["licence"])
        ids: dict[str, int] = {}
        for entry in manifest["images"]:
            data = (source / entry["file"]).read_bytes()
            meta = {"recipe": entry["recipe"]} if "recipe" in entry else {}
            record = project.add_image_bytes(
                data,
                name=entry["name"],
                kind=entry["kind"],
                parent_id=ids.get(entry.get("parent", "")),
                source_path=f"resources/sample/{entry['file']}",
                meta=meta,
            )
            ids[entry["name"]] = record.id
            tags = _study_tags(entry)
            if tags:
                project.set_tags([record.id], tags)
    for chain in manifest.get("iterate", []):
        _build_chain(dest, ids[chain["image"]], chain)
    restored: dict[tuple[str, str], int] = {}
    for run in manifest.get("restore", []):
        restored.update(_restore(dest, ids, run))
    with Project.open(dest) as project:
        if "depth" in manifest:
            _build_depth_pair(project, manifest["depth"])
        refs = _References(project, ids, restored)
        for note in manifest.get("annotations", []):
            _annotate(project, refs.find(note["image"]), note)
        if "compare" in manifest:
            state = dict(manifest["compare"].get("state", {}))  # what Compare opens on
            state["image_ids"] = [refs.find(ref) for ref in manifest["compare"]["images"]]
            project.set_view_state("compare", state)
        if scores:
            from core.sample_scores import FILE_NAME, store_shipped_scores

            store_shipped_scores(project, source / FILE_NAME)
    return dest


def _study_tags(entry: dict) -> dict[str, str]:
    """The sample's study tags: each clean image is its own scene, each degraded one names
    its degradation (outputs inherit both), so the Tables view groups by them at once."""
    if entry.get("role") == "clean":
        return {"scene": entry["name"], "dataset": "iris-sample"}
    op = entry.get("recipe", {}).get("op")
    return {"degradation": str(op)} if op else {}


def _build_chain(dest: Path, image_id: int, chain: dict) -> None:
    """An iterative run group made offline at build time, so the Runs view has data at once."""
    from core.iterate.runner import IterateSpec, iterate
    from core.iterate.schedules import Schedule

    schedule = Schedule(
        chain.get("schedule", "replicate"),
        seed_policy=chain.get("seed_policy", "per-step"),
        seed=int(chain.get("seed", 0)),
    )
    spec = IterateSpec(chain["editor"], int(chain["steps"]), schedule, chain.get("params", {}))
    iterate(dest, image_id, spec, runs=int(chain.get("runs", 1)), group=chain["group"])


def _restore(dest: Path, ids: dict[str, int], run: dict) -> dict[tuple[str, str], int]:
    """One restore run of a classical method: (input name, method) -> output image id."""
    from core.methods.runner import restore_images

    names = run["images"]
    results = restore_images(dest, [ids[n] for n in names], run["method"], run.get("params"))
    by_id = {ids[n]: n for n in names}
    return {
        (by_id[r.input_image_id], run["method"]): r.output_image_id
        for r in results
        if r.output_image_id is not None
    }


class _References:
    """Finds the image a manifest entry names: a shipped image, a restoration or a run step."""

    def __init__(self, project: Project, ids: dict, restored: dict) -> None:
        self.project, self.ids, self.restored = project, ids, restored

    def find(self, ref: dict[str, Any]) -> int:
        if "method" in ref:
            return self.restored[(ref["input"], ref["method"])]
        if "run" in ref:
            from core.iterate.steps import run_steps

            step = next(s for s in run_steps(self.project, ref["run"]) if s.index == ref["step"])
            return int(step.image_id)
        if ref["name"] in self.ids:
            return self.ids[ref["name"]]
        return next(i.id for i in self.project.images() if i.name == ref["name"])


def _annotate(project: Project, image_id: int, note: dict) -> None:
    """One annotation by the sample's annotator, marked reviewed like a finished review."""
    from core.annotations import store

    store.add(
        project,
        image_id,
        label=note["label"],
        annotator=ANNOTATOR,
        region_kind=note.get("region_kind", "image"),
        region=note.get("region"),
        severity=int(note.get("severity", 1)),
        note=note.get("note", ""),
        compared_with=note.get("compared_with"),
    )
    store.mark_reviewed(project, image_id, ANNOTATOR)


def _build_depth_pair(project: Project, spec: dict) -> None:
    """A rendered room: its photo, its true depth as a Vision Banana map, and its truth files.

    The names pair as the Depth view expects (``<name>_depth`` with ``<name>_photo``),
    so selecting the map shows its point cloud coloured by the photo. Beside
    ``iris.db``, ``depth-truth/`` holds the render's true depth (``.npy``, metres),
    true normals (``.npy``, the normal maps' camera frame), its label map (an 8-bit
    PNG of indices) with the classes' names and colours (``.json``); the map's
    metadata names them, so the Depth view's evaluation finds them by itself. A
    third image, ``<name>_segmentation``, is the label map painted in the class
    colours, as a segmentation prompt asks a generator to paint it.
    """
    from PIL import Image

    from core.depth.codecs import make_codec
    from core.imageio.encode import encode_png
    from core.sample_scene import CLASSES, label_colours, render_scene

    scene = render_scene(int(spec["width"]), int(spec["height"]), seed=int(spec["seed"]))
    codec = make_codec("vision-banana")
    name = spec["name"]
    folder = Path(TRUTH_DIR)
    (project.path / TRUTH_DIR).mkdir(exist_ok=True)
    truth = folder / f"{name}_depth.npy"
    np.save(project.path / truth, scene.depth)
    normals = folder / f"{name}_normals.npy"
    np.save(project.path / normals, scene.normals)
    labels = folder / f"{name}_labels.png"
    Image.fromarray(scene.labels).save(project.path / labels, "PNG")
    classes = folder / f"{name}_classes.json"
    class_colours = {class_name: list(colour) for class_name, colour in CLASSES}
    (project.path / classes).write_text(json.dumps(class_colours, indent=1) + "\n")
    camera = {"hfov_deg": scene.hfov_deg, "depth": "z", "axes": "x right, y down, z forward"}
    truth_meta = {
        "true_depth": truth.as_posix(),
        "true_normals": normals.as_posix(),
        "true_labels": labels.as_posix(),
        "classes": classes.as_posix(),
    }
    buffer = io.BytesIO()
    photo_u8 = np.round(scene.photo * 255.0).astype(np.uint8)
    Image.fromarray(photo_u8).save(buffer, "JPEG", quality=int(spec.get("photo_quality", 92)))
    photo = project.add_image_bytes(
        buffer.getvalue(),
        name=f"{name}_photo",
        kind="imported",
        source_path="core/sample_scene.py",
        meta={"role": "depth photo", "seed": int(spec["seed"]), "camera": camera},
    )
    pixels = codec.encode(scene.depth).astype(np.float32) / 255.0
    project.add_image_bytes(
        encode_png(pixels),
        name=f"{name}_depth",
        kind="imported",
        source_path="core/sample_scene.py",
        meta={
            "role": "depth map",
            "codec": codec.name,
            "codec_params": codec.params,
            "camera": camera,
            "photo_image_id": photo.id,
            **truth_meta,
            "depth_range_m": [
                round(float(scene.depth.min()), 3),
                round(float(scene.depth.max()), 3),
            ],
        },
    )
    painted = label_colours(scene.labels).astype(np.float32) / 255.0
    project.add_image_bytes(
        encode_png(painted),
        name=f"{name}_segmentation",
        kind="imported",
        source_path="core/sample_scene.py",
        meta={"role": "segmentation map", "photo_image_id": photo.id, **truth_meta},
    )


def ensure_sample_project(dest: Path | None = None) -> Path:
    """The sample project's folder, building it (atomically) if it does not exist yet."""
    dest = dest or user_data_dir() / SAMPLE_DIR_NAME
    if is_project(dest):
        return dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".sample-", dir=dest.parent))
    try:
        build_sample_project(staging / "project")
        if dest.exists() and not any(dest.iterdir()):
            dest.rmdir()
        os.replace(staging / "project", dest)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return dest
