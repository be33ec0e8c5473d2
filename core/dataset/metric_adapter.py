"""The one place that turns a metric name and a device into a scoring function.

``load_metric(name, device)`` returns a :class:`MetricFn` that scores float32
RGB arrays in [0, 1], shape (H, W, 3), as :func:`core.imageio.load_image`
gives them (and, for full-reference metrics, the reference in the same form)
and returns a float. ``metric_version(name)`` names the code that computed a
value, so a resumed job or a project cache never mixes versions.

Today it calls ``pyiqa.create_metric(name, as_loss=False, device=...)`` on
NCHW tensors. At merge it delegates to issue 6's ``core.metrics`` engine (the
metric catalogue and pyiqa engine of ``iris score``), so a dataset job and a
local ``iris score`` run the same code and give the same values.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata

import numpy as np

from core.errors import IrisError


@dataclass
class MetricFn:
    """A loaded metric: ``fn(image, reference) -> float`` and whether it needs the reference."""

    name: str
    version: str
    needs_reference: bool
    lower_better: bool
    fn: Callable[[np.ndarray, np.ndarray | None], float]

    def __call__(self, image: np.ndarray, reference: np.ndarray | None = None) -> float:
        return self.fn(image, reference)


def metric_version(name: str) -> str:
    """The version recorded with every value of ``name`` (the engine and its release)."""
    try:
        return f"pyiqa-{metadata.version('pyiqa')}"
    except metadata.PackageNotFoundError:
        return "pyiqa-unknown"


def known_metrics() -> list[str]:
    """Every metric name the engine can create (imports pyiqa)."""
    import pyiqa

    return sorted(pyiqa.list_models())


def check_metrics(names: list[str]) -> None:
    """Raise an error naming the unknown metrics and listing the known ones."""
    known = set(known_metrics())
    unknown = [name for name in names if name not in known]
    if unknown:
        raise IrisError(f"unknown metric {', '.join(unknown)}; known: {', '.join(sorted(known))}")


def _tensor(pixels: np.ndarray, device):
    import torch

    array = np.ascontiguousarray(pixels, dtype=np.float32).transpose(2, 0, 1)[None]
    return torch.from_numpy(np.ascontiguousarray(array)).to(device)


def load_metric(name: str, device: str = "cpu") -> MetricFn:
    """Create metric ``name`` on ``device`` once; the returned function scores one image."""
    import pyiqa
    import torch

    torch_device = torch.device(device)
    model = pyiqa.create_metric(name, as_loss=False, device=torch_device)
    model.eval()
    needs_reference = str(getattr(model, "metric_mode", "NR")).upper() == "FR"

    def score(image: np.ndarray, reference: np.ndarray | None) -> float:
        if image.ndim != 3 or image.shape[2] != 3:
            raise ValueError(f"expected (H, W, 3) pixels, got {image.shape}")
        with torch.inference_mode():
            x = _tensor(image, torch_device)
            if needs_reference:
                if reference is None:
                    raise ValueError(f"{name} is a full-reference metric: no reference image")
                if reference.shape != image.shape:
                    raise ValueError(
                        f"reference is {reference.shape[1]}x{reference.shape[0]}, "
                        f"image is {image.shape[1]}x{image.shape[0]}"
                    )
                value = model(x, _tensor(reference, torch_device))
            else:
                value = model(x)
        return float(value.detach().reshape(-1)[0].item())

    return MetricFn(name, metric_version(name), needs_reference, bool(model.lower_better), score)
