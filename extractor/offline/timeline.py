"""Dates and durations: posted, deadline, start dates, how long the job lasts, expired notices.

Dates found by the cleaner outside the body (``doc.signals``) win over dates in the text.
Only regex-based readers from ``extractor.normalize.dates`` are used here (no dateparser), so
this stays fast.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from extractor.document import Document, Signal
from extractor.normalize.dates import DateMatch, find_dates, find_deadline, find_posted
from extractor.offline.lines import Span, fold, lines_with

UNITS = (
    r"(?:weeks?|months?|years?|days?|wochen|monate[n]?|jahre[n]?|tage[n]?|semaines?|mois|ans|"
    r"années?|jours|semanas?|meses|mes|años?|días?|månader|månad|år|veckor|dagar|maanden|"
    r"jaar|weken|miesiące|miesięcy|lat|mesi|anni|settimane|meses|anos)"
)
NUMBER = (
    r"(?:\d{1,2}(?:[.,]5)?|one|two|three|four|five|six|eight|ten|twelve|several|a few|zwei|drei|"
    r"vier|fünf|sechs|zwölf|mehrere|deux|trois|quatre|six|douze|plusieurs|dos|tres|cuatro|seis|"
    r"doce|varios|dois|três|due|tre|sei|dodici|två|tre|sex)"
)
# "6 månader eller längre", "12 months or longer": the open end is part of the duration.
OPEN_END = r"(?:\s+(?:eller längre|or (?:longer|more)|ou plus|oder länger|o más|of langer))?"
AMOUNT = re.compile(
    rf"\b{NUMBER}(?:\s*[-–]\s*{NUMBER})?[\s-]+{UNITS}\b{OPEN_END}"
    r"|(?<!\d)\d{1,2}\s?(?:년|개월|ヶ月|か月|个月)",
    re.IGNORECASE,
)
# A head cell that is only an amount of time ("$20/hour · 10 weeks · Start date: ...").
CELL_BEFORE = re.compile(
    r"(?:^|[·|—–]|\b(?:assignment|contract)\s*:[^\n.:]{0,12}?)\s*$", re.IGNORECASE | re.MULTILINE
)
EXPERIENCE = re.compile(r"experience|erfahrung|expérience|experiencia", re.IGNORECASE)
CELL_AFTER = re.compile(r"\s*(?:[·|—–,(]|$)", re.MULTILINE)
AT_LEAST = re.compile(
    r"(?:at least|a minimum of|minimum|mindestens|au moins|al menos|up to|bis zu|environ|about|"
    r"approximately|circa|ca\.|etwa|aproximadamente|ungefär)\s+$",
    re.I,
)
DURATION_BEFORE = re.compile(
    r"(?:runs? for|lasts?|for a period of|appointment for|a term of|length|laufzeit|"
    r"(?:duration|dauer|durée|duración|duração|durata)(?: (?:of|de|du|del|des|der|da) [\w ]{1,20})?|"
    r"cdd(?: de)?|contrat de|contract of|befristet (?:auf|für)(?: zunächst)?|period of|"
    r"mission intérimaire|contract|varaktighet|anställningens varaktighet|looptijd|"
    r"czas trwania|계약\s?기간|契約期間|合同期限)[\s:\"'\\(–-]*$",
    re.IGNORECASE,
)
DURATION_AFTER = re.compile(
    r"(?:[\s-]+long)?[\s-]+(?:contract|internship|assignment|program(?:me)?|placement|"
    r"appointment|position|project|role|vertrag|praktikum|mission|stage|contrato|fixed[- ]term)\b",
    re.IGNORECASE,
)
LOOK_BEHIND = 40
START_KEYWORD = re.compile(
    r"\b(start(ing)? dates?|start|starting|beginning|available from|eintritt(sdatum)?|startdatum|"
    r"beginn|arbeitsbeginn|ab dem|date de début|prise de poste|à partir du|début|"
    r"fecha de (inicio|incorporación)|incorporación)\b",
    re.IGNORECASE,
)
START_WINDOW = 40
# Words every start keyword / amount of time holds (folded): only their lines are searched.
START_TRIGGERS = re.compile(
    r"start|beginn|available from|eintritt|ab dem|début|prise de poste|à partir du|fecha de|"
    r"incorporación"
)
UNIT_TRIGGERS = re.compile(
    r"week|month|year|day|woche|monat|jahr|tage|semaine|mois|ans|anné|jour|semana|mes|año|día|"
    r"månad|år|veckor|dagar|maand|jaar|weken|miesi|lat|anni|settiman|anos|년|개월|ヶ月|か月|个月"
)
EXPIRED = re.compile(
    r"(this (job|position|posting|role|vacancy)( posting)? (has expired|is (now )?closed|is no "
    r"longer (available|open|accepting))|no longer accepting applications|"
    r"applications? (are|is) (now )?closed|position (has been )?filled|"
    r"(diese )?stelle (ist )?(leider )?(nicht mehr verfügbar|bereits besetzt|abgelaufen)|"
    r"(cette )?offre (n'est plus disponible|a expiré|est expirée)|"
    r"(esta )?oferta (ha caducado|ya no está disponible|ha expirado))",
    re.IGNORECASE,
)

# Cheap pre-check: EXPIRED can only match when one of these is in the lower-cased text.
EXPIRED_WORDS = (
    "expired",
    "closed",
    "no longer",
    "filled",
    "nicht mehr",
    "besetzt",
    "abgelaufen",
    "expiré",
    "plus disponible",
    "caducado",
    "ya no",
    "expirado",
)


def _signal(doc: Document, kind: str) -> Signal | None:
    return next((s for s in doc.signals if s.kind == kind), None)


def dated_signal(doc: Document, kind: str, as_of: date) -> tuple[Signal, date | None] | None:
    """A posted/deadline signal with the date it means (None when it cannot be read)."""
    signal = _signal(doc, kind)
    if signal is None:
        return None
    reader = find_posted if kind == "posted" else find_deadline
    found = reader(signal.text, as_of=as_of)
    if found is None:
        dates = find_dates(signal.text, as_of=as_of)
        found = dates[0] if dates else None
    return signal, found.date if found else None


def find_posted_in(text: str, as_of: date) -> DateMatch | None:
    """The posted mention in the cleaned text."""
    return find_posted(text, as_of=as_of)


def find_deadline_in(text: str, as_of: date) -> DateMatch | None:
    """The deadline mention in the cleaned text."""
    return find_deadline(text, as_of=as_of)


def last_date(text: str, span: Span, day: date | None, as_of: date) -> tuple[Span, date | None]:
    """The last readable date inside ``span`` of ``text`` with its own span ("dates: 11/10 to
    12/01"); numeric dates are read in the order the whole text uses."""
    dates = [m for m in _dates_in(text, span.start, span.end, as_of) if m.date is not None]
    if not dates:
        return span, day
    return Span(dates[-1].start, dates[-1].end, dates[-1].text), dates[-1].date


def _dates_in(text: str, start: int, end: int, as_of: date) -> list[DateMatch]:
    """The dates in ``text[start:end]`` with offsets in ``text``; "01/11/2027" is read as the
    whole text reads it (US when it shows "$" or a US-ordered date)."""
    dates = find_dates(text[start:end], as_of=as_of)
    if all(m.date is not None or not re.search(r"\d[/-]\d", m.text) for m in dates):
        return [_shifted(m, start) for m in dates]
    return [m for m in find_dates(text, as_of=as_of) if start <= m.start and m.end <= end]


def _shifted(match: DateMatch, base: int) -> DateMatch:
    return DateMatch(base + match.start, base + match.end, match.text, match.date)


def last_date_in_signal(
    signal: Signal, day: date | None, as_of: date
) -> tuple[Signal, date | None]:
    """``last_date`` for a signal, whose offsets are in the source."""
    dates = [m for m in find_dates(signal.text, as_of=as_of) if m.date is not None]
    if not dates:
        return signal, day
    last = dates[-1]
    start = signal.start + last.start
    return Signal(signal.kind, last.text, start, start + len(last.text)), last.date


def find_start_dates(text: str, items: list[Span], as_of: date) -> list[tuple[date, Span]]:
    """Dates listed under a "Start dates" header, plus dates right after a start keyword."""
    found: dict[date, Span] = {}
    for item in items:
        for match in find_dates(item.text, as_of=as_of):
            if match.date is not None:
                found.setdefault(match.date, _shift(match, item.start))
    lines = lines_with(fold(text), START_TRIGGERS)
    for keyword in (k for start, end in lines for k in START_KEYWORD.finditer(text, start, end)):
        window = text[keyword.end() : keyword.end() + START_WINDOW].split("\n", 1)[0]
        dates = _dates_in(text, keyword.end(), keyword.end() + len(window), as_of)
        if dates and dates[0].date is not None:
            found.setdefault(dates[0].date, Span(dates[0].start, dates[0].end, dates[0].text))
    return sorted(found.items(), key=lambda pair: pair[1].start)


def find_duration(text: str) -> Span | None:
    """How long the job lasts, as written ("12 weeks", "at least 3 months").

    An amount of time counts when a duration phrase comes before it ("runs for", "Dauer:"),
    it stands alone in a head cell, or a job word follows it ("6-month contract"). The first
    labelled one wins ("Contract length: 6 months"), else the first followed by a job word.
    """
    inferred: Span | None = None
    for match in _amounts(text):
        before = text[max(0, match.start() - LOOK_BEHIND) : match.start()]
        start = match.start()
        if at_least := AT_LEAST.search(before):
            start -= len(before) - at_least.start()
            before = before[: at_least.start()]
        if EXPERIENCE.search(before):  # "Experience: 3 - 6 years" is not how long the job lasts
            continue
        span = Span(start, match.end(), text[start : match.end()])
        in_cell = CELL_BEFORE.search(before) and CELL_AFTER.match(text, match.end())
        if in_cell or DURATION_BEFORE.search(before):
            return span
        if inferred is None and DURATION_AFTER.match(text, match.end()):
            inferred = span
    return inferred


def _amounts(text: str) -> Iterator[re.Match[str]]:
    for start, end in lines_with(fold(text), UNIT_TRIGGERS):
        yield from AMOUNT.finditer(text, start, end)


def find_expired(doc: Document) -> tuple[Signal | None, Span | None]:
    """The expired notice: a cleaner signal (source offsets) or a phrase in the text."""
    signal = _signal(doc, "expired")
    if signal is not None:
        return signal, None
    lower = doc.text.lower()
    if not any(word in lower for word in EXPIRED_WORDS):
        return None, None
    match = EXPIRED.search(doc.text)
    return None, Span(match.start(), match.end(), match.group()) if match else None


def _shift(match: DateMatch, base: int) -> Span:
    return Span(base + match.start, base + match.end, match.text)
