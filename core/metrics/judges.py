"""RealIR-Bench's judge: a VLM's degradation severity rating, and RS, LPS and FS from it.

- **Severity** (RealRestorer, Appendix C.1, Fig. 9): a VLM rates how strongly an
  image shows its task's degradation, 1-5 (5 = clean), from the Fig. 9 instruction
  with ``{task}`` filled in (prompt ``RIR-SEVERITY``); the answer "Degradation Score: N"
  is parsed strictly (:func:`core.metrics.realir.parse_degradation_score`) and an
  answer it rejects is a *recorded failure* (value None, the answer kept), never 0.
  RS = rating(restored) - rating(degraded input); LPS = LPIPS(restored, input);
  FS = 0.2 x (1 - LPS) x RS. IRIS's earlier generic 0-5 prompt stays as the named
  alternative ``IRIS-SEVERITY-0-5``. A person's rating (``manual``) may stand in.
The judge model is a choice (:mod:`core.metrics.judge_backends`: ``gemini`` or a
``local`` VLM such as the paper's Qwen3-VL-8B-Instruct). Banana100's self-evaluation judge
of reasoning summaries is :mod:`core.metrics.thought_judge`; its names are re-exported
here so that ``core.metrics.judges`` stays the one import for every judge.

Storage: each judgement is a ``judgements`` row (:mod:`core.project.judgements`:
backend, model, prompt id, task, answer text, rating or the reason it has none) and a
``scores`` row with the same key (metric ``judge:severity``, keyed by the image content),
so the tables and statistics read judge ratings like any score. The metric version names
backend, model, prompt id and task, so changing any asks again. (Projects from before
schema 6 kept the record in ``project_meta``; the migration moved it into the table.)
:func:`stored_realir` reads what is stored, asking nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.errors import IrisError
from core.jobs import ProgressFn, check_cancelled, no_progress
from core.metrics.judge_backends import (
    ANSWER_KEEP,
    BACKENDS,
    MANUAL,
    Backend,
    backend,
    judge_model,
    judge_version,
)
from core.metrics.realir import (
    TASK_TAG,
    JudgeAnswerError,
    Task,
    fs_score,
    parse_degradation_score,
    parse_rating_0_5,
    resolve_task,
)
from core.metrics.thought_judge import (
    THOUGHT_METRIC,
    ThoughtRun,
    group_summary,
    judge_thoughts,
    parse_yes_no,
    stored_thoughts,
)
from core.project import Project

__all__ = [
    "BACKENDS",
    "SEVERITY_METRIC",
    "THOUGHT_METRIC",
    "Backend",
    "JudgeAnswerError",
    "ThoughtRun",
    "backend",
    "fs_score",
    "group_summary",
    "judge_model",
    "judge_thoughts",
    "parse_degradation_score",
    "parse_yes_no",
    "realir_scores",
    "set_manual_rating",
    "severity",
    "stored_realir",
    "stored_thoughts",
]

SEVERITY_METRIC = "judge:severity"
SEVERITY_PROMPT_ID = "RIR-SEVERITY"
GENERIC_SEVERITY_PROMPT_ID = "IRIS-SEVERITY-0-5"

# How each severity prompt's answer is read: the paper's strictly, IRIS's own leniently.
SEVERITY_PARSERS: dict[str, Callable[[str], int]] = {
    SEVERITY_PROMPT_ID: parse_degradation_score,
    GENERIC_SEVERITY_PROMPT_ID: parse_rating_0_5,
}


def set_manual_rating(project_dir: str | Path, image_id: int, rating: float) -> None:
    """Store a person's 0-5 severity rating of an image (used instead of the VLM's)."""
    if not 0 <= rating <= 5:
        raise IrisError(f"a severity rating is 0 to 5, not {rating}")
    with Project.open(project_dir) as project:
        image = project.image(image_id)
        project.put_score(image.sha256, SEVERITY_METRIC, MANUAL, float(rating))


@dataclass
class Judgement:
    """One judge answer about one image: the rating, or why there is none."""

    rating: float | None
    judge: str
    model: str
    prompt_id: str
    task: str
    answer: str = ""
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "rating": self.rating,
            "judge": self.judge,
            "model": self.model,
            "prompt_id": self.prompt_id,
            "task": self.task,
            "answer": self.answer,
            "error": self.error,
        }


def _severity_text(prompt_id: str, task: Task) -> str:
    from core.prompts import judge_prompt

    if prompt_id not in SEVERITY_PARSERS:
        raise IrisError(
            f"{prompt_id!r} is not a severity prompt; known: {', '.join(SEVERITY_PARSERS)}"
        )
    return judge_prompt(prompt_id).text.replace("{task}", task.degradation)


def severity(
    project: Project,
    image_id: int,
    task: Task | str,
    *,
    judge: str = "gemini",
    model: str | None = None,
    prompt_id: str = SEVERITY_PROMPT_ID,
    retry_failed: bool = False,
    cancel=None,
) -> Judgement:
    """The severity judgement of an image for ``task``: stored, or asked and stored."""
    image = project.image(image_id)
    task = task if isinstance(task, Task) else resolve_task(task)
    if judge == MANUAL:
        stored = project.score(image.sha256, SEVERITY_METRIC, MANUAL)
        if stored is None:
            raise IrisError(f"no manual rating for image {image.id} ({image.name}): rate it first")
        return Judgement(float(stored["value"]), MANUAL, "", "", task.key)
    chosen = backend(judge)
    model = model or chosen.default_model("severity")
    prompt = _severity_text(prompt_id, task)
    version = judge_version(judge, model, prompt_id, task.key, prompt)
    stored = project.judgement(image.sha256, SEVERITY_METRIC, version)
    if stored is not None and (stored["value"] is not None or not retry_failed):
        value = stored["value"]
        return Judgement(
            None if value is None else float(value), judge, model, prompt_id, task.key,
            stored["answer"], stored["error"],
        )  # fmt: skip
    mime = "image/jpeg" if image.format == "JPEG" else f"image/{image.format.lower()}"
    data = project.image_path(image).read_bytes()
    answer = chosen.ask(model, prompt, data, mime, cancel)
    try:
        rating: float | None = float(SEVERITY_PARSERS[prompt_id](answer))
        error = None
    except JudgeAnswerError as exc:
        rating, error = None, str(exc)
    judgement = Judgement(rating, judge, model, prompt_id, task.key, answer[:ANSWER_KEEP], error)
    with project.transaction():
        project.put_score(image.sha256, SEVERITY_METRIC, version, rating, error=error)
        project.put_judgement(
            image.sha256, SEVERITY_METRIC, version, judge=judge, model=model,
            prompt_id=prompt_id, task=task.key, answer=judgement.answer, value=rating,
            error=error,
        )  # fmt: skip
    return judgement


@dataclass
class RealIRRow:
    """RealIR-Bench figures of one restored image: its two judgements, RS, LPS and FS."""

    image_id: int
    input_id: int
    task: str
    method: str
    restored: Judgement
    degraded: Judgement
    lps: float | None = None

    @property
    def rating_restored(self) -> float | None:
        return self.restored.rating

    @property
    def rating_input(self) -> float | None:
        return self.degraded.rating

    @property
    def rs(self) -> float | None:
        if self.restored.rating is None or self.degraded.rating is None:
            return None
        return self.restored.rating - self.degraded.rating

    @property
    def fs(self) -> float | None:
        rs = self.rs
        return fs_score(rs, self.lps) if rs is not None and self.lps is not None else None

    @property
    def error(self) -> str | None:
        return self.restored.error or self.degraded.error

    def as_dict(self) -> dict:
        return {
            "image_id": self.image_id,
            "input_id": self.input_id,
            "task": self.task,
            "method": self.method,
            "rating_restored": self.rating_restored,
            "rating_input": self.rating_input,
            "rs": self.rs,
            "lps": self.lps,
            "fs": self.fs,
            "error": self.error,
            "judge": {"restored": self.restored.as_dict(), "input": self.degraded.as_dict()},
        }


def image_tasks(
    project: Project, image_ids: Sequence[int], task: str | None = None
) -> dict[int, Task]:
    """Each image's task: ``task`` for all, else its ``task=...`` tag (inherited from inputs)."""
    if task:
        fixed = resolve_task(task)
        return {i: fixed for i in image_ids}
    tags = project.tags_for(image_ids)
    out: dict[int, Task] = {}
    for image_id in image_ids:
        value = tags.get(image_id, {}).get(TASK_TAG)
        if value is None:
            image = project.image(image_id)
            raise IrisError(
                f"image {image.id} ({image.name}): no task; give --task or tag it (or its "
                f"input) {TASK_TAG}=NAME"
            )
        try:
            out[image_id] = resolve_task(value)
        except IrisError as exc:
            image = project.image(image_id)
            raise IrisError(
                f"image {image.id} ({image.name}), tag {TASK_TAG}={value}: {exc}"
            ) from None
    return out


def realir_scores(
    project_dir: str | Path,
    image_ids: Sequence[int],
    *,
    task: str | None = None,
    judge: str = "gemini",
    model: str | None = None,
    prompt_id: str = SEVERITY_PROMPT_ID,
    retry_failed: bool = False,
    lps_metric: str | None = "lpips",
    device: str = "auto",
    progress: ProgressFn = no_progress,
    cancel: threading.Event | None = None,
) -> list[RealIRRow]:
    """RS, LPS and FS of restored images against their degraded inputs (``parent_id``)."""
    rows: list[RealIRRow] = []
    with Project.open(project_dir) as project:
        tasks = image_tasks(project, image_ids, task)
        methods = project.image_methods()
        for done, image_id in enumerate(image_ids):
            check_cancelled(cancel)
            image = project.image(image_id)
            if image.parent_id is None:
                raise IrisError(f"image {image.id} ({image.name}) has no input to compare with")
            ask = dict(
                judge=judge, model=model, prompt_id=prompt_id, retry_failed=retry_failed,
                cancel=cancel,
            )  # fmt: skip
            restored = severity(project, image.id, tasks[image_id], **ask)
            degraded = severity(project, image.parent_id, tasks[image_id], **ask)
            method = methods.get(image.id) or (
                project.run(image.run_id).name if image.run_id else ""
            )
            rows.append(
                RealIRRow(image.id, image.parent_id, tasks[image_id].key, method or "?",
                          restored, degraded)
            )  # fmt: skip
            progress(done + 1, len(image_ids))
    if lps_metric:
        from core.metrics.scoring import score_project

        report = score_project(
            project_dir, [lps_metric], image_ids=list(image_ids), reference="input", device=device
        )
        for row in rows:
            row.lps = report.value(row.image_id, lps_metric)
    return rows


def _newest_versions(rows: Sequence[dict]) -> dict[str, dict[str, dict]]:
    """``{sha256: {metric_version: row}}`` from judgement rows given newest first."""
    out: dict[str, dict[str, dict]] = {}
    for row in rows:
        out.setdefault(row["image_sha256"], {}).setdefault(row["metric_version"], row)
    return out


def stored_realir(
    project_dir: str | Path,
    image_ids: Sequence[int],
    *,
    lps_metric: str | None = "lpips",
    cancel: threading.Event | None = None,
) -> dict[int, dict]:
    """RS, LPS and FS of images from stored judgements only (nothing is asked or computed).

    Per image with an input (``parent_id``): its newest severity judgement for which its
    input was judged under the same version (judge, model, prompt, task), else its newest
    alone (RS None). LPS is the stored ``lps_metric`` score against the input, if any.
    Returns ``{image_id: {"rs", "lps", "fs", "rating", "rating_input", "task", "model",
    "error"}}`` for the images that have a judgement.
    """
    out: dict[int, dict] = {}
    with Project.open(project_dir) as project:
        images = {}
        for image_id in dict.fromkeys(image_ids):
            check_cancelled(cancel)
            image = project.image(int(image_id))
            if image.parent_id is not None:
                images[image.id] = (image, project.image(image.parent_id))
        shas = sorted({i.sha256 for pair in images.values() for i in pair})
        found = _newest_versions(project.judgements(SEVERITY_METRIC, shas)) if shas else {}
    for image_id, (image, parent) in images.items():
        mine = found.get(image.sha256, {})
        if not mine:
            continue
        theirs = found.get(parent.sha256, {})
        version = next((v for v in mine if v in theirs), next(iter(mine)))
        row, other = mine[version], theirs.get(version)
        rs = None
        if row["value"] is not None and other is not None and other["value"] is not None:
            rs = float(row["value"]) - float(other["value"])
        out[image_id] = {
            "rs": rs, "lps": None, "fs": None, "rating": row["value"],
            "rating_input": None if other is None else other["value"], "task": row["task"],
            "model": row["model"], "error": row["error"] or (other or {}).get("error"),
        }  # fmt: skip
    if lps_metric and out:
        from core.metrics.scoring import score_project

        try:
            report = score_project(
                project_dir, [lps_metric], image_ids=list(out), reference="input", compute=False
            )
        except IrisError:  # an unknown LPS metric: RS stays, FS cannot be had
            report = None
        for image_id, row in out.items():
            lps = report.value(image_id, lps_metric) if report is not None else None
            row["lps"] = lps
            if row["rs"] is not None and lps is not None:
                row["fs"] = fs_score(row["rs"], lps)
    return out
