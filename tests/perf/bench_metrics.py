"""Benchmark: ``iris score`` on 20 images against pyiqa called directly on the same tensors.

The IRIS path is what ``iris score FILES --ref REF`` runs (read and hash each
file, decode it, build the tensor, score; the metric built once), timed in
this process after a warm-up; the baseline is ``metric(tensor)`` /
``metric(tensor, ref)`` on tensors decoded beforehand, in the same run. A
second figure times the whole CLI command (process start, imports) once. On
CUDA, batch throughput: images per second of batches of 16 vs one at a time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

COUNT = 20
SIZE = 384
METRICS = ("psnr", "ssim", "niqe", "brisque")


def _images(folder: Path) -> list[Path]:
    from PIL import Image

    rng = np.random.default_rng(0)
    y, x = np.mgrid[0:SIZE, 0:SIZE] / SIZE
    paths = []
    for i in range(COUNT + 1):
        base = np.stack([np.sin(9 * x + i), np.cos(7 * y - i), x * y], -1) * 0.4 + 0.5
        noisy = np.clip(base + rng.normal(0, 0.02 * (i % 5), base.shape), 0, 1)
        path = folder / f"img{i:02d}.png"
        Image.fromarray((noisy * 255 + 0.5).astype(np.uint8)).save(path)
        paths.append(path)
    return paths


def run() -> list[dict]:
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(int(os.environ.get("IRIS_BENCH_THREADS", "1")))
    try:
        with tempfile.TemporaryDirectory() as folder:
            return _run(Path(folder))
    finally:
        torch.set_num_threads(threads)


def _run(folder: Path) -> list[dict]:
    import torch

    from core.imageio import load_image
    from core.metrics.engine import load_metric, to_tensor
    from core.metrics.scoring import score_files

    paths = _images(folder)
    ref, targets = paths[0], paths[1:]
    models = {m: load_metric(m, "cpu") for m in METRICS}
    tensors = [to_tensor(load_image(p).pixels) for p in targets]
    ref_tensor = to_tensor(load_image(ref).pixels)

    def direct() -> None:
        with torch.inference_mode():
            for tensor in tensors:
                for model in models.values():
                    if model.metric_mode == "FR":
                        model(tensor, ref_tensor)
                    else:
                        model(tensor)

    def iris() -> None:
        score_files(targets, METRICS, reference=ref, device="cpu")

    direct()
    iris()  # warm-up: both paths have built metrics and touched the files
    best = {"direct": float("inf"), "iris": float("inf")}
    for _ in range(3):  # interleaved, best of each: robust to a busy machine
        for name, fn in (("direct", direct), ("iris", iris)):
            start = time.perf_counter()
            fn()
            best[name] = min(best[name], time.perf_counter() - start)
    figures = [
        {
            "bench": "score_20_images_cpu",
            "metric": f"seconds to score {COUNT} {SIZE}x{SIZE} images with {', '.join(METRICS)} "
            f"({torch.get_num_threads()} CPU thread)",
            "value": round(best["iris"], 4),
            "unit": "s",
            "baseline": round(best["direct"], 4),
            "ratio": round(best["iris"] / best["direct"], 3),
            "aim": "ratio < 1.10 against pyiqa called directly on the same tensors",
        }
    ]
    threads = str(torch.get_num_threads())
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path), "OMP_NUM_THREADS": threads}
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "app", "score", *map(str, targets), "--ref", str(ref),
         "--metrics", ",".join(METRICS), "--device", "cpu", "--json"],
        capture_output=True, text=True, env=env, timeout=600,
    )  # fmt: skip
    cli = time.perf_counter() - start
    rows = len(json.loads(result.stdout)["rows"]) if result.returncode == 0 else 0
    figures.append(
        {
            "bench": "iris_score_cli_20_images",
            "metric": "seconds for the whole 'iris score' command (start, imports, scoring)",
            "value": round(cli, 3),
            "unit": "s",
            "baseline": round(best["direct"], 4),
            "ratio": round(cli / best["direct"], 3),
            "aim": f"informational; {rows} rows, process start and imports included",
        }
    )
    if torch.cuda.is_available():
        figures.append(_gpu_batches([load_image(p).pixels for p in targets]))
    return figures


def _gpu_batches(pixels: list[np.ndarray]) -> dict:
    import torch

    from core.metrics.engine import load_metric, score_pixels

    model = load_metric("niqe", "cuda")
    images = (pixels * 4)[:64]

    def timed(batch: int) -> float:
        score_pixels(model, images[:batch], batch=batch)
        torch.cuda.synchronize()
        start = time.perf_counter()
        score_pixels(model, images, batch=batch)
        torch.cuda.synchronize()
        return time.perf_counter() - start

    one, sixteen = timed(1), timed(16)
    return {
        "bench": "niqe_batch16_cuda",
        "metric": f"images per second, {SIZE}x{SIZE}, batches of 16",
        "value": round(len(images) / sixteen, 2),
        "unit": "images/s",
        "baseline": round(len(images) / one, 2),
        "ratio": round(one / sixteen, 3),
        "aim": "batches faster than one image at a time (ratio > 1)",
    }


if __name__ == "__main__":
    for figure in run():
        print(json.dumps(figure))
