"""Locations: a "Location:" field, else the place cells of the head, split into single places.

A cell counts as a place only when the gazetteer (``parse_location``) finds a city or a
country in it. Lists are split: "Reno, NV / Columbus, OH", "Seattle, WA; Austin, TX",
"Boston, MA or Remote (US)" and comma lists of bare cities ("Coventry, Darlington, London").
"""

from __future__ import annotations

import re

from extractor.normalize.locations import Place, as_country, parse_location
from extractor.offline.header import cells, is_title_like, split, without_note
from extractor.offline.lines import Span

PLACE_CELL = re.compile(r"^[A-ZÄÖÜÉ0-9][^$€£:]{0,80}$")
# An amount ("SGD 4,500", "4.500 EUR") is never a place.
AMOUNT = re.compile(r"\b[A-Z]{3}\s?\d|\d\s?[A-Z]{3}\b|\d,\d{3}\b")
# A field's place ends where a clause about it starts: "Nairobi, Kenya, with travel to ...".
CLAUSE = re.compile(r",?\s+(?:with|including|plus)\s.*$", re.IGNORECASE)
MAX_PLACE_WORDS = 10
LOCATION_SPLIT = re.compile(r"\s*(?:;|\|| / | or | and | oder | ou | o )\s*")
COMMA = re.compile(r"\s*,\s*")
# Head facts that the gazetteer would take for towns ("CDI" is a town in Brazil).
NOT_PLACE = re.compile(
    r"^(?i:cdi|cdd|full[- ]?time|part[- ]?time|vollzeit|teilzeit|hybrid\w*|on-?site|"
    r"temps plein|temps partiel|presencial|remote|télétravail\w*|contract|internship|intern)$"
)
MIN_LISTED_CITIES = 3
BRACKET = re.compile(r"\((?P<inner>[^()]+)\)\s*$")
# A symbol that marks a place line: a pin, a building, a globe.
MARKER = re.compile(r"^[\U0001F300-\U0001FAFF\u2600-\u27BF\uFE0F]+\s*")
# An administrative code before a town: "84 - SAULT", "75 - PARIS 11" (French départements).
CODED_TOWN = re.compile(r"^\d{1,3}[A-B]?\s+-\s+(?P<town>[^\W\d][^,;|]{1,60})$")
REMOTE_ONLY = re.compile(r"^(?i:remote|anywhere|worldwide|100\s*%\s*remote|fully remote)$")


def as_place(text: str) -> Place | None:
    """The place ``text`` names, when the gazetteer knows a city or country in it."""
    if NOT_PLACE.match(text.strip()):
        return None
    place = parse_location(text)
    return place if place is not None and (place.city or place.country) else None


def find_locations(
    head: list[Span], skip: Span | None, extra: list[Span], field: Span | None
) -> list[tuple[Span, Place]]:
    """Places from a "Location:" field, else place cells in the head outside ``skip`` (the
    title's cell), with ``extra`` cells (the facts glued to the title) in their place."""
    if field is not None:
        return _from_field(field)
    found: list[tuple[Span, Place]] = []
    for line in head:
        for cell in cells(line):
            if skip is not None and skip.start <= cell.start < skip.end:
                if cell.start == skip.start:
                    found.extend(p for piece in extra for p in _cell_places(piece))
                continue
            found.extend(_cell_places(cell))
    return found


# The place a sentence says the job is in: "am Standort Magdeburg", "lieu de travail Lyon".
PLACED_IN = re.compile(
    r"\b(?:am Standort|Dienstort|Arbeitsort|Einsatzort|"
    r"position is in|role is in|lieu de travail|basé à|basée à|ubicado en|ubicada en|"
    r"con sede en|sediato a|baserad i|gevestigd in|siedziba w)\s+"
    r"(?P<place>[A-ZÄÖÜÀ-Þ][\w'-]+(?:[ -][A-ZÄÖÜÀ-Þ][\w'-]+){0,2})"
)


def placed_in(text: str) -> list[tuple[Span, Place]]:
    """The first place a sentence says the job is in, when the gazetteer knows it."""
    for match in PLACED_IN.finditer(text):
        place = as_place(match["place"])
        if place is not None:
            start = match.start("place")
            return [(Span(start, match.end("place"), match["place"]), place)]
    return []


_NAME = r"[A-Z][\w'-]+(?: [A-Z][\w'-]+){0,2}"
COUNTRY_RUN = re.compile(rf"\b{_NAME}(?:, {_NAME}){{2,}}(?:,? (?:and|or) {_NAME})?")
MIN_COUNTRIES = 3


def listed_countries(text: str) -> list[tuple[Span, Place]]:
    """A run of at least three countries ("Austria, Bahrain, Denmark, ... and Spain"): each is a
    place, as a remote posting lists where the hire may live."""
    for run in COUNTRY_RUN.finditer(text):
        names = list(re.finditer(_NAME, run.group()))
        codes = [as_country(name.group()) for name in names]
        if len(names) >= MIN_COUNTRIES and all(codes):
            return [
                (
                    Span(run.start() + n.start(), run.start() + n.end(), n.group()),
                    Place(n.group(), None, None, code),
                )
                for n, code in zip(names, codes, strict=True)
            ]
    return []


def record_places(value: Span, country: str | None) -> list[tuple[Span, Place]]:
    """The places a record's location field names: "84 - SAULT" is the town SAULT, a bare
    "Remote" one place with no parts; a town the gazetteer lacks is kept as written, in the
    record's ``country``."""
    if coded := CODED_TOWN.match(value.text):
        return [(value, Place(value.text, coded["town"].strip(), None, country))]
    if REMOTE_ONLY.match(value.text):
        return [(value, Place(value.text, None, None, None))]
    if found := _from_field(value):
        return [(span, _in_country(place, country)) for span, place in found]
    if may_be_place(value.text) and "," not in value.text:
        return [(value, Place(value.text, value.text, None, country))]
    return []


def _in_country(place: Place, country: str | None) -> Place:
    if place.country is not None or country is None:
        return place
    return Place(place.text, place.city, place.region, country)


def _cell_places(cell: Span) -> list[tuple[Span, Place]]:
    cell = _without_marker(cell)
    return split_places(_after_name(_without_note(cell))) if may_be_place(cell.text) else []


def _without_note(cell: Span) -> Span:
    """``without_note``, keeping a bracketed country: "Emmeloord, Flevoland (NL)"."""
    bracket = BRACKET.search(cell.text)
    return cell if bracket and as_country(bracket["inner"]) else without_note(cell)


def _without_marker(cell: Span) -> Span:
    """The cell after a leading pin or other symbol ("📍 3150 Commercial Drive, ...")."""
    marker = MARKER.match(cell.text)
    if marker is None:
        return cell
    return Span(cell.start + marker.end(), cell.end, cell.text[marker.end() :])


def _from_field(field: Span) -> list[tuple[Span, Place]]:
    """A field's places: after its last inner colon ("1 vacancy in: Washington, DC"), in its
    cells ("Austin, TX — in office 4 days a week"), without notes."""
    field = _without_note(field)
    if clause := CLAUSE.search(field.text):
        field = without_note(
            Span(field.start, field.start + clause.start(), field.text[: clause.start()])
        )
    colon = field.text.rfind(": ")
    if colon >= 0:
        field = Span(field.start + colon + 2, field.end, field.text[colon + 2 :])
    found: list[tuple[Span, Place]] = []
    for cell in cells(field):
        found.extend(split_places(_without_note(cell)))
    return found or split_places(field)


def may_be_place(text: str) -> bool:
    """A short capitalised cell with no money or field colon: worth asking the gazetteer."""
    return (
        PLACE_CELL.match(text) is not None
        and AMOUNT.search(text) is None
        and len(text.split()) <= MAX_PLACE_WORDS
        and not is_title_like(text)
    )


def _after_name(cell: Span) -> Span:
    """The place after a name ("Joe's Diner, 1402 E 6th St, Austin TX" -> the address,
    "Acme Corp - Berlin" -> Berlin; "Remote - United States" stays whole)."""
    for sep in (", ", " - ", " – "):
        head, found, rest = cell.text.partition(sep)
        if not found or head[:1].isdigit() or NOT_PLACE.match(head):
            continue
        if rest.casefold() in head.casefold():  # "Auckland CBD, Auckland" is one place
            continue
        if as_place(head) is None and (after := as_place(rest)):
            whole = as_place(cell.text)
            if whole and whole.city == head and whole.region and not (after.city and after.region):
                continue  # "Swords, Co. Dublin, Ireland": a town the gazetteer lacks
            return Span(cell.end - len(rest), cell.end, rest)
    return cell


def split_places(span: Span) -> list[tuple[Span, Place]]:
    """The places in ``span``: one per listed place, or the whole span as one place."""
    pieces = split(span, LOCATION_SPLIT, " \t,.")
    if len(pieces) > 1:  # "Reno, NV / Columbus, OH" or "Seattle, WA; Austin, TX"
        places = _places(pieces)
        if len(places) == len(pieces):
            return places
    listed = split(span, COMMA, " \t.")
    if len(listed) >= MIN_LISTED_CITIES and all(_is_city(p.text) for p in listed):
        return _places(listed)  # "Coventry, Darlington, London, Manchester"
    if whole := _places([_after_name(span)]):
        return whole
    return _places(pieces)


def _is_city(text: str) -> bool:
    place = as_place(text)
    return place is not None and place.city is not None and place.region is None


def _places(pieces: list[Span]) -> list[tuple[Span, Place]]:
    """The pieces the gazetteer knows as a city or country, with their places."""
    return [(piece, place) for piece in pieces if (place := as_place(piece.text)) is not None]
