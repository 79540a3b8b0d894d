"""Checks that a span of the source supports a value: the value itself, or the text it was
normalised from.

    locate(field, value, (lo, hi), ctx) -> (start, end, match) | None

How each kind of value is checked (``field`` is the path without indices, "locations.country"):

- text ("title", list items, "locations.city"...): the value occurs in the span, case- and
  whitespace-insensitively, at word edges; values of 16+ characters may also match fuzzily.
- numbers ("pay.min"): a number written in the span reads as the value (45k -> 45000,
  12 LPA -> 1200000, "50.000" -> 50000), within 0.5%.
- dates (ISO strings: "start_dates", "posted.date"): a date written in the span means that day;
  relative dates ("Posted 3 days ago") are resolved against ``as_of``.
- codes: "pay.currency" from a symbol, code or word ("$" -> USD; "$" -> CAD etc. only when
  the posting names that currency or country); "pay.period" from period words, or "year" for a
  salary-sized figure with no period (the convention in :mod:`extractor.normalize.pay`);
  "locations.country" from the place's text (city, region or country named in it).
- closed vocabularies ("workplace", "employment_type", "seniority", "is_expired",
  "degree_levels"): a word for that value in the span (tables in :mod:`extractor.evidence.cues`;
  negated workplace mentions do not count). Seniority is read from the title first.
- "language": from the text as a whole: the posting's function words are mostly that language's.
- anything else (other tasks): ISO dates, numbers and text as above; an enum-like value
  ("full_time") by its words; ``True`` by the field's own words ("is_remote" -> "remote").
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from extractor.document import MatchKind
from extractor.evidence import cues
from extractor.evidence.align import SourceIndex
from extractor.normalize.codes import CURRENCY_SYMBOLS, normalize_country
from extractor.normalize.dates import find_dates, parse_date
from extractor.normalize.degrees import find_degrees
from extractor.normalize.locations import city_country, parse_location
from extractor.normalize.pay import find_pay, parse_amount, parse_pay

Found = tuple[int, int, MatchKind]
Span = tuple[int, int]

FUZZY_VALUE_CHARS = 16
SALARY_SIZED = 10_000
"""A figure this big with no period is a yearly salary (as in the offline backend)."""
NUMBER_TOLERANCE = 0.005
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_NUMBER = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:[,.'’\u00a0\u202f ]\d{2,3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)"
    r"\s?(k|K|lpa|LPA|lakhs?|lacs?|Lakhs?|million|mio\.?|M)?(?![\w])"
)
_MULTIPLIERS = {"k": 1e3, "lpa": 1e5, "lakh": 1e5, "lakhs": 1e5, "lac": 1e5, "lacs": 1e5}
_MULTIPLIERS |= {"million": 1e6, "mio": 1e6, "mio.": 1e6, "m": 1e6}
_DOLLARS = {"USD": "US", "CAD": "CA", "AUD": "AU", "NZD": "NZ", "SGD": "SG", "HKD": "HK"}
_DOLLARS |= {"MXN": "MX"}
_CURRENCY_WORDS = {"EUR": r"euros?|eur", "GBP": r"pounds?|sterling", "USD": r"dollars?|usd"}
_CURRENCY_WORDS |= {"INR": r"lpa|lakhs?|lacs?|rupees?|rs\.?|inr", "CHF": r"chf|fr\.|franken"}
_NOT_WORDS = re.compile(r"\S+@\S+|https?://\S+|www\.\S+")
_SMALL_UNIT = frozenset({"JPY", "INR", "KRW", "IDR", "VND", "HUF", "CLP", "COP", "PHP", "THB"})
_SCRIPTS = {
    "ja": r"[\u3040-\u30ff]",
    "zh": r"[\u4e00-\u9fff]",
    "ko": r"[\uac00-\ud7af]",
    "ru": r"[\u0400-\u04ff]",
    "uk": r"[\u0400-\u04ff]",
    "ar": r"[\u0600-\u06ff]",
    "he": r"[\u0590-\u05ff]",
    "el": r"[\u0370-\u03ff]",
    "hi": r"[\u0900-\u097f]",
    "th": r"[\u0e00-\u0e7f]",
}

_WORKPLACE = cues.compile_table(cues.WORKPLACE)
_EMPLOYMENT = cues.compile_table(cues.EMPLOYMENT)
_SENIORITY = cues.compile_table(cues.SENIORITY)
_TITLE_SENIORITY = cues.compile_table(cues.TITLE_SENIORITY)
_EXPIRED = cues.compile_table(cues.EXPIRED)
_PERIOD = cues.compile_table(cues.PERIOD)


@dataclass(slots=True)
class Context:
    """What checks may consult beyond the span: the whole source, the date relative dates
    are resolved against, and the record (seniority reads the title)."""

    index: SourceIndex
    as_of: date
    data: dict[str, Any] = field(default_factory=dict)
    title_span: Span | None = None
    parent: dict[str, Any] = field(default_factory=dict)
    """The nested object whose derived value is being checked ({} for top-level values)."""

    @property
    def source(self) -> str:
        return self.index.source


Check = Callable[[Any, Span, Context], "Found | None"]


def locate(name: str, value: Any, span: Span, ctx: Context) -> Found | None:
    """Where in ``source[span]`` the value ``name`` = ``value`` is supported, or None."""
    check = CHECKS.get(name)
    if check is not None:
        return check(value, span, ctx)
    return _generic(name, value, span, ctx)


# -- text, numbers, dates ------------------------------------------------------------------
def find_text(value: Any, span: Span, ctx: Context) -> Found | None:
    """The value as written, case/whitespace-insensitively, at word edges."""
    text = str(value).strip()
    for candidate in dict.fromkeys((text, text.rstrip(".,;:!"), text.strip("\"'“”‘’()"))):
        if not candidate:
            continue
        long = len(candidate) >= FUZZY_VALUE_CHARS
        found = ctx.index.align(candidate, words=True, fuzzy=long, within=span)
        if found is not None:
            return found.start, found.end, found.kind
    return None


def amounts(text: str) -> list[float]:
    """Every number written in ``text``, read with thousands/decimal conventions and k/LPA."""
    found: list[float] = []
    for pay in find_pay(text):
        found += [x for x in (pay.min, pay.max) if x is not None]
    for match in _NUMBER.finditer(text):
        base = parse_amount(match.group(1))
        if base is None:
            continue
        found.append(base)
        if match.group(2):
            found.append(base * _MULTIPLIERS.get(match.group(2).lower(), 1.0))
    return found


def find_number(value: Any, span: Span, ctx: Context) -> Found | None:
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    text = ctx.source[span[0] : span[1]]
    for amount in amounts(text):
        if abs(amount - value) <= NUMBER_TOLERANCE * max(abs(value), 1e-9) or amount == value:
            return span[0], span[1], "derived"
    return None


def find_date(value: Any, span: Span, ctx: Context) -> Found | None:
    if not isinstance(value, str) or not _ISO.match(value):
        return None
    text = ctx.source[span[0] : span[1]]
    if value in text:
        pos = text.index(value) + span[0]
        return pos, pos + len(value), "exact"
    for match in find_dates(text, as_of=ctx.as_of):
        if match.date is not None and match.date.isoformat() == value:
            return span[0] + match.start, span[0] + match.end, "derived"
    offset = span[0]
    for line in text.split("\n"):  # relative dates ("Posted 3 days ago"), line by line
        if line.strip() and len(line) <= 200:
            parsed = parse_date(line, as_of=ctx.as_of)
            if parsed is not None and parsed.isoformat() == value:
                return offset, offset + len(line), "derived"
        offset += len(line) + 1
    return None


# -- closed vocabularies --------------------------------------------------------------------
def _cue(
    table: dict[str, re.Pattern[str]], *, negatable: bool = False
) -> Callable[[Any, Span, Context], Found | None]:
    def check(value: Any, span: Span, ctx: Context) -> Found | None:
        pattern = table.get(str(value).lower())
        if pattern is None:
            return None
        found = cues.find_cue(pattern, ctx.source[span[0] : span[1]], negatable=negatable)
        return None if found is None else (span[0] + found[0], span[0] + found[1], "derived")

    return check


def find_seniority(value: Any, span: Span, ctx: Context) -> Found | None:
    """A seniority word, in the title first (roman numerals count only there)."""
    spans = [s for s in (ctx.title_span,) if s is not None] + [span]
    for i, where in enumerate(spans):
        text = ctx.source[where[0] : where[1]]
        for table in (_SENIORITY, _TITLE_SENIORITY) if i == 0 and ctx.title_span else (_SENIORITY,):
            pattern = table.get(str(value))
            if pattern is not None and (found := cues.find_cue(pattern, text)) is not None:
                return where[0] + found[0], where[0] + found[1], "derived"
    return None


def find_degree(value: Any, span: Span, ctx: Context) -> Found | None:
    for level, start, end in find_degrees(ctx.source[span[0] : span[1]]):
        if level == value:
            return span[0] + start, span[0] + end, "derived"
    return None


def find_language(value: Any, span: Span, ctx: Context) -> Found | None:
    """From the text as a whole: the value's function words outnumber every other language's
    (or, for languages without a word list, its script is used). The span is ignored."""
    code = str(value).lower()
    source = ctx.source
    if code in _SCRIPTS:
        found = re.search(_SCRIPTS[code], source)
        return None if found is None else (found.start(), found.end(), "derived")
    known, languages_of = _function_words()
    if code not in known:
        return None
    counts: Counter[str] = Counter()
    best_line, best_hits, offset = (0, 0), 0, 0
    for line in source.split("\n"):
        hits = 0
        for token in _LETTERS.findall(_NOT_WORDS.sub(" ", line.lower())):
            languages = languages_of.get(token)
            if languages is not None and len(token) > 1:
                counts.update(languages)
                hits += code in languages
        if hits > best_hits:
            best_line, best_hits = (offset, offset + len(line)), hits
        offset += len(line) + 1
    if best_hits == 0 or any(counts[lang] > counts[code] for lang in counts):
        return None
    start, end = best_line
    while start < end and source[start].isspace():
        start += 1
    return start, end, "derived"


_LETTERS = re.compile(r"[^\W\d_]+")


@functools.cache
def _function_words() -> tuple[frozenset[str], dict[str, frozenset[str]]]:
    """The languages with a word list, and each function word's languages (built once)."""
    from extractor.offline.language import STOPWORDS

    found: dict[str, set[str]] = {}
    for lang, words in STOPWORDS.items():
        for word in words.split():
            found.setdefault(word, set()).add(lang)
    return frozenset(STOPWORDS), {word: frozenset(langs) for word, langs in found.items()}


# -- codes ----------------------------------------------------------------------------------
def find_currency(value: Any, span: Span, ctx: Context) -> Found | None:
    code = str(value).upper()
    text = ctx.source[span[0] : span[1]]
    if (m := re.search(rf"(?<![A-Za-z]){re.escape(code)}(?![A-Za-z])", text)) is not None:
        return span[0] + m.start(), span[0] + m.end(), "derived"
    for symbol, meaning in sorted(CURRENCY_SYMBOLS.items(), key=lambda kv: -len(kv[0])):
        if symbol.isalpha():
            continue
        pos = text.find(symbol)
        if pos < 0:
            continue
        if meaning == code or (symbol == "$" and code in _DOLLARS and _names(code, ctx)):
            return span[0] + pos, span[0] + pos + len(symbol), "derived"
    if code in _CURRENCY_WORDS:
        m = re.search(rf"(?<![\w])(?i:{_CURRENCY_WORDS[code]})(?![\w])", text)
        if m is not None:
            return span[0] + m.start(), span[0] + m.end(), "derived"
    return None


def _names(code: str, ctx: Context) -> bool:
    """True when the posting names the dollar currency ``code`` or its country."""
    if code == "USD":
        return True
    country = _DOLLARS[code]
    if re.search(rf"(?<![A-Za-z]){code}(?![A-Za-z])", ctx.source):
        return True
    places = ctx.data.get("locations") or []
    return any(isinstance(p, dict) and p.get("country") == country for p in places)


def find_period(value: Any, span: Span, ctx: Context) -> Found | None:
    text = ctx.source[span[0] : span[1]]
    own = ctx.parent.get("text")
    if isinstance(own, str) and (pay := parse_pay(own)) is not None and pay.period == value:
        return span[0], span[1], "derived"
    pattern = _PERIOD.get(str(value))
    if pattern is not None and (found := cues.find_cue(pattern, text)) is not None:
        return span[0] + found[0], span[0] + found[1], "derived"
    if value == "year" and isinstance(own, str) and _salary_sized(own, ctx):
        return span[0], span[1], "derived"
    return None


def _salary_sized(text: str, ctx: Context) -> bool:
    """A figure big enough to be a yearly salary, in the pay's own text (the convention)."""
    pay = ctx.data.get("pay") or {}
    if pay.get("currency") in _SMALL_UNIT:
        return False
    return any(a >= SALARY_SIZED for a in amounts(text))


def find_country(value: Any, span: Span, ctx: Context) -> Found | None:
    code = str(value).upper()
    text = ctx.source[span[0] : span[1]]
    place = parse_location(text) if len(text) <= 120 else None
    if place is not None and place.country == code:
        return span[0], span[1], "derived"
    city = ctx.parent.get("city")
    if isinstance(city, str) and city_country(city) == code and city.casefold() in text.casefold():
        return span[0], span[1], "derived"
    if (m := re.search(rf"(?<![A-Za-z]){re.escape(code)}(?![A-Za-z])", text)) is not None:
        return span[0] + m.start(), span[0] + m.end(), "derived"
    for m in re.finditer(r"[^,;/|()\n·•–-]+", text):
        part = m.group().strip()
        if not part or len(part) > 60:
            continue
        if _country_of(part) == code or city_country(part) == code:
            return span[0] + m.start(), span[0] + m.end(), "derived"
        sub = parse_location(part)
        if sub is not None and sub.country == code and (sub.region or sub.city):
            return span[0] + m.start(), span[0] + m.end(), "derived"
    return None


def _country_of(part: str) -> str | None:
    try:
        return normalize_country(part)
    except ValueError:
        return None


# -- other tasks ----------------------------------------------------------------------------
def _generic(name: str, value: Any, span: Span, ctx: Context) -> Found | None:
    if value is True:
        words = name.rsplit(".", 1)[-1].removeprefix("is_").removeprefix("has_")
        return find_text(words.replace("_", " "), span, ctx)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return find_number(value, span, ctx)
    if isinstance(value, str) and _ISO.match(value):
        return find_date(value, span, ctx)
    found = find_text(value, span, ctx)
    if found is None and isinstance(value, str) and re.fullmatch(r"[a-z]+(_[a-z]+)+", value):
        found = find_text(value.replace("_", " "), span, ctx)
    return found


CHECKS: dict[str, Check] = {
    "pay.min": find_number,
    "pay.max": find_number,
    "pay.currency": find_currency,
    "pay.period": find_period,
    "posted.date": find_date,
    "application_deadline.date": find_date,
    "start_dates": find_date,
    "locations.country": find_country,
    "workplace": _cue(_WORKPLACE, negatable=True),
    "employment_type": _cue(_EMPLOYMENT),
    "seniority": find_seniority,
    "is_expired": _cue(_EXPIRED),
    "degree_levels": find_degree,
    "language": find_language,
}
"""Checks by field (job_posting's derived fields); other fields use the generic checks."""

HOLISTIC = frozenset({"language"})
"""Fields judged on the whole text: no quote is needed."""
