"""What the review page shows for each record: its source text cut into highlighted segments.

The text is read again from the record's ``source`` path (through :mod:`extractor.review.sources`,
which reads only unchanged regular files inside the source root) and decoded/cleaned the same way
(``Document.source`` is what evidence offsets point into). Records stay small that way; a source
that is not shown is said on the page, and every evidence quote is checked against the text
before it is highlighted.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from extractor.batch.record import Record
from extractor.errors import ExtractorError, InputError
from extractor.review.sources import SourceRead, read_source

# Fields whose evidence is the whole text (the language of a paragraph): listed, never highlighted.
UNHIGHLIGHTED = frozenset({"language"})


@dataclass(slots=True)
class ReviewRecord:
    """One record ready for the page (JSON-serialisable through :meth:`as_json`)."""

    index: int
    record: Record
    note: str | None = None
    segments: list[tuple[str, list[int]]] = field(default_factory=list)
    stale: list[int] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        shown = self.record.to_dict()
        keep = ("source", "status", "backend", "model", "error", "warnings", "unsupported")
        return {
            "i": self.index,
            **{name: shown[name] for name in keep},
            "data": shown["data"],
            "evidence": shown["evidence"],
            "note": self.note,
            "segments": self.segments,
            "stale": self.stale,
        }


def read_records(path: Path) -> Iterator[Record]:
    """The records of an ``extractor run`` JSONL file; lines that are not records are skipped."""
    try:
        handle = path.open(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from exc
    with handle:
        for line in handle:
            try:
                yield Record.from_line(line)
            except ValueError:
                continue  # a torn last line of a killed run, or not a record


def prepare_record(index: int, record: Record, root: Path | None) -> ReviewRecord:
    """Read the record's source again (safely) and cut it into segments at every evidence edge."""
    item = ReviewRecord(index, record)
    read = read_source(record.source, root, record.sha256)
    text, item.note = _text(read, record.source)
    if text is None:
        return item
    good: list[int] = []
    for i, e in enumerate(record.evidence):
        if e.path in UNHIGHLIGHTED:
            continue
        if 0 <= e.start <= e.end <= len(text) and text[e.start : e.end] == e.quote:
            good.append(i)
        else:
            item.stale.append(i)
    spans = [(record.evidence[i].start, record.evidence[i].end, i) for i in good]
    item.segments = segments(text, spans)
    return item


def _text(read: SourceRead, name: str) -> tuple[str | None, str | None]:
    if read.raw is None:
        return None, (read.note or "the source is not shown") + ": only the quotes are shown"
    from extractor.extraction import prepare

    try:
        return prepare(read.raw, Path(name).name).source, None
    except ExtractorError as exc:
        return None, f"the source cannot be read as text ({exc})"


def segments(text: str, spans: list[tuple[int, int, int]]) -> list[tuple[str, list[int]]]:
    """``text`` cut at every span edge: (piece, indices of the spans covering it)."""
    edges = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    out: list[tuple[str, list[int]]] = []
    for lo, hi in itertools.pairwise(edges):
        if hi <= lo:
            continue
        covering = [i for s, e, i in spans if s <= lo and hi <= e]
        if out and not covering and not out[-1][1]:
            out[-1] = (out[-1][0] + text[lo:hi], [])
        else:
            out.append((text[lo:hi], covering))
    return out
