"""An editor's answer is untrusted input: image bytes in a format IRIS does not name, a bomb, or
garbage become a failed result with the reason, never an ``ok`` row (the real client, a fake server)."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from core.imageio import encode_png
from core.methods.runner import restore_images
from tests.core.imageio.bombs import EPS_LOOP, png_bomb
from tests.fakes.gemini_server import Reply, fake_gemini, image_response


def _gif() -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(np.full((8, 8, 3), 30, np.uint8)).save(buffer, format="GIF")
    return buffer.getvalue()


def _bomb() -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        return png_bomb(Path(folder) / "b.png", 30000, 30000, rows=4).read_bytes()


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        (EPS_LOOP, "not-an-image"),
        (_gif(), "not-an-image"),
        (_bomb(), "too-large"),
        (b"\x89PNG\r\n\x1a\n garbage after a PNG signature", "corrupt"),
    ],
    ids=["postscript", "gif", "bomb", "garbage"],
)
def test_a_hostile_answer_is_a_failed_result(project, monkeypatch, answer, reason):
    pixels = np.random.default_rng(0).uniform(0, 1, (16, 16, 3)).astype(np.float32)
    image = project.add_image_bytes(encode_png(pixels), name="in", kind="imported")
    with fake_gemini(monkeypatch) as server:
        server.push(Reply(body=image_response(answer, mime_type="image/png")))
        (result,) = restore_images(project.path, [image.id], "gemini", {"retries": 0})
    assert result.status == "failed"
    assert reason in (result.error or ""), result.error
    assert result.output_image_id is None
    assert [r.name for r in project.images()] == ["in"]
