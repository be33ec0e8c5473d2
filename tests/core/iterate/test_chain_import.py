"""The chain import's plans: layout patterns, CSV manifests, and one-line errors naming the file."""

from __future__ import annotations

import pytest

from core.imageio import save_png
from core.iterate.chain_import import (
    ChainImportError,
    import_chains,
    layout_regex,
    plan_folder,
    plan_manifest,
)
from core.iterate.steps import run_steps
from core.project import Project
from tests.core.methods.synthetic import scene


def test_layout_fields_are_checked():
    assert layout_regex("{image}_{run}_{step}.jpg").fullmatch("Holi_r2_017.jpg")
    with pytest.raises(ChainImportError, match="unknown field {seed}"):
        layout_regex("{image}/{seed}/{step}.png")
    with pytest.raises(ChainImportError, match="needs at least"):
        layout_regex("{run}/{step}.png")


def test_manifest_rows_become_a_run_with_thoughts(tmp_path):
    rows = ["image,run,step,path,thoughts"]
    for step in range(3):
        save_png(tmp_path / f"s{step}.png", scene(40, seed=step))
        rows.append(f"Kokoro,r1,{step},s{step}.png,{'t.txt' if step == 2 else ''}")
    (tmp_path / "t.txt").write_text("Pixelated edges.")
    (tmp_path / "m.csv").write_text("\n".join(rows) + "\n")
    plans = plan_manifest(tmp_path / "m.csv")
    project = Project.create(tmp_path / "p")
    project.close()
    (run,) = import_chains(tmp_path / "p", plans)
    assert (run.run, run.group, run.steps, run.thoughts) == ("Kokoro-r1", "Kokoro", 2, 1)
    with Project.open(tmp_path / "p") as p:
        steps = run_steps(p, "Kokoro-r1")
        assert [s.thoughts for s in steps] == ["", "", "Pixelated edges."]
        assert p.image(steps[0].image_id).name == "Kokoro.png"
    (tmp_path / "bad.csv").write_text("image,run,step,path\nKokoro,r1,x,s0.png\n")
    with pytest.raises(ChainImportError, match=r"bad\.csv, row 2: step 'x'"):
        plan_manifest(tmp_path / "bad.csv")


def test_folder_errors_name_the_chain(tmp_path):
    for step in (1, 2):
        path = tmp_path / "A" / "r1" / f"{step}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        save_png(path, scene(40, seed=step))
    with pytest.raises(ChainImportError, match="A/r1 has no step 0"):
        plan_folder(tmp_path)
    with pytest.raises(ChainImportError, match="no file matches"):
        plan_folder(tmp_path, "{image}/{run}/{step}.jpg")
    (tmp_path / "A" / "r1" / "0.png").write_bytes(b"not an image")
    project = Project.create(tmp_path / "p")
    project.close()
    with pytest.raises(ChainImportError, match=r"0\.png"):
        import_chains(tmp_path / "p", plan_folder(tmp_path))
