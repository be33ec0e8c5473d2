"""Benchmark: seconds per degradation kind on a 1-megapixel image, against PNG encoding of it.

The baseline is what every degraded image costs anyway (encoding the result as
PNG with its recipe), measured in the same run, so the ratio says how much the
degradation itself adds to a batch.
"""

from __future__ import annotations

import time

import numpy as np

SIZE = 1024
REPEATS = 2


def _scene() -> np.ndarray:
    rng = np.random.default_rng(0)
    y, x = np.mgrid[0:SIZE, 0:SIZE].astype(np.float32) / SIZE
    image = np.stack([0.2 + 0.6 * x, 0.3 + 0.4 * y, 0.6 - 0.4 * x * y], axis=-1)
    image += rng.normal(0, 0.05, image.shape).astype(np.float32)
    return np.clip(image, 0, 1).astype(np.float32)


def _best(fn) -> float:
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def run() -> list[dict]:
    from core.degrade import Recipe, apply_recipe
    from core.degrade.batch import encode_degraded_png
    from core.degrade.registry import kinds_in_order

    pixels = _scene()
    figures = []
    for kind in kinds_in_order():
        recipe = Recipe.single(kind, 3)
        out = apply_recipe(pixels, recipe, 0)  # warm-up (imports, caches)
        seconds = _best(lambda r=recipe: apply_recipe(pixels, r, 0))
        baseline = _best(lambda o=out, r=recipe: encode_degraded_png(o, r, 0))
        figures.append(
            {
                "bench": f"degrade.{kind}",
                "metric": "seconds per 1 MP image (severity 3)",
                "value": round(seconds, 4),
                "unit": "s",
                "baseline": round(baseline, 4),
                "ratio": round(seconds / baseline, 3) if baseline > 0 else None,
                "aim": "< 1 s per megapixel; baseline = PNG encoding of the result",
            }
        )
    return figures


if __name__ == "__main__":
    import json

    for figure in run():
        print(json.dumps(figure))
