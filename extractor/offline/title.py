"""The job title: the first head cell with a job word, cleaned of what is glued to it.

"TRAVEL RN – Labor & Delivery – 13 weeks – Albuquerque, NM" is cut into pieces at " – "; the
title runs from the first piece with a job word up to the first piece that is a head fact (a
place, an amount of time, a workplace, pay, a company with a legal or trade suffix, an
exclamation), so the title is "TRAVEL RN – Labor & Delivery". A leading "[Contract]" tag, a
trailing "NEEDED" and a trailing "at Company" are dropped too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractor.offline.header import (
    COMPANY_SUFFIX,
    MAX_TITLE_CHARS,
    WEAK_SPLIT,
    is_title_like,
    split,
    strong_cells,
)
from extractor.offline.lines import Span
from extractor.offline.places import as_place

NOTE = re.compile(r"\s*\([^()]*\)\s*$")
TAG = re.compile(
    r"^(?:\[[^\]]{1,30}\]|(?i:(?:now |we'?re |we are )?hiring|job opening|vacancy|open position)"
    r"\s*[:!–—-])\s*"
)  # "[Contract] ...", "Now hiring: ..."
HIRING = re.compile(r"\s+(?i:needed|wanted|urgently needed)\s*!*$")
AT_COMPANY = re.compile(
    r"\s(?:at|@|bei|chez)\s+(?P<name>[A-Z][\w&.'’-]*(?:\s+[A-Z][\w&.'’-]*){0,3})\s*$"
)
AMOUNT_OF_TIME = re.compile(
    r"(?i:\d+(?:\s*[-–]\s*\d+)?[\s-]*(?:weeks?|months?|years?|days?|wochen|monate|mois|"
    r"semaines|meses|semanas))"
)
WORKPLACE = re.compile(
    r"(?i:(?:fully |100 ?% )?(?:remote|hybrid|on-?site|in[- ]office|télétravail|homeoffice|"
    r"presencial|remoto|híbrido))"
)
MONEY = re.compile(r"[$€£₹¥]\s?\d|\d\s?[$€£₹¥]")
# A job board's words around the title: "Stellenausschreibung X", "Vacature: X", "X - job post",
# "X - Vaga de Emprego", "Job Opening: X".
BOARD_PREFIX = re.compile(
    r"^(?:(?i:stellenausschreibung|stellenangebot|stellenanzeige|vacature)\s*[:–—|-]?\s*|"
    r"(?i:job (?:posting|opening|offer|ad)|job|vacancy|vacante|vaga|offre d'emploi|"
    r"oferta de (?:empleo|trabajo)|now hiring|we(?:'re| are) hiring|hiring)\s*[:–—|-]\s*)"
)
BOARD_SUFFIX = re.compile(
    r"\s*[|–—-]\s*(?i:job post(?:ing)?|job offer|vaga de emprego|vacature|stellenangebot|"
    r"remote|hybrid|on-?site|"
    r"offre d'emploi|oferta de empleo|careers?|jobs?)\s*$"
)


@dataclass(slots=True)
class TitleLine:
    """The title and what was glued to it on its line: facts after it and an "at" company."""

    title: Span
    cell: Span  # the whole cell the title came from
    tail: list[Span] = field(default_factory=list)  # head facts after the title in ``cell``
    at_company: Span | None = None


def find_title(head: list[Span]) -> TitleLine | None:
    """The job title: the first title-like piece of the head, with the pieces that follow it."""
    for line in head:
        for cell in strong_cells(line):
            if found := _title_in(cell):
                return found
    return None


def _title_in(cell: Span) -> TitleLine | None:
    pieces = split(cell, WEAK_SPLIT, " \t")
    first = next((i for i, p in enumerate(pieces) if is_title_like(_tidy(p).text)), None)
    if first is None:
        return None
    last = first
    while last + 1 < len(pieces) and not is_head_fact(pieces[last + 1].text):
        last += 1
    whole = Span(
        pieces[first].start,
        pieces[last].end,
        cell.text[pieces[first].start - cell.start : pieces[last].end - cell.start],
    )
    title, at_company = _tidy(whole), None
    if at := AT_COMPANY.search(title.text):
        at_company = Span(title.start + at.start("name"), title.start + at.end("name"), at["name"])
        title = Span(title.start, title.start + at.start(), title.text[: at.start()])
    return TitleLine(title, cell, pieces[last + 1 :], at_company)


# A place in a trailing note: "Elektromonteur (regio Zaanstad)", "Cook (near Leeds)".
PLACE_NOTE = re.compile(
    r"\s*\((?:(?i:regio|region|región|région|area|zone|near|bei|près de|cerca de)\s+)?"
    r"(?P<place>[^()]{2,40})\)\s*$"
)


# A client glued on by an agency: "Backendutvecklare till Per & Per", "Monteur bij Acme".
FOR_CLIENT = re.compile(r"\s+(?:till|bij)\s+[A-Z][\w&.'’ -]{1,40}$")


# Where a long title may be cut: before a clause that qualifies the role.
QUALIFIER = re.compile(r"\s+(?:[–—|-]\s+|(?=\()|(?=(?:für|for|pour|para|per|voor)\s))")


def short_title(span: Span) -> Span | None:
    """The title, at most ``MAX_TITLE_CHARS`` long: cut before its last qualifying clause that
    starts in time ("Mitarbeiter (m/w/d) für den Forschungsbereich ..."), else None."""
    if len(span.text) <= MAX_TITLE_CHARS:
        return span
    cuts = [m.start() for m in QUALIFIER.finditer(span.text, 0, MAX_TITLE_CHARS + 1)]
    cut = max((c for c in cuts if 0 < c <= MAX_TITLE_CHARS), default=0)
    if cut == 0:
        return None
    return Span(span.start, span.start + cut, span.text[:cut])


def without_boilerplate(span: Span) -> Span:
    """The title without a job board's words around it (``BOARD_PREFIX``, ``BOARD_SUFFIX``)."""
    start, text = span.start, span.text
    if (prefix := BOARD_PREFIX.match(text)) and prefix.end() < len(text):
        start, text = start + prefix.end(), text[prefix.end() :]
    if (suffix := BOARD_SUFFIX.search(text)) and suffix.start() > 0:
        text = text[: suffix.start()]
    if (note := PLACE_NOTE.search(text)) and note.start() > 0 and as_place(note["place"]):
        text = text[: note.start()]
    if (client := FOR_CLIENT.search(text)) and client.start() > 0:
        text = text[: client.start()]
    return Span(start, start + len(text), text) if text != span.text else span


def _tidy(span: Span) -> Span:
    """Without a leading "[Contract]" tag or a trailing "NEEDED"."""
    start, text = span.start, span.text
    if tag := TAG.match(text):
        start, text = start + tag.end(), text[tag.end() :]
    if hiring := HIRING.search(text):
        text = text[: hiring.start()]
    return Span(start, start + len(text), text) if text else span


def is_head_fact(text: str) -> bool:
    """A place, an amount of time, a workplace, pay, a suffixed company or an exclamation."""
    core = NOTE.sub("", text)
    parts = [p.strip() for p in core.split(",") if p.strip()]
    if text.endswith("!") or MONEY.search(text) or COMPANY_SUFFIX.search(core):
        return True
    if parts and all(AMOUNT_OF_TIME.fullmatch(p) or WORKPLACE.fullmatch(p) for p in parts):
        return True
    if as_place(core) is not None and not is_title_like(core):
        return True
    _, sep, rest = core.partition(", ")
    return bool(sep) and as_place(rest) is not None
