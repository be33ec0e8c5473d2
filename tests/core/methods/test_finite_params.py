"""Every numeric parameter refuses NaN and infinity, from Python values and from CLI strings."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from core.degrade.base import DegradationError
from core.degrade.registry import DEGRADATIONS
from core.methods import METHODS, get_method
from core.methods.base import ParamError
from tests.core import rawdb

NON_FINITE = [math.nan, math.inf, -math.inf, "nan", "NaN", "inf", "-inf", "Infinity", "1e999"]


def numeric_params():
    for name in METHODS.names():
        method = get_method(name)
        for param in method.params:
            if param.type in ("int", "float"):
                yield pytest.param(name, param.name, id=f"{name}.{param.name}")


@pytest.mark.parametrize(("method", "param"), list(numeric_params()))
@pytest.mark.parametrize("value", NON_FINITE, ids=str)
def test_method_parameters_refuse_non_finite(method, param, value):
    with pytest.raises(ParamError, match=param):
        get_method(method).validate({param: value})


@settings(max_examples=200, deadline=None)
@given(st.floats(allow_nan=True, allow_infinity=True))
def test_an_accepted_float_is_finite_and_in_range(value):
    spec = get_method("unsharp").param("amount")
    try:
        parsed = spec.parse(value)
    except ParamError:
        assert not (math.isfinite(value) and spec.min <= value <= spec.max)
        return
    assert math.isfinite(parsed) and spec.min <= parsed <= spec.max


def test_degradation_parameters_refuse_non_finite():
    for kind in DEGRADATIONS.names():
        degradation = DEGRADATIONS.get(kind)
        for param in degradation.params:
            if param.type not in ("int", "float"):
                continue
            for value in (math.nan, math.inf, -math.inf):
                with pytest.raises(DegradationError, match="finite"):
                    param.coerce(value, kind)


def test_non_finite_meta_is_stored_as_null(project):
    data = np.full((4, 4, 3), 0.5, np.float32)
    record = project.add_image_array(
        data, name="x", kind="imported", meta={"a": math.nan, "b": [1.0, math.inf], "c": 2.0}
    )
    row = rawdb.rows(project, "SELECT json_extract(meta, '$.c') AS c, meta FROM images")[0]
    assert row["c"] == 2.0
    assert json.loads(row["meta"]) == {"a": None, "b": [1.0, None], "c": 2.0}
    assert project.image(record.id).meta["a"] is None


@pytest.mark.parametrize(
    ("method", "param"),
    [
        ("unsharp", "amount"),
        ("gamma", "gamma"),
        ("dehaze", "omega"),
        ("deconvolve", "sigma"),
        ("deconvolve", "length"),
    ],
)
def test_cli_refuses_nan_parameters_and_stores_nothing(tmp_path, method, param):
    Image.fromarray(np.full((8, 8, 3), 100, np.uint8)).save(tmp_path / "in.png")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "app",
            "restore",
            "--project",
            str(tmp_path / "p"),
            "--method",
            method,
            "--param",
            f"{param}=nan",
            str(tmp_path / "in.png"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert param in result.stderr and "nan" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_cli_float_options_refuse_nan(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "app", "depth", str(tmp_path / "x.png"), "--near", "nan"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and "not a finite number" in result.stderr
    assert "Traceback" not in result.stderr
