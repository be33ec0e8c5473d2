"""Importing a results file into a project: scores keyed by content, images added when present."""

from __future__ import annotations

from core.dataset import DatasetJob, run_job
from core.dataset.importer import import_results
from core.dataset.results import ResultsStore, read_rows
from core.project import Project
from tests.core.dataset.conftest import make_dataset


def test_import_writes_every_row_and_adds_images_still_on_disk(tmp_path):
    noisy, clean = make_dataset(tmp_path / "d", n=4)
    (noisy / "broken.png").write_bytes(b"not an image")
    out = tmp_path / "r.parquet"
    run_job(DatasetJob(str(noisy), ["psnr"], str(out), ref_dir=str(clean), device="cpu"))
    rows = read_rows(out)
    (noisy / "set1/img001.png").unlink()  # moved away since it was scored
    with Project.create(tmp_path / "p"):
        pass
    report = import_results(tmp_path / "p", out)
    assert report.rows == report.scores_written == 5
    assert report.errors == 1
    assert report.images_missing == 2  # moved away, and broken.png (not an image)
    assert report.images_added == 3 + 4  # three noisy images and the four references
    with Project.open(tmp_path / "p") as project:
        assert project.counts()["scores"] == 5
        for row in rows:
            stored = project.score(
                row["sha256"], "psnr", row["metric_version"], row["reference_sha256"]
            )
            assert stored["value"] == row["value"] and stored["error"] == row["error"]
        moved = next(r for r in rows if r["relpath"] == "set1/img001.png")
        assert project.find_images(moved["sha256"]) == []
        kept = next(r for r in rows if r["relpath"] == "set0/img000.png")
        (image,) = project.find_images(kept["sha256"])
        assert image.name == "set0/img000" and image.meta == {"dataset_relpath": kept["relpath"]}
        assert project.image(image.parent_id).sha256 == kept["reference_sha256"]
    again = import_results(tmp_path / "p", out)  # idempotent: same keys, no new images
    assert again.images_added == 0
    with Project.open(tmp_path / "p") as project:
        assert project.counts()["scores"] == 5


def test_rows_of_unreadable_files_are_counted_not_imported(tmp_path):
    store = ResultsStore(tmp_path / "r.csv")
    store.append(
        [{"path": "/gone.png", "sha256": "", "metric": "psnr", "metric_version": "v",
          "error": "/gone.png: missing (No such file or directory)"}]
    )  # fmt: skip
    store.finish()
    with Project.create(tmp_path / "p"):
        pass
    report = import_results(tmp_path / "p", store.path)
    assert (report.rows, report.scores_written, report.rows_without_hash) == (1, 0, 1)
