"""The runner stores each result with its provenance; repeats are separate results."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from core.errors import Cancelled, IrisError
from core.imageio import encode_png
from core.methods import ParamError, get_method
from core.methods.runner import restore_images
from tests.core.methods.synthetic import psnr, scene


@pytest.fixture
def noisy_input(project):
    rng = np.random.default_rng(0)
    clean = scene(64)
    noisy = np.clip(clean + rng.normal(0, 25 / 255, clean.shape), 0, 1).astype(np.float32)
    record = project.add_image_bytes(encode_png(noisy), name="noisy", kind="imported")
    return record, clean


def test_restore_stores_output_run_and_result(project, noisy_input):
    record, clean = noisy_input
    results = restore_images(project.path, [record.id], "nlmeans", {"template_window": 5})
    assert len(results) == 1 and results[0].status == "ok"
    out = project.image(results[0].output_image_id)
    assert out.kind == "restored" and out.parent_id == record.id
    assert out.meta["params"]["template_window"] == 5 and out.meta["device"] == "cpu"
    assert psnr(project.load_pixels(out).pixels, clean) > psnr(
        project.load_pixels(record).pixels, clean
    )
    run = project.run(results[0].run_id)
    assert run.kind == "restore" and run.status == "done"
    (row,) = project.results(run.id)
    assert row.input_image_id == record.id and row.output_image_id == out.id
    assert row.seconds is not None and row.meta["method"] == "nlmeans"
    assert [m["name"] for m in project.methods()] == ["nlmeans"]


def test_repeats_are_separate_results(project, noisy_input):
    record, _ = noisy_input
    results = restore_images(project.path, [record.id], "gamma", repeat=3)
    assert [r.repeat for r in results] == [0, 1, 2]
    assert len({r.result_id for r in results}) == 3
    assert len(project.results(results[0].run_id)) == 3


def test_bad_parameter_is_refused_before_anything_is_stored(project, noisy_input):
    record, _ = noisy_input
    with pytest.raises(ParamError, match="maximum"):
        restore_images(project.path, [record.id], "nlmeans", {"h": 1000})
    with pytest.raises(ParamError, match="no parameter"):
        restore_images(project.path, [record.id], "nlmeans", {"bogus": 1})
    assert project.runs() == []


def test_params_parse_cli_strings():
    method = get_method("deconvolve")
    values = method.validate({"iterations": "12", "psf": "motion", "balance": "0.1"})
    assert values["iterations"] == 12 and values["psf"] == "motion" and values["balance"] == 0.1
    with pytest.raises(ParamError, match="not one of"):
        method.validate({"psf": "disk"})
    with pytest.raises(ParamError, match="not a valid int"):
        method.validate({"iterations": "many"})


def test_cancel_marks_the_run_cancelled(project, noisy_input):
    record, _ = noisy_input
    cancel = threading.Event()

    def progress(done, total):
        if done > 0:
            cancel.set()

    with pytest.raises(Cancelled):
        restore_images(
            project.path, [record.id], "deconvolve", {"iterations": 200},
            repeat=3, progress=progress, cancel=cancel,
        )  # fmt: skip
    (run,) = project.runs()
    assert run.status == "cancelled"
    assert len(project.results(run.id)) < 3


def test_unknown_method_lists_known_ones(project, noisy_input):
    record, _ = noisy_input
    with pytest.raises(IrisError, match="nlmeans"):
        restore_images(project.path, [record.id], "no-such-method")
