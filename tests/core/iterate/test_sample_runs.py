"""The sample project ships a generation-loss run group, built offline and deterministically."""

from __future__ import annotations

from core.iterate.steps import iterate_runs, run_steps
from core.project import Project
from core.sample_project import build_sample_project


def test_sample_has_three_deterministic_runs_of_twelve_steps(tmp_path):
    shas = []
    for name in ("a", "b"):
        with Project.open(build_sample_project(tmp_path / name)) as project:
            runs = iterate_runs(project)
            assert [(r["run"], r["status"], r["completed"]) for r in runs] == [
                (f"gradient-generation-loss-r{i}", "done", 20) for i in (1, 2, 3)
            ]
            steps = [run_steps(project, r["run"]) for r in runs]
            shas.append([project.image(s.image_id).sha256 for chain in steps for s in chain])
            assert steps[0][0].image_id == steps[1][0].image_id  # one input for the group
            assert steps[0][5].meta["seed"] != steps[1][5].meta["seed"]
            assert steps[0][20].image_id != steps[1][20].image_id  # the runs differ
    assert shas[0] == shas[1]
