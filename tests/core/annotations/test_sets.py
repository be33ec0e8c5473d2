"""Review queues: a set of images, kept to those flagged with a label, by an annotator."""

from __future__ import annotations

from core.annotations import add
from core.annotations.sets import image_sets, images_in_set, review_queue


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


def _study(project, images):
    """Two iterate steps of images[0] (prompt B100-REPLICA) and a gamma restore of images[1]."""
    from core.iterate.runner import IterateSpec, iterate
    from core.methods.runner import restore_images

    iterate(project.path, images[0].id, IterateSpec("generation-loss", 2), group="g")
    (made,) = restore_images(project.path, [images[1].id], "gamma", {"gamma": 2.0})
    return project.run("g-r1"), project.image(made.output_image_id)


def test_the_sets_worth_walking_are_listed_with_their_sizes(project, images):
    run, restored = _study(project, images)
    sets = dict(image_sets(project))
    assert list(sets)[0] == "all" and sets["all"] == "All images (7)"  # 4 + 2 steps + 1
    assert sets[f"run:{run.id}"] == "Run g-r1 (2)"
    methods = {m["name"]: m["id"] for m in project.methods()}
    assert sets[f"method:{methods['generation-loss']}"] == "Method generation-loss (2)"
    gamma = next(name for name in methods if name.startswith("gamma"))
    assert sets[f"method:{methods[gamma]}"] == f"Method {gamma} (1)"
    prompts = [key for key in sets if key.startswith("prompt:")]
    assert prompts == ["prompt:B100-REPLICA"] and sets[prompts[0]] == "Prompt B100-REPLICA (2)"
    restore_run = next(r for r in project.runs() if r.kind != "iterate")
    assert sets[f"run:{restore_run.id}"] == f"Run {restore_run.name} (1)"


def test_each_set_holds_its_images_and_a_run_walks_its_steps_in_order(project, images):
    run, restored = _study(project, images)
    steps = images_in_set(project, f"run:{run.id}")
    assert [s.step_index for s in steps] == [1, 2] and all(s.run_id == run.id for s in steps)
    assert [i.id for i in images_in_set(project, "all")] == [i.id for i in project.images()]
    methods = {m["name"]: m["id"] for m in project.methods()}
    by_method = images_in_set(project, f"method:{methods['generation-loss']}")
    assert [i.id for i in by_method] == [s.id for s in steps]
    gamma = next(name for name in methods if name.startswith("gamma"))
    assert [i.id for i in images_in_set(project, f"method:{methods[gamma]}")] == [restored.id]
    assert [i.id for i in images_in_set(project, "prompt:B100-REPLICA")] == [s.id for s in steps]
    assert images_in_set(project, "prompt:NOPE") == []
    assert images_in_set(project, "method:9999") == []


def test_an_unknown_set_is_refused_with_the_known_forms(project, images):
    import pytest

    from core.errors import IrisError

    with pytest.raises(IrisError, match="unknown image set 'tag:x'; use all, run:ID"):
        images_in_set(project, "tag:x")
    queue = review_queue(project, "all", method="(none)")
    assert [i.id for i in queue] == [i.id for i in images]  # imported: made by no method
