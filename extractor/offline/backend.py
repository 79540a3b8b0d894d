"""The offline backend: rules over the cleaned text fill a JobPosting-shaped dict, with evidence.

``extract_posting`` never calls a model. Every value it fills comes with one ``Evidence`` whose
span is in ``doc.source``; when a rule is unsure the field stays empty.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from extractor.document import Document, Evidence, Signal
from extractor.normalize.codes import normalize_country, normalize_currency
from extractor.normalize.dates import parse_date
from extractor.normalize.degrees import find_degrees
from extractor.normalize.locations import Place
from extractor.normalize.pay import PayMatch, find_pay
from extractor.offline import classify, contact, employer, header, skills, timeline
from extractor.offline.flags import flagged_items
from extractor.offline.headline import find_headline, names_several_roles
from extractor.offline.injection import without_injections
from extractor.offline.language import detect_language
from extractor.offline.lines import Span, split_lines
from extractor.offline.places import find_locations, listed_countries, placed_in, record_places
from extractor.offline.records import PAGE_TITLE, RecordFacts, facts_from, find_record_fields
from extractor.offline.sections import Sections, find_sections
from extractor.offline.title import TitleLine, find_title, short_title, without_boilerplate

SALARY_SIZED = 10_000
MIN_LINES_FOR_HEADLINE = 3  # a headline heads a body
LIST_FIELDS = {
    "responsibilities": "responsibilities",
    "required": "required_qualifications",
    "preferred": "preferred_qualifications",
    "benefits": "benefits",
}


@dataclass(slots=True)
class OfflineResult:
    """What the offline backend found: JobPosting-shaped data, its evidence, and warnings."""

    data: dict[str, Any]
    evidence: list[Evidence]
    warnings: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Record:
    """Data and evidence filled side by side, so every value has its span."""

    doc: Document
    facts: RecordFacts = field(default_factory=RecordFacts)
    data: dict[str, Any] = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)

    def put(self, path: str, value: Any, span: Span | Signal) -> None:
        self.data[path] = value
        self.cite(path, span)

    def append(self, name: str, value: Any, span: Span | Signal) -> None:
        items = self.data.setdefault(name, [])
        self.cite(f"{name}[{len(items)}]", span)
        items.append(value)

    def cite(self, path: str, span: Span | Signal) -> None:
        if isinstance(span, Signal):  # signals carry source offsets already
            quote = self.doc.source[span.start : span.end]
            self.evidence.append(Evidence(path, span.start, span.end, quote))
        else:
            self.evidence.append(self.doc.evidence(path, span.start, span.end))


def extract_posting(doc: Document, *, as_of: date) -> OfflineResult:
    """Fill a JobPosting-shaped dict from ``doc`` by rules alone, with evidence for each value."""
    record = _Record(without_injections(doc))
    lines = split_lines(record.doc.text)
    fields = find_record_fields(lines)
    record.facts = facts_from(fields)
    found = find_sections(lines, record.doc.text, _indented_in(record.doc))
    for kind, item in flagged_items(fields):
        found.items[kind].append(item)
    title = _fill_head(record, lines, found)
    _fill_classes(record, title)
    _fill_pay(record)
    _fill_dates(record, found, as_of)
    _fill_contact(record)
    _fill_lists(record, found)
    data = {**_empty(), **record.data}
    return OfflineResult(data=data, evidence=record.evidence, warnings=list(doc.warnings))


def _indented_in(doc: Document) -> Callable[[Span], bool]:
    """Whether a line of the cleaned text starts after white space in the source."""

    def indented(line: Span) -> bool:
        start = doc.offsets.to_source(line.start)
        return start > 0 and doc.source[start - 1] in " \t"

    return indented


def _empty() -> dict[str, Any]:
    lists = (
        "locations",
        "degree_levels",
        "start_dates",
        "contact_emails",
        "skills",
        *LIST_FIELDS.values(),
    )
    scalars = (
        "title",
        "company",
        "team",
        "workplace",
        "employment_type",
        "seniority",
        "pay",
        "posted",
        "application_deadline",
        "duration",
        "apply_url",
        "language",
    )
    return {**{name: [] for name in lists}, **dict.fromkeys(scalars), "is_expired": False}


def _fill_head(record: _Record, lines: list[Span], found: Sections) -> Span | None:
    doc, text = record.doc, record.doc.text
    fields = {
        kind: header.strong_cells(span)[0] for kind, span in header.head_fields(lines).items()
    }
    facts = record.facts
    head = header.head_lines(lines, found.headers)
    line = find_title(head)
    title = facts.title or fields.get("title") or (line.title if line else None)
    if title is None and len(lines) >= MIN_LINES_FOR_HEADLINE and not names_several_roles(head):
        title = find_headline(head)
    elif title is not None and facts.title is None and names_several_roles(head):
        title = None
    title = short_title(without_boilerplate(title)) if title is not None else None
    company = (
        (employer.prefer_body(facts.company, text) if facts.company else None)
        or fields.get("company")
        or employer.find_company(head, line, text, doc.signals)
    )
    if title is not None and company is not None:
        title = employer.strip_company(title, company)
    if title is not None:
        record.put("title", title.text, title)
    if company is not None:
        record.put("company", company.text, company)
    stated_team = fields.get("team")
    if stated_team is not None and PAGE_TITLE.match(stated_team.text):
        stated_team = None  # "department: jobs" names the site's section
    team = facts.team or stated_team or employer.find_team(title, head, found.team_lines, text)
    if team is not None:
        record.put("team", team.text, team)
    _fill_locations(record, lines, head, line)
    return title


def _fill_locations(
    record: _Record, lines: list[Span], head: list[Span], line: TitleLine | None
) -> None:
    """The record's location field, else the first "Location:" field naming a place, else the
    head's place cells, else a place a sentence puts the job in."""
    facts = record.facts
    skip, tail = (line.cell, line.tail) if line else (None, [])
    if facts.location is not None:
        country = facts.country.text if facts.country else None
        places = record_places(facts.location, country)
    else:
        places = []
        for value in header.location_fields(lines):
            if places := record_places(value, None):
                break
        text = record.doc.text
        places = (
            places
            or find_locations(head, skip, tail, None)
            or placed_in(text)
            or listed_countries(text)
        )
    for i, (span, place) in enumerate(places):
        record.append("locations", _location(span, place), span)
        if facts.location is not None and facts.country is not None:
            record.cite(f"locations[{i}].country", facts.country)


def _location(span: Span, place: Place) -> dict[str, Any]:
    country: str | None = None
    if place.country:
        try:
            country = normalize_country(place.country)
        except ValueError:
            country = None
    return {"text": span.text, "city": place.city, "region": place.region, "country": country}


def _fill_classes(record: _Record, title: Span | None) -> None:
    text = record.doc.text
    if workplace := classify.find_workplace(text):
        record.put("workplace", *workplace)
    employment = classify.find_employment_type(text, title)
    if employment:
        record.put("employment_type", *employment)
    seniority = classify.find_seniority(title)
    if seniority is None and employment and employment[0] == "internship":
        seniority = "intern", employment[1]
    if seniority:
        record.put("seniority", *seniority)
    if language := detect_language(text):
        record.put("language", *language)


def _fill_pay(record: _Record) -> None:
    """The header pay the cleaner kept as a signal, read on its whole source line ("up to
    $25/hr", "2.100 € brutos mensuales"); else the first pay in the text with a minimum,
    else one with only a maximum."""
    source = record.doc.source
    for signal in (s for s in record.doc.signals if s.kind == "pay"):
        start = source.rfind("\n", 0, signal.start) + 1
        end = source.find("\n", signal.end)
        line = source[start : end if end >= 0 else len(source)]
        for match in find_pay(line):
            if start + match.start < signal.end and signal.start < start + match.end:
                quote = Signal("pay", match.text, start + match.start, start + match.end)
                record.put("pay", _pay(match), quote)
                return
    found = find_pay(record.doc.text)
    if best := next((m for m in found if m.min is not None), None) or next(iter(found), None):
        record.put("pay", _pay(best), Span(best.start, best.end, best.text))


def _pay(match: PayMatch) -> dict[str, Any]:
    currency: str | None = None
    if match.currency:
        try:
            currency = normalize_currency(match.currency)
        except ValueError:
            currency = None
    high = match.max if match.max is None or match.min is None else max(match.min, match.max)
    return {
        "text": match.text,
        "min": match.min,
        "max": high,
        "currency": currency,
        "period": _period(match),
    }


def _period(match: PayMatch) -> str | None:
    """The stated period; a salary-sized figure with none is yearly ("£35k-£40k")."""
    if match.period is None and max(match.min or 0, match.max or 0) >= SALARY_SIZED:
        return "year"
    return match.period


def _fill_dates(record: _Record, found: Sections, as_of: date) -> None:
    doc, text = record.doc, record.doc.text
    for name, stated in (
        ("posted", record.facts.posted),
        ("application_deadline", record.facts.deadline),
    ):
        day = parse_date(stated.text, as_of=as_of) if stated is not None else None
        if stated is not None and day is not None:
            record.put(name, {"text": stated.text, "date": day}, stated)
    for kind, name, finder in (
        ("posted", "posted", timeline.find_posted_in),
        ("deadline", "application_deadline", timeline.find_deadline_in),
    ):
        if name in record.data:
            continue
        dated = timeline.dated_signal(doc, kind, as_of)
        if dated is not None and kind == "deadline":
            dated = timeline.last_date_in_signal(*dated, as_of)
        match = finder(text, as_of) if dated is None or dated[1] is None else None
        if match is not None and (dated is None or match.date is not None):
            # A written date is the date itself ("Closing date: 12 December 2026" -> the date);
            # a relative one keeps its words ("Posted 3 days ago").
            span, day = Span(match.start, match.end, match.text), match.date
            span, day = timeline.last_date(text, span, day, as_of)
            record.put(name, {"text": span.text, "date": day}, span)
        elif dated is not None:  # the signal, even when its date cannot be read
            record.put(name, {"text": dated[0].text.strip(), "date": dated[1]}, dated[0])
    for day, span in timeline.find_start_dates(text, found.items["start_dates"], as_of):
        record.append("start_dates", day, span)
    if duration := timeline.find_duration(text):
        record.put("duration", duration.text, duration)
    notice, phrase = timeline.find_expired(doc)
    if notice is not None:
        record.put("is_expired", True, notice)
    elif phrase is not None:
        record.put("is_expired", True, phrase)
    for level, start, end in find_degrees(text):
        if level not in record.data.get("degree_levels", []):
            record.append("degree_levels", level, Span(start, end, text[start:end]))


def _fill_contact(record: _Record) -> None:
    text = record.doc.text
    for email in contact.find_emails(text):
        record.append("contact_emails", email.text, email)
    if url := contact.find_apply_url(text):
        record.put("apply_url", url.text, url)
    for name, span in skills.find_skills(text):
        record.append("skills", name, span)
    for span in skills.find_licences(text):
        record.append("skills", span.text, span)


def _fill_lists(record: _Record, found: Sections) -> None:
    for kind, name in LIST_FIELDS.items():
        seen: set[str] = set()
        for item in found.items[kind]:
            value = re.sub(r"\s+", " ", item.text).strip()  # a wrapped item reads as one line
            if value and value.casefold() not in seen:
                seen.add(value.casefold())
                record.append(name, value, item)
