"""Dates: absolute and relative dates in English, German, French and Spanish, with spans.

Regexes find candidates and read the common formats directly (month names come from
dateparser's locale data); dateparser itself only runs in ``parse_date`` as a cached fallback,
so the finders stay fast. Relative dates count back from ``as_of``: a month is 30 days, a year
365; hours and minutes round down to whole days ("14 hours ago" is ``as_of``). Nothing is guessed:
a date without a year, or "05/06/2026" where day and month could swap, has ``date=None``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache, lru_cache

MIN_YEAR, MAX_YEAR = 1990, 2100
_MONTH_KEYS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_UNIT_DAYS: dict[str, float] = {
    "minute": 1 / 1440, "hour": 1 / 24, "day": 1, "week": 7, "month": 30, "year": 365,
}  # fmt: skip
_UNITS: dict[str, str] = {
    "mins": "minute", "minutes": "minute", "minute": "minute", "min": "minute",
    "minuten": "minute", "minuto": "minute", "minutos": "minute",
    "hours": "hour", "hour": "hour", "hrs": "hour", "hr": "hour", "h": "hour",
    "stunden": "hour", "stunde": "hour", "heures": "hour", "heure": "hour", "horas": "hour",
    "hora": "hour",
    "days": "day", "day": "day", "tagen": "day", "tage": "day", "tag": "day", "jours": "day",
    "jour": "day", "días": "day", "día": "day", "dias": "day", "dia": "day",
    "weeks": "week", "week": "week", "wochen": "week", "woche": "week", "semaines": "week",
    "semaine": "week", "semanas": "week", "semana": "week",
    "months": "month", "month": "month", "monaten": "month", "monate": "month",
    "monat": "month", "mois": "month", "meses": "month", "mes": "month",
    "years": "year", "year": "year", "jahren": "year", "jahre": "year", "jahr": "year",
    "années": "year", "année": "year", "ans": "year", "an": "year", "años": "year",
    "año": "year",
}  # fmt: skip
_ONE = "a|an|one|ein|einem|einer|un|une|uno|una"
_DAY_WORDS: dict[str, int] = {
    "today": 0, "just now": 0, "just posted": 0, "heute": 0, "aujourd'hui": 0,
    "aujourd’hui": 0, "hoy": 0, "yesterday": 1, "gestern": 1, "hier": 1, "ayer": 1,
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class DateMatch:
    """A date as written (``text == source[start:end]``) and the date it means, if known."""

    start: int
    end: int
    text: str
    date: date | None


def _alt(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@cache
def _months() -> dict[str, int]:
    """Month names and abbreviations in en/de/fr/es, from dateparser's locale data."""
    from dateparser.data.date_translation_data import de, en, es, fr

    months: dict[str, int] = {}
    for locale in (en, de, fr, es):
        for number, key in enumerate(_MONTH_KEYS, 1):
            for name in locale.info[key]:
                months[str(name).lower().rstrip(".")] = number
    return months


_NUMERIC = (
    # \d\d? rather than [0-3]?\d: a leading \d lets the regex engine skip ahead fast
    # ISO, with the time and zone of a datetime when written ("2025-11-06T00:00:00+01:00")
    re.compile(
        r"(?P<y>(?:19|20)\d\d)-(?P<m>\d\d?)-(?P<d>\d\d?)"
        r"(?:T\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z+|[+-]\d\d:?\d\d)?)?(?!\d)"
    ),
    # a full stop may end the sentence ("ab dem 01.04.2019."), not start a fourth number
    re.compile(r"(?P<d>\d\d?)\.(?P<m>\d\d?)\.(?P<y>(?:19|20)?\d\d)(?!\d|\.\d)"),
    re.compile(r"(?P<a>\d\d?)/(?P<b>\d\d?)/(?P<y>(?:19|20)\d\d)(?!\d)"),
    re.compile(r"(?<![\d-])(?P<a>\d\d?)-(?P<b>\d\d?)-(?P<y>(?:19|20)\d\d)(?!\d)"),
)
_YEAR = re.compile(r"(?:19|20)\d\d(?!\d)")
# Month names are matched as any word and kept by _valid(): one dict lookup is much faster
# than a 75-way alternation.
_MON = r"(?P<mon>[A-Za-zÀ-ÿ]{3,10})(?![a-zà-ÿ])\.?"
_DAY = r"(?P<d>\d\d?)(?!\d)"
_NAMED = (
    rf"{_MON}\s+{_DAY}(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d\d)",
    rf"{_DAY}(?:st|nd|rd|th|er|º|\.)?\s+(?:(?i:de|of)\s+)?{_MON},?\s+(?:(?i:de)\s+)?"
    rf"(?P<y>(?:19|20)\d\d)",
)
# Named dates ending at a known year (searched in a short window before each year).
_NAMED_BEFORE_YEAR = tuple(re.compile(p + "$") for p in _NAMED)
# At a known position (after "Apply by"): named dates, then a date without a year ("May 1"),
# which is kept for its span and read as None.
_AT = (
    *_NUMERIC,
    *(re.compile(rf"{p}(?!\d)") for p in _NAMED),
    re.compile(rf"(?=[A-ZÀ-Þ]){_MON}\s+{_DAY}(?:st|nd|rd|th)?(?![\d:])(?!,?\s*\d)"),
)


def _hits(
    text: str, pattern: re.Pattern[str], stems: tuple[str, ...], pos: int = 0
) -> list[re.Match[str]]:
    """``pattern`` matched only where one of its lower-case ``stems`` occurs, in order."""
    low = text.lower()
    if len(low) != len(text):  # lower() changed offsets (rare letters such as "İ")
        return list(pattern.finditer(text, pos))
    starts: set[int] = set()
    for stem in stems:
        at = low.find(stem, pos)
        while at >= 0:
            starts.add(at)
            at = low.find(stem, at + 1)
    return [m for at in sorted(starts) if (m := pattern.match(text, at))]


def _word_start(text: str, pos: int) -> bool:
    return pos == 0 or not (text[pos - 1].isalnum() or text[pos - 1] in "._-/")


_NUMBER = rf"(?P<n>\d+|{_ONE})(?P<plus>\+)?"
_UNIT = r"(?P<unit>[A-Za-zÀ-ÿ]+)"
_ANCHOR = re.compile(r"(?i:(?<=\s)ago|\bvor|\bil\s+y\s+a|\bhace)(?-i:(?![a-zà-ÿ]))")
_BEFORE_AGO = re.compile(rf"(?i:{_NUMBER}\s+{_UNIT}\s+)$")
_AFTER_PREFIX = re.compile(rf"\s+(?i:{_NUMBER}\s+{_UNIT})(?-i:(?![a-zà-ÿ]))")
_DAY_WORD = re.compile(rf"(?i:(?P<word>{_alt(_DAY_WORDS)}))(?-i:(?![a-zà-ÿ]))")


@dataclass(frozen=True, slots=True)
class _Relative:
    start: int
    end: int
    unit: str  # minute ... year, or "" for a day word
    days: int | None  # None when open-ended ("30+ days ago")


# Start of a word, or a camel-case join as in "$45/hrPosted Sep 15, 2025".
_WORD_START = r"(?:(?<![A-Za-zÀ-ÿ])|(?<=[a-zà-ÿ])(?=[A-ZÀ-Þ]))"
_POSTED = re.compile(
    _WORD_START
    + r"(?i:(?:re)?posted(?:\s+on)?|listed|(?:date\s+)?posted(?:\s+date)?|posting\s+date|published(?:\s+on)?"
    r"|open(?:ing)?\s+(?:&|and)\s+closing\s+dates?|veröffentlicht(?:\s+am)?|erstellt\s+am|online\s+seit|publiée?(?:\s+le)?|mis\s+en\s+ligne(?:\s+le)?"
    r"|publicad[oa](?:\s+el)?|fecha\s+de\s+publicación)(?![a-zà-ÿ])"
)
_DEADLINE = re.compile(
    _WORD_START
    + r"(?i:apply\b[^\n]{0,90}?\s(?:by|before|until)(?=[\s:])|last\s+date\s+(?:to|for)\s+appl(?:y|ications?)|applications?\s+(?:deadline|close[sd]?|due)(?:\s+on)?"
    r"|closing\s+date|deadline(?:\s+(?:to|for)\s+appl(?:y|ications?))?|submit\s+by|valid\s+through"
    r"|open(?:ing)?\s+(?:&|and)\s+closing\s+dates?"
    r"|bewerbungsfrist|bewerbungsschluss|einsendeschluss|bewerbungen\s+bis"
    r"|bewerbung(?:en|sunterlagen)?\b[^\n]{0,160}?\sbis(?:\s+(?:zum|spätestens))?(?=\s)"
    r"|(?:propuestas|postulaciones|solicitudes|candidaturas|hojas de vida)\b[^\n]{0,120}?"
    r"\s(?:hasta|antes del?)(?=\s)"
    r"|candidatures?\b[^\n]{0,120}?\s(?:avant le|jusqu'au|au plus tard le)(?=\s)"
    r"|sista ansökningsdag|uiterste sollicitatiedatum|reageren voor|termin (?:składania|nadsyłania)"
    r"|scadenza(?:\s+candidature)?|prazo(?:\s+de\s+candidatura)?|closes(?:\s+on)?"
    r"|bewerben(?:\s+sie\s+sich)?\s+bis|bewerbung\s+bis"
    r"|date\s+limite(?:\s+de\s+(?:candidature|dépôt))?|candidatures?\s+jusqu'au"
    r"|fecha\s+l[ií]mite(?:\s+(?:de|para)\s+(?:postulación|solicitud|inscripción|postularse))?"
    r"|post[uú]late\s+antes\s+del?|cierre\s+de\s+(?:la\s+)?(?:convocatoria|postulaciones))(?![a-zà-ÿ])"
)
# Lower-case starts of the keywords: str.find on them is far faster than scanning with a
# case-insensitive alternation, which the regex engine cannot skip ahead for.
_ANCHOR_STEMS = ("ago", "vor", "il y a", "hace")
_POSTED_STEMS = (
    "posted", "listed", "posting date", "published", "open", "veröffentlicht", "erstellt",
    "online seit", "publi", "mis en ligne", "fecha de publicación",
)  # fmt: skip
_DEADLINE_STEMS = (
    "apply", "application", "closing date", "deadline", "submit by", "open", "bewerb",
    "einsendeschluss", "date limite", "candidature", "fecha l", "postula", "postúla",
    "last date", "cierre", "valid through", "propuestas", "solicitudes", "hojas de vida",
    "sista ansök", "uiterste", "reageren", "termin", "scadenza", "prazo", "closes",
)  # fmt: skip
_RANGE_TO = re.compile(r"\s*(?:to|until|-|–|—|bis|au|al|hasta)\s*")
_POSTED_AFTER = re.compile(r"\s+(?i:veröffentlicht|publiziert|posted|publiée?|publicad[oa])\b")
# Between a keyword and its date: punctuation, a joining word, a time, a weekday.
_GAP = re.compile(r"[\s:,\-–—]*")
_GAP_WORD = re.compile(r"(?:\d{1,2}[:.]\d\d\s*(?i:[ap]\.?m\.?)?|[A-Za-zÀ-ÿ]+\.?)[,:]?\s+")


def _make(year: int, month: int, day: int) -> date | None:
    if year < 100:
        year += 2000
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


# Money of a place that writes the day first: "04/11/2026" on a page paying in euros is 4 November.
_DAY_FIRST_MONEY = re.compile(
    r"[£€₹]|\b(?:AU|A|NZ|R)\$|\b(?:EUR|GBP|INR|AUD|NZD|BRL|COP|ARS|CLP|PEN|MXN|CHF|ZAR|SGD)\b"
)


def _slash_order(text: str) -> str | None:
    """ "dmy" or "mdy" for a/b/yyyy dates in ``text``: from an unambiguous one, else from "$"."""
    for a, b in re.findall(r"(?<![\d/-])([0-3]?\d)[/-]([0-3]?\d)[/-](?:19|20)\d\d", text):
        if int(a) > 12 >= int(b):
            return "dmy"
        if int(b) > 12 >= int(a):
            return "mdy"
    if _DAY_FIRST_MONEY.search(text):
        return "dmy"
    if "$" in text:
        return "mdy"
    return None


def _read_absolute(match: re.Match[str], order: str | None = None) -> date | None:
    groups = match.groupdict()
    if groups.get("y") is None:
        return None
    year = int(groups["y"])
    if groups.get("a") is not None:
        first, second = int(groups["a"]), int(groups["b"])
        if first > 12 >= second or (order == "dmy" and second <= 12):
            return _make(year, second, first)
        if second > 12 >= first or first == second or order == "mdy":
            return _make(year, first, second)
        return None
    month = int(groups["m"]) if groups.get("m") else _months()[groups["mon"].lower().rstrip(".")]
    return _make(year, month, int(groups["d"]))


def _relative_from(text: str, anchor: re.Match[str]) -> _Relative | None:
    """The "N unit ago" / "vor N unit" / "il y a N unit" / "hace N unit" phrase at ``anchor``."""
    if anchor.group().lower() == "ago":
        window_start = max(0, anchor.start() - 24)
        found = _BEFORE_AGO.search(text, window_start, anchor.start())
        start, end = (found.start(), anchor.end()) if found else (0, 0)
    else:
        found = _AFTER_PREFIX.match(text, anchor.end())
        start, end = anchor.start(), found.end() if found else 0
    if found is None or (unit := _UNITS.get(found.group("unit").lower())) is None:
        return None
    if found.group("plus"):
        return _Relative(start, end, unit, None)
    count = found.group("n").lower()
    number = int(count) if count.isdigit() else 1
    return _Relative(start, end, unit, int(number * _UNIT_DAYS[unit]))


def _relatives(text: str, pos: int = 0, *, anchored: bool = False) -> Iterator[_Relative]:
    """Relative phrases from ``pos`` on (only one starting exactly at ``pos`` if anchored)."""
    if anchored:
        if word := _DAY_WORD.match(text, pos):
            yield _Relative(word.start(), word.end(), "", _DAY_WORDS[word.group().lower()])
            return
        end = text.find("\n", pos)
        window = text[pos : min(end if end >= 0 else len(text), pos + 40)]
        for anchor in _ANCHOR.finditer(window):
            found = _relative_from(window, anchor)
            if found and found.start == 0:
                yield _Relative(pos, pos + found.end, found.unit, found.days)
        return
    for anchor in _hits(text, _ANCHOR, _ANCHOR_STEMS, pos):
        if found := _relative_from(text, anchor):
            yield found


def _read_relative(found: _Relative, as_of: date) -> date | None:
    return None if found.days is None else as_of - timedelta(days=found.days)


def _valid(match: re.Match[str]) -> bool:
    month = match.groupdict().get("mon")
    return month is None or month.lower() in _months()


def _absolute_matches(text: str, pos: int = 0, *, anchored: bool = False) -> list[re.Match[str]]:
    """Non-overlapping absolute dates in order, or those starting exactly at ``pos``.

    Scanning is cheap: numeric forms start with a digit, and named forms are only looked for in
    the few characters before a year.
    """
    if anchored:
        found = [m for p in _AT if (m := p.match(text, pos)) and _valid(m)]
        return sorted(found, key=lambda m: -m.end())[:1]
    candidates = [m for p in _NUMERIC for m in p.finditer(text, pos)]
    for year in _YEAR.finditer(text, pos):
        window = max(pos, year.start() - 26)
        for pattern in _NAMED_BEFORE_YEAR:
            if match := pattern.search(text, window, year.end()):
                candidates.append(match)
    kept: list[re.Match[str]] = []
    for match in sorted(candidates, key=lambda m: (m.start(), -m.end())):
        if not (_valid(match) and _word_start(text, match.start())):
            continue
        if not kept or match.start() >= kept[-1].end():
            kept.append(match)
    return kept


def find_dates(text: str, *, as_of: date) -> list[DateMatch]:
    """Explicit (absolute) dates in ``text``, in order; relative phrases are not included."""
    del as_of  # absolute dates do not depend on it; kept for a uniform signature
    order = _slash_order(text) if "/" in text or "-" in text else None
    return [
        DateMatch(m.start(), m.end(), m.group(), _read_absolute(m, order))
        for m in _absolute_matches(text)
    ]


def parse_date(text: str, *, as_of: date, languages: list[str] | None = None) -> date | None:
    """The date ``text`` means ("Sep 15, 2025", "15.09.2025", "vor 3 Tagen"), or None."""
    absolute = _absolute_matches(text)
    if absolute:
        order = "mdy" if languages and languages[0] == "en" else _slash_order(text)
        return _read_absolute(absolute[0], order)
    relative = next(_relatives(text), None) or next(
        (
            _Relative(m.start(), m.end(), "", _DAY_WORDS[m.group().lower()])
            for m in _DAY_WORD.finditer(text)
        ),
        None,
    )
    if relative is not None:
        return _read_relative(relative, as_of)
    if not re.search(r"(?<!\d)(?:19|20)\d\d(?!\d)", text):
        return None  # dateparser would read "12 weeks" as a date
    return _dateparser(text.strip(), as_of, tuple(languages) if languages else None)


@lru_cache(maxsize=2048)
def _dateparser(text: str, as_of: date, languages: tuple[str, ...] | None) -> date | None:
    import dateparser

    if not text or len(text) > 80:
        return None
    parsed = dateparser.parse(
        text,
        languages=list(languages) if languages else ["en", "de", "fr", "es"],
        settings={
            "RELATIVE_BASE": datetime(as_of.year, as_of.month, as_of.day),
            "REQUIRE_PARTS": ["day", "month", "year"],
            "RETURN_AS_TIMEZONE_AWARE": False,
        },
    )
    if parsed is None or not MIN_YEAR <= parsed.year <= MAX_YEAR:
        return None
    return date(parsed.year, parsed.month, parsed.day)


def _date_after(
    text: str, keyword: re.Match[str], as_of: date, *, relative: bool, second: bool = False
) -> DateMatch | None:
    """The date written right after ``keyword`` (after a few joining words at most).

    With ``second``, the date after a range ("11/10/2026 to 12/01/2026") is returned instead.
    """
    gap = _GAP.match(text, keyword.end())
    at = gap.end() if gap else keyword.end()
    for _ in range(4):
        if found := _date_at(text, at, keyword.start(), as_of, relative=relative, second=second):
            return found
        if not (word := _GAP_WORD.match(text, at)):
            break
        at = word.end()
    return None


def _date_at(
    text: str, at: int, start: int, as_of: date, *, relative: bool, second: bool
) -> DateMatch | None:
    absolute = _absolute_matches(text, at, anchored=True)
    if absolute:
        match = absolute[0]
        if second:
            if not (to := _RANGE_TO.match(text, match.end())):
                return None
            following = _absolute_matches(text, to.end(), anchored=True)
            if not following:
                return None
            match = following[0]
            start = match.start()
        order = _slash_order(text) if match.groupdict().get("a") else None
        return DateMatch(
            start, match.end(), text[start : match.end()], _read_absolute(match, order)
        )
    if relative and (rel := next(_relatives(text, at, anchored=True), None)):
        return DateMatch(start, rel.end, text[start : rel.end], _read_relative(rel, as_of))
    return None


def find_posted(text: str, *, as_of: date) -> DateMatch | None:
    """The posted/published mention ("Posted 99 days ago", "Veröffentlicht am 12.03.2026").

    A keyword followed by a date wins; else the first "X ago" phrase counted in minutes to
    months ("founded 10 years ago" is not a posting date). ``text`` is the phrase as written.
    """
    for keyword in _hits(text, _POSTED, _POSTED_STEMS):
        if found := _date_after(text, keyword, as_of, relative=True):
            return found
    for rel in _relatives(text):
        if rel.unit != "year":
            end = rel.end
            if after := _POSTED_AFTER.match(text, end):
                end = after.end()
            return DateMatch(rel.start, end, text[rel.start : end], _read_relative(rel, as_of))
    return None


def find_deadline(text: str, *, as_of: date) -> DateMatch | None:
    """The application deadline ("Apply by ...", "Bewerbungsfrist: ...", "Date limite ...")."""
    for keyword in _hits(text, _DEADLINE, _DEADLINE_STEMS):
        second = keyword.group().lower().startswith("open")
        if found := _date_after(text, keyword, as_of, relative=False, second=second):
            return found
    return None
