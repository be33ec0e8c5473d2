"""Quality metrics read from a VLM's answer: VisualQuality-R1 (range [1, 5], higher is better).

VisualQuality-R1 (Wu, Zou, Liang, Zhang, Ma, "VisualQuality-R1: Reasoning-Induced
Image Quality Assessment via Reinforcement Learning to Rank", arXiv:2505.14460;
model ``TianheWu/VisualQuality-R1-7B``, a Qwen2.5-VL-7B fine-tune) is asked
with the prompt and question template of its repository's README (the
"Single Image Quality Rating" and batch examples), and its score parsed as
there: the last ``<answer>...</answer>`` (else the whole text), its first
number. Where the README falls back to a random score, IRIS records the
failure instead (the row's error, no value). The README samples (top-k 50,
top-p 1); IRIS samples with a fixed seed so a stored score can be reproduced.

The model folder is ``<weights folder>/vlm/VisualQuality-R1-7B`` or the HF cache
entry ``TianheWu/VisualQuality-R1-7B`` (``IRIS_VISUALQUALITY_R1`` overrides it).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

VQ_PROMPT = (
    "You are doing the image quality assessment task. Here is the question: "
    "What is your overall rating on the quality of this picture? The rating should be a float "
    "between 1 and 5, rounded to two decimal places, with 1 representing very poor quality and 5 "
    "representing excellent quality."
)
VQ_TEMPLATE = (
    "{Question} First output the thinking process in <think> </think> tags and then output the "
    "final answer with only one score in <answer> </answer> tags."
)
_ANSWER = re.compile(r"<answer>(.*?)</answer>", re.DOTALL)
_NUMBER = re.compile(r"\d+(\.\d+)?")


class ScoreUnreadable(ValueError):
    """A VLM's answer holds no score; its start is quoted.

    A ValueError, not an IrisError: scoring records it as that image's row error
    and goes on (an IrisError would stop the whole scoring run).
    """


@dataclass(frozen=True)
class VlmMetricSpec:
    """A metric computed by asking a VLM: its prompt, model and how to read the answer."""

    name: str
    title: str
    repo_id: str
    folder_name: str
    env: str
    prompt: str
    range: tuple[float, float] = (1.0, 5.0)
    max_new_tokens: int = 2048
    version: str = "1"

    def model_dir(self, weights_folder: Path) -> str:
        """The folder to load: the override, the weights folder's copy, else the repo id."""
        override = os.environ.get(self.env, "").strip()
        if override:
            return override
        local = weights_folder / "vlm" / self.folder_name
        return str(local) if local.exists() else self.repo_id


def parse_visualquality(text: str) -> float:
    """The score in a VisualQuality-R1 answer, as its README reads it; raises when there is none."""
    answers = _ANSWER.findall(text)
    answer = answers[-1].strip() if answers else text.strip()
    match = _NUMBER.search(answer)
    if match is None:
        raise ScoreUnreadable(f"no score in the answer {text[:80]!r}")
    return float(match.group())


VLM_METRICS: dict[str, VlmMetricSpec] = {
    "visualquality_r1": VlmMetricSpec(
        name="visualquality_r1",
        title="VisualQuality-R1 (Qwen2.5-VL-7B, RL2R)",
        repo_id="TianheWu/VisualQuality-R1-7B",
        folder_name="VisualQuality-R1-7B",
        env="IRIS_VISUALQUALITY_R1",
        prompt=VQ_TEMPLATE.format(Question=VQ_PROMPT),
    )
}
PARSERS = {"visualquality_r1": parse_visualquality}


def metric_version(name: str) -> str:
    """What a stored score depends on: the prompt/parsing version and transformers'."""
    try:
        transformers = metadata.version("transformers")
    except metadata.PackageNotFoundError:
        transformers = "none"
    return f"vlm-{name}-{VLM_METRICS[name].version}+transformers-{transformers}"


class VlmMetric:
    """A loaded VLM metric; the engine scores with :meth:`score_images` (one answer per image)."""

    def __init__(self, spec: VlmMetricSpec, session, seed: int = 1) -> None:
        self.spec, self.session, self.seed = spec, session, seed
        self.parse = PARSERS[spec.name]

    def score_images(self, targets: list, references=None) -> list[float]:
        """One score per float RGB array; an unreadable answer raises (its row's error)."""
        from core.local_models.editor import to_pil

        values = []
        for pixels in targets:
            text = self.session.chat(
                self.spec.prompt, [to_pil(pixels)], max_new_tokens=self.spec.max_new_tokens,
                sample=True, seed=self.seed,
            )  # fmt: skip
            values.append(self.parse(text))
        return values


def load_vlm_metric(name: str, device: str, weights_folder: Path) -> VlmMetric:
    """The metric ``name`` with its model loaded (the missing file named when it is absent)."""
    from core.local_models.vlm import load_vlm

    spec = VLM_METRICS[name]
    allow = os.environ.get("IRIS_ALLOW_DOWNLOADS", "").strip().lower() in ("1", "true", "yes")
    session = load_vlm(spec.model_dir(weights_folder), device=device, allow_download=allow)
    return VlmMetric(spec, session)
