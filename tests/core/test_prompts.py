"""The prompt library: the 12 restoration prompts, Banana100's prompts, user prompts."""

from __future__ import annotations

import pytest

from core.errors import IrisError
from core.prompts import all_prompts, resolve_prompt, save_user_prompt, shipped_prompts


def test_restoration_study_prompts_are_all_there_with_citation():
    study = [p for p in shipped_prompts() if p.library == "nano_banana2_restoration"]
    ids = [p.id for p in study]
    assert ids == ["S1", "S2", "S3", "SF1", "SF2", "SF3", "L1", "L2", "L3", "LF1", "LF2", "LF3"]
    assert all("Nano Banana 2" in p.citation and p.verbatim for p in study)
    assert resolve_prompt("lf3").text.startswith("Restore the degraded image by improving clarity")


def test_banana100_prompts_mark_what_is_verbatim():
    b100 = {p.id: p for p in shipped_prompts() if p.library == "banana100"}
    assert {"B100-REPLICA", "B100-MIRROR", "B100-ROTATE", "B100-ADD-APPLE"} <= set(b100)
    replica = b100["B100-REPLICA"]
    assert replica.verbatim and replica.text == (
        "Produce an exact replica of the provided image, with no alterations."
    )
    assert not b100["B100-MIRROR"].verbatim and "Banana100" in replica.citation


def test_user_prompts_live_in_the_project(project):
    first = save_user_prompt(project, "Remove the film grain only.")
    second = save_user_prompt(project, "Colourise nothing.")
    assert (first.id, second.id) == ("U1", "U2")
    assert resolve_prompt("u2", project).text == "Colourise nothing."
    assert [p.id for p in all_prompts(project)][-2:] == ["U1", "U2"]
    with pytest.raises(IrisError, match="shipped"):
        save_user_prompt(project, "x", prompt_id="LF3")


def test_unknown_ids_are_prompt_text():
    prompt = resolve_prompt("Make it sharper.")
    assert prompt.id == "" and prompt.text == "Make it sharper."


def test_judge_prompts_are_found_by_id_in_any_case_and_an_unknown_one_names_them():
    from core.prompts import JUDGE, judge_prompt

    judges = all_prompts(role=JUDGE)
    assert judges and all(p.role == JUDGE for p in judges)
    first = judges[0]
    assert judge_prompt(f"  {first.id.lower()} ") == first
    with pytest.raises(IrisError) as error:
        judge_prompt("NO-SUCH-JUDGE")
    assert str(error.value) == (
        f"unknown judge prompt 'NO-SUCH-JUDGE'; known: {', '.join(p.id for p in judges)}"
    )
    assert all(p.role != JUDGE for p in all_prompts())  # edit prompts only by default


def test_task_prompts_in_both_languages_and_unknown_ones_list_the_tasks():
    from core.prompts import task_prompt

    english, chinese = task_prompt("blur"), task_prompt("blur", "zh")
    assert (english.id, chinese.id) == ("RIR-BLUR", "RIR-BLUR-ZH")
    assert english.as_dict()["task"] == "blur" and english.as_dict()["language"] == "en"
    with pytest.raises(IrisError, match=r"no 'fr' prompt for task 'blur'; tasks: .*blur"):
        task_prompt("blur", "fr")


def test_empty_prompts_are_refused(tmp_path):
    from core.project import Project

    with pytest.raises(IrisError, match="an empty prompt was given"):
        resolve_prompt("   ")
    with (
        Project.create(tmp_path / "p") as project,
        pytest.raises(IrisError, match="a prompt cannot be empty"),
    ):
        save_user_prompt(project, " \n ")
