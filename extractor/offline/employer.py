"""The hiring company and the team.

The company is, in order: a company signal from the cleaner, "... at X" in the title line, a
company glued to the title ("Enfermero/a UCI – Hospital Universitario"), "via X Consulting",
a head cell (the line right after the title first: job boards put their own name above it),
an "About X" header, or the name most often seen after "at"/"join". The team is a
parenthesised name in the title, a "Department of X" cell in the head, or "the X team".
"""

from __future__ import annotations

import re

from extractor.document import Signal
from extractor.normalize.locations import Place
from extractor.offline.header import COMPANY_SUFFIX, cells, is_title_like, strong_cells
from extractor.offline.lines import Span, fold, lines_with
from extractor.offline.orgs import find_named_org
from extractor.offline.places import as_place
from extractor.offline.title import TitleLine

MAX_COMPANY_WORDS = 7
MIN_PIPE_CELLS = 3
RATING = re.compile(r"\s+\d(?:[.,]\d)?\s*★.*$")
NOT_COMPANY = re.compile(
    r"^(company|job description|job details|about\b.*|remote.*|hybrid.*|on-?site.*|"
    r"full[- ]time.*|part[- ]time.*|internship|contract|posted.*|.*\bago|new|featured|urgent|"
    r"apply.*|save|share|overview|vollzeit.*|teilzeit.*|cdi.*|cdd.*|temps plein.*|presencial|"
    r"jornada.*|tiempo completo.*|skip .*|an official.*|home\b.*|accueil.*|hace .*|descripci.n.*|"
    r"il y a .*|vor \d.*|position summary|job summary|job title|help wanted|vacatures?|"
    r"functie\s?omschrijving|our (?:vision|mission|values)|multiple roles|several roles|"
    r"descripción.*|description.*|stellenangebote?|karriere|careers?|jobs?|locations?|"
    r"ubicaci[oó]n|standort|lieu|salary|pay|benefits)$|[$€£:!?<>@{}]|\d",
    re.IGNORECASE,
)
# A unit inside an organisation: a team when it leads a cell ("Department of Neurobiology,
# Halstead University"), cut from a company name after its suffix ("... University School of").
UNIT_CELL = re.compile(r"^(?i:department|division|office|school|faculty|institute|unit)\s+of\b")
UNIT_TAIL = re.compile(
    r"\b(?i:university|universität|université|hospital|klinikum)"
    r"(?P<tail>\s+(?i:school|faculty|college|department|division|institute)\s+of\b.*)$"
)
LINK = re.compile(r"\s+(?:<a\b|https?://)")  # "Snout <a href=...>", "Acme https://acme.io"
ON_BEHALF = re.compile(r"\s+(?i:on behalf of|for (?:a|an|our) client|im auftrag)\b.*$")
VIA = re.compile(r"\bvia\s+(?P<name>[A-Z][\w&.'’-]*(?:\s+[A-Z][\w&.'’-]*){0,3})")
ABBREVIATION = re.compile(r"\b(?:Inc|Co|Ltd|Corp|Pty|Pte|Bros)\.$")  # a full stop of the name
ABOUT_COMPANY = re.compile(
    r"^(?:about|über|à propos de|sobre)\s+(?P<name>[A-Z][\w&.'’-]*(?:\s+[A-Z][\w&.'’-]*){0,3})\s*:?$"
)
NOT_ABOUT = re.compile(r"^(us|you|the|this|our|uns|nous|nosotros)\b", re.IGNORECASE)
COMPANY_MENTION = re.compile(
    r"\b(?:[Aa]t|[Jj]oin|[Jj]oining|[Bb]ei|[Cc]hez)\s+(?P<name>[A-Z][\w&.'’-]*[\w&](?:\s+[A-Z][\w&'’-]*[\w&]){0,2})"
)
MIN_MENTIONS = 2
WEBSITE = re.compile(r"^\S+\.(?:com|net|org|io|eu|co|jobs|[a-z]{2})$", re.IGNORECASE)
NOTE = re.compile(r"\s*\([^()]*\)\s*$")
# "Director, Legal" names a team after the comma; "Manager, Operations & Finance" too, but not
# "Analyst, Senior" or a place.
COMMA_NOT_TEAM = re.compile(r"\d")
TEAM_IN_TITLE = re.compile(r"\((?P<name>[^()]{2,60})\)")
TEAM_NAME = re.compile(
    r"^[A-ZÄÖÜÉ][\w&/.-]*(?:\s+(?:&|and|of|for|the|und|et|y|de|[A-ZÄÖÜÉ][\w&/.-]*))*$"
)
NOT_TEAM = re.compile(
    r"^(bs|ms|ba|ma|phd|mba|bs/ms|ms/phd|bs/ms/phd|m/w/d|w/m/d|m/f/d|f/m/d|h/f|f/h|remote|"
    r"hybrid|on-?site|intern(ship)?|full[- ]time|part[- ]time|contract|l\d+|i{1,3}|iv|senior|"
    r"junior|new grad|entry level|nights?|days?|evenings?|weekends?|night shift|day shift|"
    r"[a-z]{1,4}&[a-z]{1,4})$",
    re.IGNORECASE,
)
_CAPS = r"[A-ZÀ-Þ][\w&/-]*(?:\s+(?:&|and|of|[A-ZÀ-Þ][\w&/-]*))*"
# Not the hiring team: "with the QA team", "and the leasing team".
_NOT_OURS = r"(?<!\bwith )(?<!\band )(?<!\bfrom )(?<!\bto )"
# A lower-case team is the hiring one only after a verb that puts the hire in it.
_INTO = (
    r"\b(?:join|joining|part of|lead|leads|leading|growing|grow|in|within|member of)\s+"
    r"(?:the|our)\s+(?:\d+-person\s+)?"
)
_NOT_NAME = (
    r"(?!(?:growing|friendly|small|great|amazing|dynamic|talented|new|global|local|whole|wider|"
    r"fantastic|diverse|expanding|passionate|dedicated|busy|experienced|international|young|"
    r"motivated|award-winning|wonderful|supportive|brilliant|close-knit|high-performing|"
    # a shift or a whole workplace is not a unit: "the night team", "the store team"
    r"night|day|evening|weekend|overnight|morning|store|shop|site|branch|entire)\b)"
)
TEAM_PHRASES = (
    re.compile(rf"{_NOT_OURS}\b(?:[Tt]he|[Oo]ur|[Jj]oin)\s+(?P<name>{_CAPS})\s+(?:team|Team)\b"),
    re.compile(
        rf"{_NOT_OURS}\b(?:[Tt]he|[Oo]ur)\s+(?P<name>{_CAPS})\s+(?:department|Department)\b"
    ),
    re.compile(
        rf"{_INTO}(?P<name>{_NOT_NAME}[A-Za-z][\w/-]*(?:\s+{_NOT_NAME}[a-z][\w/-]*){{0,2}}\s+team)\b"
    ),
    re.compile(rf"\b(?:[Ii]m|[Uu]nser|[Ii]n unserem)\s+Team\s+[„\"“]?(?P<name>{_CAPS})"),
    re.compile(rf"\b(?:[Nn]otre\s+|[Ll]'|[Ll]’)équipe\s+(?P<name>{_CAPS})"),
    re.compile(
        r"\b(?:[Tt]he|[Oo]ur)\s+(?P<name>[A-Z][\w&-]*(?:\s+[A-Z][\w&-]*)*\s+(?:Group|Lab))\b"
    ),
    re.compile(rf"\b(?:[Nn]uestro\s+)?equipo\s+de\s+(?P<name>{_CAPS})"),
)
TEAM_WORD = re.compile(
    "team|équipe|equipo| group| lab|department"
)  # every team phrase holds one (folded)


def is_company_like(text: str) -> bool:
    """A short capitalised name that is not a place, a job word or a head fact."""
    return (
        text[:1].isupper()
        and len(text.split()) <= MAX_COMPANY_WORDS
        and not NOT_COMPANY.search(text)
        and not is_title_like(text)
        and as_place(text) is None
    )


def find_company(
    head: list[Span], title: TitleLine | None, text: str, signals: list[Signal]
) -> Span | Signal | None:
    """The hiring company (see the module docstring for the order of the rules)."""
    if signal := next((s for s in signals if s.kind == "company"), None):
        return signal
    if title is not None:
        if title.at_company is not None:
            return title.at_company
        glued = [_company_name(cell) for cell in title.tail]
        if found := next((c for c in glued if is_company_like(c.text)), None):
            return found
    for line in head:
        if (via := VIA.search(line.text)) and COMPANY_SUFFIX.search(via["name"]):
            name = via["name"] if ABBREVIATION.search(via["name"]) else via["name"].rstrip(".")
            start = line.start + via.start("name")
            return Span(start, start + len(name), name)
    if found := _pipe_company(head, title):
        return found
    head_company = _head_company(head, title)
    if head_company is not None and COMPANY_SUFFIX.search(head_company.text):
        return head_company
    if named := find_named_org(text):
        return named
    if head_company is not None:
        return head_company
    for line in head:
        about = ABOUT_COMPANY.match(line.text)
        if about and not NOT_ABOUT.match(about.group("name")):
            start = line.start + about.start("name")
            return Span(start, start + len(about.group("name")), about.group("name"))
    return _recurring_company(text)


def _head_company(head: list[Span], title: TitleLine | None) -> Span | None:
    """A company-like head cell: on the line after the title, else one with a suffix, else the
    first that is not a website name (a job board's own name, "GameDevJobs.eu", tops the page)."""
    after = -1
    if title is not None:
        after = next((i + 1 for i, line in enumerate(head) if line.end >= title.cell.end), -1)
    names = [
        (i, _company_name(cell))
        for i, line in enumerate(head)
        for cell in cells(line)
        if title is None or not title.cell.start <= cell.start < title.cell.end
    ]
    candidates = [
        (i, name)
        for i, name in names
        if is_company_like(name.text) and not UNIT_CELL.match(name.text)
    ]
    if not candidates:
        return None
    return next(
        (c for i, c in candidates if i == after),
        next(
            (c for _, c in candidates if COMPANY_SUFFIX.search(c.text)),
            next((c for _, c in candidates if not WEBSITE.search(c.text)), candidates[0][1]),
        ),
    )


def prefer_body(stated: Span, text: str) -> Span:
    """The record's company, unless the body never repeats it and names another employer at
    least twice (a scraped record's company field can be the board's or a parent's name)."""
    if text.count(stated.text) > 1:
        return stated
    named = find_named_org(text)
    if named is None or named.text == stated.text or text.count(named.text) < MIN_MENTIONS:
        return stated
    return named


def _pipe_company(head: list[Span], title: TitleLine | None) -> Span | None:
    """The first cell of a "Company | Role | Place | ..." line (the "who is hiring" form)."""
    for line in head[:2]:
        pieces = strong_cells(line)
        if len(pieces) < MIN_PIPE_CELLS or (title and title.cell.start == pieces[0].start):
            continue
        name = _company_name(pieces[0])
        if is_company_like(name.text):
            return name
    return None


def _town_of_region(text: str, after: Place) -> bool:
    """Whether ``text`` is a town before its region ("Emmeloord, Flevoland (NL)"), not a
    name before a place ("Hotel X, Edinburgh")."""
    whole = as_place(text)
    head = text.partition(", ")[0]
    return after.city is None and whole is not None and whole.city == head and bool(whole.region)


def _company_name(cell: Span) -> Span:
    """The name in a cell: without a rating ("4.1★"), an "on behalf of ..." clause, a leading
    unit ("Department of X, ..."), a place after a comma ("Hotel X, Edinburgh") or a sub-unit
    after a university or hospital ("Halstead University School of Medicine")."""
    name = _cut(cell, RATING, ON_BEHALF, LINK)
    if (note := NOTE.search(name.text)) and note.start() > 0:  # "Ayuda en Acción (Consultoría)"
        name = Span(name.start, name.start + note.start(), name.text[: note.start()])
    head, sep, rest = name.text.partition(", ")
    if sep and UNIT_CELL.match(head):
        name = Span(name.end - len(rest), name.end, rest)
        head, sep, rest = name.text.partition(", ")
    if sep and (after := as_place(rest)) is not None and not _town_of_region(name.text, after):
        name = Span(name.start, name.start + len(head), head)
    head, sep, rest = name.text.partition(" - ")
    if sep and as_place(rest) is not None and as_place(head) is None:  # "Acme Corp - Berlin"
        name = Span(name.start, name.start + len(head), head)
    if tail := UNIT_TAIL.search(name.text):
        name = Span(name.start, name.start + tail.start("tail"), name.text[: tail.start("tail")])
    return name


def _cut(span: Span, *patterns: re.Pattern[str]) -> Span:
    """``span`` up to the first match of any of ``patterns`` (kept whole when one starts it)."""
    end = len(span.text)
    for pattern in patterns:
        if (match := pattern.search(span.text)) and 0 < match.start() < end:
            end = match.start()
    return Span(span.start, span.start + end, span.text[:end])


def strip_company(title: Span, company: Span | Signal) -> Span:
    """The title without a trailing " – Company" cell."""
    pieces = cells(title)
    if len(pieces) > 1 and pieces[-1].text == company.text:
        return Span(title.start, pieces[-2].end, title.text[: pieces[-2].end - title.start])
    return title


def _recurring_company(text: str) -> Span | None:
    """The name most often seen after "at"/"join" ("Internships at TikTok"), if seen twice."""
    counts: dict[str, list[re.Match[str]]] = {}
    for match in COMPANY_MENTION.finditer(text):
        counts.setdefault(match.group("name"), []).append(match)
    best = max(counts.values(), key=len, default=[])
    if len(best) < MIN_MENTIONS:
        return None
    first = best[0]
    return Span(first.start("name"), first.end("name"), first.group("name"))


def find_team(
    title: Span | None, head: list[Span], team_lines: list[Span], text: str
) -> Span | None:
    """The team: a name after the title's comma ("Engineering Manager, Mobile") or in its
    brackets, a unit cell of the head ("Office of Safety"), else "the X team" / "Team X" in
    the team section or the text (which wins when it spells out the bracketed name)."""
    in_title = _team_in_title(title) if title is not None else None
    units = [cell for line in head for cell in cells(line) for cell in _units(cell)]
    if in_title is None and units:
        return units[-1]  # the most specific: "Department of Transportation ... Office of Safety"
    phrase = _team_phrases(team_lines, text)
    if in_title is not None and (phrase is None or in_title.text not in phrase.text):
        return in_title
    return phrase


def _team_in_title(title: Span) -> Span | None:
    head, comma, tail = title.text.partition(", ")
    if comma and not COMMA_NOT_TEAM.search(head):
        name = NOTE.sub("", tail)
        if TEAM_NAME.match(name) and not NOT_TEAM.match(name) and as_place(name) is None:
            start = title.start + len(head) + len(comma)
            return Span(start, start + len(name), name)
    for match in TEAM_IN_TITLE.finditer(title.text):
        name = match.group("name").strip()
        if TEAM_NAME.match(name) and not NOT_TEAM.match(name):
            start = title.start + match.start("name")
            return Span(start, start + len(match.group("name")), match.group("name"))
    return None


def _team_phrases(team_lines: list[Span], text: str) -> Span | None:
    for line in team_lines[:2]:
        if found := _team_phrase(line.text, 0, len(line.text)):
            return Span(line.start + found.start, line.start + found.end, found.text)
    for start, end in lines_with(fold(text), TEAM_WORD):
        if found := _team_phrase(text, start, end):
            return found
    return None


def _units(cell: Span) -> list[Span]:
    part = cell.text.split(", ", 1)[0]
    if UNIT_CELL.match(part) and len(part.split()) <= MAX_COMPANY_WORDS:
        return [Span(cell.start, cell.start + len(part), part)]
    return []


def _team_phrase(text: str, start: int, end: int) -> Span | None:
    for pattern in TEAM_PHRASES:
        if phrase := pattern.search(text, start, end):
            return Span(phrase.start("name"), phrase.end("name"), phrase.group("name"))
    return None
