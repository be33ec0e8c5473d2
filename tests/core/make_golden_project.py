"""Writes tests/core/data/project_v<N>: a small project from this IRIS version, kept forever.

Run it once per schema version (``python -m tests.core.make_golden_project``) and
commit the folder; later versions must keep opening every golden project.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np

from core.project import Project
from core.project.schema import SCHEMA_VERSION


def main() -> None:
    target = Path(__file__).parent / "data" / f"project_v{SCHEMA_VERSION}"
    shutil.rmtree(target, ignore_errors=True)
    rng = np.random.default_rng(7)
    with Project.create(target, name="golden") as project:
        clean = project.add_image_array(
            rng.random((6, 7, 3)).astype(np.float32), name="clean", kind="imported"
        )
        method = project.ensure_method("gaussian-noise", "classical", params={"sigma": 0.1})
        run = project.create_run("golden-run", "restore", method_id=method)
        noisy = project.add_image_array(
            rng.random((6, 7, 3)).astype(np.float32),
            name="noisy",
            kind="degraded",
            parent_id=clean.id,
            run_id=run.id,
        )
        project.add_result(
            run.id, step_index=0, input_image_id=clean.id, output_image_id=noisy.id, status="ok"
        )
        project.set_run_status(run.id, "done")
        project.put_score(noisy.sha256, "psnr", "1", 12.3, reference_sha256=clean.sha256)
        if SCHEMA_VERSION >= 3:
            from core.annotations import add, mark_reviewed

            add(
                project,
                noisy,
                label="colour_shift",
                annotator="golden",
                region_kind="rect",
                region={"x": 1, "y": 1, "w": 3, "h": 2},
                severity=2,
                note="golden annotation",
                compared_with={"kind": "input"},
            )
            mark_reviewed(project, noisy.id, "golden")
    print(target)


if __name__ == "__main__":
    main()
