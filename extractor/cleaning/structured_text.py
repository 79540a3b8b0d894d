"""A page's structured posting data (``structured``) rendered as readable text for every backend.

The text is a header of labelled lines, then the posting's text parts::

    Title: Manager Ecosystem Integration & Certification (Human)
    Company: Neura Robotics GmbH
    Location: Metzingen, DE
    Salary: 8000 – 13000 PLN per month
    Posted: 2025-11-06T00:00:00+01:00
    Valid through: 2035-11-06T00:00:00+01:00
    Employment type: Full-time

    <the description, its HTML rendered as text>

    Responsibilities / Qualifications / Skills / Benefits
    - <items of the matching schema.org properties>

Values are as the data writes them (entities decoded, spaces squashed); only schema.org codes
become words (``FULL_TIME`` -> "Full-time", ``unitText: MONTH`` -> "per month",
``jobLocationType: TELECOMMUTE`` -> "Remote"). A text part the page's own text already shows is
left out, so a page that prints its description does not get it twice; the header is always
kept. When the page has neither JSON-LD nor microdata and no text of its own, its Open Graph
title and description are used. ``data_signals`` marks the header's posted and deadline values
(without our label) as page signals, so a backend quotes "2025-11-06T00:00:00+01:00", not
"Posted: 2025-11-06".
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any

import pycountry

from extractor.cleaning.html import html_to_text
from extractor.cleaning.structured import PageData
from extractor.document import Signal, SignalKind

__all__ = ["data_signals", "render_page_data"]

_EMPLOYMENT = {
    "FULL_TIME": "Full-time",
    "PART_TIME": "Part-time",
    "CONTRACTOR": "Contract",
    "TEMPORARY": "Temporary",
    "INTERN": "Internship",
    "VOLUNTEER": "Volunteer",
    "PER_DIEM": "Per diem",
}
_UNITS = {"HOUR": "hour", "DAY": "day", "WEEK": "week", "MONTH": "month", "YEAR": "year"}
_SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Responsibilities", ("responsibilities",)),
    ("Qualifications", ("qualifications", "experienceRequirements", "educationRequirements")),
    ("Skills", ("skills",)),
    ("Benefits", ("jobBenefits", "incentiveCompensation")),
)
_TAG = re.compile(r"<[a-zA-Z][^>]*>")
_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"\w+")
_CODE = re.compile(r"[A-Z]{2,3}")
_DATED_LINE = re.compile(r"^(Posted|Valid through): (.+)$", re.MULTILINE)
_PROBE_CHARS = 60


def render_page_data(data: PageData, page_text: str) -> str:
    """Readable text for ``data`` (empty when there is none); ``page_text`` is the page's own."""
    seen = _words(page_text)
    blocks: list[str] = []
    for posting in data.postings:
        header = "\n".join(f"{label}: {value}" for label, value in _header(posting) if value)
        parts = [part for part in _parts(posting) if not _shown(part, seen)]
        blocks.extend(block for block in (header, *parts) if block.strip())
    if not blocks and not page_text.strip() and data.open_graph:
        title = _line(data.open_graph.get("title"))
        blocks += [f"Title: {title}" if title else "", _rich(data.open_graph.get("description"))]
    text = "\n\n".join(block.strip() for block in blocks if block.strip())
    return f"{text}\n" if text else ""


def data_signals(rendered: str) -> list[Signal]:
    """Posted and deadline signals for the header values in ``rendered`` (the value alone: the
    label is ours, not the page's), put before the cleaner's own signals so they are read first."""
    signals: list[Signal] = []
    for match in _DATED_LINE.finditer(rendered):
        kind: SignalKind = "posted" if match.group(1) == "Posted" else "deadline"
        signals.append(Signal(kind, match.group(2), match.start(2), match.end(2)))
    return signals


def _header(posting: dict[str, Any]) -> Iterator[tuple[str, str]]:
    yield "Title", _line(posting.get("title"))
    yield "Company", _name(posting.get("hiringOrganization"))
    yield "Location", " / ".join(_locations(posting))
    yield "Salary", _salary(posting.get("baseSalary") or posting.get("estimatedSalary"))
    yield "Posted", _line(posting.get("datePosted"))
    yield "Valid through", _line(posting.get("validThrough"))
    kinds = [
        _EMPLOYMENT.get(_line(k).upper(), _line(k)) for k in _as_list(posting.get("employmentType"))
    ]
    yield "Employment type", ", ".join(k for k in kinds if k and k.upper() != "OTHER")


def _parts(posting: dict[str, Any]) -> Iterator[str]:
    yield _rich(posting.get("description"))
    for heading, names in _SECTIONS:
        items = [item for name in names for item in _as_list(posting.get(name))]
        texts = [text for text in (_rich(_name(i) or i) for i in items) if text]
        if len(texts) == 1:
            yield f"{heading}\n{texts[0]}"
        elif texts:
            yield heading + "".join(f"\n- {_line(text)}" for text in texts)


def _locations(posting: dict[str, Any]) -> Iterator[str]:
    for place in _as_list(posting.get("jobLocation")):
        if isinstance(place, dict):
            text = _line(place.get("name")) or _address(place.get("address") or place)
        else:
            text = _line(place)
        if text:
            yield text
    if "TELECOMMUTE" in (_line(k).upper() for k in _as_list(posting.get("jobLocationType"))):
        where = [_name(r) for r in _as_list(posting.get("applicantLocationRequirements"))]
        names = ", ".join(w for w in where if w)
        yield f"Remote ({names})" if names else "Remote"


def _address(address: Any) -> str:
    """Locality, region and country as written; a country code ("DE") becomes the country's
    name, as a reader would see it (left as a code it would read as a US state)."""
    if not isinstance(address, dict):
        return _line(address)
    parts = [
        _line(address.get("addressLocality")),
        _line(address.get("addressRegion")),
        _country(_name(address.get("addressCountry"))),
    ]
    unique = [p for i, p in enumerate(parts) if p and p not in parts[:i]]
    return ", ".join(unique)


def _country(text: str) -> str:
    if not _CODE.fullmatch(text):
        return text
    found = pycountry.countries.get(alpha_2=text) if len(text) == 2 else None
    found = found or pycountry.countries.get(alpha_3=text)
    return str(getattr(found, "common_name", None) or found.name) if found else text


def _salary(value: Any) -> str:
    value = next((v for v in _as_list(value) if v not in (None, "")), None)
    if not isinstance(value, dict):
        return _line(value)
    inner = value.get("value")
    amount = inner if isinstance(inner, dict) else {}
    low = _number(amount.get("minValue", value.get("minValue")))
    high = _number(amount.get("maxValue", value.get("maxValue")))
    single = _number(amount.get("value", None if amount else inner))
    figure = f"{low} – {high}" if low and high and low != high else low or high or single
    if not figure:
        return ""
    currency = _line(value.get("currency") or value.get("salaryCurrency"))
    unit = _UNITS.get(_line(amount.get("unitText") or value.get("unitText")).upper())
    return " ".join(part for part in (figure, currency, f"per {unit}" if unit else "") if part)


def _number(value: Any) -> str:
    if isinstance(value, bool):
        return ""
    if isinstance(value, int | float):
        return str(int(value)) if float(value).is_integer() else str(value)
    text = _line(value)
    return text if re.fullmatch(r"\d[\d.,\s]*", text) else ""


def _name(value: Any) -> str:
    if isinstance(value, dict):
        return _line(value.get("name") or value.get("credentialCategory"))
    if isinstance(value, list):
        return next((n for n in map(_name, value) if n), "")
    return _line(value)


def _rich(value: Any) -> str:
    """A text property (HTML or plain, JSON ``\\n`` escapes left in it decoded) as text."""
    if not isinstance(value, str) or not value.strip():
        return ""
    text = value.replace("\\r\\n", "\n").replace("\\n", "\n").replace("\\t", " ")
    if _TAG.search(text):
        return html_to_text(text).strip()
    lines = (_SPACES.sub(" ", line).strip() for line in html.unescape(text).splitlines())
    return "\n".join(line for line in lines if line)


def _line(value: Any) -> str:
    if isinstance(value, bool) or value is None or isinstance(value, dict | list):
        return ""
    return _SPACES.sub(" ", html.unescape(str(value))).strip()


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _words(text: str) -> str:
    """The words of ``text``, case-folded, one space apart (list marks and commas dropped)."""
    return " ".join(_WORD.findall(text.casefold()))


def _shown(part: str, seen: str) -> bool:
    """Whether the page's words (``seen``) already hold ``part``, probed by the first words of
    its first long line: a description the page prints, or a list the data joins with commas."""
    lines = [line for line in part.splitlines() if len(line) >= 20]
    probe = _words(lines[0] if lines else part)[:_PROBE_CHARS].rsplit(" ", 1)[0]
    return bool(probe) and f" {probe} " in f" {seen} "
