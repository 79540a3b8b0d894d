"""extractor.cleaning.structured and structured_text: JSON-LD, microdata and Open Graph posting
data turned into readable text that every backend sees, with evidence pointing into it."""

from __future__ import annotations

from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from extractor.cleaning import clean
from extractor.cleaning.html import is_html
from extractor.cleaning.structured import read_page_data
from extractor.cleaning.structured_text import data_signals
from extractor.errors import InputError
from extractor.offline.backend import extract_posting
from tests.conftest import AS_OF, DATA

STRUCTURED = DATA / "structured"


def _source(name: str) -> str:
    return clean((STRUCTURED / name).read_bytes(), name=name).source


@pytest.mark.parametrize(
    ("name", "header"),
    [
        (
            "graph.html",
            "Title: Warehouse Associate & Forklift Driver\nCompany: Northwind Logistics\n"
            "Location: Leeds, West Yorkshire, United Kingdom\nSalary: 12.5 – 14 GBP per hour\n"
            "Posted: 2026-11-02\nValid through: 2026-12-15T23:59\n"
            "Employment type: Full-time, Temporary\n\nJoin our night shift team.\n\n"
            "Responsibilities\n\n- Load and unload trailers\n- Operate a counterbalance forklift\n",
        ),
        (
            "list.html",
            "Title: Backend Engineer\nCompany: Acme Cloud GmbH\n"
            "Location: Berlin, Germany / Hamburg, Germany / Remote (Germany)\n"
            "Salary: 70000 EUR per year\nPosted: 2026-11-20\nEmployment type: Full-time\n\n"
            "Benefits\n- 30 days of paid holiday\n- A yearly learning budget\n\nBackend Engineer\n",
        ),
        (
            "microdata.html",
            "Title: Staff Nurse (Night Shifts)\nCompany: St. Mary's Hospital\n"
            "Location: Dublin, Ireland\nPosted: 2026-11-10\nValid through: 2026-12-01\n"
            "Employment type: Part-time\n\nStaff Nurse (Night Shifts)\n",
        ),
        (
            "open_graph.html",
            "Title: Barista\n\nMake great coffee at our Lisbon café. Part-time, weekends.\n",
        ),
        (
            "broken.html",
            "Title: Line Cook\nCompany: Blue Door Bistro\n\n"
            "Prep and cook on the line.\nEvenings and weekends.\n",
        ),
    ],
)
def test_structured_data_becomes_the_head_of_the_source(name: str, header: str) -> None:
    assert _source(name).startswith(header)


def test_a_description_the_page_prints_is_not_added_twice() -> None:
    source = _source("list.html")
    assert source.count("We build the storage layer") == 1
    assert source.index("Benefits") < source.index("We build the storage layer")


def test_a_broken_block_is_skipped_with_a_warning() -> None:
    document = clean((STRUCTURED / "broken.html").read_bytes())
    assert document.warnings == ["skipped 1 JSON-LD block(s) that are not valid JSON"]
    assert "Broken" not in document.source


def test_a_page_with_only_broken_data_still_has_no_text() -> None:
    page = '<html><head><script type="application/ld+json">{"@type": </script></head></html>'
    with pytest.raises(InputError, match="no readable text"):
        clean(page)


def test_open_graph_is_only_a_fallback() -> None:
    page = (
        '<html><head><meta property="og:title" content="Barista - Lisbon - Café Azul">'
        "</head><body><h1>Barista</h1><p>Make coffee.</p></body></html>"
    )
    assert "Title:" not in clean(page).source


@pytest.mark.parametrize(
    ("markup", "titles"),
    [
        ('{"@type": "JobPosting", "title": "A"}', ["A"]),
        ('{"@type": "http://schema.org/JobPosting", "title": "A"}', ["A"]),
        ('{"@type": "schema:JobPosting", "title": "A"}', ["A"]),
        ('{"@type": "JobPostingList", "title": "A"}', []),
        ('{"@type": "WebPage", "mainEntity": {"@type": "JobPosting", "title": "A"}}', ["A"]),
        (
            '[{"@type": "JobPosting", "title": "A"}, {"@type": "JobPosting", "title": "B"}]',
            ["A", "B"],
        ),
        ('<![CDATA[ {"@type": "JobPosting", "title": "A"} ]]>', ["A"]),
        ('{"@type": "JobPosting", "title": "A",}', []),
    ],
)
def test_json_ld_postings_are_found_wherever_they_sit(markup: str, titles: list[str]) -> None:
    page = f'<html><head><script type="application/ld+json">{markup}</script></head></html>'
    found = read_page_data(LexborHTMLParser(page)).postings
    assert [p["title"] for p in found] == titles


def test_a_page_saved_inside_a_template_is_html_by_its_json_ld() -> None:
    page = "<?php defined('_JEXEC') or die; ?>\n" + "x\n" * 3000
    page += '<script type="application/ld+json">{"@type": "JobPosting", "title": "A"}</script>'
    assert is_html(page)
    assert clean(page).source.startswith("Title: A\n")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "graph.html",
            {
                "title": "Warehouse Associate & Forklift Driver",
                "company": "Northwind Logistics",
                "employment_type": "temporary",  # FULL_TIME + TEMPORARY: a fixed term wins
                "pay": {"min": 12.5, "max": 14.0, "currency": "GBP", "period": "hour"},
                "posted": "2026-11-02",
                "application_deadline": "2026-12-15",
                "country": "GB",
            },
        ),
        (
            "list.html",
            {
                "title": "Backend Engineer",
                "company": "Acme Cloud GmbH",
                "employment_type": "full_time",
                "pay": {"min": 70000.0, "max": 70000.0, "currency": "EUR", "period": "year"},
                "posted": "2026-11-20",
                "application_deadline": None,
                "country": "DE",
            },
        ),
        (
            "microdata.html",
            {
                "title": "Staff Nurse (Night Shifts)",
                "company": "St. Mary's Hospital",
                "employment_type": "part_time",
                "pay": None,
                "posted": "2026-11-10",
                "application_deadline": "2026-12-01",
                "country": "IE",
            },
        ),
    ],
)
def test_the_offline_backend_reads_the_structured_fields(
    name: str, expected: dict[str, object]
) -> None:
    document = clean((STRUCTURED / name).read_bytes(), name=name)
    result = extract_posting(document, as_of=AS_OF)
    data = result.data
    pay = data["pay"] and {k: data["pay"][k] for k in ("min", "max", "currency", "period")}
    dates = {k: data[k] and data[k]["date"].isoformat() for k in ("posted", "application_deadline")}
    got = {
        "title": data["title"],
        "company": data["company"],
        "employment_type": data["employment_type"],
        "pay": pay,
        **dates,
        "country": data["locations"][0]["country"] if data["locations"] else None,
    }
    assert got == expected
    assert result.evidence
    for evidence in result.evidence:
        assert document.source[evidence.start : evidence.end] == evidence.quote


def test_data_signals_quote_the_dated_values_alone() -> None:
    rendered = "Title: A\nPosted: 2026-11-02\nValid through: in two weeks\n"
    signals = data_signals(rendered)
    assert [(s.kind, s.text) for s in signals] == [
        ("posted", "2026-11-02"),
        ("deadline", "in two weeks"),
    ]
    assert all(rendered[s.start : s.end] == s.text for s in signals)


def test_a_plain_page_starting_with_posted_gets_no_data_signal() -> None:
    document = clean("Posted: 2026-11-02\nBarista wanted in Lisbon.\n")
    posted = [s for s in document.signals if s.kind == "posted"]
    assert [s.text for s in posted] != ["2026-11-02"]


def test_a_json_ld_only_real_page_is_no_longer_an_error() -> None:
    path: Path = DATA / "real" / "dev" / "r008.html"
    document = clean(path.read_bytes(), name=path.name)
    result = extract_posting(document, as_of=AS_OF)
    assert result.data["title"] == "Manager Ecosystem Integration & Certification (Human)"
    assert result.data["company"] == "Neura Robotics GmbH"
    assert result.data["application_deadline"]["date"].isoformat() == "2035-11-06"
    # the data's value as written, without the header's label (r008's gold, LABELS.md)
    assert result.data["posted"]["text"] == "2025-11-06T00:00:00+01:00"
    assert result.data["application_deadline"]["text"] == "2035-11-06T00:00:00+01:00"
    assert "- Technically integrate external partner hardware" in document.text
