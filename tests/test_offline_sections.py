"""Section headers in four languages and the bullet items under them."""

from __future__ import annotations

import pytest

from extractor.offline.lines import split_lines
from extractor.offline.sections import find_sections, header_kind


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Responsibilities:", "responsibilities"),
        ("What you'll do", "responsibilities"),
        ("Depending on the team, you can expect to:", "responsibilities"),
        ("Minimum Qualifications:", "required"),
        ("Qualifications", "required"),
        ("Preferred Qualifications:", "preferred"),
        ("Nice to have", "preferred"),
        ("Benefits", "benefits"),
        ("Summer Start Dates:", "start_dates"),
        ("About the team", "team"),
        ("Ihre Aufgaben", "responsibilities"),
        ("Das bringst du mit", "required"),
        ("Ihr Profil", "required"),
        ("Wünschenswert", "preferred"),
        ("Wir bieten", "benefits"),
        ("Vos missions :", "responsibilities"),
        ("Votre profil", "required"),
        ("Ce que nous offrons", "benefits"),
        ("Responsabilidades", "responsibilities"),
        ("Requisitos", "required"),
        ("Se valorará", "preferred"),
        ("Ofrecemos", "benefits"),
        ("About us", "other"),
        ("Build scalable systems for millions of users.", None),
        ("- Responsibilities", None),
    ],
)
def test_header_kind(line: str, kind: str | None) -> None:
    assert header_kind(line) == kind


POSTING = """Engineer
Responsibilities:
The role in one line that introduces the list.
• Build things
- Fix things
* Ship things
1. Measure things
2) Report things
Afterwards a paragraph that is not part of the list.
Requirements
Python
SQL
Benefits:
By submitting an application you agree to our policy.
"""


@pytest.mark.parametrize(
    ("kind", "items"),
    [
        (
            "responsibilities",
            ["Build things", "Fix things", "Ship things", "Measure things", "Report things"],
        ),
        ("required", ["Python", "SQL"]),
        ("benefits", []),
        ("preferred", []),
    ],
)
def test_items_per_section(kind: str, items: list[str]) -> None:
    found = find_sections(split_lines(POSTING))
    assert [item.text for item in found.items[kind]] == items
    for item in found.items[kind]:
        assert POSTING[item.start : item.end] == item.text
