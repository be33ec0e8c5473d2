"""Every degradation kind: it damages, damage grows with severity, and it is reproducible."""

from __future__ import annotations

import numpy as np
import pytest

from core.degrade import DEGRADATIONS, DegradationError, Recipe, apply_recipe, get_degradation
from core.degrade.batch import encode_degraded_png
from core.degrade.registry import describe_all, kinds_in_order
from tests.core.degrade.conftest import psnr

ALL_KINDS = kinds_in_order()
REQUIRED = {
    "gaussian_blur", "defocus_blur", "motion_blur", "jpeg", "web_reencode", "gaussian_noise",
    "poisson_gaussian_noise", "film_grain", "low_light", "haze", "rain", "moire", "flare",
    "reflection", "old_photo", "surveillance", "digital_zoom",
}  # fmt: skip


def test_registry_has_every_required_kind_in_family_order():
    assert set(ALL_KINDS) == REQUIRED == set(DEGRADATIONS.names())
    families = [DEGRADATIONS.meta(name)["family"] for name in ALL_KINDS]
    # kinds of one family are listed together
    assert len(families) - len(set(families)) == sum(
        1 for a, b in zip(families, families[1:], strict=False) if a == b
    )


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_every_kind_changes_the_image_and_keeps_its_shape(kind, scene):
    out = apply_recipe(scene, Recipe.single(kind, 1), seed=0)
    assert out.shape == scene.shape and out.dtype == np.float32
    assert out.min() >= 0.0 and out.max() <= 1.0
    assert np.abs(out - scene).mean() > 1e-3, f"{kind} at severity 1 barely changes the image"


@pytest.mark.parametrize("kind", ALL_KINDS)
@pytest.mark.parametrize("seed", [0, 5])
def test_psnr_falls_monotonically_with_severity(kind, seed, scene):
    scores = [psnr(apply_recipe(scene, Recipe.single(kind, s), seed), scene) for s in range(1, 6)]
    assert all(a > b for a, b in zip(scores, scores[1:], strict=False)), (kind, scores)


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_same_seed_gives_identical_png_bytes(kind, scene):
    recipe = Recipe.single(kind, 4)
    first = encode_degraded_png(apply_recipe(scene, recipe, 11), recipe, 11)
    second = encode_degraded_png(apply_recipe(scene.copy(), recipe, 11), recipe, 11)
    assert first == second


@pytest.mark.parametrize(
    "kind", ["gaussian_noise", "poisson_gaussian_noise", "film_grain", "rain", "moire", "old_photo"]
)
def test_random_kinds_depend_on_the_seed(kind, scene):
    a = apply_recipe(scene, Recipe.single(kind, 3), 1)
    b = apply_recipe(scene, Recipe.single(kind, 3), 2)
    assert not np.array_equal(a, b)


def test_no_global_random_state_is_used_or_changed(scene):
    np.random.seed(99)
    before = np.random.get_state()[1].copy()
    a = apply_recipe(scene, Recipe.single("gaussian_noise", 3), 3)
    np.random.seed(1)
    b = apply_recipe(scene, Recipe.single("gaussian_noise", 3), 3)
    assert np.array_equal(a, b)
    np.random.seed(99)
    assert np.array_equal(np.random.get_state()[1], before)


def test_describe_lists_params_with_levels_or_defaults():
    kinds = {entry["name"]: entry for entry in describe_all()}
    assert set(kinds) == REQUIRED
    for entry in kinds.values():
        assert entry["params"], entry["name"]
        assert any("levels" in p for p in entry["params"]), f"{entry['name']} ignores severity"
        for param in entry["params"]:
            assert ("levels" in param) != ("default" in param)
            if "levels" in param:
                assert len(param["levels"]) == 5
    motion = {p["name"]: p for p in kinds["motion_blur"]["params"]}
    assert motion["angle"]["default"] == 30.0 and motion["angle"]["max"] == 180.0


def test_overrides_replace_the_severity_value_and_are_checked():
    haze = get_degradation("haze")
    assert haze.resolve(2)["beta"] == 0.8
    assert haze.resolve(2, {"beta": 1.5})["beta"] == 1.5
    with pytest.raises(DegradationError, match="above the maximum"):
        haze.resolve(2, {"beta": 100})
    with pytest.raises(DegradationError, match="unknown parameter 'betta'"):
        haze.resolve(2, {"betta": 1})
    with pytest.raises(DegradationError, match="severity must be 1-5"):
        haze.resolve(6)
    with pytest.raises(DegradationError, match="not one of"):
        get_degradation("digital_zoom").resolve(1, {"upscaler": "magic"})
    with pytest.raises(DegradationError, match="whole number"):
        get_degradation("jpeg").resolve(1, {"quality": 12.5})


def test_motion_blur_follows_its_angle():
    image = np.zeros((41, 41, 3), np.float32)
    image[20, 20] = 1.0
    kind = get_degradation("motion_blur")
    rng = np.random.default_rng(0)
    flat = kind.apply(image, rng, kind.resolve(3, {"angle": 0.0}))[..., 0]
    upright = kind.apply(image, rng, kind.resolve(3, {"angle": 90.0}))[..., 0]
    assert (flat[20] > 1e-3).sum() == 15 and (flat[:, 20] > 1e-2).sum() <= 3
    assert (upright[:, 20] > 1e-3).sum() == 15 and (upright[20] > 1e-2).sum() <= 3
    for blurred in (flat, upright):  # centred: the blur moves no content
        ys, xs = np.mgrid[0:41, 0:41]
        assert abs((blurred * ys).sum() / blurred.sum() - 20) < 1e-3
        assert abs((blurred * xs).sum() / blurred.sum() - 20) < 1e-3


def test_bad_pixels_are_refused():
    kind = get_degradation("gaussian_blur")
    with pytest.raises(DegradationError, match=r"expected \(H, W, 3\)"):
        kind.apply(np.zeros((8, 8), np.float32), np.random.default_rng(0), kind.resolve(1))


def test_a_chain_of_every_kind_gives_the_same_bytes_in_another_process(scene, tmp_path):
    """Byte-identical across processes too (no thread-order or import-order effects)."""
    import subprocess
    import sys
    from pathlib import Path

    from core.degrade import Step
    from core.imageio import save_png

    root = Path(__file__).resolve().parents[3]
    recipe = Recipe([Step(kind, 2) for kind in ALL_KINDS])
    recipe.save(tmp_path / "all.json")
    save_png(tmp_path / "clean.png", scene)
    here = encode_degraded_png(
        apply_recipe(load_clean(tmp_path / "clean.png"), recipe, 123), recipe, 123
    )
    code = (
        "import sys; from app.cli import main; sys.exit(main(['degrade', sys.argv[1], "
        "'--recipe', sys.argv[2], '--seed', '123', '--out', sys.argv[3]]))"
    )
    subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "clean.png"), str(tmp_path / "all.json"),
         str(tmp_path / "there.png")],
        check=True, env={**__import__("os").environ, "PYTHONPATH": str(root)},
    )  # fmt: skip
    assert (tmp_path / "there.png").read_bytes() == here


def load_clean(path):
    from core.imageio import load_image

    return load_image(path).pixels
