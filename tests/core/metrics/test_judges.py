"""The VLM severity judge (RS/FS) and the thought-summary judge against a fake Gemini server."""

from __future__ import annotations

import base64

import pytest

from core.errors import IrisError
from core.metrics.judges import (
    SEVERITY_METRIC,
    fs_score,
    group_summary,
    judge_thoughts,
    parse_rating,
    parse_yes_no,
    realir_scores,
    set_manual_rating,
)
from core.project import Project
from tests.core.metrics.make_runs import build_iterative_project, texture
from tests.fakes.gemini_server import Reply, error_body, fake_gemini, text_response


@pytest.fixture
def fake(monkeypatch):
    monkeypatch.setenv("IRIS_JUDGE_MODEL", "fake-judge")
    with fake_gemini(monkeypatch) as server:
        yield server


def _restore_project(path):
    project = Project.create(path)
    degraded = project.add_image_array(texture(32, seed=1), name="noisy.png", kind="degraded")
    restored = project.add_image_array(
        texture(32, seed=2), name="clean.png", kind="restored", parent_id=degraded.id
    )
    project.close()
    return degraded.id, restored.id


def test_parsers():
    assert parse_rating("4") == 4 and parse_rating("Rating: 2 out of 5") == 2
    with pytest.raises(IrisError):
        parse_rating("about 4.5")
    assert parse_yes_no("Yes.") and not parse_yes_no("No, it does not.")
    with pytest.raises(IrisError):
        parse_yes_no("maybe")
    assert fs_score(2.0, 0.25) == pytest.approx(0.2 * 0.75 * 2.0)


def test_severity_judge_gives_rs_and_is_cached(tmp_path, fake):
    degraded, restored = _restore_project(tmp_path / "p")
    fake.push(
        Reply(status=503, body=error_body(503, "UNAVAILABLE")),  # retried
        Reply(body=text_response("4")),  # the restored image
        Reply(body=text_response("Severity: 1")),  # its degraded input
    )
    (row,) = realir_scores(tmp_path / "p", [restored], lps_metric=None)
    assert (row.rating_restored, row.rating_input, row.rs) == (4.0, 1.0, 3.0)
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
    assert "0 to 5" in parts[1]["text"]
    (again,) = realir_scores(tmp_path / "p", [restored], lps_metric=None)
    assert again.rs == 3.0 and len(fake.requests) == 3  # stored: nothing asked again


def test_manual_ratings_replace_the_vlm(tmp_path, fake):
    degraded, restored = _restore_project(tmp_path / "p")
    with pytest.raises(IrisError, match="no manual rating"):
        realir_scores(tmp_path / "p", [restored], judge="manual", lps_metric=None)
    set_manual_rating(tmp_path / "p", restored, 5)
    set_manual_rating(tmp_path / "p", degraded, 2)
    (row,) = realir_scores(tmp_path / "p", [restored], judge="manual", lps_metric=None)
    assert row.rs == 3.0 and fake.requests == []
    with Project.open(tmp_path / "p") as project:
        image = project.image(restored)
        assert project.score(image.sha256, SEVERITY_METRIC, "manual")["value"] == 5.0


def test_thought_judge_first_yes_step_and_group_summary(tmp_path, fake):
    build_iterative_project(tmp_path / "p", runs=3, steps=12, size=16).close()

    # make_runs: run r (seed r) mentions noise from step 8 + r; answer by reading the prompt
    def answer_for(request_json):
        text = request_json["contents"][0]["parts"][0]["text"]
        return "yes" if "noisy" in text.split("---")[1] else "no"

    # the judge stops at the first yes: 8 questions for run 1, 9 for run 2, 10 for run 3
    for first in (8, 9, 10):
        fake.push(*[Reply(body=text_response("No.")) for _ in range(first - 1)])
        fake.push(Reply(body=text_response("Yes, it mentions noise.")))
    runs = judge_thoughts(tmp_path / "p", ["jpeg-replicate"])
    assert [r.first_yes for r in runs] == [8, 9, 10]
    assert all(answer_for(req.json) == ("yes" if i in (7, 16, 26) else "no")
               for i, req in enumerate(fake.requests))  # fmt: skip
    summary = group_summary(runs)["jpeg-replicate"]
    assert summary["mean"] == pytest.approx(9.0) and summary["sd"] == pytest.approx(1.0)
    assert summary["never"] == 0 and summary["first_yes"]["replicate-0-2"] == 9
    count = len(fake.requests)
    judge_thoughts(tmp_path / "p", ["replicate-0-1"])
    assert len(fake.requests) == count  # verdicts are stored by thought text
