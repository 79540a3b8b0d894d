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
        ("Why Desert Air", "benefits"),
        ("DAS BIETEN WIR", "benefits"),
        ("Benefits with Compass:", "benefits"),
        ("Desired Candidate Profile", "required"),
        ("What you'll own", "responsibilities"),
        ("Essential criteria:", "required"),
        ("Desirable criteria:", "preferred"),
        ("Nice to haves", "preferred"),
        ("Your day-to-day", "responsibilities"),
        ("Day to day you'll", "responsibilities"),
        ("Main activities", "responsibilities"),
        ("What we ask", "required"),
        ("Eligibility", "required"),
        ("You'll need", "required"),
        ("Assets", "preferred"),
        ("Good to have:", "preferred"),
        ("Rewards", "benefits"),
        ("Perks & Wellbeing", "benefits"),
        ("What we give you", "benefits"),
        ("In return", "benefits"),
        ("A typical day:", "responsibilities"),
        ("What your week looks like:", "responsibilities"),
        ("A day in the life", "responsibilities"),
        ("Package:", "benefits"),
        ("Salary package", "benefits"),
        ("Why join us?", "benefits"),
        ("What you bring", "required"),
        ("The ideal candidate", "required"),
        ("Must haves", "required"),
        ("A typical day begins at 7am and ends at 3pm.", None),
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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Benefits: medical, dental and vision; 401(k) with 4% match; unlimited PTO",
            {"benefits": ["medical, dental and vision", "401(k) with 4% match", "unlimited PTO"]},
        ),
        (
            "What we offer: 28 days' holiday, private medical insurance and full exam sponsorship.",
            {"benefits": ["28 days' holiday", "private medical insurance", "full exam sponsorship"]},
        ),
        (
            "Must have: React, TypeScript, 5+ yrs frontend. Nice: Storybook, Playwright.",
            {"required": ["React", "TypeScript", "5+ yrs frontend"], "preferred": ["Storybook", "Playwright"]},
        ),
        ("Key Skills: Spark, Hadoop, Hive", {}),
        ("Location: Berlin, Munich", {}),
        (
            "Requirements\n- BLS certification\n- Epic experience preferred\n"
            "- English; Thai is a plus\n- Notions d'anglais appréciées",
            {"required": ["BLS certification", "English; Thai is a plus"],
             "preferred": ["Epic experience preferred", "Notions d'anglais appréciées"]},
        ),
        ("The role\nLeading the team, you make every stay seamless.\n", {}),
        ("Qualifications\nA degree (2:2 or above) in a numerate subject.\n", {"required": ["A degree (2:2 or above) in a numerate subject."]}),
        ("Benefits\nA career with us has benefits. Review them online.\n", {}),
        (
            "Our perks\nExtended health, paid study days, and a staff discount.\nEmail your CV to a@b.ca\n",
            {"benefits": ["Extended health", "paid study days", "a staff discount"]},
        ),
        (
            "Your responsibilities include: investigating losses, interviewing witnesses and setting reserves.",
            {"responsibilities": ["investigating losses", "interviewing witnesses", "setting reserves"]},
        ),
        ("Nationality requirements: open to UK nationals, Irish nationals and others.", {}),
        (
            "Key responsibilities\n1. Delivery\n   - Lead projects\n   - Manage budgets\n"
            "2. Reporting\n   - Write donor reports\n",
            {"responsibilities": ["Lead projects", "Manage budgets", "Write donor reports"]},
        ),
        (
            "Must have | Nice to have\n5+ years in practice | Rhino and Grasshopper\n"
            "- Revit\t- V-Ray\nItalian at C1 level |\n| Passivhaus\nPerks:\n- Meal vouchers\n",
            {"required": ["5+ years in practice", "Revit", "Italian at C1 level"],
             "preferred": ["Rhino and Grasshopper", "V-Ray", "Passivhaus"],
             "benefits": ["Meal vouchers"]},
        ),
        ("Name | Role\nAna | Lead\n", {}),
        (
            "A typical day:\nPrepare theatre and recover patients\nPlace IV catheters\n\n"
            "Package:\n• Medical aid\n",
            {"responsibilities": ["Prepare theatre and recover patients", "Place IV catheters"],
             "benefits": ["Medical aid"]},
        ),
    ],
)  # fmt: skip
def test_run_in_lists_optional_items_and_plain_lines(
    text: str, expected: dict[str, list[str]]
) -> None:
    found = find_sections(split_lines(text))
    assert {k: [i.text for i in v] for k, v in found.items.items() if v} == expected
    for items in found.items.values():
        for item in items:
            assert text[item.start : item.end] == item.text


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Core job duties include:", "responsibilities"),
        ("Was du tun wirst:", "responsibilities"),
        ("Arbeitsaufgaben", "responsibilities"),
        ("【岗位职责】", "responsibilities"),
        ("Principales responsabilidades", "responsibilities"),
        ("Twój zakres obowiązków", "responsibilities"),
        ("**Responsibilities**", "responsibilities"),
        ("In this role, you'll be...", "responsibilities"),
        ("Wen wir suchen:", "required"),
        ("Qualifikationserfordernisse:", "required"),
        ("Vi söker dig som:", "required"),
        ("【资质要求】", "required"),
        ("Profil :", "required"),
        ("Det är meriterande om du:", "preferred"),
        ("Mile widziane", "preferred"),
        ("Bonus Points", "preferred"),
        ("#### Das wird geboten", "benefits"),
        ("Wat bieden wij", "benefits"),
        ("【福利待遇】", "benefits"),
        # Not headings: a sentence, a plain item holding a weak word, a long line.
        ("Responsible for the budget.", None),
        ("Strong communication skills", None),
        ("We build tools that our warehouse and styling teams use every single day", None),
    ],
)
def test_headings_by_their_words(line: str, kind: str | None) -> None:
    from extractor.offline.headings import keyword_kind

    assert keyword_kind(line) == kind


def test_items_on_the_line_after_a_lone_bullet_mark() -> None:
    text = "Nasze wymagania\n-\nLinux\n-\nBash\n\nO nas\nWe are a team."
    found = find_sections(split_lines(text))
    assert [i.text for i in found.items["required"]] == ["Linux", "Bash"]


def test_a_digest_stops_at_the_next_roles_duties() -> None:
    text = (
        "岗位职责：\n1、接听电话\n任职要求：\n1、大专学历\n"
        "岗位职责：\n1、负责推广\n任职要求：\n1、本科学历\n"
    )
    found = find_sections(split_lines(text))
    assert [i.text for i in found.items["responsibilities"]] == ["接听电话"]
    assert [i.text for i in found.items["required"]] == ["大专学历"]


@pytest.mark.parametrize(
    "item",
    [
        "Nivel de post-grado, preferiblemente.",
        "Conhecimento em SQL será um diferencial.",
        "Experience in sub arc welding advantageous.",
        "Vorteilhaft sind Erfahrungen im Projektmanagement",
    ],
)
def test_optional_words_anywhere_make_a_requirement_preferred(item: str) -> None:
    found = find_sections(split_lines(f"Requirements:\n- Python\n- {item}\n"))
    assert [i.text for i in found.items["preferred"]] == [item]
    assert [i.text for i in found.items["required"]] == ["Python"]


def test_hard_wrapped_bullets_are_one_item() -> None:
    text = "Was du tun wirst:\n\n* Erstellung neuer Testfälle unter\n  Berücksichtigung der\n  Anforderungsdefinitionen\n* Reporting der Ergebnisse\n"
    lines = split_lines(text)
    found = find_sections(lines, text, lambda line: text[line.start - 1] == " ")
    items = [" ".join(i.text.split()) for i in found.items["responsibilities"]]
    assert items == [
        "Erstellung neuer Testfälle unter Berücksichtigung der Anforderungsdefinitionen",
        "Reporting der Ergebnisse",
    ]
    assert found.items["required"] == []


def test_a_bulleted_sub_heading_opens_its_list() -> None:
    text = "Critères de recrutement :\n- Profil et expérience :\no Débutants acceptés\no Permis B\n"
    found = find_sections(split_lines(text))
    assert [i.text for i in found.items["required"]] == ["Débutants acceptés", "Permis B"]
