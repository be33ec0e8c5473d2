"""Thumbnails: the longer side fits, orientation is applied, refusals are the reader's."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from core.errors import IrisError
from core.thumbnails import make_thumbnail


def test_longer_side_fits_and_aspect_is_kept(tmp_path):
    path = tmp_path / "wide.png"
    pixels = np.zeros((100, 400, 3), np.uint8)
    pixels[:, 200:] = (255, 0, 0)  # right half red
    Image.fromarray(pixels).save(path)
    thumb = make_thumbnail(path)
    assert thumb.dtype == np.uint8 and thumb.shape == (40, 160, 3)
    assert thumb[20, 150].tolist() == [255, 0, 0] and thumb[20, 5].tolist() == [0, 0, 0]
    assert make_thumbnail(path, size=64).shape == (16, 64, 3)


def test_a_small_image_is_not_enlarged(tmp_path):
    path = tmp_path / "small.png"
    Image.fromarray(np.full((10, 20, 3), 9, np.uint8)).save(path)
    assert make_thumbnail(path).shape == (10, 20, 3)


def test_jpeg_with_exif_orientation_is_turned(tmp_path):
    path = tmp_path / "rotated.jpg"
    pixels = np.zeros((200, 320, 3), np.uint8)
    pixels[:, :160] = (250, 250, 250)  # left half white
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise to display
    Image.fromarray(pixels).save(path, quality=95, exif=exif)
    thumb = make_thumbnail(path, size=80)
    assert thumb.shape == (80, 50, 3)  # portrait once turned
    assert thumb[5, 25].mean() > 200 and thumb[75, 25].mean() < 50  # white half on top


def test_a_file_that_is_not_an_image_is_refused(tmp_path):
    path = tmp_path / "notes.png"
    path.write_bytes(b"not a picture")
    with pytest.raises(IrisError):
        make_thumbnail(path)
