"""Class colours from JSON and from every prompt form of Vision Banana (seed 004, Figs. 2-4)."""

from __future__ import annotations

import pytest

from core.depth.seg_classes import MAX_CLASS_TEXT, load_classes, parse_classes, parse_colour_value
from core.errors import IrisError


@pytest.mark.parametrize(
    ("text", "rgb"),
    [
        ("<255, 255, 0>", (255, 255, 0)),
        ("(255, 192, 128)", (255, 192, 128)),
        ("RGB(88, 50, 82)", (88, 50, 82)),
        ("rgb(88,50,82)", (88, 50, 82)),
        ("[1, 2, 3]", (1, 2, 3)),
        ("128,64,128", (128, 64, 128)),
        ("#ffcc00", (255, 204, 0)),
        ("#80C000", (128, 192, 0)),
        ("#fc0", (255, 204, 0)),
        ("yellow", (255, 255, 0)),
        ("Light Blue", (173, 216, 230)),
        ("black color", (0, 0, 0)),
        ([12, 34, 56], (12, 34, 56)),
    ],
)
def test_one_colour_in_every_form(text, rgb):
    assert parse_colour_value(text) == rgb


@pytest.mark.parametrize(
    "bad",
    ["(256, 0, 0)", "<-1, 0, 0>", "(0.5, 0, 1)", "#ggg000", "light purple", [1, 2], [1, 2, True]],
)
def test_a_bad_colour_is_one_error_naming_it(bad):
    with pytest.raises(IrisError, match="colour"):
        parse_colour_value(bad)


def test_out_of_range_in_a_prompt_names_the_colour():
    with pytest.raises(IrisError, match=r"'\(300, 0, 0\)'.*0\.\.255"):
        parse_classes("The tongs are (300, 0, 0). The cakes are (1, 2, 3).")


PROMPTS = [
    (  # Fig. 2a right
        "Generate a visualization image of semantic segmentation, using this color mapping: "
        '{"cat ears": <255, 165, 0>, "exit sign": <0, 0, 255>, "background":<125,0, 125>}',
        {"cat ears": (255, 165, 0), "exit sign": (0, 0, 255), "background": (125, 0, 125)},
    ),
    (  # Fig. 2b left
        "This image is a per-pixel class labeling of the input. The macaron cakes are "
        "represented by (255, 255, 0). The round plates are represented by (255, 192, 128). "
        "The slice cakes are depicted in (64, 192, 64). The flowers are shown in (128, 0, 64). "
        "The tongs are (255, 0, 192).",
        {
            "macaron cakes": (255, 255, 0),
            "round plates": (255, 192, 128),
            "slice cakes": (64, 192, 64),
            "flowers": (128, 0, 64),
            "tongs": (255, 0, 192),
        },
    ),
    (  # Fig. 2b right
        "Generate a semantic segmentation visualization of the input. The menu is #80C000. "
        "The dessert is #800000. The patterns on the wall is #40FFC0",
        {"menu": (128, 192, 0), "dessert": (128, 0, 0), "patterns on the wall": (64, 255, 192)},
    ),
    (  # Fig. 3b right
        'This image is a segmentation task derived from the input. The "crescent"-shaped '
        "croissant instances are each represented by a unique, solid color. "
        "Background is RGB(88, 50, 82).",
        {"Background": (88, 50, 82)},
    ),
    (  # Fig. 3c left
        "This image shows segmentation masks for the basketballs from the input image. The "
        "background is set to #10aa05. Each basketball instance is represented by a solid "
        "circular mask, and a different colora is used for each mask.",
        {"background": (16, 170, 5)},
    ),
    (  # Fig. 4a
        "A segmentation map image. The area that corresponds to the man in pink t shirt is "
        "rendered solid white; the other man is rendered in green.",
        {
            "area that corresponds to the man in pink t shirt": (255, 255, 255),
            "other man": (0, 128, 0),
        },
    ),
    (  # Fig. 4b
        "A segmentation map image. The stretching cat is rendered in green, the cat that is "
        "cleaning itself is in cyan.",
        {"stretching cat": (0, 128, 0), "cat that is cleaning itself": (0, 255, 255)},
    ),
    (  # Fig. 4c
        "This image shows segmentation masks from the given image. The background is black "
        "color. The game control device is represented by a solid yellow.",
        {"background": (0, 0, 0), "game control device": (255, 255, 0)},
    ),
    (  # Sec. 1
        "Segment the skateboard category in pure yellow (<255, 255, 0>)",
        {"skateboard": (255, 255, 0)},
    ),
    ('{"road": [128, 64, 128], "sky": "#4682b4"}', {"road": (128, 64, 128), "sky": (70, 130, 180)}),
    (
        '[["road", [128, 64, 128]], {"name": "car", "color": [0, 0, 142]}]',
        {"road": (128, 64, 128), "car": (0, 0, 142)},
    ),
    (
        "road: 128,64,128\nsky = #4682B4\nperson: (220, 20, 60)",
        {"road": (128, 64, 128), "sky": (70, 130, 180), "person": (220, 20, 60)},
    ),
]


@pytest.mark.parametrize(("prompt", "expected"), PROMPTS)
def test_prompt_forms_give_the_classes_in_order(prompt, expected):
    classes = parse_classes(prompt)
    assert classes == expected
    assert list(classes) == list(expected)  # the order is the label


def test_a_mapping_with_a_word_that_is_no_colour_is_refused():
    # Fig. 2a left: "light purple" is no CSS colour; the value of a mapping must be one
    prompt = (
        'using this color mapping: {"cat": "red", "lock": "pink", "exit sign": "light purple", '
        '"background": yellow}.'
    )
    with pytest.raises(IrisError, match="exit sign.*light purple"):
        parse_classes(prompt)
    fixed = prompt.replace("light purple", "plum")
    assert parse_classes(fixed) == {
        "cat": (255, 0, 0),
        "lock": (255, 192, 203),
        "exit sign": (221, 160, 221),
        "background": (255, 255, 0),
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Segment everything.", "no class colours"),
        ('{"a": [1, 2, 3], "b": [1, 2, 3]}', "share the colour"),
        ("The road is (1, 2, 3). The road is (4, 5, 6).", "given"),
        ('{"a": 7}', "colour"),
        ("x" * (MAX_CLASS_TEXT + 1), "more than"),
        ('"just text"', "no class colours"),
    ],
)
def test_refusals(text, message):
    with pytest.raises(IrisError, match=message):
        parse_classes(text)


def test_load_classes_reads_a_file_or_the_text(tmp_path):
    path = tmp_path / "prompt.txt"
    path.write_text("The menu is #80C000.", encoding="utf-8")
    assert load_classes(str(path)) == {"menu": (128, 192, 0)}
    assert load_classes('{"sky": "#4682b4"}') == {"sky": (70, 130, 180)}
    path.write_bytes(b"\xff\xfe bad")
    with pytest.raises(IrisError, match="prompt.txt"):
        load_classes(str(path))
