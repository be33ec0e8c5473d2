"""Regenerate ``colormaps.npz`` (256 x 3 float32 RGB per map) from matplotlib, once.

IRIS does not depend on matplotlib: the tables are shipped as data. Run with an
environment that has matplotlib: ``python resources/colormaps/make_colormaps.py``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

NAMES = ("viridis", "plasma", "inferno", "magma", "turbo", "gray")


def main() -> None:
    import matplotlib

    tables = {}
    for name in NAMES:
        cmap = matplotlib.colormaps[name].resampled(256)
        tables[name] = cmap(np.arange(256))[:, :3].astype(np.float32)
    np.savez_compressed(Path(__file__).with_name("colormaps.npz"), **tables)


if __name__ == "__main__":
    main()
