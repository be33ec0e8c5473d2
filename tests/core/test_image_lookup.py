"""core.project.lookup: ids, names and files mean the same images for every command."""

from __future__ import annotations

import numpy as np
import pytest

from core.errors import IrisError
from core.imageio import encode_png, save_png
from core.project.lookup import resolve_images


def _pixels(value: float) -> np.ndarray:
    return np.full((6, 8, 3), value, np.float32)


@pytest.fixture
def images(project):
    first = project.add_image_bytes(encode_png(_pixels(0.2)), name="a.png", kind="imported")
    second = project.add_image_bytes(encode_png(_pixels(0.6)), name="b.png", kind="imported")
    return first, second


def test_ids_names_and_known_files_resolve_in_order(project, images, tmp_path):
    first, second = images
    copy = tmp_path / "elsewhere.png"
    copy.write_bytes(project.image_path(second.id).read_bytes())
    specs = ["b.png", str(first.id), str(copy)]
    assert resolve_images(project.path, specs, import_files=False) == [
        second.id, first.id, second.id,
    ]  # fmt: skip
    assert len(project.images()) == 2


def test_a_new_file_is_imported_only_when_asked(project, images, tmp_path):
    new = tmp_path / "new.png"
    save_png(new, _pixels(0.9))
    with pytest.raises(IrisError, match="not in the project"):
        resolve_images(project.path, [str(new)], import_files=False)
    assert len(project.images()) == 2
    (image_id,) = resolve_images(project.path, [str(new)], import_files=True)
    assert project.image(image_id).name == "new" and len(project.images()) == 3


def test_unknown_and_ambiguous_names_are_refused(project, images):
    project.add_image_bytes(encode_png(_pixels(0.4)), name="a.png", kind="imported")
    with pytest.raises(IrisError, match="'a.png' names 2 images; give an id"):
        resolve_images(project.path, ["a.png"], import_files=True)
    with pytest.raises(IrisError, match="'zzz': not an image id, image name or file"):
        resolve_images(project.path, ["zzz"], import_files=True)
