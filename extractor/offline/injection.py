"""Text planted for machine readers ("Ignore previous instructions", "SYSTEM: ...", a JSON
record to copy): it is not part of the posting, so the offline rules must not read it.

``without_injections`` blanks such paragraphs (a fake ``</posting>`` delimiter only on its own
line) with spaces, so every offset stays valid, and drops the cleaner's signals found there.
"""

from __future__ import annotations

import dataclasses
import re

from extractor.document import Document
from extractor.offline.lines import fold, lines_with

CUE = re.compile(
    r"^[^\w\n]*(?:system|assistant)[ \t]*:|"
    r"\bignore\s+(?:all\s+|any\s+|the\s+)?(?:previous|prior|above|earlier)\s+(?:instructions|prompts?)|"
    r"\b(?:note|message|instructions?)\s+(?:to|for)\s+(?:ai|llms?|language models?|assistants?|"
    r"automated|chatgpt|gpt|parsers?)\b|"
    r"\b(?:do not|don't)\s+(?:mention|reveal)\s+this\b|\bcopy this exactly\b|"
    r"^\s*\{\s*\"(?:title|company|pay|job_title|salary)\"\s*:",
    re.IGNORECASE | re.MULTILINE,
)
DELIMITER = re.compile(r"[ \t]*</?(?:posting|document|system|instructions?)>[ \t]*$", re.I)
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
# Every cue and delimiter holds one of these (lower-cased): only their lines are searched.
TRIGGERS = re.compile(
    "system|assistant|ignore|note to|note for|message to|message for|instruction|copy this|"
    'mention this|reveal this|{"|{ "|<posting|</posting|<document|</document|<system|</system'
)


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
