"""What the review page shows for each record: its source text cut into highlighted segments.

The text is read again from the record's ``source`` path (through :mod:`extractor.review.sources`,
which reads only unchanged regular files inside the source root) and decoded/cleaned the same way
(``Document.source`` is what evidence offsets point into). Records stay small that way; a source
that is not shown is said on the page, and every evidence quote is checked against the text
before it is highlighted.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from extractor.errors import ExtractorError, InputError
from extractor.review.sources import SourceRead, read_source

# Fields whose evidence is the whole text (the language of a paragraph): listed, never highlighted.
UNHIGHLIGHTED = frozenset({"language"})


@dataclass(slots=True)
class ReviewRecord:
    """One record ready for the page (JSON-serialisable through :meth:`as_json`)."""

    index: int
    record: dict[str, Any]
    note: str | None = None
    segments: list[tuple[str, list[int]]] = field(default_factory=list)
    stale: list[int] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        r = self.record
        data = r.get("data") if isinstance(r.get("data"), dict) else None
        return {
            "i": self.index,
            "source": str(r.get("source", "")),
            "status": str(r.get("status", "")),
            "backend": r.get("backend"),
            "model": r.get("model"),
            "error": r.get("error"),
            "warnings": [str(w) for w in r.get("warnings") or []],
            "unsupported": list(r.get("unsupported") or []),
            "data": data,
            "evidence": list(r.get("evidence") or []),
            "note": self.note,
            "segments": self.segments,
            "stale": self.stale,
        }


def read_records(path: Path) -> Iterator[dict[str, Any]]:
    """The records of an ``extractor run`` JSONL file; unreadable lines are skipped."""
    try:
        handle = path.open(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from exc
    with handle:
        for line in handle:
            try:
                record = json.loads(line)
            except ValueError:
                continue  # a torn last line of a killed run
            if isinstance(record, dict) and "status" in record:
                yield record


def prepare_record(index: int, record: dict[str, Any], root: Path | None) -> ReviewRecord:
    """Read the record's source again (safely) and cut it into segments at every evidence edge."""
    item = ReviewRecord(index, record)
    read = read_source(str(record.get("source") or ""), root, record.get("sha256"))
    text, item.note = _text(read, str(record.get("source") or ""))
    evidence = [e for e in record.get("evidence") or [] if isinstance(e, dict)]
    if text is None:
        return item
    good: list[int] = []
    for i, e in enumerate(evidence):
        start, end = e.get("start"), e.get("end")
        ok = isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= len(text)
        if ok and text[start:end] == e.get("quote") and e.get("path") not in UNHIGHLIGHTED:
            good.append(i)
        elif e.get("path") not in UNHIGHLIGHTED:
            item.stale.append(i)
    item.segments = segments(text, [(evidence[i]["start"], evidence[i]["end"], i) for i in good])
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
