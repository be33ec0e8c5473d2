"""Fixtures of the iterative-run tests: an input image and a fake Gemini server."""

from __future__ import annotations

import numpy as np
import pytest

from core.imageio import encode_png
from tests.fakes.gemini_server import FakeGeminiServer

KEY = "AIzaFAKE-iterate-key-5d2e8b"


@pytest.fixture
def image(project):
    """A 48x64 (h x w) textured input whose JPEG re-encoding visibly degrades."""
    yy, xx = np.mgrid[:48, :64].astype(np.float32)
    pixels = np.stack([xx / 63, yy / 47, 0.5 + 0.4 * np.sin(xx / 3) * np.cos(yy / 4)], axis=2)
    return project.add_image_bytes(encode_png(pixels), name="chart.png", kind="imported")


@pytest.fixture
def gemini(monkeypatch):
    """The fake server, with the real google-genai client pointed at it and a dummy key."""
    monkeypatch.setenv("GEMINI_API_KEY", KEY)
    monkeypatch.delenv("GOOGLE_API_KEY", raising=False)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    monkeypatch.setenv("IRIS_GEMINI_RETRY_BASE_S", "0.01")
    with FakeGeminiServer() as fake:
        monkeypatch.setenv("IRIS_GEMINI_BASE_URL", fake.url)
        yield fake
