"""When a new comparison may keep the old one's zoom and crop: same frame size and source."""

from __future__ import annotations

from core.compare.related import related, source_of

# 1 input -> 2 degraded, 1 -> 3 step 1 -> 4 step 2; 5 another input; 6 -> 7 -> 6 a broken cycle
PARENTS = {1: None, 2: 1, 3: 1, 4: 3, 5: None, 6: 7, 7: 6}


def test_source_is_the_top_ancestor_and_cycles_stop():
    assert source_of(4, PARENTS) == 1
    assert source_of(1, PARENTS) == 1
    assert source_of(99, PARENTS) == 99  # unknown: itself
    assert source_of(6, PARENTS) in (6, 7)


def test_same_source_and_frame_size_is_related():
    assert related([1, 2], [1, 4], PARENTS, (50, 40), (50, 40))  # shares image 1
    assert related([2], [4], PARENTS, (50, 40), (50, 40))  # shares source 1


def test_other_source_other_size_or_nothing_before_is_not():
    assert not related([1, 2], [5], PARENTS, (50, 40), (50, 40))
    assert not related([1, 2], [1, 4], PARENTS, (50, 40), (100, 80))  # the frame changed size
    assert not related([], [1], PARENTS, None, (50, 40))
    assert not related([1], [], PARENTS, (50, 40), None)
