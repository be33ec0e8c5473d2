"""Benchmark: ``iris table``'s core over 100,000 stored scores, against a pandas groupby.

A generated study like seed 000's: 4 methods x 12 prompts x 13 scenes x 8 images
(4,992 restored outputs, each a restore result with its prompt), 20 metrics each
(PSNR, SSIM and LPIPS against the clean input, 17 no-reference), so 99,840 stored
scores. The IRIS figure is :func:`core.studies.table.project_table` (read the
facts, resolve references, pivot by prompt group and prompt with group
subtotals, mean/sd/n); the baseline, in the same run, reads the same scores
joined with their images and prompts through ``pandas.read_sql_query`` and
groups them by prompt and metric (mean, std, count). The means are checked equal.
"""

from __future__ import annotations

import sqlite3
import tempfile
import time
from pathlib import Path

import numpy as np

METHODS = ("nano-banana-2", "hypir", "pisa-sr", "tsd-sr")
PROMPTS = tuple(f"{g}{i}" for g in ("S", "SF", "L", "LF") for i in (1, 2, 3))
SCENES = 13
PER_SCENE = 8
FR = ("psnr", "ssim", "lpips")
NR = (
    "musiq", "maniqa", "clipiqa", "niqe", "brisque", "piqe", "arniqa", "cnniqa", "dbcnn",
    "hyperiqa", "liqe", "nima", "nrqm", "paq2piq", "qalign", "topiq_nr", "tres",
)  # fmt: skip
METRICS = FR + NR
REPEATS = 3


def _png(index: int) -> bytes:
    from core.imageio import encode_png

    pixels = np.zeros((2, 2, 3), np.float32)
    pixels.flat[:4] = [(index >> (8 * b) & 255) / 255.0 for b in range(4)]
    return encode_png(pixels, 8)


def build(path: Path) -> int:
    """The study at ``path``; returns the number of stored scores."""
    from core.metrics.engine import metric_version
    from core.project import Project

    versions = {m: metric_version(m) for m in METRICS}
    rng = np.random.default_rng(0)
    count, index = 0, 0
    with Project.create(path) as project, project.transaction():
        inputs = []
        for s in range(SCENES):
            for k in range(PER_SCENE):
                index += 1
                record = project.add_image_bytes(_png(index), name=f"s{s}-{k}", kind="imported")
                project.set_tags([record.id], {"scene": f"scene{s}"})
                inputs.append(record)
        for method in METHODS:
            method_id = project.ensure_method(method, "imported")
            for prompt in PROMPTS:
                run = project.create_run(
                    f"{method} {prompt}", "restore", method_id=method_id, status="done"
                )
                for source in inputs:
                    index += 1
                    image = project.add_image_bytes(
                        _png(index), name=f"{source.name} [{method} {prompt}]", kind="restored",
                        parent_id=source.id, method_id=method_id, run_id=run.id,
                    )  # fmt: skip
                    project.add_result(
                        run.id, status="ok", input_image_id=source.id, output_image_id=image.id,
                        meta={"repeat": 0, "prompt_id": prompt},
                    )  # fmt: skip
                    values = rng.normal(10.0, 2.0, len(METRICS))
                    for metric, value in zip(METRICS, values, strict=True):
                        ref = source.sha256 if metric in FR else ""
                        project.put_score(
                            image.sha256, metric, versions[metric], float(value),
                            reference_sha256=ref,
                        )  # fmt: skip
                        count += 1
    return count


_BASELINE_SQL = """
SELECT i.id AS image, json_extract(r.meta, '$.prompt_id') AS prompt, s.metric, s.value
FROM images i JOIN results r ON r.output_image_id = i.id AND r.run_id = i.run_id
JOIN scores s ON s.image_sha256 = i.sha256
WHERE i.kind = 'restored'
"""


def _pandas(path: Path):
    import pandas as pd

    with sqlite3.connect(path / "iris.db") as conn:
        frame = pd.read_sql_query(_BASELINE_SQL, conn)
    return frame.groupby(["prompt", "metric"])["value"].agg(["mean", "std", "count"])


def _iris(path: Path):
    from core.studies.table import TableSpec, project_table

    spec = TableSpec(
        ["prompt_group", "prompt"], list(METRICS), stats=["mean", "sd", "n"],
        where={"kind": ["restored"]}, subtotals="prompt_group",
    )  # fmt: skip
    return project_table(path, spec, reference="clean")


def _best_of(fn, repeats: int = REPEATS) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def run() -> list[dict]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "study"
        start = time.perf_counter()
        scores = build(path)
        built = time.perf_counter() - start
        _iris(path)  # warm: imports, the prompt library, the pyiqa catalogue
        _pandas(path)
        iris_s, table = _best_of(lambda: _iris(path))
        pandas_s, frame = _best_of(lambda: _pandas(path))
    rows = {row.label: r for r, row in enumerate(table.rows) if row.kind == "row"}
    for c, column in enumerate(table.columns):
        for prompt in PROMPTS:
            label = (prompt.rstrip("0123456789"), prompt)
            ours = table.cells[rows[label]][c].stats
            theirs = frame.loc[(prompt, column.metric)]
            assert abs(ours["mean"] - theirs["mean"]) < 1e-9 and ours["n"] == theirs["count"]
    return [
        {
            "bench": "table",
            "figure": "iris table core, 100k stored scores (prompt-group x prompt, 20 metrics)",
            "scores": scores,
            "seconds": round(iris_s, 4),
            "baseline": "pandas read_sql + groupby(prompt, metric) mean/std/count",
            "baseline_seconds": round(pandas_s, 4),
            "ratio": round(iris_s / pandas_s, 2),
            "target": "< 2 s and < 3x",
            "build_seconds": round(built, 1),
        }
    ]
