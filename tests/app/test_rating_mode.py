"""The Annotate view's blind rating mode, driven by real clicks and key presses."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt

from app.annotate_keys import key_help
from app.rating_mode import blind_order
from core.annotations import add
from tests.app.test_annotate_view import _project_with_images, _wait_image, view  # noqa: F401


def _outputs(project, count=6):
    hypir = project.ensure_method("hypir", "imported")
    pisa = project.ensure_method("pisa", "imported")
    half = count // 2
    return _project_with_images(project, half, method_id=hypir) + [
        project.add_image_array(image_pixels, name=f"pisa{i}", kind="imported", method_id=pisa)
        for i, image_pixels in enumerate(_pixels(count - half))
    ]


def _pixels(count):
    import numpy as np

    return [np.full((48, 64, 3), 0.5 + 0.05 * i, np.float32) for i in range(count)]


def test_press_3_stores_the_score_and_shows_the_next_image_blind(qtbot, view, project):  # noqa: F811
    images = _outputs(project)
    add(project, images[0], label="colour_shift", annotator="other", region_kind="rect",
        region={"x": 1, "y": 1, "w": 5, "h": 5})  # fmt: skip
    view.set_project(project)
    toggle = view.rating.toggle
    qtbot.mouseClick(toggle, Qt.MouseButton.LeftButton, pos=QPoint(8, toggle.height() // 2))
    assert view.rating_active and not view.annotate_panel.isVisible()
    expected = [i.id for i in blind_order(images, view.rating.seed.value())]
    assert [i.id for i in view.queue] == expected != sorted(expected)
    _wait_image(qtbot, view)
    first = view.current
    title = view.image_title.text()
    assert title.startswith("Image 1 of 6 (blind)")
    names = {i.name for i in images} | {"hypir", "pisa"}
    assert not any(name in title or name in view.progress_label.text() for name in names)
    assert view.canvas.overlays == []  # flags are not drawn while rating

    qtbot.keyClick(view.canvas, Qt.Key.Key_3)
    assert view.current.id == expected[1]  # the next image shows
    assert [(r["image_id"], r["rater"], r["score"]) for r in project.ratings()] == [
        (first.id, "tester", 3)
    ]
    assert view.image_title.text().startswith("Image 2 of 6 (blind): not rated")
    assert view.rating.chart.table.rowCount() == 1
    method = "hypir" if first.name.startswith("img") else "pisa"
    assert view.rating.chart.heights() == {method: [0, 0, 0, 3 - 2, 0, 0]}

    qtbot.keyClick(view.canvas, Qt.Key.Key_5)
    qtbot.keyClick(view.canvas, Qt.Key.Key_Backspace)  # back to image 2, still rated 5
    assert view.current.id == expected[1] and view.rating.score_label.text() == "5"
    qtbot.keyClick(view.canvas, Qt.Key.Key_0)  # re-rate: replaces
    scores = {r["image_id"]: r["score"] for r in project.ratings()}
    assert scores == {first.id: 3, expected[1]: 0}
    qtbot.keyClick(view.canvas, Qt.Key.Key_7)  # not a score: nothing stored, no flag made
    assert len(project.ratings()) == 2
    from core.annotations import annotations

    assert len(annotations(project)) == 1

    view.rating.seed.setValue(view.rating.seed.value() + 1)  # another seeded order
    assert [i.id for i in view.queue] == [
        i.id for i in blind_order(images, view.rating.seed.value())
    ]
    qtbot.mouseClick(toggle, Qt.MouseButton.LeftButton, pos=QPoint(8, toggle.height() // 2))
    assert not view.rating_active and view.annotate_panel.isVisible()
    assert view.current.name in view.image_title.text()  # names come back


def test_rating_keys_are_in_the_shortcut_table():
    rows = dict(key_help())
    assert rows["0-5"].startswith("rating mode: rate the image")
    assert rows["Backspace"] == "rating mode: back to the previous image"
