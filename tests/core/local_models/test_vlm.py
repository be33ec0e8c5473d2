"""The local VLM runtime and the VisualQuality-R1 metric, on a tiny random Qwen2.5-VL (CPU)."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from core.errors import Cancelled
from core.imageio import encode_png
from core.local_models.model_folder import ModelFilesMissing

PNG = encode_png(np.random.default_rng(1).random((40, 56, 3)).astype(np.float32))


def _script(session, text: str):
    """Make the real model's generate answer ``text`` (its own tokens, through its tokenizer)."""
    import torch

    tokenizer = session.processor.tokenizer
    answer = tokenizer(text, add_special_tokens=False, return_tensors="pt")["input_ids"]
    calls = []

    def generate(input_ids, **kwargs):
        calls.append({"input_ids": input_ids, **kwargs})
        return torch.cat([input_ids, answer.to(input_ids.device)], dim=1)

    session.model.generate = generate
    return calls


def test_ask_answers_from_the_tiny_model(vlm_dir):
    from core.local_models.vlm import ask

    text = ask(str(vlm_dir), "Describe the noise.", PNG, "image/png", None, max_new_tokens=6)
    assert isinstance(text, str)
    text_only = ask(str(vlm_dir), "Say hello.", None, "", None, max_new_tokens=4)
    assert isinstance(text_only, str)


def test_ask_returns_the_scripted_answer_and_cancel_stops_generation(vlm_dir):
    from core.local_models.vlm import ask, load_vlm

    session = load_vlm(str(vlm_dir))
    calls = _script(session, "Degradation Score: 4")
    assert ask(str(vlm_dir), "Judge it.", PNG, "image/png", None) == "Degradation Score: 4"
    criteria = calls[0]["stopping_criteria"]
    cancel = threading.Event()
    assert calls[0]["do_sample"] is False
    cancel.set()
    with pytest.raises(Cancelled):
        ask(str(vlm_dir), "Judge it.", PNG, "image/png", cancel)
    assert len(criteria) == 1


def test_cancel_between_tokens_of_the_real_generate(vlm_dir):
    from core.local_models.vlm import load_vlm

    session = load_vlm(str(vlm_dir))
    cancel = threading.Event()
    calls = []

    def count(_module, _args):
        calls.append(1)
        if len(calls) == 3:
            cancel.set()

    hook = session.model.register_forward_pre_hook(count)
    try:
        with pytest.raises(Cancelled):
            session.chat("Go on.", [], cancel=cancel, max_new_tokens=50)
    finally:
        hook.remove()
    assert len(calls) == 3  # stopped at the token after the cancel, not after 50


def test_a_missing_vlm_folder_or_file_is_named_at_once(tmp_path, vlm_dir):
    from core.local_models.vlm import ask

    start = time.perf_counter()
    with pytest.raises(ModelFilesMissing, match="no such folder"):
        ask(str(tmp_path / "Qwen3-VL-8B-Instruct"), "hi", None, "", None)
    partial = tmp_path / "partial"
    partial.mkdir()
    (partial / "config.json").write_bytes((vlm_dir / "config.json").read_bytes())
    with pytest.raises(ModelFilesMissing, match=r"model weights .* which is not in .*partial"):
        ask(str(partial), "hi", None, "", None)
    with pytest.raises(ModelFilesMissing, match="models--Qwen--Qwen3-VL-8B-Instruct"):
        ask("Qwen/Qwen3-VL-8B-Instruct", "hi", None, "", None)
    assert time.perf_counter() - start < 3


@pytest.mark.parametrize(
    ("answer", "score"),
    [
        ("<think>sharp, little noise</think><answer>3.87</answer>", 3.87),
        ("<answer>2</answer> then <answer>4.5</answer>", 4.5),
        ("The rating is 1.25 overall.", 1.25),
    ],
)
def test_visualquality_answers_parse_as_its_readme_reads_them(answer, score):
    from core.local_models.vlm_metrics import parse_visualquality

    assert parse_visualquality(answer) == score


def test_visualquality_r1_scores_join_the_store_and_unreadable_answers_are_row_errors(
    vlm_dir, tmp_path, monkeypatch
):
    from core.local_models.vlm import load_vlm
    from core.metrics.catalogue import metric_info, metric_names
    from core.metrics.normalize import normalize
    from core.metrics.scoring import score_project
    from core.project import Project

    assert "visualquality_r1" in metric_names()
    info = metric_info("visualquality_r1")
    assert info.range == (1.0, 5.0) and not info.lower_better and info.mode == "NR"
    monkeypatch.setenv("IRIS_VISUALQUALITY_R1", str(vlm_dir))
    session = load_vlm(str(vlm_dir))
    calls = _script(session, "<think>fine</think><answer>4.25</answer>")
    project_dir = tmp_path / "p"
    with Project.create(project_dir) as project:
        image = project.add_image_bytes(PNG, name="a.png", kind="imported")
    report = score_project(project_dir, ["visualquality_r1"], device="cpu")
    assert report.rows[0].value == 4.25 and report.computed == 1
    asked = session.processor.tokenizer.decode(calls[0]["input_ids"][0])
    assert "You are doing the image quality assessment task" in asked and "<|image_pad|>" in asked
    assert calls[0]["do_sample"] is True  # sampled as the README does, with a fixed seed
    again = score_project(project_dir, ["visualquality_r1"], device="cpu")
    assert again.cached == 1 and again.rows[0].value == 4.25
    assert normalize(4.25, "visualquality_r1") == pytest.approx(81.25)
    _script(load_vlm(str(vlm_dir)), "I cannot rate this.")
    with Project.open(project_dir) as project:
        other = project.add_image_bytes(
            encode_png(np.zeros((8, 8, 3), np.float32)), name="b.png", kind="imported"
        )
    failed = score_project(project_dir, ["visualquality_r1"], image_ids=[other.id], device="cpu")
    assert failed.rows[0].value is None and "no score in the answer" in failed.rows[0].error
    assert image.id != other.id
