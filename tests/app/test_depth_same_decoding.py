"""``iris depth`` and the Depth view decode the same file to the same array, for every codec.

Each case is a depth file and the :class:`DepthSettings` a user asks for. The CLI side
runs ``iris depth FILE --out X.npy`` in a subprocess with the options those settings
need; the GUI side drives the real Depth view: it selects the image in the project (or
opens the file with "Open depth file..."), sets the panel's widgets and saves the depth
with the view's own export. Options and widgets are only touched where the settings
differ from the defaults, so the defaults of both sides are compared too.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import Qt

from app.depth_view import DepthView
from app.views import ViewContext
from core.depth.codecs import CODECS, make_codec
from core.depth.defaults import CODEC_NAMES, COLORMAP_NAMES, RAW_CODECS
from core.depth.settings import DepthSettings
from core.errors import IrisError

DEFAULTS = DepthSettings()


def scene_depth(height: int = 24, width: int = 32) -> np.ndarray:
    """A ramp from 0.6 m to 40 m with a sky band on top."""
    depth = np.geomspace(0.6, 40.0, height * width).reshape(height, width)
    depth[:3] = np.inf
    return depth


def with_stray_colours(rgb: np.ndarray) -> np.ndarray:
    """Off-path pixels (as JPEG or a wrong codec leave them) so the mask has work to do."""
    rgb = rgb.copy()
    rgb[5:9, 4:12] = (255, 0, 255)  # blocks, so a 3x3 median keeps them
    rgb[12:16, 20:26] = (30, 160, 10)
    return rgb


def png_bytes(pixels: np.ndarray) -> bytes:
    import io

    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG")
    return buffer.getvalue()


def colour_map(name: str, settings: DepthSettings) -> bytes:
    codec = make_codec(name, **settings.codec_params())
    return png_bytes(with_stray_colours(codec.encode(scene_depth())))


def raw_depth() -> np.ndarray:
    depth = scene_depth().astype(np.float32)
    depth[:3] = np.nan  # raw files mark "no measurement"; png16 stores it as 0
    depth[10, 5:9] = np.nan
    return depth


@dataclass
class Case:
    id: str
    suffix: str
    content: bytes | None  # None: this build cannot write the file (EXR without OpenEXR)
    settings: DepthSettings = field(default_factory=DepthSettings)
    expect_codec: str = ""
    masks: bool = True  # the decoding has masked pixels (a grey PNG read as gray has none)


def exr_bytes() -> bytes | None:
    try:
        return make_codec("exr").encode(raw_depth())
    except IrisError:
        return None


def cases() -> list[Case]:
    banana = DepthSettings(
        codec="vision-banana", corners="KBCGYRMW", median=True, max_path_distance=0.05
    )
    viridis = DepthSettings(
        codec="viridis", range_mode="linear", near=0.6, far=40.0, reverse=True, hfov_deg=70.0
    )
    gray = DepthSettings(codec="gray", range_mode="inverse", near=0.5, far=45.0)
    listed = [
        Case("default-codec", ".png", colour_map("vision-banana", DEFAULTS), DEFAULTS),
        Case("vision-banana", ".png", colour_map("vision-banana", banana), banana),
        Case("viridis", ".png", colour_map("viridis", viridis), viridis),
        Case("gray", ".png", colour_map("gray", gray), gray),
    ]
    for name in COLORMAP_NAMES:
        if name not in ("viridis", "gray"):
            chosen = DepthSettings(codec=name)
            listed.append(Case(name, ".png", colour_map(name, chosen), chosen))
    png16 = make_codec("png16").encode(raw_depth())
    listed += [
        Case("png16", ".png", png16, DepthSettings(depth_kind="ray"), "png16"),
        Case("png16-chosen", ".png", png16, DepthSettings(codec="png16")),
        # the case: a 16-bit grey PNG with a colour codec chosen (the choice wins)
        Case("png16-as-gray", ".png", png16, DepthSettings(codec="gray"), masks=False),
        Case("npy", ".npy", make_codec("npy").encode(raw_depth()), DEFAULTS, "npy"),
        Case(
            "npy-chosen",
            ".npy",
            make_codec("npy").encode(raw_depth()),
            replace(DEFAULTS, codec="npy"),
        ),
        Case("exr", ".exr", exr_bytes(), DEFAULTS, "exr"),
    ]
    for case in listed:
        case.expect_codec = case.expect_codec or case.settings.codec or "vision-banana"
    return listed


CASES = cases()


def test_the_cases_cover_every_registered_codec():
    assert {case.expect_codec for case in CASES} == set(CODECS.names()) == set(CODEC_NAMES)


# -- the CLI side -----------------------------------------------------------------------------


def cli_options(settings: DepthSettings) -> list[str]:
    """``iris depth`` options for ``settings``, only where they differ from the defaults."""
    options: list[str] = []
    for item in fields(DepthSettings):
        value, default = getattr(settings, item.name), getattr(DEFAULTS, item.name)
        if value == default:
            continue
        name = item.name
        if name == "codec":
            options += ["--colormap", value]
        elif name == "max_path_distance":
            options += ["--max-path-distance", "-1" if value is None else repr(value)]
        elif name == "depth_kind":
            options += ["--ray-distance"] if value == "ray" else []
        elif name == "hfov_deg":
            options += ["--hfov", repr(value)]
        elif isinstance(value, bool):
            options += [f"--{name.replace('_', '-')}"]
        else:
            options += [f"--{name.replace('_', '-')}", str(value)]
    return options


def start_cli(path: Path, settings: DepthSettings, out: Path) -> subprocess.Popen:
    """``iris depth PATH --out OUT --json`` with the options of ``settings``, started now."""
    command = [sys.executable, "-m", "app", "depth", str(path), "--out", str(out), "--json"]
    return subprocess.Popen(
        command + cli_options(settings),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def cli_summary(process: subprocess.Popen) -> dict:
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 0, stderr
    return json.loads(stdout)


# -- the GUI side -----------------------------------------------------------------------------


def set_panel(view: DepthView, qtbot, settings: DepthSettings) -> None:
    """Change the panel's widgets where ``settings`` differs from the defaults, as a user would."""
    changed = {f.name for f in fields(DepthSettings)}
    changed = {n for n in changed if getattr(settings, n) != getattr(DEFAULTS, n)}
    s = settings
    if "codec" in changed:
        view.codec.setCurrentText(s.codec)
    if "range_mode" in changed:
        view.range_mode.setCurrentText(s.range_mode)
    for name in ("curve_lambda", "curve_scale", "near", "far"):
        if name in changed:
            getattr(view, name).setValue(getattr(s, name))
    if "corners" in changed:
        view.corners.clear()
        qtbot.keyClicks(view.corners, s.corners)
        qtbot.keyClick(view.corners, Qt.Key.Key_Return)
    if "reverse" in changed:
        view.reverse.setChecked(s.reverse)
    if "median" in changed:
        view.median.setChecked(s.median)
    if "max_path_distance" in changed:
        view.mask.setChecked(s.max_path_distance is not None)
        if s.max_path_distance is not None:
            view.threshold.setValue(s.max_path_distance)
    if "hfov_deg" in changed:
        view.use_exif.setChecked(False)
        view.hfov.setValue(s.hfov_deg)
    if "depth_kind" in changed:
        view.ray.setChecked(s.depth_kind == "ray")


def gui_decode(view, qtbot, project, monkeypatch, case: Case, path: Path, record, out: Path):
    """Set the panel, select (or open) the map, wait for the scene, save it; returns the scene."""
    view.set_project(project)
    set_panel(view, qtbot, case.settings)
    if record is not None:  # an image in the project: the user selects it
        view.show_images([record])
    else:  # a depth file: Open depth file...
        monkeypatch.setattr(
            "app.depth_view.QFileDialog.getOpenFileName", lambda *a, **k: (str(path), "")
        )
        qtbot.mouseClick(view.open_file, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.scene is not None and not view.loading, timeout=20000)
    assert view.error is None
    handle = view.export_to("depth", str(out))
    qtbot.waitUntil(lambda: handle.is_finished, timeout=20000)
    assert handle.state == "done", handle.error
    return view.scene


def _param(case):
    """A case whose file this machine cannot make (EXR without OpenEXR) is skipped, saying so."""
    no_file = pytest.mark.skipif(
        case.content is None, reason="this OpenCV has no OpenEXR (cv2.haveImageWriter is false)"
    )
    return pytest.param(case, id=case.id, marks=no_file)


@pytest.mark.parametrize("case", [_param(case) for case in CASES])
def test_cli_and_depth_view_decode_to_the_same_array(
    case, qtbot, worker, project, tmp_path, monkeypatch
):
    view = DepthView(ViewContext(worker=worker, settings=None, show_status=lambda _text: None))
    qtbot.addWidget(view)
    path, record = tmp_path / f"map{case.suffix}", None
    path.write_bytes(case.content)
    if case.suffix == ".png":  # images are imported; both sides read the project's file
        record = project.add_image_bytes(case.content, name=path.name, kind="imported")
        path = project.image_path(record)
    cli = start_cli(path, case.settings, tmp_path / "cli.npy")  # runs while the view decodes
    try:
        scene = gui_decode(
            view, qtbot, project, monkeypatch, case, path, record, tmp_path / "gui.npy"
        )
    finally:
        summary = cli_summary(cli)

    # the same settings on both sides, and the same codec chosen from them
    assert view.settings() == case.settings
    assert scene.settings == replace(case.settings, codec=case.expect_codec)
    assert summary["codec"] == scene.decoding.codec == case.expect_codec
    assert summary["params"] == json.loads(json.dumps(scene.decoding.params))

    gui, cli = np.load(tmp_path / "gui.npy"), np.load(tmp_path / "cli.npy")
    assert gui.dtype == cli.dtype == np.float32 and gui.shape == cli.shape == (24, 32)
    np.testing.assert_array_equal(np.isnan(gui), np.isnan(cli))
    assert np.array_equal(gui, cli, equal_nan=True)
    np.testing.assert_array_equal(gui, scene.decoding.depth)
    # the cases are not vacuous: something is masked and something is measured
    assert np.isnan(gui).any() == case.masks and np.isfinite(gui).sum() > gui.size // 2
    if case.expect_codec in RAW_CODECS:
        assert summary["masked_fraction"] > 0.1
