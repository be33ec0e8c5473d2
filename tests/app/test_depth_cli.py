"""``iris depth`` and ``iris normals`` on maps made inside the test."""

from __future__ import annotations

import json

import numpy as np
from PIL import Image

from app.cli import main
from core.depth.codecs import make_codec
from core.depth.normals import encode_normals


def test_depth_command_json_and_exports(tmp_path, capsys):
    import open3d as o3d

    depth = np.full((40, 60), 4.0)
    depth[:10] = np.inf  # sky
    depth[30:, :] = 2.0
    image = tmp_path / "map.png"
    Image.fromarray(make_codec("vision-banana").encode(depth)).save(image)
    photo = tmp_path / "photo.png"
    Image.new("RGB", (120, 80), (10, 200, 30)).save(photo)
    out, ply = tmp_path / "depth.npy", tmp_path / "cloud.ply"
    code = main(
        [
            "depth",
            str(image),
            "--photo",
            str(photo),
            "--hfov",
            "70",
            "--out",
            str(out),
            "--ply",
            str(ply),
            "--json",
        ]
    )
    assert code == 0
    summary = json.loads(capsys.readouterr().out)
    assert abs(summary["median_m"] - 4.0) < 0.01 and abs(summary["min_m"] - 2.0) < 0.01
    assert summary["sky_fraction"] == 0.25 and summary["masked_fraction"] == 0.0
    assert summary["point_count"] == 30 * 60
    assert abs(summary["intrinsics"]["hfov_deg"] - 70) < 1e-6
    assert np.isposinf(np.load(out)[0, 0])
    cloud = o3d.io.read_point_cloud(str(ply))
    assert len(cloud.points) == 30 * 60
    assert np.allclose(np.asarray(cloud.colors)[0], np.array([10, 200, 30]) / 255)


def test_depth_command_colour_map_with_range(tmp_path, capsys):
    depth = np.linspace(1.0, 9.0, 50 * 50).reshape(50, 50)
    codec = make_codec("plasma", range_mode="linear", near=1.0, far=9.0)
    image = tmp_path / "plasma.png"
    Image.fromarray(codec.encode(depth)).save(image)
    code = main(
        [
            "depth",
            str(image),
            "--colormap",
            "plasma",
            "--range-mode",
            "linear",
            "--near",
            "1",
            "--far",
            "9",
            "--json",
        ]
    )
    assert code == 0
    summary = json.loads(capsys.readouterr().out)
    assert abs(summary["median_m"] - 5.0) < 0.05 and abs(summary["max_m"] - 9.0) < 0.05


def test_depth_command_errors_are_one_line(tmp_path, capsys):
    assert main(["depth", str(tmp_path / "missing.png")]) == 1
    assert capsys.readouterr().err.strip().startswith("iris: error: ")
    image = tmp_path / "map.png"
    Image.new("RGB", (4, 4)).save(image)
    assert main(["depth", str(image), "--colormap", "viridis", "--range-mode", "linear"]) == 1
    err = capsys.readouterr().err
    assert "--near" in err and len(err.strip().splitlines()) == 1
    npy = tmp_path / "depth.npy"
    np.save(npy, np.ones((4, 4), np.float32))
    assert main(["depth", str(npy), "--colormap", "viridis"]) == 1  # refused, not ignored
    err = capsys.readouterr().err
    assert "holds depth, not colours" in err and len(err.strip().splitlines()) == 1


def test_normals_command(tmp_path, capsys):
    normals = np.zeros((20, 20, 3))
    normals[..., 1] = -1.0  # a ceiling: facing down
    image = tmp_path / "normals.png"
    Image.fromarray(encode_normals(normals)).save(image)
    out = tmp_path / "n.npy"
    assert main(["normals", str(image), "--out", str(out), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["valid_fraction"] == 1.0 and summary["mean"][1] < -0.99
    assert np.load(out).shape == (20, 20, 3)
