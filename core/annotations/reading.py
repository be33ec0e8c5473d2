"""Reading annotation files (CSV, IRIS JSON, COCO JSON) that may be hostile.

The file is read whole with a byte limit, decoded as strict UTF-8 and parsed
(JSON without NaN or Infinity, nesting bounded by the parser's recursion
limit); then every record is checked field by field (:mod:`core.annotations.fields`).
The first problem raises :class:`~core.annotations.exchange.ExchangeError`
naming the file and the row: ``ann.json: annotation 17: severity 9 out of range 1-3``.
Nothing is returned, so nothing is written, unless the whole file is valid.

The formats form a registry, :data:`READERS`, whose entries recognise a file by
its content (glue-style identifiers: the parsed JSON object, or ``None`` for a
file that is not JSON); the first that claims the file reads it. A new format
is one reader function plus one registration line.
"""

from __future__ import annotations

import csv
import io
import json
import uuid as uuid_module
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.annotations import fields
from core.annotations.exchange import COCO_NAMESPACE, JSON_FORMAT, Bundle, ExchangeError
from core.annotations.fields import FieldError
from core.files import (
    MAX_DATA_FILE_BYTES,
    FileReadError,
    allow_large_csv_fields,
    decode_text,
    read_bounded,
)
from core.registry import Registry

Sizes = Mapping[str, tuple[int, int]]  # image sha256 -> (height, width)
REQUIRED_CSV_COLUMNS = ("uuid", "image_sha256", "label", "annotator")


def _refuse_constant(name: str) -> Any:
    raise FieldError(f"{name} is not a number JSON allows")


def _json(text: str, what: str) -> Any:
    """Parse JSON text; FieldError (never RecursionError) for anything wrong."""
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except RecursionError:
        raise FieldError(f"{what} is nested too deeply") from None
    except json.JSONDecodeError as exc:
        raise FieldError(
            f"{what} is not valid JSON ({exc.msg}, line {exc.lineno} column {exc.colno})"
        ) from None
    except ValueError as exc:  # NaN / Infinity, integers over Python's digit limit
        raise FieldError(f"{what} is not valid JSON ({str(exc).split(';')[0]})") from None


def _items(doc: dict[str, Any], key: str) -> list[Any]:
    value = doc.get(key, [])
    if value is None:
        return []
    if not isinstance(value, list):
        raise FieldError(f"'{key}' must be a list, got {type(value).__name__}")
    return value


def _sections(doc: Any, label: str, *keys: str) -> list[list[Any]]:
    """The document's top-level lists, checked; a bad one is one error naming the file."""
    try:
        return [_items(doc, key) for key in keys]
    except FieldError as exc:
        raise ExchangeError(f"{label}: {exc}") from None


def _each(label: str, what: str, items: list[Any], check: Callable[[Any], Any]) -> list[Any]:
    """``check`` of every item; the first failure names the file and the item (1-based)."""
    out = []
    for index, item in enumerate(items, start=1):
        try:
            out.append(check(item))
        except FieldError as exc:
            raise ExchangeError(f"{label}: {what} {index}: {exc}") from None
    return out


def _size(sizes: Sizes, declared: dict[str, dict[str, Any]], sha: str) -> tuple[int, int] | None:
    """The image's (height, width): the project's when it has the image, else the file's."""
    if sha in sizes:
        return sizes[sha]
    facts = declared.get(sha) or {}
    if facts.get("width") and facts.get("height"):
        return facts["height"], facts["width"]
    return None


def from_json(doc: Any, label: str, sizes: Sizes | None = None) -> Bundle:
    """An IRIS annotations document (``"format": "iris-annotations"``)."""
    sizes = sizes or {}
    images, reviews, items = _sections(doc, label, "images", "reviews", "annotations")
    bundle = Bundle()

    def image(data: Any) -> None:
        facts = fields.image_facts(data)
        sha = fields.text(data.get("sha256"), "sha256", required=True)
        bundle.images.setdefault(sha, facts)

    _each(label, "image", images, image)
    bundle.reviews = _each(label, "review", reviews, fields.review)

    def annotation(data: Any):
        sha = data.get("image_sha256") if isinstance(data, dict) else None
        size = _size(sizes, bundle.images, sha) if isinstance(sha, str) else None
        return fields.annotation(data, size=size)

    bundle.annotations = _each(label, "annotation", items, annotation)
    return bundle


def _coco_id(value: Any, name: str) -> int | str:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise FieldError(f"{name} must be a number or text, got {value!r:.40}")
    return fields.text(value, name, required=True, limit=200) if isinstance(value, str) else value


def _segmentation(value: Any) -> tuple[str, Any]:
    """(region_kind, region) of a COCO segmentation: an RLE object, polygons, or nothing."""
    if isinstance(value, dict):
        return "mask", value
    if value is None or value == []:
        return "image", {}
    if not isinstance(value, list) or not isinstance(value[0], list):
        raise FieldError("segmentation must be an RLE object or a list of [x1, y1, x2, y2, ...]")
    flat = value[0]  # IRIS keeps the first polygon of a multi-part segmentation
    if len(flat) % 2:
        raise FieldError(f"a segmentation polygon has an odd number ({len(flat)}) of values")
    return "polygon", {"points": [flat[i : i + 2] for i in range(0, len(flat), 2)]}


def from_coco(doc: Any, label: str, sizes: Sizes | None = None) -> Bundle:
    """COCO JSON; IRIS's own ``iris`` fields are used when present, else derived."""
    sizes = sizes or {}
    image_items, category_items, items = _sections(
        doc, label, "images", "categories", "annotations"
    )
    bundle = Bundle()
    sha_of: dict[int | str, str] = {}
    categories: dict[int | str, str] = {}

    def image(data: Any) -> None:
        facts = fields.image_facts(data, name_key="file_name")
        image_id = _coco_id(data.get("id"), "id")
        if image_id in sha_of:
            raise FieldError(f"id {image_id!r} repeats an earlier image's")
        sha = fields.text(data.get("iris_sha256"), "iris_sha256") or facts["name"] or str(image_id)
        sha_of[image_id] = sha
        bundle.images[sha] = facts

    def category(data: Any) -> None:
        if not isinstance(data, dict):
            raise FieldError("must be an object")
        categories[_coco_id(data.get("id"), "id")] = fields.text(
            data.get("name"), "name", required=True, limit=200
        )

    def annotation(item: Any):
        if not isinstance(item, dict):
            raise FieldError("must be an object")
        image_id = _coco_id(item.get("image_id"), "image_id")
        if image_id not in sha_of:
            raise FieldError(f"image_id {image_id!r} is not among the file's images")
        category_id = _coco_id(item.get("category_id"), "category_id")
        if category_id not in categories:
            raise FieldError(f"category_id {category_id!r} is not among the file's categories")
        sha = sha_of[image_id]
        extra = item.get("iris")
        if extra is not None and not isinstance(extra, dict):
            raise FieldError("iris must be an object")
        extra = dict(extra or {})
        if "region_kind" not in extra:
            extra["region_kind"], extra["region"] = _segmentation(item.get("segmentation"))
        if "uuid" not in extra:  # a foreign COCO file: a uuid stable for the same entry
            entry = _coco_id(item.get("id"), "id")
            extra["uuid"] = str(uuid_module.uuid5(COCO_NAMESPACE, f"{sha}/{entry}"))
        extra.setdefault("annotator", "coco")
        record = {**extra, "image_sha256": sha, "label": categories[category_id]}
        return fields.annotation(record, size=_size(sizes, bundle.images, sha))

    _each(label, "image", image_items, image)
    _each(label, "category", category_items, category)
    bundle.annotations = _each(label, "annotation", items, annotation)
    return bundle


def from_csv(text: str, label: str, sizes: Sizes | None = None) -> Bundle:
    """The CSV IRIS exports: one annotation per line, region and compared_with as JSON."""
    sizes = sizes or {}
    allow_large_csv_fields()  # a brush mask's field may be as large as the file
    bundle = Bundle()
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        missing = [c for c in REQUIRED_CSV_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ExchangeError(f"{label}: CSV lacks the columns {', '.join(missing)}")
        for row in reader:
            where = f"{label}: line {reader.line_num}"
            if None in row:
                raise ExchangeError(f"{where}: more values than the header has columns")
            if None in row.values():
                raise ExchangeError(f"{where}: fewer values than the header has columns")
            try:
                data: dict[str, Any] = dict(row)
                for key in ("region", "compared_with"):
                    data[key] = _json(row.get(key) or "{}", key)
                sha = row["image_sha256"]
                annotation = fields.annotation(data, text_values=True, size=sizes.get(sha))
                name = fields.text(row.get("image_name"), "image_name", limit=4096)
            except FieldError as exc:
                raise ExchangeError(f"{where}: {exc}") from None
            bundle.annotations.append(annotation)
            if name:
                bundle.images.setdefault(annotation.image_sha256, {"name": name})
    except csv.Error as exc:
        raise ExchangeError(f"{label}: line {reader.line_num}: not valid CSV ({exc})") from None
    return bundle


@dataclass(frozen=True)
class Reader:
    """One annotation file format: how to recognise it by content, and how to read it."""

    name: str
    identify: Callable[[dict[str, Any] | None], bool]
    """True for a file of this format: given the parsed JSON object, or None (not JSON)."""
    read: Callable[[Any, str, Sizes | None], Bundle]
    """``read(content, label, sizes)``: content is the JSON object, or the text when not JSON."""


def _is_text(doc: dict[str, Any] | None) -> bool:
    return doc is None


def _is_iris_json(doc: dict[str, Any] | None) -> bool:
    return doc is not None and doc.get("format") == JSON_FORMAT


def _is_coco(doc: dict[str, Any] | None) -> bool:
    return doc is not None and "annotations" in doc and "categories" in doc


# Asked in this order: IRIS JSON before COCO (an IRIS file may carry COCO's keys too).
READERS: Registry[Reader] = Registry("annotation format")
READERS.register("csv", Reader("csv", _is_text, from_csv))
READERS.register("json", Reader("json", _is_iris_json, from_json))
READERS.register("coco", Reader("coco", _is_coco, from_coco))


def identify(doc: dict[str, Any] | None) -> Reader | None:
    """The first registered format that claims the content (``None``: the text is not JSON)."""
    for name in READERS.names():
        if READERS.get(name).identify(doc):
            return READERS.get(name)
    return None


def read_text(text: str, label: str, sizes: Sizes | None = None) -> Bundle:
    """Any registered format, recognised by content."""
    doc = None
    if text.lstrip().startswith(("{", "[")):
        try:
            doc = _json(text, "the file")
        except FieldError as exc:
            raise ExchangeError(f"{label}: {exc}") from None
        if not isinstance(doc, dict):
            raise ExchangeError(f"{label}: JSON whose top level is not an object")
    reader = identify(doc)
    if reader is None:
        raise ExchangeError(f"{label}: JSON that is neither IRIS annotations nor COCO")
    return reader.read(text if doc is None else doc, label, sizes)


def read_file(path: str | Path, sizes: Sizes | None = None) -> Bundle:
    """Read an annotation file of at most MAX_DATA_FILE_BYTES; ExchangeError for any problem.

    ``sizes`` (image sha256 -> (height, width), e.g. the target project's) lets a
    mask be checked against the image it belongs to.
    """
    label = str(path)
    try:
        text = decode_text(read_bounded(path, MAX_DATA_FILE_BYTES, label), label)
    except FileReadError as exc:
        raise ExchangeError(str(exc)) from None
    try:
        return read_text(text, label, sizes)
    except MemoryError:
        raise ExchangeError(f"{label}: too large to read into memory") from None
