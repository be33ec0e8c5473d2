"""Argument types shared by the commands: numbers are finite and devices well formed, or argparse
refuses them with one line."""

from __future__ import annotations

import argparse
import math
import re


def finite_float(text: str) -> float:
    """A float argument; ``nan``, ``inf`` and non-numbers are refused with one line."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{text!r} is not a finite number")
    return value


def device_choice(text: str) -> str:
    """argparse type for ``--device``: auto, cpu, cuda or cuda:N."""
    if re.fullmatch(r"auto|cpu|cuda(:\d+)?", text):
        return text
    raise argparse.ArgumentTypeError(f"unknown device {text!r} (auto, cpu, cuda or cuda:N)")
