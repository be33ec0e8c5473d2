"""A local vision-language model through transformers: one image and a prompt in, text out.

Any chat VLM transformers loads with ``AutoModelForImageTextToText`` and an
``AutoProcessor`` with an image processor (Qwen2.5-VL, Qwen3-VL and their
fine-tunes such as VisualQuality-R1). :func:`ask` is the entrance the judges
call (``core/metrics/judges.py``): the model folder is checked first (the
missing file named), loaded once on the compute worker into the LRU cache, and
generation stops between tokens when ``cancel`` is set.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from core.errors import IrisError
from core.jobs import check_cancelled
from core.local_models.availability import VLM_PACKAGES, require
from core.local_models.cache import CACHE, LoadedModel
from core.local_models.model_folder import check_vlm_folder, folder_bytes, resolve_model_dir
from core.local_models.precision import dtype_name, torch_dtype
from core.local_models.quiet import quiet_model_libraries

IMAGE_MIMES = ("image/png", "image/jpeg", "image/webp", "image/tiff", "image/bmp")
MAX_NEW_TOKENS = 1024


class VlmSession:
    """A loaded model and its processor; :meth:`chat` runs one conversation turn."""

    def __init__(self, model, processor, device: str) -> None:
        self.model, self.processor, self.device = model, processor, device

    def chat(
        self,
        prompt: str,
        images: list[Any],
        *,
        cancel: threading.Event | None = None,
        max_new_tokens: int = MAX_NEW_TOKENS,
        sample: bool = False,
        seed: int = 0,
    ) -> str:
        """The model's answer to ``prompt`` about ``images`` (PIL images), special tokens dropped."""
        import torch
        from transformers import StoppingCriteria, StoppingCriteriaList

        class StopOnCancel(StoppingCriteria):
            def __call__(self, input_ids, scores, **kwargs):
                return torch.full(
                    (input_ids.shape[0],), bool(cancel and cancel.is_set()), dtype=torch.bool
                )

        content = [{"type": "image"} for _ in images] + [{"type": "text", "text": prompt}]
        messages = [{"role": "user", "content": content}]
        text = self.processor.apply_chat_template(
            messages, add_generation_prompt=True, tokenize=False
        )
        inputs = self.processor(
            text=[text], images=images or None, return_tensors="pt", padding=True
        ).to(self.device)
        check_cancelled(cancel)
        options: dict[str, Any] = {"do_sample": sample, "max_new_tokens": max_new_tokens}
        if sample:
            torch.manual_seed(seed)
            options.update(top_k=50, top_p=1.0)
        with torch.inference_mode():
            output = self.model.generate(
                **inputs, stopping_criteria=StoppingCriteriaList([StopOnCancel()]), **options
            )
        check_cancelled(cancel)
        new_tokens = output[:, inputs["input_ids"].shape[1] :]
        return self.processor.batch_decode(
            new_tokens, skip_special_tokens=True, clean_up_tokenization_spaces=False
        )[0]


def load_vlm(
    model_dir: str, *, device: str = "auto", dtype: str = "auto", allow_download: bool = False
) -> VlmSession:
    """The model of ``model_dir`` on ``device``, from the cache or loaded after the file check."""
    require(VLM_PACKAGES, "local vision-language models")
    from core.device import resolve_device

    folder = resolve_model_dir(model_dir, allow_download=allow_download)
    check_vlm_folder(folder, model_dir)
    device_name = resolve_device(device).name
    torch_type = torch_dtype(dtype, device_name)
    stamp = (folder / "config.json").stat().st_mtime_ns
    key = ("vlm", str(folder), stamp, str(torch_type), device_name)
    info = LoadedModel(
        Path(model_dir).name or model_dir, "vlm", device_name, dtype_name(torch_type),
        folder_bytes(folder),
    )  # fmt: skip

    def loader() -> VlmSession:
        quiet_model_libraries()
        from transformers import AutoModelForImageTextToText, AutoProcessor

        processor = AutoProcessor.from_pretrained(str(folder), local_files_only=True)
        if getattr(processor, "image_processor", None) is None:
            raise IrisError(f"{folder}: the processor has no image processor (not a VLM)")
        tokenizer = getattr(processor, "tokenizer", None)
        if tokenizer is not None:
            tokenizer.padding_side = "left"
        model = AutoModelForImageTextToText.from_pretrained(
            str(folder), dtype=torch_type, local_files_only=True, use_safetensors=True
        )
        return VlmSession(model.to(device_name).eval(), processor, device_name)

    return CACHE.load(key, loader, info)


def decode_image(image: bytes, mime: str):
    """The bytes of an image as an RGB PIL image, through IRIS's one checked decoder."""
    from core.imageio import load_image
    from core.local_models.editor import to_pil

    if mime and not mime.startswith("image/"):
        raise IrisError(f"a VLM takes images, not {mime!r}")
    loaded = load_image(image, name=f"VLM input ({mime or 'image'})")
    return to_pil(loaded.pixels)


def ask(
    model_dir: str,
    prompt: str,
    image: bytes | None,
    mime: str,
    cancel: threading.Event | None,
    *,
    device: str = "auto",
    dtype: str = "auto",
    max_new_tokens: int = MAX_NEW_TOKENS,
) -> str:
    """The answer of the VLM in ``model_dir`` to ``prompt`` (about ``image`` when given).

    Raises :class:`core.errors.Cancelled` when ``cancel`` is set (checked before
    and after generating, and between generated tokens).
    """
    if not prompt.strip():
        raise IrisError("an empty prompt was given to the VLM")
    check_cancelled(cancel)
    session = load_vlm(model_dir, device=device, dtype=dtype)
    images = [decode_image(image, mime)] if image is not None else []
    return session.chat(prompt, images, cancel=cancel, max_new_tokens=max_new_tokens)
