"""Judges: RealIR-Bench's VLM severity rating (RS, LPS, FS) and the thought-summary LLM judge.

- **RS**: a VLM rates the degradation severity of an image from 0 to 5
  (5 = no visible degradation); RS = rating(restored) - rating(degraded input).
  A manual rating may stand in for the VLM. **LPS** = LPIPS(restored, input);
  **FS** = 0.2 x (1 - LPS) x RS (RealRestorer's Final Score).
- **Self-evaluation delay** (Banana100): an LLM reads each step's reasoning
  summary and answers whether it says the original image is noisy, pixelated
  or shows visible artifacts; the first 'yes' step per run, and its mean and
  standard deviation per run group.

Gemini answers through :mod:`core.gemini.client` (same retries, cancel and
endpoint override). Answers are stored in the project's ``scores`` table:
ratings under ``judge:severity`` keyed by the image, thought verdicts under
``judge:thought-noise`` keyed by the SHA-256 of the thought text; the
metric version names the model and the prompt, so changing either asks again.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from statistics import fmean, stdev

from core.errors import IrisError
from core.jobs import ProgressFn, check_cancelled, no_progress
from core.project import Project

JUDGE_MODEL_ENV = "IRIS_JUDGE_MODEL"
DEFAULT_JUDGE_MODEL = "gemini-2.5-flash"
SEVERITY_METRIC = "judge:severity"
THOUGHT_METRIC = "judge:thought-noise"
MANUAL = "manual"

SEVERITY_PROMPT = (
    "Rate how strongly this image is degraded by blur, noise, compression artifacts, moire, "
    "low light, flare, reflection, haze or rain. Answer with one integer from 0 to 5: 5 means "
    "no visible degradation, 0 means extremely severe degradation. Answer with the number only."
)
THOUGHT_PROMPT = (
    "Below is the reasoning summary an image-editing model wrote while it edited an image.\n"
    "---\n{thoughts}\n---\n"
    "Does it mention that the original image is noisy, pixelated, or contains visible "
    "artifacts? Answer with one word: yes or no."
)


def judge_model() -> str:
    """The Gemini model that judges (``IRIS_JUDGE_MODEL``; default a text+vision model)."""
    return os.environ.get(JUDGE_MODEL_ENV, "").strip() or DEFAULT_JUDGE_MODEL


def _version(model: str, prompt: str) -> str:
    return f"{model}|{hashlib.sha256(prompt.encode()).hexdigest()[:12]}"


def parse_rating(text: str) -> int:
    """The first integer 0-5 in a judge's answer; anything else is an error."""
    match = re.search(r"(?<![\d.])([0-5])(?![\d.])", text)
    if not match:
        raise IrisError(f"the judge did not answer with a rating from 0 to 5: {text[:80]!r}")
    return int(match.group(1))


def parse_yes_no(text: str) -> bool:
    """A judge's yes/no answer; an answer with neither word is an error."""
    words = re.findall(r"[a-z]+", text.lower())
    for word in words:
        if word in ("yes", "no"):
            return word == "yes"
    raise IrisError(f"the judge did not answer yes or no: {text[:80]!r}")


def _ask(prompt: str, image: bytes | None, mime: str, model: str, cancel) -> str:
    from core.gemini.client import EditRequest, generate_text
    from core.gemini.keys import api_key

    request = EditRequest(
        model=model,
        prompt=prompt,
        image=image,
        mime_type=mime,
        image_size=None,
        include_thoughts=False,
        timeout_s=60.0,
        modalities=("TEXT",),
    )
    return generate_text(request, api_key(), cancel=cancel).text


def fs_score(rs: float, lps: float) -> float:
    """RealIR-Bench Final Score: 0.2 x (1 - LPS) x RS."""
    return 0.2 * (1.0 - lps) * rs


def set_manual_rating(project_dir: str | Path, image_id: int, rating: float) -> None:
    """Store a person's 0-5 severity rating of an image (used instead of the VLM's)."""
    if not 0 <= rating <= 5:
        raise IrisError(f"a severity rating is 0 to 5, not {rating}")
    with Project.open(project_dir) as project:
        image = project.image(image_id)
        project.put_score(image.sha256, SEVERITY_METRIC, MANUAL, float(rating))


def severity(
    project: Project, image_id: int, *, judge: str = "gemini", model: str | None = None, cancel=None
) -> float:
    """The 0-5 severity rating of an image: stored, or asked of the VLM and stored."""
    image = project.image(image_id)
    if judge == MANUAL:
        stored = project.score(image.sha256, SEVERITY_METRIC, MANUAL)
        if stored is None:
            raise IrisError(f"no manual rating for image {image.id} ({image.name}): rate it first")
        return float(stored["value"])
    model = model or judge_model()
    version = _version(model, SEVERITY_PROMPT)
    stored = project.score(image.sha256, SEVERITY_METRIC, version)
    if stored is not None and stored["value"] is not None:
        return float(stored["value"])
    mime = "image/jpeg" if image.format == "JPEG" else f"image/{image.format.lower()}"
    answer = _ask(SEVERITY_PROMPT, project.image_path(image).read_bytes(), mime, model, cancel)
    rating = float(parse_rating(answer))
    project.put_score(image.sha256, SEVERITY_METRIC, version, rating)
    return rating


@dataclass
class RealIRRow:
    """RealIR-Bench figures of one restored image."""

    image_id: int
    input_id: int
    rating_restored: float
    rating_input: float
    lps: float | None

    @property
    def rs(self) -> float:
        return self.rating_restored - self.rating_input

    @property
    def fs(self) -> float | None:
        return fs_score(self.rs, self.lps) if self.lps is not None else None

    def as_dict(self) -> dict:
        return {
            "image_id": self.image_id,
            "input_id": self.input_id,
            "rating_restored": self.rating_restored,
            "rating_input": self.rating_input,
            "rs": self.rs,
            "lps": self.lps,
            "fs": self.fs,
        }


def realir_scores(
    project_dir: str | Path,
    image_ids: Sequence[int],
    *,
    judge: str = "gemini",
    model: str | None = None,
    lps_metric: str | None = "lpips",
    device: str = "auto",
    progress: ProgressFn = no_progress,
    cancel: threading.Event | None = None,
) -> list[RealIRRow]:
    """RS, LPS and FS of restored images against their degraded inputs (``parent_id``)."""
    rows: list[RealIRRow] = []
    with Project.open(project_dir) as project:
        for done, image_id in enumerate(image_ids):
            check_cancelled(cancel)
            image = project.image(image_id)
            if image.parent_id is None:
                raise IrisError(f"image {image.id} ({image.name}) has no input to compare with")
            restored = severity(project, image.id, judge=judge, model=model, cancel=cancel)
            degraded = severity(project, image.parent_id, judge=judge, model=model, cancel=cancel)
            rows.append(RealIRRow(image.id, image.parent_id, restored, degraded, None))
            progress(done + 1, len(image_ids))
    if lps_metric:
        from core.metrics.scoring import score_project

        report = score_project(
            project_dir, [lps_metric], image_ids=list(image_ids), reference="input", device=device
        )
        for row in rows:
            row.lps = report.value(row.image_id, lps_metric)
    return rows


@dataclass
class ThoughtRun:
    """The judge's verdict on each step's thoughts in one run, and the first 'yes'."""

    run: str
    group: str | None
    answers: dict[int, bool] = field(default_factory=dict)

    @property
    def first_yes(self) -> int | None:
        return next((step for step in sorted(self.answers) if self.answers[step]), None)


def judge_thoughts(
    project_dir: str | Path,
    runs: Sequence[str],
    *,
    model: str | None = None,
    stop_at_first_yes: bool = True,
    progress: ProgressFn = no_progress,
    cancel: threading.Event | None = None,
) -> list[ThoughtRun]:
    """Ask the LLM judge about every step's thought summary of ``runs`` (or run groups)."""
    from core.metrics.series import expand_runs

    model = model or judge_model()
    version = _version(model, THOUGHT_PROMPT)
    out: list[ThoughtRun] = []
    with Project.open(project_dir) as project:
        names = expand_runs(project, runs)
        for done, name in enumerate(names):
            run = project.run(name)
            verdicts = ThoughtRun(run.name, run.group_name)
            results = [r for r in project.results(run.id) if (r.step_index or 0) >= 1]
            for result in sorted(results, key=lambda r: r.step_index or 0):
                check_cancelled(cancel)
                text = str(result.meta.get("thoughts") or "").strip()
                if not text:
                    continue
                key = hashlib.sha256(text.encode()).hexdigest()
                stored = project.score(key, THOUGHT_METRIC, version)
                if stored is not None and stored["value"] is not None:
                    answer = bool(stored["value"])
                else:
                    reply = _ask(THOUGHT_PROMPT.format(thoughts=text), None, "", model, cancel)
                    answer = parse_yes_no(reply)
                    project.put_score(key, THOUGHT_METRIC, version, float(answer))
                verdicts.answers[int(result.step_index)] = answer
                if answer and stop_at_first_yes:
                    break
            out.append(verdicts)
            progress(done + 1, len(names))
    return out


def group_summary(runs: Sequence[ThoughtRun]) -> dict[str, dict]:
    """First-'yes' step per run group: mean, standard deviation, and runs that never said yes."""
    groups: dict[str, list[ThoughtRun]] = {}
    for run in runs:
        groups.setdefault(run.group or run.run, []).append(run)
    summary = {}
    for group, members in groups.items():
        steps = [m.first_yes for m in members if m.first_yes is not None]
        summary[group] = {
            "runs": len(members),
            "first_yes": {m.run: m.first_yes for m in members},
            "mean": fmean(steps) if steps else None,
            "sd": stdev(steps) if len(steps) > 1 else (0.0 if steps else None),
            "never": len(members) - len(steps),
        }
    return summary
