"""Study tags at scale: inherited tags and a tag filter over 100,000 images.

The browser reads every image's inherited tags on each rebuild (the tooltips and
the tag filter), so this must stay a small multiple of reading the image rows.
"""

from __future__ import annotations

import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

N_INPUTS = 10_000
CHAIN = 9  # outputs and steps under each input: 100,000 images in all


def _median_s(fn, repeats: int = 3) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _fill(path: Path) -> None:
    """100,000 image rows (inputs with chains of outputs) and 2 tags per input, inserted in
    bulk on the benchmark's own connection (the store's API writes one image at a time)."""
    from core.paths import DB_NAME

    conn = sqlite3.connect(path / DB_NAME)
    columns = ("id", "sha256", "file", "name", "kind", "width", "height", "bit_depth", "format",
               "parent_id", "meta", "created_at")  # fmt: skip
    rows, tags, image_id = [], [], 0
    for index in range(N_INPUTS):
        image_id += 1
        root = image_id
        rows.append((root, f"{root:064x}", "x.png", f"in{index}", "imported", 8, 8, 8, "PNG",
                     None, "{}", "2026-01-01"))  # fmt: skip
        tags += [
            (root, "scene", f"s{index % 13}", "t"),
            (root, "degradation", f"d{index % 7}", "t"),
        ]
        parent = root
        for step in range(CHAIN):
            image_id += 1
            kind = "restored" if step == 0 else "step"
            rows.append((image_id, f"{image_id:064x}", "x.png", f"o{image_id}", kind, 8, 8, 8,
                         "PNG", parent, "{}", "2026-01-01"))  # fmt: skip
            parent = image_id
    marks = ",".join("?" * len(columns))
    conn.executemany(f"INSERT INTO images({','.join(columns)}) VALUES ({marks})", rows)
    conn.executemany(
        "INSERT INTO image_tags(image_id, key, value, created_at) VALUES (?, ?, ?, ?)", tags
    )
    conn.commit()
    conn.close()


def run() -> list[dict]:
    from core.project import Project

    figures = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "p"
        Project.create(path).close()
        _fill(path)
        with Project.open(path) as project:
            rows_s = _median_s(project.images)
            inherited = project.tags_for(None)
            assert len(inherited) == N_INPUTS * (CHAIN + 1)
            tags_s = _median_s(lambda: project.tags_for(None))
            filter_s = _median_s(
                lambda: project.images_tagged({"scene": "s3", "degradation": "d2"})
            )
        figures.append({
            "bench": "tags", "metric": "inherited_tags_100k_images_s", "value": round(tags_s, 3),
            "unit": "s", "baseline": round(rows_s, 3), "ratio": round(tags_s / rows_s, 2),
            "aim": "ratio < 3 (baseline: reading the 100,000 image rows)",
        })  # fmt: skip
        figures.append({
            "bench": "tags", "metric": "tag_filter_100k_images_s", "value": round(filter_s, 3),
            "unit": "s", "baseline": round(rows_s, 3), "ratio": round(filter_s / rows_s, 2),
            "aim": "ratio < 3 (baseline: reading the 100,000 image rows)",
        })  # fmt: skip
    return figures
