"""Hostile annotation files: one ExchangeError naming the file and row, and nothing written."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.annotations import add, mark_reviewed
from core.annotations.exchange import ExchangeError, export_project, import_files
from core.annotations.rle import encode_counts
from core.files import MiB
from tests.core import rawdb
from tests.core.annotations.conftest import add_images

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def snapshot(project) -> tuple:
    """Everything an import may write."""
    return tuple(
        rawdb.table(project, table)
        for table in ("annotations", "annotation_events", "review_marks")
    )


@pytest.fixture
def filled(project, images):
    mask = np.zeros((12, 16), bool)
    mask[2:9, 4:11] = True
    add(project, images[0], label="object_insertion", annotator="alice", region_kind="rect",
        region={"x": 1, "y": 2, "w": 5, "h": 4}, severity=3, compared_with={"kind": "input"})  # fmt: skip
    add(project, images[1], label="dense_hair", annotator="alice", region_kind="polygon",
        region={"points": [[0, 0], [10, 1], [4, 9]]})  # fmt: skip
    add(project, images[2], label="amplified_texture", annotator="alice", region_kind="mask",
        region={"size": [12, 16], "counts": encode_counts(mask)}, severity=2)  # fmt: skip
    mark_reviewed(project, images[3].id, "alice")
    return project


@pytest.fixture
def exports(filled, tmp_path):
    """A valid export in each format, and a fresh project with the same images to import into."""
    paths = {}
    for fmt in ("json", "csv", "coco"):
        paths[fmt] = tmp_path / f"ann-{fmt}.{'csv' if fmt == 'csv' else 'json'}"
        export_project(filled, fmt, paths[fmt])
    return paths


@pytest.fixture
def target(tmp_path):
    from core.project import Project

    with Project.create(tmp_path / "target") as project:
        add_images(project, 4)
        add(project, project.images()[0], label="colour_shift", annotator="bob")
        yield project


def refused(project, path, match: str) -> ExchangeError:
    before = snapshot(project)
    with pytest.raises(ExchangeError, match=match) as info:
        import_files(project, [path])
    assert snapshot(project) == before
    assert str(info.value).startswith(str(path))
    return info.value


def _edit_json(path, change) -> None:
    doc = json.loads(path.read_text())
    change(doc)
    path.write_text(json.dumps(doc))


def test_severity_out_of_range_names_the_annotation(exports, target):
    _edit_json(exports["json"], lambda d: d["annotations"][1].update(severity=9))
    error = refused(target, exports["json"], "annotation 2: severity 9 out of range 1-3")
    assert str(error) == f"{exports['json']}: annotation 2: severity 9 out of range 1-3"


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("severity", "2", "severity must be a whole number, got text"),
        ("severity", 2.5, "severity must be a whole number"),
        ("uuid", 17, "uuid must be text"),
        ("label", None, "label is missing"),
        ("note", {"a": 1}, "note must be text, got an object"),
        ("deleted", "yes", "deleted must be 0 or 1"),
        ("updated_at", "yesterday", "updated_at 'yesterday' is not an ISO 8601 time"),
        ("region_kind", "circle", "region_kind 'circle' unknown"),
        ("region", [1, 2], "region must be an object"),
        ("compared_with", {"kind": "dream"}, "compared_with kind 'dream' unknown"),
        ("compared_with", {"step": [1]}, "compared_with.step must be text or a number"),
        ("annotator", "a\x00b", "annotator contains the character"),
    ],
)
def test_wrong_types_are_refused_with_the_field(exports, target, field, value, reason):
    _edit_json(exports["json"], lambda d: d["annotations"][0].update({field: value}))
    refused(target, exports["json"], f"annotation 1: {reason}")


@pytest.mark.parametrize("bad", [math.nan, math.inf])
def test_non_finite_coordinates_are_refused(exports, target, bad):
    """json.dumps writes NaN and Infinity; the reader refuses them (and 1e400 too)."""
    _edit_json(exports["json"], lambda d: d["annotations"][0]["region"].update(x=bad))
    refused(target, exports["json"], "not a number JSON allows")
    text = exports["json"].read_text().replace("NaN", "1e400").replace("Infinity", "1e400")
    exports["json"].write_text(text)
    refused(target, exports["json"], "annotation 1: region: a rect's x must be a finite number")


def test_non_finite_coordinates_in_csv_are_refused(exports, target):
    text = exports["csv"].read_text()
    exports["csv"].write_text(text.replace('""x"": 1.0', '""x"": 1e999', 1))
    refused(target, exports["csv"], "line 2: region: a rect's x must be a finite number")
    exports["csv"].write_text(text.replace('""x"": 1.0', '""x"": NaN', 1))
    refused(target, exports["csv"], "line 2: region is not valid JSON")


def test_non_utf8_names_the_byte(exports, target):
    data = exports["csv"].read_bytes()
    exports["csv"].write_bytes(data[:40] + b"\xff" + data[40:])
    refused(target, exports["csv"], "not-utf8 .invalid byte 0xff at offset 40, line 1")


def test_csv_rows_with_wrong_shapes(exports, target):
    lines = exports["csv"].read_text().splitlines()
    exports["csv"].write_text("\n".join([*lines, lines[1] + ",extra"]) + "\n")
    refused(target, exports["csv"], f"line {len(lines) + 1}: more values than the header")
    exports["csv"].write_text("\n".join([*lines, "a,b,c"]) + "\n")
    refused(target, exports["csv"], f"line {len(lines) + 1}: fewer values than the header")
    exports["csv"].write_text("\n".join([lines[0], lines[1].replace(",3,", ",x,", 1)]) + "\n")
    refused(target, exports["csv"], "line 2: severity 'x' is not a whole number")
    exports["csv"].write_text("label,note\nx,y\n")
    refused(target, exports["csv"], "lacks the columns uuid, image_sha256, annotator")


def test_a_csv_field_over_the_csv_modules_limit_is_read(exports, target):
    """A field above csv's 128 KiB default (a detailed polygon, a brush mask) is no crash."""
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(exports["csv"].read_text())))
    points = [[i % 16, (i * 7) % 12] for i in range(20_000)]
    rows[0].update(region_kind="polygon", region=json.dumps({"points": points}))
    assert len(rows[0]["region"]) > 131_072
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerow(rows[0])
    exports["csv"].write_text(out.getvalue())
    assert import_files(target, [exports["csv"]]).added == 1
    rows[0]["severity"] = "9"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerow(rows[0])
    exports["csv"].write_text(out.getvalue())
    refused(target, exports["csv"], "line 2: severity 9 out of range")


def test_deeply_nested_json_is_refused(exports, target, tmp_path):
    nested = tmp_path / "nested.json"
    nested.write_text('{"format": "iris-annotations", "x": ' + "[" * 50_000 + "]" * 50_000 + "}")
    refused(target, nested, "nested too deeply")
    deep = '{"a": ' * 500 + "1" + "}" * 500  # parses, but no field takes an object this deep
    _edit_json(exports["json"], lambda d: d["annotations"][0].update(compared_with="DEEP"))
    exports["json"].write_text(exports["json"].read_text().replace('"DEEP"', deep))
    refused(target, exports["json"], "annotation 1: compared_with.a must be text or a number")


@pytest.mark.parametrize("top", ["[]", "1", '"x"', "null"])
def test_wrong_top_level_types(exports, target, top):
    exports["json"].write_text(top)
    refused(target, exports["json"], "not an object|neither IRIS|lacks the columns")


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda d: d.update(annotations={"a": 1}), "'annotations' must be a list"),
        (lambda d: d["annotations"].append(7), "annotation 4: must be an object"),
        (lambda d: d["images"][0].update(width=-1), "image 1: width -1 out of range"),
        (lambda d: d["reviews"][0].update(at=5), "review 1: at must be text"),
    ],
)
def test_malformed_iris_json_structure(exports, target, change, reason):
    _edit_json(exports["json"], change)
    refused(target, exports["json"], reason)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda d: d["annotations"][0].update(image_id=99), "image_id 99 is not among"),
        (lambda d: d["annotations"][0].update(category_id=None), "category_id must be"),
        (lambda d: d["images"].append(dict(d["images"][0])), "image 4: id 1 repeats"),
        (lambda d: d["categories"][0].update(name=""), "category 1: name is empty"),
        (lambda d: d["annotations"][0].pop("iris"), None),
    ],
)
def test_malformed_coco(exports, target, change, reason):
    _edit_json(exports["coco"], change)
    if reason is None:  # a foreign entry without IRIS fields still imports
        assert import_files(target, [exports["coco"]]).added == 3
        return
    refused(target, exports["coco"], reason)


def test_coco_polygon_with_nan_and_odd_values(exports, target):
    def foreign(d, segmentation):
        item = d["annotations"][1]
        item.pop("iris", None)
        item["segmentation"] = segmentation

    _edit_json(exports["coco"], lambda d: foreign(d, [[0, 0, 4, 0, 4]]))
    refused(
        target,
        exports["coco"],
        "annotation 2: a segmentation polygon has an odd number .5. of values",
    )
    _edit_json(exports["coco"], lambda d: foreign(d, [[0, 0, 4, 0, 4, 12345.5]]))
    exports["coco"].write_text(exports["coco"].read_text().replace("12345.5", "1e400"))
    refused(target, exports["coco"], "annotation 2: region: a polygon's point 3 must be a finite")


def test_rle_bomb_and_mismatched_masks_are_refused(exports, target):
    """Each refused before a mask is allocated; the 9 GiB one in a few hundred bytes."""
    side = 98_304

    def mask(d, size, counts):
        d["annotations"][2]["region"] = {"size": size, "counts": counts}

    _edit_json(exports["json"], lambda d: mask(d, [side, side], [side * side]))
    assert exports["json"].stat().st_size < 4000
    refused(target, exports["json"], "annotation 3: region: .*more than the limit")
    _edit_json(exports["json"], lambda d: mask(d, [24, 32], [24 * 32]))
    refused(
        target, exports["json"], "annotation 3: region: a 24 x 32 mask does not fit its 12 x 16"
    )
    _edit_json(exports["json"], lambda d: mask(d, [12, 16], [5, -5, 192]))
    refused(target, exports["json"], "annotation 3: region: .*negative")


def test_refusals_before_reading(target, tmp_path, monkeypatch):
    import os

    refused(target, tmp_path / "none.json", "missing")
    refused(target, tmp_path, "not-a-file .a folder.")
    os.mkfifo(tmp_path / "fifo")
    refused(target, tmp_path / "fifo", "not-a-file .a pipe.")
    big = tmp_path / "big.csv"
    big.write_bytes(b"x" * (MiB + 1))
    monkeypatch.setattr("core.annotations.reading.MAX_DATA_FILE_BYTES", MiB)
    refused(target, big, "too-large")


def test_one_bad_file_among_several_writes_nothing(exports, target, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(exports["json"].read_text().replace('"severity": 3', '"severity": 4'))
    before = snapshot(target)
    with pytest.raises(ExchangeError, match="bad.json: annotation 1: severity 4"):
        import_files(target, [exports["csv"], exports["coco"], bad])
    assert snapshot(target) == before


# -- fuzzing ------------------------------------------------------------------------------


def _import_or_refuse(project, path) -> None:
    """Either the file imports, or ExchangeError and the project is exactly as before."""
    before = snapshot(project)
    try:
        import_files(project, [path])
    except ExchangeError as exc:
        assert str(exc).startswith(str(path))
        assert snapshot(project) == before


@pytest.mark.parametrize("fmt", ["json", "csv", "coco"])
@FUZZ
@given(data=st.data())
def test_fuzz_mutated_bytes(exports, target, fmt, data):
    """Flipped, inserted and cut bytes of a valid export: only ExchangeError, never a crash."""
    original = exports[fmt].read_bytes()
    mutated = bytearray(original)
    for _ in range(data.draw(st.integers(1, 6))):
        if len(mutated) < 2:
            break
        where = data.draw(st.integers(0, len(mutated) - 1))
        action = data.draw(st.sampled_from(["flip", "insert", "cut", "truncate"]))
        if action == "flip":
            mutated[where] = data.draw(st.integers(0, 255))
        elif action == "insert":
            mutated[where:where] = data.draw(st.binary(min_size=1, max_size=8))
        elif action == "cut":
            del mutated[where : where + data.draw(st.integers(1, 20))]
        else:
            del mutated[max(where, 1) :]
    path = exports[fmt].with_name(f"fuzz-{fmt}{exports[fmt].suffix}")
    path.write_bytes(bytes(mutated))
    _import_or_refuse(target, path)


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=10,
)


@pytest.mark.parametrize("fmt", ["json", "coco"])
@FUZZ
@given(data=st.data())
def test_fuzz_random_values_in_every_field(exports, target, fmt, data):
    """Any JSON value in any field of any record: only ExchangeError, never a crash."""
    doc = json.loads(exports[fmt].read_text())
    for _ in range(data.draw(st.integers(1, 3))):
        section = data.draw(st.sampled_from(sorted(k for k, v in doc.items() if v)))
        items = doc[section]
        item = None
        if isinstance(items, list) and items:
            item = items[data.draw(st.integers(0, len(items) - 1))]
        if isinstance(item, dict):
            key = data.draw(st.sampled_from(sorted(item) + ["region", "counts", "size"]))
            target_dict = item
            if key in ("counts", "size") and isinstance(item.get("region"), dict):
                target_dict = item["region"]
            target_dict[key] = data.draw(JSON_VALUES)
        else:
            doc[section] = data.draw(JSON_VALUES)
    path = exports[fmt].with_name(f"fuzz-values-{fmt}.json")
    path.write_text(json.dumps(doc))  # NaN / Infinity included: the reader must refuse them
    _import_or_refuse(target, path)


@FUZZ
@given(data=st.data())
def test_fuzz_random_csv_cells(exports, target, data):
    """Random text in any cell of the CSV export."""
    import csv
    import io

    rows = list(csv.reader(io.StringIO(exports["csv"].read_text())))
    for _ in range(data.draw(st.integers(1, 3))):
        row = data.draw(st.integers(1, len(rows) - 1))
        column = data.draw(st.integers(0, len(rows[0]) - 1))
        rows[row][column] = data.draw(
            st.text(max_size=30) | st.sampled_from(["nan", "inf", "1e999", "-1", "{}", "[]", "9"])
        )
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path = exports["csv"].with_name("fuzz-cells.csv")
    path.write_text(out.getvalue(), encoding="utf-8", errors="surrogatepass")
    _import_or_refuse(target, path)
