"""Removing and re-inserting a view keeps every index pointing at the same image."""

from __future__ import annotations

from app.compare_undo import state_with, state_without


def test_remove_then_insert_restores_offsets_and_roles():
    state = {"offsets": [[0, 0], [3, -2], [1, 1]], "reference": 1, "swipe_a": 2, "swipe_b": 1}
    removed, offset, roles = state_without(state, 1)
    assert offset == [3, -2] and set(roles) == {"reference", "swipe_b"}
    assert removed["offsets"] == [[0, 0], [1, 1]]
    assert (removed["reference"], removed["swipe_a"], removed["swipe_b"]) == (0, 1, 0)
    back = state_with(removed, 1, offset, roles)
    assert back["offsets"] == state["offsets"]
    assert (back["reference"], back["swipe_a"], back["swipe_b"]) == (1, 2, 1)


def test_insert_past_the_saved_offsets_pads_them():
    assert state_with({"offsets": []}, 2, [5, 5], ())["offsets"] == [[0, 0], [0, 0], [5, 5]]
