"""Facts on the page that the description may not repeat: expired notices, posted dates,
header pay lines, application deadlines and the employer named in a widget.

Signals are read from every segment except lists of other jobs and dropped repeats (their pay
lines and dates belong to other postings, or were already read from the first copy), so they
survive even when the cleaner drops the block they stood in. Offsets point into the source.
"""

from __future__ import annotations

import re

from extractor.cleaning.segments import Segment
from extractor.document import Signal, SignalKind

__all__ = ["find_signals"]

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATE = (
    rf"(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?(?:\s+\d{{4}})?"
    r"|\d{4}-\d{2}-\d{2}|\d{1,2}[/.]\d{1,2}[/.]\d{2,4})"
)
_AGO = (
    r"(?:(?:\d+\+?|an?|one)\s+(?:second|minute|min|hour|hr|day|week|month|year)s?\s+ago"
    r"|today|yesterday|just now)"
)
_EXPIRED = re.compile(
    r"(?:job|posting|position|listing|vacancy|role|advert|ad)\b[^.\n]{0,30}\b(?:has\s+)?expired"
    r"|no longer (?:accepting applications|available|open|active)"
    r"|(?:position|role|job|vacancy) has (?:already )?been filled"
    r"|applications? (?:are|is) (?:now )?closed"
    r"|(?:Stelle|Stellenanzeige|Anzeige)[^.\n]{0,30}nicht mehr (?:verfügbar|aktiv|gültig)"
    r"|(?:offre|annonce)[^.\n]{0,30}(?:n'est|n’est) plus (?:disponible|active)"
    r"|oferta[^.\n]{0,30}ya no está (?:disponible|activa)",
    re.IGNORECASE,
)
_POSTED = re.compile(
    rf"\b(?:(?:re)?posted(?:\s+on)?|date posted|published(?:\s+on)?|veröffentlicht(?:\s+am)?)"
    rf":?\s*(?:{_DATE}|{_AGO})",
    re.IGNORECASE,
)
_AGO_ONLY = re.compile(rf"^{_AGO}$", re.IGNORECASE)
_MONEY = r"(?:[$€£¥₹]|(?:USD|EUR|GBP|CAD|AUD|CHF|INR)\s?)\d[\d,.]*\s?[kKmM]?"
_PAY = re.compile(
    rf"{_MONEY}(?:\s?(?:-|–|—|to)\s?{_MONEY}|\s?(?:-|–|—|to)\s?\d[\d,.]*\s?[kKmM]?)?"
    r"(?:\s?(?:/|per\s|an?\s)\s?(?:hour|hr|h|year|yr|annum|month|mo|week|wk|day)\b)?"
)
_MAX_PAY_LINE = 60  # pay in a long sentence is part of the description, not a header signal
_DEADLINE = re.compile(
    rf"\b(?:apply (?:by|before|until)|closing date|application deadline|deadline(?: to apply)?"
    rf"|applications? close[sd]?(?: on)?|bewerbungsschluss)\s*:?\s*{_DATE}",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)")


def find_signals(
    source: str, segments: list[Segment], readable: list[bool], companies: list[int]
) -> list[Signal]:
    """Signals from the segments with ``readable[i]`` set, plus the widget company names."""
    signals: list[Signal] = []
    for i, seg in enumerate(segments):
        if readable[i]:
            signals.extend(_from_segment(source, seg))
    for i in companies:
        seg = segments[i]
        signals.append(Signal("company", source[seg.start : seg.end], seg.start, seg.end))
    signals.sort(key=lambda s: s.start)
    return _unique(signals)


def _from_segment(source: str, seg: Segment) -> list[Signal]:
    text = source[seg.start : seg.end]
    found: list[Signal] = []

    def add(kind: SignalKind, a: int, b: int) -> None:
        found.append(Signal(kind, text[a:b], seg.start + a, seg.start + b))

    for m in _EXPIRED.finditer(text):
        add("expired", *_sentence(text, m.start(), m.end()))
    if _AGO_ONLY.match(text):
        add("posted", 0, len(text))
    for m in _POSTED.finditer(text):
        add("posted", m.start(), m.end())
    for m in _DEADLINE.finditer(text):
        add("deadline", m.start(), m.end())
    if len(text) <= _MAX_PAY_LINE:
        for m in _PAY.finditer(text):
            add("pay", m.start(), m.end())
    return found


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence of ``text`` around ``[start, end)``, without its closing stop."""
    before = [m.end() for m in _SENTENCE_END.finditer(text, 0, start)]
    a = before[-1] if before else 0
    after = _SENTENCE_END.search(text, end)
    b = after.start() if after else len(text)
    while a < b and text[a].isspace():
        a += 1
    return a, b


def _unique(signals: list[Signal]) -> list[Signal]:
    seen: set[tuple[str, str]] = set()
    unique: list[Signal] = []
    for signal in signals:
        key = (signal.kind, " ".join(signal.text.casefold().split()))
        if key not in seen:
            seen.add(key)
            unique.append(signal)
    return unique
