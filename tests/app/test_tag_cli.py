"""``iris tag`` and ``iris import --tags-from-path / --manifest`` as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
from PIL import Image

from core.project import Project


def iris(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "app", *args], capture_output=True, text=True, timeout=120
    )


def _save(path, value: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(np.full((6, 7, 3), value, np.uint8)).save(path)


def test_import_tags_from_path_then_tag_and_list(tmp_path):
    root = tmp_path / "study"
    _save(root / "text" / "blur" / "sign.png", 10)
    _save(root / "faces" / "noise" / "kid.png", 20)
    _save(root / "notes" / "stray.png", 30)  # one level short of the pattern
    project = str(tmp_path / "p")
    result = iris(
        "import", "--project", project, "--tags-from-path", "{scene}/{degradation}/{name}",
        str(root), "--json",
    )  # fmt: skip
    assert result.returncode == 1 and "Traceback" not in result.stderr  # the stray is refused
    report = json.loads(result.stdout)
    assert len(report["imported"]) == 2 and report["tagged"] == report["imported"]
    assert [e["path"] for e in report["errors"]] == [str(root / "notes" / "stray.png")]
    assert "does not match the tag pattern" in report["errors"][0]["error"]

    result = iris("tag", "--project", project, "--set", "dataset=mine", "--set",
                  "subject=sign", "sign")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "1 image: set dataset=mine, subject=sign"
    result = iris("tag", "--project", project, "--remove", "degradation", "kid")
    assert result.returncode == 0 and "removed degradation (1 tag)" in result.stdout

    listed = json.loads(iris("tag", "--project", project, "--list", "--json").stdout)
    tags = {row["name"]: row["tags"] for row in listed["images"]}
    assert tags == {
        "sign": {"scene": "text", "degradation": "blur", "dataset": "mine", "subject": "sign"},
        "kid": {"scene": "faces"},
    }
    assert listed["keys"]["scene"] == {"faces": 1, "text": 1}
    text = iris("tag", "--project", project, "--list").stdout
    assert "sign  dataset=mine, degradation=blur, scene=text, subject=sign" in text


def test_tag_errors_are_one_line(tmp_path):
    _save(tmp_path / "a.png", 1)
    project = str(tmp_path / "p")
    assert iris("import", "--project", project, str(tmp_path / "a.png")).returncode == 0
    for args, says in [
        (["--set", "scene", "a"], "write it as key=value"),
        (["--set", "9x=1", "a"], "tag key '9x'"),
        (["--set", "scene=x", "nope"], "'nope': not an image id"),
        (["--set", "scene=x"], "name the images"),
        (["a"], "nothing to do"),
        (["--set", "k=v", "--remove", "k", "a"], "both name k"),
        (["--list", "--set", "k=v"], "--list only lists"),
    ]:
        result = iris("tag", "--project", project, *args)
        assert result.returncode == 1, (args, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and says in lines[0], (args, lines)
    with Project.open(project) as opened:
        assert opened.tags_for(None) == {}  # nothing half-done


def test_import_manifest_and_its_row_errors(tmp_path):
    _save(tmp_path / "imgs" / "a.png", 40)
    _save(tmp_path / "imgs" / "b.png", 50)
    manifest = tmp_path / "study.csv"
    manifest.write_text("path,scene,degradation\nimgs/a.png,text,blur\nimgs/b.png,faces,\n")
    project = str(tmp_path / "p")
    result = iris("import", "--project", project, "--manifest", str(manifest))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("imported 2, already present 0, refused 0, tagged 2")
    with Project.open(project) as opened:
        names = {image.id: image.name for image in opened.images()}
        tags = {names[i]: t for i, t in opened.tags_for(None).items()}
    assert tags == {"a": {"scene": "text", "degradation": "blur"}, "b": {"scene": "faces"}}

    bad = tmp_path / "bad.csv"
    bad.write_text("path,scene\nimgs/a.png,text\nimgs/b.png,faces,extra\n")
    result = iris("import", "--project", str(tmp_path / "q"), "--manifest", str(bad))
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.strip() == (f"iris: error: {bad}: row 3: 3 fields, the header has 2")
    assert not (tmp_path / "q").exists()  # refused before the project was made
    result = iris("import", "--project", project, "--manifest", str(bad), str(tmp_path))
    assert result.returncode == 1 and "give no PATH" in result.stderr
    result = iris("import", "--project", project, "--tags-from-path", "{scene", str(tmp_path))
    assert result.returncode == 1 and "unbalanced brace" in result.stderr
