"""The About box lists the models the worker holds and the GPU memory; the cache evicts LRU."""

from __future__ import annotations

from core.local_models.cache import CACHE, LoadedModel, loaded_models, release_models


def _hold(name: str, size: int, device: str = "cpu") -> None:
    CACHE.load(("test", name), object, LoadedModel(name, "editor", device, "float32", size))


def test_about_box_shows_loaded_models_and_vram(qtbot, tmp_path):
    from app.about import AboutDialog

    _hold("tiny-kontext", 3 * 2**20)
    dialog = AboutDialog(None)
    qtbot.addWidget(dialog)
    dialog.show()
    text = dialog.text.toPlainText()
    assert "Local models" in text and "tiny-kontext" in text and "3.0 MiB" in text
    assert "GPU memory: no GPU in use" in text
    assert "Non-Commercial" in text
    dialog.grab().save(str(tmp_path / "about.png"))
    release_models()
    fresh = AboutDialog(None)
    qtbot.addWidget(fresh)
    assert "No model loaded." in fresh.text.toPlainText()


def test_the_cache_releases_the_least_recently_used_model_first(monkeypatch):
    monkeypatch.setenv("IRIS_MODEL_CACHE", "10M")
    _hold("a", 4 * 2**20, "cuda:0")
    _hold("b", 4 * 2**20, "cuda:0")
    assert CACHE.get(("test", "a")) is not None  # a is now the most recently used
    _hold("c", 4 * 2**20, "cuda:0")
    assert [m.name for m in loaded_models()] == ["a", "c"]
    assert release_models() == 2 and loaded_models() == []


def test_the_about_box_names_every_supported_pipeline_family_with_its_licence(qtbot):
    from app.about import AboutDialog
    from core.local_models.pipelines import PIPELINES

    dialog = AboutDialog(None)
    qtbot.addWidget(dialog)
    text = " ".join(dialog.text.toPlainText().split())
    for spec in PIPELINES.values():
        family = spec.family.split("-2509")[0]  # Qwen-Image-Edit-2509/2511 is Qwen-Image-Edit's
        assert family in text, family
    assert "FLUX.2 [dev] under the FLUX [dev] Non-Commercial License" in text
    assert "9B and 9B Base under the FLUX Non-Commercial License" in text
