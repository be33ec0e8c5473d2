"""spandrel models built in fixtures: loading, tiling, refusal of unsafe files, caching."""

from __future__ import annotations

import pickle
import threading

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from core.errors import Cancelled  # noqa: E402
from core.imageio import encode_png  # noqa: E402
from core.jobs import no_progress  # noqa: E402
from core.methods import MethodContext, get_method  # noqa: E402
from core.methods.model_files import (  # noqa: E402
    ModelRefused,
    describe,
    list_model_files,
    load_descriptor,
)
from core.methods.runner import restore_images  # noqa: E402
from core.methods.spandrel_method import clear_model_cache, get_model, infer  # noqa: E402
from core.methods.tiling import tile_size_for, tile_starts  # noqa: E402
from tests.core.methods.synthetic import scene  # noqa: E402


def compact_state(upscale: int = 2) -> dict:
    from spandrel.architectures.Compact import Compact

    torch.manual_seed(0)
    net = Compact(num_in_ch=3, num_out_ch=3, num_feat=16, num_conv=4, upscale=upscale)
    with torch.no_grad():
        for p in net.parameters():
            p.mul_(0.5)
    return net.state_dict()


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    from safetensors.torch import save_file

    folder = tmp_path_factory.mktemp("models")
    state = compact_state(2)
    torch.save(state, folder / "compact2x.pth")
    torch.save(compact_state(1), folder / "compact1x.pth")
    save_file({k: v.contiguous() for k, v in state.items()}, folder / "compact2x.safetensors")
    from spandrel.architectures.NAFNet import NAFNet

    torch.manual_seed(1)
    naf = NAFNet(img_channel=3, width=8, middle_blk_num=1, enc_blk_nums=[1], dec_blk_nums=[1])
    torch.save(naf.state_dict(), folder / "nafnet_w8.pth")
    return folder


@pytest.fixture(autouse=True)
def fresh_cache():
    clear_model_cache()
    yield
    clear_model_cache()


def test_detects_architecture_scale_and_purpose(model_dir):
    for name in ("compact2x.pth", "compact2x.safetensors"):
        info = describe(load_descriptor(model_dir / name), model_dir / name)
        assert info["architecture"] == "RealESRGAN Compact"
        assert info["scale"] == 2 and info["purpose"] == "SR" and info["supports_half"]
    naf = describe(load_descriptor(model_dir / "nafnet_w8.pth"))
    assert naf["architecture"] == "NAFNet" and naf["scale"] == 1 and naf["purpose"] == "Restoration"
    descriptor, dtype = get_model(model_dir / "nafnet_w8.pth", "cpu", "auto")
    out, _ = infer(
        descriptor, dtype, scene(48), tile=0, overlap=16, progress=no_progress, cancel=None
    )
    assert out.shape == (48, 48, 3) and np.isfinite(out).all()


def test_method_runs_and_records_model_metadata(model_dir):
    pixels = scene(40)
    out = get_method("spandrel")(
        pixels, {"model": str(model_dir / "compact2x.safetensors")},
        progress=no_progress, cancel=None, context=MethodContext("cpu"),
    )  # fmt: skip
    assert out.pixels.shape == (80, 80, 3)
    assert out.meta["model"]["architecture"] == "RealESRGAN Compact"
    assert out.meta["dtype"] == "float32"


@pytest.mark.parametrize("name", ["compact1x.pth", "compact2x.pth"])
def test_tiled_output_matches_untiled(model_dir, name):
    descriptor, dtype = get_model(model_dir / name, "cpu", "fp32")
    pixels = scene(150, seed=2)
    whole, _ = infer(
        descriptor, dtype, pixels, tile=0, overlap=32, progress=no_progress, cancel=None
    )
    seen = []
    tiled, used = infer(
        descriptor, dtype, pixels, tile=64, overlap=32,
        progress=lambda d, t: seen.append(t), cancel=None,
    )  # fmt: skip
    assert used == 64 and max(seen) > 1, "the image was not tiled"
    assert tiled.shape == whole.shape
    assert np.abs(tiled - whole).max() < 1e-3


def test_tiles_cover_evenly():
    assert tile_starts(1024, 1024, 32) == [0]
    starts = tile_starts(1024, 512, 32)
    size = tile_size_for(1024, len(starts), 32)
    assert len(starts) == 3 and size == 363 and starts[-1] + size == 1024
    starts = tile_starts(1000, 300, 40)
    size = tile_size_for(1000, len(starts), 40)
    assert starts[0] == 0 and starts[-1] + size == 1000 and size <= 300
    assert all(b - a < size for a, b in zip(starts, starts[1:], strict=False))


def test_cancel_stops_between_tiles(model_dir):
    descriptor, dtype = get_model(model_dir / "compact2x.pth", "cpu", "fp32")
    cancel = threading.Event()
    calls = []

    def progress(done, total):
        calls.append(done)
        if done == 2:
            cancel.set()

    with pytest.raises(Cancelled):
        infer(descriptor, dtype, scene(256), tile=64, overlap=16, progress=progress, cancel=cancel)
    assert max(calls) == 2


def test_models_are_cached_per_thread(model_dir):
    first = get_model(model_dir / "compact2x.pth", "cpu", "fp32")
    assert get_model(model_dir / "compact2x.pth", "cpu", "fp32")[0] is first[0]
    other = {}
    thread = threading.Thread(
        target=lambda: other.setdefault("m", get_model(model_dir / "compact2x.pth", "cpu", "fp32"))
    )
    thread.start()
    thread.join()
    assert other["m"][0] is not first[0]


class Payload:
    """Pickles to a call of ``os.system`` that would create a marker file."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        import os

        return (os.system, (f"touch {self.marker}",))


def test_pickle_payload_is_refused_and_never_runs(tmp_path):
    marker = tmp_path / "pwned"
    evil = tmp_path / "evil.pth"
    state = compact_state(2)
    state["payload"] = Payload(marker)
    with evil.open("wb") as fh:
        torch.save(state, fh, pickle_protocol=2)
    raw = tmp_path / "raw.ckpt"
    raw.write_bytes(pickle.dumps({"w": Payload(marker)}))
    for path in (evil, raw):
        with pytest.raises(ModelRefused, match="safe loading failed") as info:
            load_descriptor(path)
        assert str(path) in str(info.value)
    assert not marker.exists(), "the pickle payload ran"


def test_torchscript_pt_and_unknown_files_are_refused(tmp_path, model_dir):
    pt = tmp_path / "model.pt"
    pt.write_bytes((model_dir / "compact2x.pth").read_bytes())
    with pytest.raises(ModelRefused, match="TorchScript"):
        load_descriptor(pt)
    junk = tmp_path / "junk.safetensors"
    junk.write_bytes(b"not a model")
    with pytest.raises(ModelRefused, match="safetensors"):
        load_descriptor(junk)
    unknown = tmp_path / "unknown.pth"
    torch.save({"just": torch.zeros(3)}, unknown)
    with pytest.raises(ModelRefused, match="does not recognise"):
        load_descriptor(unknown)


def test_models_folder_lists_files(model_dir, tmp_path):
    names = {entry["name"]: entry for entry in list_model_files(model_dir)}
    assert {"compact1x.pth", "compact2x.pth", "compact2x.safetensors", "nafnet_w8.pth"} <= set(
        names
    )
    assert all(entry["refused"] is None for entry in names.values())
    (tmp_path / "x.pt").write_bytes(b"x")
    assert list_model_files(tmp_path)[0]["refused"]


def test_runner_stores_spandrel_results_and_refusals(project, model_dir, tmp_path):
    record = project.add_image_bytes(encode_png(scene(32)), name="in", kind="imported")
    (ok,) = restore_images(
        project.path,
        [record.id],
        "spandrel",
        {"model": str(model_dir / "compact2x.pth")},
        device="cpu",
    )
    out = project.image(ok.output_image_id)
    assert (out.width, out.height) == (64, 64)
    assert out.meta["model"]["scale"] == 2
    assert any(m["name"] == "spandrel:compact2x" for m in project.methods())
    bad = tmp_path / "bad.pt"
    bad.write_bytes(b"x")
    (failed,) = restore_images(
        project.path, [record.id], "spandrel", {"model": str(bad)}, device="cpu"
    )
    assert failed.status == "failed" and "TorchScript" in failed.error


class OomAbove:
    """Wraps a descriptor; raises CUDA-style out-of-memory for tiles larger than ``limit``."""

    def __init__(self, descriptor, limit):
        self.inner, self.limit, self.sizes = descriptor, limit, []

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def __call__(self, image):
        self.sizes.append(max(image.shape[2:]))
        if max(image.shape[2:]) > self.limit:
            raise torch.OutOfMemoryError("CUDA out of memory (simulated)")
        return self.inner(image)


def test_out_of_memory_halves_the_tile(model_dir):
    descriptor, dtype = get_model(model_dir / "compact1x.pth", "cpu", "fp32")
    pixels = scene(200, seed=3)
    reference, _ = infer(
        descriptor, dtype, pixels, tile=0, overlap=32, progress=no_progress, cancel=None
    )
    wrapped = OomAbove(descriptor, limit=64)
    out, used = infer(
        wrapped, dtype, pixels, tile=256, overlap=32, progress=no_progress, cancel=None
    )
    assert used == 64 and wrapped.sizes[0] == 200
    assert np.abs(out - reference).max() < 1e-3


class FakeDescriptor:
    def __init__(self, half, bf16):
        self.supports_half, self.supports_bfloat16 = half, bf16
        self.architecture = type("Arch", (), {"name": "Fake"})()


def test_precision_choice():
    from core.methods import ParamError
    from core.methods.spandrel_method import choose_dtype

    assert choose_dtype(FakeDescriptor(True, True), "cpu", "auto") is torch.float32
    assert choose_dtype(FakeDescriptor(True, True), "cuda:0", "auto") is torch.float16
    assert choose_dtype(FakeDescriptor(False, False), "cuda:0", "auto") is torch.float32
    assert choose_dtype(FakeDescriptor(True, True), "cpu", "bf16") is torch.bfloat16
    with pytest.raises(ParamError, match="CUDA"):
        choose_dtype(FakeDescriptor(True, True), "cpu", "fp16")
    with pytest.raises(ParamError, match="does not support bf16"):
        choose_dtype(FakeDescriptor(True, False), "cpu", "bf16")


@pytest.mark.gpu
def test_fp16_on_cuda_matches_fp32(model_dir):
    pixels = scene(300, seed=4)
    full, dtype32 = get_model(model_dir / "compact2x.pth", "cuda:0", "fp32")
    half, dtype16 = get_model(model_dir / "compact2x.pth", "cuda:0", "auto")
    assert dtype16 is torch.float16
    a, _ = infer(full, dtype32, pixels, tile=128, overlap=32, progress=no_progress, cancel=None)
    b, _ = infer(half, dtype16, pixels, tile=128, overlap=32, progress=no_progress, cancel=None)
    assert np.abs(a - b).max() < 2e-2


def test_cli_restore_with_a_model_file(model_dir, tmp_path, capsys):
    import json

    from app.cli import main
    from core.imageio import save_png

    save_png(tmp_path / "small.png", scene(32))
    project = tmp_path / "p"
    code = main(["restore", "--project", str(project), "--method", "spandrel", "--model",
                 str(model_dir / "compact2x.safetensors"), "--device", "cpu", str(tmp_path / "small.png")])  # fmt: skip
    assert code == 1  # the project does not exist yet
    main(["new", str(project)])
    capsys.readouterr()
    code = main(["restore", "--project", str(project), "--method", "spandrel", "--model",
                 str(model_dir / "compact2x.safetensors"), "--device", "cpu", str(tmp_path / "small.png")])  # fmt: skip
    (line,) = capsys.readouterr().out.splitlines()
    result = json.loads(line)
    assert code == 0 and result["status"] == "ok" and result["device"] == "cpu"
