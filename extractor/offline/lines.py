"""Lines of the cleaned text with their offsets: the unit every offline rule works on."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of the cleaned text: ``text == doc.text[start:end]``."""

    start: int
    end: int
    text: str


_LINE = re.compile(r"[^\n]+")
_EDGE = re.compile(r"^\s*(.*?)\s*$", re.DOTALL)


def split_lines(text: str) -> list[Span]:
    """Every non-blank line, trimmed, with its offsets in ``text``."""
    spans: list[Span] = []
    for match in _LINE.finditer(text):
        inner = _EDGE.match(match.group())
        assert inner is not None  # the pattern matches any string
        if inner.group(1):
            start = match.start() + inner.start(1)
            spans.append(Span(start, start + len(inner.group(1)), inner.group(1)))
    return spans


def trim(text: str, start: int, end: int, chars: str = " \t\r\n") -> Span | None:
    """The span ``text[start:end]`` without leading/trailing ``chars``; None when nothing is left."""
    while start < end and text[start] in chars:
        start += 1
    while end > start and text[end - 1] in chars:
        end -= 1
    return Span(start, end, text[start:end]) if end > start else None
