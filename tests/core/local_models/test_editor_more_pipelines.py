"""FLUX.2 [dev] and [klein] through the diffusers method: real pipeline classes, tiny random weights.

Each folder is built from configs (``tiny_models``), saved and loaded back through IRIS's
loader on the CPU; nothing is downloaded.
"""

from __future__ import annotations

import functools

import numpy as np
import pytest

from core.errors import IrisError
from core.local_models.pipelines import PIPELINES, pipeline_spec
from core.methods.registry import get_method
from tests.core.local_models.tiny_models import steps_seen_when_cancelled_at

# FLUX.2 refuses a reference image under 64 pixels a side.
PIXELS = np.random.default_rng(1).random((66, 98, 3)).astype(np.float32)
CLASSES = ("Flux2Pipeline", "Flux2KleinPipeline")  # [klein] here: a base (CFG) model


@pytest.fixture(autouse=True, scope="module")
def one_thread():
    """Tiny models gain nothing from threads; on a busy CPU their waits cost seconds a call."""
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def _edit(folder, pixels=PIXELS, progress=None, cancel=None, **params):
    values = {"model_dir": str(folder), "prompt": "Remove the noise.", "steps": 2, **params}
    return get_method("diffusers")(
        pixels, values, progress=progress or (lambda d, n: None), cancel=cancel
    )


@pytest.mark.parametrize("cls", CLASSES)
def test_an_edit_has_the_requested_size_reaches_every_step_and_names_its_licence(flux2_dirs, cls):
    steps = []
    out = _edit(flux2_dirs[cls], progress=lambda done, total: steps.append((done, total)), seed=5)
    assert out.pixels.shape == (68, 100, 3)  # 66x98 on the tiny VAE's 4-pixel grid
    assert out.pixels.dtype == np.float32 and 0.0 <= out.pixels.min() <= out.pixels.max() <= 1.0
    assert steps == [(1, 2), (2, 2)]
    assert out.meta["pipeline"] == cls and out.meta["family"] == PIPELINES[cls].family
    assert out.meta["licence"] == PIPELINES[cls].licence and out.meta["guidance"] == 4.0


@pytest.mark.parametrize("cls", CLASSES)
def test_cancel_stops_within_one_step(flux2_dirs, cls):
    run = functools.partial(_edit, flux2_dirs[cls], steps=8, seed=1)
    assert steps_seen_when_cancelled_at(run, 2) == [1, 2]


@pytest.mark.parametrize("cls", CLASSES)
def test_the_same_seed_reproduces_the_output_bit_for_bit(flux2_dirs, cls):
    first = _edit(flux2_dirs[cls], seed=11)
    again = _edit(flux2_dirs[cls], seed=11)
    other = _edit(flux2_dirs[cls], seed=12)
    assert np.array_equal(first.pixels, again.pixels)
    assert not np.array_equal(first.pixels, other.pixels)
    assert first.meta["seed"] == again.meta["seed"] == 11


def test_a_step_distilled_klein_takes_its_model_cards_four_steps_without_guidance(flux2_dirs):
    steps = []
    out = _edit(
        flux2_dirs["distilled"], progress=lambda d, n: steps.append((d, n)), steps=0,
        guidance=-1.0, seed=3,
    )  # fmt: skip
    assert steps == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert out.meta["steps"] == 4 and out.meta["guidance"] == 1.0
    assert out.pixels.shape == (68, 100, 3)
    klein, dev = pipeline_spec("Flux2KleinPipeline"), pipeline_spec("Flux2Pipeline")
    assert klein.defaults({"is_distilled": False}) == klein.defaults({}) == (50, 4.0)
    assert klein.defaults({"is_distilled": True}) == (4, 1.0)
    assert dev.defaults({"is_distilled": True}) == (50, 4.0)  # [dev] has no distilled defaults


def test_a_reference_image_under_64_pixels_is_refused_with_flux2s_reason(flux2_dirs):
    small = np.zeros((40, 70, 3), np.float32)
    with pytest.raises(ValueError, match="70×40. Both dimensions must be at least 64px"):
        _edit(flux2_dirs["Flux2Pipeline"], pixels=small, seed=1)


def test_the_flux2_specs_name_their_guidance_licences_and_memory_estimates(tmp_path):
    dev, klein = pipeline_spec("Flux2Pipeline"), pipeline_spec("Flux2KleinPipeline")
    assert dev.guidance_arg == klein.guidance_arg == "guidance_scale"
    assert not dev.image_as_list and not klein.image_as_list
    assert dev.call_kwargs(96, 64) == klein.call_kwargs(96, 64) == {"width": 96, "height": 64}
    assert dev.licence.startswith("FLUX [dev] Non-Commercial License (FLUX.2 [dev])")
    assert klein.licence.startswith("Apache-2.0 (FLUX.2 [klein] 4B and 4B Base)")
    assert "FLUX Non-Commercial License (FLUX.2 [klein] 9B" in klein.licence
    assert "not for commercial use" in dev.licence and "not for commercial use" in klein.licence
    assert "estimated" in dev.gpu_memory and "estimated" in klein.gpu_memory
    (tmp_path / "model_index.json").write_text('{"_class_name": "JoyImageEditPipeline"}')
    with pytest.raises(
        IrisError, match="Flux2Pipeline, Flux2KleinPipeline, LongCatImageEditPipeline$"
    ):
        get_method("diffusers").prepare({"model_dir": str(tmp_path)})
