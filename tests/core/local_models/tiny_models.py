"""Tiny random diffusers pipelines and a tiny VLM built from configs, saved to a folder.

The real pipeline and model classes with a few thousand random weights (as
diffusers' and transformers' own tests build them); nothing is downloaded:
tokenizers are built from their minimal vocabularies.
"""

from __future__ import annotations

from pathlib import Path


def tiny_flux_kontext(folder: Path) -> Path:
    """A FluxKontextPipeline with one transformer block of each kind, saved to ``folder``."""
    import torch
    from diffusers import (
        AutoencoderKL,
        FlowMatchEulerDiscreteScheduler,
        FluxKontextPipeline,
        FluxTransformer2DModel,
    )
    from transformers import (
        CLIPTextConfig,
        CLIPTextModel,
        CLIPTokenizer,
        T5Config,
        T5EncoderModel,
        T5Tokenizer,
    )

    torch.manual_seed(0)
    transformer = FluxTransformer2DModel(
        patch_size=1, in_channels=4, num_layers=1, num_single_layers=1, attention_head_dim=16,
        num_attention_heads=2, joint_attention_dim=32, pooled_projection_dim=32,
        axes_dims_rope=[4, 4, 8],
    )  # fmt: skip
    clip = CLIPTextModel(
        CLIPTextConfig(
            bos_token_id=0,
            eos_token_id=2,
            hidden_size=32,
            intermediate_size=37,
            layer_norm_eps=1e-05,
            num_attention_heads=4,
            num_hidden_layers=2,
            pad_token_id=1,
            vocab_size=1000,
            hidden_act="gelu",
            projection_dim=32,
        )  # fmt: skip
    )
    t5 = T5EncoderModel(
        T5Config(vocab_size=1000, d_model=32, d_kv=8, d_ff=37, num_layers=2, num_heads=4)
    )
    vae = AutoencoderKL(
        sample_size=32, in_channels=3, out_channels=3, block_out_channels=(4, 4),
        down_block_types=("DownEncoderBlock2D",) * 2, up_block_types=("UpDecoderBlock2D",) * 2,
        layers_per_block=1, latent_channels=1, norm_num_groups=1, use_quant_conv=False,
        use_post_quant_conv=False, shift_factor=0.0609, scaling_factor=1.5035,
    )  # fmt: skip
    pipe = FluxKontextPipeline(
        scheduler=FlowMatchEulerDiscreteScheduler(),
        vae=vae,
        text_encoder=clip,
        tokenizer=CLIPTokenizer(model_max_length=77),
        text_encoder_2=t5,
        tokenizer_2=T5Tokenizer(model_max_length=512),
        transformer=transformer,
    )
    pipe.save_pretrained(folder)
    return folder


QWEN_SPECIAL = (
    "<|im_start|>", "<|im_end|>", "<|vision_start|>", "<|vision_end|>", "<|image_pad|>",
    "<|video_pad|>",
)  # fmt: skip
QWEN_CHAT_TEMPLATE = (
    "{% for message in messages %}<|im_start|>{{ message['role'] }}\n"
    "{% if message['content'] is string %}{{ message['content'] }}"
    "{% else %}{% for part in message['content'] %}"
    "{% if part['type'] == 'image' %}<|vision_start|><|image_pad|><|vision_end|>"
    "{% elif part['type'] == 'text' %}{{ part['text'] }}{% endif %}{% endfor %}{% endif %}"
    "<|im_end|>\n{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)


def byte_vocab() -> dict[str, int]:
    """GPT-2's byte-to-unicode alphabet as a vocabulary: any text encodes and decodes exactly."""
    keep = [*range(ord("!"), ord("~") + 1), *range(ord("¡"), ord("¬") + 1)]
    keep += list(range(ord("®"), ord("ÿ") + 1))
    chars, extra = {}, 0
    for byte in range(256):
        if byte in keep:
            chars[byte] = chr(byte)
        else:
            chars[byte] = chr(256 + extra)
            extra += 1
    return {chars[byte]: byte for byte in range(256)}


def tiny_qwen_vl_parts():
    """A tiny Qwen2.5-VL model and its processor (tokenizer with Qwen's special tokens)."""
    import torch
    from transformers import (
        Qwen2_5_VLConfig,
        Qwen2_5_VLForConditionalGeneration,
        Qwen2Tokenizer,
        Qwen2VLImageProcessor,
        Qwen2VLProcessor,
        Qwen2VLVideoProcessor,
    )

    tokenizer = Qwen2Tokenizer(vocab=byte_vocab(), merges=[], model_max_length=1024)
    tokenizer.add_special_tokens({"additional_special_tokens": list(QWEN_SPECIAL)})
    tokenizer.chat_template = QWEN_CHAT_TEMPLATE
    ids = {token: tokenizer.convert_tokens_to_ids(token) for token in QWEN_SPECIAL}
    torch.manual_seed(0)
    config = Qwen2_5_VLConfig(
        text_config={
            "hidden_size": 16, "intermediate_size": 16, "num_hidden_layers": 2,
            "num_attention_heads": 2, "num_key_value_heads": 2, "vocab_size": len(tokenizer),
            "rope_scaling": {"mrope_section": [1, 1, 2], "rope_type": "default", "type": "default"},
            "rope_theta": 1000000.0, "eos_token_id": ids["<|im_end|>"], "bos_token_id": None,
        },
        vision_config={
            "depth": 2, "hidden_size": 16, "intermediate_size": 16, "num_heads": 2,
            "out_hidden_size": 16, "fullatt_block_indexes": [1], "window_size": 56,
        },
        image_token_id=ids["<|image_pad|>"], video_token_id=ids["<|video_pad|>"],
        vision_start_token_id=ids["<|vision_start|>"], vision_end_token_id=ids["<|vision_end|>"],
    )  # fmt: skip
    model = Qwen2_5_VLForConditionalGeneration(config)
    model.generation_config.eos_token_id = ids["<|im_end|>"]
    model.generation_config.pad_token_id = tokenizer.pad_token_id
    image_processor = Qwen2VLImageProcessor(min_pixels=28 * 28 * 4, max_pixels=28 * 28 * 16)
    processor = Qwen2VLProcessor(
        image_processor=image_processor,
        tokenizer=tokenizer,
        video_processor=Qwen2VLVideoProcessor(),
        chat_template=QWEN_CHAT_TEMPLATE,
    )
    return model, processor, tokenizer


def tiny_vlm(folder: Path) -> Path:
    """The tiny Qwen2.5-VL saved as a transformers model folder (config, weights, processor)."""
    model, processor, _tokenizer = tiny_qwen_vl_parts()
    model.save_pretrained(folder)
    processor.save_pretrained(folder)
    return folder


def tiny_qwen_edit(folder: Path, *, plus: bool = False) -> Path:
    """A QwenImageEdit(Plus)Pipeline with a one-layer transformer and the tiny Qwen2.5-VL."""
    import torch
    from diffusers import (
        AutoencoderKLQwenImage,
        FlowMatchEulerDiscreteScheduler,
        QwenImageEditPipeline,
        QwenImageEditPlusPipeline,
        QwenImageTransformer2DModel,
    )

    text_encoder, processor, tokenizer = tiny_qwen_vl_parts()
    torch.manual_seed(0)
    transformer = QwenImageTransformer2DModel(
        patch_size=2, in_channels=16, out_channels=4, num_layers=1, attention_head_dim=16,
        num_attention_heads=2, joint_attention_dim=16, guidance_embeds=False,
        axes_dims_rope=(8, 4, 4),
    )  # fmt: skip
    vae = AutoencoderKLQwenImage(
        base_dim=8, z_dim=4, dim_mult=[1, 1, 1, 1], num_res_blocks=1,
        temperal_downsample=[False, True, True], latents_mean=[0.0] * 4, latents_std=[1.0] * 4,
    )  # fmt: skip
    cls = QwenImageEditPlusPipeline if plus else QwenImageEditPipeline
    pipe = cls(
        scheduler=FlowMatchEulerDiscreteScheduler(),
        vae=vae,
        text_encoder=text_encoder,
        tokenizer=tokenizer,
        processor=processor,
        transformer=transformer,
    )
    pipe.save_pretrained(folder)
    return folder


def tiny_longcat_edit(folder: Path) -> Path:
    """A LongCatImageEditPipeline with a one-layer transformer and the tiny Qwen2.5-VL.

    Its VAE has four levels (8x, as the real one) and 16 latent channels, the number the
    pipeline hard-codes; the transformer reads them as 2x2-packed 64-channel tokens.
    """
    import torch
    from diffusers import (
        AutoencoderKL,
        FlowMatchEulerDiscreteScheduler,
        LongCatImageEditPipeline,
        LongCatImageTransformer2DModel,
    )

    text_encoder, processor, tokenizer = tiny_qwen_vl_parts()
    torch.manual_seed(0)
    transformer = LongCatImageTransformer2DModel(
        patch_size=1, in_channels=64, num_layers=1, num_single_layers=1, attention_head_dim=16,
        num_attention_heads=2, joint_attention_dim=16, pooled_projection_dim=16,
        axes_dims_rope=[4, 6, 6],
    )  # fmt: skip
    vae = AutoencoderKL(
        block_out_channels=[4] * 4, in_channels=3, out_channels=3, latent_channels=16,
        down_block_types=["DownEncoderBlock2D"] * 4, up_block_types=["UpDecoderBlock2D"] * 4,
        norm_num_groups=2, layers_per_block=1, shift_factor=0.0, scaling_factor=1.0,
    )  # fmt: skip
    pipe = LongCatImageEditPipeline(
        scheduler=FlowMatchEulerDiscreteScheduler(),
        vae=vae,
        text_encoder=text_encoder,
        tokenizer=tokenizer,
        text_processor=processor,
        transformer=transformer,
    )
    pipe.save_pretrained(folder)
    return folder


MISTRAL_SPECIAL = (
    "<unk>", "<s>", "</s>", "<pad>", "[INST]", "[/INST]", "[SYSTEM_PROMPT]", "[/SYSTEM_PROMPT]",
    "[IMG]", "[IMG_BREAK]", "[IMG_END]",
)  # fmt: skip
# Mistral Small 3.1's chat layout (system prompt, [INST] turns, [IMG] for an image part).
MISTRAL_CHAT_TEMPLATE = (
    "{{ bos_token }}{% for message in messages %}"
    "{% if message['content'] is string %}{% set parts = [{'type': 'text', "
    "'text': message['content']}] %}{% else %}{% set parts = message['content'] %}{% endif %}"
    "{% if message['role'] == 'system' %}[SYSTEM_PROMPT]"
    "{% elif message['role'] == 'user' %}[INST]{% endif %}"
    "{% for part in parts %}{% if part['type'] == 'text' %}{{ part['text'] }}"
    "{% elif part['type'] == 'image' %}[IMG]{% endif %}{% endfor %}"
    "{% if message['role'] == 'system' %}[/SYSTEM_PROMPT]"
    "{% elif message['role'] == 'user' %}[/INST]{% else %}{{ eos_token }}{% endif %}{% endfor %}"
)
# Qwen3's chat layout, with the empty thinking block ``enable_thinking=False`` asks for.
QWEN3_CHAT_TEMPLATE = (
    "{% for message in messages %}<|im_start|>{{ message['role'] }}\n{{ message['content'] }}"
    "<|im_end|>\n{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n"
    "{% if enable_thinking is defined and enable_thinking is false %}<think>\n\n</think>\n\n"
    "{% endif %}{% endif %}"
)


def tiny_pixtral_processor():
    """A PixtralProcessor (FLUX.2 [dev]'s tokenizer) over a byte-level BPE with Mistral's tokens."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers
    from transformers import PixtralImageProcessor, PixtralProcessor, PreTrainedTokenizerFast

    vocab = {token: index for index, token in enumerate(MISTRAL_SPECIAL)}
    vocab.update({char: len(MISTRAL_SPECIAL) + byte for char, byte in byte_vocab().items()})
    core = Tokenizer(models.BPE(vocab=vocab, merges=[], unk_token="<unk>"))
    core.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    core.decoder = decoders.ByteLevel()
    core.add_special_tokens(list(MISTRAL_SPECIAL))
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=core, bos_token="<s>", eos_token="</s>", unk_token="<unk>",
        pad_token="<pad>", model_max_length=1024,
    )  # fmt: skip
    image_processor = PixtralImageProcessor(patch_size=6, size={"longest_edge": 30})
    return PixtralProcessor(
        image_processor=image_processor, tokenizer=tokenizer, patch_size=6,
        spatial_merge_size=2, chat_template=MISTRAL_CHAT_TEMPLATE,
    )  # fmt: skip


def _tiny_flux2_parts(*, guidance_embeds: bool):
    """FLUX.2's transformer and VAE as diffusers' Flux2 tests build them (a 2-level VAE here).

    The transformer reads three stacked text-encoder layers (16 wide each), as the real
    pipelines' default ``text_encoder_out_layers`` ask for.
    """
    import torch
    from diffusers import AutoencoderKLFlux2, Flux2Transformer2DModel

    torch.manual_seed(0)
    transformer = Flux2Transformer2DModel(
        patch_size=1, in_channels=4, num_layers=1, num_single_layers=1, attention_head_dim=16,
        num_attention_heads=2, joint_attention_dim=3 * 16, timestep_guidance_channels=256,
        axes_dims_rope=[4, 4, 4, 4], guidance_embeds=guidance_embeds,
    )  # fmt: skip
    torch.manual_seed(0)
    vae = AutoencoderKLFlux2(
        sample_size=32, in_channels=3, out_channels=3, down_block_types=("DownEncoderBlock2D",) * 2,
        up_block_types=("UpDecoderBlock2D",) * 2, block_out_channels=(4, 4), layers_per_block=1,
        latent_channels=1, norm_num_groups=1, use_quant_conv=False, use_post_quant_conv=False,
    )  # fmt: skip
    return transformer, vae


def tiny_flux2(folder: Path) -> Path:
    """A Flux2Pipeline (FLUX.2 [dev]) with a 30-layer, 16-wide Mistral3 text encoder.

    Thirty layers because the pipeline stacks the hidden states of layers 10, 20 and 30.
    """
    import torch
    from diffusers import FlowMatchEulerDiscreteScheduler, Flux2Pipeline
    from transformers import Mistral3Config, Mistral3ForConditionalGeneration

    processor = tiny_pixtral_processor()
    tokenizer = processor.tokenizer
    ids = {token: tokenizer.convert_tokens_to_ids(token) for token in ("<s>", "</s>", "<pad>")}
    config = Mistral3Config(
        text_config={
            "model_type": "mistral", "vocab_size": len(tokenizer), "hidden_size": 16,
            "intermediate_size": 37, "max_position_embeddings": 1024, "num_attention_heads": 4,
            "num_hidden_layers": 30, "num_key_value_heads": 2, "rms_norm_eps": 1e-05,
            "rope_theta": 1000000000.0, "sliding_window": None, "bos_token_id": ids["<s>"],
            "eos_token_id": ids["</s>"], "pad_token_id": ids["<pad>"],
        },
        vision_config={
            "model_type": "pixtral", "hidden_size": 16, "num_hidden_layers": 1,
            "num_attention_heads": 4, "intermediate_size": 37, "image_size": 30, "patch_size": 6,
            "num_channels": 3,
        },
        bos_token_id=ids["<s>"], eos_token_id=ids["</s>"], pad_token_id=ids["<pad>"],
        image_seq_length=4, vision_feature_layer=-1,
        image_token_index=tokenizer.convert_tokens_to_ids("[IMG]"),
    )  # fmt: skip
    transformer, vae = _tiny_flux2_parts(guidance_embeds=True)
    torch.manual_seed(0)
    pipe = Flux2Pipeline(
        scheduler=FlowMatchEulerDiscreteScheduler(),
        vae=vae,
        text_encoder=Mistral3ForConditionalGeneration(config),
        tokenizer=processor,
        transformer=transformer,
    )
    pipe.save_pretrained(folder)
    return folder


def tiny_flux2_klein(folder: Path, *, distilled: bool = False) -> Path:
    """A Flux2KleinPipeline (FLUX.2 [klein], base or step-distilled) with a 27-layer Qwen3.

    Twenty-seven layers because the pipeline stacks the hidden states of layers 9, 18 and 27.
    """
    import torch
    from diffusers import FlowMatchEulerDiscreteScheduler, Flux2KleinPipeline
    from transformers import Qwen2Tokenizer, Qwen3Config, Qwen3ForCausalLM

    tokenizer = Qwen2Tokenizer(vocab=byte_vocab(), merges=[], model_max_length=1024)
    tokenizer.add_special_tokens(
        {"additional_special_tokens": ["<|im_start|>", "<|im_end|>", "<think>", "</think>"]}
    )
    tokenizer.chat_template = QWEN3_CHAT_TEMPLATE
    transformer, vae = _tiny_flux2_parts(guidance_embeds=False)
    config = Qwen3Config(
        intermediate_size=16, hidden_size=16, num_hidden_layers=27, num_attention_heads=2,
        num_key_value_heads=2, head_dim=8, vocab_size=len(tokenizer), max_position_embeddings=1024,
    )  # fmt: skip
    torch.manual_seed(0)
    pipe = Flux2KleinPipeline(
        scheduler=FlowMatchEulerDiscreteScheduler(),
        vae=vae,
        text_encoder=Qwen3ForCausalLM(config),
        tokenizer=tokenizer,
        transformer=transformer,
        is_distilled=distilled,
    )
    pipe.save_pretrained(folder)
    return folder


def steps_seen_when_cancelled_at(run, step: int) -> list[int]:
    """The steps ``run(progress=, cancel=)`` reports when Cancel is pressed during ``step``.

    ``run`` must raise :class:`Cancelled`; the shared body of the editors' cancel tests.
    """
    import threading

    import pytest

    from core.errors import Cancelled

    cancel = threading.Event()
    steps: list[int] = []

    def progress(done: int, _total: int) -> None:
        steps.append(done)
        if done == step:
            cancel.set()

    with pytest.raises(Cancelled):
        run(progress=progress, cancel=cancel)
    return steps
