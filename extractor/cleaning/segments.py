"""Cut the source into segments: its non-blank lines, stripped, with glued header tokens split.

Scraped headers glue separate facts into one line ("$45/hrPosted Sep 15, 2025WebsiteLinkedIn").
A line is cut before a known token (Posted, Website, LinkedIn, View details, ...) when the token
follows a lowercase letter, digit or closing punctuation, so each fact becomes its own segment.
Segments keep their exact source offsets; nothing is rewritten.

Text that carries a page's syntax is cut too: a JSON or code string's escaped line breaks
(``\\n``, ``\\\\n``) and block-level tags left in plain text (``<p>``, ``<br>``, ``<li>``) end a
segment, so a description stored in a JSON string reads as its own lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractor.cleaning.hints import Hints

__all__ = ["Segment", "split_segments"]

# Tokens that start a new fact when glued to the previous one (the character before is checked
# in Python: a lookbehind tried at every position costs ten times more).
_GLUE = re.compile(
    r"(?:Re)?Posted\s|Website|LinkedIn|Twitter|Facebook|Instagram|Glassdoor|View details"
    r"|Apply now|Easy Apply|Save job|Share\b"
)
_GLUE_WORDS = (
    "Posted", "Website", "LinkedIn", "Twitter", "Facebook", "Instagram", "Glassdoor",
    "View details", "Apply now", "Easy Apply", "Save job", "Share",
)  # fmt: skip
_GLUED_AFTER = frozenset("abcdefghijklmnopqrstuvwxyz0123456789)].%")
_MAX_GLUED_LINE = 200  # only short, header-like lines are cut
# An escaped line break in a JSON/code string, or a block tag in text that is not HTML.
_BREAK = re.compile(
    r"(?:\\+[nr])+|<\s*/?\s*(?:p|br|li|ul|ol|div|h[1-6]|tr|td|th|table|dd|dt|dl)\b[^<>]{0,200}>",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Segment:
    """A stripped, non-empty piece of one source line.

    ``start``/``end`` bound the piece in the source. ``line_start``/``line_end`` bound its whole
    line (``line_end`` is the offset of the line's ``\\n``, or the source length on the last
    line). ``blank_nl`` is the offset of the ``\\n`` of the closest blank line before this
    line, or -1.
    """

    start: int
    end: int
    line_start: int
    line_end: int
    blank_nl: int


def split_segments(source: str) -> list[Segment]:
    """All segments of ``source`` in order."""
    glued = Hints(source, _GLUE_WORDS, fold=False)
    segments: list[Segment] = []
    blank_nl = -1
    pos = 0
    size = len(source)
    while pos <= size:
        nl = source.find("\n", pos)
        line_end = size if nl < 0 else nl
        line = source[pos:line_end]
        stripped = line.strip()
        if not stripped:
            if nl >= 0:
                blank_nl = nl
        else:
            first = pos + (len(line) - len(line.lstrip()))
            for a, b in _broken(stripped):
                cuts: list[int] = []
                piece = stripped[a:b]
                if len(piece) <= _MAX_GLUED_LINE and glued.within(first + a, first + b):
                    cuts = _glue_cuts(piece)
                for c, d in _pieces(piece, cuts):
                    segments.append(Segment(first + a + c, first + a + d, pos, line_end, blank_nl))
        if nl < 0:
            break
        pos = nl + 1
    return segments


def _broken(line: str) -> list[tuple[int, int]]:
    """Offsets of the stripped pieces of ``line`` between escaped line breaks and block tags."""
    if "\\" not in line and "<" not in line:
        return [(0, len(line))]
    pieces: list[tuple[int, int]] = []
    last = 0
    for brk in [*_BREAK.finditer(line), None]:
        end = brk.start() if brk else len(line)
        piece = line[last:end]
        lead = len(piece) - len(piece.lstrip())
        trail = len(piece) - len(piece.rstrip())
        if end - trail > last + lead:
            pieces.append((last + lead, end - trail))
        if brk:
            last = brk.end()
    return pieces


def _glue_cuts(line: str) -> list[int]:
    """Sorted offsets in ``line`` where a glued token starts (or a glued "View details" ends)."""
    cuts: list[int] = []
    for m in _GLUE.finditer(line):
        a, b = m.start(), m.end()
        if a and line[a - 1] in _GLUED_AFTER:
            cuts.append(a)
        if m.group() == "View details" and line[b : b + 1].isupper():
            cuts.append(b)
    return cuts


def _pieces(line: str, cuts: list[int]) -> list[tuple[int, int]]:
    """Offsets of the stripped pieces of ``line`` (itself stripped) cut at ``cuts``."""
    if not cuts:
        return [(0, len(line))]
    pieces: list[tuple[int, int]] = []
    for a, b in zip([0, *cuts], [*cuts, len(line)], strict=True):
        piece = line[a:b]
        lead = len(piece) - len(piece.lstrip())
        trail = len(piece) - len(piece.rstrip())
        if b - trail > a + lead:
            pieces.append((a + lead, b - trail))
    return pieces
