"""The lazy name -> factory registry every pluggable kind uses."""

from __future__ import annotations

import sys

import pytest

from core.errors import RegistryError
from core.registry import Registry


def test_register_directly_and_as_decorator():
    shapes = Registry("shape")
    shapes.register("square", lambda side: side * side)

    @shapes.register("triangle", sides=3)
    def triangle(base, height):
        return base * height / 2

    assert shapes.get("square")(3) == 9
    assert shapes.get("triangle")(4, 3) == 6
    assert shapes.meta("triangle") == {"sides": 3}
    assert shapes.names() == ["square", "triangle"]
    assert "square" in shapes and len(shapes) == 2


def test_unknown_name_lists_the_known_ones():
    shapes = Registry("shape")
    shapes.register("square", object())
    shapes.register("circle", object())
    with pytest.raises(RegistryError) as caught:
        shapes.get("hexagon")
    assert str(caught.value) == "unknown shape 'hexagon'; known: circle, square"
    with pytest.raises(KeyError):  # RegistryError is also a KeyError for callers that expect one
        shapes.get_name("hexagon")


def test_lazy_entries_import_on_first_use_only():
    modules = Registry("module")
    modules.register_lazy("decimal", "decimal:Decimal", title="Decimal numbers")
    sys.modules.pop("decimal", None)
    assert modules.meta("decimal")["title"] == "Decimal numbers"
    assert not modules.is_loaded("decimal") and "decimal" not in sys.modules
    decimal_class = modules.get("decimal")
    assert decimal_class.__name__ == "Decimal" and modules.is_loaded("decimal")


def test_duplicates_and_bad_lazy_targets_are_refused():
    shapes = Registry("shape")
    shapes.register("square", 1)
    with pytest.raises(ValueError, match="already registered"):
        shapes.register("square", 2)
    with pytest.raises(ValueError, match="module:attribute"):
        shapes.register_lazy("circle", "no_colon_here")


def test_names_keep_registration_order_and_errors_list_them_sorted():
    """The order of the registration lines is the order of menus, tabs and listings."""
    kinds = Registry("kind")
    for name in ("zebra", "apple", "mango"):
        kinds.register_lazy(name, "decimal:Decimal")
    assert kinds.names() == ["zebra", "apple", "mango"] == list(kinds)
    with pytest.raises(RegistryError, match="known: apple, mango, zebra$"):
        kinds.get("kiwi")


def test_degradations_and_views_list_in_registration_order():
    from app.views import VIEWS, ordered_view_names
    from core.degrade.registry import DEGRADATIONS, kinds_in_order

    families = [DEGRADATIONS.meta(name)["family"] for name in DEGRADATIONS.names()]
    assert DEGRADATIONS.names()[:3] == ["gaussian_blur", "defocus_blur", "motion_blur"]
    assert families == sorted(families, key=families.index)  # grouped by family
    assert kinds_in_order() == DEGRADATIONS.names()
    assert ordered_view_names() == VIEWS.names()
    assert VIEWS.names() == ["images", "compare", "runs", "plots", "depth", "annotate", "tables"]
