"""ParamForm builds bounded editors from parameter specs and returns typed values."""

from __future__ import annotations

from core.methods import get_method
from widgets.param_form import ParamForm


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


def test_described_specs_mark_changed_values_and_report_user_edits(qtbot):
    specs = [
        {"name": "sigma", "type": "float", "min": 0.0, "max": 50.0, "unit": "px"},
        {"name": "layer", "type": "path", "default": "mirror"},
    ]
    form = ParamForm()
    qtbot.addWidget(form)
    form.set_params(specs, values={"sigma": 2.0}, defaults={"sigma": 2.0, "layer": "mirror"})
    edits = []
    form.value_changed.connect(lambda name, value: edits.append((name, value)))
    form.set_value("sigma", 3.0)  # a program's change: no signal
    assert edits == [] and form.values() == {"sigma": 3.0, "layer": "mirror"}
    assert form._labels["sigma"].font().bold() and not form._labels["layer"].font().bold()
    form.editor("sigma").setValue(2.0)  # a user's edit back to the default
    assert edits == [("sigma", 2.0)] and not form._labels["sigma"].font().bold()
