"""Annotation speed: committing a flag, undoing after a long session, exchange, RLE."""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

N_FLAGS = 1000


def _median_ms(fn, repeats: int) -> float:
    times = []
    for i in range(repeats):
        start = time.perf_counter()
        fn(i)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def run() -> list[dict]:
    from core.annotations import add, undo
    from core.annotations.exchange import export_project, import_files
    from core.annotations.rle import encode
    from core.project import Project

    figures = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        with Project.create(root / "p") as project:
            rng = np.random.default_rng(0)
            images = [
                project.add_image_array(rng.random((16, 16, 3)).astype(np.float32), name=f"i{i}",
                                        kind="imported")
                for i in range(20)
            ]  # fmt: skip
            labels = ["object_insertion", "dense_hair", "colour_shift"]

            def flag(i: int) -> None:
                add(project, images[i % 20], label=labels[i % 3], annotator="bench",
                    region_kind="rect", region={"x": 1, "y": 1, "w": 5, "h": 5})  # fmt: skip

            def score(i: int) -> None:  # a one-row committed write in the same store
                project.put_score(f"{i:064x}", "psnr", "1", float(i))

            add_ms = _median_ms(flag, N_FLAGS)
            score_ms = _median_ms(score, N_FLAGS)
            figures.append({
                "bench": "annotations", "metric": "commit_flag_ms", "value": round(add_ms, 3),
                "unit": "ms", "baseline": round(score_ms, 3),
                "ratio": round(add_ms / score_ms, 2),
                "aim": "value < 10 ms (labelling feels instant); baseline: one committed score row",
            })  # fmt: skip
            undo_ms = _median_ms(lambda _i: undo(project, "bench"), 20)
            figures.append({
                "bench": "annotations", "metric": "undo_after_1000_flags_ms",
                "value": round(undo_ms, 3), "unit": "ms", "baseline": round(add_ms, 3),
                "ratio": round(undo_ms / add_ms, 2),
                "aim": "value < 50 ms (undo replays the annotator's event log)",
            })  # fmt: skip
            start = time.perf_counter()
            export_project(project, "json", root / "a.json")
            export_s = time.perf_counter() - start
            with Project.create(root / "q") as other:
                for image in images:
                    other.add_image_bytes(project.image_path(image).read_bytes(), name=image.name,
                                          kind="imported")  # fmt: skip
                start_import = time.perf_counter()
                import_files(other, [root / "a.json"])
                end = time.perf_counter()
            figures.append({
                "bench": "annotations", "metric": "json_import_1000_s",
                "value": round(end - start_import, 3), "unit": "s",
                "baseline": None, "ratio": None,
                "aim": "import of 1000 flags < 1 s (one transaction)",
                "export_s": round(export_s, 3),
            })  # fmt: skip
    mask = np.random.default_rng(1).random((1024, 1024)) > 0.5
    mask[:, :512] = False
    encode_ms = _median_ms(lambda _i: encode(mask), 5)
    copy_ms = _median_ms(lambda _i: np.packbits(mask.ravel(order="F")), 5)
    figures.append({
        "bench": "annotations", "metric": "rle_encode_1mp_ms", "value": round(encode_ms, 2),
        "unit": "ms", "baseline": round(copy_ms, 2), "ratio": round(encode_ms / copy_ms, 1),
        "aim": "value < 300 ms for a 1024x1024 half-noise mask; baseline: packbits of it",
    })  # fmt: skip
    return figures
