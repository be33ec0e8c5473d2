"""Saved compare state survives a round trip and shrugs off damage."""

from __future__ import annotations

from core.compare.labels import source_label
from core.compare.state import CompareState, grid_shape
from core.project.records import ImageRecord


def test_round_trip_and_invalid_values():
    state = CompareState(mode="difference", diff_mode="signed", crop=[1, 2, 3, 4], reference=2)
    state.set_offset(1, 2.0, -1.0)
    again = CompareState.from_dict(state.to_dict())
    assert again == state
    broken = CompareState.from_dict(
        {"mode": "nonsense", "crop": [1, 2], "diff_scale": "x", "white": 0.0, "black": 0.5}
    )
    assert broken.mode == "side" and broken.crop is None and broken.diff_scale == 1.0
    assert (broken.black, broken.white) == (0.0, 1.0)
    assert CompareState.from_dict(None) == CompareState()


def test_grid_shape():
    assert grid_shape(1) == (1, 1)
    assert grid_shape(4) == (2, 2)
    assert grid_shape(5) == (2, 3)
    assert grid_shape(8) == (2, 4)
    assert grid_shape(3, "columns") == (3, 1)
    assert grid_shape(3, "rows") == (1, 3)
    assert grid_shape(7, columns=2) == (4, 2)


def _record(**kw):
    base = dict(id=1, sha256="x", file="f", name="face", kind="imported", width=1, height=1)
    base.update(kw)
    base.setdefault("bit_depth", 8)
    base.setdefault("format", "PNG")
    return ImageRecord(**base)


def test_source_labels():
    assert source_label(_record()) == "input: face"
    assert source_label(_record(kind="restored"), method_name="swinir") == "restored: face [swinir]"
    assert (
        source_label(_record(kind="step", step_index=3), run_name="edit-chain")
        == "step 3 of edit-chain: face"
    )
    assert source_label(_record(kind="degraded")) == "degraded: face"
    named = _record(kind="restored", name="face [swinir]")
    assert source_label(named, method_name="swinir") == "restored: face [swinir]"  # not twice
    assert source_label(named, run_name="restore swinir 2026") == "restored: face [swinir]"
