"""Building a metric imports its own network module, not all of pyiqa's (the fallback pulled
in transformers, timm, datasets and pandas: 8 s holding the GIL while the window waited)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from core.metrics.pyiqa_archs import _defining_module

ROOT = Path(__file__).resolve().parents[3]


def test_ms_ssim_is_found_in_ssim_arch_by_reading_the_files():
    assert _defining_module("MS_SSIM") == "pyiqa.archs.ssim_arch"
    assert _defining_module("NoSuchNetwork") is None


def test_every_pyiqa_metric_type_is_defined_by_an_arch_file():
    from pyiqa.default_model_configs import DEFAULT_CONFIGS

    missing = {
        name: options["metric_opts"]["type"]
        for name, options in DEFAULT_CONFIGS.items()
        if not _defining_module(options["metric_opts"]["type"])
    }
    assert missing == {}


def test_building_ms_ssim_leaves_the_other_arch_modules_unimported():
    probe = (
        "import sys; sys.modules['triton'] = None\n"
        "from core.metrics.engine import load_metric, score_pixels\n"
        "import numpy as np\n"
        "metric = load_metric('ms_ssim', 'cpu')\n"
        "heavy = [m for m in ('transformers', 'timm', 'datasets', 'pandas') if m in sys.modules]\n"
        "print(' '.join(heavy) or 'none', 'pyiqa.archs.ssim_arch' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["none", "True"]
