"""A generated study with known scores: methods x prompts x scenes x images, as restore runs.

Each input (kind imported, tagged ``scene=...``) is restored once per method and
prompt (one restore run per method x prompt, the prompt in the result's meta as
the Gemini method writes it). Every output gets stored scores whose values are a
known function of (method, prompt, scene, image), so a table can be checked by
hand: ``psnr`` against the input (= the clean image: ``--ref clean`` and
``--ref input`` both name it) and ``niqe`` (no reference).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from core.metrics.engine import metric_version
from core.project import Project

METHODS = ("hypir", "nano")
PROMPTS = ("S1", "SF1", "L1")
SCENES = ("text", "face")
PER_SCENE = 4


def psnr_value(method: int, prompt: int, scene: int, image: int) -> float:
    return 20.0 + 2.0 * method + 0.5 * prompt + 1.5 * scene + 0.25 * image * image


def niqe_value(method: int, prompt: int, scene: int, image: int) -> float:
    return 5.0 - 0.5 * method + 0.1 * prompt * image + 0.3 * scene


@dataclass
class Study:
    path: Path
    inputs: dict[tuple[int, int], int] = field(default_factory=dict)  # (scene, k) -> image id
    outputs: dict[tuple[int, int, int, int], int] = field(default_factory=dict)  # m, p, s, k


def _pixels(seed: int, size: int = 8) -> np.ndarray:
    return np.random.default_rng(seed).random((size, size, 3)).astype(np.float32)


def build_study(
    path: Path,
    *,
    skip_niqe: tuple[int, int, int, int] | None = None,
    skip_psnr: tuple[int, int, int, int] | None = None,
) -> Study:
    """The study at ``path``; ``skip_niqe`` = (m, p, s, k) leaves that output unscored."""
    study = Study(path)
    psnr_version, niqe_version = metric_version("psnr"), metric_version("niqe")
    with Project.create(path) as project:
        for s, scene in enumerate(SCENES):
            for k in range(PER_SCENE):
                record = project.add_image_array(
                    _pixels(100 + 10 * s + k), name=f"{scene}{k}", kind="imported"
                )
                project.set_tags([record.id], {"scene": scene})
                study.inputs[(s, k)] = record.id
        for m, method in enumerate(METHODS):
            method_id = project.ensure_method(method, "imported")
            for p, prompt in enumerate(PROMPTS):
                run = project.create_run(
                    f"{method} {prompt}",
                    "restore",
                    method_id=method_id,
                    params={"method": method, "params": {"prompt": prompt}},
                    status="done",
                )
                for (s, k), input_id in study.inputs.items():
                    seed = 1000 + 100 * m + 10 * p + 4 * s + k
                    image = project.add_image_array(
                        _pixels(seed), name=f"{SCENES[s]}{k} [{method} {prompt}]",
                        kind="restored", parent_id=input_id, method_id=method_id,
                        run_id=run.id,
                    )  # fmt: skip
                    project.add_result(
                        run.id, status="ok", input_image_id=input_id, output_image_id=image.id,
                        meta={"repeat": 0, "prompt_id": prompt, "model": f"{method}-v1"},
                    )  # fmt: skip
                    study.outputs[(m, p, s, k)] = image.id
                    ref = project.image(input_id).sha256
                    if skip_psnr != (m, p, s, k):
                        project.put_score(
                            image.sha256, "psnr", psnr_version, psnr_value(m, p, s, k),
                            reference_sha256=ref,
                        )  # fmt: skip
                    if skip_niqe != (m, p, s, k):
                        project.put_score(
                            image.sha256, "niqe", niqe_version, niqe_value(m, p, s, k)
                        )
    return study
