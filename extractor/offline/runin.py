"""Run-in lists: a section named and listed on one line ("Perks: a, b and c.").

One item per listed element, without the final full stop: the elements are split at ";" when
the line has one, else at ", " and a final "and"/"und"/"et"/"y". A line may hold several
("Must have: React, TypeScript. Nice: Storybook, Playwright.").
"""

from __future__ import annotations

import re
from collections.abc import Callable

from extractor.offline.lines import Span

LABEL = re.compile(r"(?:^|(?<=[.!] ))(?P<label>[A-ZÄÖÜÉ][^:.;!?]{1,40}?)\s*:\s+(?=\S)")
LAST_AND = re.compile(r"\s+(?:and|und|et|y|e)\s+")
FIRST_AND = re.compile(r"^(?:and|und|et|y|e)\s+")  # after an Oxford comma: "a, b, and c"
# "Nice:" is short for "Nice to have:" only in a run-in label.
LABEL_ONLY = {"nice": "preferred", "must": "required"}
MAX_ITEM_WORDS = 20
CJK_SEPARATORS = re.compile(r"[，、；]")
CJK_SEMICOLON = re.compile(r"；")
SENTENCE_LABEL = re.compile(r"\b(?:include|includes|will|are|is)$")
MIN_BARE_ITEMS = 3  # a bare line lists at least three things: "a, b and c"
# Keyword lists ("Key Skills: Spark, Hadoop") name skills, not requirements.
TAGS = re.compile(r"(?:key |technical |core )?(?:skills|keywords|tags)")


def list_items(line: Span) -> list[Span]:
    """The elements of a bare listing line ("Health cover, a pension, and 25 days' leave."),
    or [] when the line is a sentence rather than a list."""
    items = _items(line)
    if len(items) < MIN_BARE_ITEMS or any(len(i.text.split()) > MAX_ITEM_WORDS for i in items):
        return []
    return items


def run_in_lists(line: Span, kind_of: Callable[[str], str | None]) -> list[tuple[str, Span]]:
    """``(kind, item)`` for each element of each run-in list on ``line``; [] when it has none.

    ``kind_of`` names the section a label announces (None for labels that are not sections).
    """
    if ": " not in line.text:
        return []
    labels = [(m, _kind(m["label"], kind_of)) for m in LABEL.finditer(line.text)]
    found: list[tuple[str, Span]] = []
    for i, (label, kind) in enumerate(labels):
        if kind is None:
            continue
        end = labels[i + 1][0].start() if i + 1 < len(labels) else len(line.text)
        items = _items(
            Span(line.start + label.end(), line.start + end, line.text[label.end() : end])
        )
        if any(len(item.text.split()) > MAX_ITEM_WORDS for item in items):
            continue  # a sentence after a colon, not a list
        found.extend((kind, item) for item in items)
    return found


def _kind(label: str, kind_of: Callable[[str], str | None]) -> str | None:
    key = label.strip().lower()
    if TAGS.fullmatch(key):
        return None
    kind = LABEL_ONLY.get(key) or kind_of(label)
    if kind is None and SENTENCE_LABEL.search(key):  # "Your responsibilities include: ..."
        kind = kind_of(label.rstrip() + ":")
    return kind if kind not in (None, "other", "team", "start_dates") else None


def _items(span: Span) -> list[Span]:
    text = span.text.rstrip()
    text = text[:-1] if text.endswith((".", "。")) else text
    if CJK_SEPARATORS.search(text):
        return _cjk_items(span.start, text)
    separator = "; " if ";" in text else ", "
    pieces: list[tuple[int, str]] = []
    at = 0
    for piece in text.split(separator):
        pieces.append((at, piece))
        at += len(piece) + len(separator)
    if separator == ", " and len(pieces) > 1 and (last_and := _last_and(pieces[-1][1])):
        start, last = pieces.pop()
        pieces += [
            (start, last[: last_and.start()]),
            (start + last_and.end(), last[last_and.end() :]),
        ]
    items: list[Span] = []
    if separator == ", " and len(pieces) > 1 and (first := FIRST_AND.match(pieces[-1][1])):
        start, last = pieces.pop()
        pieces.append((start + first.end(), last[first.end() :]))
    for start, piece in pieces:
        stripped = piece.strip().rstrip(";")
        if stripped:
            offset = span.start + start + piece.index(stripped)
            items.append(Span(offset, offset + len(stripped), stripped))
    return items


def _cjk_items(start: int, text: str) -> list[Span]:
    """CJK elements: split at "；" when the line has one (a duty may hold a "，"), else at
    "，" and "、"."""
    pattern = CJK_SEMICOLON if "；" in text else CJK_SEPARATORS
    items: list[Span] = []
    at = 0
    for sep in [*pattern.finditer(text), None]:
        end = sep.start() if sep else len(text)
        piece = text[at:end].strip()
        if piece:
            offset = start + text.index(piece, at)
            items.append(Span(offset, offset + len(piece), piece))
        at = sep.end() if sep else end
    return items


def _last_and(piece: str) -> re.Match[str] | None:
    matches = list(LAST_AND.finditer(piece))
    return matches[-1] if matches else None
