"""Aligning quotes and values to the source: tiers, word edges, and offsets on non-ASCII text."""

from __future__ import annotations

import pytest

from extractor.evidence.align import SourceIndex, fold, strip_bullet

SOURCE = "Café  Zürich – Straße 🙂 東京の求人\n  Senior   Engineer (m/w/d)\n• Python, Go and EKGs\n$45/hrPosted"


@pytest.mark.parametrize(
    ("quote", "kind", "expected"),
    [
        ("Zürich", "exact", "Zürich"),
        ("東京の求人", "exact", "東京の求人"),
        ("🙂 東京", "exact", "🙂 東京"),
        ("CAFÉ zürich - STRASSE", "normalized", "Café  Zürich – Straße"),
        ("senior engineer (M/W/D)", "normalized", "Senior   Engineer (m/w/d)"),
        ("• Python, Go and EKGs", "exact", "Python, Go and EKGs"),
        ("Senior Enginer (m/w/d)", "fuzzy", "Senior   Engineer (m/w/d)"),
        ("Principal Architect, Berlin", None, None),
        ("Enginer", None, None),  # short quotes never match fuzzily
    ],
)
def test_tiers_and_offsets(quote: str, kind: str | None, expected: str | None) -> None:
    found = SourceIndex(SOURCE).align(quote)
    if kind is None:
        assert found is None
        return
    assert found is not None and found.kind == kind
    assert SOURCE[found.start : found.end] == expected


@pytest.mark.parametrize(
    ("value", "words", "expected"),
    [
        ("Go", True, "Go"),
        ("EKG", True, "EKG"),  # a plural "s" may follow
        ("$45/hr", True, "$45/hr"),  # scraped text glues a capital after it
        ("Pyth", True, None),  # never inside a word
        ("Pyth", False, "Pyth"),
        ("rich", True, None),  # not the end of "Zürich"
    ],
)
def test_word_edges(value: str, words: bool, expected: str | None) -> None:
    found = SourceIndex(SOURCE).align(value, words=words, fuzzy=False)
    assert (SOURCE[found.start : found.end] if found else None) == expected


def test_within_limits_the_search() -> None:
    index = SourceIndex("Python here. Python there.")
    found = index.align("python", within=(5, 30))
    assert found is not None and found.start == 13


@pytest.mark.parametrize(
    ("text", "folded"),
    [("  A\t\tB  ", "a b"), ("Straße", "strasse"), ("“x” – y", '"x" - y'), ("ﬁ", "fi")],
)
def test_fold_maps_every_character_back(text: str, folded: str) -> None:
    out, index = fold(text)
    assert out == folded
    assert len(index) == len(out) and all(0 <= i < len(text) for i in index)


@pytest.mark.parametrize(
    ("quote", "stripped"),
    [("• item", "item"), ("- item", "item"), ("1. item", "item"), ("item", "item")],
)
def test_strip_bullet(quote: str, stripped: str) -> None:
    assert strip_bullet(quote) == stripped
