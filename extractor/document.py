"""The data passed between stages: a cleaned document, its signals, and evidence spans.

Offsets are always character offsets into ``Document.source`` (the decoded original input), so
evidence found in the cleaned text can point into what the user actually gave us.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any, Literal

SignalKind = Literal[
    "expired", "posted", "pay", "title", "company", "location", "deadline", "other"
]
MatchKind = Literal["rule", "exact", "normalized", "fuzzy", "derived"]


@dataclass(frozen=True, slots=True)
class Signal:
    """A fact seen on the page outside the posting body (a header pay line, an expired notice).

    Signals survive even when the block they stood in is dropped by the cleaner.
    """

    kind: SignalKind
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Evidence:
    """The text in the source that supports one value.

    ``path`` names the value: ``title``, ``pay``, ``pay.min``, ``skills[3]``, ``locations[0]``.
    ``start``/``end`` are offsets into ``Document.source``; ``quote == source[start:end]``.
    """

    path: str
    start: int
    end: int
    quote: str
    match: MatchKind = "rule"


@dataclass(frozen=True, slots=True)
class Unsupported:
    """A value with no evidence in the source: its path, the value, why, and whether it was
    dropped from the data (the default) or kept and flagged (``keep_unsupported``)."""

    path: str
    value: Any
    reason: str
    dropped: bool = False


@dataclass(slots=True)
class OffsetMap:
    """Maps offsets in the cleaned text back to offsets in the source.

    Stored as runs: cleaned text from ``clean_starts[i]`` on was copied from the source at
    ``source_starts[i]`` on, character for character, until the next run.
    """

    clean_starts: list[int] = field(default_factory=list)
    source_starts: list[int] = field(default_factory=list)

    def add_run(self, clean_start: int, source_start: int) -> None:
        self.clean_starts.append(clean_start)
        self.source_starts.append(source_start)

    def to_source(self, clean_offset: int) -> int:
        """The source offset of the character at ``clean_offset`` in the cleaned text."""
        if not self.clean_starts:
            return clean_offset
        i = max(bisect_right(self.clean_starts, clean_offset) - 1, 0)
        return self.source_starts[i] + (clean_offset - self.clean_starts[i])

    def span_to_source(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open cleaned span to a source span (end maps through its last character)."""
        if end <= start:
            s = self.to_source(start)
            return s, s
        return self.to_source(start), self.to_source(end - 1) + 1


@dataclass(slots=True)
class Document:
    """One input after decoding and cleaning."""

    source: str
    text: str
    offsets: OffsetMap = field(default_factory=OffsetMap)
    signals: list[Signal] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    name: str = ""

    @classmethod
    def plain(cls, text: str, name: str = "") -> Document:
        """A document whose cleaned text is its source (no cleaning)."""
        offsets = OffsetMap()
        offsets.add_run(0, 0)
        return cls(source=text, text=text, offsets=offsets, name=name)

    def kept_regions(self) -> list[tuple[int, int]]:
        """Source ranges the cleaned text was copied from, plus the signals' spans, merged
        across gaps of white space: the only places evidence may come from. Text the cleaner
        dropped (ads, other jobs, repeats) supports nothing."""
        ranges: list[tuple[int, int]] = []
        starts = self.offsets.clean_starts or [0]
        sources = self.offsets.source_starts or [0]
        for i, (clean_start, source_start) in enumerate(zip(starts, sources, strict=True)):
            clean_end = starts[i + 1] if i + 1 < len(starts) else len(self.text)
            ranges.append((source_start, source_start + max(clean_end - clean_start, 0)))
        ranges += [(s.start, s.end) for s in self.signals]
        merged: list[tuple[int, int]] = []
        for start, end in sorted(r for r in ranges if r[1] > r[0]):
            if merged and (
                start <= merged[-1][1] or not self.source[merged[-1][1] : start].strip()
            ):
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
        return merged

    def evidence(self, path: str, start: int, end: int, match: MatchKind = "rule") -> Evidence:
        """Evidence for a span of the *cleaned* text, mapped into the source."""
        s, e = self.offsets.span_to_source(start, end)
        return Evidence(path=path, start=s, end=e, quote=self.source[s:e], match=match)
