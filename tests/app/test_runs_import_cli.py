"""``iris runs import``: chains made elsewhere become the same runs ``iris iterate`` makes."""

from __future__ import annotations

import json
import shutil

from app.cli import main
from core.imageio import save_png
from core.iterate.steps import run_steps
from core.project import Project
from tests.app.test_score_cli import iris
from tests.core.methods.synthetic import scene

STEPS = 20  # steps 0..20: 21 images per run


def _iterated(tmp_path, capsys):
    """Project A: 2 images x 3 runs x 20 steps by ``iris iterate`` (the offline editor)."""
    project = tmp_path / "made"
    assert main(["new", str(project)]) == 0
    for name, seed in (("chart", 4), ("bars", 7)):
        save_png(tmp_path / f"{name}.png", scene(40, seed=seed))
        args = ["iterate", "--project", str(project), "--editor", "generation-loss",
                "--steps", str(STEPS), "--runs", "3", "--run", name, "--seed", "3",
                str(tmp_path / f"{name}.png")]  # fmt: skip
        assert main(args) == 0
    capsys.readouterr()
    return project


def _export(project, folder):
    """The chains as a released dataset lays them out: IMAGE/RUN/STEP.png (+ STEP.txt)."""
    with Project.open(project) as p:
        for run in p.runs():
            for step in run_steps(p, run):
                target = folder / run.group_name / run.name.rsplit("-", 1)[1] / f"{step.index}.png"
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(step.image, target)
                if step.index in (3, 7):
                    target.with_suffix(".txt").write_text(f"Thoughts of step {step.index}.\n")


def _gaps(project, capsys):
    assert main(["gaps", "--project", str(project), "--runs", "chart,bars",
                 "--metrics", "entropy", "--json"]) == 0  # fmt: skip
    return json.loads(capsys.readouterr().out)


def _by_position(gaps: dict) -> dict:
    return {m: {**row, "cells": list(row["cells"].values())} for m, row in gaps.items()}


def test_imported_chains_are_the_runs_iterate_made(tmp_path, capsys):
    made = _iterated(tmp_path, capsys)
    _export(made, tmp_path / "chains")
    imported = tmp_path / "imported"
    assert main(["new", str(imported)]) == 0
    result = iris("runs", "import", "--project", str(imported), "--layout",
                  "{image}/{run}/{step}.png", str(tmp_path / "chains"), "--json")  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = [json.loads(x) for x in result.stdout.splitlines()]
    assert sorted(x["run"] for x in lines) == [f"{n}-r{i}" for n in ("bars", "chart")
                                               for i in (1, 2, 3)]  # fmt: skip
    assert {x["steps"] for x in lines} == {STEPS} and {x["thoughts"] for x in lines} == {2}
    with Project.open(imported) as p, Project.open(made) as q:
        groups = {r.group_name for r in p.runs()}
        assert groups == {"chart", "bars"} and len(p.runs()) == 6
        for run in q.runs():
            mine, theirs = run_steps(p, run.name), run_steps(q, run.name)
            assert [(s.index, s.width, s.height) for s in mine] == [
                (s.index, s.width, s.height) for s in theirs
            ]
            assert [p.image(s.image_id).sha256 for s in mine] == [
                q.image(s.image_id).sha256 for s in theirs
            ]
            assert mine[3].thoughts == "Thoughts of step 3." and mine[4].thoughts == ""
            assert p.run(run.name).status == "done" and p.run(run.name).kind == "iterate"
    capsys.readouterr()
    # the Fig. 6 cells are keyed by the input's name: the file name ("chart.png") once
    # imported from a folder, the stem ("chart") as iris iterate named it; the counts agree
    assert _by_position(_gaps(imported, capsys)) == _by_position(_gaps(made, capsys))
    listed = iris("runs", "list", "--project", str(imported), "--json")
    assert [(r["run"], r["completed"]) for r in json.loads(listed.stdout)][:1] == [
        ("bars-r1", STEPS)
    ]
    again = iris("runs", "import", "--project", str(imported), str(tmp_path / "chains"))
    assert again.returncode == 1 and "already exists" in again.stderr
    assert "Traceback" not in again.stderr


def test_runs_list_shows_restore_runs_too(tmp_path):
    project = tmp_path / "p"
    assert main(["new", str(project)]) == 0
    save_png(tmp_path / "in.png", scene(40, seed=1))
    done = iris("restore", "--project", str(project), "--method", "bilateral",
                str(tmp_path / "in.png"))  # fmt: skip
    assert done.returncode == 0, done.stderr
    listed = iris("runs", "list", "--project", str(project), "--json")
    assert listed.returncode == 0, listed.stderr
    (run,) = json.loads(listed.stdout)
    assert (run["kind"], run["editor"], run["completed"], run["steps"]) == (
        "restore", "bilateral", 1, 1,
    )  # fmt: skip
    text = iris("runs", "list", "--project", str(project))
    assert "(restore)" in text.stdout and "1/1" in text.stdout


def test_the_cli_default_layout_is_the_importers():
    from app.commands.runs import DEFAULT_LAYOUT
    from core.iterate import chain_import

    assert DEFAULT_LAYOUT == chain_import.DEFAULT_LAYOUT
