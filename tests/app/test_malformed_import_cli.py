"""``iris annotations import`` and ``iris results import`` on malformed files: one line, no traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from core.project import Project


def iris(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=os.getcwd())
    return subprocess.run(
        [sys.executable, "-m", "app", *args], capture_output=True, text=True, env=env, timeout=60
    )


def one_line_error(done: subprocess.CompletedProcess, path) -> str:
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"iris: error: {path}"), done.stderr
    return lines[0]


ANNOTATION_FILES = {
    "severity.json": json.dumps(
        {
            "format": "iris-annotations",
            "annotations": [
                {"uuid": "u", "image_sha256": "s", "label": "l", "annotator": "a", "severity": 9}
            ],
        }
    ).encode(),
    "nan.json": b'{"format": "iris-annotations", "annotations": [{"region": {"x": NaN}}]}',
    "latin1.csv": "uuid,image_sha256,label,annotator\nü,s,l,a\n".encode("latin-1"),
    "nested.json": b'{"x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    "rle.json": json.dumps(
        {
            "format": "iris-annotations",
            "annotations": [
                {
                    "uuid": "u",
                    "image_sha256": "s",
                    "label": "l",
                    "annotator": "a",
                    "region_kind": "mask",
                    "region": {"size": [98304, 98304], "counts": "0"},
                }
            ],
        }  # fmt: skip
    ).encode(),
}


@pytest.fixture(scope="module")
def project_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "p"
    Project.create(path).close()
    return path


@pytest.mark.parametrize("name", sorted(ANNOTATION_FILES))
def test_annotations_import_of_a_malformed_file(project_dir, tmp_path, name):
    path = tmp_path / name
    path.write_bytes(ANNOTATION_FILES[name])
    line = one_line_error(iris("annotations", "import", "--project", str(project_dir), str(path)),
                          path)  # fmt: skip
    if name == "severity.json":
        assert line.endswith("annotation 1: severity 9 out of range 1-3")


RESULTS_FILES = {
    "value.csv": b"path,sha256,metric,metric_version,value\n/a.png,,psnr,1,abc\n",
    "garbage.parquet": b"PAR1 this is no parquet PAR1",
    "bytes.csv": b"path,sha256,metric,metric_version,value\n/\xff.png,,psnr,1,1\n",
}


@pytest.mark.parametrize("name", sorted(RESULTS_FILES))
def test_results_import_of_a_malformed_file(project_dir, tmp_path, name):
    path = tmp_path / name
    path.write_bytes(RESULTS_FILES[name])
    line = one_line_error(iris("results", "import", "--project", str(project_dir), str(path)), path)
    if name == "value.csv":
        assert line.endswith("line 2: value 'abc' is not a number")


def test_a_fifo_or_folder_is_refused_without_blocking(project_dir, tmp_path):
    os.mkfifo(tmp_path / "pipe.csv")
    for path, reason in ((tmp_path / "pipe.csv", "a pipe"), (tmp_path, "a folder")):
        line = one_line_error(
            iris("annotations", "import", "--project", str(project_dir), str(path)), path
        )
        assert line.endswith(f"not-a-file ({reason})")
