"""Grounding: a value is supported only by text that contains it (or the text it was normalised
from); what has no evidence is dropped, kept or fails, and evidence paths follow the drops."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from extractor.evidence import Candidate, fill, ground, settle
from extractor.evidence.paths import reindex, remove
from extractor.tasks import load_task

AS_OF = date(2026, 11, 22)
SOURCE = """Machine Learning Engineer Intern (BS/MS) 🙂
Acme Café GmbH – Zürich, Schweiz · 東京オフィス
Austin, TX
Pay: $45/hr. Salary band £35k-£40k
Posted 99 days ago
This is not a remote role. Hybrid: 2 days in the office.
Start date: May 18, 2026
Skills: Python, SQL, C++ and EKGs
We use the English language here and you will be in the team."""


@pytest.mark.parametrize(
    ("path", "value", "quote", "supported"),
    [
        ("title", "Machine Learning Engineer Intern (BS/MS)", None, True),
        ("title", "Staff Quantum Engineer", "Machine Learning Engineer Intern (BS/MS)", False),
        ("company", "Acme Café GmbH", "Acme Café GmbH – Zürich", True),
        ("skills", ["Python", "C++", "EKG"], None, True),
        (
            "skills",
            ["Kubernetes"],
            "Skills: Python, SQL, C++ and EKGs",
            False,
        ),  # real quote, made-up value
        ("skills", ["Pyth"], None, False),  # never inside a word
        ("employment_type", "internship", None, True),  # from "Intern"
        ("employment_type", "part_time", "Machine Learning Engineer Intern (BS/MS)", False),
        ("seniority", "intern", None, True),
        ("seniority", "executive", None, False),
        ("workplace", "hybrid", None, True),
        ("workplace", "remote", "This is not a remote role.", False),  # negated
        ("degree_levels", ["bachelor", "master"], None, True),  # "BS/MS"
        ("degree_levels", ["phd"], "Machine Learning Engineer Intern (BS/MS)", False),
        ("start_dates", ["2026-05-18"], "Start date: May 18, 2026", True),
        ("start_dates", ["2027-03-14"], "Start date: May 18, 2026", False),
        ("language", "en", None, True),  # from the text as a whole
        ("language", "fr", None, False),
        ("is_expired", True, None, False),
        ("contact_emails", ["jobs@fabricated.example"], None, False),
    ],
)
def test_values_need_text_that_contains_them(
    path: str, value: Any, quote: str | None, supported: bool
) -> None:
    candidates = []
    if quote is not None:
        start = SOURCE.index(quote)
        candidates.append(Candidate(path, start, start + len(quote), "exact"))
    found = ground(SOURCE, {path: value}, candidates, as_of=AS_OF)
    assert (not found.unsupported) is supported, found.unsupported
    for e in found.evidence:
        assert SOURCE[e.start : e.end] == e.quote


def _pay(text: str, **parts: Any) -> dict[str, Any]:
    return {
        "pay": {"text": text, "min": None, "max": None, "currency": None, "period": None, **parts}
    }


@pytest.mark.parametrize(
    ("data", "unsupported"),
    [
        (_pay("$45/hr", min=45, max=45, currency="USD", period="hour"), []),
        (_pay("$45/hr", min=45, max=61.65, currency="USD", period="hour"), ["pay.max"]),
        (_pay("$45/hr", min=45, max=45, currency="CAD", period="hour"), ["pay.currency"]),
        (_pay("$45/hr", min=45, max=45, currency="USD", period="year"), ["pay.period"]),
        (
            _pay("£35k-£40k", min=35000, max=40000, currency="GBP", period="year"),
            [],
        ),  # salary-sized
        (_pay("$98,765 per year", min=98765, currency="USD"), ["pay"]),  # children go with it
        (
            {"posted": {"text": "Posted 99 days ago", "date": "2026-08-15"}},
            [],
        ),  # an ISO date from a relative one and as_of
        ({"posted": {"text": "Posted 99 days ago", "date": "2024-08-15"}}, ["posted.date"]),
        (
            {
                "locations": [
                    {"text": "Austin, TX", "city": "Austin", "region": "TX", "country": "US"}
                ]
            },
            [],
        ),
        (
            {
                "locations": [
                    {"text": "Austin, TX", "city": "Austin", "region": "TX", "country": "FR"}
                ]
            },
            ["locations[0].country"],
        ),
        (
            {
                "locations": [
                    {"text": "Zürich, Schweiz", "city": "Zürich", "region": None, "country": "CH"}
                ]
            },
            [],
        ),
    ],
)
def test_derived_values_are_checked_against_their_text(
    data: dict[str, Any], unsupported: list[str]
) -> None:
    found = ground(SOURCE, data, [], as_of=AS_OF)
    assert [u.path for u in found.unsupported] == unsupported


def test_offsets_are_code_points_on_non_ascii_text() -> None:
    data = {
        "company": "Acme Café GmbH",
        "team": "東京オフィス",
        "title": "Machine Learning Engineer Intern (BS/MS) 🙂",
    }
    found = ground(SOURCE, data, [], as_of=AS_OF)
    assert not found.unsupported
    for e in found.evidence:
        assert SOURCE[e.start : e.end] == e.quote
    by_path = {e.path: e for e in found.evidence}
    assert by_path["team"].start == SOURCE.index("東京")
    assert by_path["team"].quote == "東京オフィス"


SCHEMA = load_task().schema
RECORD = {
    "title": "Machine Learning Engineer Intern (BS/MS)",
    "skills": ["Kubernetes", "Python", "COBOL", "SQL"],
    "locations": [
        {"text": "Reykjavik, Iceland", "city": "Reykjavik", "region": None, "country": "IS"},
        {"text": "Austin, TX", "city": "Austin", "region": "TX", "country": "US"},
    ],
}


def _record() -> dict[str, Any]:
    return SCHEMA.model_validate(RECORD).model_dump(mode="json", exclude_computed_fields=True)


def test_settle_drops_and_reindexes_evidence() -> None:
    data = _record()
    found = ground(SOURCE, data, [], as_of=AS_OF)
    assert sorted(u.path for u in found.unsupported) == ["locations[0]", "skills[0]", "skills[2]"]
    model, evidence, report = settle(SCHEMA, data, found)
    dumped = model.model_dump()
    assert dumped["skills"] == ["Python", "SQL"]
    assert [loc["text"] for loc in dumped["locations"]] == ["Austin, TX"]
    paths = {e.path: e.quote for e in evidence}
    assert paths["skills[0]"] == "Python" and paths["skills[1]"] == "SQL"
    assert paths["locations[0]"] == "Austin, TX" and "locations[0].country" in paths
    assert all(item.dropped for item in report)


def test_settle_keeps_flagged_values_when_asked() -> None:
    data = _record()
    found = ground(SOURCE, data, [], as_of=AS_OF)
    model, _evidence, report = settle(SCHEMA, data, found, keep=True)
    assert model.model_dump()["skills"] == RECORD["skills"]
    assert {r.path for r in report} == {"skills[0]", "skills[2]", "locations[0]"}
    assert not any(r.dropped for r in report)


@pytest.mark.parametrize(
    ("path", "removed", "expected"),
    [
        ("skills[3]", {"skills[0]", "skills[2]"}, "skills[1]"),
        ("skills[2]", {"skills[2]"}, None),
        ("locations[1].city", {"locations[0]"}, "locations[0].city"),
        ("title", {"skills[0]"}, "title"),
    ],
)
def test_reindex(path: str, removed: set[str], expected: str | None) -> None:
    assert reindex(path, removed) == expected


def test_remove_sets_scalars_to_null_and_deletes_items() -> None:
    data = {"pay": {"text": "x", "min": 1}, "skills": ["a", "b", "c"]}
    assert remove(data, ["pay.min", "skills[0]", "skills[2]"]) == {
        "pay": {"text": "x", "min": None},
        "skills": ["b"],
    }


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (
            _pay("$45/hr"),
            _pay("$45/hr", min=45.0, max=45.0, currency="USD", period="hour"),
        ),
        (
            _pay("£35k-£40k"),
            _pay("£35k-£40k", min=35000.0, max=40000.0, currency="GBP", period="year"),
        ),
        (
            _pay("$45/hr", min=50, max=50, currency="USD", period="hour"),
            _pay("$45/hr", min=50, max=50, currency="USD", period="hour"),
        ),  # what a backend gave is kept (and then checked)
        (
            {"posted": {"text": "Posted 99 days ago", "date": None}},
            {"posted": {"text": "Posted 99 days ago", "date": "2026-08-15"}},
        ),
        (
            {"locations": [{"text": "Austin, TX", "city": None, "region": None, "country": None}]},
            {
                "locations": [
                    {"text": "Austin, TX", "city": "Austin", "region": "TX", "country": "US"}
                ]
            },
        ),
    ],
)
def test_fill_normalises_parts_from_their_text(
    before: dict[str, Any], after: dict[str, Any]
) -> None:
    assert fill(before, as_of=AS_OF) == after
