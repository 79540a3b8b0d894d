"""Facts on the page that the description may not repeat: expired notices, posted dates,
header pay lines, application deadlines and the employer named in a widget.

Signals are read from every segment except lists of other jobs and dropped repeats (their pay
lines and dates belong to other postings, or were already read from the first copy), so they
survive even when the cleaner drops the block they stood in. Offsets point into the source.
"""

from __future__ import annotations

import re

from extractor.cleaning.hints import Hints
from extractor.cleaning.segments import Segment
from extractor.document import Signal, SignalKind

__all__ = ["find_signals"]

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
    r"|janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
    r"|januar|februar|märz|juni|juli|oktober|dezember"
    r"|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre"
    r"|diciembre)\b\.?"
)
_DATE = (
    rf"(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?"
    rf"|\d{{1,2}}(?:st|nd|rd|th|er)?\.?\s+(?:de\s+)?{_MONTH},?(?:\s+(?:de\s+)?\d{{4}})?"
    r"|\d{4}-\d{2}-\d{2}|\d{1,2}[/.]\d{1,2}[/.]\d{2,4})"
)
_AGO = (
    r"(?:(?:\d+\+?|an?|one)\s+(?:second|minute|min|hour|hr|day|week|month|year)s?\s+ago"
    r"|il y a \d+\+?\s+(?:minutes?|heures?|jours?|semaines?|mois|ans?)"
    r"|vor \d+\+?\s+(?:minuten?|stunden?|tag(?:en)?|wochen?|monat(?:en)?|jahr(?:en)?)"
    r"|hace \d+\+?\s+(?:minutos?|horas?|días?|semanas?|mes(?:es)?|años?)"
    r"|today|yesterday|just now|heute|gestern|aujourd'hui|hier|hoy|ayer)"
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
    r"\b(?:(?:re)?posted|listed|date posted|published|publiée?|publicad[oa]|veröffentlicht"
    r"|erschienen)(?:\s+(?:on|am|le|el))?\s*[:|–-]?\s*"
    rf"(?:{_DATE}|{_AGO})"
    rf"|\b{_AGO}\s+(?:veröffentlicht|publiée?|publicad[oa])",
    re.IGNORECASE,
)
_AGO_ONLY = re.compile(rf"^{_AGO}$", re.IGNORECASE)
_AMOUNT = r"(?:\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?!\d)|\d(?:[\d,.'’]*\d)?)(?:\s?[kKmM]\b)?"
_CODE = r"(?:USD|EUR|GBP|CAD|AUD|NZD|CHF|INR|MXN|SGD|JPY|SEK|NOK|DKK|PLN|BRL|ZAR)"
_SYMBOL = r"(?:(?:US|CA|AU|NZ|HK|MX|R|A|C|S)?[$€£¥₹])"
_MONEY = (
    rf"(?:{_SYMBOL}\s?{_AMOUNT}(?:\s?{_CODE})?|{_CODE}\s?{_AMOUNT}"
    rf"|{_AMOUNT}\s?(?:€|£|{_CODE}))"
)
_PERIOD = (
    r"(?i:\s?(?:/|per\s|an?\s|pro\s)\s?(?:hour|hr|h|year|yr|annum|month|mo|week|wk|day"
    r"|stunde|jahr|monat)\b|\s?(?:p\.\s?a\.|LPA|lakhs?(?: per annum)?|brutto(?:/jahr)?"
    r"|mensuales|brut (?:de l'heure|annuel|mensuel)))"
)
_PAY = re.compile(rf"{_MONEY}(?:\s?(?:-|–|—|to|bis|à|a)\s?(?:{_MONEY}|{_AMOUNT}))?{_PERIOD}?")
_PAY_LABEL = re.compile(
    r"^(?:[-•*]\s*)?(?:pay|salary|compensation|wage|rate|base pay|pay range|gehalt|vergütung"
    r"|lohn|rémunération|salaire|sueldo|salario)\b",
    re.IGNORECASE,
)
_MAX_PAY_LINE = 120  # pay in a long sentence is part of the description, not a header fact
_HEADER_END = 150  # the header ends at the first paragraph-long segment
_DEADLINE = re.compile(
    r"\b(?:apply (?:by|before|until)|closing dates?|application deadline|deadline(?: to apply)?"
    r"|valid through"
    r"|applications? close[sd]?(?: on)?|bewerbungs(?:schluss|frist)"
    r"|bewerben(?: sie sich| dich)?(?: bitte)? bis(?: zum| spätestens)?"
    r"|date limite(?: de candidature)?|fecha límite(?: para postularse)?)\s*[:|–-]?\s*"
    rf"(?:{_DATE}\s+(?:to|-|–|bis|au|al)\s+)?{_DATE}",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)")
# Words one of which a line must contain before the matching pattern is tried on it.
_EXPIRED_HINTS = (
    "expired", "no longer", "been filled", "closed", "nicht mehr", "plus disponible",
    "plus active", "ya no está",
)  # fmt: skip
_POSTED_HINTS = ("posted", "listed", "publi", "veröffentlicht", "erschienen")
_DEADLINE_HINTS = (
    "apply", "clos", "deadline", "bewerb", "date limite", "fecha límite", "valid through",
)  # fmt: skip
_MAX_AGO_LINE = 40


def find_signals(
    source: str, segments: list[Segment], readable: list[bool], companies: list[int]
) -> list[Signal]:
    """Signals from the segments with ``readable[i]`` set, plus the widget company names."""
    signals: list[Signal] = []
    header = True
    hints = _Hinted(source)
    for i, seg in enumerate(segments):
        header = header and seg.end - seg.start < _HEADER_END
        if readable[i]:
            signals.extend(_from_segment(source, seg, hints, header=header))
    for i in companies:
        seg = segments[i]
        signals.append(Signal("company", source[seg.start : seg.end], seg.start, seg.end))
    signals.sort(key=lambda s: s.start)
    return _unique(signals)


class _Hinted:
    def __init__(self, source: str) -> None:
        self.expired = Hints(source, _EXPIRED_HINTS)
        self.posted = Hints(source, _POSTED_HINTS)
        self.deadline = Hints(source, _DEADLINE_HINTS)


def _from_segment(source: str, seg: Segment, hints: _Hinted, *, header: bool) -> list[Signal]:
    text = source[seg.start : seg.end]
    found: list[Signal] = []

    def add(kind: SignalKind, a: int, b: int) -> None:
        found.append(Signal(kind, text[a:b], seg.start + a, seg.start + b))

    start, end = seg.start, seg.end
    if hints.expired.within(start, end):
        for m in _EXPIRED.finditer(text):
            add("expired", *_sentence(text, m.start(), m.end()))
    if len(text) <= _MAX_AGO_LINE and _AGO_ONLY.match(text):
        add("posted", 0, len(text))
    if hints.posted.within(start, end):
        for m in _POSTED.finditer(text):
            add("posted", m.start(), m.end())
    if hints.deadline.within(start, end):
        for m in _DEADLINE.finditer(text):
            add("deadline", m.start(), m.end())
    if header or (len(text) <= _MAX_PAY_LINE and _PAY_LABEL.match(text)):
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
