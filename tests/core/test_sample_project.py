"""The sample project gives every view content: restorations, scores, annotations, a depth pair."""

from __future__ import annotations

import json

import numpy as np
import pytest

from core.annotations import store
from core.annotations.taxonomy import default_taxonomy
from core.depth.pipeline import build_scene, decode
from core.depth.settings import DepthSettings
from core.iterate.steps import run_steps
from core.metrics.engine import metric_version
from core.metrics.scoring import score_project
from core.project import Project
from core.sample_project import ANNOTATOR, build_sample_project, ensure_sample_project
from core.sample_scores import FILE_NAME
from resources import resource_path

MANIFEST = json.loads((resource_path("sample") / "manifest.json").read_text())
METHODS = [run["method"] for run in MANIFEST["restore"]]
NO_REFERENCE = MANIFEST["scores"]["groups"][0]["metrics"]


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    return build_sample_project(tmp_path_factory.mktemp("sample") / "project")


def test_every_degraded_image_has_a_restoration_by_each_method(sample):
    with Project.open(sample) as project:
        degraded = project.images(kind="degraded")
        restore = [run for run in project.runs() if run.kind == "restore"]
        assert sorted(run.params["method"] for run in restore) == sorted(METHODS)
        for run in restore:
            assert run.status == "done"
            results = project.results(run.id)
            assert sorted(r.input_image_id for r in results) == sorted(i.id for i in degraded)
            assert all(r.status == "ok" and r.output_image_id for r in results)
        restored = project.images(kind="restored")
        assert len(restored) == len(degraded) * len(METHODS)
        assert {r.parent_id for r in restored} == {i.id for i in degraded}


def test_compare_opens_on_a_degraded_image_its_original_and_its_restorations(sample):
    with Project.open(sample) as project:
        state = project.view_state("compare")
        images = [project.image(i) for i in state["image_ids"]]
        clean, degraded, *restorations = images
        assert (clean.kind, degraded.kind, degraded.parent_id) == ("imported", "degraded", clean.id)
        assert len(restorations) == len(METHODS)
        assert all(r.kind == "restored" and r.parent_id == degraded.id for r in restorations)


def test_the_run_group_and_the_restorations_have_stored_scores(sample):
    """What the Metrics view reads on opening (compute=False): curves and a heatmap at once."""
    with Project.open(sample) as project:
        group = [r.name for r in project.runs() if r.group_name == "gradient-generation-loss"]
        steps = {s.image_id for run in group for s in run_steps(project, run)}
        restored = [i.id for i in project.images(kind="restored")]
    report = score_project(sample, NO_REFERENCE, image_ids=sorted(steps) + restored, compute=False)
    assert report.computed == 0 and report.cached == len(report.rows)
    assert len(report.rows) == (len(steps) + len(restored)) * len(NO_REFERENCE)
    fr = score_project(sample, ["psnr", "ssim"], image_ids=restored, reference="clean",
                       compute=False)  # fmt: skip
    sized = [row for row in fr.rows if "bricks" not in row.image]  # x2 downscale: other size
    assert sized and all(row.value is not None and row.cached for row in sized)
    assert all(5 < row.value < 60 for row in sized if row.metric == "psnr")


def test_a_stored_score_is_the_score_of_that_image(sample):
    """Recomputing one shipped score (PSNR against the clean original) gives it back."""
    from core.metrics.engine import load_metric, score_pixels

    with Project.open(sample) as project:
        image = next(i for i in project.images(kind="restored") if "fabric" in i.name)
        clean = project.image(project.image(image.parent_id).parent_id)
        stored = project.score(image.sha256, "psnr", metric_version("psnr"), clean.sha256)
        pixels = project.load_pixels(image).pixels
        reference = project.load_pixels(clean).pixels
    value = score_pixels(load_metric("psnr", "cpu"), [pixels], [reference])[0]
    assert stored["value"] == pytest.approx(value, abs=1e-5)


def test_every_shipped_score_applies_to_a_fresh_build(sample):
    """Changing how the sample is made changes its images: regenerate scores.json then.

    python -m resources.sample.make_sample --scores
    """
    shipped = json.loads((resource_path("sample") / FILE_NAME).read_text())
    assert all(metric_version(m) == v for m, v in shipped["versions"].items())
    with Project.open(sample) as project:
        assert project.counts()["scores"] == len(shipped["scores"]), "stale scores.json"


def test_annotations_by_the_sample_annotator_on_restorations_and_a_step(sample):
    labels = {label.id for label in default_taxonomy().labels}
    with Project.open(sample) as project:
        notes = store.annotations(project)
        assert len(notes) == len(MANIFEST["annotations"]) >= 3
        assert {n.annotator for n in notes} == {ANNOTATOR}
        assert {n.label for n in notes} <= labels
        assert {n.region_kind for n in notes} >= {"rect", "polygon"}
        kinds = {project.image(n.image_id).kind for n in notes}
        assert kinds == {"restored", "step"}
        assert set(store.reviewed_images(project, ANNOTATOR)) == {n.image_id for n in notes}


def test_the_depth_pair_decodes_to_its_true_depth_and_unprojects(sample):
    with Project.open(sample) as project:
        by_name = {image.name: image for image in project.images()}
        depth_map, photo = by_name["scene_depth"], by_name["scene_photo"]
        map_path, photo_path = project.image_path(depth_map), project.image_path(photo)
    truth = np.load(sample / depth_map.meta["true_depth"])
    assert truth.shape == (240, 320) and truth.dtype == np.float32
    assert depth_map.meta["codec"] == "vision-banana"
    assert depth_map.meta["photo_image_id"] == photo.id
    decoded = decode(map_path).decoding
    assert decoded.codec == "vision-banana" and np.isfinite(decoded.depth).all()
    # the codec's 8-bit resolution is about (1 + d/10)^3 / 714 m
    step = (1 + truth / 10) ** 3 / 714
    assert (np.abs(decoded.depth - truth) <= step).mean() > 0.99
    scene = build_scene(map_path, photo_path, DepthSettings(), colour_modes=["photo"])
    assert len(scene.cloud) == 240 * 320
    assert scene.colours["photo"].std() > 20  # coloured by the shaded photo, not flat


def test_the_sample_is_small(sample):
    size = sum(f.stat().st_size for f in sample.rglob("*") if f.is_file())
    assert size < 15e6, f"the sample project is {size / 1e6:.1f} MB"


def test_ensure_builds_once_into_the_data_folder(tmp_path, monkeypatch):
    import core.sample_project as module

    calls = []
    real = module.build_sample_project

    def counted(dest, **kwargs):
        calls.append(dest)
        with Project.create(dest, name="stub"):
            pass
        return dest

    monkeypatch.setattr(module, "build_sample_project", counted)
    dest = tmp_path / "data" / "sample-project"
    assert ensure_sample_project(dest) == dest == ensure_sample_project(dest)
    assert len(calls) == 1 and not any(p.name.startswith(".sample-") for p in dest.parent.iterdir())
    assert real is build_sample_project


def test_restorations_carry_their_inputs_scene_and_degradation_tags(sample):
    with Project.open(sample) as project:
        tags = project.tags_for(None)
        for image in project.images(kind="restored"):
            degraded = project.image(image.parent_id)
            clean = project.image(degraded.parent_id)
            op = degraded.meta["recipe"]["op"]
            assert tags[image.id] == {
                "scene": clean.name,
                "degradation": op,
                "dataset": "iris-sample",
            }
        assert project.tag_values("scene") == sorted(
            i.name for i in project.images(kind="imported") if i.parent_id is None and i.id in tags
        )
