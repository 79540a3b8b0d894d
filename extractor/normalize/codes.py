"""ISO codes: currencies (4217), countries (3166-1 alpha-2) and languages (639-1).

Each ``normalize_*`` returns the canonical code or raises ``ValueError`` with a message the model
(or a user) can act on. Lookups are cached: pycountry's first lookup builds its indexes.
"""

from __future__ import annotations

from functools import cache, lru_cache

import pycountry

CURRENCY_SYMBOLS: dict[str, str] = {
    "$": "USD",
    "US$": "USD",
    "USD$": "USD",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "₹": "INR",
    "₩": "KRW",
    "₽": "RUB",
    "₺": "TRY",
    "₪": "ILS",
    "₱": "PHP",
    "₫": "VND",
    "฿": "THB",
    "R$": "BRL",
    "C$": "CAD",
    "CA$": "CAD",
    "A$": "AUD",
    "AU$": "AUD",
    "NZ$": "NZD",
    "S$": "SGD",
    "HK$": "HKD",
    "CHF": "CHF",
    "zł": "PLN",
    "kr": "SEK",
    "Rs": "INR",
}

COUNTRY_ALIASES: dict[str, str] = {
    "usa": "US",
    "u.s.": "US",
    "u.s.a.": "US",
    "us": "US",
    "united states": "US",
    "united states of america": "US",
    "uk": "GB",
    "u.k.": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "great britain": "GB",
    "united kingdom": "GB",
    "deutschland": "DE",
    "españa": "ES",
    "schweiz": "CH",
    "suisse": "CH",
    "россия": "RU",
    "south korea": "KR",
    "korea": "KR",
    "russia": "RU",
    "vietnam": "VN",
    "taiwan": "TW",
    "uae": "AE",
}


@lru_cache(maxsize=4096)
def normalize_currency(value: str) -> str:
    """Return the ISO 4217 code for a code or a common symbol ("$" -> "USD")."""
    text = value.strip()
    if text in CURRENCY_SYMBOLS:
        return CURRENCY_SYMBOLS[text]
    code = text.upper()
    if len(code) == 3 and pycountry.currencies.get(alpha_3=code) is not None:
        return code
    raise ValueError(f"currency must be an ISO 4217 code such as USD, EUR or GBP, not {text!r}")


@lru_cache(maxsize=4096)
def normalize_country(value: str) -> str:
    """Return the ISO 3166-1 alpha-2 code for a code, alpha-3 code or English name."""
    text = value.strip()
    alias = COUNTRY_ALIASES.get(text.lower())
    if alias:
        return alias
    upper = text.upper()
    if len(upper) == 2 and pycountry.countries.get(alpha_2=upper) is not None:
        return upper
    if len(upper) == 3 and (country := pycountry.countries.get(alpha_3=upper)) is not None:
        return str(country.alpha_2)
    try:
        if text.lower() not in _country_keys():  # a miss would scan every country
            raise LookupError(text)
        found = pycountry.countries.lookup(text)
    except LookupError:
        raise ValueError(
            f"country must be an ISO 3166-1 alpha-2 code such as US, GB or DE, not {text!r}"
        ) from None
    return str(found.alpha_2)


@cache
def _country_keys() -> frozenset[str]:
    """Every code and name ``pycountry.countries.lookup`` accepts, lower-cased."""
    fields = ("alpha_2", "alpha_3", "numeric", "name", "official_name", "common_name", "flag")
    return frozenset(
        str(value).lower()
        for country in pycountry.countries
        for value in (getattr(country, name, None) for name in fields)
        if value is not None
    )


@lru_cache(maxsize=1024)
def normalize_language(value: str) -> str:
    """Return the ISO 639-1 code for a code or an English language name ("German" -> "de")."""
    text = value.strip()
    lower = text.lower()
    if len(lower) == 2 and pycountry.languages.get(alpha_2=lower) is not None:
        return lower
    try:
        found = pycountry.languages.lookup(text)
    except LookupError:
        found = None
    code = getattr(found, "alpha_2", None)
    if not code:
        raise ValueError(f"language must be an ISO 639-1 code such as en, de or fr, not {text!r}")
    return str(code)
