"""The judgements table: put/read, hostile values refused, and migration 6 moving old records."""

from __future__ import annotations

import json
import sqlite3

import pytest

from core.errors import IrisError
from core.project import Project
from tests.core import rawdb

SHA = "a" * 64


def test_put_replaces_and_reads_back(tmp_path):
    with Project.create(tmp_path / "p") as project:
        project.put_judgement(SHA, "judge:severity", "v1", judge="gemini", model="m",
                              prompt_id="RIR-SEVERITY", task="rain", answer="x" * 5000,
                              value=None, error="not a score")  # fmt: skip
        row = project.judgement(SHA, "judge:severity", "v1")
        assert row["value"] is None and row["error"] == "not a score" and len(row["answer"]) == 2000
        project.put_judgement(SHA, "judge:severity", "v1", judge="gemini", value=4)
        project.put_judgement("b" * 64, "judge:severity", "v1", judge="local", value=2)
        project.put_judgement(SHA, "judge:thought-noise", "t", judge="gemini", value=1)
        assert project.judgement(SHA, "judge:severity", "v1")["value"] == 4.0
        assert project.judgement(SHA, "judge:severity", "v2") is None
        rows = project.judgements("judge:severity")
        assert [r["judge"] for r in rows] == ["local", "gemini"]  # newest first
        assert [r["metric"] for r in project.judgements(shas=[SHA])] == [
            "judge:thought-noise", "judge:severity"]  # fmt: skip
        assert project.judgements("judge:severity", shas=[]) == []
        for bad in (float("nan"), float("inf"), True, "4"):
            with pytest.raises(IrisError, match="judgement's value"):
                project.put_judgement(SHA, "judge:severity", "v3", judge="gemini", value=bad)
        assert project.judgement(SHA, "judge:severity", "v3") is None


def test_migration_6_moves_project_meta_records_into_the_table(tmp_path):
    root = tmp_path / "old"
    Project.create(root).close()
    conn = sqlite3.connect(root / "iris.db")
    conn.execute("DROP TABLE judgements")
    conn.execute("PRAGMA user_version = 5")
    version = "gemini:fake-judge|RIR-SEVERITY|rain|0123456789ab"
    good = {"rating": 4.0, "judge": "gemini", "model": "fake-judge", "prompt_id": "RIR-SEVERITY",
            "task": "rain", "answer": "Degradation Score: 4", "error": None}  # fmt: skip
    failed = {**good, "rating": None, "answer": "I think 4/5", "error": "not a score"}
    rows = [
        (f"judgement:judge:severity:{SHA}:{version}", json.dumps(good)),
        (f"judgement:judge:severity:{'b' * 64}:{version}", json.dumps(failed)),
        (f"judgement:judge:severity:{'c' * 64}:{version}", "{not json"),  # stays where it is
        (f"judgement:judge:severity:{'d' * 64}:{version}", json.dumps({**good, "rating": 1e999})),
        ("name", "kept"),
    ]
    conn.executemany("INSERT INTO project_meta(key, value) VALUES (?, ?)", rows)
    conn.execute(
        "INSERT INTO scores(image_sha256, metric, metric_version, value, created_at) "
        "VALUES (?, 'judge:severity', ?, 4, '2020-01-01T00:00:00.000+00:00')", [SHA, version]
    )  # fmt: skip
    conn.commit()
    conn.close()
    with Project.open(root) as project:
        row = project.judgement(SHA, "judge:severity", version)
        assert (row["value"], row["model"], row["task"], row["answer"]) == (
            4.0, "fake-judge", "rain", "Degradation Score: 4")  # fmt: skip
        assert row["created_at"] == "2020-01-01T00:00:00.000+00:00"  # dated by its score
        other = project.judgement("b" * 64, "judge:severity", version)
        assert other["value"] is None and other["error"] == "not a score"
        assert project.judgement("d" * 64, "judge:severity", version)["value"] is None
        assert project.judgement("c" * 64, "judge:severity", version) is None
        keys = {r["key"] for r in rawdb.rows(project, "SELECT key FROM project_meta")}
        assert f"judgement:judge:severity:{'c' * 64}:{version}" in keys and "name" in keys
        assert not any(k.startswith(f"judgement:judge:severity:{SHA}") for k in keys)
        assert rawdb.scalar(project, "PRAGMA user_version") >= 6
