"""Align a quote (or a value) to the source text: exact, then normalised, then fuzzy.

Offsets are Python string indices (code points) into ``Document.source``, so they are right on
accents, CJK and emoji. The normalised form folds case (``str.casefold``), applies NFKC per
character, unifies curly quotes and dashes, and squashes every whitespace run to one space; each
normalised character remembers the source index it came from, so a match in the normalised text
maps back to an exact source span even when folding changed the length ("ß" -> "ss").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from rapidfuzz import fuzz

AlignKind = Literal["exact", "normalized", "fuzzy"]

FUZZY_MIN_CHARS = 12
"""Quotes shorter than this (normalised) are never matched fuzzily: too easy to hit by chance."""
FUZZY_SCORE = 90.0
"""rapidfuzz partial_ratio (0-100) a fuzzy match needs."""

_FOLD = str.maketrans(
    {
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "`": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "«": '"',
        "»": '"',
        "‐": "-",
        "‑": "-",
        "‒": "-",
        "–": "-",
        "—": "-",
        "―": "-",
        "−": "-",
    }
)
_BULLET = re.compile(r"^\s*(?:[-*•·◦▪●→–—]|\d{1,2}[.)]|[a-z][.)])\s+")


@dataclass(frozen=True, slots=True)
class Alignment:
    """Where a quote sits in the source: ``source[start:end]``, how it was found, its score."""

    start: int
    end: int
    kind: AlignKind
    score: float = 100.0


def fold(text: str) -> tuple[str, list[int]]:
    """The normalised form of ``text`` and, for each of its characters, the source index."""
    chars: list[str] = []
    index: list[int] = []
    space = True  # drop leading whitespace
    for i, ch in enumerate(text):
        if ch.isspace():
            if not space:
                chars.append(" ")
                index.append(i)
                space = True
            continue
        space = False
        folded = ch if ch.isascii() else unicodedata.normalize("NFKC", ch)
        for out in folded.casefold().translate(_FOLD):
            chars.append(out)
            index.append(i)
    if chars and chars[-1] == " ":
        chars.pop()
        index.pop()
    return "".join(chars), index


def normalize(text: str) -> str:
    """The normalised form of ``text`` (see :func:`fold`)."""
    return fold(text)[0]


def strip_bullet(quote: str) -> str:
    """A quote without a leading bullet mark ("• ", "- ", "1. ") and surrounding whitespace."""
    return _BULLET.sub("", quote, count=1).strip()


def _word_edges(text: str, start: int, end: int) -> bool:
    """True when ``text[start:end]`` neither starts nor ends inside a word. A plural "s" may
    follow ("EKGs"), and scraped text glues words, so a capital right after the end counts as
    an edge ("$45/hrPosted")."""
    before = start > 0 and text[start - 1].isalnum() and text[start].isalnum()
    if before and text[start - 1].islower() and text[start].isupper():
        before = False
    after = end < len(text) and text[end].isalnum() and text[end - 1].isalnum()
    if after and text[end].isupper() and not text[end - 1].isupper():
        after = False
    if after and text[end] in "sS" and (end + 1 == len(text) or not text[end + 1].isalnum()):
        after = False
    return not (before or after)


class SourceIndex:
    """A source text prepared for many alignments (the normalised form is built once)."""

    def __init__(self, source: str) -> None:
        self.source = source

    @cached_property
    def _folded(self) -> tuple[str, list[int]]:
        return fold(self.source)

    def _to_source(self, start: int, end: int) -> tuple[int, int]:
        index = self._folded[1]
        return index[start], index[end - 1] + 1

    def align(
        self,
        quote: str,
        *,
        words: bool = False,
        fuzzy: bool = True,
        within: tuple[int, int] | None = None,
    ) -> Alignment | None:
        """Find ``quote`` in the source: exact, then normalised, then (if allowed) fuzzy.

        ``words`` requires the match to start and end at word edges (for short values such as
        "Go" or "R"); ``within`` limits the search to a source span.
        """
        quote = strip_bullet(quote)
        if not quote:
            return None
        lo, hi = within or (0, len(self.source))
        if (found := self._exact(quote, lo, hi, words)) is not None:
            return found
        folded, index = self._folded
        needle = normalize(quote)
        if not needle:
            return None
        f_lo = _first_at_or_after(index, lo)
        f_hi = _first_at_or_after(index, hi)
        pos = folded.find(needle, f_lo, f_hi)
        while pos >= 0:
            if not words or _word_edges(folded, pos, pos + len(needle)):
                start, end = self._to_source(pos, pos + len(needle))
                return Alignment(start, end, "normalized")
            pos = folded.find(needle, pos + 1, f_hi)
        if not fuzzy or len(needle) < FUZZY_MIN_CHARS:
            return None
        return self._fuzzy(needle, f_lo, f_hi)

    def _exact(self, quote: str, lo: int, hi: int, words: bool) -> Alignment | None:
        pos = self.source.find(quote, lo, hi)
        while pos >= 0:
            if not words or _word_edges(self.source, pos, pos + len(quote)):
                return Alignment(pos, pos + len(quote), "exact")
            pos = self.source.find(quote, pos + 1, hi)
        return None

    def _fuzzy(self, needle: str, f_lo: int, f_hi: int) -> Alignment | None:
        folded = self._folded[0]
        hay = folded[f_lo:f_hi]
        if not hay:
            return None
        found = fuzz.partial_ratio_alignment(needle, hay, score_cutoff=FUZZY_SCORE)
        if found is None or found.dest_end <= found.dest_start:
            return None
        start, end = _trim(hay, found.dest_start, found.dest_end)
        if end <= start:
            return None
        s, e = self._to_source(f_lo + start, f_lo + end)
        return Alignment(s, e, "fuzzy", round(found.score, 1))


def _first_at_or_after(index: list[int], source_pos: int) -> int:
    """The first normalised position whose source index is >= ``source_pos``."""
    from bisect import bisect_left

    return bisect_left(index, source_pos)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """A fuzzy span without spaces at its ends, widened to whole space-separated tokens
    (fuzzy alignment edges are approximate by a character or two)."""
    while start < end and text[start] == " ":
        start += 1
    while end > start and text[end - 1] == " ":
        end -= 1
    while start > 0 and text[start - 1] != " ":
        start -= 1
    while end < len(text) and text[end] != " ":
        end += 1
    return start, end
