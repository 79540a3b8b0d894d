"""Fields a page states in its own syntax: front matter, JSON, JS/TS objects, Python dicts.

Static-site pages and API records carry the posting's fields as ``key: value`` pairs (``title:
Data Analyst``, ``"job_title": "Welder",``, ``intitule: "Cuisinier (h/f)",``, ``nom:`` inside an
``entreprise: {`` object). ``find_record_fields`` reads them line by line, keeps the path of
enclosing objects (``entreprise.nom``), and returns each value's span without its quotes, so a
title never carries the page's syntax.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractor.offline.lines import Span

# A key at the start of a line, quoted or not (``\"key\"`` inside a code string too).
_KEY = re.compile(
    r"""(?P<kq>\\?["']?)(?P<key>[A-Za-z_][\w.-]{0,40})(?P=kq)[ \t]*(?P<sep>[:=])(?![:/])[ \t]*"""
)
_LEAD = re.compile(r"""^(?:[+ \t]|"[ \t]+(?=\\"))*""")  # Java's ``"    \"key\": ...``
_QUOTED = re.compile(r"""(?P<q>\\?["'])(?P<value>(?:\\.|(?!(?P=q)).){0,2000}?)(?P=q)""")
_PLAIN_END = re.compile(r"""[ \t]*(?:,|;|"[ \t]*\+|\\n.*)?[ \t]*$""")
_OPEN = ("{", "[", "[{")
_NOT_VALUE = re.compile(r"^(?:true|false|null|none|undefined|nan|-?\d+(?:\.\d+)?|\[\]|\{\})$", re.I)
_MAX_DEPTH = 8
_COMMA = re.compile(r"[ \t]*,[ \t]*")


@dataclass(frozen=True, slots=True)
class RecordField:
    """One ``key: value`` pair: the dotted path of its key (lower case, no ``-``/``_``) and the
    value's span in the text."""

    path: str
    value: Span

    @property
    def key(self) -> str:
        return self.path.rsplit(".", 1)[-1]


def _norm(key: str) -> str:
    return key.lower().replace("_", "").replace("-", "")


def find_record_fields(lines: list[Span]) -> list[RecordField]:
    """Every ``key: value`` pair with a non-empty scalar value, in order; a CSV row's cells
    named by its header row (or, in a headerless scraped row, ``index,title,company,...``)."""
    found: list[RecordField] = csv_fields(lines)
    stack: list[str] = []  # the keys of the enclosing objects ("" for an array's element)
    for line in lines:
        lead = _LEAD.match(line.text)
        pos = lead.end() if lead else 0
        rest = line.text[pos:].rstrip(" ,")
        if rest[:1] in ("}", "]"):
            if stack:
                stack.pop()
        elif rest in _OPEN:
            if len(stack) < _MAX_DEPTH:
                stack.append("")
        elif "(" in line.text and (calls := _calls(line, stack)):
            found.extend(calls)
        elif (opened := _read_pairs(line, pos, stack, found)) and len(stack) < _MAX_DEPTH:
            stack.append(opened)
    return found


def _read_pairs(line: Span, pos: int, stack: list[str], found: list[RecordField]) -> str | None:
    """Add the pairs of one line to ``found``; the key of an object it opens, if any."""
    text = line.text
    while (key := _KEY.match(text, pos)) is not None:
        name, rest = _norm(key["key"]), key.end()
        path = ".".join([k for k in stack if k] + [name])
        if text[rest:].rstrip(" ,") in _OPEN:
            return name
        quoted = _QUOTED.match(text, rest)
        if quoted is None:
            if key["sep"] == ":" or key["kq"]:  # ``key: plain value`` (YAML)
                end = _PLAIN_END.search(text, rest)
                value = text[rest : end.start() if end else len(text)].strip()
                if _is_value(value):
                    found.append(RecordField(path, _span(line, text.index(value, rest), value)))
            return None
        value = quoted["value"].strip()
        if _is_value(value):
            start = quoted.start("value") + quoted["value"].index(value)
            found.append(RecordField(path, _span(line, start, value)))
        comma = _COMMA.match(text, quoted.end())
        if comma is None:
            return None
        pos = comma.end()  # ``pays: "France", lieuTravail: {``
    return None


# A template call naming a value: Blade's ``@section('title', 'Care Assistant')``, PHP's
# ``define("company", "Acme")``.
CALL = re.compile(
    r"""@?\w+\(\s*(?P<kq>['"])(?P<key>[\w-]{1,30})(?P=kq)\s*,\s*(?P<vq>['"])"""
    r"""(?P<value>[^'"\n]{1,200})(?P=vq)\s*\)"""
)


def _calls(line: Span, stack: list[str]) -> list[RecordField]:
    found: list[RecordField] = []
    for call in CALL.finditer(line.text):
        value = call["value"].strip()
        if _is_value(value):
            path = ".".join([k for k in stack if k] + [_norm(call["key"])])
            start = call.start("value") + call["value"].index(value)
            found.append(RecordField(path, _span(line, start, value)))
    return found


def _is_value(value: str) -> bool:
    return bool(value) and not _NOT_VALUE.match(value) and value not in ("''", '""')


CSV_HEADER = re.compile(r"^,?[A-Za-z_][\w ]{0,30}(?:,[A-Za-z_][\w ]{0,30}){2,}$")
CSV_ROW = re.compile(r'^(?P<index>\d+),(?P<title>[^,"\n]{2,150}),(?P<company>[^,"\n]{2,100}),"')
CSV_NAMES = {"title": "title", "jobtitle": "title", "company": "company", "employer": "company",
             "area": "location", "location": "location", "city": "location"}  # fmt: skip


def csv_fields(lines: list[Span]) -> list[RecordField]:
    """The named cells of a CSV page's first data row."""
    if not lines:
        return []
    first = lines[0]
    if (row := CSV_ROW.match(first.text)) is not None:
        return [
            RecordField(name, _span(first, row.start(name), row[name].strip()))
            for name in ("title", "company")
            if row[name].strip()
        ]
    if len(lines) < 2 or not CSV_HEADER.match(first.text):
        return []
    names = [_norm(name.strip()) for name in first.text.split(",")]
    found: list[RecordField] = []
    pos = 0
    data = lines[1]
    for name, cell in zip(names, data.text.split(","), strict=False):
        if name in CSV_NAMES and cell.strip() and not _NOT_VALUE.match(cell.strip()):
            value = cell.strip()
            found.append(
                RecordField(CSV_NAMES[name], _span(data, data.text.index(value, pos), value))
            )
        pos += len(cell) + 1
    return found


def _span(line: Span, start: int, value: str) -> Span:
    return Span(line.start + start, line.start + start + len(value), value)


# Keys naming each kind, best first; the first key found in the best group wins.
TITLE_KEYS = (
    ("jobtitle", "linktitle", "positiontitle", "jobname", "stellentitel", "intitule"),
    ("title", "titel", "jobposition", "position", "puesto", "poste", "annonsrubrik"),
    ("name",),
)
COMPANY_KEYS = (
    (
        "company", "companyname", "employer", "employername", "arbetsgivarnamn", "entreprise",
        "hiringorganization", "organization", "organisation", "unternehmen", "empresa",
        "entreprise.nom", "employer.name", "company.name", "hiringorganization.name",
        "arbetsgivare.namn", "empresa.nombre",
    ),
)  # fmt: skip
LOCATION_KEYS = (
    (
        "location", "joblocation", "worklocation", "lieutravail.libelle", "arbetsort",
        "standort", "arbeitsort", "einsatzort", "ubicacion", "lieu", "ville", "municipal",
        "kommun", "city",
    ),
)  # fmt: skip
POSTED_KEYS = (
    (
        "dateposted", "postedat", "posteddate", "postingdate", "datecreation", "published",
        "publishedat", "publiceringsdatum", "datepublished",
    ),
    ("date",),
)  # fmt: skip
DEADLINE_KEYS = (
    (
        "closingdate", "applicationdue", "applicationdeadline", "deadline", "validthrough",
        "sistaansokningsdag", "bewerbungsschluss", "bewerbungsfrist", "datelimite",
        "closing", "closes", "applyby",
    ),
)  # fmt: skip
COUNTRY_KEYS = (("country", "pays", "land", "countrycode", "addresscountry"),)
TEAM_KEYS = (("team", "institute", "institut", "abteilung", "division", "department"),)

# A page's own name in its title field ("title: Careers") names no job.
PAGE_TITLE = re.compile(
    r"^(?i:careers?|jobs?|job openings?|vacanc\w*|vacatures?|stellen\w*|karriere|emplois?|"
    r"offres? d'emploi|empleos?|home|join us|work with us|open positions|about( us)?)$"
)


def pick(fields: list[RecordField], groups: tuple[tuple[str, ...], ...]) -> RecordField | None:
    """The first field whose key (or path's tail) is in the best group that has one."""
    for group in groups:
        for field in fields:
            if field.key in group or any(field.path.endswith(p) for p in group if "." in p):
                if group is TITLE_KEYS[2] and "." in field.path:
                    continue  # a bare ``name`` names the posting only at the top level
                if group in (TITLE_KEYS[1], TEAM_KEYS[0]) and PAGE_TITLE.match(field.value.text):
                    continue
                return field
    return None


@dataclass(frozen=True, slots=True)
class RecordFacts:
    """The posting's facts its own record states (each None when no key names it)."""

    title: Span | None = None
    company: Span | None = None
    location: Span | None = None
    country: Span | None = None
    posted: Span | None = None
    deadline: Span | None = None
    team: Span | None = None


def find_record_facts(lines: list[Span]) -> RecordFacts:
    """The title, company, location, country, posted date and deadline the record names."""
    return facts_from(find_record_fields(lines))


def facts_from(fields: list[RecordField]) -> RecordFacts:
    """``find_record_facts`` for fields already read."""
    if not fields:
        return RecordFacts()

    def value(groups: tuple[tuple[str, ...], ...]) -> Span | None:
        found = pick(fields, groups)
        return found.value if found is not None else None

    return RecordFacts(
        title=value(TITLE_KEYS),
        company=value(COMPANY_KEYS),
        location=value(LOCATION_KEYS),
        country=value(COUNTRY_KEYS),
        posted=value(POSTED_KEYS),
        deadline=value(DEADLINE_KEYS),
        team=value(TEAM_KEYS),
    )
