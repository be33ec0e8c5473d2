"""Banana100's self-evaluation judge: when does a step's reasoning admit the image is noisy?

An LLM reads each step's reasoning summary with the Fig. 8 template (``B100-SELF-EVAL``,
the summary at its end) and answers yes or no (:func:`parse_yes_no`, strict: an answer
that is neither is a recorded failure, never a 'no'); the first 'yes' step per run, and
its mean and standard deviation per run group (section 4.3). The paper's judge model
(Gemini-3-flash) is the default. Each verdict is a ``judgements`` row and a ``scores``
row (metric ``judge:thought-noise``, keyed by the SHA-256 of the thought text);
:func:`stored_thoughts` reads them back, asking nothing.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from statistics import fmean, stdev

from core.jobs import ProgressFn, check_cancelled, no_progress
from core.metrics.judge_backends import backend, judge_version
from core.metrics.realir import JudgeAnswerError
from core.project import Project

THOUGHT_METRIC = "judge:thought-noise"
THOUGHT_PROMPT_ID = "B100-SELF-EVAL"


def parse_yes_no(text: str) -> bool:
    """Fig. 8's yes/no answer: its first word (quotes, case and punctuation ignored)."""
    words = str(text).strip().lstrip("\"'“‘*`").split(None, 1)
    first = words[0].strip(".,;:!\"'”’*`").lower() if words else ""
    if first not in ("yes", "no"):
        raise JudgeAnswerError(f"the answer does not start with yes or no: {str(text)[:120]!r}")
    return first == "yes"


@dataclass
class ThoughtRun:
    """The judge's verdict on each step's thoughts in one run, and the first 'yes'."""

    run: str
    group: str | None
    answers: dict[int, bool] = field(default_factory=dict)
    failed: dict[int, str] = field(default_factory=dict)
    """Steps whose answer was neither yes nor no: the reason (recorded, not a 'no')."""

    @property
    def first_yes(self) -> int | None:
        return next((step for step in sorted(self.answers) if self.answers[step]), None)


def thought_prompt(summary: str, prompt_id: str = THOUGHT_PROMPT_ID) -> str:
    """The Fig. 8 template with the reasoning summary inserted at its end."""
    from core.prompts import judge_prompt

    return judge_prompt(prompt_id).text.replace("{reasoning_summary}", summary)


def judge_thoughts(
    project_dir: str | Path,
    runs: Sequence[str],
    *,
    judge: str = "gemini",
    model: str | None = None,
    prompt_id: str = THOUGHT_PROMPT_ID,
    stop_at_first_yes: bool = True,
    progress: ProgressFn = no_progress,
    cancel: threading.Event | None = None,
) -> list[ThoughtRun]:
    """Ask the LLM judge about every step's thought summary of ``runs`` (or run groups)."""
    from core.metrics.series import expand_runs
    from core.prompts import judge_prompt

    chosen = backend(judge)
    model = model or chosen.default_model("thoughts")
    template = judge_prompt(prompt_id).text
    version = judge_version(judge, model, prompt_id, "", template)
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
                step = int(result.step_index)
                key = hashlib.sha256(text.encode()).hexdigest()
                stored = project.score(key, THOUGHT_METRIC, version)
                if stored is not None and stored["value"] is not None:
                    answer: bool | None = bool(stored["value"])
                else:
                    reply = chosen.ask(model, thought_prompt(text, prompt_id), None, "", cancel)
                    try:
                        answer, error = parse_yes_no(reply), None
                    except JudgeAnswerError as exc:
                        answer, error = None, str(exc)
                        verdicts.failed[step] = error
                    value = None if answer is None else float(answer)
                    with project.transaction():
                        project.put_score(key, THOUGHT_METRIC, version, value, error=error)
                        project.put_judgement(
                            key, THOUGHT_METRIC, version, judge=judge, model=model,
                            prompt_id=prompt_id, answer=reply, value=value, error=error,
                        )  # fmt: skip
                if answer is None:
                    continue
                verdicts.answers[step] = answer
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
            "failed_answers": sum(len(m.failed) for m in members),
        }
    return summary


def stored_thoughts(
    project_dir: str | Path, runs: Sequence[str], cancel: threading.Event | None = None
) -> list[ThoughtRun]:
    """The thought judge's stored verdicts per run (nothing asked): of the newest judge
    version that judged the run's thoughts, every answered step and the first 'yes'."""
    from core.metrics.series import expand_runs

    out: list[ThoughtRun] = []
    with Project.open(project_dir) as project:
        for name in expand_runs(project, runs):
            check_cancelled(cancel)
            run = project.run(name)
            texts: dict[int, str] = {}
            for result in project.results(run.id):
                text = str(result.meta.get("thoughts") or "").strip()
                if text and (result.step_index or 0) >= 1:
                    texts[int(result.step_index)] = hashlib.sha256(text.encode()).hexdigest()
            verdicts = ThoughtRun(run.name, run.group_name)
            rows = project.judgements(THOUGHT_METRIC, sorted(set(texts.values()))) if texts else []
            if rows:
                version = rows[0]["metric_version"]
                by_sha = {r["image_sha256"]: r for r in rows if r["metric_version"] == version}
                for step, sha in sorted(texts.items()):
                    row = by_sha.get(sha)
                    if row is None:
                        continue
                    if row["value"] is None:
                        verdicts.failed[step] = row["error"] or "no answer"
                    else:
                        verdicts.answers[step] = bool(row["value"])
            out.append(verdicts)
    return out
