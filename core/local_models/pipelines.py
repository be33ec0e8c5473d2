"""The diffusers image-editing pipelines IRIS runs, and what each needs to be called well.

One entry per pipeline class: the family it belongs to, its licence, the GPU
memory its published weights need (bf16, estimated from the parameter counts
of the transformer and text encoders; not measured by IRIS), the name of its guidance argument and how the
input image is passed. A folder's ``model_index.json`` names its class; an
unlisted class is refused with the list of supported ones.

Steps and guidance default to the model card's example. A class whose step-distilled
checkpoints say so in ``model_index.json`` (``is_distilled``: FLUX.2 [klein]) has their
defaults as well, so one class serves both its base and its distilled models.

How each class is made to deliver an edit of the asked size: most take ``width`` and
``height``; ``LongCatImageEditPipeline`` takes neither and renders about 1 MP at the
input's aspect ratio, so its output is resized to the asked size (the size it rendered
is recorded with the result). Progress and cancel use ``callback_on_step_end`` where the
class has it, else the scheduler's step (:mod:`.step_hooks`).

Image-editing pipelines of the installed diffusers left out, and why:
``JoyImageEditPipeline`` always renders one of its own ~1 MP aspect-ratio buckets
(``find_best_bucket`` replaces the width and height it is given, and the input is
centre-cropped to it), so the edit could not keep the input's framing.
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
    guidance_arg: str  # "guidance_scale" (distilled guidance or CFG) or "true_cfg_scale" (CFG)
    default_guidance: float
    default_steps: int
    image_as_list: bool = False
    extra_call: tuple[tuple[str, object], ...] = ()
    distilled_defaults: tuple[int, float] | None = None  # (steps, guidance) if is_distilled
    area_arg: str | None = None  # an argument capping the pixel area, pinned to width x height
    size_args: bool = True  # False: no width/height; the output is resized to the asked size
    step_hook: str = "callback"  # a key of step_hooks.STEP_HOOKS
    negative_prompt: str | None = None  # the default negative prompt, if the class takes one

    def defaults(self, index: dict) -> tuple[int, float]:
        """(steps, guidance) for the model whose ``model_index.json`` is ``index``."""
        if self.distilled_defaults is not None and index.get("is_distilled") is True:
            return self.distilled_defaults
        return self.default_steps, self.default_guidance

    def call_kwargs(self, width: int, height: int) -> dict:
        """Arguments that pin the output size to ``width`` x ``height`` for this class."""
        out = {"width": width, "height": height} if self.size_args else {}
        for key, value in self.extra_call:
            out[key] = value
        if self.area_arg is not None:  # the pipeline would rescale to its own area otherwise
            out[self.area_arg] = width * height
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
            area_arg="max_area",
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
            negative_prompt=" ",  # true CFG runs only when a negative prompt is given
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
            negative_prompt=" ",
        ),
        PipelineSpec(
            "flux2-dev",
            "Flux2Pipeline",
            "FLUX.2 [dev]",
            "FLUX [dev] Non-Commercial License (FLUX.2 [dev]); not for commercial use",
            "about 112 GB in bf16 (about 64 GB with model offload); estimated from the 32B "
            "transformer and the 24B Mistral Small 3.1 text encoder",
            "guidance_scale",  # embedded (distilled) guidance: no negative prompt
            4.0,
            50,  # the model card's example; it notes 28 steps as a good trade-off
        ),
        PipelineSpec(
            "flux2-klein",
            "Flux2KleinPipeline",
            "FLUX.2 [klein]",
            "Apache-2.0 (FLUX.2 [klein] 4B and 4B Base); FLUX Non-Commercial License "
            "(FLUX.2 [klein] 9B and 9B Base; not for commercial use)",
            "4B: about 16 GB in bf16 (about 8 GB with model offload); 9B: about 34 GB (about "
            "18 GB with model offload); estimated from the 4B/9B transformer and the "
            "Qwen3-4B/8B text encoder",
            "guidance_scale",  # CFG on the base models, ignored by the step-distilled ones
            4.0,
            50,  # the Base model cards' example
            distilled_defaults=(4, 1.0),  # the distilled model cards' example
        ),
        PipelineSpec(
            "longcat-image-edit",
            "LongCatImageEditPipeline",
            "LongCat-Image-Edit",
            "Apache-2.0",
            "about 29 GB in bf16 (about 17 GB with model offload); estimated from the 6B "
            "transformer and the Qwen2.5-VL-7B text encoder",
            "guidance_scale",  # CFG (a second transformer pass) when above 1
            4.5,
            50,  # the model card's example (guidance 4.5, 50 steps, negative prompt "")
            size_args=False,  # renders ~1 MP at the input's aspect ratio
            step_hook="scheduler",  # no callback_on_step_end
            negative_prompt="",
        ),
    )  # fmt: skip
}


def pipeline_spec(class_name: str) -> PipelineSpec:
    """The spec of a pipeline class; an unsupported class names the supported ones."""
    spec = PIPELINES.get(class_name)
    if spec is None:
        known = ", ".join(PIPELINES)  # in the registry's (and the README table's) order
        raise IrisError(
            f"diffusers pipeline {class_name or '(none)'!r} is not an editing pipeline IRIS "
            f"runs; supported: {known}"
        )
    return spec
