"""Where metric weights live, and failing fast (naming the file) when one is missing offline.

pyiqa downloads weights on first use into ``<torch hub dir>/pyiqa`` (its
``load_file_from_url``), torchvision backbones into ``<torch hub
dir>/checkpoints`` and CLIP/timm models through the Hugging Face hub. Offline,
each of those retries the network for minutes. IRIS points all three at one
weights folder and, unless downloads are allowed:

1. before a metric is built, checks the files its pyiqa architecture declares
   (``default_model_urls``) and raises :class:`WeightsMissing` naming the file
   and the folder to put it in;
2. while it is built, replaces the download functions with one that raises the
   same error at once, and switches the Hugging Face hub to offline mode, so a
   file the pre-check could not foresee fails just as fast.

Core reads the folder and the download permission from its arguments or from
``IRIS_WEIGHTS_DIR`` and ``IRIS_ALLOW_DOWNLOADS`` (the GUI sets them from its settings).
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlparse

from core.errors import IrisError
from core.metrics.catalogue import NO_WEIGHTS, SHIPPED_FILES, default_configs, pyiqa_dir
from resources import resource_path

WEIGHTS_DIR_ENV = "IRIS_WEIGHTS_DIR"
ALLOW_DOWNLOADS_ENV = "IRIS_ALLOW_DOWNLOADS"
HF_BASE = "https://huggingface.co/chaofengc/IQA-PyTorch-Weights/resolve/main"
_OPTION_KEYS = ("model_name", "model_type", "pretrained", "train_dataset", "regressor_dataset")


class WeightsMissing(IrisError):
    """A metric needs a file that is not in the weights folder and may not be downloaded."""

    def __init__(self, metric: str, file_name: str, folder: Path, url: str = "") -> None:
        self.metric, self.file_name, self.folder, self.url = metric, file_name, folder, url
        source = f" (download it from {url})" if url else ""
        super().__init__(
            f"metric {metric!r} needs the weights file {file_name!r}, which is not in {folder}: "
            f"put it there{source}, or allow downloads in Settings (IRIS_ALLOW_DOWNLOADS=1)"
        )


_HUB_ERRORS = {"LocalEntryNotFoundError", "OfflineModeIsEnabled", "EntryNotFoundError"}


def as_weights_error(
    metric: str, exc: BaseException, config: WeightsConfig
) -> WeightsMissing | None:
    """A Hugging Face hub "not in the local cache" error, said as a missing weights file."""
    names = {cls.__name__ for cls in type(exc).__mro__}
    if not names & _HUB_ERRORS:
        return None
    match = re.search(r"([\w.-]+/[\w.-]+)", str(exc))
    what = match.group(1) if match else "a Hugging Face hub model"
    return WeightsMissing(metric, what, config.folder / "huggingface")


@dataclass(frozen=True)
class WeightsConfig:
    """The weights folder and whether metrics may download what they miss."""

    folder: Path
    allow_downloads: bool = False

    @property
    def pyiqa_dir(self) -> Path:
        return self.folder / "pyiqa"

    @classmethod
    def from_env(cls) -> WeightsConfig:
        """From ``IRIS_WEIGHTS_DIR`` / ``IRIS_ALLOW_DOWNLOADS``; default: IRIS's data folder."""
        folder = os.environ.get(WEIGHTS_DIR_ENV)
        if folder:
            root = Path(folder).expanduser()
        else:
            from core.paths import user_data_dir

            root = user_data_dir() / "weights"
        allow = os.environ.get(ALLOW_DOWNLOADS_ENV, "").strip().lower() in ("1", "true", "yes")
        return cls(root, allow)


def shipped_file(metric: str) -> Path | None:
    """The parameter file IRIS ships for ``metric`` (BRISQUE, NIQE), if any."""
    name = SHIPPED_FILES.get(metric)
    return resource_path("metrics", name) if name else None


_URL_ENTRY = re.compile(
    r"""['"]([^'"]+)['"]\s*:\s*(?:get_url_from_name\(\s*(?:name\s*=\s*)?['"]([^'"]+)['"]"""
    r"""|['"](https?://[^'"]+)['"])"""
)


def _arch_source(arch_type: str) -> str:
    """The source of the pyiqa module defining ``arch_type`` (read, not imported: no torch)."""
    folder = pyiqa_dir() / "archs"
    stem = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", arch_type))
    for name in (arch_type, arch_type.lower(), stem.lower()):
        path = folder / f"{name}_arch.py"
        if path.is_file():
            return path.read_text(encoding="utf-8")
    pattern = re.compile(rf"^class {re.escape(arch_type)}\b", re.MULTILINE)
    for path in sorted(folder.glob("*_arch.py")):
        text = path.read_text(encoding="utf-8")
        if pattern.search(text):
            return text
    return ""


def _declared(source: str) -> dict[str, str]:
    """``default_model_urls`` of an arch module's source: key -> file name or URL."""
    start = source.find("default_model_urls = {")
    if start < 0:
        return {}
    block = source[start : source.find("\n}", start)]
    return {m.group(1): m.group(2) or m.group(3) for m in _URL_ENTRY.finditer(block)}


def declared_files(metric: str) -> list[str]:
    """The files pyiqa's architecture declares (``default_model_urls``) for ``metric``."""
    if metric in NO_WEIGHTS or metric in SHIPPED_FILES:
        return []
    opts = default_configs()[metric]["metric_opts"]
    urls = _declared(_arch_source(opts["type"]))
    wanted = [str(opts[k]) for k in _OPTION_KEYS if isinstance(opts.get(k), str)]
    if "net" in opts:
        wanted.append(f"{opts.get('version', '0.1')}_{opts['net']}")
    wanted += [metric, metric.replace("-", "_"), opts["type"]]
    found = [urls[key] for key in dict.fromkeys(wanted) if key in urls]
    if not found and "url" in urls:
        found = [urls["url"]]
    return [file_name_of(item) if "://" in item else quote(item) for item in found]


def file_name_of(url: str) -> str:
    """The file name pyiqa's ``load_file_from_url`` saves ``url`` under."""
    return os.path.basename(urlparse(url).path)


def check_weights(metric: str, config: WeightsConfig) -> None:
    """Raise :class:`WeightsMissing` for the first declared file not in the weights folder."""
    if config.allow_downloads:
        return
    for name in declared_files(metric):
        if not (config.pyiqa_dir / name).is_file():
            raise WeightsMissing(metric, name, config.pyiqa_dir, f"{HF_BASE}/{name}")


@contextlib.contextmanager
def weights_environment(metric: str, config: WeightsConfig) -> Iterator[None]:
    """Point pyiqa, torch hub and the HF hub at the weights folder while ``metric`` is built."""
    import urllib.request

    import pyiqa.utils.download_util as download_util
    import torch.hub

    config.pyiqa_dir.mkdir(parents=True, exist_ok=True)

    def refuse(url: str, dst: str, *args, **kwargs) -> None:
        raise WeightsMissing(metric, os.path.basename(dst), Path(dst).parent, url)

    def refuse_open(url, *args, **kwargs):  # CLIP's own downloader (into <folder>/clip)
        text = getattr(url, "full_url", url)
        raise WeightsMissing(metric, file_name_of(text), config.folder / "clip", text)

    saved = {
        "cache": download_util.DEFAULT_CACHE_DIR,
        "pyiqa_dl": download_util.download_url_to_file,
        "hub_dl": torch.hub.download_url_to_file,
        "hub_dir": torch.hub.get_dir(),
        "urlopen": urllib.request.urlopen,
    }
    hf_offline = None
    offline_env = {
        name: os.environ.get(name) for name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")
    }
    os.environ.setdefault("HF_HOME", str(config.folder / "huggingface"))
    constants = sys.modules.get("huggingface_hub.constants")
    download_util.DEFAULT_CACHE_DIR = str(config.pyiqa_dir)
    torch.hub.set_dir(str(config.folder))
    if not config.allow_downloads:
        download_util.download_url_to_file = refuse
        torch.hub.download_url_to_file = refuse
        urllib.request.urlopen = refuse_open
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        if constants is not None:
            hf_offline = constants.HF_HUB_OFFLINE
            constants.HF_HUB_OFFLINE = True
    try:
        yield
    finally:
        download_util.DEFAULT_CACHE_DIR = saved["cache"]
        download_util.download_url_to_file = saved["pyiqa_dl"]
        torch.hub.download_url_to_file = saved["hub_dl"]
        torch.hub.set_dir(saved["hub_dir"])
        urllib.request.urlopen = saved["urlopen"]
        for name, value in offline_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        loaded = sys.modules.get("huggingface_hub.constants")
        if loaded is not None and not config.allow_downloads:
            # imported while offline was forced (timm, transformers): undo that too
            if hf_offline is None:
                hf_offline = (offline_env["HF_HUB_OFFLINE"] or "").lower() in ("1", "true", "yes")
            loaded.HF_HUB_OFFLINE = hf_offline
