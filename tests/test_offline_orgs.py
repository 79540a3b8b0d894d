"""Organisation names the text spells out, and the company rules built on them."""

from __future__ import annotations

import pytest

from extractor.offline.employer import find_company, prefer_body
from extractor.offline.header import head_lines
from extractor.offline.lines import Span, split_lines
from extractor.offline.orgs import find_named_org


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Die Universität der Bundeswehr München sucht", "Universität der Bundeswehr München"),
        ("Hochschule Magdeburg-Stendal sucht", "Hochschule Magdeburg-Stendal"),
        ("W.D.T. Engineers Pty Ltd is a progressive", "W.D.T. Engineers Pty Ltd"),
        ("IT CONNECT Sp. z o.o. Sp.k.\nIT CONNECT to firma", "IT CONNECT Sp. z o.o. Sp.k."),
        ("at Wright Technologies Inc. we machine", "Wright Technologies Inc."),
        ("The Brain Dynamics Lab at Stanford University is", "Stanford University"),
        ("Werken bij Wiringa Technische Groothandel betekent", "Wiringa Technische Groothandel"),
        # The body's "working at X" wins a tie with a legal name.
        ("You'll love working at DiDi.\nDiDi Global Inc. is an equal", "DiDi"),
        ("HELP WANTED\n\nWright Technologies Inc.", "Wright Technologies Inc."),
        ("We use Python and Java.", None),
    ],
)
def test_find_named_org(text: str, name: str | None) -> None:
    found = find_named_org(text)
    assert (found.text if found else None) == name
    if found is not None:
        assert text[found.start : found.end] == found.text


def test_who_is_hiring_line_names_the_company_first() -> None:
    text = '"content": "SmarterDx | 150-250k+ | Remote (US only) | Multiple roles\nWe build AI.'
    lines = split_lines(text)
    found = find_company(head_lines(lines, []), None, text, [])
    assert found is not None and found.text == "SmarterDx"


@pytest.mark.parametrize(
    ("text", "stated", "company"),
    [
        # The record's company never recurs; the body names its employer twice.
        ('"company": "Globe Pty Ltd"\nW.D.T. Engineers Pty Ltd is hiring. Join W.D.T. '
         "Engineers Pty Ltd.", "Globe Pty Ltd", "W.D.T. Engineers Pty Ltd"),
        ('"company": "Acme"\nAcme Inc. is hiring. Acme builds.', "Acme", "Acme"),
    ],
)  # fmt: skip
def test_the_body_wins_over_a_record_company_it_never_names(
    text: str, stated: str, company: str
) -> None:
    start = text.index(stated)
    assert prefer_body(Span(start, start + len(stated), stated), text).text == company
