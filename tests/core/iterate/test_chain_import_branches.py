"""core/iterate/chain_import.py: imported chain folders and manifests are untrusted input, so
every refusal is pinned with the file (and row) it names: layout fields, step numbers and their
bounds, repeated or missing steps, unreadable manifests and thoughts files, name clashes with
the plan or the project, and an unknown schedule; and what an accepted import stores (thoughts
beside a step, a step whose aspect changed, the ``on_run`` report)."""

from __future__ import annotations

import numpy as np
import pytest

from core.imageio import save_png
from core.iterate import chain_import
from core.iterate.chain_import import (
    MAX_STEP,
    ChainImportError,
    import_chains,
    layout_regex,
    plan_folder,
    plan_manifest,
)
from core.project import Project


def _png(path, height=12, width=16, value=0.4):
    path.parent.mkdir(parents=True, exist_ok=True)
    save_png(path, np.full((height, width, 3), value, np.float32))
    return path


def _chain(root, image="A", run="r1", steps=(0, 1)):
    for step in steps:
        _png(root / image / run / f"{step}.png", value=0.1 + 0.1 * step)


@pytest.fixture
def project_dir(tmp_path):
    Project.create(tmp_path / "p").close()
    return tmp_path / "p"


def test_a_layout_field_may_appear_once():
    with pytest.raises(ChainImportError, match=r"layout '\{image\}/\{step\}_\{step\}.png': "
                                               r"\{step\} appears twice"):  # fmt: skip
        layout_regex("{image}/{step}_{step}.png")
    with pytest.raises(ChainImportError, match="needs at least"):
        layout_regex("{image}/{run}.png")
    pattern = layout_regex("  {image}\\{step}.png ")  # trimmed, backslashes read as slashes
    assert pattern.fullmatch("Holi/3.png").groupdict() == {"image": "Holi", "step": "3"}


def test_not_a_folder_is_refused(tmp_path):
    with pytest.raises(ChainImportError, match=r"nowhere: not a folder"):
        plan_folder(tmp_path / "nowhere")
    file = _png(tmp_path / "f.png")
    with pytest.raises(ChainImportError, match=r"f\.png: not a folder"):
        plan_folder(file)


def test_a_folder_over_the_file_limit_is_refused(tmp_path, monkeypatch):
    _chain(tmp_path, steps=(0, 1, 2))
    monkeypatch.setattr(chain_import, "MAX_FILES", 3)
    assert len(plan_folder(tmp_path)[0].steps) == 3  # exactly the limit is fine
    (tmp_path / "extra.txt").write_text("x")
    with pytest.raises(ChainImportError, match="more than 3 files"):
        plan_folder(tmp_path)


def test_steps_past_the_bound_and_missing_steps_are_refused(tmp_path):
    _chain(tmp_path / "ok", steps=(0, MAX_STEP))
    with pytest.raises(ChainImportError, match=rf"A/r1 misses step\(s\) 1, 2, 3, 4, 5, 6, 7, 8 "
                                               rf"of 0\.\.{MAX_STEP}"):  # fmt: skip
        plan_folder(tmp_path / "ok")
    _chain(tmp_path / "over", steps=(0, MAX_STEP + 1))
    with pytest.raises(ChainImportError, match=rf"{MAX_STEP + 1}\.png: step {MAX_STEP + 1} "
                                               rf"is outside 0\.\.{MAX_STEP}"):  # fmt: skip
        plan_folder(tmp_path / "over")


def test_a_step_given_twice_names_both_files(tmp_path):
    _chain(tmp_path, steps=(0, 1))
    _png(tmp_path / "A" / "r1" / "01.png")  # 01 and 1 are the same step
    with pytest.raises(ChainImportError, match=r"step 1 of A/r1 appears twice \(01\.png\)"):
        plan_folder(tmp_path)


def test_a_chain_of_only_the_input_is_refused(tmp_path):
    _chain(tmp_path, steps=(0,))
    with pytest.raises(ChainImportError, match="A/r1 has only step 0"):
        plan_folder(tmp_path)


def test_two_labels_that_clean_to_one_name_are_refused(tmp_path):
    _chain(tmp_path, image="a b")
    _chain(tmp_path, image="a-b")
    with pytest.raises(ChainImportError, match="two chains would both be named 'a-b-r1'"):
        plan_folder(tmp_path)


def test_a_layout_without_run_makes_run_r1_and_reads_thoughts_beside(tmp_path, project_dir):
    for step in (0, 1, 2):
        _png(tmp_path / "Holi" / f"{step}.png", value=0.2 * step)
    (tmp_path / "Holi" / "1.txt").write_text("  Sharpened the edges.\n")
    (plan,) = plan_folder(tmp_path, "{image}/{step}.png")
    assert (plan.image, plan.run, plan.name, sorted(plan.thoughts)) == (
        "Holi",
        "r1",
        "Holi-r1",
        [1],
    )
    reported = []
    (run,) = import_chains(project_dir, [plan], editor="banana", on_run=reported.append)
    assert reported == [run]
    assert run.as_dict() == {"run": "Holi-r1", "run_id": run.run_id, "group": "Holi",
                             "steps": 2, "thoughts": 1}  # fmt: skip
    with Project.open(project_dir) as project:
        metas = [r.meta for r in project.results(run.run_id)]
        assert [m.get("thoughts") for m in metas] == [None, "Sharpened the edges.", ""]
        assert metas[1]["editor"] == "banana" and metas[1]["imported"] is True
        assert metas[1]["aspect_change"] is None and metas[1]["resized"] is False


def test_a_step_whose_aspect_changed_gets_its_crop(tmp_path, project_dir):
    _png(tmp_path / "A" / "r1" / "0.png", 12, 16)
    _png(tmp_path / "A" / "r1" / "1.png", 12, 12)  # 4:3 became square
    (run,) = import_chains(project_dir, plan_folder(tmp_path))
    with Project.open(project_dir) as project:
        meta = project.results(run.run_id)[1].meta
    assert meta["aspect_change"] == {"from": [16, 12], "to": [12, 12], "ratio": 0.75}
    assert meta["resized"] is True and meta["crop"] is not None
    assert (meta["crop"]["w"], meta["crop"]["h"]) == (12, 12)


def test_an_unknown_schedule_or_a_taken_name_writes_nothing(tmp_path, project_dir):
    _chain(tmp_path)
    plans = plan_folder(tmp_path)
    with pytest.raises(ChainImportError, match="unknown schedule 'spiral'; known: "):
        import_chains(project_dir, plans, schedule="spiral")
    import_chains(project_dir, plans)
    with pytest.raises(ChainImportError, match="run 'A-r1' already exists in the project"):
        import_chains(project_dir, plans)
    with Project.open(project_dir) as project:
        assert [r.name for r in project.runs()] == ["A-r1"]
        assert len(project.images()) == 2


def test_a_thoughts_file_that_is_not_utf8_or_too_large_is_refused(tmp_path, project_dir,
                                                                  monkeypatch):  # fmt: skip
    _chain(tmp_path)
    beside = tmp_path / "A" / "r1" / "1.txt"
    beside.write_bytes(b"ok \xff bad")
    with pytest.raises(ChainImportError, match=r"1\.txt: not-utf8 \(invalid byte 0xff at offset 3"):
        import_chains(project_dir, plan_folder(tmp_path))
    beside.write_text("x" * 11)
    monkeypatch.setattr(chain_import, "THOUGHT_BYTES", 10)
    with pytest.raises(ChainImportError, match=r"1\.txt: too-large"):
        import_chains(project_dir, plan_folder(tmp_path))
    with Project.open(project_dir) as project:
        assert project.runs() == [] and project.images() == []  # the chain is stored whole or not


# -- manifests ---------------------------------------------------------------------------------


def _manifest(tmp_path, *rows, header="image,run,step,path,thoughts"):
    path = tmp_path / "m.csv"
    path.write_text("\n".join([header, *rows]) + "\n")
    return path


def test_manifest_refusals_name_the_row(tmp_path):
    _png(tmp_path / "s0.png")
    _png(tmp_path / "s1.png")
    cases = [
        (("Kokoro,r1,0,s0.png,", ",r1,1,s1.png,"), r"m\.csv, row 3: empty image or path"),
        (("Kokoro,r1,0,  ,",), r"m\.csv, row 2: empty image or path"),
        (("Kokoro,r1,0,gone.png,",), r"m\.csv, row 2: no file 'gone\.png'"),
        (("Kokoro,r1,0,s0.png,", "Kokoro,r1,1,s1.png,why.txt"),
         r"m\.csv, row 3: no thoughts file 'why\.txt'"),
        (("Kokoro,r1,0,s0.png,", "Kokoro,r1,-1,s1.png,"),
         r"m\.csv, row 3: step -1 is outside 0\.\.100000"),
        (("Kokoro,r1,0,s0.png,", "Kokoro,r1,0,s1.png,"),
         r"m\.csv, row 3: step 0 of Kokoro/r1 appears twice \(s0\.png\)"),
        (("Kokoro,r1,0,s0.png,", "Kokoro,r1,2,s1.png,"), r"Kokoro/r1 misses step\(s\) 1 of 0\.\.2"),
    ]  # fmt: skip
    for rows, message in cases:
        with pytest.raises(ChainImportError, match=message):
            plan_manifest(_manifest(tmp_path, *rows))


def test_manifest_columns_and_file_are_checked(tmp_path):
    with pytest.raises(ChainImportError, match=r"m\.csv: missing column\(s\) step, path"):
        plan_manifest(_manifest(tmp_path, "A,0", header="image,run"))
    with pytest.raises(ChainImportError, match=r"m\.csv: missing column\(s\) image, step, path"):
        plan_manifest(_manifest(tmp_path, header=""))
    with pytest.raises(ChainImportError, match=r"m\.csv: no file matches the manifest"):
        plan_manifest(_manifest(tmp_path))
    with pytest.raises(ChainImportError, match=r"absent\.csv: missing"):
        plan_manifest(tmp_path / "absent.csv")
    (tmp_path / "bin.csv").write_bytes(b"image,step,path\n\xfe\n")
    with pytest.raises(ChainImportError, match=r"bin\.csv: not-utf8"):
        plan_manifest(tmp_path / "bin.csv")


def test_a_manifest_without_run_column_uses_r1(tmp_path):
    _png(tmp_path / "s0.png")
    _png(tmp_path / "s1.png")
    path = _manifest(tmp_path, "K,0,s0.png", "K,1,s1.png", header="image,step,path")
    (plan,) = plan_manifest(path)
    assert (plan.run, plan.name, plan.thoughts) == ("r1", "K-r1", {})
    assert plan.steps == {0: (tmp_path / "s0.png").resolve(), 1: (tmp_path / "s1.png").resolve()}


def test_a_manifest_brings_only_files_inside_its_folder(tmp_path):
    inside = tmp_path / "chains"
    inside.mkdir()
    _png(inside / "s0.png")
    _png(tmp_path / "secret.png")
    (tmp_path / "secret.txt").write_text("private")
    (inside / "link.png").symlink_to(tmp_path / "secret.png")
    cases = [
        ("Kokoro,r1,0,../secret.png,", r"row 2: file '\.\./secret\.png' is outside"),
        (f"Kokoro,r1,0,{tmp_path / 'secret.png'},", r"row 2: file '/.*secret\.png' is outside"),
        ("Kokoro,r1,0,link.png,", r"row 2: file 'link\.png' is outside"),
        ("Kokoro,r1,0,s0.png,../secret.txt", r"row 2: thoughts file '\.\./secret\.txt' is outside"),
    ]
    for row, message in cases:
        with pytest.raises(ChainImportError, match=message):
            plan_manifest(_manifest(inside, row))


def test_a_folder_brings_only_files_inside_it(tmp_path):
    root = tmp_path / "chains"
    (root / "Kokoro" / "r1").mkdir(parents=True)
    _png(root / "Kokoro" / "r1" / "0.png")
    _png(tmp_path / "secret.png")
    (tmp_path / "secret.txt").write_text("private")
    (root / "Kokoro" / "r1" / "1.png").symlink_to(tmp_path / "secret.png")
    with pytest.raises(ChainImportError, match=r"file 'Kokoro/r1/1\.png' is outside"):
        plan_folder(root)
    (root / "Kokoro" / "r1" / "1.png").unlink()
    _png(root / "Kokoro" / "r1" / "1.png")
    (root / "Kokoro" / "r1" / "1.txt").symlink_to(tmp_path / "secret.txt")
    with pytest.raises(ChainImportError, match=r"thoughts file 'Kokoro/r1/1\.txt' is out"):
        plan_folder(root)
