"""``iris judge rs``: the Fig. 9 judge per task, failures recorded, the Tables 1-2 layout."""

from __future__ import annotations

import json

from core.project import Project
from tests.app.test_score_cli import iris
from tests.core.metrics.make_runs import texture
from tests.fakes.gemini_server import FakeGeminiServer, Reply, text_response


def _project(path):
    project = Project.create(path)
    ids = []
    for i, task in enumerate(("rain", "haze")):
        degraded = project.add_image_array(texture(24, seed=i), name=f"{task}.png", kind="degraded")
        project.set_tags([degraded.id], {"task": task})
        restored = project.add_image_array(
            texture(24, seed=10 + i), name=f"{task}-out.png", kind="restored",
            parent_id=degraded.id,
        )  # fmt: skip
        ids.append(restored.id)
    project.close()
    return ids


def test_judge_rs_cli_per_task_table_and_recorded_failure(tmp_path):
    ids = _project(tmp_path / "p")
    replies = ["Degradation Score: 5", "Degradation Score: 2", "I think 4/5", "1"]
    with FakeGeminiServer() as server:
        server.push(*[Reply(body=text_response(text)) for text in replies])
        env = {
            "IRIS_GEMINI_BASE_URL": server.url,
            "GEMINI_API_KEY": "test-key",
            "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
            "IRIS_JUDGE_MODEL": "fake-judge",
        }
        base = ["judge", "rs", "--project", str(tmp_path / "p"), *map(str, ids)]
        result = iris(*base, "--lps-metric", "none", "--json", env=env)
        assert result.returncode == 0, result.stderr
        sent = [r.json["contents"][0]["parts"][1]["text"] for r in server.requests]
        text = iris(*base, "--lps-metric", "none", env=env)  # all stored: nothing asked again
        assert len(server.requests) == 4
    assert "degradation type rain" in sent[0] and "degradation type haze" in sent[2]
    report = json.loads(result.stdout)
    rain, haze = report["images"]
    assert (rain["task"], rain["rs"], rain["error"]) == ("rain", 3.0, None)
    assert rain["judge"]["restored"]["answer"] == "Degradation Score: 5"
    assert rain["judge"]["restored"]["prompt_id"] == "RIR-SEVERITY"
    assert haze["rs"] is None and "I think 4/5" in haze["error"]
    (method,) = report["table"]["methods"]
    assert report["table"]["tasks"] == ["rain", "haze"]
    assert method["tasks"]["haze"] == {"lps": None, "rs": None, "fs": None, "images": 0,
                                       "failed": 1}  # fmt: skip
    assert method["average"]["rs"] == 3.0
    assert text.returncode == 0, text.stderr
    lines = text.stdout.splitlines()
    assert "RS=n/a" in lines[1] and "failed" in lines[1]
    assert "Rain Removal" in text.stdout and "Haze Removal" in text.stdout
    assert "Avg Total (2)" in text.stdout


def test_judge_rs_cli_errors_are_one_line(tmp_path):
    ids = _project(tmp_path / "p")
    result = iris(
        "judge", "rs", "--project", str(tmp_path / "p"), str(ids[0]), "--judge", "local",
        "--lps-metric", "none", env={"IRIS_JUDGE_MODEL": ""},
    )  # fmt: skip
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "--model" in result.stderr or "local-model runtime" in result.stderr
