"""core/gemini/config.py: the model list and its override, labels, the endpoint override and
the retry back-off base read from the environment (bad or negative values fall back safely)."""

from __future__ import annotations

import json

import pytest

from core.gemini import config
from resources import resource_path


def _shipped() -> list[dict]:
    return json.loads(resource_path("gemini", "models.json").read_text("utf-8"))["models"]


def test_the_shipped_models_are_offered_in_file_order(monkeypatch):
    monkeypatch.delenv(config.MODELS_ENV, raising=False)
    assert config.model_ids() == tuple(m["id"] for m in _shipped())
    assert config.model_ids()[0] == "gemini-3-pro-image"


def test_the_environment_replaces_the_list_and_blank_entries_are_dropped(monkeypatch):
    monkeypatch.setenv(config.MODELS_ENV, " my-model , ,other-model,")
    assert config.model_ids() == ("my-model", "other-model")
    monkeypatch.setenv(config.MODELS_ENV, " , ")  # nothing but blanks: the shipped list stays
    assert config.model_ids() == tuple(m["id"] for m in _shipped())


def test_labels_name_a_shipped_model_and_leave_others_as_their_id():
    assert config.model_label("gemini-2.5-flash-image") == "Nano Banana (gemini-2.5-flash-image)"
    last = _shipped()[-1]
    assert config.model_label(last["id"]) == f"{last['label']} ({last['id']})"
    assert config.model_label("someone-elses-model") == "someone-elses-model"


def test_an_empty_base_url_is_no_override(monkeypatch):
    monkeypatch.setenv(config.BASE_URL_ENV, "")
    assert config.base_url() is None
    monkeypatch.setenv(config.BASE_URL_ENV, "http://127.0.0.1:1234")
    assert config.base_url() == "http://127.0.0.1:1234"
    monkeypatch.delenv(config.BASE_URL_ENV)
    assert config.base_url() is None


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        (None, 1.0),
        ("0.25", 0.25),
        ("0", 0.0),
        ("-3", 0.0),
        ("soon", 1.0),
        ("", 1.0),
        ("inf", 1.0),
        ("-inf", 1.0),
        ("nan", 1.0),
    ],
)
def test_retry_base_seconds(monkeypatch, value, seconds):
    if value is None:
        monkeypatch.delenv(config.RETRY_BASE_ENV, raising=False)
    else:
        monkeypatch.setenv(config.RETRY_BASE_ENV, value)
    assert config.retry_base_seconds() == seconds
