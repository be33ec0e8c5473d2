"""Every pyiqa metric by name: full- or no-reference, direction, typical range, weights.

The facts come from pyiqa's ``DEFAULT_CONFIGS``, read from its source file
without importing pyiqa (which would import torch), so listing metrics is fast.
Typical ranges of the metrics the Banana100 study uses follow pyiqa's model
card as quoted there; the others use pyiqa's ``score_range`` string.
"""

from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from core.errors import RegistryError

# Metrics whose pyiqa implementation needs no file at all.
NO_WEIGHTS = frozenset(
    {"psnr", "psnry", "ssim", "ssimc", "ms_ssim", "cw_ssim", "fsim", "vif", "gmsd", "nlpd"}
    | {"vsi", "mad", "piqe", "entropy"}
)
# Metrics that run on parameter files shipped in resources/metrics (see NOTICE.md there).
SHIPPED_FILES = {"brisque": "brisque_svm_weights.pth", "niqe": "niqe_modelparameters.mat"}

# Typical ranges from pyiqa's model card as the Banana100 study quotes them (domain.md 2).
TYPICAL_RANGES: dict[str, tuple[float, float]] = {
    "arniqa": (0, 1),
    "brisque": (0, 150),
    "clipiqa": (0, 1),
    "cnniqa": (0, 1),
    "dbcnn": (0, 1),
    "hyperiqa": (0, 1),
    "ilniqe": (0, 100),
    "liqe": (1, 5),
    "maniqa": (0, 1),
    "musiq": (0, 100),
    "nima": (0, 10),
    "niqe": (0, 100),
    "nrqm": (0, 10),
    "paq2piq": (0, 100),
    "pi": (0, 20),  # ">0, lower better": 20 bounds what natural images score
    "piqe": (0, 100),
    "qalign": (1, 5),
    "qualiclip": (0, 1),
    "topiq_nr": (0, 1),
    "tres": (0, 100),
    "wadiqam_nr": (-1, 0.1),
    "psnr": (0, 40),
    "mad": (0, 200),
    "fid": (0, 100),
}
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


@dataclass(frozen=True)
class MetricInfo:
    """What IRIS knows about a metric before loading it."""

    name: str
    mode: str  # "FR" (needs a reference) or "NR"
    lower_better: bool
    range: tuple[float, float]
    offline: bool  # runs with no downloaded file
    shipped_file: str | None = None

    @property
    def full_reference(self) -> bool:
        return self.mode == "FR"

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "mode": self.mode,
            "lower_better": self.lower_better,
            "range": list(self.range),
            "offline": self.offline,
            "shipped_file": self.shipped_file,
        }


def pyiqa_dir() -> Path:
    """The installed pyiqa package folder (found without importing it)."""
    spec = importlib.util.find_spec("pyiqa")
    if spec is None or not spec.submodule_search_locations:
        raise RegistryError("pyiqa is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


@lru_cache(maxsize=1)
def default_configs() -> dict[str, dict[str, Any]]:
    """pyiqa's ``DEFAULT_CONFIGS``, executed from its source file alone."""
    path = pyiqa_dir() / "default_model_configs.py"
    namespace: dict[str, Any] = {}
    exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), namespace)
    return dict(namespace["DEFAULT_CONFIGS"])


def parse_range(text: str | None) -> tuple[float, float]:
    """pyiqa's ``score_range`` string ('~0, ~100', '0, 1') as numbers; open ends become 0..1."""
    numbers = [float(n) for n in _NUMBER.findall((text or "").split(";")[0])]
    if len(numbers) >= 2 and numbers[1] > numbers[0]:
        return numbers[0], numbers[1]
    return (numbers[0], numbers[0] + 1) if numbers else (0.0, 1.0)


def vlm_metric_infos() -> dict[str, MetricInfo]:
    """The metrics a local VLM computes (core.local_models.vlm_metrics), beside pyiqa's."""
    from core.local_models.vlm_metrics import VLM_METRICS

    return {
        name: MetricInfo(name=name, mode="NR", lower_better=False, range=spec.range, offline=False)
        for name, spec in VLM_METRICS.items()
    }


def is_vlm_metric(name: str) -> bool:
    """Whether ``name`` is computed by a local VLM rather than by pyiqa."""
    return name in vlm_metric_infos()


def metric_names() -> list[str]:
    """Every metric pyiqa offers and the VLM metrics, sorted."""
    return sorted([*default_configs(), *vlm_metric_infos()])


def metric_info(name: str) -> MetricInfo:
    """The facts about ``name``; unknown names raise an error listing the known ones."""
    vlm = vlm_metric_infos()
    if name in vlm:
        return vlm[name]
    configs = default_configs()
    if name not in configs:
        raise RegistryError(f"unknown metric {name!r}; known: {', '.join(metric_names())}")
    config = configs[name]
    shipped = SHIPPED_FILES.get(name)
    return MetricInfo(
        name=name,
        mode=config.get("metric_mode", "NR"),
        lower_better=bool(config.get("lower_better", False)),
        range=TYPICAL_RANGES.get(name) or parse_range(config.get("score_range")),
        offline=name in NO_WEIGHTS or shipped is not None,
        shipped_file=shipped,
    )


def offline_metrics() -> list[str]:
    """Metrics that run with no network and no downloaded file."""
    return [name for name in metric_names() if metric_info(name).offline]
