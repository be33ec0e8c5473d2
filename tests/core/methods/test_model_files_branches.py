"""Model files are untrusted input: which files are listed, found, refused and why.

Pins the models folder default, the listing (recursive, case-insensitive suffixes,
refusal notes), name lookup in the models folder, every refusal of
``load_state_dict`` / ``load_descriptor`` with its exact reason and the file named,
and what ``describe`` reports. Models are tiny spandrel Compact nets with random weights.
"""

from __future__ import annotations

import os
import pickle

import pytest

torch = pytest.importorskip("torch")

from core.errors import IrisError  # noqa: E402
from core.methods.model_files import (  # noqa: E402
    REFUSED_SUFFIXES,
    ModelRefused,
    default_models_dir,
    describe,
    list_model_files,
    load_descriptor,
    load_state_dict,
    resolve_model_path,
)


def compact(path, *, inputs=3, outputs=3, upscale=1, feat=8, convs=2):
    """Save a tiny random Compact state dict to ``path``; returns the state dict."""
    from spandrel.architectures.Compact import Compact

    torch.manual_seed(0)
    state = Compact(
        num_in_ch=inputs, num_out_ch=outputs, num_feat=feat, num_conv=convs, upscale=upscale
    ).state_dict()
    torch.save(state, path)
    return state


def refusal(path):
    """The ModelRefused raised by loading ``path``, checked to name the file."""
    with pytest.raises(ModelRefused) as info:
        load_descriptor(path)
    error = info.value
    assert error.path == str(path)
    assert str(error) == f"{path}: model refused ({error.reason})"
    return error.reason


class SystemCall:
    """Pickles to a call of ``os.system`` that would create a marker file."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def test_the_default_models_folder_is_weights_in_the_user_data_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("IRIS_DATA_DIR", str(tmp_path / "data"))
    assert default_models_dir() == tmp_path / "data" / "weights"


def test_listing_without_a_folder_is_empty(tmp_path):
    a_file = tmp_path / "model.pth"
    a_file.write_bytes(b"x")
    assert list_model_files(None) == []
    assert list_model_files("") == []
    assert list_model_files(tmp_path / "missing") == []
    assert list_model_files(a_file) == []  # a file is not a folder


def test_listing_is_recursive_sorted_case_blind_and_notes_refusals(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "b.pth").write_bytes(b"12345")
    (tmp_path / "c.SAFETENSORS").write_bytes(b"1")
    (tmp_path / "x.onnx").write_bytes(b"123")
    (tmp_path / "y.bin").write_bytes(b"")
    (tmp_path / "notes.txt").write_bytes(b"not a model")
    (tmp_path / "README").write_bytes(b"no suffix")
    (tmp_path / "folder.pth").mkdir()  # a folder named like a model is not listed
    found = list_model_files(tmp_path)
    assert [entry["name"] for entry in found] == ["b.pth", "c.SAFETENSORS", "x.onnx", "y.bin"]
    assert found[0] == {
        "path": str(tmp_path / "a" / "b.pth"),
        "name": "b.pth",
        "bytes": 5,
        "refused": None,
    }
    assert [entry["bytes"] for entry in found] == [5, 1, 3, 0]
    assert found[1]["refused"] is None
    assert found[2]["refused"] == REFUSED_SUFFIXES[".onnx"]
    assert found[3]["refused"] == REFUSED_SUFFIXES[".bin"]


def test_a_model_is_a_path_or_a_name_in_the_models_folder(tmp_path, monkeypatch):
    folder = tmp_path / "models"
    (folder / "deep" / "er").mkdir(parents=True)
    (folder / "top.pth").write_bytes(b"t")
    (folder / "deep" / "er" / "nested.safetensors").write_bytes(b"n")
    here = tmp_path / "cwd"
    here.mkdir()
    (here / "local.pth").write_bytes(b"l")
    monkeypatch.chdir(here)
    assert resolve_model_path("local.pth", folder) == (here / "local.pth").resolve()
    assert resolve_model_path(str(here / "local.pth")) == (here / "local.pth").resolve()
    assert resolve_model_path("top.pth", folder) == (folder / "top.pth").resolve()
    assert (
        resolve_model_path("nested.safetensors", str(folder))
        == (folder / "deep" / "er" / "nested.safetensors").resolve()
    )


def test_without_a_models_folder_the_default_one_is_searched(tmp_path, monkeypatch):
    monkeypatch.setenv("IRIS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    weights = tmp_path / "data" / "weights"
    weights.mkdir(parents=True)
    (weights / "default.pth").write_bytes(b"d")
    assert resolve_model_path("default.pth") == (weights / "default.pth").resolve()
    with pytest.raises(IrisError, match=rf"absent\.pth: no such model file .*{weights}\)$"):
        resolve_model_path("absent.pth")


def test_a_missing_model_names_itself_and_the_folder_searched(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(IrisError, match=r"needs a model file \(--model FILE\)"):
        resolve_model_path("", tmp_path)
    folder = tmp_path / "models"
    (folder / "dir.pth").mkdir(parents=True)  # a folder of that name is not the model
    for model, models_dir in (("dir.pth", folder), ("gone.pth", tmp_path / "no-such-folder")):
        with pytest.raises(IrisError) as info:
            resolve_model_path(model, models_dir)
        assert str(info.value) == (
            f"{model}: no such model file (looked in the current folder and {models_dir})"
        )


@pytest.mark.parametrize("suffix", [".pt", ".PT", ".bin", ".onnx"])
def test_refused_suffixes_are_refused_whatever_the_file_holds(tmp_path, suffix):
    path = tmp_path / f"model{suffix}"
    compact(path)  # a valid state dict: the suffix alone refuses it
    assert refusal(path) == REFUSED_SUFFIXES[suffix.lower()]
    assert "TorchScript" in REFUSED_SUFFIXES[".pt"] and "execute code" in REFUSED_SUFFIXES[".pt"]


def test_unknown_suffixes_and_missing_files_are_refused_before_reading(tmp_path):
    assert refusal(tmp_path / "weights.txt") == "unknown model file type .txt"
    assert refusal(tmp_path / "weights") == "unknown model file type (none)"
    assert refusal(tmp_path / "gone.pth") == "no such file"
    (tmp_path / "folder.ckpt").mkdir()
    assert refusal(tmp_path / "folder.ckpt") == "no such file"


def test_an_empty_or_truncated_checkpoint_is_refused_with_the_first_line_of_the_error(tmp_path):
    empty = tmp_path / "empty.pth"
    empty.write_bytes(b"")
    assert refusal(empty) == "safe loading failed: EOFError"  # EOFError has no message
    good = tmp_path / "good.pth"
    compact(good)
    truncated = tmp_path / "truncated.ckpt"
    truncated.write_bytes(good.read_bytes()[:200])
    reason = refusal(truncated)
    assert reason.startswith("safe loading failed: PytorchStreamReader failed reading zip archive")
    assert "\n" not in reason


def test_a_pickled_system_call_is_reported_as_code_and_never_runs(tmp_path):
    marker = tmp_path / "pwned"
    evil = tmp_path / "evil.pth"
    with evil.open("wb") as fh:
        torch.save({"w": torch.zeros(1), "x": SystemCall(marker)}, fh, pickle_protocol=2)
    plain = tmp_path / "plain.ckpt"
    plain.write_bytes(pickle.dumps({"x": SystemCall(marker)}, protocol=2))
    for path in (evil, plain):
        reason = refusal(path)
        assert reason.startswith("safe loading failed, the file holds code: ")
        assert "GLOBAL" in reason and "system" in reason
    assert not marker.exists(), "the pickle payload ran"


@pytest.mark.parametrize(
    ("value", "kind"), [([torch.zeros(2)], "list"), (torch.zeros(2), "Tensor"), (3, "int")]
)
def test_a_checkpoint_that_is_not_a_state_dict_is_refused(tmp_path, value, kind):
    path = tmp_path / "other.pth"
    torch.save(value, path)
    assert refusal(path) == f"expected a state dict, found {kind}"


def test_safetensors_load_only_when_valid(tmp_path):
    from safetensors.torch import save_file

    state = compact(tmp_path / "c.pth")
    good = tmp_path / "c.safetensors"
    save_file({k: v.contiguous() for k, v in state.items()}, good)
    loaded = load_state_dict(good)
    assert set(loaded) == set(state)
    assert all(torch.equal(loaded[k], state[k]) for k in state)
    broken = tmp_path / "broken.safetensors"
    broken.write_bytes(good.read_bytes()[:-10])
    assert refusal(broken).startswith("not a valid safetensors file: ")


def test_a_known_architecture_with_a_wrong_tensor_shape_is_refused(tmp_path):
    state = compact(tmp_path / "ok.pth", feat=16, convs=4)
    state["body.4.weight"] = torch.zeros(16, 8, 3, 3)
    bad = tmp_path / "bad.pth"
    torch.save(state, bad)
    reason = refusal(bad)
    assert reason.startswith("spandrel could not build the model: ")
    assert "size mismatch for body.4.weight" in reason


def test_an_unknown_architecture_is_refused(tmp_path):
    path = tmp_path / "unknown.pth"
    torch.save({"just": torch.zeros(3)}, path)
    assert refusal(path) == "spandrel does not recognise this architecture"


@pytest.mark.parametrize(("inputs", "outputs"), [(4, 3), (3, 4), (2, 1)])
def test_models_that_are_not_1_or_3_channels_are_refused(tmp_path, inputs, outputs):
    path = tmp_path / f"c{inputs}{outputs}.pth"
    compact(path, inputs=inputs, outputs=outputs)
    assert refusal(path) == f"{inputs}->{outputs} channels; IRIS runs 1- or 3-channel models"


@pytest.mark.parametrize(("inputs", "outputs"), [(1, 1), (1, 3), (3, 1)])
def test_1_and_3_channel_models_load_in_eval_mode(tmp_path, inputs, outputs):
    path = tmp_path / f"c{inputs}{outputs}.pth"
    compact(path, inputs=inputs, outputs=outputs)
    descriptor = load_descriptor(path)
    assert (descriptor.input_channels, descriptor.output_channels) == (inputs, outputs)
    assert not descriptor.model.training


def test_an_inpainting_model_is_refused(tmp_path, monkeypatch):
    """LaMa (spandrel's inpainter) is 27M weights; its masked descriptor stands in around a 1x1 conv."""
    import spandrel
    from spandrel import MaskedImageModelDescriptor, SizeRequirements
    from spandrel.architectures.LaMa import LaMaArch

    def masked(_loader, _state):
        net = torch.nn.Conv2d(4, 3, 1)
        return MaskedImageModelDescriptor(
            net, net.state_dict(), architecture=LaMaArch(), purpose="Inpainting", tags=[],
            supports_half=False, supports_bfloat16=True, input_channels=3, output_channels=3,
            size_requirements=SizeRequirements(minimum=16, multiple_of=8),
        )  # fmt: skip

    monkeypatch.setattr(spandrel.ModelLoader, "load_from_state_dict", masked)
    path = tmp_path / "lama.pth"
    compact(path)
    assert refusal(path) == "Inpainting models (with masks) are not restorers"


def test_describe_reports_what_the_file_is(tmp_path):
    path = tmp_path / "compact2x.pth"
    state = compact(path, upscale=2)
    info = describe(load_descriptor(path), path)
    assert info == {
        "architecture": "RealESRGAN Compact",
        "architecture_id": "Compact",
        "purpose": "SR",
        "scale": 2,
        "input_channels": 3,
        "output_channels": 3,
        "supports_half": True,
        "supports_bfloat16": True,
        "tiling": "supported",
        "tags": ["8nf", "2nc"],  # Compact's tags: features and convolutions
        "parameters": sum(t.numel() for t in state.values()),
        "file": "compact2x.pth",
        "file_bytes": path.stat().st_size,
    }
    assert "file" not in describe(load_descriptor(path))
