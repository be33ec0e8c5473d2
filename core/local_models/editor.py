"""The ``diffusers`` method: edit an image with a local open editor (FLUX, Qwen, LongCat).

The model is a diffusers folder (or a Hugging Face cache entry) whose
``model_index.json`` names a pipeline class listed in :mod:`.pipelines`. It is
checked before the run starts (:func:`check`: the missing file and folder named),
loaded once on the compute worker and kept in the LRU cache (:mod:`.cache`).
Each denoising step reports progress and checks cancel (:mod:`.step_hooks`).
The seed is drawn when not given and recorded with every result. On CUDA
out-of-memory the edit is tried again with model offload, then sequential
offload; if that fails too, the result says which model, at what size, with how
much free memory.
"""

from __future__ import annotations

import secrets
import threading
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from core.errors import Cancelled, IrisError
from core.jobs import ProgressFn, check_cancelled
from core.local_models.availability import EDITOR_PACKAGES, require, unavailable_reason
from core.local_models.cache import CACHE, LoadedModel, gpu_memory, release_memory
from core.local_models.model_folder import (
    check_pipeline_folder,
    folder_bytes,
    pipeline_class_name,
    resolve_model_dir,
)
from core.local_models.pipelines import PipelineSpec, pipeline_spec
from core.local_models.precision import DTYPES, dtype_name, torch_dtype
from core.local_models.quiet import quiet_model_libraries
from core.local_models.sizing import SIZE_POLICIES, output_size
from core.local_models.step_hooks import STEP_HOOKS
from core.methods.base import Method, MethodFailed, MethodOutput, Param
from core.methods.memory import available_memory, format_size, is_out_of_memory

OFFLOAD_MODES = ("none", "model", "sequential")
SEED_MAX = 2**31 - 1


def check(params: dict[str, Any]) -> tuple[Path, PipelineSpec]:
    """Fail before a run starts: the extra missing, no folder, a missing file, a wrong class."""
    require(EDITOR_PACKAGES, "local diffusion editors")
    folder = resolve_model_dir(params["model_dir"], allow_download=bool(params["allow_download"]))
    spec = pipeline_spec(pipeline_class_name(folder, params["model_dir"]))
    check_pipeline_folder(folder, params["model_dir"])
    return folder, spec


def load_pipeline(folder: Path, spec: PipelineSpec, dtype, device: str, offload: str):
    """The pipeline of ``folder`` on ``device`` in ``dtype``, from the cache or loaded now."""
    index = folder / "model_index.json"
    key = (
        "editor",
        str(folder),
        index.stat().st_mtime_ns,
        spec.class_name,
        str(dtype),
        device,
        offload,
    )
    info = LoadedModel(folder.name, "editor", device, dtype_name(dtype), folder_bytes(folder))

    def loader():
        quiet_model_libraries()
        import diffusers

        pipe = getattr(diffusers, spec.class_name).from_pretrained(
            str(folder), dtype=dtype, local_files_only=True, use_safetensors=True
        )
        if offload != "none" and device.startswith("cuda"):
            enable = {
                "model": pipe.enable_model_cpu_offload,
                "sequential": pipe.enable_sequential_cpu_offload,
            }
            enable[offload](device=device)
        else:
            pipe.to(device)
        pipe.set_progress_bar_config(disable=True)
        return pipe

    return CACHE.load(key, loader, info)


def to_pil(pixels: np.ndarray):
    """Canonical float pixels as the 8-bit RGB PIL image editing pipelines expect."""
    from PIL import Image

    values = np.clip(np.rint(np.asarray(pixels)[..., :3] * 255.0), 0, 255).astype(np.uint8)
    return Image.fromarray(values, "RGB")


class Edit(NamedTuple):
    """An edit's pixels at the asked size, and the (width, height) the pipeline rendered."""

    pixels: np.ndarray
    rendered: tuple[int, int]


def edit(
    pipe,
    spec: PipelineSpec,
    pixels: np.ndarray,
    prompt: str,
    *,
    steps: int,
    guidance: float,
    seed: int,
    width: int,
    height: int,
    negative_prompt: str = "",
    progress: ProgressFn,
    cancel: threading.Event | None,
) -> Edit:
    """One edit through ``pipe``: float pixels in, float pixels of ``width`` x ``height`` out.

    A pipeline that renders a size of its own (no width/height arguments) has its output
    resized to the asked size; :attr:`Edit.rendered` says what it rendered.
    """
    import torch

    image = to_pil(pixels)

    def on_step(index: int) -> None:
        progress(index + 1, steps)
        check_cancelled(cancel)  # raised here, the pipeline stops before its next step

    kwargs: dict[str, Any] = {spec.guidance_arg: guidance, **spec.call_kwargs(width, height)}
    if spec.negative_prompt is not None and guidance > 1.0:
        kwargs["negative_prompt"] = negative_prompt or spec.negative_prompt
    check_cancelled(cancel)
    with torch.inference_mode(), STEP_HOOKS[spec.step_hook](pipe, on_step) as step_kwargs:
        out = pipe(
            image=[image] if spec.image_as_list else image,
            prompt=prompt,
            num_inference_steps=steps,
            generator=torch.Generator("cpu").manual_seed(seed),
            output_type="np",
            **step_kwargs,
            **kwargs,
        )
    result = np.asarray(out.images[0], dtype=np.float32)
    rendered = (result.shape[1], result.shape[0])
    if rendered != (width, height):
        from core.degrade.ops import resize

        shrink = rendered[0] * rendered[1] > width * height
        result = resize(result, width, height, "area" if shrink else "lanczos")
    return Edit(result, rendered)


def _prompt(text: str, project_dir: str | None):
    from core.prompts import resolve_prompt

    if project_dir:
        from core.project import Project

        with Project.open(project_dir) as project:
            return resolve_prompt(text, project)
    return resolve_prompt(text)


def _memory_text(device: str) -> str:
    memory = gpu_memory(device)
    if memory is not None:
        return f"{format_size(memory[0])} free of {format_size(memory[1])} on {device}"
    found = available_memory()
    return (
        f"{format_size(found.bytes)} available ({found.source})" if found else "free memory unknown"
    )


def run_diffusers(pixels, params, *, progress, cancel, context) -> MethodOutput:
    folder, spec = check(params)
    device = context.device if params["device"] == "run" else params["device"]
    dtype = torch_dtype(params["dtype"], device)
    prompt = _prompt(params["prompt"], context.project_dir)
    seed = int(params["seed"]) if params["seed"] >= 0 else secrets.randbelow(SEED_MAX)
    height, width = pixels.shape[:2]
    out_w, out_h = output_size(width, height, params["image_size"], _grid(folder, spec))
    default_steps, default_guidance = spec.defaults(_index(folder))  # distilled or base
    steps = int(params["steps"]) or default_steps
    guidance = float(params["guidance"]) if params["guidance"] >= 0 else default_guidance
    meta: dict[str, Any] = {
        "model": params["model_dir"],
        "pipeline": spec.class_name,
        "family": spec.family,
        "licence": spec.licence,
        "prompt_id": prompt.id,
        "prompt": prompt.text,
        "prompt_library": prompt.library,
        "seed": seed,
        "steps": steps,
        "guidance": guidance,
        "dtype": dtype_name(dtype),
        "device": device,
        "width": out_w,
        "height": out_h,
    }
    modes = _retry_modes(params["offload"], device)
    for attempt, offload in enumerate(modes):
        try:
            pipe = load_pipeline(folder, spec, dtype, device, offload)
            result = edit(
                pipe, spec, pixels, prompt.text, steps=steps, guidance=guidance, seed=seed,
                width=out_w, height=out_h, negative_prompt=params["negative_prompt"],
                progress=progress, cancel=cancel,
            )  # fmt: skip
        except Cancelled:
            raise
        except Exception as exc:
            if not is_out_of_memory(exc):
                raise
            CACHE.release(lambda key: key[:2] == ("editor", str(folder)))
            release_memory()
            if attempt + 1 < len(modes):
                continue
            detail = (
                f"{spec.family} ({params['model_dir']}) at {out_w}x{out_h} ran out of memory "
                f"with {offload} offload in {dtype_name(dtype)}; {_memory_text(device)}"
            )
            raise MethodFailed("out-of-memory", detail, {**meta, "offload": offload}) from None
        meta["offload"] = offload if device.startswith("cuda") else "none"
        if result.rendered != (out_w, out_h):  # resized from the size the pipeline chose
            meta["rendered_width"], meta["rendered_height"] = result.rendered
        return MethodOutput(result.pixels, meta=meta)
    raise AssertionError("unreachable: at least one offload mode is tried")


def _retry_modes(offload: str, device: str) -> list[str]:
    """The offload modes to try in order: the asked one, then lower-memory ones on CUDA."""
    if not device.startswith("cuda"):
        return [offload]
    return list(OFFLOAD_MODES[OFFLOAD_MODES.index(offload) :])


def _index(folder: Path) -> dict:
    """The folder's ``model_index.json`` (its ``is_distilled`` picks a pipeline's defaults)."""
    from core.local_models.model_folder import INDEX_FILE, read_json

    return read_json(folder / INDEX_FILE, "model index")


def _grid(folder: Path, spec: PipelineSpec) -> int:
    """The multiple output sides snap to: the model's grid, or 1 when IRIS resizes the output."""
    return _multiple(folder) if spec.size_args else 1


def _multiple(folder: Path) -> int:
    """Output sides are multiples of twice the VAE's downscale (the transformer's 2x2 patches)."""
    from core.local_models.model_folder import read_json

    config_path = folder / "vae" / "config.json"
    config = read_json(config_path, "VAE config") if config_path.is_file() else {}
    if "temperal_downsample" in config:  # Qwen-Image's VAE: 2 ** stages
        return 2 ** _stages(config, "temperal_downsample", config_path) * 2
    if not config.get("block_out_channels"):
        return 16  # the usual 8x VAE
    return 2 ** (_stages(config, "block_out_channels", config_path) - 1) * 2


def _stages(config: dict, key: str, path: Path) -> int:
    """The length of the list ``config[key]``: a VAE has 1 to 8 stages, anything else is refused."""
    value = config[key]
    if not isinstance(value, list) or not 1 <= len(value) <= 8:
        raise IrisError(f"{path}: {key} is not a list of 1 to 8 stages: {str(value)[:80]}")
    return len(value)


def _instance_name(params: dict[str, Any]) -> str:
    name = Path(str(params.get("model_dir") or "").rstrip("/")).name
    return f"diffusers:{name}" if name else "diffusers"


def build_method() -> Method:
    """The method; without the extra its title says so (and :func:`check` refuses to run)."""
    missing = unavailable_reason(EDITOR_PACKAGES)
    title = "Local diffusion editor (diffusers)" + (f" [{missing}]" if missing else "")
    return Method(
        name="diffusers",
        kind="model",
        title=title,
        description="An open image editor run locally through diffusers (FLUX.1 Kontext, "
        "Qwen-Image-Edit and its 2509/2511 versions, FLUX.2 [dev] and [klein], "
        "LongCat-Image-Edit) from a model "
        "folder or the Hugging Face cache, with a prompt (a library id such as LF3, or text).",
        targets="any, prompt-driven",
        params=(
            Param(
                "model_dir",
                "path",
                "",
                "model folder (or its model_index.json), or org/name in the HF cache",
            ),
            Param("prompt", "text", "LF3", "prompt id from the library, or the prompt text"),
            Param(
                "negative_prompt",
                "str",
                "",
                "negative prompt (CFG pipelines: Qwen-Image-Edit, LongCat)",
            ),
            Param("steps", "int", 0, "denoising steps (0 = the pipeline's default)", 0, 500),
            Param(
                "guidance",
                "float",
                -1.0,
                "guidance scale (-1 = the pipeline's default)",
                -1.0,
                50.0,
            ),
            Param("seed", "int", -1, "seed (-1 = drawn and recorded)", -1, SEED_MAX),
            Param(
                "image_size",
                "choice",
                "input",
                "output size: the input's, or longest side 1K/2K/4K",
                choices=SIZE_POLICIES,
            ),
            Param(
                "dtype",
                "choice",
                "auto",
                "auto = bf16 (or fp16) on CUDA, fp32 on the CPU",
                choices=DTYPES,
            ),
            Param(
                "device", "choice", "run", "run = the run's device", choices=("run", "cpu", "cuda")
            ),
            Param("offload", "choice", "none", "CPU offload for small GPUs", choices=OFFLOAD_MODES),
            Param("allow_download", "bool", False, "download a repo id missing from the HF cache"),
        ),  # fmt: skip
        run=run_diffusers,
        instance_name=_instance_name,
        check=lambda params: None if check(params) else None,
    )


DIFFUSERS = build_method()
