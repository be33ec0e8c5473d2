"""Benchmark: tiled spandrel inference against one direct spandrel call, and fp16 vs fp32 on CUDA.

A small real Compact model (random weights, built here) runs on a 1024x1024
image, on one CPU thread by default (``IRIS_BENCH_THREADS`` changes it): on a
shared machine, multi-threaded timings swing by 2x from run to run. The direct call is ``descriptor(tensor)`` (what spandrel offers); the
tiled call is IRIS's :func:`core.methods.spandrel_method.infer` with the
automatic tile size and with forced 512 px tiles.
"""

from __future__ import annotations

import os
import time

import numpy as np

SIZE = 1024
REPEATS = 3


def _model(num_feat: int = 16, num_conv: int = 4):
    """A Compact model with random weights; 64 x 16 is the shape of realesr-general-x4v3."""
    import torch
    from spandrel import ModelLoader
    from spandrel.architectures.Compact import Compact

    torch.manual_seed(0)
    net = Compact(num_in_ch=3, num_out_ch=3, num_feat=num_feat, num_conv=num_conv, upscale=1)
    return ModelLoader("cpu").load_from_state_dict(net.state_dict()).eval()


def _best(fn, repeats: int = 2) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def run() -> list[dict]:
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(int(os.environ.get("IRIS_BENCH_THREADS", "1")))
    try:
        return _run()
    finally:
        torch.set_num_threads(threads)


def _run() -> list[dict]:
    import torch

    from core.jobs import no_progress
    from core.methods.spandrel_method import infer
    from core.methods.tiling import auto_tile

    descriptor = _model()
    rng = np.random.default_rng(0)
    pixels = rng.uniform(0, 1, (SIZE, SIZE, 3)).astype(np.float32)
    tensor = torch.from_numpy(pixels.transpose(2, 0, 1).copy())[None]

    def direct():
        with torch.inference_mode():
            descriptor(tensor).cpu().numpy()

    def tiled(tile):
        return lambda: infer(
            descriptor, torch.float32, pixels, tile=tile, overlap=32,
            progress=no_progress, cancel=None,
        )  # fmt: skip

    variants = {"direct": direct, "auto": tiled(auto_tile("cpu")), "512": tiled(512)}
    direct()  # warm-up
    best = {name: float("inf") for name in variants}
    for _ in range(REPEATS):  # interleaved, best of each: robust to a busy machine
        for name, fn in variants.items():
            best[name] = min(best[name], _best(fn, repeats=1))
    base = best["direct"]
    figures = []
    for label, tile in (("auto", auto_tile("cpu")), ("512", 512)):
        value = best[label]
        figures.append(
            {
                "bench": f"spandrel_tiled_{label}_cpu",
                "metric": f"seconds for a {SIZE}x{SIZE} image (tile {tile}, overlap 32, "
                f"{torch.get_num_threads()} CPU threads)",
                "value": round(value, 4),
                "unit": "s",
                "baseline": round(base, 4),
                "ratio": round(value / base, 3),
                "aim": "ratio < 1.15 against a direct spandrel call",
            }
        )
    if torch.cuda.is_available():
        big = rng.uniform(0, 1, (2048, 2048, 3)).astype(np.float32)
        figures.append(_gpu_precision(_model(64, 16), big))
    return figures


def _gpu_precision(descriptor, pixels) -> dict:
    """fp16 against fp32 throughput of a realistically sized model on a 4 MP image."""
    import torch

    from core.jobs import no_progress
    from core.methods.spandrel_method import infer

    results = {}
    for dtype in (torch.float32, torch.float16):
        model = descriptor.to("cuda").to(dtype)

        def once(model=model, dtype=dtype):
            infer(model, dtype, pixels, tile=2048, overlap=32, progress=no_progress, cancel=None)
            torch.cuda.synchronize()

        once()
        results[dtype] = _best(once, repeats=5)
    mp = pixels.shape[0] * pixels.shape[1] / 1e6
    return {
        "bench": "spandrel_fp16_vs_fp32_cuda",
        "metric": "megapixels per second, fp16 (Compact 64x16 on 2048x2048; baseline fp32)",
        "value": round(mp / results[torch.float16], 3),
        "unit": "MP/s",
        "baseline": round(mp / results[torch.float32], 3),
        "ratio": round(results[torch.float32] / results[torch.float16], 3),
        "aim": "fp16 faster than fp32 (ratio > 1)",
    }


if __name__ == "__main__":
    import json

    for figure in run():
        print(json.dumps(figure))
