"""Class colours of a segmentation prompt: a class -> RGB map from JSON or from the prompt text.

Vision Banana asks for segmentation as colours and states them in the prompt in
many ways (seed 004, Figs. 2-4, quoted verbatim):

- a mapping with colour words: ``{"cat": "red", "lock": "pink", "exit sign":
  "light purple", "background": yellow}`` (Fig. 2a, left; not strict JSON);
- a mapping with angle triples: ``{"cat ears": <255, 165, 0>, "exit sign": <0, 0,
  255>, "background":<125,0, 125>}`` (Fig. 2a, right);
- prose with triples: ``The macaron cakes are represented by (255, 255, 0). The
  round plates are represented by (255, 192, 128).`` (Fig. 2b, left);
- prose with hex: ``The menu is #80C000. The dessert is #800000.`` (Fig. 2b, right);
- ``Background is RGB(88, 50, 82).`` (Fig. 3b) and ``The background is set to
  #10aa05.`` (Fig. 3c);
- colour words in prose: ``The stretching cat is rendered in green, the cat that
  is cleaning itself is in cyan.`` (Fig. 4b), ``The background is black color.``
  (Fig. 4c);
- the introduction's ``Segment the skateboard category in pure yellow (<255, 255, 0>)``.

:func:`parse_classes` reads all of these, strict JSON (an object, or a list of
``[name, colour]`` / ``{"name", "color"}``), and ``name: colour`` lines. Colour
words are the CSS named colours (:mod:`core.depth.css_colours`); a word that is
not one (the paper's "light purple") is refused in a mapping, where the value
must be a colour. Text is bounded; a colour out of range is one error naming it.
The order of the classes is their label: the n-th class is label n.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from core.depth.css_colours import CSS_COLOURS, css_key
from core.errors import IrisError

RGB = tuple[int, int, int]
MAX_CLASS_TEXT = 64 * 1024  # characters of a prompt or classes file
MAX_CLASSES = 256
_NUM = r"(-?\d+(?:\.\d+)?)"
_TRIPLE = rf"\s*{_NUM}\s*,\s*{_NUM}\s*,\s*{_NUM}\s*"
# <r, g, b>, (r, g, b), [r, g, b], RGB(r, g, b); then #rrggbb / #rgb
_BRACKETED = re.compile(rf"(?:\brgb\s*)?(?:<{_TRIPLE}>|\({_TRIPLE}\)|\[{_TRIPLE}\])", re.I)
_HEX = re.compile(r"#([0-9a-f]{6}|[0-9a-f]{3})(?![0-9a-z])", re.I)
_BARE = re.compile(rf"^{_TRIPLE}$")
_BARE_IN_TEXT = re.compile(rf"(?<![\d.,]){_NUM}\s*,\s*{_NUM}\s*,\s*{_NUM}(?![\d.,])")
_WORD = re.compile(r"[A-Za-z]+")
_QUOTES = "\"'\u201c\u201d\u2018\u2019`"
# a mapping's entry: "name": value, up to the next "key": or the closing brace
_ENTRY = re.compile(
    r"[\"\u201c']([^\"\u201c\u201d']{1,200})[\"\u201d']\s*:\s*(.*?)\s*"
    r"(?=,\s*[\"\u201c'][^\"\u201c\u201d']{1,200}[\"\u201d']\s*:|$)",
    re.S,
)
_CLAUSE_SPLIT = re.compile(
    r"(?<=[.;!?])\s+|[;\n]+|,\s*(?=(?:and\s+|while\s+|whereas\s+)?the\s)|\s+and\s+(?=the\s)",
    re.I,
)
_VERB = re.compile(r"\b(?:is|are)\b|:|=|->", re.I)
_SEGMENT = re.compile(
    r"^\s*segment\s+(?:the\s+|all\s+|every\s+)?(.+?)(?:\s+(?:category|class))?"
    r"\s+(?:in|as|with|using)\b",
    re.I,
)
_LEADING = re.compile(r"^(?:(?:and|while|whereas|then|also|the|a|an|each|every|all)\s+)+", re.I)
_TRAILING = re.compile(r"(?:\s+(?:each|all|both))+$", re.I)


def _component(text: str, whole: str) -> int:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value.is_integer() or not 0 <= value <= 255:
        raise IrisError(f"colour {whole.strip()!r}: each component must be a whole number 0..255")
    return int(value)


def _triple(groups: tuple[str | None, ...], whole: str) -> RGB:
    values = [g for g in groups if g is not None]
    r, g, b = (_component(v, whole) for v in values)
    return r, g, b


def _from_hex(digits: str) -> RGB:
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def parse_colour_value(value: object) -> RGB:
    """One colour given on its own: ``[r, g, b]``, ``<r, g, b>``, ``(r, g, b)``, ``RGB(r, g, b)``,
    ``r,g,b``, ``#rrggbb``, ``#rgb`` or a CSS colour name (``"light blue"`` too).

    Anything else, or a component outside 0..255, raises IrisError naming the value.
    """
    if isinstance(value, list | tuple):
        if len(value) != 3 or not all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in value
        ):
            raise IrisError(f"colour {list(value)!r:.60}: must be three numbers 0..255")
        whole = str(list(value))
        r, g, b = (_component(str(v), whole) for v in value)
        return r, g, b
    if not isinstance(value, str):
        raise IrisError(f"colour {value!r:.60}: must be text or three numbers")
    text = value.strip().strip(_QUOTES).strip()
    for pattern in (_BRACKETED, _BARE):
        match = pattern.fullmatch(text)
        if match:
            return _triple(match.groups(), text)
    match = _HEX.fullmatch(text)
    if match:
        return _from_hex(match.group(1))
    named = CSS_COLOURS.get(css_key(re.sub(r"\s+colou?r$", "", text, flags=re.I)))
    if named is None:
        raise IrisError(
            f"colour {text!r:.60} is not (r, g, b), <r, g, b>, RGB(r, g, b), #hex or a CSS name"
        )
    return named


def _colours_in(text: str) -> list[tuple[int, int, RGB]]:
    """Every colour written in ``text``: (start, end, rgb), in order, numbers before names."""
    found: list[tuple[int, int, RGB]] = []
    for match in _BRACKETED.finditer(text):
        found.append((match.start(), match.end(), _triple(match.groups(), match.group(0))))
    for match in _HEX.finditer(text):
        found.append((match.start(), match.end(), _from_hex(match.group(1))))
    taken = [(s, e) for s, e, _ in found]
    for match in _BARE_IN_TEXT.finditer(text):  # "road: 128,64,128"
        if not any(s <= match.start() < e for s, e in taken):
            found.append((match.start(), match.end(), _triple(match.groups(), match.group(0))))
    taken = [(s, e) for s, e, _ in found]
    words = list(_WORD.finditer(text))
    i = 0
    while i < len(words):
        for n in (3, 2, 1):  # longest name first: "light blue" before "blue"
            group = words[i : i + n]
            if len(group) < n or not _adjacent(text, group):
                continue
            rgb = CSS_COLOURS.get(css_key("".join(w.group(0) for w in group)))
            start, end = group[0].start(), group[-1].end()
            if rgb is not None and not any(s <= start < e for s, e in taken):
                found.append((start, end, rgb))
                i += n - 1
                break
        i += 1
    return sorted(found)


def _adjacent(text: str, words: list[re.Match]) -> bool:
    return all(
        text[a.end() : b.start()] in (" ", "-") for a, b in zip(words, words[1:], strict=False)
    )


def _clean_name(name: str) -> str:
    name = name.strip().strip(_QUOTES + " ,:").strip()
    name = _TRAILING.sub("", _LEADING.sub("", name)).strip().strip(_QUOTES).strip()
    return name


class _Collected:
    """Classes in the order found; one name, one colour; two names never share a colour."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.classes: dict[str, RGB] = {}
        self._keys: dict[str, str] = {}

    def add(self, name: str, rgb: RGB) -> None:
        name = _clean_name(name)
        if not name:
            raise IrisError(f"{self.label}: colour {rgb} names no class")
        if len(name) > 200:
            raise IrisError(f"{self.label}: class name {name[:40]!r}... is over 200 characters")
        key = name.lower()
        if key in self._keys:
            known = self.classes[self._keys[key]]
            if known != rgb:
                raise IrisError(f"{self.label}: class {name!r} is given {known} and {rgb}")
            return
        for other, colour in self.classes.items():
            if colour == rgb:
                raise IrisError(f"{self.label}: {other!r} and {name!r} share the colour {rgb}")
        if len(self.classes) >= MAX_CLASSES:
            raise IrisError(f"{self.label}: more than {MAX_CLASSES} classes")
        self._keys[key] = name
        self.classes[name] = rgb


def _strict_json(text: str, out: _Collected) -> bool:
    """Strict JSON (object or list); False when the text is not JSON at all."""
    try:
        doc = json.loads(text, parse_constant=lambda c: c)
    except (json.JSONDecodeError, RecursionError, ValueError):
        return False
    if isinstance(doc, dict):
        items = list(doc.items())
    elif isinstance(doc, list):
        items = [_list_item(item, out.label) for item in doc]
    else:
        raise IrisError(f"{out.label}: JSON classes must be an object or a list")
    for name, value in items:
        if not isinstance(name, str):
            raise IrisError(f"{out.label}: class name {name!r:.40} is not text")
        try:
            out.add(name, parse_colour_value(value))
        except IrisError as exc:
            raise IrisError(f"{out.label}: class {name!r:.60}: {exc}") from None
    return True


def _list_item(item: object, label: str) -> tuple[object, object]:
    if isinstance(item, list) and len(item) == 2:
        return item[0], item[1]
    if isinstance(item, dict):
        colour = next((item[k] for k in ("color", "colour", "rgb") if k in item), None)
        return item.get("name"), colour
    raise IrisError(f"{label}: each listed class is [name, colour] or {{name, color}}")


def _mappings(text: str, out: _Collected) -> str:
    """Read every ``{"name": colour, ...}`` in prose; return the text without them."""
    rest, last = [], 0
    for match in re.finditer(r"\{([^{}]*)\}", text):
        body = match.group(1)
        entries = list(_ENTRY.finditer(body.strip()))
        if not entries:
            continue
        for entry in entries:
            name, value = entry.group(1), entry.group(2).strip().rstrip(",").strip()
            try:
                out.add(name, parse_colour_value(value))
            except IrisError as exc:
                raise IrisError(f"{out.label}: class {name!r:.60}: {exc}") from None
        rest.append(text[last : match.start()])
        last = match.end()
    rest.append(text[last:])
    return " ".join(rest)


def _prose(text: str, out: _Collected) -> None:
    """Clauses naming a class and then its colour ("The menu is #80C000")."""
    for clause in _CLAUSE_SPLIT.split(text):
        clause = clause.strip().rstrip(".!?").strip()
        colours = _colours_in(clause)
        if not clause or not colours:
            continue
        start, _, rgb = colours[-1]  # the colour is the predicate's last: "in pure yellow (<...>)"
        segment = _SEGMENT.match(clause)
        verbs = [m for m in _VERB.finditer(clause, 0, start)]
        if verbs:
            name = clause[: verbs[-1].start()]
        elif segment:
            name = segment.group(1)
        else:
            continue  # an instruction sentence that mentions a colour word
        if _clean_name(name):
            out.add(name, rgb)


def parse_classes(text: str, *, label: str = "classes") -> dict[str, RGB]:
    """Class name -> 8-bit RGB from JSON or from a prompt's text, in the order written.

    ``label`` names the source in errors. Raises IrisError when the text is too
    long, holds no class colour, gives one class two colours or two classes one
    colour, or writes a colour out of range.
    """
    if len(text) > MAX_CLASS_TEXT:
        raise IrisError(f"{label}: {len(text)} characters, more than {MAX_CLASS_TEXT}")
    out = _Collected(label)
    stripped = text.strip()
    if not (stripped[:1] in "{[" and stripped and _strict_json(stripped, out)):
        _prose(_mappings(text, out), out)
    if not out.classes:
        raise IrisError(f"{label}: no class colours found (give JSON or a prompt naming colours)")
    return out.classes


def load_classes(source: str | Path) -> dict[str, RGB]:
    """Classes from a file (a JSON map, a classes list or the prompt text) or from text itself.

    A ``source`` that names an existing file is read (bounded, strict UTF-8);
    anything else is parsed as the text.
    """
    path = Path(source)
    try:
        is_file = len(str(source)) < 4096 and path.is_file()
    except OSError:
        is_file = False
    if not is_file:
        return parse_classes(str(source), label="--classes")
    from core.files import decode_text, read_bounded

    data = read_bounded(path, MAX_CLASS_TEXT * 4, str(path))
    return parse_classes(decode_text(data, str(path)), label=str(path))
