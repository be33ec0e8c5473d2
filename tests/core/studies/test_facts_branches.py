"""Facts: refused metrics and references, each stored score's status, and the key rules at
their edges (steps without a parent, dangling or cyclic parent chains, tags named like keys)."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from core.metrics.alignment import aligned_version
from core.metrics.engine import metric_version
from core.project import Project
from core.project.facts import PROVENANCE_COLUMNS
from core.studies.facts import (
    BUILTIN_KEYS,
    MISSING,
    NO_REFERENCE,
    OTHER_VERSION,
    StudyError,
    _Images,
    _json,
    _model_of,
    _prompt_of,
    _reference_shas,
    check_metrics,
    read_facts,
)

JUDGE = "judge.x"  # a name pyiqa does not know: a judge's scores


def pixels(seed: int, shape=(8, 8, 3)) -> np.ndarray:
    return np.random.default_rng(seed).random(shape).astype(np.float32)


@pytest.fixture(scope="module")
def scored(tmp_path_factory):
    """Input ``a`` (tagged), ``b`` (8x6) and ``c`` (8x8) degraded from it, scores of each kind."""
    path = tmp_path_factory.mktemp("scored") / "p"
    psnr, niqe = metric_version("psnr"), metric_version("niqe")
    with Project.create(path) as project, pytest.MonkeyPatch.context() as patch:
        a = project.add_image_array(pixels(1), name="a", kind="imported")
        b = project.add_image_array(pixels(2, (6, 8, 3)), name="b", kind="degraded", parent_id=a.id)
        c = project.add_image_array(pixels(3), name="c", kind="degraded", parent_id=a.id)
        project.set_tags([a.id], {"scene": "x", "method": "tagged"})
        aligned = aligned_version(psnr, (8, 6), (8, 8))
        project.put_score(b.sha256, "psnr", aligned, 30.0, reference_sha256=a.sha256)
        project.put_score(b.sha256, "psnr", "pyiqa-0.0.1", 99.0, reference_sha256=a.sha256)
        project.put_score(c.sha256, "psnr", psnr, float("inf"), reference_sha256=a.sha256)
        project.put_score(a.sha256, "niqe", niqe, None, error="boom")
        project.put_score(b.sha256, "niqe", niqe, None)
        for old in ("old1", "old2", "old3"):
            project.put_score(c.sha256, "niqe", old, 1.0)
        project.put_score(a.sha256, JUDGE, "whatever", 0.5)
        for version, value, day in (("j1", 1.0, "01"), ("j2", 2.0, "03"), ("j3", 3.0, "02")):
            stamp = f"2030-{day}-01T00:00:00.000+00:00"  # j2 is the newest, stored before j3
            patch.setattr("core.project.scores.now", lambda stamp=stamp: stamp)
            project.put_score(c.sha256, JUDGE, version, value)
    return path, {"a": a, "b": b, "c": c, "aligned": aligned}


def test_a_full_reference_metric_without_a_reference_is_refused_naming_it(scored):
    path, _ = scored
    with pytest.raises(StudyError, match=r"^psnr: full-reference, give --ref \(input, previous"):
        read_facts(path, ["niqe", "psnr"])


def test_every_stored_score_gets_its_value_or_the_reason_it_has_none(scored):
    path, images = scored
    a, b, c = (images[k].id for k in "abc")
    facts = read_facts(path, ["psnr", "niqe", JUDGE], reference="clean")
    assert facts.values["psnr"] == {b: 30.0}  # 8x6 against 8x8: the aligned version's score
    assert facts.references["psnr"] == {b: "a"}
    assert facts.status["psnr"] == {a: NO_REFERENCE, c: "not finite"}
    assert facts.versions["psnr"] == [images["aligned"]]
    assert facts.values["niqe"] == {}
    assert facts.status["niqe"] == {a: "error: boom", b: "error: no value", c: OTHER_VERSION}
    # a name outside pyiqa takes any version: its newest score where several are stored
    assert facts.values[JUDGE] == {a: 0.5, c: 2.0}
    assert facts.status[JUDGE] == {b: MISSING}
    assert facts.versions[JUDGE] == ["whatever", "j2"]
    got = [(f.image_id, f.metric, f.value, f.reference) for f in facts.facts()]
    assert got == [(a, JUDGE, 0.5, ""), (b, "psnr", 30.0, "a"), (c, JUDGE, 2.0, "")]


def test_a_tag_named_like_a_builtin_key_does_not_replace_it(scored):
    path, images = scored
    facts = read_facts(path, ["niqe"])
    a, b = images["a"].id, images["b"].id
    assert facts.keys[a]["method"] is None and facts.keys[a]["scene"] == "x"
    assert facts.keys[b]["scene"] == "x" and facts.keys[b]["input"] == "b"
    assert facts.tag_keys == ["method", "scene"]
    assert facts.known_keys() == [*BUILTIN_KEYS, "scene"]


def test_an_image_id_reference_names_one_image_for_all_and_a_missing_id_is_refused(scored):
    path, images = scored
    a, b, c = (images[k].id for k in "abc")
    facts = read_facts(path, ["psnr"], reference=str(a))
    assert facts.values["psnr"] == {b: 30.0}
    assert facts.status["psnr"] == {a: MISSING, c: "not finite"}
    with pytest.raises(StudyError, match=r"^--ref 9999: no image with id 9999 in the project$"):
        read_facts(path, ["psnr"], reference="9999")


def test_a_file_reference_is_the_reference_of_every_image(scored, tmp_path):
    path, images = scored
    a, b, c = (images[k].id for k in "abc")
    with Project.open(path) as project:
        copy = tmp_path / "truth.png"
        shutil.copyfile(project.image_path(images["a"]), copy)
    facts = read_facts(path, ["psnr"], reference=str(copy))
    assert facts.values["psnr"] == {b: 30.0}
    assert facts.references["psnr"] == {b: "truth.png"}
    assert facts.status["psnr"] == {a: MISSING, c: "not finite"}


def test_a_file_reference_in_an_empty_project_gives_no_facts(tmp_path):
    Project.create(tmp_path / "p").close()
    copy = tmp_path / "ref.png"
    from core.imageio import save_png

    save_png(copy, pixels(4))
    facts = read_facts(tmp_path / "p", ["psnr"], reference=str(copy))
    assert facts.keys == {} and facts.values == {"psnr": {}} and list(facts.facts()) == []


def test_check_metrics_dedupes_and_refuses_names_neither_pyiqa_nor_stored(scored, tmp_path):
    path, _ = scored
    with Project.open(path) as project:
        assert check_metrics(project, [JUDGE, " psnr ", JUDGE, ""]) == [JUDGE, "psnr"]
        with pytest.raises(StudyError, match=r"\(stored: judge\.x, niqe, psnr\)$"):
            check_metrics(project, ["psnr", "nosuch"])
        with pytest.raises(StudyError, match=r"^give at least one metric \(--metrics\)$"):
            check_metrics(project, [" ", ""])
    refused = r"^metric 'nosuch': not a pyiqa .*\(stored: none\)$"
    with Project.create(tmp_path / "empty") as empty, pytest.raises(StudyError, match=refused):
        check_metrics(empty, ["nosuch"])


def test_json_columns_that_are_not_an_object_read_as_empty():
    assert _json(None) == {} and _json("") == {}
    assert _json("{not json") == {}
    assert _json("[1, 2]") == {} and _json('"text"') == {}
    assert _json('{"prompt": "p"}') == {"prompt": "p"}


def test_prompt_and_model_are_read_in_their_order_of_precedence():
    nested = {"params": {"prompt": "inner", "model": "m-inner"}, "prompt": "top", "model": "m-top"}
    assert _prompt_of({"prompt_id": "P7", "prompt": "late"}, nested) == "P7"
    assert _prompt_of({"prompt": "late"}, nested) == "inner"
    assert _prompt_of({"prompt": "late"}, {"params": "not a dict", "prompt": "top"}) == "top"
    assert _prompt_of({"prompt": "late"}, {"params": {}}) == "late"
    assert _prompt_of({}, {}) is None
    assert _model_of({"model": "m-result"}, nested) == "m-result"
    assert _model_of({}, nested) == "m-inner"
    assert _model_of({}, {"params": ["x"], "model": "m-top"}) == "m-top"
    assert _model_of({"model": ""}, {}) is None


class FakeProject:
    """The two bulk reads :class:`_Images` makes, with rows the store's API cannot write."""

    def __init__(self, rows, steps):
        self.rows, self.steps = rows, steps

    def image_provenance(self):
        return self.rows

    def step_outputs(self):
        return self.steps


def row(image_id, kind, parent=None, run=None, step=None):
    values = {"id": image_id, "name": f"i{image_id}", "sha256": f"sha{image_id}", "kind": kind}
    values.update(width=4, height=3, parent_id=parent, run_id=run, step_index=step)
    return tuple(values.get(column) for column in PROVENANCE_COLUMNS)


@pytest.fixture
def odd():
    rows = [
        row(1, "imported"),
        row(2, "step", run=7, step=1),  # the first step: no parent, its run's input is step 0
        row(3, "step", parent=2, run=7, step=2),
        row(4, "restored", parent=99),  # a parent that is not in the project
        row(5, "restored", parent=6),
        row(6, "restored", parent=5),  # a cycle 5 -> 6 -> 5
        row(8, "step", run=9, step=1),  # a run with no stored results at all
    ]
    return _Images(FakeProject(rows, [(7, 0, 1), (7, 0, 3)]))  # step 0 twice: the first counts


def test_references_of_steps_follow_the_run_where_no_result_names_the_step(odd):
    assert odd.reference_id(2, "previous") == 1  # no parent: the run's input
    assert odd.reference_id(3, "previous") == 2
    assert odd.reference_id(3, "input") == 1
    assert odd.reference_id(3, "step1") == 2  # no result of step 1: the run's step image
    assert odd.reference_id(1, "step0") == 1  # the input is its run's step 0
    assert odd.reference_id(4, "step0") is None  # no run
    assert odd.reference_id(8, "step0") is None  # step 0 has no fallback
    assert odd.reference_id(8, "step1") == 8


def test_clean_stops_on_a_cycle_and_a_dangling_parent_gives_no_reference(odd):
    assert odd.reference_id(5, "clean") is None and odd.reference_id(6, "clean") is None
    assert odd.reference_id(4, "clean") == 99
    assert odd.reference_id(3, "clean") == 2
    assert _reference_shas(None, odd, "clean") == {3: ("sha2", "i2", (4, 3))}


def test_an_unknown_reference_name_is_refused_listing_the_named_ones(odd):
    with pytest.raises(StudyError, match=r"^--ref 'bogus': not one of input, previous, step0, "):
        odd.reference_id(1, "bogus")


def test_the_input_of_an_image_falls_back_to_its_parent_then_to_itself(odd):
    assert odd.input_id(1) == 1 and odd.input_id(3) == 1
    assert odd.input_id(8) == 8  # a step whose run has no input and no parent
    assert odd.input_id(4) == 4  # the parent is not in the project
    assert odd.input_id(5) == 6
