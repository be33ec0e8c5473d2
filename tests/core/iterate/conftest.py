"""Fixtures of the iterative-run tests: an input image and a fake Gemini server."""

from __future__ import annotations

import numpy as np
import pytest

from core.imageio import encode_png
from tests.fakes.gemini_server import FAKE_KEY, fake_gemini

KEY = FAKE_KEY


@pytest.fixture
def image(project):
    """A 48x64 (h x w) textured input whose JPEG re-encoding visibly degrades."""
    yy, xx = np.mgrid[:48, :64].astype(np.float32)
    pixels = np.stack([xx / 63, yy / 47, 0.5 + 0.4 * np.sin(xx / 3) * np.cos(yy / 4)], axis=2)
    return project.add_image_bytes(encode_png(pixels), name="chart.png", kind="imported")


@pytest.fixture
def gemini(monkeypatch):
    """The fake server, with the real google-genai client pointed at it and a dummy key."""
    with fake_gemini(monkeypatch) as fake:
        yield fake
