"""Where hint words occur in a text, so a segment can be tested for one in O(log n).

Patterns that may match anywhere in a line are tried only on lines holding one of their hint
words. Finding the words once in the whole source with ``str.find`` is several times cheaper
than testing every line with ``any(word in line ...)``.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from functools import lru_cache

__all__ = ["Hints"]


class Hints:
    """Start offsets of ``words`` in ``text`` (lowercased first when ``fold`` is set)."""

    def __init__(self, text: str, words: Iterable[str], *, fold: bool = True) -> None:
        haystack = _lower(text) if fold else text
        # Lowercasing can change the length ("İ" becomes two characters): offsets would drift,
        # so every segment then counts as holding a hint (slower, never wrong).
        self.everywhere = len(haystack) != len(text)
        positions: list[int] = []
        if not self.everywhere:
            for word in words:
                at = haystack.find(word)
                while at >= 0:
                    positions.append(at)
                    at = haystack.find(word, at + 1)
        positions.sort()
        self.positions = positions

    def within(self, start: int, end: int) -> bool:
        """True when a hint word starts in ``[start, end)``."""
        if self.everywhere:
            return True
        i = bisect_left(self.positions, start)
        return i < len(self.positions) and self.positions[i] < end


@lru_cache(maxsize=2)
def _lower(text: str) -> str:
    """One lowercased copy per page, shared by every ``Hints`` built on it."""
    return text.lower()
