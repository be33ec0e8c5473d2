"""Reproducible synthetic degradations: a registry of kinds, each with severity 1-5, and recipes.

    from core.degrade import Recipe, Step, apply_recipe
    recipe = Recipe([Step("haze", 3), Step("jpeg", 2)])
    damaged = apply_recipe(clean_pixels, recipe, seed=7)

The same pixels, recipe and seed always give the same result (see :mod:`core.degrade.recipe`).
"""

from core.degrade.base import SEVERITIES, Degradation, DegradationError, Param
from core.degrade.recipe import Recipe, Step, apply_recipe
from core.degrade.registry import DEGRADATIONS, describe_all, get_degradation

__all__ = [
    "DEGRADATIONS",
    "SEVERITIES",
    "Degradation",
    "DegradationError",
    "Param",
    "Recipe",
    "Step",
    "apply_recipe",
    "describe_all",
    "get_degradation",
]
