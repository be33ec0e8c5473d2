"""The diffusers method through real pipeline classes with tiny random weights (CPU)."""

from __future__ import annotations

import functools
import time

import numpy as np
import pytest

from core.local_models.model_folder import ModelFilesMissing
from core.methods.registry import get_method
from tests.core.local_models.tiny_models import steps_seen_when_cancelled_at

PIXELS = np.random.default_rng(0).random((24, 40, 3)).astype(np.float32)


def _edit(folder, progress=None, cancel=None, **params):
    values = {"model_dir": str(folder), "prompt": "Remove the noise.", "steps": 3, **params}
    return get_method("diffusers")(
        PIXELS, values, progress=progress or (lambda d, n: None), cancel=cancel
    )


def test_kontext_edit_has_the_requested_size_reaches_every_step_and_records_its_seed(kontext_dir):
    steps = []
    out = _edit(kontext_dir, progress=lambda done, total: steps.append((done, total)), seed=7)
    assert out.pixels.shape == (24, 40, 3)
    assert steps == [(1, 3), (2, 3), (3, 3)]
    assert out.meta["seed"] == 7 and out.meta["pipeline"] == "FluxKontextPipeline"
    assert out.meta["licence"].startswith("FLUX.1 [dev] Non-Commercial")


def test_output_size_policies_keep_the_aspect_ratio_on_the_model_grid():
    from core.local_models.sizing import output_size

    assert output_size(40, 24, "input", 16) == (48, 32)  # halves round up, not to even
    assert output_size(5632, 3072, "1K", 16) == (1024, 560)
    assert output_size(3072, 5632, "2K", 16) == (1120, 2048)
    assert output_size(1000, 1000, "4K", 4) == (4096, 4096)


def test_the_same_seed_reproduces_the_output_bit_for_bit_and_a_drawn_seed_is_recorded(kontext_dir):
    first = _edit(kontext_dir, seed=11)
    again = _edit(kontext_dir, seed=11)
    other = _edit(kontext_dir, seed=12)
    assert np.array_equal(first.pixels, again.pixels)
    assert not np.array_equal(first.pixels, other.pixels)
    drawn = _edit(kontext_dir, seed=-1)
    replay = _edit(kontext_dir, seed=drawn.meta["seed"])
    assert 0 <= drawn.meta["seed"] < 2**31 and np.array_equal(drawn.pixels, replay.pixels)


def test_cancel_stops_within_one_step(kontext_dir):
    run = functools.partial(_edit, kontext_dir, steps=8)
    assert steps_seen_when_cancelled_at(run, 2) == [1, 2]


def test_the_loaded_pipeline_is_reused_and_listed(kontext_dir):
    from core.local_models.cache import loaded_models

    _edit(kontext_dir, steps=1, seed=1)
    first = loaded_models()
    start = time.perf_counter()
    _edit(kontext_dir, steps=1, seed=1)
    assert loaded_models() == first and len(first) == 1
    assert first[0].kind == "editor" and first[0].name == kontext_dir.name
    assert first[0].bytes > 0 and time.perf_counter() - start < 5


@pytest.mark.parametrize("cls", ["QwenImageEditPipeline", "QwenImageEditPlusPipeline"])
def test_qwen_image_edit_pipelines_edit_at_the_requested_size(qwen_edit_dirs, cls):
    steps = []
    out = _edit(qwen_edit_dirs[cls], progress=lambda d, n: steps.append(d), steps=2, seed=3)
    assert out.pixels.shape == (32, 48, 3)  # 24x40 on Qwen's 16-pixel grid
    assert steps == [1, 2] and out.meta["pipeline"] == cls
    assert out.meta["licence"] == "Apache-2.0"


def test_a_missing_folder_or_file_is_named_at_once(tmp_path, kontext_dir):
    method = get_method("diffusers")
    start = time.perf_counter()
    with pytest.raises(ModelFilesMissing, match="no such folder"):
        method.prepare({"model_dir": str(tmp_path / "nowhere")})
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ModelFilesMissing, match="model_index.json"):
        method.prepare({"model_dir": str(empty)})
    with pytest.raises(ModelFilesMissing, match="models--black-forest-labs--FLUX.1-Kontext-dev"):
        method.prepare({"model_dir": "black-forest-labs/FLUX.1-Kontext-dev"})
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "model_index.json").write_bytes((kontext_dir / "model_index.json").read_bytes())
    (broken / "vae").mkdir()
    with pytest.raises(ModelFilesMissing, match="scheduler/"):
        method.prepare({"model_dir": str(broken)})
    assert time.perf_counter() - start < 3


def test_an_unsupported_pipeline_class_lists_the_supported_ones(tmp_path):
    from core.errors import IrisError

    (tmp_path / "model_index.json").write_text('{"_class_name": "StableDiffusionPipeline"}')
    with pytest.raises(IrisError, match="supported: FluxKontextPipeline"):
        get_method("diffusers").prepare({"model_dir": str(tmp_path / "model_index.json")})


def test_out_of_memory_names_model_size_and_memory(kontext_dir, monkeypatch):
    import torch

    import core.local_models.editor as editor
    from core.methods.base import MethodFailed

    calls = []

    def no_memory(*args, **kwargs):
        calls.append(kwargs["width"])
        raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")

    monkeypatch.setattr(editor, "edit", no_memory)
    with pytest.raises(MethodFailed) as caught:
        _edit(kontext_dir, seed=1)
    text = str(caught.value)
    assert caught.value.reason == "out-of-memory" and calls == [40]
    assert "FLUX.1 Kontext" in text and "40x24" in text and "available" in text
    assert editor._retry_modes("none", "cuda:0") == ["none", "model", "sequential"]
    assert editor._retry_modes("model", "cuda:0") == ["model", "sequential"]
    assert editor._retry_modes("none", "cpu") == ["none"]


def test_only_the_pipelines_that_cap_the_area_get_it_pinned_to_the_requested_size():
    from core.local_models.pipelines import PIPELINES, pipeline_spec

    kontext = pipeline_spec("FluxKontextPipeline").call_kwargs(96, 64)
    assert kontext == {"width": 96, "height": 64, "_auto_resize": False, "max_area": 96 * 64}
    others = [spec for name, spec in PIPELINES.items() if name != "FluxKontextPipeline"]
    assert others and all("max_area" not in spec.call_kwargs(96, 64) for spec in others)
