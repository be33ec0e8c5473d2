"""A project survives ``kill -9`` of a process in the middle of writing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import numpy as np

from core.project import Project
from tests.core import rawdb

WRITER = """
import sys
import numpy as np
from core.project import Project
project = Project.open(sys.argv[1])
run = project.create_run("burst", "iterate", status="running")
rng = np.random.default_rng(0)
step = 0
while True:
    image = project.add_image_array(rng.random((64, 64, 3)).astype(np.float32), name=f"s{step}", kind="step",
                                    run_id=run.id, step_index=step)
    project.add_result(run.id, step_index=step, output_image_id=image.id, status="ok")
    print(f"committed {step} {image.id}", flush=True)
    step += 1
"""


def test_kill_minus_nine_keeps_every_committed_row(tmp_path):
    folder = tmp_path / "p"
    Project.create(folder).close()
    child = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(folder)], stdout=subprocess.PIPE, text=True
    )
    reported = []
    try:
        for line in child.stdout:
            reported.append(tuple(int(v) for v in line.split()[1:]))
            if len(reported) >= 25:
                break
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(30)
    assert child.returncode == -signal.SIGKILL
    with Project.open(folder) as project:
        assert rawdb.scalar(project, "PRAGMA integrity_check") == "ok"
        run = project.run("burst")
        steps = {r.step_index: r.output_image_id for r in project.results(run.id)}
        for step, image_id in reported:
            assert steps[step] == image_id
            assert project.image_path(image_id).is_file()
            assert project.load_pixels(image_id).pixels.shape == (64, 64, 3)
        assert sorted(steps) == list(
            range(len(steps))
        )  # no gap: the step in flight is all or nothing
        # the project keeps working after the crash
        project.add_image_array(np.zeros((2, 2, 3), np.float32), name="after", kind="imported")
