"""Study tags (with inheritance from inputs) and human ratings in the project store."""

from __future__ import annotations

import numpy as np
import pytest

from core.errors import ProjectError
from core.imageio import encode_png
from core.project import Project
from core.project.ratings import RatingError
from core.project.tags import TagError, parse_tag


def _png(value: int) -> bytes:
    return encode_png(np.full((4, 4, 3), value, np.uint8))


@pytest.fixture
def chain(tmp_path):
    """An input, its restored output, and that output's own output."""
    project = Project.create(tmp_path / "p")
    first = project.add_image_bytes(_png(1), name="in.png", kind="imported")
    second = project.add_image_bytes(_png(2), name="out.png", kind="restored", parent_id=first.id)
    third = project.add_image_bytes(_png(3), name="out2.png", kind="restored", parent_id=second.id)
    yield project, first.id, second.id, third.id
    project.close()


def test_outputs_inherit_their_inputs_tags_own_values_win(chain):
    project, a, b, c = chain
    project.set_tags([a], {"scene": "text", "degradation": "blur"})
    project.set_tags([b], {"scene": "face"})
    tags = project.tags_for([a, b, c])
    assert tags[a] == {"scene": "text", "degradation": "blur"}
    assert tags[b] == {"scene": "face", "degradation": "blur"}
    assert tags[c] == {"scene": "face", "degradation": "blur"}  # nearest ancestor wins
    assert project.own_tags(c) == {}
    assert project.images_tagged({"degradation": "blur"}) == [a, b, c]
    assert project.images_tagged({"scene": "text"}) == [a]
    assert project.tag_keys() == ["degradation", "scene"]
    assert project.tag_values("scene") == ["face", "text"]


def test_setting_a_key_again_replaces_and_remove_falls_back_to_parent(chain):
    project, a, b, _ = chain
    project.set_tags([a], {"scene": "text"})
    project.set_tags([b], {"scene": "face"})
    project.set_tags([b], {"scene": "sky"})
    assert project.own_tags(b) == {"scene": "sky"}
    assert project.remove_tags([b], ["scene"]) == 1
    assert project.tags_for([b])[b] == {"scene": "text"}


@pytest.mark.parametrize(
    "text", ["noequals", "=v", "1abc=v", "a b=v", "k=", "k=a\nb", "k=" + "x" * 300]
)
def test_bad_tags_are_refused_with_the_rule(text):
    with pytest.raises(TagError):
        parse_tag(text)


def test_a_bad_tag_writes_nothing(chain):
    project, a, b, _ = chain
    with pytest.raises(TagError):
        project.set_tags([a, b], {"scene": "ok", "bad key": "x"})
    with pytest.raises(ProjectError):
        project.set_tags([a, 999], {"scene": "ok"})
    assert project.tags_for(None) == {}


def test_ratings_replace_per_rater_and_refuse_bad_scores(chain):
    project, a, b, _ = chain
    project.put_rating(a, "ann", 3)
    project.put_rating(a, "ann", "4")
    project.put_rating(a, "bob", 5.0)
    assert [(r["rater"], r["score"]) for r in project.ratings()] == [("ann", 4), ("bob", 5)]
    for bad in (6, -1, 2.5, float("nan"), float("inf"), "x", True, None):
        with pytest.raises(RatingError):
            project.put_rating(b, "ann", bad)
    with pytest.raises(RatingError):
        project.put_ratings([(b, "ann", 1), (b, "bob", 9)])
    assert [r["image_id"] for r in project.ratings()] == [a, a]  # the bad batch wrote nothing
    assert project.raters() == ["ann", "bob"]
    assert project.delete_rating(a, "bob") and not project.delete_rating(a, "bob")
