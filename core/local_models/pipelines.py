"""The diffusers image-editing pipelines IRIS runs, and what each needs to be called well.

One entry per pipeline class: the family it belongs to, its licence, the GPU
memory its published weights need (bf16, estimated from the parameter counts
of the transformer and text encoders; not measured by IRIS), the name of its guidance argument and how the
input image is passed. A folder's ``model_index.json`` names its class; an
unlisted class is refused with the list of supported ones.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.errors import IrisError


@dataclass(frozen=True)
class PipelineSpec:
    """How IRIS calls one diffusers editing pipeline class."""

    name: str
    class_name: str
    family: str
    licence: str
    gpu_memory: str
    guidance_arg: str  # "guidance_scale" (distilled guidance) or "true_cfg_scale" (CFG)
    default_guidance: float
    default_steps: int
    image_as_list: bool = False
    extra_call: tuple[tuple[str, object], ...] = ()

    def call_kwargs(self, width: int, height: int) -> dict:
        """Arguments that pin the output size to ``width`` x ``height`` for this class."""
        out = {"width": width, "height": height}
        for key, value in self.extra_call:
            out[key] = value
        if self.class_name == "FluxKontextPipeline":  # it rescales to max_area otherwise
            out["max_area"] = width * height
        return out


PIPELINES: dict[str, PipelineSpec] = {
    spec.class_name: spec
    for spec in (
        PipelineSpec(
            "flux-kontext",
            "FluxKontextPipeline",
            "FLUX.1 Kontext",
            "FLUX.1 [dev] Non-Commercial License (Kontext [dev]); not for commercial use",
            "about 33 GB in bf16 (24 GB with model offload)",
            "guidance_scale",
            2.5,
            28,
            extra_call=(("_auto_resize", False),),
        ),
        PipelineSpec(
            "qwen-image-edit",
            "QwenImageEditPipeline",
            "Qwen-Image-Edit",
            "Apache-2.0",
            "about 58 GB in bf16 (about 42 GB with model offload)",
            "true_cfg_scale",
            4.0,
            50,
        ),
        PipelineSpec(
            "qwen-image-edit-plus",
            "QwenImageEditPlusPipeline",
            "Qwen-Image-Edit-2509/2511",
            "Apache-2.0",
            "about 58 GB in bf16 (about 42 GB with model offload)",
            "true_cfg_scale",
            4.0,
            40,
            image_as_list=True,
        ),
    )  # fmt: skip
}


def pipeline_spec(class_name: str) -> PipelineSpec:
    """The spec of a pipeline class; an unsupported class names the supported ones."""
    spec = PIPELINES.get(class_name)
    if spec is None:
        known = ", ".join(sorted(PIPELINES))
        raise IrisError(
            f"diffusers pipeline {class_name or '(none)'!r} is not an editing pipeline IRIS "
            f"runs; supported: {known}"
        )
    return spec
