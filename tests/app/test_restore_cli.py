"""``iris restore``, ``iris methods`` and ``iris import-method`` from the command line."""

from __future__ import annotations

import json

import numpy as np

from app.cli import main
from core.imageio import save_png
from core.project import Project
from tests.core.methods.synthetic import scene


def make_project(tmp_path, names=("a", "b")):
    folder = tmp_path / "inputs"
    folder.mkdir()
    for seed, name in enumerate(names):
        save_png(folder / f"{name}.png", scene(48, seed=seed))
    project = tmp_path / "project"
    assert main(["import", "--project", str(project), str(folder)]) == 0
    return project, folder


def test_methods_json_lists_parameters(capsys):
    assert main(["methods", "--json"]) == 0
    methods = {m["name"]: m for m in json.loads(capsys.readouterr().out)}
    assert {"nlmeans", "bilateral", "unsharp", "deconvolve", "clahe", "gamma", "dehaze"} <= set(
        methods
    )
    h = next(p for p in methods["nlmeans"]["params"] if p["name"] == "h")
    assert h["type"] == "float" and h["min"] == 0.0 and h["max"] == 100.0


def test_restore_prints_one_json_line_per_result(tmp_path, capsys):
    project, folder = make_project(tmp_path)
    capsys.readouterr()
    code = main(
        ["restore", "--project", str(project), "--method", "unsharp", "--param", "amount=0.5",
         "--repeat", "2", "a", str(folder / "b.png")]
    )  # fmt: skip
    assert code == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["input"], r["repeat"]) for r in lines] == [("a", 0), ("a", 1), ("b", 0), ("b", 1)]
    assert all(r["status"] == "ok" and r["output_image_id"] for r in lines)
    with Project.open(project) as opened:
        assert len(opened.images(kind="restored")) == 4
        assert opened.image(lines[0]["output_image_id"]).meta["params"]["amount"] == 0.5


def test_restore_bad_param_is_one_line_error(tmp_path, capsys):
    project, _ = make_project(tmp_path, names=("a",))
    capsys.readouterr()
    code = main(["restore", "--project", str(project), "--method", "gamma", "--param", "x", "a"])
    err = capsys.readouterr().err
    assert code == 1 and err.startswith("iris: error:") and "key=value" in err
    assert main(["restore", "--project", str(project), "--method", "gamma", "zzz"]) == 1
    assert "zzz" in capsys.readouterr().err


def test_import_method_matches_by_stem_and_lists_mismatches(tmp_path, capsys):
    project, _ = make_project(tmp_path, names=("a", "b", "c"))
    outputs = tmp_path / "hypir"
    outputs.mkdir()
    save_png(outputs / "a.png", np.full((48, 48, 3), 0.5, np.float32))
    save_png(outputs / "B.png", np.full((48, 48, 3), 0.25, np.float32))
    save_png(outputs / "stray.png", np.zeros((8, 8, 3), np.float32))
    capsys.readouterr()
    code = main(
        ["import-method", "--project", str(project), "--name", "HYPIR", str(outputs), "--json"]
    )
    assert code == 0
    report = json.loads(capsys.readouterr().out)
    assert len(report["matched"]) == 2
    assert report["unmatched_files"] == [str(outputs / "stray.png")]
    assert report["inputs_without_output"] == ["c"]
    with Project.open(project) as opened:
        method = next(m for m in opened.methods() if m["name"] == "HYPIR")
        assert method["kind"] == "imported"
        outs = opened.images(kind="method_output")
        assert {opened.image(o.parent_id).name for o in outs} == {"a", "b"}
        assert all(o.method_id == method["id"] for o in outs)
        assert len(opened.results(report["run_id"])) == 2
    # importing the same folder again adds nothing new
    main(["import-method", "--project", str(project), "--name", "HYPIR", str(outputs), "--json"])
    again = json.loads(capsys.readouterr().out)
    assert again["matched"] == [] and len(again["duplicates"]) == 2


def test_gemini_without_a_key_is_a_clear_one_line_error(tmp_path, capsys, monkeypatch):
    for name in ("GEMINI_API_KEY", "GOOGLE_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    project, _ = make_project(tmp_path, names=("a",))
    capsys.readouterr()
    code = main(["restore", "--project", str(project), "--method", "gemini", "--prompt", "S1", "a"])
    err = capsys.readouterr().err
    assert code == 1 and err.startswith("iris: error: no Gemini API key") and err.count("\n") == 1
