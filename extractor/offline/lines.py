"""Lines of the cleaned text with their offsets: the unit every offline rule works on.

``fold`` lower-cases without moving any offset, and ``lines_with`` yields only the lines that
hold a trigger word, so a rule with a slow regex runs it on those few lines, not on the page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of the cleaned text: ``text == doc.text[start:end]``."""

    start: int
    end: int
    text: str


def split_lines(text: str) -> list[Span]:
    """Every non-blank line, trimmed, with its offsets in ``text``."""
    spans: list[Span] = []
    start = 0
    for line in text.split("\n"):
        inner = line.strip()
        if inner:
            offset = start + line.index(inner)
            spans.append(Span(offset, offset + len(inner), inner))
        start += len(line) + 1
    return spans


def fold(text: str) -> str:
    """``text`` lower-cased, keeping every character at its offset (so spans stay valid)."""
    lower = text.lower()
    if len(lower) == len(text):
        return lower
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)  # "İ" -> "i̇" is 2


def lines_with(folded: str, triggers: re.Pattern[str]) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each line of ``folded`` holding a ``triggers`` match, in order, once."""
    pos = 0
    while (hit := triggers.search(folded, pos)) is not None:
        start = folded.rfind("\n", 0, hit.start()) + 1
        end = folded.find("\n", hit.end())
        end = len(folded) if end < 0 else end
        yield start, end
        pos = end + 1


def trim(text: str, start: int, end: int, chars: str = " \t\r\n") -> Span | None:
    """The span ``text[start:end]`` without leading/trailing ``chars``; None when nothing is left."""
    while start < end and text[start] in chars:
        start += 1
    while end > start and text[end - 1] in chars:
        end -= 1
    return Span(start, end, text[start:end]) if end > start else None
