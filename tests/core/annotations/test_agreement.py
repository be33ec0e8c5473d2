"""Cohen's and Fleiss' kappa per label, checked against values worked out by hand."""

from __future__ import annotations

import numpy as np
import pytest

from core.annotations import add, mark_reviewed
from core.annotations.agreement import agreement, cohen_kappa, fleiss_kappa
from core.annotations.exchange import export_project, import_files
from core.annotations.summary import summary
from core.project import Project
from tests.core.annotations.conftest import add_images


def test_cohen_kappa_by_hand():
    # 10 items. A says yes to 0-3, B to 0, 1, 4. Agree on 0, 1 (yes) and 5-9 (no): po = 0.7.
    # pA = 0.4, pB = 0.3; pe = 0.4 * 0.3 + 0.6 * 0.7 = 0.54; kappa = 0.16 / 0.46 = 8 / 23.
    a = np.isin(np.arange(10), [0, 1, 2, 3])
    b = np.isin(np.arange(10), [0, 1, 4])
    kappa, observed, expected = cohen_kappa(a, b)
    assert observed == pytest.approx(0.7)
    assert expected == pytest.approx(0.54)
    assert kappa == pytest.approx(8 / 23)
    assert cohen_kappa(np.zeros(4, bool), np.zeros(4, bool))[0] is None  # undefined


def test_fleiss_kappa_by_hand():
    # 4 items, 3 raters; "present" counts 3, 0, 2, 1. P_i = 1, 1, 1/3, 1/3 -> mean 2/3.
    # p(present) = 6/12 = 0.5 -> Pe = 0.5; kappa = (2/3 - 1/2) / (1/2) = 1/3.
    ratings = np.array([[1, 1, 1], [0, 0, 0], [1, 1, 0], [0, 0, 1]], bool)
    kappa, observed, expected = fleiss_kappa(ratings)
    assert (observed, expected) == (pytest.approx(2 / 3), pytest.approx(0.5))
    assert kappa == pytest.approx(1 / 3)
    # with two raters Fleiss' and Cohen's differ only through the chance model
    assert fleiss_kappa(ratings[:, :2])[0] == pytest.approx(1.0)


def test_merged_annotators_agreement_matches_the_hand_value(tmp_path):
    """Two annotators flag 10 images in their own copies; the merged project gives 8/23."""
    exports = []
    for who, flagged in (("alice", [0, 1, 2, 3]), ("bob", [0, 1, 4])):
        with Project.create(tmp_path / who) as copy:
            images = add_images(copy, 10)
            for i in flagged:
                add(copy, images[i], label="object_insertion", annotator=who)
            add(copy, images[9], label="dense_hair", annotator=who)  # both agree here
            for image in images:
                mark_reviewed(copy, image.id, who)
            exports.append(tmp_path / f"{who}.json")
            export_project(copy, "json", exports[-1])
    with Project.create(tmp_path / "merged") as merged:
        add_images(merged, 10)
        import_files(merged, exports)
        result = summary(merged)
    insertion = result["agreement"]["object_insertion"]
    assert insertion["method"] == "cohen" and insertion["items"] == 10
    assert insertion["kappa"] == pytest.approx(8 / 23, abs=1e-6)
    assert result["agreement"]["dense_hair"]["kappa"] == pytest.approx(1.0)
    assert result["agreement"]["colour_shift"]["kappa"] is None  # nobody used it
    assert result["by_label"] == {"object_insertion": 7, "dense_hair": 2}


def test_three_annotators_use_fleiss_and_only_images_all_have_seen(project):
    images = add_images(project, 5)
    plan = {"a": [0, 2], "b": [0, 2], "c": [0, 3]}
    for who, flagged in plan.items():
        for i in flagged:
            add(project, images[i], label="colour_shift", annotator=who)
        for image in images[:4]:  # image 4 is seen by nobody
            mark_reviewed(project, image.id, who)
    live = __import__("core.annotations", fromlist=["x"]).annotations(project)
    reviews = [(images[i].sha256, who) for who in plan for i in range(4)]
    result = agreement(live, ["colour_shift"], reviews)["colour_shift"]
    assert result["method"] == "fleiss" and result["items"] == 4
    # items: [3, 0, 2, 1] present -> the hand value of test_fleiss_kappa_by_hand
    assert result["kappa"] == pytest.approx(1 / 3, abs=1e-6)
