"""The diffusers method's device handling without a GPU: how a loaded pipeline is placed
(offload modes on CUDA, plain placement on the CPU, never a download), the retry through
lower-memory offload modes on out-of-memory, and the free-memory text of the failure.

The pipeline loader and the edit are stand-ins here; the real tiny pipelines run in
test_editor.py. The model folder is a minimal one that passes the folder check.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from core.errors import IrisError
from core.local_models import editor
from core.local_models.cache import CACHE, LoadedModel
from core.local_models.pipelines import pipeline_spec
from core.methods.base import MethodFailed
from core.methods.memory import Available, format_size
from core.methods.registry import get_method

torch = pytest.importorskip("torch")

PIXELS = np.random.default_rng(2).random((24, 40, 3)).astype(np.float32)


@pytest.fixture
def folder(tmp_path):
    """A Kontext folder with no components: it passes check() and loads nothing real."""
    path = tmp_path / "mini-kontext"
    path.mkdir()
    (path / "model_index.json").write_text(json.dumps({"_class_name": "FluxKontextPipeline"}))
    (path / "weights.safetensors").write_bytes(b"x" * 10)
    return path


class FakePipe:
    def __init__(self):
        self.calls = []

    def enable_model_cpu_offload(self, device):
        self.calls.append(("model offload", device))

    def enable_sequential_cpu_offload(self, device):
        self.calls.append(("sequential offload", device))

    def to(self, device):
        self.calls.append(("to", device))

    def set_progress_bar_config(self, disable):
        self.calls.append(("progress bar", disable))


@pytest.mark.parametrize(
    ("device", "offload", "placed"),
    [
        ("cuda:0", "model", ("model offload", "cuda:0")),
        ("cuda:1", "sequential", ("sequential offload", "cuda:1")),
        ("cuda:0", "none", ("to", "cuda:0")),
        ("cpu", "model", ("to", "cpu")),  # offload means nothing on the CPU
    ],
)
def test_a_loaded_pipeline_is_placed_by_device_and_offload(
    folder, monkeypatch, device, offload, placed
):
    import diffusers

    pipe = FakePipe()
    asked = []

    def from_pretrained(path, **kwargs):
        asked.append((path, kwargs))
        return pipe

    monkeypatch.setattr(diffusers.FluxKontextPipeline, "from_pretrained", from_pretrained)
    spec = pipeline_spec("FluxKontextPipeline")
    loaded = editor.load_pipeline(folder, spec, torch.float32, device, offload)
    assert loaded is pipe and pipe.calls == [placed, ("progress bar", True)]
    assert asked == [
        (str(folder), {"dtype": torch.float32, "local_files_only": True, "use_safetensors": True})
    ]
    assert editor.load_pipeline(folder, spec, torch.float32, device, offload) is pipe
    assert len(asked) == 1  # the second call is a cache hit
    assert CACHE.loaded() == [LoadedModel("mini-kontext", "editor", device, "float32", 10)]


def _run(folder, **params):
    values = {"model_dir": str(folder), "prompt": "Remove the noise.", "steps": 2, "seed": 3}
    return get_method("diffusers")(
        PIXELS, {**values, **params}, progress=lambda d, n: None, cancel=None
    )


def _hold(folder):
    """Cache entries of this folder and of another one, to see which the OOM path releases."""
    CACHE.load(("editor", str(folder), 1), object, LoadedModel("mine", "editor", "cpu", "x", 1))
    CACHE.load(("editor", "/other", 1), object, LoadedModel("other", "editor", "cpu", "x", 1))


def test_out_of_memory_on_cuda_retries_with_offload_and_records_the_mode(folder, monkeypatch):
    tried = []
    monkeypatch.setattr(
        editor, "load_pipeline", lambda f, s, d, device, offload: tried.append(offload) or offload
    )

    def edit(pipe, *args, **kwargs):
        if pipe != "sequential":
            raise torch.OutOfMemoryError("CUDA out of memory (simulated)")
        size = (kwargs["width"], kwargs["height"])
        return editor.Edit(np.zeros((size[1], size[0], 3), np.float32), size)

    monkeypatch.setattr(editor, "edit", edit)
    _hold(folder)
    out = _run(folder, device="cuda", dtype="fp32")
    assert tried == ["none", "model", "sequential"]
    assert out.meta["offload"] == "sequential" and out.meta["device"] == "cuda"
    assert out.pixels.shape == (32, 48, 3)  # 40x24 on the 16 px grid
    assert [m.name for m in CACHE.loaded()] == ["other"]  # this folder's pipelines released


def test_out_of_memory_in_every_mode_names_the_last_mode_and_the_gpu_memory(folder, monkeypatch):
    tried = []
    monkeypatch.setattr(
        editor, "load_pipeline", lambda f, s, d, device, offload: tried.append(offload)
    )

    def no_memory(*args, **kwargs):
        raise torch.OutOfMemoryError("CUDA out of memory (simulated)")

    monkeypatch.setattr(editor, "edit", no_memory)
    monkeypatch.setattr(editor, "gpu_memory", lambda device: (2**30, 8 * 2**30))
    with pytest.raises(MethodFailed) as caught:
        _run(folder, device="cuda", dtype="fp32", offload="model")
    assert tried == ["model", "sequential"]
    assert caught.value.reason == "out-of-memory"
    assert caught.value.detail == (
        f"FLUX.1 Kontext ({folder}) at 48x32 ran out of memory with sequential offload in "
        "float32; 1.0 GiB free of 8.0 GiB on cuda"
    )
    assert caught.value.meta["offload"] == "sequential" and caught.value.meta["seed"] == 3


def test_an_error_that_is_not_out_of_memory_passes_through_and_keeps_the_cache(folder, monkeypatch):
    tried = []
    monkeypatch.setattr(
        editor, "load_pipeline", lambda f, s, d, device, offload: tried.append(offload)
    )

    def broken(*args, **kwargs):
        raise ValueError("the pipeline rejected the prompt")

    monkeypatch.setattr(editor, "edit", broken)
    _hold(folder)
    with pytest.raises(ValueError, match="rejected the prompt"):
        _run(folder, device="cuda", dtype="fp32")
    assert tried == ["none"]  # no retry for other errors
    assert [m.name for m in CACHE.loaded()] == ["mine", "other"]


def test_the_memory_text_falls_back_to_host_memory_then_to_unknown(monkeypatch):
    monkeypatch.setattr(editor, "gpu_memory", lambda device: None)
    monkeypatch.setattr(editor, "available_memory", lambda: Available(3 * 2**30, "cgroup"))
    assert editor._memory_text("cpu") == f"{format_size(3 * 2**30)} available (cgroup)"
    assert editor._memory_text("cpu") == "3.0 GiB available (cgroup)"
    monkeypatch.setattr(editor, "available_memory", lambda: None)
    assert editor._memory_text("cpu") == "free memory unknown"


@pytest.mark.parametrize(
    ("config", "multiple"),
    [
        (None, 16),  # no VAE config: the usual 8x VAE
        ({}, 16),
        ({"block_out_channels": [4, 4]}, 4),
        ({"block_out_channels": [128, 256, 512, 512]}, 16),
        ({"temperal_downsample": [False, True, True]}, 16),  # Qwen-Image: 2 ** 3 stages
    ],
)
def test_the_output_grid_comes_from_the_vae_config(tmp_path, config, multiple):
    if config is not None:
        (tmp_path / "vae").mkdir()
        (tmp_path / "vae" / "config.json").write_text(json.dumps(config))
    assert editor._multiple(tmp_path) == multiple


@pytest.mark.parametrize(
    "config",
    [
        {"block_out_channels": 4},
        {"block_out_channels": list(range(9))},  # 2 ** 8 * 2 = a 512-pixel grid
        {"temperal_downsample": "ttt"},
        {"temperal_downsample": []},
        {"temperal_downsample": [True] * 40},
    ],
)
def test_a_vae_config_with_an_impossible_stage_list_is_refused_naming_it(tmp_path, config):
    (tmp_path / "vae").mkdir()
    path = tmp_path / "vae" / "config.json"
    path.write_text(json.dumps(config))
    with pytest.raises(IrisError, match="is not a list of 1 to 8 stages") as info:
        editor._multiple(tmp_path)
    assert str(info.value).startswith(f"{path}: ")
