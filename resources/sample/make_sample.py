"""Regenerates the bundled sample images and scores (deterministic; run from the repository root).

    python -m resources.sample.make_sample            # the images and the manifest's image list
    python -m resources.sample.make_sample --scores   # scores.json, after any change to the sample

Every image is drawn by this script, so IRIS may ship them (CC0). The degraded
versions use simple, documented recipes; their parameters go into
``manifest.json`` and from there into the sample project. The manifest's other
sections (runs, restorations, annotations, the depth scene, the Compare set, the
scoring plan) are kept as they are; ``core.sample_project`` builds them on first use.
``--scores`` builds the sample in a temporary folder, scores it through
``score_project`` as the manifest's ``scores`` plan says (minutes on a CPU) and
writes ``scores.json``, which the first launch stores (see ``core/sample_scores.py``).
"""

from __future__ import annotations

import argparse
import io
import json
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

HERE = Path(__file__).resolve().parent
SIZE = 512


def fabric(rng: np.random.Generator) -> np.ndarray:
    """Fine woven texture: two thread directions, per-thread colour jitter, fibre noise."""
    y, x = np.mgrid[0:SIZE, 0:SIZE].astype(np.float32)
    period = 6.0
    warp = 0.5 + 0.5 * np.cos(2 * np.pi * x / period)
    weft = 0.5 + 0.5 * np.cos(2 * np.pi * y / period)
    over = ((x // period + y // period) % 2).astype(np.float32)
    weave = over * warp + (1 - over) * weft
    thread_jitter = rng.normal(0, 0.06, size=(SIZE // 6 + 1,)).astype(np.float32)
    jitter = thread_jitter[(x // period).astype(int)] + thread_jitter[(y // period).astype(int)]
    fibres = rng.normal(0, 0.05, size=(SIZE, SIZE)).astype(np.float32)
    base = np.array([0.55, 0.22, 0.18], np.float32)
    accent = np.array([0.85, 0.70, 0.35], np.float32)
    stripe = ((x // 48) % 4 == 0).astype(np.float32)[..., None]
    colour = base * (1 - stripe) + accent * stripe
    shade = (0.55 + 0.45 * weave + jitter + fibres)[..., None]
    return np.clip(colour * shade, 0, 1)


def text_page(rng: np.random.Generator) -> np.ndarray:
    """Printed text at several sizes on slightly uneven paper."""
    page = Image.new("RGB", (SIZE, SIZE), (242, 238, 226))
    draw = ImageDraw.Draw(page)
    lines = [
        (34, "IRIS sample 01"),
        (22, "Restoration must not invent."),
        (18, "The quick brown fox jumps over"),
        (18, "the lazy dog 0123456789"),
        (14, "Small print tests hallucinated glyphs:"),
        (14, "a e o c s 8 B 3 rn m cl d il 1 l I"),
        (11, "Fine serif-free text at 11 px stays legible"),
        (11, "only if the restorer keeps every stroke."),
        (9, "9 px: AaBbCcDdEeFfGgHhIiJjKkLlMmNnOoPp"),
    ]
    top = 24
    for size, line in lines:
        draw.text((24, top), line, fill=(20, 24, 30), font=ImageFont.load_default(size=size))
        top += int(size * 1.9)
    for row in range(6):
        draw.rectangle(
            [24 + row * 78, 420, 24 + row * 78 + 60, 480], fill=(40 * row, 90, 200 - 30 * row)
        )
    paper = np.asarray(page, np.float32) / 255.0
    paper += rng.normal(0, 0.01, size=paper.shape).astype(np.float32)
    return np.clip(paper, 0, 1)


def gradient(rng: np.random.Generator) -> np.ndarray:
    """Smooth sky gradient with a shaded sphere: banding and blocking show at once here."""
    y, x = np.mgrid[0:SIZE, 0:SIZE].astype(np.float32) / SIZE
    sky = np.stack([0.25 + 0.5 * y, 0.45 + 0.35 * y, 0.85 - 0.2 * y], axis=-1)
    cx, cy, r = 0.55, 0.52, 0.28
    dx, dy = (x - cx) / r, (y - cy) / r
    inside = dx**2 + dy**2 <= 1
    dz = np.sqrt(np.clip(1 - dx**2 - dy**2, 0, 1))
    light = np.clip(-0.5 * dx - 0.6 * dy + 0.62 * dz, 0, 1)
    sphere = np.stack([0.9 * light + 0.08, 0.55 * light + 0.05, 0.2 * light + 0.04], axis=-1)
    image = np.where(inside[..., None], sphere, sky)
    return np.clip(image + rng.normal(0, 0.002, size=image.shape), 0, 1).astype(np.float32)


def bricks(rng: np.random.Generator) -> np.ndarray:
    """A brick wall with mortar lines and a window: straight edges and repeated structure."""
    y, x = np.mgrid[0:SIZE, 0:SIZE]
    brick_h, brick_w = 24, 56
    row = y // brick_h
    shifted = x + (row % 2) * (brick_w // 2)
    mortar = ((y % brick_h) < 3) | ((shifted % brick_w) < 3)
    ids = row * 100 + shifted // brick_w
    tint = rng.uniform(0.75, 1.1, size=ids.max() + 1)[ids]
    image = np.empty((SIZE, SIZE, 3), np.float32)
    image[...] = np.array([0.62, 0.30, 0.22], np.float32) * tint[..., None]
    image[mortar] = (0.78, 0.76, 0.72)
    window = (x > 300) & (x < 440) & (y > 120) & (y < 330)
    image[window] = (0.12, 0.16, 0.22)
    frame = window & (((x - 300) % 70 < 5) | ((y - 120) % 105 < 5))
    image[frame] = (0.92, 0.92, 0.9)
    image += rng.normal(0, 0.02, size=image.shape).astype(np.float32)
    return np.clip(image, 0, 1)


def to_pil(pixels: np.ndarray) -> Image.Image:
    return Image.fromarray(np.round(np.clip(pixels, 0, 1) * 255).astype(np.uint8))


def add_noise(im: Image.Image, sigma: float, seed: int) -> Image.Image:
    values = np.asarray(im, np.float32) + np.random.default_rng(seed).normal(
        0, sigma, (SIZE, SIZE, 3)
    )
    return Image.fromarray(np.clip(np.round(values), 0, 255).astype(np.uint8))


def gaussian_blur(im: Image.Image, radius: float) -> Image.Image:
    return im.filter(ImageFilter.GaussianBlur(radius))


def jpeg(im: Image.Image, quality: int) -> Image.Image:
    buffer = io.BytesIO()
    im.save(buffer, "JPEG", quality=quality)
    return Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")


def downscale(im: Image.Image, factor: int) -> Image.Image:
    return im.resize((SIZE // factor, SIZE // factor), Image.Resampling.BICUBIC)


SCENES = {"fabric": fabric, "text": text_page, "gradient": gradient, "bricks": bricks}
DEGRADATIONS = {
    "fabric": ("gaussian noise", {"op": "gaussian_noise", "sigma_255": 20, "seed": 11}),
    "text": ("gaussian blur", {"op": "gaussian_blur", "radius": 2.0}),
    "gradient": ("JPEG q10", {"op": "jpeg", "quality": 10}),
    "bricks": ("x2 downscale", {"op": "bicubic_downscale", "factor": 2}),
}


def degrade(im: Image.Image, recipe: dict) -> Image.Image:
    op = recipe["op"]
    if op == "gaussian_noise":
        return add_noise(im, recipe["sigma_255"], recipe["seed"])
    if op == "gaussian_blur":
        return gaussian_blur(im, recipe["radius"])
    if op == "jpeg":
        return jpeg(im, recipe["quality"])
    return downscale(im, recipe["factor"])


def main() -> None:
    entries = []
    for index, (name, draw) in enumerate(SCENES.items()):
        clean = to_pil(draw(np.random.default_rng(index)))
        clean_file = f"clean/{name}.png"
        (HERE / "clean").mkdir(exist_ok=True)
        clean.save(HERE / clean_file, optimize=True)
        entries.append({"file": clean_file, "name": name, "kind": "imported", "role": "clean"})
        label, recipe = DEGRADATIONS[name]
        damaged_file = f"degraded/{name}_{recipe['op']}.png"
        (HERE / "degraded").mkdir(exist_ok=True)
        degrade(clean, recipe).save(HERE / damaged_file, optimize=True)
        entries.append(
            {
                "file": damaged_file,
                "name": f"{name} ({label})",
                "kind": "degraded",
                "parent": name,
                "recipe": recipe,
            }
        )
    path = HERE / "manifest.json"
    manifest = json.loads(path.read_text()) if path.is_file() else {}
    manifest.update(
        name="IRIS sample",
        licence="CC0-1.0: drawn by resources/sample/make_sample.py, part of IRIS",
        images=entries,
    )
    path.write_text(json.dumps(manifest, indent=2) + "\n")


def make_scores() -> None:
    """Score a freshly built sample and write ``scores.json`` beside the manifest."""
    from core.sample_project import build_sample_project
    from core.sample_scores import FILE_NAME, compute_scores

    plan = json.loads((HERE / "manifest.json").read_text())["scores"]
    with tempfile.TemporaryDirectory() as folder:
        project = build_sample_project(Path(folder) / "sample", scores=False)
        data = compute_scores(project, plan)
    (HERE / FILE_NAME).write_text(json.dumps(data, indent=0) + "\n")
    print(f"{len(data['scores'])} scores of {len(data['images'])} images -> {FILE_NAME}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scores", action="store_true", help="write scores.json only")
    if parser.parse_args().scores:
        make_scores()
    else:
        main()
