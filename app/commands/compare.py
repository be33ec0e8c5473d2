"""``iris compare``: the same crop from several images as one labelled figure (PNG, SVG, PDF)."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.commands.types import finite_float
from core.errors import IrisError


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "compare",
        help="make a figure of the same crop from several images",
        description=(
            "Cut the same region out of every image and lay the crops side by side, labelled. "
            "The crop is in pixels of the first image; images of other sizes (x2, x4 outputs) "
            "give the same normalized region."
        ),
    )
    parser.add_argument("images", nargs="+", metavar="IMAGE")
    parser.add_argument("--labels", help="comma-separated labels (default: the file names)")
    parser.add_argument(
        "--crop", required=True, metavar="X,Y,W,H", help="crop in pixels of the first image"
    )
    parser.add_argument(
        "--out", required=True, metavar="FIGURE", help="output file: .png, .svg or .pdf"
    )
    parser.add_argument(
        "--scale", type=finite_float, default=1.0, help="output pixels per crop pixel (default 1)"
    )
    parser.add_argument(
        "--full", action="store_true", help="also show each full image with the crop box"
    )
    parser.add_argument("--columns", type=int, help="panels per row (default: all in one row)")
    parser.add_argument(
        "--offsets",
        metavar="DX:DY,...",
        help="per-image shift in its own pixels, e.g. '0:0,-3:1' (default: none)",
    )
    parser.set_defaults(run=run)


def _parse_offsets(text: str | None, count: int) -> list[tuple[float, float]]:
    if not text:
        return [(0.0, 0.0)] * count
    offsets = []
    for part in text.split(","):
        try:
            dx, dy = (float(v) for v in part.split(":"))
        except ValueError:
            raise IrisError(f"--offsets {text!r}: each offset must look like DX:DY") from None
        offsets.append((dx, dy))
    if len(offsets) != count:
        raise IrisError(f"--offsets gives {len(offsets)} offsets for {count} images")
    return offsets


def run(args: argparse.Namespace) -> int:
    from core.compare.figure import Crop, export_figure, format_of
    from core.compare.pyramid import to_rgb8
    from core.imageio import load_image

    format_of(args.out)
    crop = Crop.parse(args.crop)
    if args.labels is not None:
        labels = [label.strip() for label in args.labels.split(",")]
        if len(labels) != len(args.images):
            raise IrisError(f"--labels gives {len(labels)} labels for {len(args.images)} images")
    else:
        labels = [Path(path).stem for path in args.images]
    offsets = _parse_offsets(args.offsets, len(args.images))
    images = [to_rgb8(load_image(path).pixels) for path in args.images]
    written = export_figure(
        images,
        labels,
        crop,
        args.out,
        scale=args.scale,
        with_full=args.full,
        offsets=offsets,
        columns=args.columns,
    )
    print(written)
    return 0
