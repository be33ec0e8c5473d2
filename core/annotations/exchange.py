"""Export, import and merge annotations: CSV, IRIS JSON and COCO-style JSON.

Annotations travel with their stable ``uuid`` and their image's SHA-256, so an
import into another project attaches them to the same pixels wherever they
are, and merging several annotators' exports (or one export twice) never
duplicates: for one ``uuid`` the copy updated last wins.
"""

from __future__ import annotations

import csv
import io
import json
import uuid as uuid_module
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.annotations import regions
from core.annotations.model import Annotation
from core.annotations.store import (
    annotations,
    merge_review_mark,
    put,
    review_marks,
    reviewed_images,
    updated_at,
)
from core.errors import IrisError

if TYPE_CHECKING:
    from core.project import Project

FORMATS = ("csv", "json", "coco")
JSON_FORMAT = "iris-annotations"
CSV_COLUMNS = (
    "uuid",
    "image_sha256",
    "image_name",
    "label",
    "severity",
    "note",
    "annotator",
    "region_kind",
    "region",
    "compared_with",
    "created_at",
    "updated_at",
    "deleted",
)
COCO_NAMESPACE = uuid_module.UUID("6f1d3c1e-4b7a-4c55-9a51-1f0f2a7e8b10")


class ExchangeError(IrisError):
    """An annotation file cannot be written or read."""


@dataclass
class Bundle:
    """What an export holds: annotations, review marks by image content, image facts."""

    annotations: list[Annotation] = field(default_factory=list)
    reviews: list[dict[str, str]] = field(default_factory=list)  # image_sha256, annotator, at
    images: dict[str, dict[str, Any]] = field(default_factory=dict)  # sha256 -> name, w, h


@dataclass
class ImportReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    unmatched_images: int = 0
    reviews: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


# -- collecting --------------------------------------------------------------------------


def bundle_of(project: Project, include_deleted: bool = False) -> Bundle:
    """Everything about the project's annotations an export carries."""
    bundle = Bundle(annotations=annotations(project, include_deleted=include_deleted))
    for image in project.images():
        bundle.images.setdefault(
            image.sha256, {"name": image.name, "width": image.width, "height": image.height}
        )
    for image_id, names in reviewed_images(project).items():
        sha = project.image(image_id).sha256
        for annotator, at in review_marks(project, image_id):
            if annotator in names:
                bundle.reviews.append({"image_sha256": sha, "annotator": annotator, "at": at})
    return bundle


def merge(bundles: Iterable[Bundle]) -> Bundle:
    """One bundle from several: one annotation per uuid (the latest update), one mark per pair."""
    merged = Bundle()
    by_uuid: dict[str, Annotation] = {}
    reviews: dict[tuple[str, str], dict[str, str]] = {}
    for bundle in bundles:
        for annotation in bundle.annotations:
            known = by_uuid.get(annotation.uuid)
            if known is None or annotation.updated_at > known.updated_at:
                by_uuid[annotation.uuid] = annotation
        for mark in bundle.reviews:
            key = (mark["image_sha256"], mark["annotator"])
            if key not in reviews or mark["at"] > reviews[key]["at"]:
                reviews[key] = mark
        for sha, facts in bundle.images.items():
            merged.images.setdefault(sha, facts)
    merged.annotations = sorted(by_uuid.values(), key=lambda a: a.created_at)  # stable
    merged.reviews = sorted(reviews.values(), key=lambda m: (m["image_sha256"], m["annotator"]))
    return merged


# -- writing -----------------------------------------------------------------------------


def to_json(bundle: Bundle, taxonomy: dict[str, Any] | None = None) -> str:
    return json.dumps(
        {
            "format": JSON_FORMAT,
            "version": 1,
            "taxonomy": taxonomy,
            "images": [{"sha256": sha, **facts} for sha, facts in sorted(bundle.images.items())],
            "reviews": bundle.reviews,
            "annotations": [a.as_dict() for a in bundle.annotations],
        },
        sort_keys=True,
    )


def to_csv(bundle: Bundle) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for a in bundle.annotations:
        data = a.as_dict()
        data["image_name"] = bundle.images.get(a.image_sha256, {}).get("name", "")
        data["region"] = json.dumps(a.region, sort_keys=True)
        data["compared_with"] = json.dumps(a.compared_with, sort_keys=True)
        data["deleted"] = int(a.deleted)
        writer.writerow({c: data[c] for c in CSV_COLUMNS})
    return out.getvalue()


def to_coco(bundle: Bundle, taxonomy: dict[str, Any]) -> str:
    """COCO-style JSON: rects, polygons and whole images as polygons, brush masks as RLE."""
    categories, category_ids = [], {}
    for group in taxonomy["groups"]:
        for label in group["labels"]:
            category_ids[label["id"]] = len(categories) + 1
            categories.append(
                {"id": len(categories) + 1, "name": label["id"], "supercategory": group["id"]}
            )
    image_ids: dict[str, int] = {}
    images = []
    for a in bundle.annotations:
        if a.image_sha256 in image_ids:
            continue
        facts = bundle.images.get(a.image_sha256, {})
        image_ids[a.image_sha256] = len(images) + 1
        images.append(
            {
                "id": len(images) + 1,
                "file_name": facts.get("name", a.image_sha256),
                "width": facts.get("width", 0),
                "height": facts.get("height", 0),
                "iris_sha256": a.image_sha256,
            }
        )
    items = []
    for index, a in enumerate(bundle.annotations, start=1):
        if a.deleted:
            continue
        if a.label not in category_ids:
            category_ids[a.label] = len(categories) + 1
            categories.append({"id": len(categories) + 1, "name": a.label, "supercategory": ""})
        facts = images[image_ids[a.image_sha256] - 1]
        width, height = facts["width"], facts["height"]
        area, box = regions.area_and_bbox(a.region_kind, a.region, width, height)
        if a.region_kind == "mask":
            segmentation: Any = a.region
        else:
            outline = regions.polygon_of(a.region_kind, a.region, width, height)
            segmentation = [[v for point in outline for v in point]]
        items.append(
            {
                "id": index,
                "image_id": image_ids[a.image_sha256],
                "category_id": category_ids[a.label],
                "segmentation": segmentation,
                "area": area,
                "bbox": box,
                "iscrowd": int(a.region_kind == "mask"),
                "iris": {
                    k: v
                    for k, v in a.as_dict().items()
                    if k not in ("image_sha256", "label", "deleted")
                },
            }
        )
    return json.dumps(
        {
            "info": {"description": "IRIS annotations", "format": "coco"},
            "images": images,
            "categories": categories,
            "annotations": items,
        },
    )


WRITERS: dict[str, Callable[[Bundle, dict[str, Any]], str]] = {
    "csv": lambda bundle, _taxonomy: to_csv(bundle),
    "json": to_json,
    "coco": to_coco,
}


def export_bundle(bundle: Bundle, fmt: str, taxonomy: dict[str, Any]) -> str:
    """``bundle`` in export format ``fmt`` (a :data:`WRITERS` entry)."""
    writer = WRITERS.get(fmt)
    if writer is None:
        raise ExchangeError(f"unknown export format {fmt!r}; known: {', '.join(FORMATS)}")
    return writer(bundle, taxonomy)


def export_project(
    project: Project, fmt: str, out: str | Path, include_deleted: bool = False
) -> int:
    """Write the project's annotations to ``out`` atomically; returns how many were written."""
    from core.annotations.taxonomy import project_taxonomy

    bundle = bundle_of(project, include_deleted=include_deleted and fmt != "coco")
    text = export_bundle(bundle, fmt, project_taxonomy(project).as_dict())
    target = Path(out)
    temp = target.with_name(target.name + ".part")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temp.write_text(text, encoding="utf-8")
        temp.replace(target)
    except OSError as exc:
        raise ExchangeError(f"{target}: cannot write the export ({exc})") from exc
    return len(bundle.annotations)


# -- reading -----------------------------------------------------------------------------


def read_file(path: str | Path, sizes: Mapping[str, tuple[int, int]] | None = None) -> Bundle:
    """Read any of the three formats, recognised by content, validating every field.

    See :mod:`core.annotations.reading`; ``sizes`` (sha256 -> (height, width))
    checks masks against the images they belong to.
    """
    from core.annotations.reading import read_file as read

    return read(path, sizes)


def import_bundle(project: Project, bundle: Bundle) -> ImportReport:
    """Merge ``bundle`` into the project in one transaction; images are matched by SHA-256."""
    report = ImportReport()
    with project.transaction():
        image_of: dict[str, int | None] = {}
        for a in bundle.annotations:
            if a.image_sha256 not in image_of:
                found = project.find_images(a.image_sha256)
                image_of[a.image_sha256] = found[0].id if found else None
            image_id = image_of[a.image_sha256]
            report.unmatched_images += image_id is None
            existing = updated_at(project, a.uuid)
            if existing is not None and existing >= a.updated_at:
                report.unchanged += 1
                continue
            put(project, a, image_id=image_id)
            if existing is not None:
                report.updated += 1
            else:
                report.added += 1
        for mark in bundle.reviews:
            found = project.find_images(mark["image_sha256"])
            if not found:
                continue
            merge_review_mark(project, found[0].id, mark["annotator"], mark["at"])
            report.reviews += 1
    return report


def import_files(project: Project, paths: Iterable[str | Path]) -> ImportReport:
    """Read and check every file, merge them, and import the result (no duplicates by uuid).

    All files are read and validated before anything is written; one bad
    record in any file raises ExchangeError and the project is left unchanged.
    """
    sizes = {image.sha256: (image.height, image.width) for image in project.images()}
    bundles = [read_file(path, sizes) for path in paths]
    return import_bundle(project, merge(bundles))
