"""Results files: part files committed atomically, merged on finish, read back in both formats."""

from __future__ import annotations

import pytest

from core.dataset.results import ResultsStore, read_rows, row_key
from core.errors import IrisError


def _row(i: int, metric: str = "psnr", **extra) -> dict:
    return {
        "path": f"/d/img{i}.png",
        "relpath": f"img{i}.png",
        "sha256": f"{i:064x}",
        "metric": metric,
        "metric_version": "pyiqa-0.1.16",
        "value": 30.0 + i / 7,
        "worker": "w",
        "seconds": 0.01,
        **extra,
    }


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_parts_merge_into_the_output_and_values_round_trip(tmp_path, suffix):
    store = ResultsStore(tmp_path / f"r{suffix}")
    store.append([_row(0), _row(1)])
    store.append([_row(2, error="/d/img2.png: corrupt", value=None)])
    assert len(store.part_files()) == 2 and not store.path.exists()
    assert store.finish() == 3
    assert store.part_files() == [] and not store.parts_dir.exists()
    rows = read_rows(store.path)
    assert [r["value"] for r in rows] == [30.0, 30.0 + 1 / 7, None]
    assert rows[2]["error"] == "/d/img2.png: corrupt" and rows[0]["error"] is None
    assert rows[0]["reference_sha256"] == ""


def test_resume_reads_output_and_leftover_parts(tmp_path):
    store = ResultsStore(tmp_path / "r.parquet")
    store.append([_row(0)])
    store.finish()
    store.append([_row(1)])  # a later job killed before it finished
    assert store.done_keys() == {row_key(_row(0)), row_key(_row(1))}


def test_a_kill_between_merge_and_cleanup_repeats_no_row(tmp_path):
    store = ResultsStore(tmp_path / "r.csv")
    store.append([_row(0), _row(1)])
    part = store.part_files()[0]
    kept = part.read_bytes()
    store.finish()
    part.parent.mkdir()
    part.write_bytes(kept)  # as if the process died before removing the merged part
    assert len(store.read()) == 2
    assert store.finish() == 2


def test_unreadable_file_rows_are_keyed_by_path():
    assert row_key({"path": "/x.png", "sha256": "", "metric": "m", "metric_version": "1"}) == (
        "path:/x.png",
        "m",
        "1",
        "",
    )


def test_unknown_format_is_refused(tmp_path):
    with pytest.raises(IrisError, match=r"\.parquet or \.csv"):
        ResultsStore(tmp_path / "r.json")


def test_a_retried_error_row_gives_way_to_its_success(tmp_path):
    store = ResultsStore(tmp_path / "r.csv")
    failed = _row(0, error="/d/img0.png: psnr failed (RuntimeError: out of memory)", value=None)
    store.append([failed, _row(1)])
    assert row_key(failed) in store.done_keys()
    assert store.done_keys(retry_errors=True) == {row_key(_row(1))}
    store.append([_row(0)])
    assert store.finish() == 2
    assert [r["error"] for r in read_rows(store.path)] == [None, None]
