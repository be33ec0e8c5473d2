"""Pinned behaviour of the severity judge (RealIR-Bench RS / LPS / FS) in core/metrics/judges.py.

Every expected value here comes from outside the module: the paper's formula written out
(FS = 0.2 x (1 - LPS) x RS, RS = rating(restored) - rating(input)), hand-computed numbers,
the answer forms the module's docstring documents, the README's default models, and the
store key format projects already hold (a judgement stored by an earlier release must be
found again, or every image is asked, and paid for, once more). The judge model is a fake
backend that records what it is sent, so nothing here talks to a network.
"""

from __future__ import annotations

import hashlib
import io
import math
import sys
import threading
import types

import pytest
from PIL import Image

import core.metrics.judges as judges
from core.errors import IrisError
from core.jobs import Cancelled
from core.metrics.judges import (
    SEVERITY_METRIC,
    Judgement,
    RealIRRow,
    backend,
    judge_model,
    parse_yes_no,
    realir_scores,
    set_manual_rating,
    severity,
)
from core.metrics.realir import JudgeAnswerError, parse_degradation_score, resolve_task
from core.project import Project
from core.prompts import judge_prompt

# --- helpers -------------------------------------------------------------------------------


def image_bytes(grey: int, fmt: str = "PNG", size: int = 8) -> bytes:
    """A small uniform image, encoded: distinct greys give distinct files (and contents)."""
    buffer = io.BytesIO()
    Image.new("RGB", (size, size), (grey, grey, grey)).save(buffer, fmt)
    return buffer.getvalue()


def key_of(model: str, prompt_id: str, task: str, text: str, judge: str = "gemini") -> str:
    """The metric version projects store judgements under: judge, model, prompt, task, and
    the first 12 hex digits of the SHA-256 of the prompt text ('-' for no task)."""
    digest = hashlib.sha256(text.encode()).hexdigest()[:12]
    return f"{judge}:{model}|{prompt_id}|{task or '-'}|{digest}"


def severity_text(task_degradation: str, prompt_id: str = "RIR-SEVERITY") -> str:
    return judge_prompt(prompt_id).text.replace("{task}", task_degradation)


class FakeJudge:
    """A judge backend: answers by the image it is shown (else from a queue); records calls."""

    def __init__(self) -> None:
        self.by_image: dict[bytes, str] = {}
        self.queue: list[str] = []
        self.calls: list[tuple] = []
        self.kinds: list[str] = []

    def ask(self, model, prompt, image, mime, cancel):
        self.calls.append((model, prompt, image, mime, cancel))
        if image in self.by_image:
            return self.by_image[image]
        return self.queue.pop(0)

    def default_model(self, kind):
        self.kinds.append(kind)
        return f"fake-{kind}"


@pytest.fixture
def fake(monkeypatch):
    judge = FakeJudge()
    monkeypatch.setitem(judges.BACKENDS, "gemini", judges.Backend(judge.ask, judge.default_model))
    return judge


def restore_pair(project: Project, degraded_grey: int = 40, restored_grey: int = 200, **extra):
    """A degraded input and a restored image made from it; returns (input, restored, data)."""
    data_in = image_bytes(degraded_grey)
    data_out = image_bytes(restored_grey)
    degraded = project.add_image_bytes(data_in, name=f"in{degraded_grey}.png", kind="degraded")
    restored = project.add_image_bytes(
        data_out, name=f"out{restored_grey}.png", kind="restored", parent_id=degraded.id, **extra
    )
    return degraded, restored, (data_in, data_out)


# --- parse_yes_no (Fig. 8's "yes" or "no") -------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("yes", True),
        ("no", False),
        ("Yes.", True),
        ("NO!", False),
        ("yes, the summary mentions noise", True),
        ("No, it does not.", False),
        ("  no\n\nbecause the summary is about colours", False),
        ('"yes"', True),
        ("'no'", False),
        ("“yes”", True),  # curly quotes: opening dropped in front, closing after the word
        ("‘no’", False),
        ("**Yes**", True),
        ("`no`", False),
        ("Yes: noisy", True),
        ("no;", False),
    ],
)
def test_yes_no_accepts_the_first_word_whatever_its_case_quotes_and_punctuation(answer, expected):
    assert parse_yes_no(answer) is expected


@pytest.mark.parametrize(
    "answer",
    [
        "",
        "   ",
        '"',  # only a quote: no word left
        "maybe",
        "The summary says yes",
        "yess",
        "nope",
        "Xyes",  # only the listed quotes and emphasis are dropped in front, not letters
        "yesX",  # and only the listed punctuation after the word
        "y e s",
    ],
)
def test_yes_no_refuses_anything_else_as_a_judge_answer_error(answer):
    with pytest.raises(JudgeAnswerError, match="does not start with yes or no"):
        parse_yes_no(answer)


def test_yes_no_error_quotes_the_first_120_characters_of_the_answer():
    answer = "m" * 120 + "Z" + "tail"
    with pytest.raises(JudgeAnswerError) as caught:
        parse_yes_no(answer)
    assert str(caught.value).endswith(repr("m" * 120))  # the 121st character is not shown


# --- which judge, which model ----------------------------------------------------------------


def test_unknown_judge_names_the_known_ones():
    with pytest.raises(IrisError) as caught:
        backend("vlm")
    assert str(caught.value) == "unknown judge 'vlm'; known: gemini, local, manual"
    assert backend("gemini") is judges.BACKENDS["gemini"]
    assert backend("local") is judges.BACKENDS["local"]


def test_default_judge_models_are_the_readme_s(monkeypatch):
    monkeypatch.delenv("IRIS_JUDGE_MODEL", raising=False)
    # README: IRIS_JUDGE_MODEL, default gemini-2.5-flash; the self-evaluation judge's default
    # is gemini-3-flash-preview (Banana100's Gemini-3-flash, section 4.3)
    assert judge_model() == "gemini-2.5-flash"
    assert judge_model("severity") == "gemini-2.5-flash"
    assert judge_model("thoughts") == "gemini-3-flash-preview"
    gemini = judges.BACKENDS["gemini"]
    assert gemini.default_model("severity") == "gemini-2.5-flash"
    assert gemini.default_model("thoughts") == "gemini-3-flash-preview"
    monkeypatch.setenv("IRIS_JUDGE_MODEL", "  my-judge  ")
    assert judge_model() == "my-judge" and judge_model("thoughts") == "my-judge"
    monkeypatch.setenv("IRIS_JUDGE_MODEL", "   ")  # blank: as if unset
    assert judge_model() == "gemini-2.5-flash"
    assert judge_model("thoughts") == "gemini-3-flash-preview"


def test_local_judge_needs_a_model_folder(tmp_path):
    with Project.create(tmp_path / "p") as project:
        _degraded, restored, _data = restore_pair(project)
        with pytest.raises(IrisError) as caught:
            severity(project, restored.id, "rain", judge="local")
    message = str(caught.value)
    assert "the local judge needs --model FOLDER" in message
    assert "Qwen3-VL-8B-Instruct" in message  # RealRestorer's judge, named for the user


# --- the backends: what they pass on -------------------------------------------------------


def test_gemini_backend_sends_a_text_only_request_with_the_image(monkeypatch):
    import core.gemini.client as client
    import core.gemini.keys as keys

    sent = []

    def generate_text(request, key, *, cancel=None):
        sent.append((request, key, cancel))
        return types.SimpleNamespace(text="Degradation Score: 3")

    monkeypatch.setattr(client, "generate_text", generate_text)
    monkeypatch.setattr(keys, "api_key", lambda: "KEY-123")
    cancel = threading.Event()
    answer = judges.BACKENDS["gemini"].ask(
        "judge-m", "the prompt", b"\xff\xd8", "image/jpeg", cancel
    )
    assert answer == "Degradation Score: 3"
    ((request, key, passed),) = sent
    assert key == "KEY-123" and passed is cancel
    assert (request.model, request.prompt, request.image, request.mime_type) == (
        "judge-m",
        "the prompt",
        b"\xff\xd8",
        "image/jpeg",
    )
    # a judge answers in text: no image size, no thoughts, text modality only, and a text
    # answer's 60 s timeout (not an image edit's)
    assert request.image_size is None
    assert request.include_thoughts is False
    assert request.modalities == ("TEXT",)
    assert request.timeout_s == 60.0


def test_local_backend_passes_every_argument_to_the_vlm_runtime(monkeypatch):
    calls = []
    module = types.ModuleType("core.local_models.vlm")

    def ask(model, prompt, image, mime, cancel):
        calls.append((model, prompt, image, mime, cancel))
        return 4  # whatever the runtime returns, the judge gets text

    module.ask = ask
    package = types.ModuleType("core.local_models")
    package.vlm = module
    monkeypatch.setitem(sys.modules, "core.local_models", package)
    monkeypatch.setitem(sys.modules, "core.local_models.vlm", module)
    cancel = threading.Event()
    answer = judges.BACKENDS["local"].ask("/models/qwen", "prompt", b"img", "image/jpeg", cancel)
    assert answer == "4"
    assert calls == [("/models/qwen", "prompt", b"img", "image/jpeg", cancel)]


def test_local_backend_without_its_vlm_module_is_one_clear_error(monkeypatch, tmp_path):
    package = types.ModuleType("core.local_models")
    package.__path__ = [str(tmp_path)]
    monkeypatch.setitem(sys.modules, "core.local_models", package)
    monkeypatch.setitem(sys.modules, "core.local_models.vlm", None)  # the module cannot load
    with pytest.raises(IrisError) as caught:
        judges.BACKENDS["local"].ask("/m", "p", None, "", None)
    assert str(caught.value) == (
        "the 'local' judge needs IRIS's local-model runtime (core.local_models.vlm), "
        "which this installation does not have; use --judge gemini"
    )
    monkeypatch.setitem(sys.modules, "core.local_models", None)  # the whole package absent
    with pytest.raises(IrisError, match="local-model runtime"):
        judges.BACKENDS["local"].ask("/m", "p", None, "", None)


def test_local_backend_lets_a_missing_dependency_of_the_runtime_through(monkeypatch, tmp_path):
    (tmp_path / "vlm.py").write_text("import iris_test_absent_dependency_xyz\n")
    package = types.ModuleType("core.local_models")
    package.__path__ = [str(tmp_path)]
    monkeypatch.setitem(sys.modules, "core.local_models", package)
    monkeypatch.delitem(sys.modules, "core.local_models.vlm", raising=False)
    with pytest.raises(ModuleNotFoundError) as caught:
        judges.BACKENDS["local"].ask("/m", "p", None, "", None)
    assert caught.value.name == "iris_test_absent_dependency_xyz"  # not hidden as "no runtime"
    monkeypatch.delitem(sys.modules, "core.local_models.vlm", raising=False)


# --- manual ratings ---------------------------------------------------------------------------


@pytest.mark.parametrize("rating", [0, 0.0, 2.5, 5, 5.0])
def test_manual_rating_accepts_0_to_5_inclusive(tmp_path, rating):
    with Project.create(tmp_path / "p") as project:
        _degraded, restored, _data = restore_pair(project)
    set_manual_rating(tmp_path / "p", restored.id, rating)
    with Project.open(tmp_path / "p") as project:
        stored = project.score(restored.sha256, "judge:severity", "manual")
        assert stored["value"] == float(rating) and stored["error"] is None
        got = severity(project, restored.id, "Rain Removal", judge="manual")
    assert got.as_dict() == {
        "rating": float(rating),
        "judge": "manual",
        "model": "",
        "prompt_id": "",
        "task": "rain",
        "answer": "",
        "error": None,
    }


@pytest.mark.parametrize("rating", [-0.001, -1, 5.001, 5.5, 6, math.nan, math.inf, -math.inf])
def test_manual_rating_refuses_outside_0_to_5_nan_and_inf(tmp_path, rating):
    with Project.create(tmp_path / "p") as project:
        _degraded, restored, _data = restore_pair(project)
    with pytest.raises(IrisError) as caught:
        set_manual_rating(tmp_path / "p", restored.id, rating)
    assert str(caught.value) == f"a severity rating is 0 to 5, not {rating}"
    with Project.open(tmp_path / "p") as project:
        assert project.score(restored.sha256, "judge:severity", "manual") is None


def test_manual_judge_without_a_rating_names_the_image(tmp_path, fake):
    with Project.create(tmp_path / "p") as project:
        _degraded, restored, _data = restore_pair(project)
        with pytest.raises(IrisError) as caught:
            severity(project, restored.id, "rain", judge="manual")
    assert str(caught.value) == (
        f"no manual rating for image {restored.id} (out200.png): rate it first"
    )
    assert fake.calls == []


# --- severity: asking, parsing, storing ------------------------------------------------------


def test_severity_sends_fig9_with_the_degradation_and_stores_the_rating(tmp_path, fake):
    cancel = threading.Event()
    with Project.create(tmp_path / "p") as project:
        _degraded, restored, (_data_in, data_out) = restore_pair(project)
        fake.by_image[data_out] = "Degradation Score: 4"
        got = severity(project, restored.id, "moire", model="judge-x", cancel=cancel)
        # moire's Fig. 9 text is "moiré patterns" (the paper's degradation list), not its key
        text = severity_text("moiré patterns")
        assert "{task}" not in text and "moiré patterns" in text
        assert fake.calls == [("judge-x", text, data_out, "image/png", cancel)]
        assert fake.kinds == []  # a model was given: no default asked for
        assert got == Judgement(
            4.0, "gemini", "judge-x", "RIR-SEVERITY", "moire", "Degradation Score: 4", None
        )
        version = key_of("judge-x", "RIR-SEVERITY", "moire", text)
        score = project.score(restored.sha256, SEVERITY_METRIC, version)
        assert score["value"] == 4.0 and score["error"] is None
        record = project.judgement(restored.sha256, "judge:severity", version)
        assert {k: record[k] for k in judges_fields()} == {
            "judge": "gemini",
            "model": "judge-x",
            "prompt_id": "RIR-SEVERITY",
            "task": "moire",
            "answer": "Degradation Score: 4",
            "value": 4.0,
            "error": None,
        }


def judges_fields():
    return ("judge", "model", "prompt_id", "task", "answer", "value", "error")


def test_severity_default_judge_and_model_and_jpeg_mime(tmp_path, fake):
    with Project.create(tmp_path / "p") as project:
        data = image_bytes(90, "JPEG")
        image = project.add_image_bytes(data, name="x.jpg", kind="restored")
        fake.queue.append("2")  # the bare digit is an accepted form
        got = severity(project, image.id, resolve_task("haze"))
    assert fake.kinds == ["severity"]
    ((model, _prompt, sent, mime, cancel),) = fake.calls
    assert (model, sent, mime, cancel) == ("fake-severity", data, "image/jpeg", None)
    assert (got.rating, got.judge, got.model, got.task) == (2.0, "gemini", "fake-severity", "haze")


def test_severity_mime_of_other_formats_is_the_lower_case_format(tmp_path, fake):
    with Project.create(tmp_path / "p") as project:
        data = image_bytes(90, "WEBP")
        image = project.add_image_bytes(data, name="x.webp", kind="restored")
        fake.queue.append("Degradation Score: 5")
        severity(project, image.id, "noise")
    assert fake.calls[0][3] == "image/webp"


def test_a_rejected_answer_is_a_recorded_failure_never_a_zero(tmp_path, fake):
    answer = "I think 4/5"
    with pytest.raises(JudgeAnswerError) as reason:
        parse_degradation_score(answer)
    with Project.create(tmp_path / "p") as project:
        _degraded, restored, (_in, data_out) = restore_pair(project)
        fake.by_image[data_out] = answer
        got = severity(project, restored.id, "rain", model="m")
        assert got == Judgement(
            None, "gemini", "m", "RIR-SEVERITY", "rain", answer, str(reason.value)
        )
        version = key_of("m", "RIR-SEVERITY", "rain", severity_text("rain"))
        score = project.score(restored.sha256, SEVERITY_METRIC, version)
        assert score["value"] is None and score["error"] == str(reason.value)
        record = project.judgement(restored.sha256, SEVERITY_METRIC, version)
        assert (record["value"], record["answer"], record["error"]) == (
            None,
            answer,
            str(reason.value),
        )
        assert record["task"] == "rain" and record["prompt_id"] == "RIR-SEVERITY"
        # the stored failure comes back as it was, without asking
        again = severity(project, restored.id, "rain", model="m")
        assert again == got and len(fake.calls) == 1
        # asked again only when failures are to be retried
        fake.by_image[data_out] = "Degradation Score: 5"
        retried = severity(project, restored.id, "rain", model="m", retry_failed=True)
        assert retried.rating == 5.0 and retried.error is None and len(fake.calls) == 2
        # a stored rating is kept even when failures are retried
        kept = severity(project, restored.id, "rain", model="m", retry_failed=True)
        assert kept == retried and len(fake.calls) == 2


def test_a_stored_rating_comes_back_with_its_whole_record(tmp_path, fake):
    with Project.create(tmp_path / "p") as project:
        _degraded, restored, _data = restore_pair(project)
        text = severity_text("blur")
        version = key_of("old-model", "RIR-SEVERITY", "blur", text)
        # written by an earlier run (or release) under the documented key
        project.put_judgement(
            restored.sha256, SEVERITY_METRIC, version, judge="gemini", model="old-model",
            prompt_id="RIR-SEVERITY", task="blur", answer="Degradation Score: 3", value=3,
        )  # fmt: skip
        project.put_score(restored.sha256, SEVERITY_METRIC, version, 3.0)
        got = severity(project, restored.id, "deblur", model="old-model")
        assert fake.calls == []
        assert got == Judgement(
            3.0, "gemini", "old-model", "RIR-SEVERITY", "blur", "Degradation Score: 3", None
        )
        assert isinstance(got.rating, float)
        # a failure stored with its reason comes back with it
        project.put_judgement(
            restored.sha256, SEVERITY_METRIC, version, judge="gemini", model="old-model",
            prompt_id="RIR-SEVERITY", task="blur", answer="??", value=None, error="bad answer",
        )  # fmt: skip
        failed = severity(project, restored.id, "blur", model="old-model")
        assert failed == Judgement(None, "gemini", "old-model", "RIR-SEVERITY", "blur", "??",
                                   "bad answer")  # fmt: skip
        assert fake.calls == []
        # another model, task or prompt is another judgement: asked
        fake.queue += ["Degradation Score: 1", "Degradation Score: 2", "4"]
        assert severity(project, restored.id, "blur", model="new-model").rating == 1.0
        assert severity(project, restored.id, "rain", model="old-model").rating == 2.0
        generic = severity(
            project, restored.id, "blur", model="old-model", prompt_id="IRIS-SEVERITY-0-5"
        )
        assert generic.rating == 4.0 and generic.prompt_id == "IRIS-SEVERITY-0-5"
        assert fake.calls[2][1] == severity_text("blur", "IRIS-SEVERITY-0-5")
        assert len(fake.calls) == 3


def test_the_generic_prompt_reads_a_0_on_its_own_scale(tmp_path, fake):
    with Project.create(tmp_path / "p") as project:
        _degraded, restored, _data = restore_pair(project)
        fake.queue.append("Rating: 0 out of 5")
        got = severity(project, restored.id, "flare", model="m", prompt_id="IRIS-SEVERITY-0-5")
        assert got.rating == 0.0 and got.error is None
        version = key_of(
            "m", "IRIS-SEVERITY-0-5", "flare", severity_text("flare", "IRIS-SEVERITY-0-5")
        )
        assert project.score(restored.sha256, SEVERITY_METRIC, version)["value"] == 0.0


def test_severity_refuses_a_prompt_that_is_not_a_severity_prompt(tmp_path, fake):
    with Project.create(tmp_path / "p") as project:
        _degraded, restored, _data = restore_pair(project)
        with pytest.raises(IrisError) as caught:
            severity(project, restored.id, "rain", model="m", prompt_id="B100-SELF-EVAL")
    assert str(caught.value) == (
        "'B100-SELF-EVAL' is not a severity prompt; known: RIR-SEVERITY, IRIS-SEVERITY-0-5"
    )
    assert fake.calls == []


def test_a_long_answer_is_kept_to_2000_characters(tmp_path, fake):
    answer = "Degradation Score: 4 " + "because " * 400  # rejected: more than the score
    with Project.create(tmp_path / "p") as project:
        _degraded, restored, _data = restore_pair(project)
        fake.queue.append(answer)
        got = severity(project, restored.id, "rain", model="m")
    assert got.rating is None and got.answer == answer[:2000] and len(got.answer) == 2000


# --- realir_scores: RS, LPS, FS per restored image ----------------------------------------


class FakeReport:
    def __init__(self, values):
        self.values = values

    def value(self, image_id, metric):
        return self.values.get((image_id, metric))


@pytest.fixture
def lps_scores(monkeypatch):
    """Replace score_project (LPIPS needs weights); record its calls, answer from ``values``."""
    import core.metrics.scoring as scoring

    state = types.SimpleNamespace(calls=[], values={}, fail=False)

    def score_project(project_dir, metrics, **kwargs):
        state.calls.append((project_dir, list(metrics), kwargs))
        if state.fail:
            raise IrisError("unknown metric")
        return FakeReport(state.values)

    monkeypatch.setattr(scoring, "score_project", score_project)
    return state


def three_restorations(path):
    """Three restored images of three inputs: by a method, by a run, and by neither."""
    with Project.create(path) as project:
        method = project.ensure_method("hypir", "model")
        run = project.create_run("diffbir-run", "restore")
        a_in, a, (a_in_data, a_data) = restore_pair(project, 10, 110, method_id=method)
        b_in, b, (b_in_data, b_data) = restore_pair(project, 20, 120, run_id=run.id)
        c_in, c, (c_in_data, c_data) = restore_pair(project, 30, 130)
        project.set_tags([a_in.id], {"task": "rain"})
        project.set_tags([b_in.id], {"task": "Haze Removal"})  # the column title names it too
        project.set_tags([c_in.id], {"task": "low light"})
    answers = {
        a_data: "Degradation Score: 5", a_in_data: "Degradation Score: 2",  # RS 3
        b_data: "Degradation Score: 3", b_in_data: "Degradation Score: 4",  # RS -1
        c_data: "Degradation Score: 4", c_in_data: "4.5",  # input rejected: no RS
    }  # fmt: skip
    return (a, a_in, b, b_in, c, c_in), answers


def test_realir_scores_rs_lps_fs_per_image_from_the_task_tags(tmp_path, fake, lps_scores):
    (a, a_in, b, b_in, c, c_in), answers = three_restorations(tmp_path / "p")
    fake.by_image.update(answers)
    lps_scores.values = {(a.id, "lpips"): 0.25, (b.id, "lpips"): 0.5, (c.id, "lpips"): 0.1}
    progress = []
    rows = realir_scores(
        tmp_path / "p", [a.id, b.id, c.id], model="m", progress=lambda d, t: progress.append((d, t))
    )
    assert progress == [(1, 3), (2, 3), (3, 3)]
    assert [(r.image_id, r.input_id, r.task, r.method) for r in rows] == [
        (a.id, a_in.id, "rain", "hypir"),
        (b.id, b_in.id, "haze", "diffbir-run"),
        (c.id, c_in.id, "low-light", "?"),
    ]
    # RS = rating(restored) - rating(input); FS = 0.2 x (1 - LPS) x RS (Eq. 1), by hand
    assert [(r.rating_restored, r.rating_input, r.rs) for r in rows] == [
        (5.0, 2.0, 3.0),
        (3.0, 4.0, -1.0),
        (4.0, None, None),
    ]
    assert [r.lps for r in rows] == [0.25, 0.5, 0.1]
    assert rows[0].fs == pytest.approx(0.45)  # 0.2 * 0.75 * 3
    assert rows[1].fs == pytest.approx(-0.1)  # 0.2 * 0.5 * -1
    assert rows[2].fs is None and "4.5" in rows[2].error
    assert rows[0].error is None and rows[1].error is None
    # one LPS computation for all images, against their inputs, LPIPS on the chosen device
    assert lps_scores.calls == [
        (tmp_path / "p", ["lpips"], {"image_ids": [a.id, b.id, c.id], "reference": "input",
                                     "device": "auto"}),
    ]  # fmt: skip
    # each judgement was asked with the model and the task's own Fig. 9 text
    prompts = {image: prompt for (_m, prompt, image, _mime, _c) in fake.calls}
    assert prompts[answers_key(answers, "Degradation Score: 3")] == severity_text("haze")
    assert {m for (m, *_rest) in fake.calls} == {"m"} and len(fake.calls) == 6
    expected = {
        "image_id": a.id,
        "input_id": a_in.id,
        "task": "rain",
        "method": "hypir",
        "rating_restored": 5.0,
        "rating_input": 2.0,
        "rs": 3.0,
        "lps": 0.25,
        "fs": pytest.approx(0.45),
        "error": None,
        "judge": {
            "restored": {"rating": 5.0, "judge": "gemini", "model": "m",
                         "prompt_id": "RIR-SEVERITY", "task": "rain",
                         "answer": "Degradation Score: 5", "error": None},
            "input": {"rating": 2.0, "judge": "gemini", "model": "m",
                      "prompt_id": "RIR-SEVERITY", "task": "rain",
                      "answer": "Degradation Score: 2", "error": None},
        },
    }  # fmt: skip
    assert rows[0].as_dict() == expected


def answers_key(answers, answer):
    (data,) = [k for k, v in answers.items() if v == answer]
    return data


def test_realir_scores_passes_its_choices_on(tmp_path, fake, lps_scores):
    (a, a_in, b, _b_in, _c, _c_in), answers = three_restorations(tmp_path / "p")
    fake.by_image.update(answers)
    cancel = threading.Event()
    lps_scores.values = {(a.id, "dists"): 0.2}
    (row,) = realir_scores(
        tmp_path / "p", [a.id], task="noise", prompt_id="IRIS-SEVERITY-0-5", lps_metric="dists",
        device="cpu", cancel=cancel,
    )  # fmt: skip
    assert row.task == "noise"  # the given task overrides the tag
    assert fake.kinds == ["severity", "severity"]  # no model given: the backend's default
    assert [c[0] for c in fake.calls] == ["fake-severity"] * 2
    assert [c[1] for c in fake.calls] == [severity_text("noise", "IRIS-SEVERITY-0-5")] * 2
    assert all(c[4] is cancel for c in fake.calls)
    assert row.restored.prompt_id == "IRIS-SEVERITY-0-5" and row.rs == 3.0
    assert row.lps == 0.2 and row.fs == pytest.approx(0.2 * 0.8 * 3.0)
    assert lps_scores.calls[0][1:] == (
        ["dists"],
        {"image_ids": [a.id], "reference": "input", "device": "cpu"},
    )
    # no LPS metric: nothing is scored and FS stays unknown
    (plain,) = realir_scores(tmp_path / "p", [b.id], model="m", lps_metric=None)
    assert plain.lps is None and plain.fs is None and plain.rs == -1.0
    assert len(lps_scores.calls) == 1


def test_realir_scores_retry_failed_reaches_the_judge(tmp_path, fake, lps_scores):
    (_a, _a_in, _b, _b_in, c, c_in), answers = three_restorations(tmp_path / "p")
    fake.by_image.update(answers)
    (first,) = realir_scores(tmp_path / "p", [c.id], model="m", lps_metric=None)
    assert first.rs is None and len(fake.calls) == 2
    (same,) = realir_scores(tmp_path / "p", [c.id], model="m", lps_metric=None)
    assert same.rs is None and len(fake.calls) == 2  # the failure is stored: not asked
    with Project.open(tmp_path / "p") as project:
        c_in_data = project.image_path(c_in.id).read_bytes()
    fake.by_image[c_in_data] = "Degradation Score: 1"
    (retried,) = realir_scores(tmp_path / "p", [c.id], model="m", lps_metric=None,
                               retry_failed=True)  # fmt: skip
    assert retried.rs == 3.0 and len(fake.calls) == 3  # only the failed input asked again


def test_realir_scores_refusals(tmp_path, fake, lps_scores):
    (a, a_in, _b, _b_in, _c, _c_in), _answers = three_restorations(tmp_path / "p")
    with pytest.raises(IrisError) as caught:
        realir_scores(tmp_path / "p", [a_in.id], task="rain", model="m")
    assert str(caught.value) == f"image {a_in.id} (in10.png) has no input to compare with"
    with Project.create(tmp_path / "q") as project:
        _x_in, untagged, _data = restore_pair(project)
        _y_in, badly, _data = restore_pair(project, 50, 150)
        project.set_tags([badly.id], {"task": "snow"})
    with pytest.raises(IrisError) as caught:
        realir_scores(tmp_path / "q", [untagged.id], model="m")
    assert str(caught.value) == (
        f"image {untagged.id} (out200.png): no task; give --task or tag it (or its input) task=NAME"
    )
    with pytest.raises(IrisError) as caught:
        realir_scores(tmp_path / "q", [badly.id], model="m")
    assert str(caught.value).startswith(
        f"image {badly.id} (out150.png), tag task=snow: unknown RealIR-Bench task 'snow'"
    )
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(Cancelled):
        realir_scores(tmp_path / "p", [a.id], task="rain", model="m", cancel=cancel)
    assert fake.calls == [] and lps_scores.calls == []


def test_realirrow_rs_and_fs_need_both_ratings_and_lps():
    def judged(rating):
        return Judgement(rating, "gemini", "m", "RIR-SEVERITY", "rain")

    row = RealIRRow(2, 1, "rain", "x", judged(4.0), judged(1.5), lps=0.4)
    assert row.rs == 2.5 and row.fs == pytest.approx(0.2 * 0.6 * 2.5)
    assert RealIRRow(2, 1, "rain", "x", judged(None), judged(1.0), lps=0.4).fs is None
    assert RealIRRow(2, 1, "rain", "x", judged(4.0), judged(None), lps=0.4).rs is None
    assert RealIRRow(2, 1, "rain", "x", judged(4.0), judged(1.0)).fs is None
