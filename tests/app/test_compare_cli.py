"""``iris compare``: the figure's crops are the source pixels; bad input fails in one line."""

from __future__ import annotations

import numpy as np
from PIL import Image

from app.cli import main
from core.imageio import save_png


def _rgb(h, w, seed):
    return np.random.default_rng(seed).integers(0, 256, (h, w, 3), dtype=np.uint8)


def test_cli_figure_crops_equal_source_pixels(tmp_path, capsys):
    a, b = _rgb(30, 40, 1), _rgb(30, 40, 2)
    x2 = np.repeat(np.repeat(a, 2, axis=0), 2, axis=1)
    for name, pixels in (("a", a), ("b", b), ("x2", x2)):
        save_png(tmp_path / f"{name}.png", pixels / 255.0)
    out = tmp_path / "fig.png"
    code = main(
        [
            "compare",
            str(tmp_path / "a.png"),
            str(tmp_path / "b.png"),
            str(tmp_path / "x2.png"),
            "--labels",
            "input,restored,x2",
            "--crop",
            "4,5,10,8",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    assert capsys.readouterr().out.strip() == str(out)
    figure = np.asarray(Image.open(out).convert("RGB"))
    assert np.array_equal(figure[8:16, 8:18], a[5:13, 4:14])
    assert np.array_equal(figure[8:16, 26:36], b[5:13, 4:14])
    # The x2 image at scale 1 is box-averaged from 2x2 blocks of identical pixels: the same.
    assert np.array_equal(figure[8:16, 44:54], a[5:13, 4:14])
    code = main(
        ["compare", str(tmp_path / "a.png"), "--crop", "0,0,8,8", "--scale", "2", "--full",
         "--out", str(tmp_path / "fig.svg")]
    )  # fmt: skip
    assert code == 0 and (tmp_path / "fig.svg").read_text().count("<image") == 2
    assert main(["compare", str(tmp_path / "a.png"), "--crop", "0,0,8,8", "--out",
                 str(tmp_path / "fig.pdf")]) == 0  # fmt: skip
    assert (tmp_path / "fig.pdf").read_bytes().startswith(b"%PDF")


def test_cli_errors(tmp_path, capsys):
    save_png(tmp_path / "a.png", _rgb(10, 10, 0) / 255.0)
    a = str(tmp_path / "a.png")
    assert main(["compare", a, "--crop", "1,2", "--out", str(tmp_path / "f.png")]) == 1
    assert "iris: error: crop '1,2'" in capsys.readouterr().err
    assert main(["compare", a, "--crop", "0,0,2,2", "--out", str(tmp_path / "f.jpg")]) == 1
    assert ".png, .svg or .pdf" in capsys.readouterr().err
    assert main(["compare", a, "--labels", "x,y", "--crop", "0,0,2,2", "--out",
                 str(tmp_path / "f.png")]) == 1  # fmt: skip
    assert "2 labels for 1 images" in capsys.readouterr().err
    assert main(["compare", str(tmp_path / "missing.png"), "--crop", "0,0,2,2", "--out",
                 str(tmp_path / "f.png")]) == 1  # fmt: skip
    assert "missing" in capsys.readouterr().err
