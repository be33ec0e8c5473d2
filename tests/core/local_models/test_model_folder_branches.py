"""Model folders are untrusted input: how a name resolves (folder, file in it, hub cache,
download only when allowed), which broken JSON is refused and where the size limit falls,
and the first missing file each folder check names, with the folder it belongs in.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.errors import IrisError
from core.local_models import model_folder as mf
from core.local_models.model_folder import (
    INDEX_BYTES,
    ModelFilesMissing,
    check_pipeline_folder,
    check_vlm_folder,
    folder_bytes,
    pipeline_class_name,
    read_json,
    resolve_model_dir,
)


def write_json(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data))
    return path


def missing(call, *args):
    """The ModelFilesMissing ``call(*args)`` raises, as (file named, folder named)."""
    with pytest.raises(ModelFilesMissing) as info:
        call(*args)
    return info.value.file_name, info.value.folder


def test_the_missing_file_message_names_model_file_folder_and_remedy(tmp_path):
    error = ModelFilesMissing("org/name", "config.json", tmp_path)
    assert (error.model, error.file_name, error.folder) == ("org/name", "config.json", tmp_path)
    assert str(error) == (
        f"model 'org/name' needs 'config.json', which is not in {tmp_path}: "
        "put it there, or allow downloads (--param allow_download=true)"
    )
    assert str(ModelFilesMissing("m", "f", "/x", "no such folder")).endswith(": no such folder")


@pytest.mark.parametrize("name", ["", "   ", None])
def test_no_name_is_refused(name):
    with pytest.raises(IrisError, match="no model folder given"):
        resolve_model_dir(name)


def test_a_folder_or_a_file_in_it_names_the_folder(tmp_path):
    index = write_json(tmp_path / "model" / "model_index.json", {})
    assert resolve_model_dir(str(tmp_path / "model")) == tmp_path / "model"
    assert resolve_model_dir(f"  {index}  ") == tmp_path / "model"  # spaces trimmed


def test_a_missing_path_that_is_no_repo_id_is_named(tmp_path):
    absent = tmp_path / "deep" / "absent"
    assert missing(resolve_model_dir, str(absent)) == ("absent", tmp_path / "deep")


def test_a_repo_id_comes_from_the_hub_cache_and_downloads_only_when_allowed(tmp_path, monkeypatch):
    import huggingface_hub

    calls = []

    def snapshot(repo_id, local_files_only):
        calls.append((repo_id, local_files_only))
        return str(tmp_path / "snapshot")

    monkeypatch.setattr(huggingface_hub, "snapshot_download", snapshot)
    monkeypatch.chdir(tmp_path)
    assert resolve_model_dir("org/model-1.5") == tmp_path / "snapshot"
    assert resolve_model_dir("org/model-1.5", allow_download=True) == tmp_path / "snapshot"
    assert calls == [("org/model-1.5", True), ("org/model-1.5", False)]


def test_a_repo_id_missing_from_the_cache_names_its_cache_folder(tmp_path, monkeypatch):
    import huggingface_hub
    from huggingface_hub import constants

    def offline(repo_id, local_files_only):
        raise OSError("not cached")

    monkeypatch.setattr(huggingface_hub, "snapshot_download", offline)
    monkeypatch.chdir(tmp_path)
    name, folder = missing(resolve_model_dir, "Org/Name")
    assert (name, folder) == (
        "the model snapshot",
        Path(constants.HF_HUB_CACHE) / "models--Org--Name",
    )
    with pytest.raises(IrisError, match=r"^cannot download 'Org/Name': OSError: not cached$"):
        resolve_model_dir("Org/Name", allow_download=True)


def test_a_relative_path_that_exists_is_not_taken_for_a_repo_id(tmp_path, monkeypatch):
    import huggingface_hub

    monkeypatch.setattr(huggingface_hub, "snapshot_download", pytest.fail)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "org").mkdir()
    (tmp_path / "org" / "model").mkdir()
    assert resolve_model_dir("org/model").resolve() == tmp_path / "org" / "model"


def test_read_json_refuses_broken_files_and_names_them(tmp_path):
    bad = tmp_path / "bad.json"
    cases = {
        b"{not json": "Expecting property name",
        b"[1, 2]": "expected a JSON object",
        b'{"a": "\xff"}': "not-utf8",
    }
    for content, reason in cases.items():
        bad.write_bytes(content)
        with pytest.raises(IrisError) as info:
            read_json(bad, "model index")
        assert str(info.value).startswith(f"{bad}: not a readable model index: ")
        assert reason in str(info.value)
    with pytest.raises(IrisError, match="not a readable VAE config: .*missing"):
        read_json(tmp_path / "absent.json", "VAE config")
    assert read_json(write_json(tmp_path / "ok.json", {"a": 1}), "x") == {"a": 1}


def test_read_json_takes_one_mebibyte_and_not_a_byte_more(tmp_path):
    path = tmp_path / "big.json"
    head = b'{"pad": "'
    tail = b'"}'
    path.write_bytes(head + b"x" * (INDEX_BYTES - len(head) - len(tail)) + tail)
    assert path.stat().st_size == INDEX_BYTES
    assert len(read_json(path, "model index")["pad"]) == INDEX_BYTES - 11
    path.write_bytes(head + b"x" * (INDEX_BYTES + 1 - len(head) - len(tail)) + tail)
    with pytest.raises(IrisError, match=rf"^{path}: not a readable model index: "):
        read_json(path, "model index")


def test_the_pipeline_class_comes_from_the_index(tmp_path):
    assert missing(pipeline_class_name, tmp_path, "my-model") == ("model_index.json", tmp_path)
    write_json(tmp_path / "model_index.json", {"_class_name": "FluxKontextPipeline"})
    assert pipeline_class_name(tmp_path) == "FluxKontextPipeline"
    write_json(tmp_path / "model_index.json", {"_diffusers_version": "0.35"})
    assert pipeline_class_name(tmp_path) == ""


INDEX = {
    "_class_name": "FluxKontextPipeline",
    "_diffusers_version": "0.35.0",
    "image_encoder": [None, None],  # an optional component left out
    "feature_extractor": [None, "CLIPImageProcessor"],
    "force_zeros_for_empty_prompt": True,  # a plain setting, not a component
    "scheduler": ["diffusers", "FlowMatchEulerDiscreteScheduler"],
    "tokenizer": ["transformers", "CLIPTokenizer"],
    "transformer": ["diffusers", "FluxTransformer2DModel"],
}


def test_a_pipeline_folder_names_its_first_missing_file_in_order(tmp_path):
    folder = tmp_path / "kontext"
    assert missing(check_pipeline_folder, folder) == ("model_index.json", folder)
    write_json(folder / "model_index.json", INDEX)
    assert missing(check_pipeline_folder, folder) == ("scheduler/", folder)
    (folder / "scheduler").mkdir()
    expected = ("scheduler/ files (FlowMatchEulerDiscreteScheduler)", folder / "scheduler")
    assert missing(check_pipeline_folder, folder) == expected
    write_json(folder / "scheduler" / "scheduler_config.json", {})
    (folder / "tokenizer").mkdir()
    (folder / "tokenizer" / "vocab.json").write_text("{}")
    assert missing(check_pipeline_folder, folder) == ("transformer/", folder)
    (folder / "transformer").mkdir()
    sub = folder / "transformer"
    assert missing(check_pipeline_folder, folder) == ("config.json", sub)
    write_json(sub / "config.json", {})
    (sub / "notes.txt").write_text("weights elsewhere")
    (sub / "shard.safetensors").mkdir()  # a folder is not a weights file
    assert missing(check_pipeline_folder, folder) == ("transformer weights (*.safetensors)", sub)
    (sub / "diffusion_pytorch_model.safetensors.index.json").write_text("{}")
    assert check_pipeline_folder(folder) == INDEX


def test_the_model_name_in_the_message_defaults_to_the_folder(tmp_path):
    with pytest.raises(ModelFilesMissing) as info:
        check_pipeline_folder(tmp_path)
    assert info.value.model == str(tmp_path)
    with pytest.raises(ModelFilesMissing) as info:
        check_pipeline_folder(tmp_path, "org/name")
    assert info.value.model == "org/name"


@pytest.mark.parametrize("weights", ["model.safetensors", "model.safetensors.index.json"])
def test_a_vlm_folder_names_its_first_missing_file(tmp_path, weights):
    assert missing(check_vlm_folder, tmp_path) == ("config.json", tmp_path)
    write_json(tmp_path / "config.json", {"model_type": "qwen2_5_vl"})
    assert missing(check_vlm_folder, tmp_path) == ("model weights (*.safetensors)", tmp_path)
    (tmp_path / weights).write_bytes(b"w")
    assert missing(check_vlm_folder, tmp_path) == ("preprocessor_config.json", tmp_path)
    write_json(tmp_path / "processor_config.json", {})  # either processor file will do
    assert check_vlm_folder(tmp_path) == {"model_type": "qwen2_5_vl"}


def test_a_vlm_folder_with_a_broken_config_is_refused(tmp_path):
    (tmp_path / "config.json").write_text("[]")
    (tmp_path / "model.safetensors").write_bytes(b"w")
    write_json(tmp_path / "preprocessor_config.json", {})
    with pytest.raises(IrisError, match="not a readable model config: expected a JSON object"):
        check_vlm_folder(tmp_path)


def test_folder_bytes_counts_weight_files_only(tmp_path):
    (tmp_path / "vae").mkdir()
    (tmp_path / "vae" / "model.safetensors").write_bytes(b"x" * 100)
    (tmp_path / "text" / "deep").mkdir(parents=True)
    (tmp_path / "text" / "deep" / "pytorch_model.bin").write_bytes(b"x" * 30)
    (tmp_path / "model.safetensors.index.json").write_bytes(b"x" * 1000)  # an index, no weights
    (tmp_path / "config.json").write_bytes(b"x" * 7)
    (tmp_path / "dir.safetensors").mkdir()
    assert folder_bytes(tmp_path) == 100  # a pickle is never loaded, so it is not counted
    assert mf.WEIGHT_SUFFIXES == (".safetensors", ".safetensors.index.json")


@pytest.mark.parametrize(
    "pickle", ["pytorch_model.bin", "model.pt", "ckpt.pth", "x.bin.index.json"]
)
def test_a_vlm_folder_with_only_pickled_weights_is_refused_naming_the_pickle(tmp_path, pickle):
    write_json(tmp_path / "config.json", {"model_type": "qwen2_5_vl"})
    (tmp_path / pickle).write_bytes(b"\x80\x04pickle")
    write_json(tmp_path / "preprocessor_config.json", {})
    with pytest.raises(ModelFilesMissing) as info:
        check_vlm_folder(tmp_path, "org/vlm")
    assert info.value.file_name == "model weights (*.safetensors)"
    assert str(info.value) == (
        f"model 'org/vlm' needs 'model weights (*.safetensors)', which is not in {tmp_path}: "
        f"{pickle} is a pickle, which IRIS does not load (it can run code); convert it to "
        "safetensors, or use the model's safetensors release"
    )


def test_a_pipeline_component_with_only_a_pickle_is_refused_naming_it(tmp_path):
    write_json(tmp_path / "model_index.json", {"vae": ["diffusers", "AutoencoderKL"]})
    write_json(tmp_path / "vae" / "config.json", {})
    (tmp_path / "vae" / "diffusion_pytorch_model.bin").write_bytes(b"p")
    with pytest.raises(ModelFilesMissing, match="diffusion_pytorch_model.bin is a pickle"):
        check_pipeline_folder(tmp_path)


@pytest.mark.parametrize(
    ("entry", "named"),
    [
        (["os", "system"], "names 'os'.'system'"),
        (["subprocess", "Popen"], "names 'subprocess'.'Popen'"),
        (["diffusers", 7], "names 'diffusers'.7"),
        (["diffusers", "AutoencoderKL", "extra"], "is not \\[library, class\\]"),
        (["transformers"], "is not \\[library, class\\]"),
    ],
)
def test_a_component_from_another_library_is_refused_before_anything_is_imported(
    tmp_path, entry, named
):
    index = write_json(tmp_path / "model_index.json", {"_class_name": "X", "vae": entry})
    with pytest.raises(IrisError, match=f"component 'vae' {named}") as info:
        check_pipeline_folder(tmp_path)
    assert str(info.value).startswith(f"{index}: ")


def test_settings_and_left_out_components_in_the_index_are_not_components(tmp_path):
    index = {"_class_name": "X", "is_distilled": True, "image_encoder": [None, None]}
    write_json(tmp_path / "model_index.json", index)
    assert check_pipeline_folder(tmp_path) == index


def test_a_hostile_component_entry_is_quoted_at_most_80_characters_a_part(tmp_path):
    long = "x" * 10_000
    (tmp_path / "model_index.json").write_text(json.dumps({long: [long, long]}))
    with pytest.raises(IrisError, match="names 'x") as error:
        mf.check_pipeline_folder(tmp_path)
    assert len(str(error.value)) < len(str(tmp_path)) + 400
