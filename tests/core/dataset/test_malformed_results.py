"""Hostile results files: one ResultsError naming the file and row, and nothing imported."""

from __future__ import annotations

import io

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.dataset.importer import import_results
from core.dataset.results import ResultsStore, encode_rows, read_rows
from core.dataset.rows import ResultsError
from core.files import MiB
from core.hashing import sha256_of
from core.imageio import encode_png
from core.project import Project
from tests.core import rawdb

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _row(i: int, **extra) -> dict:
    return {
        "path": f"/d/img{i}.png",
        "relpath": f"img{i}.png",
        "sha256": f"{i:064x}",
        "metric": "psnr",
        "metric_version": "pyiqa-0.1.16",
        "value": 30.0 + i,
        "worker": "w",
        "seconds": 0.01,
        **extra,
    }


def snapshot(project_dir) -> tuple:
    with Project.open(project_dir) as project:
        return tuple(rawdb.table(project, table) for table in ("scores", "images"))


@pytest.fixture
def target(tmp_path):
    Project.create(tmp_path / "p").close()
    return tmp_path / "p"


def refused(target, path, match: str) -> None:
    before = snapshot(target)
    with pytest.raises(ResultsError, match=match) as info:
        import_results(target, path)
    assert str(info.value).startswith(str(path))
    assert snapshot(target) == before


def _csv(tmp_path, text: str):
    path = tmp_path / "r.csv"
    path.write_text(text)
    return path


def _valid_csv(tmp_path, rows=None) -> str:
    """CSV text of ``rows`` as given (encode_rows would refuse the bad values)."""
    import csv

    from core.dataset.results import COLUMNS

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows or [_row(0), _row(1)])
    return out.getvalue()


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("value", "abc", "line 3: value 'abc' is not a number"),
        ("seconds", "-1", "line 3: seconds must be a finite number of at least 0"),
        ("seconds", "nan", "line 3: seconds must be a finite number"),
        ("sha256", "xyz", "line 3: sha256 'xyz' is not a SHA-256"),
        ("metric", "", "line 3: metric is empty"),
        ("path", "a\x01b", "line 3: path contains the character"),
        ("value", "", "line 3: value is empty but the row has no error"),
    ],
)
def test_bad_csv_values_name_the_line(tmp_path, target, column, value, reason):
    rows = [_row(0), _row(1, **{column: value})]
    refused(target, _csv(tmp_path, _valid_csv(tmp_path, rows)), reason)


def test_csv_shapes_and_columns(tmp_path, target):
    text = _valid_csv(tmp_path)
    lines = text.splitlines()
    refused(target, _csv(tmp_path, text + lines[1] + ",x\n"), "line 4: more values")
    refused(target, _csv(tmp_path, text + "a,b\n"), "line 4: fewer values")
    refused(target, _csv(tmp_path, "path,metric\n/a.png,psnr\n"), "lack the columns sha256")
    refused(target, _csv(tmp_path, ""), "lack the columns path")


def test_a_huge_csv_field_is_no_crash(tmp_path, target):
    """Over the csv module's 128 KiB field limit: read, then refused for its length."""
    refused(target, _csv(tmp_path, _valid_csv(tmp_path, [_row(0, error="e" * 200_000)])),
            "line 2: error is longer than")  # fmt: skip


def test_non_utf8_csv(tmp_path, target):
    path = tmp_path / "r.csv"
    path.write_bytes(_valid_csv(tmp_path).encode() + b"\xc3(")
    refused(target, path, "not-utf8 .invalid byte 0xc3 at offset")


@pytest.mark.parametrize("fmt", [".csv", ".parquet"])
def test_nan_and_infinite_values_become_error_rows(tmp_path, target, fmt):
    """A NaN score is a failed computation: counted as an error, never stored as a value."""
    path = tmp_path / f"r{fmt}"
    rows = [_row(0, value=float("nan")), _row(1, value=float("inf")), _row(2)]
    path.write_bytes(encode_rows(rows, fmt))
    read = read_rows(path)
    assert [r["value"] for r in read] == [None, None, 32.0]
    assert read[0]["error"] == "non-finite value nan in the results file"
    assert read[1]["error"] == "non-finite value inf in the results file"
    report = import_results(target, path)
    assert (report.scores_written, report.errors) == (3, 2)
    with Project.open(target) as project:
        stored = project.score(_row(0)["sha256"], "psnr", "pyiqa-0.1.16", "")
        assert stored["value"] is None and "non-finite" in stored["error"]


@pytest.mark.parametrize(
    "data",
    [b"", b"PAR1", b"PAR1" + b"\x00" * 100 + b"PAR1", b"not parquet at all", b"PAR1\xff\xff"],
)
def test_garbage_parquet_is_one_error(tmp_path, target, data):
    path = tmp_path / "r.parquet"
    path.write_bytes(data)
    refused(target, path, "not a readable Parquet file")


def test_parquet_with_wrong_types_or_columns(tmp_path, target):
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "r.parquet"
    row = {k: str(v) for k, v in _row(0).items()}
    pq.write_table(pa.Table.from_pylist([row, {**row, "value": "high"}]), path)
    refused(target, path, "row 2: value 'high' is not a number")
    pq.write_table(pa.Table.from_pylist([{**_row(0), "metric": 5}]), path)
    refused(target, path, "row 1: metric must be text, got int")
    pq.write_table(pa.Table.from_pylist([{"path": "/a.png"}]), path)
    refused(target, path, "lack the columns sha256, metric, metric_version, value")


def test_parquet_row_limit_from_metadata(tmp_path, target, monkeypatch):
    path = tmp_path / "r.parquet"
    path.write_bytes(encode_rows([_row(i) for i in range(5)], ".parquet"))
    monkeypatch.setattr("core.dataset.rows.MAX_ROWS", 4)
    refused(target, path, "5 rows, more than the limit 4")


def test_file_refusals(tmp_path, target, monkeypatch):
    import os

    refused(target, tmp_path / "none.csv", "missing")
    os.mkfifo(tmp_path / "fifo.csv")
    refused(target, tmp_path / "fifo.csv", "not-a-file .a pipe.")
    path = _csv(tmp_path, _valid_csv(tmp_path) + "#" * MiB)
    monkeypatch.setattr("core.dataset.rows.MAX_DATA_FILE_BYTES", MiB)
    refused(target, path, "too-large")


def test_one_bad_row_among_many_writes_nothing(tmp_path, target):
    rows = [_row(i) for i in range(600)] + [_row(600, value="oops")]
    refused(target, _csv(tmp_path, _valid_csv(tmp_path, rows)), "line 602: value 'oops'")


def test_images_are_fully_decoded_before_they_are_added(tmp_path, target):
    """Like ``iris import``: a truncated PNG whose header reads fine is refused, its score kept."""
    rng = np.random.default_rng(0)
    good = encode_png(rng.random((16, 16, 3)).astype(np.float32))
    truncated = good[: len(good) // 2]
    fake = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    files = {}
    for name, data in (("good", good), ("cut", truncated), ("fake", fake)):
        files[name] = tmp_path / f"{name}.png"
        files[name].write_bytes(data)
    rows = [
        _row(i, path=str(files[name]), relpath=f"{name}.png", sha256=sha256_of(data))
        for i, (name, data) in enumerate((("good", good), ("cut", truncated), ("fake", fake)))
    ]
    store = ResultsStore(tmp_path / "r.csv")
    store.append(rows)
    store.finish()
    report = import_results(target, store.path)
    assert report.images_added == 1 and report.images_refused == 2
    assert report.scores_written == 3
    assert any("cut.png" in reason for reason in report.refused)
    with Project.open(target) as project:
        assert [image.name for image in project.images()] == ["good"]
        assert project.counts()["scores"] == 3


# -- fuzzing ------------------------------------------------------------------------------


def _import_or_refuse(target, path) -> None:
    before = snapshot(target)
    try:
        import_results(target, path)
    except ResultsError as exc:
        assert str(exc).startswith(str(path))
        assert snapshot(target) == before


@pytest.mark.parametrize("fmt", [".csv", ".parquet"])
@FUZZ
@given(data=st.data())
def test_fuzz_mutated_bytes(tmp_path, target, fmt, data):
    """Flipped, inserted and cut bytes of a valid results file: only ResultsError."""
    rows = [_row(i, error="boom" if i == 2 else None) for i in range(4)]
    mutated = bytearray(encode_rows(rows, fmt))
    for _ in range(data.draw(st.integers(1, 6))):
        if len(mutated) < 2:
            break
        where = data.draw(st.integers(0, len(mutated) - 1))
        action = data.draw(st.sampled_from(["flip", "insert", "cut"]))
        if action == "flip":
            mutated[where] = data.draw(st.integers(0, 255))
        elif action == "insert":
            mutated[where:where] = data.draw(st.binary(min_size=1, max_size=8))
        else:
            del mutated[where : where + data.draw(st.integers(1, 20))]
    path = tmp_path / f"fuzz{fmt}"
    path.write_bytes(bytes(mutated))
    _import_or_refuse(target, path)


VALUES = (
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=70)
    | st.sampled_from(["nan", "-inf", "1e999", "", "a" * 64])
)


@pytest.mark.parametrize("fmt", [".csv", ".parquet"])
@FUZZ
@given(data=st.data())
def test_fuzz_random_values_in_every_column(tmp_path, target, fmt, data):
    """Any value of any type in any column: only ResultsError, or an import."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [_row(i) for i in range(3)]
    for _ in range(data.draw(st.integers(1, 3))):
        row = data.draw(st.sampled_from(rows))
        row[data.draw(st.sampled_from(sorted(row)))] = data.draw(VALUES)
    path = tmp_path / f"fuzz-values{fmt}"
    if fmt == ".csv":
        import csv

        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        path.write_text(out.getvalue(), encoding="utf-8", errors="surrogatepass")
    else:
        try:
            table = pa.Table.from_pylist(rows)  # a column of mixed types may not convert
        except (pa.ArrowException, OverflowError):
            return
        buffer = io.BytesIO()
        pq.write_table(table, buffer)
        path.write_bytes(buffer.getvalue())
    _import_or_refuse(target, path)
