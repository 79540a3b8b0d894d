"""Pay: finding pay mentions in text, parsing them, and annualising a figure by its period.

Documented convention: a working year is 2,080 hours (40 h x 52 weeks), 260 days, 52 weeks or
12 months. Figures with no period are not annualised.

A pay mention needs a currency (a symbol, an ISO code or "LPA"/"lakh", which mean INR) and either
a period or an amount of at least 1,000. Amounts followed by "million"/"billion"/"M" and amounts
near funding or revenue words are not pay. Numbers are read with both conventions: "120,000",
"50.000" and "45 000" are thousands; "22.50" and "22,50" are decimals; "12,00,000" is Indian.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PERIODS_PER_YEAR: dict[str, int] = {"hour": 2080, "day": 260, "week": 52, "month": 12, "year": 1}


def annualize(amount: float | None, period: str | None) -> float | None:
    """Return ``amount`` per year, or None when either is unknown."""
    if amount is None or period is None:
        return None
    factor = PERIODS_PER_YEAR.get(period)
    return None if factor is None else round(amount * factor, 2)


@dataclass(frozen=True, slots=True)
class PayMatch:
    """One pay mention: ``text == source[start:end]``; a single figure has min == max."""

    start: int
    end: int
    text: str
    min: float | None
    max: float | None
    currency: str | None
    period: str | None


_SYMBOLS: dict[str, str] = {
    "CA$": "CAD",
    "C$": "CAD",
    "AU$": "AUD",
    "A$": "AUD",
    "NZ$": "NZD",
    "S$": "SGD",
    "HK$": "HKD",
    "US$": "USD",
    "R$": "BRL",
    "$": "USD",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "₹": "INR",
    "Rs.": "INR",
    "Rs": "INR",
}
_CODES = [
    "USD", "EUR", "GBP", "CHF", "INR", "CAD", "AUD", "NZD", "SGD", "HKD", "JPY", "CNY",
    "SEK", "NOK", "DKK", "PLN", "CZK", "BRL", "MXN", "ZAR", "AED", "ILS",
]  # fmt: skip
_WORDS: dict[str, str] = {"euro": "EUR", "euros": "EUR", "dollars": "USD", "pounds": "GBP"}
# Currencies whose unit is small: amounts run large, so no period is inferred from magnitude.
_SMALL_UNIT = frozenset({"JPY", "INR", "KRW", "IDR", "VND", "HUF", "CLP", "COP", "PHP", "THB"})

_PREFIX = "|".join(re.escape(s) for s in _SYMBOLS) + "|" + "|".join(_CODES)
_SUFFIX = "€|£|\\$|" + "|".join(_CODES) + "|(?i:euros?|dollars|pounds)(?![a-z])"
_NUM = (
    r"\d{1,2}(?:,\d\d)+,\d{3}(?![\d,])"  # Indian grouping: 12,00,000
    r"|\d{1,3}(?:[,.'’\u00a0\u202f ]\d{3})+(?:[.,]\d{1,2})?(?![\d])"
    r"|\d+(?:[.,]\d{1,2})?(?![\d])"
)
_MULT = r"(?:\s?(?:[kK](?![a-zA-Z])|(?i:LPA|lakhs?|lacs?)(?![a-z])))"


def _amount(i: int) -> str:
    return (
        rf"(?P<cur{i}>{_PREFIX})?\s?(?P<num{i}>{_NUM})(?P<mult{i}>{_MULT})?"
        rf"(?:\s?(?P<suf{i}>{_SUFFIX})(?!\s?\d))?"
    )


_PERIOD_WORDS: dict[str, str] = {
    # hour
    "hourly": "hour", "hours": "hour", "hour": "hour", "hrs": "hour", "hr": "hour",
    "stunde": "hour", "std": "hour", "heure": "hour", "hora": "hour", "h": "hour",
    "stündlich": "hour", "horaire": "hour",
    # day
    "daily": "day", "day": "day", "tag": "day", "täglich": "day", "jour": "day",
    "día": "day", "dia": "day",
    # week
    "weekly": "week", "week": "week", "wk": "week", "woche": "week", "wöchentlich": "week",
    "semaine": "week", "semana": "week", "hebdomadaire": "week",
    # month
    "monthly": "month", "month": "month", "mo": "month", "mth": "month", "monatlich": "month",
    "monat": "month", "mensuel": "month", "mensuelle": "month", "mois": "month",
    "mensual": "month", "mensuales": "month", "mensuels": "month", "mensuelles": "month",
    "mes": "month",
    # year
    "annually": "year", "annual": "year", "annum": "year", "yearly": "year", "year": "year",
    "yr": "year", "jährlich": "year", "jahr": "year", "annuel": "year", "annuelle": "year",
    "année": "year", "an": "year", "año": "year", "anual": "year", "anuales": "year",
    "annuels": "year", "annuelles": "year", "p.a.": "year",
    "p. a.": "year", "pa": "year",
}  # fmt: skip
# Words that name a period on their own ("$20 hourly"); the others need "/", "per", "a"...
_STANDALONE = frozenset([
    "hourly", "stündlich", "daily", "täglich", "weekly", "wöchentlich", "monthly", "monatlich",
    "mensuel", "mensuelle", "mensual", "mensuales", "mensuels", "mensuelles", "anuales",
    "annuels", "annuelles", "annually", "annual", "yearly", "jährlich", "annuel",
    "annuelle", "anual", "p.a.", "p. a.", "pa",
])  # fmt: skip
_CONNECT = r"(?:/\s*|de\s+l['’]|(?:per|a|an|pro|par|por|al|au|im|je|each|every)\s+)"
_GROSS = r"(?:(?:brut(?:to|o|a)?s?|net(?:to|o|a)?s?|gross)\s*)"
_PERIOD_ALT = "|".join(re.escape(w) for w in sorted(_PERIOD_WORDS, key=len, reverse=True))
_PERIOD = (
    rf"(?P<period>\s*\(?{_GROSS}?(?:{_CONNECT})?(?P<pword>{_PERIOD_ALT})(?-i:(?![a-zäöüéíóñ])))"
)

_QUALIFIERS: dict[str, str] = {
    "up to": "max", "upto": "max", "maximum": "max", "max.": "max", "max": "max",
    "bis zu": "max", "jusqu'à": "max", "jusqu’à": "max", "hasta": "max",
    "starting at": "min", "starting from": "min", "starts at": "min", "from": "min",
    "minimum": "min", "min.": "min", "at least": "min", "ab": "min", "à partir de": "min",
    "a partir de": "min", "desde": "min",
}  # fmt: skip
_QUAL_ALT = "|".join(re.escape(q) for q in sorted(_QUALIFIERS, key=len, reverse=True))
_SEP = r"\s*\\?(?:-|–|—|~|to|bis|à|a|and|y|und|et)\s*"  # "\-": a markdown-escaped dash

_PAY = re.compile(
    rf"(?<![\w$€£¥₹.,])(?:(?P<qual>(?i:{_QUAL_ALT}))\s*:?\s*)?"
    rf"{_amount(1)}(?:{_SEP}{_amount(2)})?(?i:{_PERIOD})?",
)
_NOT_PAY_AFTER = re.compile(
    r"\s*(?:[mMbB](?![a-z])|(?i:mm|bn|million|billion|mio|mrd|milliards?|millones|%)"
    r"|\s+(?i:in\s+(?:funding|revenue|sales|seed|series)|funding|raised|revenue|valuation"
    r"|bonus|signing|referral|relocation|stipend|budget|grant|prize|investment|arr|users|customers))"
)
_NOT_PAY_BEFORE = re.compile(
    r"(?i:raised|funding|revenue|valuation|series [a-e]|bonus|worth|budget|sales of)[^.\n]{0,25}$"
)
_PAY_CONTEXT = re.compile(
    r"(?i:salary|compensation|pay|wage|base|ote|earn|gehalt|vergütung|lohn|salaire"
    r"|rémunération|salario|sueldo|remuneración|ctc|package)"
)
# "£35k-£40k + discretionary bonus", "AU$75,000 + super": a package, so a yearly salary.
_PAY_EXTRAS = re.compile(
    r"\s*(?:\+|plus|and|with|zzgl\.?|\(|,)\s*(?:[\w-]+\s+)?"
    r"(?i:bonus|super\b|superannuation|commission|equity|stock|benefits|shares|pension)"
)
_PERIOD_BEFORE = re.compile(
    r"(?i:\b(hourly|daily|weekly|monthly|annual|yearly)\s+(?:base\s+)?"
    r"(?:salary|pay|rate|wage|compensation))[^.\n\d]{0,20}$"
    # a period word right before the figures: "Mensuel de 1900,00 Euros", "Monthly: $3,000"
    r"|(?i:\b(mensuel|mensuelle|mensual|monatlich|monthly|annuel|annuelle|anual|jährlich|"
    r"yearly|annually|hourly|horaire|stündlich|weekly|hebdomadaire))\s*(?:de|of|:)?\s*$"
)
_UPPER_BOUND: dict[str, float] = {
    "hour": 2_000,
    "day": 20_000,
    "week": 100_000,
    "month": 400_000,
    "year": 5_000_000,
}


def parse_amount(text: str) -> float | None:
    """Read one written number ("120,000", "50.000", "22,50", "110'000") as a float."""
    digits = re.sub(r"[\s'’\u00a0\u202f]", "", text)
    if not digits:
        return None
    if "," in digits and "." in digits:
        decimal = "," if digits.rfind(",") > digits.rfind(".") else "."
        digits = digits.replace("." if decimal == "," else ",", "").replace(",", ".")
    else:
        for sep in ",.":
            parts = digits.split(sep)
            if len(parts) == 1:
                continue
            thousands = len(parts) > 2 or len(parts[-1]) == 3
            digits = "".join(parts) if thousands else ".".join(parts)
    try:
        return float(digits)
    except ValueError:
        return None


def _multiplier(word: str | None) -> float:
    if not word:
        return 1.0
    word = word.strip().lower()
    return 1_000.0 if word == "k" else 100_000.0


def _currency(match: re.Match[str]) -> str | None:
    # A written code wins over a symbol: "$26.00 CAD/hour", "$18,000 MXN".
    for group in ("suf1", "suf2", "cur1", "cur2"):
        token = match.group(group)
        if token:
            return _SYMBOLS.get(token) or _WORDS.get(token.lower()) or token.upper()
    for group in ("mult1", "mult2"):
        token = match.group(group)
        if token and token.strip().lower() != "k":
            return "INR"
    return None


def _amounts(match: re.Match[str]) -> tuple[float, float | None] | None:
    first = parse_amount(match.group("num1"))
    if first is None:
        return None
    if match.group("num2") is None:
        return first * _multiplier(match.group("mult1")), None
    second = parse_amount(match.group("num2"))
    if second is None:
        return None
    mult2 = _multiplier(match.group("mult2"))
    mult1 = _multiplier(match.group("mult1")) if match.group("mult1") else None
    if mult1 is None:
        mult1 = mult2 if first < second else 1.0
    return first * mult1, second * mult2


def _period(match: re.Match[str], text: str, currency: str, high: float) -> str | None:
    word = match.group("pword")
    if word:
        lower = word.lower()
        before = match.group("period")[: -len(word)]
        if lower not in _STANDALONE and not re.search(r"[/(a-z'’]\s*$", before.lower()):
            return None
        return _PERIOD_WORDS[lower]
    if any((match.group(g) or "").strip().lower() == "lpa" for g in ("mult1", "mult2")):
        return "year"
    before = text[max(0, match.start() - 60) : match.start()]
    if found := _PERIOD_BEFORE.search(before):
        return _PERIOD_WORDS[(found.group(1) or found.group(2)).lower()]
    after = text[match.end() : match.end() + 30]
    yearly_hint = _PAY_CONTEXT.search(before) or _PAY_EXTRAS.match(after)
    if high >= 10_000 and currency not in _SMALL_UNIT and yearly_hint:
        return "year"
    return None


def _to_match(match: re.Match[str], text: str) -> PayMatch | None:
    currency = _currency(match)
    amounts = _amounts(match)
    if currency is None or amounts is None:
        return None
    if _NOT_PAY_AFTER.match(text, match.end()) or _NOT_PAY_BEFORE.search(
        text, max(0, match.start() - 40), match.start()
    ):
        return None
    low, high = amounts[0], amounts[1] if amounts[1] is not None else amounts[0]
    if low <= 0 or high < low:
        return None
    period = _period(match, text, currency, high)
    end = match.end() if period and match.group("pword") else _amount_end(match)
    if period is None and high < 1_000:
        return None
    scale = 1_000 if currency in _SMALL_UNIT else 1
    if period is not None and high > _UPPER_BOUND[period] * scale:
        return None
    qual = _QUALIFIERS.get((match.group("qual") or "").lower())
    minimum: float | None = low
    maximum: float | None = high
    if amounts[1] is None and qual == "max":
        minimum = None
    elif amounts[1] is None and qual == "min":
        maximum = None
    start = match.start() if qual else match.start("cur1" if match.group("cur1") else "num1")
    if match.group("cur1") == "CA$" and text[max(0, start - 2) : start] == ", ":
        # "Irvine, CA$29 - $34/hr": the state code California, then dollars.
        start += 2
        currency = "USD" if currency == "CAD" else currency
    return PayMatch(start, end, text[start:end], minimum, maximum, currency, period)


def _amount_end(match: re.Match[str]) -> int:
    return max(match.end(g) for g in ("num1", "mult1", "suf1", "num2", "mult2", "suf2"))


# Every pay mention holds one of these; the full pattern only runs in windows around them,
# which is several times faster than scanning the whole posting with it.
_CURRENCY_HINT = re.compile(
    r"[$€£¥₹]|Rs|CHF|" + "|".join(_CODES) + r"|(?i:lpa|lakh|lac|euro|dollar|pound)"
)
# The same hints as two alternations of plain literals, which the regex engine skips through
# many times faster than the pattern above (the case-insensitive group defeats its prefilter).
_CASED_HINT = re.compile("|".join(re.escape(s) for s in ("$", "€", "£", "¥", "₹", "Rs", "CHF")))
_CODE_HINT = re.compile("|".join(_CODES))
_WORD_HINT = re.compile("lpa|lakh|lac|euro|dollar|pound")  # on lower-cased text
_BEFORE, _AFTER = 60, 80


def _hints(text: str) -> list[tuple[int, int]]:
    """The ``_CURRENCY_HINT`` matches of ``text`` as ``(start, end)``, found the fast way."""
    lower = text.lower()
    if len(lower) != len(text):  # lower-casing moved offsets ("İ"): take the slow way
        return [m.span() for m in _CURRENCY_HINT.finditer(text)]
    ranked = sorted(
        (m.start(), rank, m.end())
        for rank, (pattern, source) in enumerate(
            ((_CASED_HINT, text), (_CODE_HINT, text), (_WORD_HINT, lower))
        )
        for m in pattern.finditer(source)
    )
    hints: list[tuple[int, int]] = []
    for start, _, end in ranked:  # leftmost first, earlier alternative first, no overlaps
        if not hints or start >= hints[-1][1]:
            hints.append((start, end))
    return hints


def find_pay(text: str) -> list[PayMatch]:
    """Every pay mention in ``text``, in order, with spans into ``text``."""
    found: list[PayMatch] = []
    scanned = 0
    for hint_start, hint_end in _hints(text):
        if hint_end <= scanned:
            continue
        start = max(scanned, hint_start - _BEFORE)
        for match in _PAY.finditer(text, start, min(len(text), hint_end + _AFTER)):
            if match.end() < hint_start:
                continue
            scanned = max(scanned, match.end())
            if (pay := _to_match(match, text)) is not None:
                found.append(pay)
            if match.start() > hint_end:
                break
    return found


def parse_pay(text: str) -> PayMatch | None:
    """Parse one pay string ("$45/hr", "£35k-£40k"); None when it holds no pay."""
    found = find_pay(text)
    return found[0] if found else None
