"""The spandrel method's choices: precision per device, the per-thread LRU, grey models,
models that tile internally, the out-of-memory floor, and the method's recorded metadata.

Models are tiny spandrel Compact nets with random weights, saved in the test's folder.
"""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from core.errors import IrisError  # noqa: E402
from core.jobs import no_progress  # noqa: E402
from core.methods import MethodContext, ParamError, get_method  # noqa: E402
from core.methods import spandrel_method as sm  # noqa: E402
from core.methods.spandrel_method import (  # noqa: E402
    CACHE_SIZE,
    choose_dtype,
    clear_model_cache,
    get_model,
    infer,
)
from tests.core.methods.synthetic import scene  # noqa: E402


def compact(path, *, inputs=3, outputs=3, upscale=1, seed=0):
    from spandrel.architectures.Compact import Compact

    torch.manual_seed(seed)
    net = Compact(num_in_ch=inputs, num_out_ch=outputs, num_feat=8, num_conv=2, upscale=upscale)
    with torch.no_grad():
        for p in net.parameters():
            p.mul_(0.5)
    torch.save(net.state_dict(), path)
    return path


@pytest.fixture(autouse=True)
def fresh_cache():
    clear_model_cache()
    yield
    clear_model_cache()


class Arch:
    name = "Fake"


class FakeDescriptor:
    architecture = Arch()

    def __init__(self, half, bf16):
        self.supports_half, self.supports_bfloat16 = half, bf16


@pytest.mark.parametrize(
    ("half", "bf16", "device", "precision", "expected"),
    [
        (True, True, "cuda:0", "fp32", "float32"),  # fp32 wins whatever the model supports
        (False, True, "cuda", "bf16", "bfloat16"),
        (True, True, "cuda:1", "fp16", "float16"),
        (True, False, "cpu", "auto", "float32"),
    ],
)
def test_precision_per_device(half, bf16, device, precision, expected):
    assert choose_dtype(FakeDescriptor(half, bf16), device, precision) is getattr(torch, expected)


@pytest.mark.parametrize(("gpu_bf16", "expected"), [(True, "bfloat16"), (False, "float32")])
def test_auto_on_cuda_takes_bf16_only_where_the_gpu_has_it(monkeypatch, gpu_bf16, expected):
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda *a, **k: gpu_bf16)
    chosen = choose_dtype(FakeDescriptor(False, True), "cuda:0", "auto")
    assert chosen is getattr(torch, expected)
    # A model that supports fp16 takes it before bf16 is considered.
    assert choose_dtype(FakeDescriptor(True, True), "cuda:0", "auto") is torch.float16


def test_fp16_is_refused_for_a_model_without_it_even_on_cuda():
    with pytest.raises(ParamError, match="^Fake does not support fp16$"):
        choose_dtype(FakeDescriptor(False, True), "cuda:0", "fp16")
    with pytest.raises(ParamError, match="fp16 inference needs a CUDA device"):
        choose_dtype(FakeDescriptor(True, True), "cpu", "fp16")
    with pytest.raises(ParamError, match="^Fake does not support bf16$"):
        choose_dtype(FakeDescriptor(True, False), "cuda:0", "bf16")


def test_the_model_cache_keeps_the_most_recently_used(tmp_path):
    a, b, c = (compact(tmp_path / f"{n}.pth", seed=i) for i, n in enumerate("abc"))
    first_a = get_model(a, "cpu", "fp32")[0]
    first_b = get_model(b, "cpu", "fp32")[0]
    assert get_model(a, "cpu", "fp32")[0] is first_a  # a is now the most recent
    get_model(c, "cpu", "fp32")  # evicts b, the least recently used
    assert len(sm._cache()) == CACHE_SIZE == 2
    assert get_model(a, "cpu", "fp32")[0] is first_a
    assert get_model(b, "cpu", "fp32")[0] is not first_b  # loaded again


def test_the_cache_key_holds_the_precision_and_the_file_version(tmp_path):
    path = compact(tmp_path / "m.pth")
    full, dtype = get_model(path, "cpu", "fp32")
    bf16_model, bdtype = get_model(path, "cpu", "bf16")
    assert dtype is torch.float32 and bdtype is torch.bfloat16 and bf16_model is not full
    assert next(bf16_model.model.parameters()).dtype is torch.bfloat16
    assert next(full.model.parameters()).dtype is torch.float32
    compact(path, upscale=2)  # replaced on disk: a different size, so a new key
    again, _ = get_model(path, "cpu", "fp32")
    assert again is not full and again.scale == 2


def test_a_grey_model_sees_luminance_and_its_output_fills_three_channels(tmp_path):
    descriptor, dtype = get_model(
        compact(tmp_path / "grey.pth", inputs=1, outputs=1), "cpu", "fp32"
    )
    pixels = scene(32, seed=5)
    out, used = infer(
        descriptor, dtype, pixels, tile=0, overlap=8, progress=no_progress, cancel=None
    )
    assert used == 32 and out.shape == (32, 32, 3)
    grey = pixels @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
    with torch.inference_mode():
        expected = descriptor.model(torch.from_numpy(grey)[None, None]).clamp(0, 1)[0, 0].numpy()
    for channel in range(3):
        np.testing.assert_allclose(out[..., channel], expected, atol=1e-5)


class Wrapped:
    """A descriptor that records the tile sides it is called with and may run out of memory."""

    def __init__(self, descriptor, *, oom_above=None, tiling=None):
        self.inner, self.oom_above, self.sizes = descriptor, oom_above, []
        self.tiling = tiling or descriptor.tiling

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def __call__(self, image):
        self.sizes.append(max(image.shape[2:]))
        if self.oom_above is not None and max(image.shape[2:]) > self.oom_above:
            raise torch.OutOfMemoryError("CUDA out of memory (simulated)")
        return self.inner(image)


def test_a_model_that_tiles_internally_gets_the_whole_image(tmp_path):
    descriptor, dtype = get_model(compact(tmp_path / "m.pth"), "cpu", "fp32")
    internal = type("Tiling", (), {"name": "INTERNAL"})()
    wrapped = Wrapped(descriptor, tiling=internal)
    out, used = infer(
        wrapped, dtype, scene(48), tile=16, overlap=4, progress=no_progress, cancel=None
    )
    assert used == 48 and wrapped.sizes == [48] and out.shape == (48, 48, 3)


@pytest.mark.parametrize(("tile", "last"), [(128, 64), (100, 100), (64, 64)])
def test_out_of_memory_stops_at_the_smallest_tile(tmp_path, tile, last):
    """Halving stops when half the side would be under 64 px: 128 is retried at 64, 100 is not."""
    descriptor, dtype = get_model(compact(tmp_path / "m.pth"), "cpu", "fp32")
    wrapped = Wrapped(descriptor, oom_above=0)
    with pytest.raises(IrisError, match=rf"^out of memory even with {last} px tiles$") as info:
        infer(wrapped, dtype, scene(128), tile=tile, overlap=0, progress=no_progress, cancel=None)
    assert isinstance(info.value.__cause__, torch.OutOfMemoryError)
    assert len(wrapped.sizes) == (2 if tile == 128 else 1)


def test_the_method_finds_the_model_in_the_models_folder_and_records_the_run(tmp_path):
    folder = tmp_path / "models"
    folder.mkdir()
    compact(folder / "tiny2x.pth", upscale=2)
    method = get_method("spandrel")
    params = {"model": "tiny2x.pth", "tile": 0, "overlap": 8}
    out = method(
        scene(32), params, progress=no_progress, cancel=None,
        context=MethodContext("cpu", extra={"models_dir": str(folder)}),
    )  # fmt: skip
    assert out.pixels.shape == (64, 64, 3)
    assert out.meta["tile"] == 512  # automatic on the CPU
    assert out.meta["overlap"] == 8 and out.meta["dtype"] == "float32"
    assert out.meta["model"]["file"] == "tiny2x.pth" and out.meta["model"]["scale"] == 2
    fixed = method(
        scene(32), {**params, "tile": 64, "precision": "bf16"}, progress=no_progress,
        cancel=None, context=MethodContext("cpu", extra={"models_dir": str(folder)}),
    )  # fmt: skip
    assert fixed.meta["tile"] == 64 and fixed.meta["dtype"] == "bfloat16"
    assert method.instance_name(params) == "spandrel:tiny2x"
    assert method.instance_name({"model": ""}) == "spandrel"
