"""Importing files and folders: valid images enter, bad ones are reported with their reason."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from PIL import Image

from core.errors import Cancelled
from core.project.importer import import_paths


def make_folder(root, count=3):
    root.mkdir()
    for i in range(count):
        Image.fromarray(np.full((8, 8, 3), i * 40, np.uint8)).save(root / f"img{i}.png")
    (root / "sub").mkdir()
    Image.fromarray(np.full((4, 4, 3), 200, np.uint8)).save(root / "sub" / "deep.jpg")
    (root / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n garbage")
    (root / "readme.txt").write_text("not an image")
    return root


def test_folder_import_reports_each_file(project, tmp_path):
    folder = make_folder(tmp_path / "in")
    seen = []
    report = import_paths(project.path, [folder], progress=lambda d, t: seen.append((d, t)))
    assert len(report.imported) == 4
    assert [path.endswith("broken.png") for path, _ in report.errors] == [True]
    assert "broken.png" in report.errors[0][1]
    assert seen[-1] == (5, 5)
    names = sorted(image.name for image in project.images())
    assert names == ["deep", "img0", "img1", "img2"]
    again = import_paths(project.path, [folder])
    assert again.imported == [] and len(again.duplicates) == 4


def test_import_keeps_original_bytes(project, tmp_path):
    folder = make_folder(tmp_path / "in", count=1)
    import_paths(project.path, [folder / "sub" / "deep.jpg"])
    (image,) = project.images()
    assert image.format == "JPEG" and image.file.endswith(".jpg")
    assert project.image_path(image).read_bytes() == (folder / "sub" / "deep.jpg").read_bytes()


def test_cancel_between_images_keeps_what_was_imported(project, tmp_path):
    folder = make_folder(tmp_path / "in", count=3)
    cancel = threading.Event()

    def progress(done, total):
        if done == 2:
            cancel.set()

    with pytest.raises(Cancelled):
        import_paths(project.path, [folder], progress=progress, cancel=cancel)
    # files in order: broken.png, img0.png, img1.png...: two were handled, one of them imported
    assert [image.name for image in project.images()] == ["img0"]
