"""The sample project's runs (a generation-loss group, restorations) are built offline and seeded.

Two builds give the same image files: what lets the shipped scores apply by file hash.
"""

from __future__ import annotations

from core.iterate.steps import iterate_runs, run_steps
from core.project import Project
from core.sample_project import build_sample_project


def test_sample_has_three_deterministic_runs_of_twenty_steps(tmp_path):
    shas, made = [], []
    for name in ("a", "b"):
        with Project.open(build_sample_project(tmp_path / name, scores=False)) as project:
            runs = iterate_runs(project)
            assert [(r["run"], r["status"], r["completed"]) for r in runs] == [
                (f"gradient-generation-loss-r{i}", "done", 20) for i in (1, 2, 3)
            ]
            steps = [run_steps(project, r["run"]) for r in runs]
            shas.append([project.image(s.image_id).sha256 for chain in steps for s in chain])
            assert steps[0][0].image_id == steps[1][0].image_id  # one input for the group
            assert steps[0][5].meta["seed"] != steps[1][5].meta["seed"]
            assert steps[0][20].image_id != steps[1][20].image_id  # the runs differ
            made.append(
                sorted(
                    (i.name, i.sha256)
                    for i in project.images()
                    if i.kind == "restored" or i.name.startswith("scene_")
                )
            )
    assert shas[0] == shas[1]
    assert (
        made[0] == made[1] and len(made[0]) == 15
    )  # 4 images x 3 methods, depth pair, segmentation
