"""Benchmark: refusing a decompression bomb from its header, against decoding a 1 MP PNG.

The bomb is a real 30000 x 30000 grey PNG of zeros (900 MP, under 1 MB on disk).
Each measurement runs in a fresh process so its peak memory (``ru_maxrss``) is
the decoder's alone; the figure is the refusal's time and the process's peak
memory growth over its baseline after imports. Aims: under 0.5 s and 200 MB.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

_PROBE = """
import json, resource, sys, time
from core.errors import ImageLoadError
from core.imageio import load_image
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
try:
    load_image(sys.argv[1])
    outcome = "decoded"
except ImageLoadError as error:
    outcome = error.reason
seconds = time.perf_counter() - start
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "peak_growth_mb": (after - before) / 1024,
                  "outcome": outcome}))
"""


def _measure(path: Path) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, str(path)], capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout)


def run() -> list[dict]:
    import numpy as np
    from PIL import Image

    from tests.core.imageio.bombs import png_bomb

    with tempfile.TemporaryDirectory() as folder:
        bomb = png_bomb(Path(folder) / "bomb.png", 30000, 30000)
        photo = Path(folder) / "photo.png"
        rng = np.random.default_rng(0)
        Image.fromarray(rng.integers(0, 255, (1000, 1000, 3), np.uint8)).save(photo)
        refusal = min((_measure(bomb) for _ in range(3)), key=lambda m: m["seconds"])
        decode = min((_measure(photo) for _ in range(3)), key=lambda m: m["seconds"])
        size = bomb.stat().st_size
    return [
        {
            "bench": "decode.png_bomb_refusal",
            "metric": "seconds to refuse a 30000x30000 PNG bomb",
            "value": round(refusal["seconds"], 4),
            "outcome": refusal["outcome"],
            "file_bytes": size,
            "baseline": "decoding a 1 MP RGB PNG",
            "baseline_value": round(decode["seconds"], 4),
            "ratio": round(refusal["seconds"] / decode["seconds"], 3),
            "aim": "< 0.5 s",
        },
        {
            "bench": "decode.png_bomb_peak_memory",
            "metric": "peak memory growth (MB) refusing the bomb",
            "value": round(refusal["peak_growth_mb"], 1),
            "baseline": "decoding a 1 MP RGB PNG",
            "baseline_value": round(decode["peak_growth_mb"], 1),
            "ratio": round(refusal["peak_growth_mb"] / max(decode["peak_growth_mb"], 0.1), 3),
            "aim": "< 200 MB",
        },
    ]
