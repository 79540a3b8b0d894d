"""Text planted for machine readers ("Ignore previous instructions", "SYSTEM: ...", a JSON
record to copy): it is not part of the posting, so the offline rules must not read it. The
cleaner already drops such passages (``extractor.cleaning.injection``, same patterns); this is
the backstop for documents built without the cleaner.

``without_injections`` blanks such paragraphs (a fake ``</posting>`` delimiter only on its own
line) with spaces, so every offset stays valid, and drops the cleaner's signals found there.
"""

from __future__ import annotations

import dataclasses
import re

from extractor.cleaning.injection import CUE, DELIMITER, TRIGGERS
from extractor.document import Document
from extractor.offline.lines import fold, lines_with

PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


def without_injections(doc: Document) -> Document:
    """``doc`` with injected paragraphs blanked in its text and their signals dropped."""
    text = doc.text
    spans: list[tuple[int, int]] = []
    for start, end in lines_with(fold(text), TRIGGERS):
        if DELIMITER.match(text, start, end):
            spans.append((start, end))
        elif CUE.search(text, start, end):
            spans.append(_paragraph(text, start))
    if not spans:
        return doc
    chars = list(text)
    for start, end in spans:
        chars[start:end] = (" " if c != "\n" else c for c in chars[start:end])
    sources = [doc.offsets.span_to_source(start, end) for start, end in spans]
    signals = [s for s in doc.signals if not any(a <= s.start and s.end <= b for a, b in sources)]
    return dataclasses.replace(doc, text="".join(chars), signals=signals)


def _paragraph(text: str, at: int) -> tuple[int, int]:
    """The run of non-blank lines around offset ``at``."""
    before = [m.end() for m in PARAGRAPH_BREAK.finditer(text, 0, at)]
    after = PARAGRAPH_BREAK.search(text, at)
    return (before[-1] if before else 0), (after.start() if after else len(text))
