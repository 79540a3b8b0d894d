"""Normalisation shared by both backends: fill the parts of a value that its text determines.

Shape-based, so it applies to any task: a nested object with ``text`` plus

- ``min``/``max``/``currency``/``period`` (pay): read with :func:`extractor.normalize.pay.parse_pay`;
  a salary-sized figure with no period is yearly (the offline backend's convention);
- ``date`` (a dated text): :func:`extractor.normalize.dates.parse_date`, relative dates resolved
  against ``as_of``;
- ``city``/``region``/``country`` (a place): :func:`extractor.normalize.locations.parse_location`.

Only empty parts are filled; what a backend gave is kept and then checked by grounding like any
other value. Annualised pay is the schema's computed field (hours per year documented in
:mod:`extractor.normalize.pay`).
"""

from __future__ import annotations

import contextlib
from datetime import date
from typing import Any

from extractor.normalize.codes import normalize_currency
from extractor.normalize.dates import parse_date
from extractor.normalize.locations import parse_location
from extractor.normalize.pay import parse_pay

SALARY_SIZED = 10_000

_PAY = {"min", "max", "currency", "period"}
_PLACE = {"city", "region", "country"}


def fill(data: dict[str, Any], *, as_of: date) -> dict[str, Any]:
    """``data`` with the empty parts of nested objects filled from their text (in place)."""
    for value in data.values():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict) and isinstance(item.get("text"), str):
                _fill_object(item, as_of)
    return data


def _fill_object(obj: dict[str, Any], as_of: date) -> None:
    text: str = obj["text"]
    keys = set(obj)
    if keys >= _PAY and any(obj[k] is None for k in _PAY):
        _fill_pay(obj, text)
    if "date" in keys and obj["date"] is None:
        day = parse_date(text, as_of=as_of) if len(text) <= 200 else None
        obj["date"] = day.isoformat() if day else None
    if keys >= _PLACE and all(obj[k] is None for k in _PLACE):
        place = parse_location(text)
        if place is not None:
            obj.update(city=place.city, region=place.region, country=place.country)


def _fill_pay(obj: dict[str, Any], text: str) -> None:
    match = parse_pay(text)
    if match is None:
        return
    if obj["min"] is None and obj["max"] is None:
        obj["min"], obj["max"] = match.min, match.max
    if obj["currency"] is None and match.currency:
        with contextlib.suppress(ValueError):
            obj["currency"] = normalize_currency(match.currency)
    if obj["period"] is None:
        high = max(obj["min"] or 0, obj["max"] or 0)
        obj["period"] = match.period or ("year" if high >= SALARY_SIZED else None)
