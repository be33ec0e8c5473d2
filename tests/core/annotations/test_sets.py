"""Review queues: a set of images, kept to those flagged with a label, by an annotator."""

from __future__ import annotations

from core.annotations import add
from core.annotations.sets import review_queue


def test_queue_filters_by_label_and_annotator_and_walks_a_selection(project, images):
    add(project, images[1], label="colour_shift", annotator="alice")
    add(project, images[2], label="dense_hair", annotator="bob")
    add(project, images[3], label="colour_shift", annotator="bob")
    assert [i.id for i in review_queue(project, "all")] == [i.id for i in images]
    shifted = review_queue(project, "all", label="colour_shift")
    assert [i.id for i in shifted] == [images[1].id, images[3].id]
    assert [i.id for i in review_queue(project, "all", annotator="bob")] == [
        images[2].id,
        images[3].id,
    ]
    both = review_queue(project, "all", label="colour_shift", annotator="bob")
    assert [i.id for i in both] == [images[3].id]
    chosen = review_queue(project, "selection", selection=[images[2], images[0]])
    assert [i.id for i in chosen] == [images[2].id, images[0].id]
    assert review_queue(project, "all", method="no-such-method") == []


def test_method_filter_keeps_the_images_a_real_method_made(project, images):
    import numpy as np

    from core.methods.runner import restore_images

    (made,) = restore_images(project.path, [images[0].id], "gamma", {"gamma": 2.0})
    output = project.image(made.output_image_id)
    hypir = project.ensure_method("hypir", "imported")
    imported = project.add_image_array(
        np.full((8, 8, 3), 0.3, np.float32), name="hypir out", kind="method_output",
        parent_id=images[1].id, method_id=hypir,
    )  # fmt: skip
    gamma_name = project.image_methods()[output.id]
    assert gamma_name.startswith("gamma")
    assert [i.id for i in review_queue(project, "all", method=gamma_name)] == [output.id]
    assert [i.id for i in review_queue(project, "all", method="hypir")] == [imported.id]
    add(project, imported, label="colour_shift", annotator="alice")
    flagged = review_queue(project, "all", method="hypir", label="colour_shift")
    assert [i.id for i in flagged] == [imported.id]
    assert review_queue(project, "all", method=gamma_name, label="colour_shift") == []
