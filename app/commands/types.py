"""Argument types shared by the commands: numbers are finite, or argparse refuses them."""

from __future__ import annotations

import argparse
import math


def finite_float(text: str) -> float:
    """A float argument; ``nan``, ``inf`` and non-numbers are refused with one line."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{text!r} is not a finite number")
    return value
