"""The annotation readers registry: each format recognised by its content, in order."""

from __future__ import annotations

import json

import pytest

from core.annotations.exchange import FORMATS, JSON_FORMAT, ExchangeError
from core.annotations.reading import READERS, identify, read_text


def test_the_readers_are_the_exchange_formats():
    assert READERS.names() == ["csv", "json", "coco"] and set(READERS.names()) == set(FORMATS)


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        (None, "csv"),
        ({"format": JSON_FORMAT}, "json"),
        ({"format": JSON_FORMAT, "annotations": [], "categories": []}, "json"),
        ({"annotations": [], "categories": []}, "coco"),
        ({"annotations": []}, None),
    ],
)
def test_content_decides_the_format(doc, expected):
    reader = identify(doc)
    assert (reader.name if reader else None) == expected


def test_json_no_reader_claims_is_one_named_error():
    with pytest.raises(
        ExchangeError, match="^x.json: JSON that is neither IRIS annotations nor COCO$"
    ):
        read_text(json.dumps({"annotations": []}), "x.json")
    empty = read_text(json.dumps({"format": JSON_FORMAT}), "x.json")
    assert empty.annotations == [] and empty.images == {}
