"""What the Metrics view draws: whole steps for iterative runs, named images for restore runs."""

from __future__ import annotations

from app.metrics_data import categories_of, plot_data, table_rows
from core.metrics.series import RunSeries


def iterative(name: str, values: list[float], group: str = "g") -> RunSeries:
    steps = list(range(len(values)))
    return RunSeries(name, 1, "iterate", group, "in.png", steps, [10 + s for s in steps],
                     {"niqe": list(values)})  # fmt: skip


def restore(name: str, keys: list[int], values: list[float], group=None) -> RunSeries:
    return RunSeries(name, 2, "restore", group, name, list(keys), [100 + k for k in keys],
                     {"niqe": list(values)})  # fmt: skip


def test_restore_runs_sit_on_their_input_images_not_on_a_step_axis():
    names = {2: "fabric.png", 5: "text.png"}
    data = plot_data(
        [restore("r1", [2, 5], [3.0, 4.0]), restore("r2", [5], [6.0])], ["niqe"], names
    )
    assert data.categories == ["fabric.png", "text.png"] and data.x_label == "input image"
    assert [(c.run, c.steps, c.values) for c in data.curves] == [
        ("r1", [0, 1], [3.0, 4.0]),
        ("r2", [1], [6.0]),
    ]
    assert not data.note


def test_iterative_runs_keep_their_steps_and_a_mixed_selection_says_what_was_left_out():
    data = plot_data([iterative("a", [1.0, 2.0, 3.0]), restore("r", [2], [5.0])], ["niqe"], {})
    assert data.categories is None and data.x_label == "step"
    assert [c.steps for c in data.curves] == [[0, 1, 2]]
    assert "1 restore run(s) not drawn" in data.note


def test_a_band_of_restore_repeats_is_a_mean_per_image():
    data = plot_data(
        [restore("r1", [2], [3.0], "rep"), restore("r2", [2], [5.0], "rep")],
        ["niqe"],
        {2: "x"},
        band=True,
    )
    (curve,) = data.curves
    assert curve.steps == [0] and curve.values == [4.0] and curve.spread == [1.0]


def test_two_inputs_with_one_name_stay_apart():
    keys, labels = categories_of([restore("r", [3, 4], [1.0, 2.0])], {3: "a.png", 4: "a.png"})
    assert keys == [3, 4] and labels == ["a.png (#3)", "a.png (#4)"]


def test_table_rows_give_the_step_or_the_input_image():
    rows = table_rows([iterative("a", [1.0]), restore("r", [2], [5.0])], ["niqe"], {2: "f.png"})
    assert (rows[0]["step"], rows[0]["input"]) == (0, "in.png")
    assert (rows[1]["step"], rows[1]["input"], rows[1]["image_id"]) == (None, "f.png", 102)
