"""The bundled sample project, built on first use from ``resources/sample``.

The shipped images live read-only inside the installation; IRIS builds a
project from them in the user's data folder so that the first launch shows
real content and nothing is ever written into the installation.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from core.paths import is_project, user_data_dir
from core.project import Project
from resources import resource_path

SAMPLE_DIR_NAME = "sample-project"


def build_sample_project(dest: Path) -> Path:
    """Build the sample project at ``dest`` from the shipped manifest."""
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
    for chain in manifest.get("iterate", []):
        _build_chain(dest, ids[chain["image"]], chain)
    return dest


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
