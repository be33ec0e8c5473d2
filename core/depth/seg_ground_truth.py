"""Segmentation ground truth as labels (int32 HxW, -1 = not labelled), from a file that may be hostile.

- A single-channel PNG or TIFF, 8 or 16 bits (palette PNGs too): the value is
  the label, the n-th class of the class list; ``ignore_index`` (255 by
  default, the Cityscapes convention) is "not labelled". Any other value beyond
  the classes is an error naming it and the first pixel holding it.
- An RGB image painted in the class colours (a dataset's ``*_color.png``): each
  exact class colour is its label, any other colour is not labelled.
- COCO JSON (``.json``), read and checked by :mod:`core.annotations.reading`:
  the image whose file name matches the prediction's (or the file's only
  image); each annotation paints its category's class (category names match
  class names, any case), later ones over earlier; unpainted pixels are the
  class named "background" if there is one, else not labelled.

Images are read through :mod:`core.imageio`; nothing here opens a file itself.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from core.depth.seg_classes import RGB
from core.depth.seg_defaults import DEFAULT_IGNORE_INDEX
from core.depth.seg_metrics import BACKGROUND, IGNORE
from core.errors import IrisError


def _from_values(path: Path, values: np.ndarray, count: int, ignore_index: int) -> np.ndarray:
    if values.dtype.kind not in "ui":
        raise IrisError(f"{path}: a label map must hold whole numbers, not {values.dtype}")
    bad = (values >= count) & (values != ignore_index)
    if bad.any():
        row, col = (int(v) for v in np.argwhere(bad)[0])
        raise IrisError(
            f"{path}: label {int(values[row, col])} at row {row}, column {col} is not among "
            f"the {count} classes (0..{count - 1}) nor the ignore value {ignore_index}"
        )
    labels = values.astype(np.int32)
    labels[values == ignore_index] = IGNORE
    return labels


def _from_image(path: Path, classes: dict[str, RGB], ignore_index: int, **_) -> np.ndarray:
    from core.imageio import load_native

    values = load_native(path).values
    if values.ndim == 3:
        if values.dtype != np.uint8:
            raise IrisError(f"{path}: a colour label map must be 8-bit RGB")
        from core.depth.segmentation import decode_semantic

        return decode_semantic(values[..., :3], classes, threshold=0).labels
    return _from_values(path, values, len(classes), ignore_index)


def _coco_image(path: Path, bundle, image_name: str | None) -> tuple[str, dict]:
    images = bundle.images
    if image_name is not None:
        stem = Path(image_name).stem
        found = [(k, f) for k, f in images.items() if Path(f.get("name") or k).stem == stem]
        if found:
            return found[0]
    if len(images) == 1:
        return next(iter(images.items()))
    raise IrisError(f"{path}: no image named like {image_name!r} among its {len(images)} images")


def _fill_polygon(labels: np.ndarray, points: np.ndarray, label: int) -> None:
    """Paint the pixels whose centres lie inside the polygon (even-odd rule), row by row."""
    height, width = labels.shape
    x0, y0 = points[:, 0], points[:, 1]
    x1, y1 = np.roll(x0, -1), np.roll(y0, -1)
    top = max(int(np.floor(points[:, 1].min())), 0)
    bottom = min(int(np.ceil(points[:, 1].max())), height)
    for row in range(top, bottom):
        centre = row + 0.5
        crossing = (y0 <= centre) != (y1 <= centre)
        if not crossing.any():
            continue
        t = (centre - y0[crossing]) / (y1[crossing] - y0[crossing])
        xs = np.sort(x0[crossing] + t * (x1[crossing] - x0[crossing]))
        for left, right in zip(xs[0::2], xs[1::2], strict=False):
            first = max(int(np.ceil(left - 0.5)), 0)
            last = min(int(np.ceil(right - 0.5)), width)  # centres in [left, right)
            if last > first:
                labels[row, first:last] = label


def _paint(labels: np.ndarray, annotation, label: int) -> None:
    from core.annotations import regions, rle

    kind, region = annotation.region_kind, annotation.region
    height, width = labels.shape
    if kind == "mask":
        mask = rle.decode(region, max_pixels=labels.size)
        if mask.shape != labels.shape:
            raise IrisError(f"a {mask.shape} mask does not fit the {labels.shape} image")
        labels[mask.astype(bool)] = label
        return
    points = np.array(regions.polygon_of(kind, region, width, height), np.float64)
    _fill_polygon(labels, points, label)


def _from_coco(
    path: Path,
    classes: dict[str, RGB],
    ignore_index: int,
    *,
    image_name: str | None = None,
    shape: tuple[int, int] | None = None,
) -> np.ndarray:
    from core.annotations.exchange import ExchangeError
    from core.annotations.reading import read_file

    try:
        bundle = read_file(path)
    except ExchangeError as exc:
        raise IrisError(str(exc)) from None
    key, facts = _coco_image(path, bundle, image_name)
    size = (facts.get("height") or 0, facts.get("width") or 0)
    if not all(size):
        if shape is None:
            raise IrisError(f"{path}: image {facts.get('name') or key!r} states no width/height")
        size = tuple(shape)
    index = {name.strip().lower(): i for i, name in enumerate(classes)}
    labels = np.full(size, index.get(BACKGROUND, IGNORE), np.int32)
    for n, annotation in enumerate(a for a in bundle.annotations if a.image_sha256 == key):
        label = index.get(annotation.label.strip().lower())
        if label is None:
            raise IrisError(f"{path}: category {annotation.label!r} is not among the classes")
        try:
            _paint(labels, annotation, label)
        except (IrisError, ValueError) as exc:
            raise IrisError(f"{path}: annotation {n + 1}: {exc}") from None
    return labels


LABEL_READERS = {
    ".png": _from_image,
    ".tif": _from_image,
    ".tiff": _from_image,
    ".json": _from_coco,
}


def load_label_gt(
    path: str | Path,
    classes: dict[str, RGB],
    *,
    ignore_index: int = DEFAULT_IGNORE_INDEX,
    image_name: str | None = None,
    shape: tuple[int, int] | None = None,
) -> np.ndarray:
    """Ground-truth labels (int32 HxW, -1 = not labelled) in the order of ``classes``.

    ``image_name`` picks the image of a COCO file (by file name without suffix);
    ``shape`` is the size to use when the COCO file states none.
    """
    path = Path(path)
    if not classes:
        raise IrisError(f"{path}: no classes to read the ground truth with")
    reader = LABEL_READERS.get(path.suffix.lower())
    if reader is None:
        known = ", ".join(sorted(LABEL_READERS))
        raise IrisError(f"{path}: segmentation ground truth must be one of {known}")
    if reader is _from_coco:
        return reader(path, classes, ignore_index, image_name=image_name, shape=shape)
    return reader(path, classes, ignore_index)
