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
