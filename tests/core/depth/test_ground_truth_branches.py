"""Ground-truth readers' refusals and edges, the 3-channel resize, and pairing files by name."""

from __future__ import annotations

import math

import numpy as np
import pytest
from PIL import Image

from core.depth.ground_truth import load_depth_gt, pair_paths, resize_to_shape
from core.errors import IrisError


@pytest.mark.parametrize("scale", [0.0, -0.001, math.nan, math.inf])
def test_a_scale_that_is_not_a_positive_finite_number_is_refused(tmp_path, scale):
    np.save(tmp_path / "gt.npy", np.ones((2, 2), np.float32))
    with pytest.raises(IrisError, match=f"positive number of metres, got {scale}"):
        load_depth_gt(tmp_path / "gt.npy", scale=scale)


def test_the_smallest_positive_scale_is_accepted_and_multiplies_integer_units(tmp_path):
    Image.fromarray(np.array([[0, 3]], np.uint16)).save(tmp_path / "gt.png")
    depth = load_depth_gt(tmp_path / "gt.png", scale=1e-9)
    assert np.isnan(depth[0, 0])
    assert depth[0, 1] == pytest.approx(3e-9)


def test_npy_with_one_trailing_channel_is_squeezed_and_more_are_refused(tmp_path):
    np.save(tmp_path / "one.npy", np.array([[[1.5], [2.5]]], np.float64))
    depth = load_depth_gt(tmp_path / "one.npy")
    assert depth.dtype == np.float32 and depth.tolist() == [[1.5, 2.5]]
    np.save(tmp_path / "two.npy", np.zeros((2, 3, 2), np.float32))
    with pytest.raises(
        IrisError, match=r"two\.npy: depth ground truth must be \(H, W\), got \(2, 3, 2\)"
    ):
        load_depth_gt(tmp_path / "two.npy")


def test_a_colour_image_is_refused_as_depth(tmp_path):
    Image.new("RGB", (3, 2), (10, 20, 30)).save(tmp_path / "rgb.png")
    with pytest.raises(IrisError, match=r"rgb\.png: depth ground truth must be a single-channel"):
        load_depth_gt(tmp_path / "rgb.png")


def test_a_one_bit_image_holds_no_depth_numbers(tmp_path):
    image = Image.new("1", (3, 2))
    image.putpixel((1, 0), 1)
    image.save(tmp_path / "mask.png")
    with pytest.raises(IrisError, match=r"mask\.png: depth ground truth holds bool, not numbers"):
        load_depth_gt(tmp_path / "mask.png")


def test_signed_integer_tiff_is_units_times_scale_with_zero_as_no_measurement(tmp_path):
    Image.fromarray(np.array([[0, 250, 4000]], np.int32)).save(tmp_path / "gt.tif")
    depth = load_depth_gt(tmp_path / "gt.tif", scale=0.004)
    assert np.isnan(depth[0, 0])
    assert depth[0, 1] == pytest.approx(1.0) and depth[0, 2] == pytest.approx(16.0)
    # the suffix is matched without regard to case
    Image.fromarray(np.array([[500]], np.int32)).save(tmp_path / "upper.TIFF")
    assert load_depth_gt(tmp_path / "upper.TIFF")[0, 0] == pytest.approx(0.5)


def test_a_map_already_at_the_shape_is_returned_as_is():
    depth = np.arange(6, dtype=np.float64).reshape(2, 3)
    assert resize_to_shape(depth, (2, 3), "linear") is depth


def test_three_channel_resize_blends_only_where_every_source_is_finite():
    values = np.array(
        [
            [[1.0, 10.0, 100.0], [3.0, 30.0, 300.0]],
            [[5.0, 50.0, 500.0], [np.nan, 70.0, 700.0]],
        ],
        np.float32,
    )
    out = resize_to_shape(values, (4, 4), "linear")
    assert out.shape == (4, 4, 3) and out.dtype == np.float32
    # row 0 draws on source row 0 only; column 1 is 3/4 of column 0 and 1/4 of column 1
    np.testing.assert_allclose(out[0, 1], 0.75 * values[0, 0] + 0.25 * values[0, 1], rtol=1e-6)
    np.testing.assert_array_equal(out[0, 0], values[0, 0])
    # (1, 1) draws a little on the NaN pixel: the whole vector is the nearest sample instead
    np.testing.assert_array_equal(out[1, 1], values[0, 0])
    # the NaN pixel's own corner keeps its vector, NaN included, unblended
    assert np.isnan(out[3, 3, 0])
    np.testing.assert_array_equal(out[3, 3, 1:], values[1, 1, 1:])
    assert np.isfinite(out[:2, :2]).all()


def test_two_files_are_one_pair(tmp_path):
    pred, gt = tmp_path / "pred.png", tmp_path / "truth.npy"
    pred.write_bytes(b"p")
    gt.write_bytes(b"g")
    assert pair_paths(str(pred), str(gt)) == ([(pred, gt)], [])


def test_folders_pair_by_name_without_suffix_and_list_the_rest(tmp_path):
    preds, truths = tmp_path / "pred", tmp_path / "gt"
    preds.mkdir()
    truths.mkdir()
    for name in ("a.png", "b.png", "d.png", ".hidden.png"):
        (preds / name).write_bytes(b"p")
    (preds / "sub").mkdir()  # a folder inside is not a file to pair
    for name in ("a.npy", "c.npy", "d.tif", ".hidden.npy"):
        (truths / name).write_bytes(b"g")
    pairs, unpaired = pair_paths(preds, truths)
    assert pairs == [(preds / "a.png", truths / "a.npy"), (preds / "d.png", truths / "d.tif")]
    assert unpaired == ["b", "c"]


def test_folders_with_no_name_in_common_are_refused(tmp_path):
    preds, truths = tmp_path / "pred", tmp_path / "gt"
    preds.mkdir()
    truths.mkdir()
    (preds / "a.png").write_bytes(b"p")
    (truths / "b.npy").write_bytes(b"g")
    with pytest.raises(IrisError, match="no file names in common"):
        pair_paths(preds, truths)


def test_two_files_of_one_name_in_a_folder_are_refused(tmp_path):
    preds, truths = tmp_path / "pred", tmp_path / "gt"
    preds.mkdir()
    truths.mkdir()
    (preds / "a.png").write_bytes(b"p")
    (truths / "a.npy").write_bytes(b"g")
    (truths / "a.png").write_bytes(b"g")
    with pytest.raises(IrisError, match=r"gt: a\.npy and a\.png share a name"):
        pair_paths(preds, truths)


def test_a_missing_path_and_a_file_with_a_folder_are_refused(tmp_path):
    folder = tmp_path / "gt"
    folder.mkdir()
    file = tmp_path / "pred.png"
    file.write_bytes(b"p")
    with pytest.raises(IrisError, match=r"nope\.png: no such file or folder"):
        pair_paths(tmp_path / "nope.png", folder)
    with pytest.raises(IrisError, match=r"gone: no such file or folder"):
        pair_paths(file, tmp_path / "gone")
    with pytest.raises(IrisError, match="give two files or two folders"):
        pair_paths(file, folder)
    with pytest.raises(IrisError, match="give two files or two folders"):
        pair_paths(folder, file)
