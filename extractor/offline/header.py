"""The posting's head: title, company, team and locations.

The title is a "Job title:" field, else the first short line near the top that holds a job word
("Engineer", "Intern", "Entwickler", "Stagiaire"...). The company is a field, a short line above
the title, "... at X" in the title, or an "About X" header; the team is a parenthesised name in
the title or a "The X team" phrase in the team section. Locations are a field or short place
lines in the head.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from extractor.normalize.locations import Place, parse_location
from extractor.offline.lines import Span, fold, lines_with, trim
from extractor.offline.sections import strip_bullet

HEAD_LINES = 12  # how many lines from the top may hold the title, company and locations
MAX_TITLE_CHARS = 120
MAX_TITLE_WORDS = 16
MAX_COMPANY_WORDS = 7

TITLE_WORDS = re.compile(
    r"\b(engineer|engineering|intern|internship|developer|scientist|analyst|manager|designer|"
    r"architect|specialist|consultant|director|lead|coordinator|assistant|administrator|"
    r"technician|officer|representative|associate|researcher|programmer|accountant|nurse|"
    r"teacher|editor|writer|recruiter|product owner|head of|vp|vice president|president|"
    r"executive|agent|clerk|operator|advisor|adviser|strategist|marketer|sales|supervisor|"
    r"electrician|fellow|postdoc\w*|driver|cashier|cook|chef|waiter|waitress|mechanic|"
    r"apprentice|helper|housekeeper|attendant|paralegal|barista|dishwasher|rn|lpn|cna|"
    r"werkstudent(in)?|entwickler(in)?|\w*entwickler(in)?|ingenieur(in)?|praktikant(in)?|"
    r"berater(in)?|leiter(in)?|referent(in)?|sachbearbeiter(in)?|\w*fachkraft|\w*angestellte[r]?|"
    r"stagiaire|développeu\w*|ingénieur\w*|chef de projet|chargée?|responsable|alternant\w*|"
    r"serveu\w*|vendeu\w*|desarrollador(a)?|ingenier[oa]|becari[oa]|analista|programador(a)?|"
    r"técnic[oa]|gerente|jef[ea]|ejecutiv[oa](/a)?|enfermer[oa](/a)?|m/w/d|w/m/d|h/f|f/h)\b",
    re.IGNORECASE,
)
NOT_TITLE = re.compile(
    r"^(posted|apply|save|share|job description|about|we are|we're|our |join |skip |download|"
    r"home\b|accueil|an official)|\bago\b|https?://|[.!?:]$|[$€£]|\d{2,}[.,/]\d",
    re.IGNORECASE,
)
CELL_SPLIT = re.compile(r"\s+[|·•→>]\s+|\s+[–—]\s+")
STRONG_SPLIT = re.compile(r"\s+[|·•]\s+")
RATING = re.compile(r"\s+\d(?:[.,]\d)?\s*★.*$")
PLACE_CELL = re.compile(r"^[A-ZÄÖÜÉ0-9][^$€£:;]{0,60}$")
MAX_PLACE_WORDS = 8
COMPANY_SUFFIX = re.compile(
    r"\b(gmbh|ag|se|kg|mbb|partg|inc\.?|llc|ltd\.?|limited|plc|corp\.?|corporation|co\.|"
    r"company|group|sas|sarl|s\.a\.?|s\.l\.?|c\.v\.|b\.v\.|n\.v\.|hospital|klinikum|"
    r"university|universität|université|universidad|hotel|services|administration|bank|"
    r"labs?|technologies|systems|solutions|brasserie|restaurant|agency)\b",
    re.IGNORECASE,
)
NOT_COMPANY = re.compile(
    r"^(company|job description|about\b.*|remote.*|hybrid.*|on-?site.*|full[- ]time.*|"
    r"part[- ]time.*|internship|contract|posted.*|.*\bago|new|featured|urgent|apply.*|save|"
    r"share|overview|vollzeit.*|teilzeit.*|cdi.*|cdd.*|temps plein.*|presencial|"
    r"jornada.*|tiempo completo.*|skip .*|an official.*|home\b.*|accueil.*|hace .*|"
    r"il y a .*|vor \d.*|position summary|job summary)$|[$€£:]|\d",
    re.IGNORECASE,
)
FIELD = re.compile(
    r"^(?P<name>job title|title|position|role|stellenbezeichnung|stellentitel|titel|poste|"
    r"intitulé du poste|puesto|cargo|company|employer|hiring company|unternehmen|arbeitgeber|"
    r"entreprise|société|empresa|locations?|job location|standort|standorte|arbeitsort|"
    r"einsatzort|lieu|lieu de travail|localisation|ubicación|ubicacion|lugar de trabajo|"
    r"team|department|abteilung|équipe|equipo|departamento)\s*[:：]\s*",
    re.IGNORECASE,
)
FIELD_KIND: dict[str, str] = {
    **dict.fromkeys(
        (
            "job title",
            "title",
            "position",
            "role",
            "stellenbezeichnung",
            "stellentitel",
            "titel",
            "poste",
            "intitulé du poste",
            "puesto",
            "cargo",
        ),
        "title",
    ),
    **dict.fromkeys(
        (
            "company",
            "employer",
            "hiring company",
            "unternehmen",
            "arbeitgeber",
            "entreprise",
            "société",
            "empresa",
        ),
        "company",
    ),
    **dict.fromkeys(
        (
            "location",
            "locations",
            "job location",
            "standort",
            "standorte",
            "arbeitsort",
            "einsatzort",
            "lieu",
            "lieu de travail",
            "localisation",
            "ubicación",
            "ubicacion",
            "lugar de trabajo",
        ),
        "location",
    ),
    **dict.fromkeys(
        ("team", "department", "abteilung", "équipe", "equipo", "departamento"), "team"
    ),
}
AT_COMPANY = re.compile(
    r"\s(?:at|@|bei|chez|en)\s+(?P<name>[A-Z][\w&.'’-]*(?:\s+[A-Z][\w&.'’-]*){0,3})\s*$"
)
ABOUT_COMPANY = re.compile(
    r"^(?:about|über|à propos de|sobre)\s+(?P<name>[A-Z][\w&.'’-]*(?:\s+[A-Z][\w&.'’-]*){0,3})\s*:?$"
)
NOT_ABOUT = re.compile(r"^(us|you|the|this|our|uns|nous|nosotros)\b", re.IGNORECASE)
TEAM_IN_TITLE = re.compile(r"\((?P<name>[^()]{2,60})\)")
NOT_TEAM = re.compile(
    r"^(bs|ms|ba|ma|phd|mba|bs/ms|ms/phd|bs/ms/phd|m/w/d|w/m/d|m/f/d|f/m/d|h/f|f/h|remote|"
    r"hybrid|on-?site|intern(ship)?|full[- ]time|part[- ]time|contract|.*\d{4}.*|l\d+|"
    r"i{1,3}|iv|senior|junior|new grad|.*\bstart\b.*|nights?|days?|evenings?|weekends?|"
    r"night shift|day shift|[a-z]{1,4}&[a-z]{1,4}|.*\b(remote|hybrid|office)\b.*)$",
    re.IGNORECASE,
)
_CAPS = r"[A-ZÄÖÜÉ][\w&/-]*(?:\s+(?:&|and|of|[A-ZÄÖÜÉ][\w&/-]*))*"
TEAM_PHRASES = (
    re.compile(rf"\b(?:[Tt]he|[Oo]ur|[Jj]oin)\s+(?P<name>{_CAPS})\s+(?:team|Team)\b"),
    re.compile(rf"\b(?:[Ii]m|[Uu]nser|[Ii]n unserem)\s+Team\s+[„\"“]?(?P<name>{_CAPS})"),
    re.compile(rf"\b(?:[Nn]otre|[Ll]'|[Ll]’)équipe\s+(?P<name>{_CAPS})"),
    re.compile(rf"\b(?:[Nn]uestro\s+)?equipo\s+de\s+(?P<name>{_CAPS})"),
)
TEAM_WORD = re.compile("team|équipe|equipo")  # every team phrase holds one (folded)
COMPANY_MENTION = re.compile(
    r"\b(?:[Aa]t|[Jj]oin|[Jj]oining|[Bb]ei|[Cc]hez)\s+(?P<name>[A-Z][\w&.'’-]*[\w&](?:\s+[A-Z][\w&'’-]*[\w&]){0,2})"
)
MIN_MENTIONS = 2
LOCATION_SPLIT = re.compile(r"\s*(?:;|\|| / | or | and | oder | ou | o )\s*")


def head_fields(lines: list[Span]) -> dict[str, Span]:
    """``Title: x``-style fields anywhere in the text: the first of each kind."""
    found: dict[str, Span] = {}
    for line in lines:
        match = FIELD.match(line.text)
        if match is None:
            continue
        kind = FIELD_KIND[match.group("name").lower()]
        value = trim(line.text, match.end(), len(line.text))
        if value is not None and kind not in found:
            found[kind] = Span(line.start + value.start, line.start + value.end, value.text)
    return found


def head_lines(lines: list[Span], headers: Iterable[Span]) -> list[Span]:
    """The lines above the first section header (at most ``HEAD_LINES``), bullet marks removed."""
    first_header = min((h.start for h in headers), default=len(lines) and lines[-1].end + 1)
    head: list[Span] = []
    for line in lines[:HEAD_LINES]:
        if line.start >= first_header and head:
            break
        head.append(strip_bullet(line) or line)
    return head


def cells(line: Span) -> list[Span]:
    """A head line cut at " | ", " · ", " – " and similar separators."""
    pieces: list[Span] = []
    last = 0
    for sep in [*CELL_SPLIT.finditer(line.text), None]:
        end = sep.start() if sep else len(line.text)
        piece = trim(line.text, last, end, " \t,;")
        if piece is not None:
            pieces.append(Span(line.start + piece.start, line.start + piece.end, piece.text))
        if sep:
            last = sep.end()
    return pieces


def is_title_like(text: str) -> bool:
    """A short line with a job word that is not a sentence or page furniture."""
    return (
        len(text) <= MAX_TITLE_CHARS
        and len(text.split()) <= MAX_TITLE_WORDS
        and TITLE_WORDS.search(text) is not None
        and NOT_TITLE.search(text) is None
    )


def find_title(head: list[Span]) -> Span | None:
    """The job title: the first title-like line of the head, or its first title-like cell
    when the line is cut by " | " or " · " ("Sous Chef | Harbourside Dining Group | Sydney")."""
    for line in head:
        for cell in _strong_cells(line):
            if is_title_like(cell.text):
                return cell
    return None


def _strong_cells(line: Span) -> list[Span]:
    pieces: list[Span] = []
    last = 0
    for sep in [*STRONG_SPLIT.finditer(line.text), None]:
        end = sep.start() if sep else len(line.text)
        piece = trim(line.text, last, end)
        if piece is not None:
            pieces.append(Span(line.start + piece.start, line.start + piece.end, piece.text))
        if sep:
            last = sep.end()
    return pieces


def is_company_like(text: str) -> bool:
    """A short capitalised name that is not a place, a job word or a head fact."""
    return (
        text[:1].isupper()
        and len(text.split()) <= MAX_COMPANY_WORDS
        and not NOT_COMPANY.search(text)
        and not is_title_like(text)
        and not _is_place(parse_location(text))
    )


def find_company(head: list[Span], title: Span | None, text: str) -> Span | None:
    """The hiring company: "... at X" in the title, a head cell, the title's tail, "About X"."""
    if title is not None and (at := AT_COMPANY.search(title.text)):
        return Span(title.start + at.start("name"), title.start + at.end("name"), at.group("name"))
    candidates = [
        piece
        for line in head
        for cell in cells(line)
        if title is None or not title.start <= cell.start < title.end
        for piece in _company_parts(_without_rating(cell))
        if is_company_like(piece.text)
    ]
    if candidates:
        return next((c for c in candidates if COMPANY_SUFFIX.search(c.text)), candidates[0])
    if title is not None:
        tail = cells(title)[1:]
        if tail and COMPANY_SUFFIX.search(tail[-1].text) and is_company_like(tail[-1].text):
            return tail[-1]
    for line in head:
        about = ABOUT_COMPANY.match(line.text)
        if about and not NOT_ABOUT.match(about.group("name")):
            start = line.start + about.start("name")
            return Span(start, start + len(about.group("name")), about.group("name"))
    return _recurring_company(text)


def _without_rating(cell: Span) -> Span:
    """Drop a job board's star rating ("Fairmount Foods Inc. 4.1★")."""
    match = RATING.search(cell.text)
    return (
        cell
        if match is None
        else Span(cell.start, cell.start + match.start(), cell.text[: match.start()])
    )


def _company_parts(cell: Span) -> list[Span]:
    """A cell, or its part before a comma when the rest is a place ("Hotel X, Edinburgh")."""
    head, sep, rest = cell.text.partition(", ")
    if sep and _is_place(parse_location(rest)):
        return [Span(cell.start, cell.start + len(head), head)]
    return [cell]


def strip_company(title: Span, company: Span) -> Span:
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


def find_team(title: Span | None, team_lines: list[Span], text: str) -> Span | None:
    """The team: a parenthesised name in the title, else "the X team" / "Team X" in the text."""
    if title is not None:
        for match in TEAM_IN_TITLE.finditer(title.text):
            name = match.group("name")
            if not NOT_TEAM.match(name.strip()):
                start = title.start + match.start("name")
                return Span(start, start + len(name), name)
    for line in team_lines[:2]:
        if found := _team_phrase(line.text, 0, len(line.text)):
            return Span(line.start + found.start, line.start + found.end, found.text)
    for start, end in lines_with(fold(text), TEAM_WORD):
        if found := _team_phrase(text, start, end):
            return found
    return None


def _team_phrase(text: str, start: int, end: int) -> Span | None:
    for pattern in TEAM_PHRASES:
        if phrase := pattern.search(text, start, end):
            return Span(phrase.start("name"), phrase.end("name"), phrase.group("name"))
    return None


def find_locations(
    head: list[Span], title: Span | None, field: Span | None
) -> list[tuple[Span, Place]]:
    """Places from a "Location:" field, else place cells in the head."""
    if field is not None:
        return _split_places(field)
    found: list[tuple[Span, Place]] = []
    for line in head:
        for cell in cells(line):
            if title is not None and title.start <= cell.start < title.end:
                continue
            if _may_be_place(cell.text):
                found.extend(_split_places(_without_note(cell)))
    return found


def _may_be_place(text: str) -> bool:
    """A short capitalised cell with no money or field colon: worth asking the gazetteer."""
    return (
        PLACE_CELL.match(text) is not None
        and len(text.split()) <= MAX_PLACE_WORDS
        and not is_title_like(text)
    )


def _without_note(cell: Span) -> Span:
    """Drop a trailing "(Hybrid, 3 days)" note, but keep "Remote (US)" whole."""
    match = re.search(r"\s*\([^()]*\)\s*$", cell.text)
    if match is None or cell.text.lower().startswith("remote"):
        return cell
    return Span(cell.start, cell.start + match.start(), cell.text[: match.start()])


def _split_places(span: Span) -> list[tuple[Span, Place]]:
    pieces = _pieces(span)
    if len(pieces) > 1:  # "Reno, NV / Columbus, OH" or "Seattle, WA; Austin, TX"
        places = _places(pieces)
        if len(places) == len(pieces):
            return places
    if whole := _places([span]):
        return whole
    _, sep, rest = span.text.partition(", ")
    if sep and (tail := _places([Span(span.end - len(rest), span.end, rest)])):
        return tail  # "Brasserie X, Lyon 1er"
    return _places(pieces)


def _places(pieces: list[Span]) -> list[tuple[Span, Place]]:
    """The pieces the gazetteer knows as a city or country, with their places."""
    found: list[tuple[Span, Place]] = []
    for piece in pieces:
        place = parse_location(piece.text)
        if place is not None and _is_place(place):
            found.append((piece, place))
    return found


def _pieces(span: Span) -> list[Span]:
    pieces: list[Span] = []
    last = 0
    for sep in [*LOCATION_SPLIT.finditer(span.text), None]:
        end = sep.start() if sep else len(span.text)
        piece = trim(span.text, last, end, " \t,.")
        if piece is not None:
            pieces.append(Span(span.start + piece.start, span.start + piece.end, piece.text))
        if sep:
            last = sep.end()
    return pieces


def _is_place(place: Place | None) -> bool:
    return place is not None and (place.city is not None or place.country is not None)
