"""The VLM severity judge (RS/FS) and the thought-summary judge against a fake Gemini server."""

from __future__ import annotations

import base64

import pytest

from core.errors import IrisError
from core.metrics.judges import (
    SEVERITY_METRIC,
    THOUGHT_METRIC,
    group_summary,
    judge_thoughts,
    parse_yes_no,
    realir_scores,
    set_manual_rating,
)
from core.metrics.realir import JudgeAnswerError, parse_degradation_score
from core.project import Project
from core.prompts import judge_prompt
from tests.core.metrics.make_runs import build_iterative_project, texture
from tests.fakes.gemini_server import Reply, error_body, fake_gemini, text_response


@pytest.fixture
def fake(monkeypatch):
    monkeypatch.setenv("IRIS_JUDGE_MODEL", "fake-judge")
    with fake_gemini(monkeypatch) as server:
        yield server


def _restore_project(path, tags=None):
    project = Project.create(path)
    degraded = project.add_image_array(texture(32, seed=1), name="noisy.png", kind="degraded")
    restored = project.add_image_array(
        texture(32, seed=2), name="clean.png", kind="restored", parent_id=degraded.id
    )
    if tags:
        project.set_tags([degraded.id], tags)
    project.close()
    return degraded.id, restored.id


@pytest.mark.parametrize(
    ("answer", "score"),
    [
        ("Degradation Score: 4", 4),
        ("degradation score:2.", 2),
        ("**Degradation Score:** <5>", 5),
        ("“Degradation Score: 1”", 1),
        ("4", 4),
        (" 3 \n", 3),
    ],
)
def test_strict_parser_accepts_the_documented_forms(answer, score):
    assert parse_degradation_score(answer) == score


@pytest.mark.parametrize(
    "answer",
    ["I think 4/5", "Degradation Score: 0", "Degradation Score: 6", "4.5", "Score: 4",
     "Degradation Score: 4, maybe 3", "", "The image is clean.", "45"],
)  # fmt: skip
def test_strict_parser_rejects_everything_else(answer):
    with pytest.raises(JudgeAnswerError, match="Degradation Score"):
        parse_degradation_score(answer)


def test_yes_no_reads_the_first_word():
    assert parse_yes_no("Yes.") and parse_yes_no("“yes”") and not parse_yes_no("No, it does not.")
    with pytest.raises(JudgeAnswerError):
        parse_yes_no("The summary says yes")


def test_severity_prompt_sent_has_the_task_and_the_1_5_scale_and_is_cached(tmp_path, fake):
    degraded, restored = _restore_project(tmp_path / "p")
    fake.push(
        Reply(status=503, body=error_body(503, "UNAVAILABLE")),  # retried
        Reply(body=text_response("Degradation Score: 4")),  # the restored image
        Reply(body=text_response("Degradation Score: 1")),  # its degraded input
    )
    (row,) = realir_scores(tmp_path / "p", [restored], task="rain", lps_metric=None)
    assert (row.rating_restored, row.rating_input, row.rs, row.task) == (4.0, 1.0, 3.0, "rain")
    assert row.fs is None  # no LPS asked for
    row.lps = 0.2
    assert row.fs == pytest.approx(0.2 * 0.8 * 3.0)
    assert len(fake.requests) == 3
    sent = fake.requests[1].json
    assert sent["generationConfig"]["responseModalities"] == ["TEXT"]
    parts = sent["contents"][0]["parts"]
    with Project.open(tmp_path / "p") as project:
        sent_image = base64.urlsafe_b64decode(parts[0]["inlineData"]["data"])
        assert sent_image == project.image_path(restored).read_bytes()
    text = parts[1]["text"]
    # the Fig. 9 instruction exactly, with {task} filled in: the task and the 1-5 scale
    assert text == judge_prompt("RIR-SEVERITY").text.replace("{task}", "rain")
    assert "exhibits the degradation type rain and" in text and "Scoring Scale (1–5)" in text
    assert "5 = No rain;" in text and "(> 80% area)" in text and "{task}" not in text
    assert "“Degradation Score: <1–5>”" in text
    (again,) = realir_scores(tmp_path / "p", [restored], task="rain", lps_metric=None)
    assert again.rs == 3.0 and len(fake.requests) == 3  # stored: nothing asked again
    assert again.restored.answer == "Degradation Score: 4"  # the record came back with it
    assert again.restored.model == "fake-judge" and again.restored.prompt_id == "RIR-SEVERITY"


def test_unparsable_answers_are_recorded_failures_not_zero(tmp_path, fake):
    degraded, restored = _restore_project(tmp_path / "p", tags={"task": "Deblurring"})
    fake.push(Reply(body=text_response("I think 4/5")), Reply(body=text_response("2")))
    (row,) = realir_scores(tmp_path / "p", [restored], lps_metric=None)  # task from the tag
    assert row.task == "blur" and row.rating_restored is None and row.rating_input == 2.0
    assert row.rs is None and row.fs is None and "I think 4/5" in row.error
    assert "degradation type blur" in fake.requests[0].json["contents"][0]["parts"][1]["text"]
    with Project.open(tmp_path / "p") as project:
        image = project.image(restored)
        (stored,) = [s for s in project.scores_with_images() if s["image_id"] == restored]
        assert stored["metric"] == SEVERITY_METRIC and stored["value"] is None
        assert "I think 4/5" in stored["error"]
        record = project.judgement(image.sha256, SEVERITY_METRIC, stored["metric_version"])
        assert record["answer"] == "I think 4/5" and record["value"] is None
        assert record["model"] == "fake-judge" and record["task"] == "blur"
        assert record["judge"] == "gemini" and record["prompt_id"] == "RIR-SEVERITY"
        assert "I think 4/5" in record["error"]
        assert not [k for k in project.meta() if k.startswith("judgement:")]
    # a stored failure stays a failure; --retry-failed asks again
    (same,) = realir_scores(tmp_path / "p", [restored], lps_metric=None)
    assert same.rs is None and len(fake.requests) == 2
    fake.push(Reply(body=text_response("Degradation Score: 5")))
    (retried,) = realir_scores(tmp_path / "p", [restored], lps_metric=None, retry_failed=True)
    assert retried.rs == 3.0 and len(fake.requests) == 3


def test_a_missing_task_names_the_image(tmp_path, fake):
    _degraded, restored = _restore_project(tmp_path / "p")
    with pytest.raises(IrisError, match=r"clean\.png.*task"):
        realir_scores(tmp_path / "p", [restored], lps_metric=None)
    with pytest.raises(IrisError, match="unknown RealIR-Bench task"):
        realir_scores(tmp_path / "p", [restored], task="snow", lps_metric=None)


def test_generic_prompt_is_a_named_alternative(tmp_path, fake):
    _degraded, restored = _restore_project(tmp_path / "p")
    fake.push(Reply(body=text_response("4")), Reply(body=text_response("Rating: 0 out of 5")))
    (row,) = realir_scores(
        tmp_path / "p", [restored], task="noise", prompt_id="IRIS-SEVERITY-0-5", lps_metric=None
    )
    assert row.rs == 4.0  # the generic prompt's 0 is a rating on its own 0-5 scale
    assert "0 to 5" in fake.requests[0].json["contents"][0]["parts"][1]["text"]


def test_local_judge_without_the_runtime_is_one_clear_error(tmp_path, monkeypatch):
    import sys

    _degraded, restored = _restore_project(tmp_path / "p")
    monkeypatch.setitem(sys.modules, "core.local_models", None)  # import fails as if absent
    monkeypatch.setitem(sys.modules, "core.local_models.vlm", None)
    with pytest.raises(IrisError, match="local-model runtime"):
        realir_scores(tmp_path / "p", [restored], task="haze", judge="local", model="/m",
                      lps_metric=None)  # fmt: skip


def test_local_judge_calls_the_vlm_runtime(tmp_path, monkeypatch):
    import sys
    import types

    _degraded, restored = _restore_project(tmp_path / "p")
    calls = []

    def ask(model_dir, prompt, image, mime, cancel):
        calls.append((model_dir, "degradation type haze" in prompt, mime, len(image or b"")))
        return "Degradation Score: 5" if len(calls) == 1 else "Degradation Score: 3"

    package = types.ModuleType("core.local_models")
    module = types.ModuleType("core.local_models.vlm")
    module.ask = ask
    package.vlm = module
    monkeypatch.setitem(sys.modules, "core.local_models", package)
    monkeypatch.setitem(sys.modules, "core.local_models.vlm", module)
    (row,) = realir_scores(tmp_path / "p", [restored], task="haze", judge="local",
                           model="/models/qwen3-vl", lps_metric=None)  # fmt: skip
    assert row.rs == 2.0 and row.restored.judge == "local"
    assert [c[:3] for c in calls] == [("/models/qwen3-vl", True, "image/png")] * 2


def test_manual_ratings_replace_the_vlm(tmp_path, fake):
    degraded, restored = _restore_project(tmp_path / "p")
    with pytest.raises(IrisError, match="no manual rating"):
        realir_scores(tmp_path / "p", [restored], task="rain", judge="manual", lps_metric=None)
    set_manual_rating(tmp_path / "p", restored, 5)
    set_manual_rating(tmp_path / "p", degraded, 2)
    (row,) = realir_scores(tmp_path / "p", [restored], task="rain", judge="manual",
                           lps_metric=None)  # fmt: skip
    assert row.rs == 3.0 and fake.requests == []
    with Project.open(tmp_path / "p") as project:
        image = project.image(restored)
        assert project.score(image.sha256, SEVERITY_METRIC, "manual")["value"] == 5.0


FIG8_START = "Below is a reasoning summary from an image editing model. Please identify if the"


def test_thought_judge_sends_fig8_verbatim_and_finds_the_first_yes(tmp_path, fake):
    build_iterative_project(tmp_path / "p", runs=3, steps=12, size=16).close()
    template = judge_prompt("B100-SELF-EVAL").text
    assert template == (
        "Below is a reasoning summary from an image editing model. Please identify if the "
        "reasoning summary mentions that the original image is noisy, pixelated, or contains "
        "visible artifacts. Output “yes” or “no” only.\n{reasoning_summary}"
    )
    # make_runs: run r (seed r) mentions noise from step 8 + r; the judge stops at the first yes
    for first in (8, 9, 10):
        fake.push(*[Reply(body=text_response("No.")) for _ in range(first - 1)])
        fake.push(Reply(body=text_response("Yes")))
    runs = judge_thoughts(tmp_path / "p", ["jpeg-replicate"])
    assert [r.first_yes for r in runs] == [8, 9, 10]
    with Project.open(tmp_path / "p") as project:
        run = project.run("replicate-0-1")
        thoughts = {r.step_index: r.meta.get("thoughts") for r in project.results(run.id)}
    sent = fake.requests[0].json
    assert sent["contents"][0]["parts"][0]["text"] == template.replace(
        "{reasoning_summary}", thoughts[1]
    )  # the summary at the end of the template, nothing else
    assert fake.requests[0].path.endswith("models/fake-judge:generateContent")
    summary = group_summary(runs)["jpeg-replicate"]
    assert summary["mean"] == pytest.approx(9.0) and summary["sd"] == pytest.approx(1.0)
    assert summary["never"] == 0 and summary["first_yes"]["replicate-0-2"] == 9
    count = len(fake.requests)
    judge_thoughts(tmp_path / "p", ["replicate-0-1"])
    assert len(fake.requests) == count  # verdicts are stored by thought text


def test_thought_judge_default_model_is_the_papers(tmp_path, monkeypatch):
    monkeypatch.delenv("IRIS_JUDGE_MODEL", raising=False)
    build_iterative_project(tmp_path / "p", runs=1, steps=2, size=16).close()
    with fake_gemini(monkeypatch) as server:
        server.push(Reply(body=text_response("maybe")), Reply(body=text_response("no")))
        (run,) = judge_thoughts(tmp_path / "p", ["replicate-0-1"])
        assert "gemini-3-flash-preview" in server.requests[0].path
    assert run.first_yes is None and list(run.failed) == [1] and run.answers == {2: False}
    with Project.open(tmp_path / "p") as project:
        failed = [s for s in project.scores_with_images() if s["metric"] == THOUGHT_METRIC]
        assert sorted(s["value"] is None for s in failed) == [False, True]


def test_stored_results_are_read_back_without_asking(tmp_path, fake):
    from core.metrics.judges import stored_realir, stored_thoughts

    degraded, restored = _restore_project(tmp_path / "p")
    assert stored_realir(tmp_path / "p", [restored, degraded]) == {}
    fake.push(Reply(body=text_response("Degradation Score: 5")),
              Reply(body=text_response("Degradation Score: 2")))  # fmt: skip
    realir_scores(tmp_path / "p", [restored], task="rain", lps_metric=None)
    with Project.open(tmp_path / "p") as project:
        image = project.image(restored)
        project.put_score("0" * 64, "lpips", "x", 0.5)  # another image's LPS is not this one's
    found = stored_realir(tmp_path / "p", [restored, degraded], lps_metric=None)
    assert list(found) == [restored]  # the degraded input has no input of its own
    assert (found[restored]["rs"], found[restored]["task"], found[restored]["fs"]) == (
        3.0,
        "rain",
        None,
    )
    assert image.sha256 and len(fake.requests) == 2
    build_iterative_project(tmp_path / "q", runs=2, steps=10, size=16).close()
    fake.push(
        *[Reply(body=text_response("no")) for _ in range(7)], Reply(body=text_response("yes"))
    )
    asked = judge_thoughts(tmp_path / "q", ["replicate-0-1"])
    count = len(fake.requests)
    (again, untouched) = stored_thoughts(tmp_path / "q", ["jpeg-replicate"])
    assert again.first_yes == asked[0].first_yes == 8 and again.answers == asked[0].answers
    assert untouched.answers == {} and untouched.first_yes is None
    assert len(fake.requests) == count
