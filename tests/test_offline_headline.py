"""The first title-shaped head line, when no head line holds a known job word."""

from __future__ import annotations

import pytest

from extractor.offline.headline import find_headline, names_several_roles
from extractor.offline.lines import split_lines


@pytest.mark.parametrize(
    ("text", "headline"),
    [
        ("Coordinador/a Territorial\n-\nPosición: Mando Intermedio\n", "Coordinador/a Territorial"),
        ("Shipping and Trim Floater\nTrim:\nGrinding parts.\n", "Shipping and Trim Floater"),
        # Page syntax, page names, fields, sentences and places are skipped.
        ('return "[\nVacatures\nOrt: Bremen\nShift Lead\n', "Shift Lead"),
        ("@section('content')\nWe build things.\nLeeds\n", None),
        (",title,company,area\n", None),
    ],
)
def test_find_headline(text: str, headline: str | None) -> None:
    found = find_headline(split_lines(text))
    assert (found.text if found else None) == headline


@pytest.mark.parametrize(
    ("text", "several"),
    [("SmarterDx | Remote (US only) | Multiple roles | https://x", True), ("Acme | Remote", False)],
)
def test_names_several_roles(text: str, several: bool) -> None:
    assert names_several_roles(split_lines(text)) is several
