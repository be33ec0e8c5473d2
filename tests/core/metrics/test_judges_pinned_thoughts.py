"""Pinned behaviour of Banana100's self-evaluation judge and of the stored-judgement readers.

The thought judge (Banana100, section 4.3, Fig. 8): every step's reasoning summary is sent
inside the Fig. 8 template (quoted here from the paper, not read from the module), the
answer's first word is yes or no, the first 'yes' step is the delay; per run group its mean
and sample standard deviation (computed here by hand). ``stored_realir`` / ``stored_thoughts``
read judgements written here directly through the project's store, so what they must return
is known without running the judge.
"""

from __future__ import annotations

import hashlib
import math
import threading

import pytest

import core.metrics.judges as judges
from core.errors import IrisError
from core.jobs import Cancelled
from core.metrics.judges import (
    THOUGHT_METRIC,
    ThoughtRun,
    group_summary,
    judge_thoughts,
    stored_realir,
    stored_thoughts,
)
from core.project import Project
from tests.core.metrics.test_judges_pinned import (
    FakeReport,
    image_bytes,
    key_of,
    restore_pair,
)

# Banana100, Figure 8, verbatim: the reasoning summary goes at the end.
FIG8 = (
    "Below is a reasoning summary from an image editing model. Please identify if the "
    "reasoning summary mentions that the original image is noisy, pixelated, or contains "
    "visible artifacts. Output “yes” or “no” only.\n{reasoning_summary}"
)


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def thought_key(model: str) -> str:
    """Thought judgements are keyed by the unfilled template and no task ('-')."""
    return key_of(model, "B100-SELF-EVAL", "", FIG8)


class FakeThoughtJudge:
    """Answers by the summary at the end of the prompt; records every call."""

    def __init__(self, replies: dict[str, str]) -> None:
        self.replies = replies
        self.template = FIG8
        self.calls: list[tuple] = []
        self.kinds: list[str] = []

    def ask(self, model, prompt, image, mime, cancel):
        self.calls.append((model, prompt, image, mime, cancel))
        (summary,) = [
            s for s in self.replies if prompt == self.template.replace("{reasoning_summary}", s)
        ]
        return self.replies[summary]

    def default_model(self, kind):
        self.kinds.append(kind)
        return f"fake-{kind}"

    def asked(self) -> list[str]:
        return [prompt.rsplit("\n", 1)[1] for (_m, prompt, *_rest) in self.calls]


@pytest.fixture
def judge(monkeypatch):
    fake = FakeThoughtJudge({})
    monkeypatch.setitem(judges.BACKENDS, "gemini", judges.Backend(fake.ask, fake.default_model))
    return fake


def thought_run(project, name, steps, group=None):
    """A run with one result per (step, thoughts) in the order given (None: no thoughts)."""
    run = project.create_run(name, "iterate", group_name=group, status="done")
    for step, text in steps:
        meta = {} if text is None else {"thoughts": text}
        project.add_result(run.id, status="ok", step_index=step, meta=meta)
    return run


# --- judge_thoughts ---------------------------------------------------------------------------


def test_thought_judge_asks_in_step_order_and_stops_at_the_first_yes(tmp_path, judge):
    steps = [
        (0, "the input step"),  # step 0 is the input: never judged
        (None, "a result without a step"),  # not a step of the chain: never judged
        (1, "s1: keeping the layout"),
        (3, "s3: the source is noisy"),  # stored before step 2: the steps are sorted
        (2, "s2: visible JPEG artifacts"),
        (4, "s4: clean again"),
    ]
    judge.replies.update({
        "s1: keeping the layout": "No.",
        "s2: visible JPEG artifacts": "Yes",
        "s3: the source is noisy": "yes, noisy",
        "s4: clean again": "no",
    })  # fmt: skip
    with Project.create(tmp_path / "p") as project:
        thought_run(project, "r1", steps, group="jpeg")
    cancel = threading.Event()
    progress = []
    (run,) = judge_thoughts(tmp_path / "p", ["r1"], model="judge-m", cancel=cancel,
                            progress=lambda d, t: progress.append((d, t)))  # fmt: skip
    assert (run.run, run.group) == ("r1", "jpeg")
    assert judge.asked() == ["s1: keeping the layout", "s2: visible JPEG artifacts"]
    assert run.answers == {1: False, 2: True} and run.first_yes == 2 and run.failed == {}
    assert progress == [(1, 1)]
    # the prompt is Fig. 8 with the summary at its end; text only, with the given model
    first = judge.calls[0]
    assert first == ("judge-m", FIG8.replace("{reasoning_summary}", steps[2][1]), None, "", cancel)
    assert judge.kinds == []
    version = thought_key("judge-m")
    with Project.open(tmp_path / "p") as project:
        for text, value, reply in [
            ("s1: keeping the layout", 0.0, "No."),
            ("s2: visible JPEG artifacts", 1.0, "Yes"),
        ]:
            score = project.score(sha(text), "judge:thought-noise", version)
            assert score["value"] == value and score["error"] is None
            record = project.judgement(sha(text), "judge:thought-noise", version)
            assert {k: record[k] for k in record if k in FIELDS} == {
                "judge": "gemini", "model": "judge-m", "prompt_id": "B100-SELF-EVAL",
                "task": "", "answer": reply, "value": value, "error": None,
            }  # fmt: skip
        assert project.score(sha("s3: the source is noisy"), THOUGHT_METRIC, version) is None
    # stored verdicts are read back, not asked again
    (again,) = judge_thoughts(tmp_path / "p", ["r1"], model="judge-m")
    assert again.answers == {1: False, 2: True} and len(judge.calls) == 2
    # every step when asked not to stop: only the steps not yet judged are asked
    (full,) = judge_thoughts(tmp_path / "p", ["r1"], model="judge-m", stop_at_first_yes=False)
    assert full.answers == {1: False, 2: True, 3: True, 4: False} and full.first_yes == 2
    assert judge.asked()[2:] == ["s3: the source is noisy", "s4: clean again"]


FIELDS = ("judge", "model", "prompt_id", "task", "answer", "value", "error")


def test_a_non_answer_is_recorded_not_a_no_and_is_asked_again(tmp_path, judge):
    judge.replies.update({"t1": "maybe", "t2": "no", "t5": "Yes."})
    with Project.create(tmp_path / "p") as project:
        thought_run(project, "r", [(1, "t1"), (2, "  t2  "), (3, "   "), (4, None), (5, "t5")])
    (run,) = judge_thoughts(tmp_path / "p", ["r"])
    assert judge.kinds == ["thoughts"]  # no model given: the backend's thought default
    assert {c[0] for c in judge.calls} == {"fake-thoughts"}
    assert judge.asked() == ["t1", "t2", "t5"]  # blank and missing thoughts are not asked
    assert run.answers == {2: False, 5: True} and run.first_yes == 5
    assert list(run.failed) == [1]
    assert "'maybe'" in run.failed[1] and "yes or no" in run.failed[1]
    version = thought_key("fake-thoughts")
    with Project.open(tmp_path / "p") as project:
        score = project.score(sha("t1"), THOUGHT_METRIC, version)
        assert score["value"] is None and score["error"] == run.failed[1]
        record = project.judgement(sha("t1"), THOUGHT_METRIC, version)
        assert (record["answer"], record["value"], record["error"]) == (
            "maybe",
            None,
            run.failed[1],
        )
        assert project.score(sha("t2"), THOUGHT_METRIC, version)["value"] == 0.0  # stripped text
    judge.replies["t1"] = "no"
    (again,) = judge_thoughts(tmp_path / "p", ["r"])
    assert judge.asked()[3:] == ["t1"]  # only the failed step is asked again
    assert again.answers == {1: False, 2: False, 5: True} and again.failed == {}


def test_thought_judge_over_a_run_group_and_its_cancel(tmp_path, judge):
    judge.replies.update({"a1": "yes", "b1": "no", "b2": "yes"})
    with Project.create(tmp_path / "p") as project:
        thought_run(project, "ga", [(1, "a1")], group="g")
        thought_run(project, "gb", [(1, "b1"), (2, "b2")], group="g")
    progress = []
    runs = judge_thoughts(tmp_path / "p", ["g"], progress=lambda d, t: progress.append((d, t)))
    assert [(r.run, r.group, r.first_yes) for r in runs] == [("ga", "g", 1), ("gb", "g", 2)]
    assert progress == [(1, 2), (2, 2)]
    cancel = threading.Event()
    cancel.set()
    with Project.create(tmp_path / "q") as project:
        thought_run(project, "r", [(1, "a1")])
    with pytest.raises(Cancelled):
        judge_thoughts(tmp_path / "q", ["r"], cancel=cancel)
    assert len(judge.calls) == 3
    with pytest.raises(IrisError, match="unknown judge"):
        judge_thoughts(tmp_path / "q", ["r"], judge="nope")


def test_thought_judge_with_iris_own_template(tmp_path, judge):
    from core.prompts import judge_prompt

    template = judge_prompt("IRIS-THOUGHTS").text  # the summary in the middle
    judge.template = template
    judge.replies.update({"t1": "no", "t2": "yes"})
    with Project.create(tmp_path / "p") as project:
        thought_run(project, "r", [(1, "t1"), (2, "t2")])
    (run,) = judge_thoughts(tmp_path / "p", ["r"], model="m", prompt_id="IRIS-THOUGHTS")
    assert run.first_yes == 2
    assert [c[1] for c in judge.calls] == [template.replace("{reasoning_summary}", t)
                                           for t in ("t1", "t2")]  # fmt: skip
    version = key_of("m", "IRIS-THOUGHTS", "", template)
    with Project.open(tmp_path / "p") as project:
        record = project.judgement(sha("t2"), THOUGHT_METRIC, version)
        assert record["prompt_id"] == "IRIS-THOUGHTS" and record["value"] == 1.0


# --- group_summary ----------------------------------------------------------------------------


def verdicts(run, group, first_yes=None, failed=0):
    out = ThoughtRun(run, group)
    if first_yes is not None:
        out.answers = {step: step == first_yes for step in range(1, first_yes + 1)}
    out.failed = {100 + i: "bad" for i in range(failed)}
    return out


def test_group_summary_mean_and_sample_sd_of_the_first_yes():
    runs = [
        verdicts("a1", "A", 8),
        verdicts("a2", "A", 9, failed=2),
        verdicts("a3", "A", 10),
        verdicts("b1", "B", 3),
        verdicts("b2", "B", 7, failed=1),
        verdicts("b3", "B", None),
        verdicts("solo", None, 5),
        verdicts("never", None, None, failed=1),
    ]
    summary = group_summary(runs)
    assert list(summary) == ["A", "B", "solo", "never"]  # a run without a group is its own
    a = summary["A"]
    assert a["runs"] == 3 and a["first_yes"] == {"a1": 8, "a2": 9, "a3": 10}
    assert a["mean"] == 9.0 and a["sd"] == pytest.approx(1.0)  # sqrt((1 + 0 + 1) / 2)
    assert a["never"] == 0 and a["failed_answers"] == 2
    b = summary["B"]
    assert b["runs"] == 3 and b["first_yes"] == {"b1": 3, "b2": 7, "b3": None}
    assert b["mean"] == 5.0 and b["sd"] == pytest.approx(math.sqrt(8))  # (4 + 4) / (2 - 1)
    assert b["never"] == 1 and b["failed_answers"] == 1
    assert summary["solo"] == {"runs": 1, "first_yes": {"solo": 5}, "mean": 5.0, "sd": 0.0,
                               "never": 0, "failed_answers": 0}  # fmt: skip
    assert summary["never"] == {"runs": 1, "first_yes": {"never": None}, "mean": None,
                                "sd": None, "never": 1, "failed_answers": 1}  # fmt: skip
    assert group_summary([]) == {}


# --- stored_realir ----------------------------------------------------------------------------


def put(project, image, version, value, *, model="m", task="rain", error=None, metric=None):
    project.put_judgement(
        image.sha256, metric or "judge:severity", version, judge="gemini", model=model,
        prompt_id="RIR-SEVERITY", task=task, answer=str(value), value=value, error=error,
    )  # fmt: skip


@pytest.fixture
def lps_scores(monkeypatch):
    import types

    import core.metrics.scoring as scoring

    state = types.SimpleNamespace(calls=[], values={}, fail=False)

    def score_project(project_dir, metrics, **kwargs):
        state.calls.append((project_dir, list(metrics), kwargs))
        if state.fail:
            raise IrisError("unknown metric")
        return FakeReport(state.values)

    monkeypatch.setattr(scoring, "score_project", score_project)
    return state


def test_stored_realir_pairs_each_image_with_its_input_under_one_version(tmp_path, lps_scores):
    with Project.create(tmp_path / "p") as project:
        a_in, a, _d = restore_pair(project, 10, 110)  # both judged under v1
        b_in, b, _d = restore_pair(project, 20, 120)  # input judged under another version
        c_in, c, _d = restore_pair(project, 30, 130)  # restored image's answer rejected
        d_in, d, _d = restore_pair(project, 40, 140)  # input's answer rejected
        e_in, e, _d = restore_pair(project, 50, 150)  # never judged
        _f_in, f, _d = restore_pair(project, 60, 160)  # its input never judged
        put(project, a, "v1", 4.0, task="rain")
        put(project, a_in, "v1", 1.0, task="rain")
        put(project, b, "v1", 5.0, model="m1", task="haze")
        put(project, b_in, "v2", 2.0, model="m2", task="haze")
        put(project, c, "v1", None, error="E-restored")
        put(project, c_in, "v1", 3.0)
        put(project, d, "v1", 2.0)
        put(project, d_in, "v1", None, error="E-input")
        put(project, f, "v1", 3.0, task="noise")
        put(project, a, "v9", 1.0, metric="judge:other")  # another judge metric: not severity
        put(project, a_in, "v9", 0.0, metric="judge:other")
    lps_scores.values = {(a.id, "lpips"): 0.25, (c.id, "lpips"): 0.5}
    ids = [e.id, a.id, a_in.id, b.id, c.id, d.id, a.id, f.id]  # unjudged first, inputs, repeats
    found = stored_realir(tmp_path / "p", ids)
    assert list(found) == [a.id, b.id, c.id, d.id, f.id]
    assert found[f.id] == {"rs": None, "lps": None, "fs": None, "rating": 3.0,
                           "rating_input": None, "task": "noise", "model": "m",
                           "error": None}  # fmt: skip
    assert found[a.id] == {"rs": 3.0, "lps": 0.25, "fs": pytest.approx(0.2 * 0.75 * 3.0),
                           "rating": 4.0, "rating_input": 1.0, "task": "rain", "model": "m",
                           "error": None}  # fmt: skip
    assert found[b.id] == {"rs": None, "lps": None, "fs": None, "rating": 5.0,
                           "rating_input": None, "task": "haze", "model": "m1",
                           "error": None}  # fmt: skip
    assert found[c.id] == {"rs": None, "lps": 0.5, "fs": None, "rating": None,
                           "rating_input": 3.0, "task": "rain", "model": "m",
                           "error": "E-restored"}  # fmt: skip
    assert found[d.id] == {"rs": None, "lps": None, "fs": None, "rating": 2.0,
                           "rating_input": None, "task": "rain", "model": "m",
                           "error": "E-input"}  # fmt: skip
    # LPS is read (never computed) for the judged images only, against their inputs
    assert lps_scores.calls == [
        (tmp_path / "p", ["lpips"], {"image_ids": [a.id, b.id, c.id, d.id, f.id],
                                     "reference": "input", "compute": False}),
    ]  # fmt: skip


def test_stored_realir_prefers_the_newest_version_both_images_share(tmp_path, lps_scores):
    with Project.create(tmp_path / "p") as project:
        x_in, x, _d = restore_pair(project, 10, 110)
        put(project, x_in, "old", 1.0, model="old")
        put(project, x, "old", 3.0, model="old")
        put(project, x, "new", 5.0, model="new")  # newest, but its input was not judged so
    found = stored_realir(tmp_path / "p", [x.id], lps_metric=None)
    assert (found[x.id]["rs"], found[x.id]["model"], found[x.id]["rating"]) == (2.0, "old", 3.0)
    with Project.open(tmp_path / "p") as project:
        put(project, x_in, "new", 4.0, model="new")
    found = stored_realir(tmp_path / "p", [x.id], lps_metric=None)
    assert (found[x.id]["rs"], found[x.id]["model"], found[x.id]["rating"]) == (1.0, "new", 5.0)
    assert lps_scores.calls == []  # no LPS metric: nothing read


def test_stored_realir_without_judgements_or_lps_metric(tmp_path, lps_scores):
    with Project.create(tmp_path / "p") as project:
        x_in, x, _d = restore_pair(project, 10, 110)
        lone = project.add_image_bytes(image_bytes(77), name="lone.png", kind="degraded")
    assert stored_realir(tmp_path / "p", [x.id, lone.id]) == {}
    assert stored_realir(tmp_path / "p", [lone.id, x_in.id]) == {}
    assert stored_realir(tmp_path / "p", []) == {}
    assert lps_scores.calls == []  # nothing judged: no LPS read
    with Project.open(tmp_path / "p") as project:
        put(project, x, "v", 4.0)
        put(project, x_in, "v", 2.0)
    lps_scores.fail = True  # an unknown LPS metric: RS stays, FS cannot be had
    found = stored_realir(tmp_path / "p", [x.id], lps_metric="no-such-metric")
    assert found[x.id]["rs"] == 2.0 and found[x.id]["lps"] is None and found[x.id]["fs"] is None
    assert lps_scores.calls[0][1] == ["no-such-metric"]
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(Cancelled):
        stored_realir(tmp_path / "p", [x.id], cancel=cancel)


# --- stored_thoughts --------------------------------------------------------------------------


def put_thought(project, text, version, value, error=None, metric=THOUGHT_METRIC):
    project.put_judgement(
        sha(text), metric, version, judge="gemini", model="m", prompt_id="B100-SELF-EVAL",
        answer="x", value=value, error=error,
    )  # fmt: skip


def test_stored_thoughts_reads_the_newest_version_per_run(tmp_path, judge):
    with Project.create(tmp_path / "p") as project:
        thought_run(project, "r1", [(0, "input"), (1, "one"), (2, " two "), (3, "three"),
                                    (4, None), (5, "five"), (6, "six")], group="g")  # fmt: skip
        thought_run(project, "r2", [(1, "other"), (2, "XXXX")], group="g")
        put_thought(project, "input", "v1", 1.0)  # step 0's text: never a verdict
        put_thought(project, "one", "v1", 1.0)
        put_thought(project, "two", "v1", 1.0)
        put_thought(project, "three", "v1", 1.0)  # judged under v1 only: no verdict now
        put_thought(project, "one", "v2", 0.0)  # newer version: only its rows count
        put_thought(project, "two", "v2", 1.0)
        put_thought(project, "input", "v2", 1.0)  # step 0 is the input, even when judged
        put_thought(project, "five", "v2", None, error="not yes or no")
        put_thought(project, "six", "v2", None)  # a failure without a reason
        put_thought(project, "other", "v1", 0.0)  # r2: an older version ...
        put_thought(project, "XXXX", "v3", 1.0)  # ... and the newest, of one step only
        put_thought(project, "other", "v4", 1.0, metric="judge:something-else")
    r1, r2 = stored_thoughts(tmp_path / "p", ["g"])
    assert (r1.run, r1.group, r2.run, r2.group) == ("r1", "g", "r2", "g")
    assert r1.answers == {1: False, 2: True} and r1.first_yes == 2
    assert r1.failed == {5: "not yes or no", 6: "no answer"}
    assert r2.answers == {2: True}  # v3 is r2's newest version: step 1's v1 row is older
    (only,) = stored_thoughts(tmp_path / "p", ["r2"])
    assert only.answers == r2.answers
    assert judge.calls == []  # nothing asked


def test_stored_thoughts_of_a_run_never_judged_or_without_thoughts(tmp_path):
    with Project.create(tmp_path / "p") as project:
        thought_run(project, "blank", [(1, None), (2, "  ")])
        thought_run(project, "unjudged", [(1, "words")])
    blank, unjudged = stored_thoughts(tmp_path / "p", ["blank", "unjudged"])
    assert (blank.answers, blank.failed, blank.first_yes) == ({}, {}, None)
    assert (unjudged.answers, unjudged.failed) == ({}, {})
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(Cancelled):
        stored_thoughts(tmp_path / "p", ["blank"], cancel=cancel)
