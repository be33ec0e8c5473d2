"""ParamForm builds bounded editors from parameter specs and returns typed values."""

from __future__ import annotations

from core.methods import get_method
from widgets.method_param_form import ParamForm


def test_editors_are_bounded_and_values_typed(qtbot):
    method = get_method("nlmeans")
    form = ParamForm(method.params)
    qtbot.addWidget(form)
    assert form.editors["h"].maximum() == 100.0 and form.editors["template_window"].minimum() == 3
    form.set_value("h", 500)  # clamped by the spin box to the spec's maximum
    form.set_value("search_window", 15)
    values = method.validate(form.values())
    assert values["h"] == 100.0 and values["search_window"] == 15
    assert isinstance(values["template_window"], int)


def test_choice_bool_and_text_editors(qtbot):
    form = ParamForm(get_method("gemini").params)
    qtbot.addWidget(form)
    form.set_value("image_size", "4K")
    form.set_value("thoughts", False)
    form.set_value("prompt", "L2")
    values = form.values()
    assert values["image_size"] == "4K" and values["thoughts"] is False and values["prompt"] == "L2"
    assert get_method("gemini").validate(values)["image_size"] == "4K"
    form.set_params(get_method("gamma").params)
    assert set(form.values()) == {"gamma", "target_mean"}
