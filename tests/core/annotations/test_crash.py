"""A process writing annotations in a burst is killed with SIGKILL: nothing it reported is lost."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from core.annotations import add, annotations, undo
from core.project import Project
from tests.core import rawdb
from tests.core.annotations.conftest import add_images

WRITER = """
import sys
from core.annotations import add
from core.project import Project
project = Project.open(sys.argv[1])
images = project.images()
labels = ["object_insertion", "dense_hair", "colour_shift"]
i = 0
while True:
    made = add(project, images[i % len(images)], label=labels[i % 3], annotator="burst",
               region_kind="rect", region={"x": i % 5, "y": 1, "w": 2, "h": 3}, note=str(i))
    print(made.uuid, flush=True)
    i += 1
"""


def test_sigkill_during_a_burst_keeps_every_reported_annotation(tmp_path):
    folder = tmp_path / "p"
    with Project.create(folder) as project:
        add_images(project, 3)
    env = dict(os.environ, PYTHONPATH=os.getcwd())
    child = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(folder)], stdout=subprocess.PIPE, text=True, env=env
    )
    reported = []
    try:
        for line in child.stdout:
            reported.append(line.strip())
            if len(reported) >= 40:
                break
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(30)
    assert child.returncode == -signal.SIGKILL
    assert len(reported) >= 40
    with Project.open(folder) as project:
        assert rawdb.scalar(project, "PRAGMA integrity_check") == "ok"
        stored = {a.uuid: a for a in annotations(project)}
        missing = [u for u in reported if u not in stored]
        assert not missing, f"{len(missing)} reported annotations were lost"
        # every stored annotation has its create event: undo still works after the crash
        events = rawdb.scalar(
            project, "SELECT count(*) FROM annotation_events WHERE action = 'create'"
        )
        assert events == len(stored)
        last = max(stored.values(), key=lambda a: (a.created_at, int(a.note)))
        assert undo(project, "burst").uuid == last.uuid
        add(project, project.images()[0], label="colour_shift", annotator="after")
