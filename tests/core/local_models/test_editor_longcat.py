"""LongCat-Image-Edit through the diffusers method: the real pipeline class, tiny random weights.

The pipeline takes no width, height or step callback: it renders about 1 MP at the
input's aspect ratio, so IRIS resizes its output to the asked size (recording what it
rendered) and counts the scheduler's steps for progress and cancel.
"""

from __future__ import annotations

import functools

import numpy as np
import pytest

from core.local_models.editor import edit, load_pipeline
from core.local_models.pipelines import PIPELINES, pipeline_spec
from core.local_models.precision import torch_dtype
from core.methods.registry import get_method
from tests.core.local_models.tiny_models import steps_seen_when_cancelled_at

PIXELS = np.random.default_rng(4).random((24, 40, 3)).astype(np.float32)
SPEC = pipeline_spec("LongCatImageEditPipeline")


@pytest.fixture(autouse=True, scope="module")
def one_thread():
    """Tiny models gain nothing from threads; on a busy CPU their waits cost seconds a call."""
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def _edit(folder, progress=None, cancel=None, **params):
    values = {"model_dir": str(folder), "prompt": "Remove the noise.", "steps": 2, **params}
    return get_method("diffusers")(
        PIXELS, values, progress=progress or (lambda d, n: None), cancel=cancel
    )


def test_an_edit_has_the_inputs_size_reaches_every_step_and_records_the_rendered_size(
    longcat_dir,
):
    steps = []
    out = _edit(longcat_dir, progress=lambda done, total: steps.append((done, total)), seed=5)
    assert out.pixels.shape == (24, 40, 3)  # exactly the input's: no model grid to snap to
    assert out.pixels.dtype == np.float32 and 0.0 <= out.pixels.min() <= out.pixels.max() <= 1.0
    assert steps == [(1, 2), (2, 2)]
    # The pipeline's own size: 1 MP at 40:24, each side rounded up to a multiple of 16.
    assert (out.meta["rendered_width"], out.meta["rendered_height"]) == (1328, 800)
    assert (out.meta["width"], out.meta["height"]) == (40, 24)
    assert out.meta["family"] == "LongCat-Image-Edit" and out.meta["licence"] == "Apache-2.0"
    assert (out.meta["guidance"], out.meta["seed"]) == (4.5, 5)


def test_a_1k_policy_resizes_the_render_to_a_1024_pixel_longest_side(longcat_dir):
    out = _edit(longcat_dir, image_size="1K", steps=1, guidance=1.0, seed=2)
    assert out.pixels.shape == (614, 1024, 3)
    assert out.meta["rendered_width"] == 1328


def test_cancel_stops_within_one_step_and_leaves_the_cached_scheduler_unwrapped(longcat_dir):
    run = functools.partial(_edit, longcat_dir, steps=8, guidance=1.0, seed=1)
    assert steps_seen_when_cancelled_at(run, 2) == [1, 2]
    pipe = load_pipeline(longcat_dir, SPEC, torch_dtype("auto", "cpu"), "cpu", "none")  # cached
    assert "step" not in vars(pipe.scheduler)  # the next edit counts from 0 again
    steps = []
    _edit(longcat_dir, progress=lambda d, n: steps.append(d), steps=1, guidance=1.0, seed=1)
    assert steps == [1]


def test_the_same_seed_reproduces_the_output_bit_for_bit(longcat_dir):
    first = _edit(longcat_dir, steps=1, guidance=1.0, seed=11)
    again = _edit(longcat_dir, steps=1, guidance=1.0, seed=11)
    other = _edit(longcat_dir, steps=1, guidance=1.0, seed=12)
    assert np.array_equal(first.pixels, again.pixels)
    assert not np.array_equal(first.pixels, other.pixels)


class RecordingPipe:
    """A pipeline stand-in that records its call and runs one scheduler step."""

    class Scheduler:
        def step(self, *args, **kwargs):
            return ("latents",)

    def __init__(self, width: int, height: int):
        self.scheduler = self.Scheduler()
        self.size = (width, height)
        self.kwargs: dict = {}

    def __call__(self, **kwargs):
        from types import SimpleNamespace

        self.kwargs = kwargs
        self.scheduler.step("noise", 0, "latents")
        callback = kwargs.get("callback_on_step_end")
        if callback is not None:
            callback(self, 0, 0, {})
        width, height = self.size
        return SimpleNamespace(images=[np.full((height, width, 3), 0.5, np.float32)])


@pytest.mark.parametrize(
    ("cls", "guidance", "negative"),
    [
        ("LongCatImageEditPipeline", 4.5, ""),  # the model card's empty negative prompt
        ("LongCatImageEditPipeline", 1.0, None),  # no CFG, no negative pass
        ("QwenImageEditPipeline", 4.0, " "),  # true CFG runs only with a negative prompt
        ("FluxKontextPipeline", 2.5, None),  # distilled guidance: no negative prompt
    ],
)
def test_the_negative_prompt_goes_only_to_classes_that_take_one_when_guidance_is_on(
    cls, guidance, negative
):
    spec = pipeline_spec(cls)
    pipe = RecordingPipe(40, 24)
    steps = []
    result = edit(
        pipe, spec, PIXELS, "Remove the noise.", steps=1, guidance=guidance, seed=0, width=40,
        height=24, progress=lambda d, n: steps.append(d), cancel=None,
    )  # fmt: skip
    assert pipe.kwargs.get("negative_prompt") == negative
    assert steps == [1] and result.rendered == (40, 24)
    assert ("callback_on_step_end" in pipe.kwargs) == (spec.step_hook == "callback")
    assert ("width" in pipe.kwargs) == spec.size_args


def test_a_users_negative_prompt_replaces_the_default():
    pipe = RecordingPipe(40, 24)
    edit(
        pipe, SPEC, PIXELS, "Remove the noise.", steps=1, guidance=4.5, seed=0, width=40,
        height=24, negative_prompt="blurry", progress=lambda d, n: None, cancel=None,
    )  # fmt: skip
    assert pipe.kwargs["negative_prompt"] == "blurry"


def test_an_output_of_another_size_is_resized_to_the_asked_one_for_every_class():
    for spec in PIPELINES.values():
        result = edit(
            RecordingPipe(80, 48), spec, PIXELS, "x", steps=1, guidance=1.0, seed=0,
            width=40, height=24, progress=lambda d, n: None, cancel=None,
        )  # fmt: skip
        assert result.pixels.shape == (24, 40, 3) and result.rendered == (80, 48)
        assert np.allclose(result.pixels, 0.5)
