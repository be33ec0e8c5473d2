"""Full-reference scores of images of different sizes under each alignment policy.

Every value is checked against doing the alignment by hand (Pillow) and calling pyiqa.
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from core.metrics import scoring
from core.metrics.alignment import AlignmentError, align, aligned_version
from core.metrics.engine import metric_version
from core.metrics.scoring import score_files, score_project
from core.project import Project
from tests.core.metrics.make_runs import texture


def _png(path, pixels):
    Image.fromarray((np.clip(pixels, 0, 1) * 255 + 0.5).astype(np.uint8)).save(path)
    return path


def _array(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("RGB"), np.float32) / np.float32(255.0)


def _pyiqa(name: str, output: np.ndarray, reference: np.ndarray) -> float:
    import pyiqa
    import torch

    def tensor(a):
        return torch.from_numpy(np.ascontiguousarray(a.transpose(2, 0, 1)))[None]

    model = pyiqa.create_metric(name, device=torch.device("cpu"))
    return float(model(tensor(output), tensor(reference)))


@pytest.fixture
def pair(tmp_path):
    """A 64x64 output of a 32x32 reference (a generator answering at twice the size)."""
    reference = texture(32, seed=4)
    big = np.asarray(
        Image.fromarray((reference * 255 + 0.5).astype(np.uint8)).resize((64, 64)), np.float32
    )
    output = np.clip(big / 255 + 0.04 * np.sin(np.arange(64) / 3)[:, None, None], 0, 1)
    return _png(tmp_path / "out.png", output), _png(tmp_path / "ref.png", reference)


def test_resize_equals_resizing_by_hand_then_pyiqa(pair):
    out, ref = pair
    report = score_files([out], ["psnr", "ssim"], reference=ref, device="cpu")
    by_hand = _array(Image.open(out).convert("RGB").resize((32, 32), Image.Resampling.BICUBIC))
    expected = _array(Image.open(ref))
    for row in report.rows:
        assert row.error is None and row.align == "resize:bicubic"
        assert row.value == pytest.approx(_pyiqa(row.metric, by_hand, expected), rel=1e-5)
    (lanczos,) = score_files(
        [out], ["psnr"], reference=ref, device="cpu", align_filter="lanczos"
    ).rows
    by_lanczos = _array(Image.open(out).convert("RGB").resize((32, 32), Image.Resampling.LANCZOS))
    assert lanczos.align == "resize:lanczos"
    assert lanczos.value == pytest.approx(_pyiqa("psnr", by_lanczos, expected), rel=1e-5)


def test_crop_equals_cropping_by_hand_then_pyiqa(tmp_path):
    """A re-framed output: rows 16..48 of the 64x64 reference, at twice the size (128x64)."""
    reference = texture(64, seed=6)
    shown = (reference[16:48] * 255 + 0.5).astype(np.uint8)
    output = np.asarray(Image.fromarray(shown).resize((128, 64)), np.float32) / 255
    out, ref = _png(tmp_path / "wide.png", output), _png(tmp_path / "ref.png", reference)
    (row,) = score_files([out], ["psnr"], reference=ref, device="cpu", align_policy="crop").rows
    assert row.error is None and row.align == "crop:bicubic"
    part = _array(Image.open(ref))[16:48]  # the box geometry's estimate must find
    by_hand = _array(Image.open(out).resize((64, 32), Image.Resampling.BICUBIC))
    assert row.value == pytest.approx(_pyiqa("psnr", by_hand, part), rel=1e-5)
    (resized,) = score_files([out], ["psnr"], reference=ref, device="cpu").rows
    assert resized.value < row.value  # squeezing the re-framed output onto the frame is worse


def test_none_refuses_naming_both_sizes_never_an_assertion(pair, tmp_path):
    out, ref = pair
    (row,) = score_files([out], ["psnr"], reference=ref, device="cpu", align_policy="none").rows
    assert row.value is None and row.align == "none"
    assert "64x64" in row.error and "32x32" in row.error and "Assertion" not in row.error
    with pytest.raises(AlignmentError, match="64x64 but the reference is 32x32"):
        align(np.zeros((64, 64, 3), np.float32), np.zeros((32, 32, 3)), "none")
    with pytest.raises(AlignmentError, match="known: resize, crop, none"):
        score_files([out], ["psnr"], reference=ref, device="cpu", align_policy="stretch")


def test_equal_sizes_are_untouched_by_every_policy():
    a, b = texture(16, seed=1), texture(16, seed=2)
    for policy in ("resize", "crop", "none"):
        x, y = align(a, b, policy)
        assert x is a and y is b
    assert aligned_version("v1", (16, 16), (16, 16), "crop") == "v1"
    assert aligned_version("v1", (32, 32), (16, 16)) == "v1+align=resize:bicubic"


def test_project_policy_is_part_of_the_cache_key(tmp_path, monkeypatch):
    with Project.create(tmp_path / "p", name="align") as project:
        ref = project.add_image_array(texture(32, seed=4), name="ref.png", kind="imported")
        big = project.add_image_array(texture(64, seed=4), name="big.png", kind="imported")
        same = project.add_image_array(texture(32, seed=5), name="same.png", kind="imported")
    ids, spec = [big.id, same.id], str(ref.id)
    first = score_project(tmp_path / "p", ["psnr"], image_ids=ids, reference=spec, device="cpu")
    assert first.computed == 2 and all(r.align == "resize:bicubic" for r in first.rows)
    with Project.open(tmp_path / "p") as project:
        bare = metric_version("psnr")
        assert project.score(same.sha256, "psnr", bare, ref.sha256) is not None  # key unchanged
        assert project.score(big.sha256, "psnr", bare, ref.sha256) is None
        stored = project.score(big.sha256, "psnr", f"{bare}+align=resize:bicubic", ref.sha256)
        by_hand = Image.fromarray((texture(64, seed=4) * 255 + 0.5).astype(np.uint8))
        expected = _pyiqa(
            "psnr", _array(by_hand.resize((32, 32), Image.Resampling.BICUBIC)),
            project.load_pixels(ref).pixels,
        )  # fmt: skip
    assert stored["value"] == pytest.approx(expected, rel=1e-5)
    crop = score_project(
        tmp_path / "p", ["psnr"], image_ids=ids, reference=spec, device="cpu", align_policy="crop"
    )
    assert crop.computed == 1 and crop.cached == 1  # only the resized pair is computed again
    monkeypatch.setattr(scoring, "score_pixels", None)  # a cached score needs no metric call
    again = score_project(tmp_path / "p", ["psnr"], image_ids=ids, reference=spec, device="cpu")
    assert again.cached == 2 and [r.value for r in again.rows] == [r.value for r in first.rows]
    refused = score_project(
        tmp_path / "p", ["psnr"], image_ids=ids, reference=spec, align_policy="none"
    )
    big_row, same_row = refused.rows
    assert big_row.value is None and "64x64" in big_row.error and "32x32" in big_row.error
    assert same_row.cached and same_row.value == first.rows[1].value
