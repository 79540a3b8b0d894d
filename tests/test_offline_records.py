"""Fields a page states in its own syntax: front matter, JSON, JS objects, code strings."""

from __future__ import annotations

import pytest

from extractor.offline.lines import split_lines
from extractor.offline.records import find_record_facts, find_record_fields

FRONT_MATTER = "---\ntitle: Careers\nname: Welder\ncompany: Acme Ltd\nlocation: Leeds\n---\n"
JSON = '{\n  "job_title": "Boilermaker",\n  "company": "Acme",\n  "posted_at": "2026-02-23",\n}'
JS = (
    '{\n  intitule: "Cuisinier (h/f)",\n  pays: "France", lieuTravail: {\n'
    '    libelle: "84 - SAULT",\n  },\n  entreprise: {\n    nom: "GAEC X",\n  },\n}'
)
JAVA = '"    {\n" +\n"        \\"title\\": \\"Backend Developer\\",\n" +\n"    }\n"'


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (FRONT_MATTER, {"title": "Welder", "company": "Acme Ltd", "location": "Leeds"}),
        (JSON, {"title": "Boilermaker", "company": "Acme", "posted": "2026-02-23"}),
        (
            JS,
            {"title": "Cuisinier (h/f)", "company": "GAEC X", "location": "84 - SAULT",
             "country": "France"},
        ),
        ("title: \"Nurse\"\nclosing-date: 7.12.2020\n", {"title": "Nurse", "deadline": "7.12.2020"}),
        # A boolean or a number is not a value; a page's own name is not a title.
        ("jobtitle: false\ntitle: Jobs\n", {}),
        ("We need a welder: apply now", {}),
    ],
)  # fmt: skip
def test_record_facts(text: str, expected: dict[str, str]) -> None:
    facts = find_record_facts(split_lines(text))
    names = ("title", "company", "location", "country", "posted", "deadline")
    got = {n: span.text for n in names if (span := getattr(facts, n)) is not None}
    assert got == expected
    for span in filter(None, (getattr(facts, n) for n in names)):
        assert text[span.start : span.end] == span.text


def test_nested_keys_keep_their_path() -> None:
    fields = find_record_fields(split_lines(JS))
    assert ("entreprise.nom", "GAEC X") in [(f.path, f.value.text) for f in fields]


def test_code_string_keys_are_read() -> None:
    fields = find_record_fields(split_lines(JAVA.replace('\\n" +\n', "\n")))
    assert ("title", "Backend Developer") in [(f.path, f.value.text) for f in fields]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A headerless scraped row: index, title, company, then the quoted description.
        ('32,Jr. Data Analyst,Vallarta Supermarkets,"Title: Jr. Data Analyst | Asset', {
            "title": "Jr. Data Analyst", "company": "Vallarta Supermarkets"}),
        # A header row names the cells of the row below it.
        (",title,company,area,salary\n14,Clinical Scientist,NUH Trust,Nottingham,40671.0\n", {
            "title": "Clinical Scientist", "company": "NUH Trust", "location": "Nottingham"}),
        ("Welder, fitter, rigger\nWe build ships.\n", {}),
    ],
)  # fmt: skip
def test_csv_rows(text: str, expected: dict[str, str]) -> None:
    facts = find_record_facts(split_lines(text))
    got = {n: s.text for n in ("title", "company", "location") if (s := getattr(facts, n))}
    assert got == expected
    for span in filter(None, (facts.title, facts.company, facts.location)):
        assert text[span.start : span.end] == span.text


def test_template_calls_name_values() -> None:
    text = "@extends('layouts.base') @section('title','Care Assistant') @section('content')\nx"
    facts = find_record_facts(split_lines(text))
    assert facts.title is not None and facts.title.text == "Care Assistant"


def test_team_from_front_matter_but_not_the_sites_section() -> None:
    text = "---\ndepartment: jobs\ninstitute: Institut für Wasserwesen\n---\n"
    facts = find_record_facts(split_lines(text))
    assert facts.team is not None and facts.team.text == "Institut für Wasserwesen"
