"""Finding a local model folder (or a Hugging Face cache entry) and checking it before loading.

A model is named by a folder path, a file inside it (``model_index.json``, as a
file chooser returns) or a Hugging Face repo id (``org/name``) already in the
hub cache. Nothing is downloaded unless the caller allows it. Before any
weights are read, :func:`check_pipeline_folder` / :func:`check_vlm_folder` name
the first missing file and the folder it belongs in (the style of pyiqa's
weights check, :mod:`core.metrics.weights`), so an incomplete copy fails at once.

A model folder is untrusted input. Weights are read from safetensors files only
(a ``.bin``/``.pt`` file is a pickle, which can run code when loaded), and a
pipeline's components may only name classes of diffusers and transformers:
diffusers imports whatever module ``model_index.json`` names.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from core.errors import IrisError
from core.files import FileReadError, decode_text, read_bounded

INDEX_FILE = "model_index.json"
INDEX_BYTES = 1024 * 1024
WEIGHT_SUFFIXES = (".safetensors", ".safetensors.index.json")
PICKLE_SUFFIXES = (".bin", ".bin.index.json", ".pt", ".pth", ".ckpt", ".pkl")
COMPONENT_LIBRARIES = ("diffusers", "transformers")
# Components that hold no weights (tokenizers, schedulers, processors).
_NO_WEIGHTS = re.compile(r"Tokenizer|Scheduler|Processor|FeatureExtractor", re.IGNORECASE)
_REPO_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")


class ModelFilesMissing(IrisError):
    """A model folder lacks a file it needs (and downloading was not allowed)."""

    def __init__(self, model: str, file_name: str, folder: Path | str, hint: str = "") -> None:
        self.model, self.file_name, self.folder = model, file_name, Path(folder)
        tail = hint or "put it there, or allow downloads (--param allow_download=true)"
        super().__init__(f"model {model!r} needs {file_name!r}, which is not in {folder}: {tail}")


def resolve_model_dir(name: str, *, allow_download: bool = False) -> Path:
    """The folder ``name`` refers to: a path (or a file in it) or a repo id in the HF cache."""
    text = (name or "").strip()
    if not text:
        raise IrisError("no model folder given (set model_dir to a folder or an org/name repo id)")
    path = Path(text).expanduser()
    if path.is_file():
        return path.parent
    if path.is_dir():
        return path
    if _REPO_ID.match(text) and not path.exists():
        return _from_hub_cache(text, allow_download)
    raise ModelFilesMissing(text, path.name or text, path.parent, "no such folder")


def _from_hub_cache(repo_id: str, allow_download: bool) -> Path:
    from huggingface_hub import constants, snapshot_download

    try:
        return Path(snapshot_download(repo_id, local_files_only=not allow_download))
    except Exception as exc:  # LocalEntryNotFoundError, OfflineModeIsEnabled, HTTP errors
        if allow_download:
            raise IrisError(f"cannot download {repo_id!r}: {type(exc).__name__}: {exc}") from exc
        folder = Path(constants.HF_HUB_CACHE) / f"models--{repo_id.replace('/', '--')}"
        raise ModelFilesMissing(repo_id, "the model snapshot", folder) from None


def read_json(path: Path, what: str) -> dict:
    """A small JSON file read bounded; a broken one is an IrisError naming it."""
    try:
        data = json.loads(decode_text(read_bounded(path, INDEX_BYTES), str(path)))
    except (FileReadError, ValueError) as exc:
        raise IrisError(f"{path}: not a readable {what}: {exc}") from None
    if not isinstance(data, dict):
        raise IrisError(f"{path}: not a readable {what}: expected a JSON object")
    return data


def _has_weights(folder: Path) -> bool:
    return any(p.name.endswith(WEIGHT_SUFFIXES) for p in folder.iterdir() if p.is_file())


def _missing_weights(model: str, what: str, folder: Path) -> ModelFilesMissing:
    """The error for a folder without safetensors weights; a pickle found there is named."""
    pickles = sorted(
        p.name for p in folder.iterdir() if p.is_file() and p.name.endswith(PICKLE_SUFFIXES)
    )
    hint = (
        f"{pickles[0]} is a pickle, which IRIS does not load (it can run code); convert it to "
        "safetensors, or use the model's safetensors release"
        if pickles
        else ""
    )
    return ModelFilesMissing(model, f"{what} (*.safetensors)", folder, hint)


def pipeline_class_name(folder: Path, model: str = "") -> str:
    """The ``_class_name`` a diffusers folder's ``model_index.json`` declares."""
    index = folder / INDEX_FILE
    if not index.is_file():
        raise ModelFilesMissing(model or str(folder), INDEX_FILE, folder)
    return str(read_json(index, "model index").get("_class_name", ""))


def check_pipeline_folder(folder: Path, model: str = "") -> dict:
    """Raise for the first missing file of a diffusers pipeline folder; returns its index."""
    model = model or str(folder)
    index_path = folder / INDEX_FILE
    if not index_path.is_file():
        raise ModelFilesMissing(model, INDEX_FILE, folder)
    index = read_json(index_path, "model index")
    for component, entry in index.items():
        if component.startswith("_") or not isinstance(entry, list):
            continue  # a setting such as is_distilled, not a component
        if len(entry) != 2:
            raise IrisError(
                f"{index_path}: component {repr(component)[:80]} is not [library, class]"
            )
        library, class_name = entry
        if library is None or class_name is None:  # an optional component left out
            continue
        if library not in COMPONENT_LIBRARIES or not isinstance(class_name, str):
            raise IrisError(
                f"{index_path}: component {repr(component)[:80]} names {repr(library)[:80]}."
                f"{repr(class_name)[:80]}; IRIS "
                f"loads pipeline components from {' and '.join(COMPONENT_LIBRARIES)} only"
            )
        sub = folder / component
        if not sub.is_dir():
            raise ModelFilesMissing(model, f"{component}/", folder)
        if _NO_WEIGHTS.search(str(class_name)):
            if not any(sub.iterdir()):
                raise ModelFilesMissing(model, f"{component}/ files ({class_name})", sub)
            continue
        if not (sub / "config.json").is_file():
            raise ModelFilesMissing(model, "config.json", sub)
        if not _has_weights(sub):
            raise _missing_weights(model, f"{component} weights", sub)
    return index


def check_vlm_folder(folder: Path, model: str = "") -> dict:
    """Raise for the first missing file of a transformers VLM folder; returns its config."""
    model = model or str(folder)
    config = folder / "config.json"
    if not config.is_file():
        raise ModelFilesMissing(model, "config.json", folder)
    if not _has_weights(folder):
        raise _missing_weights(model, "model weights", folder)
    processors = ("preprocessor_config.json", "processor_config.json")
    if not any((folder / name).is_file() for name in processors):
        raise ModelFilesMissing(model, "preprocessor_config.json", folder)
    return read_json(config, "model config")


def folder_bytes(folder: Path) -> int:
    """The size of the weight files under ``folder`` (an estimate of the memory it needs)."""
    return sum(
        p.stat().st_size
        for p in folder.rglob("*")
        if p.is_file() and p.name.endswith(WEIGHT_SUFFIXES[0])
    )
