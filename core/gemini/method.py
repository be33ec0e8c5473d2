"""The ``gemini`` method: restore or edit an image with a Nano Banana model and a prompt."""

from __future__ import annotations

from typing import Any

from core.gemini.config import ASPECT_RATIOS, DEFAULT_IMAGE_SIZE, IMAGE_SIZES, model_ids
from core.gemini.keys import api_key
from core.imageio import encode_png, load_image
from core.jobs import check_cancelled
from core.methods.base import Method, MethodFailed, MethodOutput, Param
from core.redact import redact, redact_data


def _prompt(params: dict[str, Any], project_dir: str | None):
    from core.prompts import resolve_prompt

    if project_dir:
        from core.project import Project

        with Project.open(project_dir) as project:
            return resolve_prompt(params["prompt"], project)
    return resolve_prompt(params["prompt"])


def check(params: dict[str, Any]) -> None:
    """Fail before a run starts when no API key is configured."""
    api_key()


def run_gemini(pixels, params, *, progress, cancel, context) -> MethodOutput:
    """One edit; a multi-input step's images (``context.extra["input_images"]``) all go along."""
    from core.gemini.client import EditRequest, edit_image

    key = api_key()
    prompt = _prompt(params, context.project_dir)
    more = context.extra.get("input_images") or []
    request = EditRequest(
        model=params["model"],
        prompt=prompt.text,
        image=encode_png(pixels),
        more_images=tuple(encode_png(image) for image in more[1:]),
        image_size=params["image_size"],
        aspect_ratio=None if params["aspect_ratio"] == "auto" else params["aspect_ratio"],
        seed=None if params["seed"] < 0 else int(params["seed"]),
        temperature=None if params["temperature"] < 0 else float(params["temperature"]),
        include_thoughts=bool(params["thoughts"]),
        timeout_s=float(params["timeout_s"]),
        max_retries=int(params["retries"]),
    )
    prompt_meta = {
        "model": params["model"],
        "prompt_id": prompt.id,
        "prompt": prompt.text,
        "prompt_library": prompt.library,
        "input_count": 1 + len(more[1:]),
    }
    progress(0, 1)
    check_cancelled(cancel)
    try:
        response = edit_image(request, key, cancel=cancel)
    except MethodFailed as exc:
        exc.meta.update(prompt_meta)
        raise
    try:
        pixels_out = load_image(response.image, name=f"{params['model']} output").pixels
        drafts = [load_image(d, name="draft").pixels for d in response.drafts]
    except Exception as exc:
        meta = redact_data({**prompt_meta, **response.meta()})
        raise MethodFailed("bad-image", redact(str(exc)), meta) from None
    progress(1, 1)
    meta = {**prompt_meta, **response.meta()}
    return MethodOutput(
        pixels_out,
        meta=meta,
        thoughts=response.thoughts or None,
        drafts=drafts,
        encoded=response.image,
    )


def _instance_name(params: dict[str, Any]) -> str:
    return f"gemini:{params['model']}"


def build_method() -> Method:
    models = model_ids()
    return Method(
        name="gemini",
        kind="editor",
        title="Gemini image model (Nano Banana)",
        description="Google's Gemini image models through google-genai: an input image plus a "
        "prompt (a library id such as LF3, or text).",
        targets="any, prompt-driven",
        needs_network=True,
        params=(
            Param("model", "choice", models[0], "model id", choices=models),
            Param("prompt", "text", "LF3", "prompt id from the library, or the prompt text"),
            Param(
                "image_size",
                "choice",
                DEFAULT_IMAGE_SIZE,
                "output resolution",
                choices=IMAGE_SIZES,
            ),  # fmt: skip,
            Param("aspect_ratio", "choice", "auto", "output aspect ratio", choices=ASPECT_RATIOS),
            Param("seed", "int", -1, "seed (-1 = none)", -1, 2**31 - 1),
            Param("temperature", "float", -1.0, "temperature (-1 = model default)", -1.0, 2.0),
            Param("thoughts", "bool", True, "request thought summaries"),
            Param("timeout_s", "float", 180.0, "per-request timeout in seconds", 1.0, 3600.0),
            Param("retries", "int", 4, "retries of transient failures", 0, 10),
        ),
        run=run_gemini,
        instance_name=_instance_name,
        check=check,
    )


GEMINI = build_method()
