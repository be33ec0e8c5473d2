"""Method.prepare: the one pre-flight runners, CLI and GUI share (validate, then check)."""

from __future__ import annotations

import numpy as np
import pytest

from core.methods.base import Method, MethodOutput, Param, ParamError


def _identity(pixels, params, *, progress, cancel, context):
    return MethodOutput(np.asarray(pixels))


def _method(check=None) -> Method:
    return Method(
        name="probe", kind="classical", title="Probe", description="", run=_identity,
        params=(Param("strength", "float", 1.0, "", 0.0, 2.0),), check=check,
    )  # fmt: skip


def test_prepare_returns_the_validated_values_and_runs_the_check_on_them():
    seen = []
    values = _method(check=seen.append).prepare({"strength": "1.5"})
    assert values == {"strength": 1.5} and seen == [{"strength": 1.5}]


def test_prepare_refuses_a_bad_value_before_the_check_runs():
    seen = []
    with pytest.raises(ParamError, match="above the maximum"):
        _method(check=seen.append).prepare({"strength": 3})
    assert seen == []


def test_a_failing_check_raises_its_own_error_at_once():
    from core.gemini.keys import MissingApiKey
    from core.methods import get_method

    def no_key(_params):
        raise MissingApiKey()

    with pytest.raises(MissingApiKey, match="GEMINI_API_KEY"):
        _method(check=no_key).prepare()
    assert get_method("gamma").prepare() == get_method("gamma").validate()
