"""Import only the pyiqa network module a metric needs.

pyiqa (0.1.16) finds a metric's network class by turning its name into a module name
(``NIQE`` -> ``niqe_arch``). Where that guess misses (``MS_SSIM`` lives in ``ssim_arch``),
it imports *every* ``*_arch.py`` module instead: about 1,800 modules (transformers, timm,
datasets, pandas, scipy...), 8 s here, much of it holding Python's GIL, which froze the
window while the compute thread scored. IRIS finds the module that defines the class by
reading the arch files' text (no import) and imports that one first; pyiqa then finds the
class registered and skips its fallback. The values are pyiqa's own: only the import
order changes.
"""

from __future__ import annotations

import importlib
import re
from functools import cache
from pathlib import Path


@cache
def _defining_module(type_name: str) -> str | None:
    import pyiqa.archs

    pattern = re.compile(rf"^class {re.escape(type_name)}\b", re.MULTILINE)
    for path in sorted(Path(pyiqa.archs.__file__).parent.glob("*_arch.py")):
        if pattern.search(path.read_text(encoding="utf-8", errors="replace")):
            return f"pyiqa.archs.{path.stem}"
    return None


def import_arch_of(metric: str) -> str | None:
    """Import the module defining ``metric``'s network class; returns its name (None when
    pyiqa has it already or no arch file defines it: pyiqa's own lookup then decides)."""
    from pyiqa.default_model_configs import DEFAULT_CONFIGS
    from pyiqa.utils.registry import ARCH_REGISTRY

    options = DEFAULT_CONFIGS.get(metric, {}).get("metric_opts", {})
    type_name = options.get("type")
    if not isinstance(type_name, str) or type_name in ARCH_REGISTRY:
        return None
    module = _defining_module(type_name)
    if module is not None:
        importlib.import_module(module)
    return module
