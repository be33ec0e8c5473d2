"""The registry of methods: one line per method, imported on first use."""

from __future__ import annotations

from core.methods.base import Method
from core.registry import Registry

METHODS: Registry[Method] = Registry("method")

METHODS.register_lazy("nlmeans", "core.methods.classical_denoise:NLMEANS", kind="classical")
METHODS.register_lazy("bilateral", "core.methods.classical_denoise:BILATERAL", kind="classical")
METHODS.register_lazy(
    "jpeg_deblock", "core.methods.classical_denoise:JPEG_DEBLOCK", kind="classical"
)
METHODS.register_lazy("unsharp", "core.methods.classical_deblur:UNSHARP", kind="classical")
METHODS.register_lazy("deconvolve", "core.methods.classical_deblur:DECONVOLVE", kind="classical")
METHODS.register_lazy("clahe", "core.methods.classical_light:CLAHE", kind="classical")
METHODS.register_lazy("gamma", "core.methods.classical_light:GAMMA", kind="classical")
METHODS.register_lazy("dehaze", "core.methods.classical_light:DEHAZE", kind="classical")
METHODS.register_lazy("spandrel", "core.methods.spandrel_method:SPANDREL", kind="model")
METHODS.register_lazy("gemini", "core.gemini.method:GEMINI", kind="editor")
METHODS.register_lazy("diffusers", "core.local_models.editor:DIFFUSERS", kind="model")
METHODS.register_lazy(
    "generation-loss", "core.iterate.generation_loss:GENERATION_LOSS", kind="classical"
)


def get_method(name: str) -> Method:
    """The method called ``name``; unknown names raise a RegistryError listing the known ones."""
    return METHODS.get(name)


def method_names() -> list[str]:
    return METHODS.names()
