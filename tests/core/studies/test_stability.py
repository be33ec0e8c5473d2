"""Seed 000's stability protocol: Friedman over the repeats of one restore run, per prompt."""

from __future__ import annotations

import pytest
from scipy.stats import friedmanchisquare

from core.errors import IrisError
from core.methods.runner import restore_images
from core.metrics.scoring import score_project
from core.project import Project
from core.studies.restore_outputs import restore_outputs
from core.studies.stability import friedman_table, stability_tables
from tests.core.studies.conftest import VARYING, make_inputs


def _restore(path, ids, prompt, repeat=3, name=None):
    params = {**VARYING, "prompt": prompt}
    return restore_images(path, ids, "generation-loss", params, repeat=repeat, run_name=name)


def test_friedman_after_repeat_3_equals_scipy_per_prompt(tmp_path):
    path, ids = make_inputs(tmp_path, count=5)
    runs = {prompt: _restore(path, ids, prompt, name=f"{prompt} x3") for prompt in ("S1", "LF1")}
    rows = friedman_table(path, "prompt", ["entropy"], device="cpu")
    assert [(r.group, r.metric) for r in rows] == [("LF1", "entropy"), ("S1", "entropy")]
    outputs = [r.output_image_id for results in runs.values() for r in results]
    stored = score_project(path, ["entropy"], image_ids=outputs, compute=False)
    for row in rows:
        results = runs[row.group]
        # the table by hand: one row per input image, one column per repeat
        table = [
            [stored.value(r.output_image_id, "entropy") for r in results if r.input_image_id == i]
            for i in ids
        ]
        assert all(len(line) == 3 and None not in line for line in table)
        expected = friedmanchisquare(*zip(*table, strict=True))
        assert row.statistic == pytest.approx(expected.statistic, rel=1e-12)
        assert row.p_value == pytest.approx(expected.pvalue, rel=1e-9)
        assert (row.blocks, row.treatments) == (5, 3)
        assert row.significant == (expected.pvalue < 0.05)
    assert len({stored.value(o, "entropy") for o in outputs}) > 20  # the repeats really differ


def test_layout_repeats_are_treatments_and_runs_add_theirs(tmp_path):
    path, ids = make_inputs(tmp_path, count=2, size=32)
    _restore(path, ids, "S1", repeat=3, name="first")
    _restore(path, ids, "S1", repeat=2, name="second")
    _restore(path, ids, "LF3", repeat=1)
    with Project.open(path) as project:
        outputs = restore_outputs(project)
    tables = stability_tables(outputs, "prompt")
    assert list(tables) == ["LF3", "S1"]
    assert sorted(tables["S1"]) == ["first #1", "first #2", "first #3", "second #1", "second #2"]
    assert list(tables["LF3"]) == ["#1"]
    assert all(set(column) == set(ids) for column in tables["S1"].values())
    assert all(o.prompt_group != "(none)" for o in outputs)  # library prompts carry a group
    rows = {r.group: r for r in friedman_table(path, "prompt", ["entropy"], device="cpu")}
    assert rows["LF3"].statistic is None and "at least 3 repeats" in rows["LF3"].note
    assert rows["S1"].treatments == 5 and rows["S1"].p_value is not None
    by_run = {r.group: r for r in friedman_table(path, "run", ["entropy"], compute=False)}
    assert by_run["first"].treatments == 3 and by_run["second"].statistic is None


def test_bad_group_key_and_empty_project_are_one_error(tmp_path):
    path, ids = make_inputs(tmp_path, count=2, size=32)
    with pytest.raises(IrisError, match="no restore outputs"):
        friedman_table(path, "prompt", ["entropy"])
    _restore(path, ids, "S1")
    with pytest.raises(IrisError, match="cannot group by 'scene'; keys: prompt"):
        friedman_table(path, "scene", ["entropy"])
    with Project.open(path) as project:
        project.set_tags(ids, {"scene": "text"})
    rows = friedman_table(path, "scene", ["entropy"], device="cpu")  # outputs inherit tags
    assert [r.group for r in rows] == ["text"] and rows[0].treatments == 3
