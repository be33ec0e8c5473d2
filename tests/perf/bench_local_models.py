"""IRIS's diffusers editor call against the same pipeline called directly, in the same run.

A tiny random FluxKontextPipeline (the test fixture's) edits the same image with
the same seed and steps both ways; the ratio is IRIS's overhead (pre-check,
cache lookup, prompt resolution, PIL conversion, per-step callback). On a GPU
it also reports images per second and the peak VRAM of the tiny pipeline.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

REPEATS = 7
STEPS = 4


def _median_s(fn, repeats: int = REPEATS) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run() -> list[dict]:
    import torch

    from core.device import resolve_device
    from core.local_models.cache import release_models
    from core.local_models.editor import load_pipeline, to_pil
    from core.local_models.pipelines import pipeline_spec
    from core.local_models.precision import torch_dtype
    from core.methods.base import MethodContext
    from core.methods.registry import get_method
    from tests.core.local_models.tiny_models import tiny_flux_kontext

    device = resolve_device("auto").name
    pixels = np.random.default_rng(0).random((64, 96, 3)).astype(np.float32)
    figures = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = tiny_flux_kontext(Path(tmp) / "tiny-kontext")
        spec = pipeline_spec("FluxKontextPipeline")
        dtype = torch_dtype("auto", device)
        pipe = load_pipeline(folder, spec, dtype, device, "none")  # the one IRIS will use
        method = get_method("diffusers")
        params = {"model_dir": str(folder), "prompt": "Remove the noise.", "steps": STEPS,
                  "seed": 3}  # fmt: skip
        context = MethodContext(device=device)

        def iris() -> None:
            method(pixels, params, progress=lambda d, n: None, cancel=None, context=context)

        def direct() -> None:
            with torch.inference_mode():
                pipe(
                    image=to_pil(pixels), prompt="Remove the noise.", num_inference_steps=STEPS,
                    generator=torch.Generator("cpu").manual_seed(3), output_type="np",
                    guidance_scale=spec.default_guidance, width=96, height=64,
                    max_area=96 * 64, _auto_resize=False,
                )  # fmt: skip

        iris(), direct()  # warm both paths
        if device.startswith("cuda"):
            torch.cuda.reset_peak_memory_stats()
        direct_s = _median_s(direct)
        iris_s = _median_s(iris)
        figures.append({
            "bench": "local_models", "metric": "kontext_edit_overhead", "value": round(iris_s, 4),
            "unit": "s", "baseline": round(direct_s, 4), "ratio": round(iris_s / direct_s, 3),
            "aim": "ratio < 1.05 (IRIS's editor call vs the diffusers pipeline called directly, "
            f"tiny Flux Kontext, 96x64, {STEPS} steps, {device})",
        })  # fmt: skip
        if device.startswith("cuda"):
            figures.append({
                "bench": "local_models", "metric": "kontext_tiny_images_per_s",
                "value": round(1.0 / iris_s, 2), "unit": "images/s", "baseline": None,
                "ratio": None,
                "peak_vram_mib": round(torch.cuda.max_memory_allocated() / 2**20, 1),
                "aim": "reported (tiny pipeline; real weights are not in the bench)",
            })  # fmt: skip
        release_models()
    return figures
