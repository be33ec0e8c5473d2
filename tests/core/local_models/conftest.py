"""Tiny local models built once per session in a temporary folder (never downloaded)."""

from __future__ import annotations

import os

import pytest

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"


@pytest.fixture(scope="session")
def kontext_dir(tmp_path_factory):
    from tests.core.local_models.tiny_models import tiny_flux_kontext

    return tiny_flux_kontext(tmp_path_factory.mktemp("models") / "tiny-kontext")


@pytest.fixture(scope="session")
def qwen_edit_dirs(tmp_path_factory):
    from tests.core.local_models.tiny_models import tiny_qwen_edit

    root = tmp_path_factory.mktemp("models")
    return {
        "QwenImageEditPipeline": tiny_qwen_edit(root / "tiny-qwen-edit", plus=False),
        "QwenImageEditPlusPipeline": tiny_qwen_edit(root / "tiny-qwen-edit-plus", plus=True),
    }


@pytest.fixture(scope="session")
def flux2_dirs(tmp_path_factory):
    """FLUX.2 [dev] and [klein] (base, and step-distilled) folders, by the name tests use."""
    from tests.core.local_models.tiny_models import tiny_flux2, tiny_flux2_klein

    root = tmp_path_factory.mktemp("models")
    return {
        "Flux2Pipeline": tiny_flux2(root / "tiny-flux2-dev"),
        "Flux2KleinPipeline": tiny_flux2_klein(root / "tiny-flux2-klein-base"),
        "distilled": tiny_flux2_klein(root / "tiny-flux2-klein", distilled=True),
    }


@pytest.fixture(scope="session")
def longcat_dir(tmp_path_factory):
    from tests.core.local_models.tiny_models import tiny_longcat_edit

    return tiny_longcat_edit(tmp_path_factory.mktemp("models") / "tiny-longcat-edit")


@pytest.fixture(scope="session")
def vlm_dir(tmp_path_factory):
    from tests.core.local_models.tiny_models import tiny_vlm

    return tiny_vlm(tmp_path_factory.mktemp("models") / "tiny-qwen2.5-vl")


@pytest.fixture(autouse=True)
def fresh_model_cache():
    """Each test starts and ends with no local model loaded."""
    from core.local_models.cache import release_models

    release_models()
    yield
    release_models()
