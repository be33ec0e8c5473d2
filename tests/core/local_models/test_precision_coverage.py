"""core/local_models/precision.py: the dtype per choice and device, and what is refused."""

from __future__ import annotations

import pytest
import torch

from core.local_models.precision import DTYPES, dtype_name, torch_dtype
from core.methods.base import ParamError


@pytest.mark.parametrize(
    ("choice", "expected"),
    [("auto", torch.float32), ("bf16", torch.bfloat16), ("fp32", torch.float32)],
)
def test_cpu_dtypes(choice, expected):
    assert torch_dtype(choice, "cpu") is expected


def test_fp16_on_the_cpu_is_refused():
    with pytest.raises(ParamError, match="fp16 needs a CUDA device"):
        torch_dtype("fp16", "cpu")


@pytest.mark.parametrize("choice", ["FP32", "float32", "", "fp8"])
def test_unknown_choice_is_refused_and_named(choice):
    with pytest.raises(ParamError, match=f"unknown dtype {choice!r}"):
        torch_dtype(choice, "cpu")


@pytest.mark.parametrize(
    ("choice", "expected"),
    [("bf16", torch.bfloat16), ("fp16", torch.float16), ("fp32", torch.float32)],
)
def test_explicit_choices_on_cuda_need_no_gpu(choice, expected):
    assert torch_dtype(choice, "cuda:0") is expected


@pytest.mark.parametrize(("bf16", "expected"), [(True, torch.bfloat16), (False, torch.float16)])
def test_auto_on_cuda_follows_bf16_support(monkeypatch, bf16, expected):
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda *a, **k: bf16)
    assert torch_dtype("auto", "cuda") is expected


def test_dtype_names():
    assert dtype_name(torch.bfloat16) == "bfloat16"
    assert dtype_name(torch.float32) == "float32"
    assert DTYPES == ("auto", "bf16", "fp16", "fp32")
