"""The VLM entrance's refusals and the loader's checks, without loading a model: an empty
prompt and a non-image input are refused before anything loads, a processor with no image
processor is not a VLM, the tokenizer pads on the left, and nothing is downloaded.

The transformers loaders are stand-ins here; the tiny real Qwen2.5-VL runs in test_vlm.py.
"""

from __future__ import annotations

import json
import threading
from types import SimpleNamespace

import numpy as np
import pytest

from core.errors import Cancelled, IrisError
from core.imageio import encode_png
from core.local_models import vlm
from core.local_models.cache import CACHE, LoadedModel

torch = pytest.importorskip("torch")

PNG = encode_png(np.random.default_rng(3).random((12, 20, 3)).astype(np.float32))


@pytest.fixture
def folder(tmp_path):
    """A folder that passes the VLM file check (its contents are never parsed as weights)."""
    path = tmp_path / "mini-vlm"
    path.mkdir()
    (path / "config.json").write_text(json.dumps({"model_type": "qwen2_5_vl"}))
    (path / "model.safetensors").write_bytes(b"x" * 25)
    (path / "preprocessor_config.json").write_text("{}")
    return path


class FakeModel:
    def __init__(self):
        self.placed = None
        self.evaluated = False

    def to(self, device):
        self.placed = device
        return self

    def eval(self):
        self.evaluated = True
        return self


@pytest.fixture
def loaders(monkeypatch):
    """Stand-in transformers loaders; set ``loaders.processor`` before loading."""
    import transformers

    state = SimpleNamespace(processor=None, asked=[], model=FakeModel())

    def processor(path, **kwargs):
        state.asked.append(("processor", path, kwargs))
        return state.processor

    def model(path, **kwargs):
        state.asked.append(("model", path, kwargs))
        return state.model

    monkeypatch.setattr(transformers.AutoProcessor, "from_pretrained", processor)
    monkeypatch.setattr(transformers.AutoModelForImageTextToText, "from_pretrained", model)
    return state


@pytest.mark.parametrize("prompt", ["", "  \n\t"])
def test_an_empty_prompt_is_refused_before_anything_loads(tmp_path, prompt):
    with pytest.raises(IrisError, match="^an empty prompt was given to the VLM$"):
        vlm.ask(str(tmp_path / "no-such-model"), prompt, PNG, "image/png", None)


def test_cancel_before_asking_loads_nothing(tmp_path):
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(Cancelled):
        vlm.ask(str(tmp_path / "no-such-model"), "Rate it.", None, "", cancel)


@pytest.mark.parametrize("mime", ["application/pdf", "text/plain", "imagex/png"])
def test_a_non_image_input_is_refused_by_its_mime_type(mime):
    with pytest.raises(IrisError) as info:
        vlm.decode_image(PNG, mime)
    assert str(info.value) == f"a VLM takes images, not {mime!r}"


@pytest.mark.parametrize("mime", ["image/png", "", "image/jpeg"])
def test_an_image_decodes_to_rgb_through_the_checked_decoder(mime):
    image = vlm.decode_image(PNG, mime)  # the decoder reads the bytes, not the stated type
    assert image.mode == "RGB" and image.size == (20, 12)


def test_undecodable_bytes_are_refused_and_named():
    with pytest.raises(IrisError, match=r"VLM input \(image/png\)"):
        vlm.decode_image(b"not an image at all", "image/png")


def test_a_processor_without_an_image_processor_is_not_a_vlm(folder, loaders):
    loaders.processor = SimpleNamespace(tokenizer=SimpleNamespace(padding_side="right"))
    with pytest.raises(IrisError) as info:
        vlm.load_vlm(str(folder), device="cpu")
    assert str(info.value) == f"{folder}: the processor has no image processor (not a VLM)"
    assert [kind for kind, *_ in loaders.asked] == ["processor"]  # the model never loads
    assert CACHE.loaded() == []


def test_the_loader_pads_left_reads_local_files_only_and_caches(folder, loaders):
    tokenizer = SimpleNamespace(padding_side="right")
    loaders.processor = SimpleNamespace(image_processor=object(), tokenizer=tokenizer)
    session = vlm.load_vlm(str(folder), device="cpu", dtype="fp32")
    assert tokenizer.padding_side == "left"  # batched generation continues at the right end
    assert session.processor is loaders.processor and session.device == "cpu"
    assert session.model is loaders.model and loaders.model.placed == "cpu"
    assert loaders.model.evaluated
    assert loaders.asked == [
        ("processor", str(folder), {"local_files_only": True}),
        (
            "model",
            str(folder),
            {"dtype": torch.float32, "local_files_only": True, "use_safetensors": True},
        ),
    ]
    assert vlm.load_vlm(str(folder), device="cpu", dtype="fp32") is session
    assert len(loaders.asked) == 2
    assert CACHE.loaded() == [LoadedModel("mini-vlm", "vlm", "cpu", "float32", 25)]


def test_an_image_processor_alone_is_enough(folder, loaders):
    loaders.processor = SimpleNamespace(image_processor=object())
    session = vlm.load_vlm(str(folder), device="cpu", dtype="bf16")
    assert session.processor is loaders.processor
    assert loaders.asked[1][2]["dtype"] is torch.bfloat16
