"""The posting's head: title, company, team and locations from the lines above the sections."""

from __future__ import annotations

import pytest

from extractor.offline.employer import find_company, find_team
from extractor.offline.header import head_lines
from extractor.offline.lines import Span, split_lines
from extractor.offline.places import find_locations
from extractor.offline.title import find_title, is_head_fact


def _head(text: str) -> list[Span]:
    return head_lines(split_lines(text), [])


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("TRAVEL RN – Labor & Delivery – 13 weeks – Albuquerque, NM", "TRAVEL RN – Labor & Delivery"),
        ("[Contract] Senior React developer — 3 months, remote (EU time zones)", "Senior React developer"),
        ("DISHWASHER NEEDED - Joe's Diner, 1402 E 6th St, Austin TX", "DISHWASHER"),
        ("Barista (weekends) at Ferndale Coffee Roasters", "Barista (weekends)"),
        ("HVAC Apprentice / Helper — No Experience Necessary!", "HVAC Apprentice / Helper"),
        ("Enfermero/a UCI – Hospital Universitario Sierra Norte", "Enfermero/a UCI"),
        ("Litigation Paralegal – 6-Month Contract (possible extension)", "Litigation Paralegal – 6-Month Contract (possible extension)"),
        ("JOURNEYMAN ELECTRICIAN - COMMERCIAL", "JOURNEYMAN ELECTRICIAN - COMMERCIAL"),
        ("Sous Chef | Harbourside Dining Group | Sydney NSW", "Sous Chef"),
        ("Accueil > Offres d'emploi > Informatique > Paris\nDéveloppeur·se Full Stack (H/F)", "Développeur·se Full Stack (H/F)"),
        ("Welcome to our careers page", None),
        ("Greenfield Seeds B.V.\nField Agronomist – Potatoes", "Field Agronomist – Potatoes"),
        ("Now hiring: Early Childhood Educator – Infant/Toddler Program", "Early Childhood Educator – Infant/Toddler Program"),
        ("Jobs › Newsroom › Business Reporter\nBusiness Reporter (Markets Desk)", "Business Reporter (Markets Desk)"),
        ("Jobs / Poland / Kraków / Senior Level Designer\nEmber Forge Games\nSenior Level Designer", "Senior Level Designer"),
        ("Junior Property Claims Adjuster", "Junior Property Claims Adjuster"),
        ("Our checklist for a good day", None),
    ],
)  # fmt: skip
def test_find_title(text: str, title: str | None) -> None:
    found = find_title(_head(text))
    assert (found.title.text if found else None) == title
    if found:
        assert text[found.title.start : found.title.end] == found.title.text


@pytest.mark.parametrize(
    ("text", "fact"),
    [
        ("13 weeks", True),
        ("Albuquerque, NM", True),
        ("3 months, remote (EU time zones)", True),
        ("Joe's Diner, 1402 E 6th St, Austin TX", True),
        ("No Experience Necessary!", True),
        ("Hospital Universitario Sierra Norte", True),
        ("Labor & Delivery", False),
        ("6-Month Contract (possible extension)", False),
        ("Teilzeit 75 %", False),
        ("2nd Shift", False),
    ],
)
def test_is_head_fact(text: str, fact: bool) -> None:
    assert is_head_fact(text) is fact


@pytest.mark.parametrize(
    ("text", "company"),
    [
        ("HourlyHire\nShift Supervisor\nBrightway Pharmacy\nPart-time · In-store", "Brightway Pharmacy"),
        ("TikTok\nSan Jose, CA, USA\nMachine Learning Engineer Intern\n$45/hr", "TikTok"),
        ("Temporary Room Attendant\nSummit Staffing Solutions on behalf of a luxury resort", "Summit Staffing Solutions"),
        ("Postdoctoral Fellow\nDepartment of Neurobiology, Halstead University School of Medicine", "Halstead University"),
        ("Policy Analyst\nDepartment of Transportation\nFederal Highway Administration\nOffice of Safety", "Federal Highway Administration"),
        ("Senior React developer\nFintech client (Amsterdam), via Northbeam Consulting. €500/day", "Northbeam Consulting"),
        ("Enfermero/a UCI – Hospital Universitario Sierra Norte\nMadrid · Presencial", "Hospital Universitario Sierra Norte"),
        ("Accounting Manager\nFairmount Foods Inc. 4.1★\nChicago, IL 60607", "Fairmount Foods Inc."),
        ("HVAC Apprentice / Helper — No Experience Necessary!", None),
        ("Front-End Developer - React\nAcme Corp - Berlin", "Acme Corp"),
        ("GameDevJobs.eu\nEmber Forge Games\nSenior Level Designer\nB2B contract", "Ember Forge Games"),
        ("Greenfield Seeds B.V.\nField Agronomist\nEmmeloord, Flevoland (NL) | Full-time", "Greenfield Seeds B.V."),
    ],
)  # fmt: skip
def test_find_company(text: str, company: str | None) -> None:
    head = _head(text)
    found = find_company(head, find_title(head), text, [])
    assert (found.text if found else None) == company


@pytest.mark.parametrize(
    ("text", "team"),
    [
        ("Machine Learning Engineer Intern (Privacy and Data Protection Office)", "Privacy and Data Protection Office"),
        ("Litigation Paralegal (possible extension)", None),
        ("Financial Analyst (FP&A)", None),
        ("Policy Analyst\nDepartment of Transportation\nOffice of Safety", "Office of Safety"),
        ("Analyst\nOur Finance team is small.", "Finance"),
        ("Senior Backend Engineer, Payments Platform", "Payments Platform"),
        ("Engineering Manager, Mobile\nOur Mobile team of 7.", "Mobile"),  # Mobile is also a town
        ("Director, Legal (Commercial Contracts)", "Legal"),
        ("Customer Success Manager (APAC)\nOur APAC Customer Success team helps.", "APAC Customer Success"),
        ("Développeur (H/F)\nNotre équipe Produit compte 25 personnes.", "Produit"),
        ("Research Technician\nThe Alvarez Group studies drought tolerance.", "Alvarez Group"),
        ("Analyst, Level 2", None),
        ("Engineer\nYou will join our Line Maintenance department.", "Line Maintenance"),
        ("Analyst\nIt sits in our Revenue Management department and works with the sales team.", "Revenue Management"),
        ("Manager\nThe manager leads our 5-person general ledger team.", "general ledger team"),
        ("Planner\nYou will be part of the inbound planning team.", "inbound planning team"),
        ("Analyst\nInvestigate OOS results with the QA team", None),
        ("Supervisor\nYou lead the store team when the manager is out.", None),
        ("Cook\nJoin our growing team!", None),
        ("Coordinador\nBuscamos un Coordinador para nuestro equipo de Última Milla.", "Última Milla"),
        ("Sachbearbeiter (m/w/d)\nWir suchen Unterstützung im Team Personalverrechnung.", "Personalverrechnung"),
    ],
)  # fmt: skip
def test_find_team(text: str, team: str | None) -> None:
    head = _head(text)
    line = find_title(head)
    found = find_team(line.title if line else None, head, [], text)
    assert (found.text if found else None) == team


@pytest.mark.parametrize(
    ("text", "field", "places"),
    [
        ("Engineering Manager\nTrailmark · Seattle, WA; Austin, TX; New York, NY · Hybrid", None, ["Seattle, WA", "Austin, TX", "New York, NY"]),
        ("Director\nBoston, MA or Remote (US)", None, ["Boston, MA", "Remote (US)"]),
        ("Développeur (H/F)\nMaisonnette SAS – Paris 11e\nCDI · Temps plein", None, ["Paris 11e"]),
        ("TRAVEL RN – Labor & Delivery – 13 weeks – Albuquerque, NM", None, ["Albuquerque, NM"]),
        ("DISHWASHER NEEDED - Joe's Diner, 1402 E 6th St, Austin TX", None, ["1402 E 6th St, Austin TX"]),
        ("Analyst", "Coventry, Darlington, London, Manchester, Sheffield", ["Coventry", "Darlington", "London", "Manchester", "Sheffield"]),
        ("Analyst", "1 vacancy in the following location: Washington, DC", ["Washington, DC"]),
        ("Analyst", "Austin, TX — in office 4 days a week", ["Austin, TX"]),
        ("Analyst", "Singapore (Hybrid: office at One-North, 3 days/week)", ["Singapore"]),
        ("Teacher", "Maple Grove Elementary School, Oakridge, Oregon", ["Oakridge, Oregon"]),
        ("Analyst", "Chicago Loop office", []),
        ("Front-End Developer - React\nAcme Corp - Berlin", None, ["Berlin"]),
        ("Engineer", "Swords, Co. Dublin, Ireland", ["Swords, Co. Dublin, Ireland"]),
        ("Agronomist\nEmmeloord, Flevoland (NL) | Full-time", None, ["Emmeloord, Flevoland (NL)"]),
        ("Educator\n📍 3150 Commercial Drive, Vancouver, BC V5N 4E9", None,
         ["3150 Commercial Drive, Vancouver, BC V5N 4E9"]),
        ("Analyst\nAuckland CBD, Auckland", None, ["Auckland CBD, Auckland"]),
        ("Director\nRemote - United States | Full Time", None, ["Remote - United States"]),
        ("Business Reporter\nSingapore · Full-time\nSGD 4,500 – 6,000 / month", None, ["Singapore"]),
        ("Program Manager", "Nairobi, Kenya, with travel to Turkana and Marsabit (up to 40%)", ["Nairobi, Kenya"]),
    ],
)  # fmt: skip
def test_find_locations(text: str, field: str | None, places: list[str]) -> None:
    head = _head(text)
    line = find_title(head)
    span = None
    if field is not None:
        text = f"{text}\n{field}"
        span = Span(len(text) - len(field), len(text), field)
    skip, tail = (line.cell, line.tail) if line else (None, [])
    found = find_locations(head, skip, tail, span)
    assert [s.text for s, _ in found] == places
    for s, _ in found:
        assert text[s.start : s.end] == s.text


@pytest.mark.parametrize(
    ("value", "country", "expected"),
    [
        ("84 - SAULT", "France", [("84 - SAULT", "SAULT", None, "France")]),
        ("Remote", None, [("Remote", None, None, None)]),
        ("Iowa City, IA", None, [("Iowa City, IA", "Iowa City", "IA", "US")]),
        ("Linköping", "Sverige", [("Linköping", "Linköping", None, "SE")]),
    ],
)
def test_record_places(
    value: str, country: str | None, expected: list[tuple[str, str | None, str | None, str | None]]
) -> None:
    from extractor.offline.places import record_places

    found = record_places(Span(0, len(value), value), country)
    assert [(s.text, p.city, p.region, p.country) for s, p in found] == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Stellenausschreibung Wissenschaftliche Hilfskraft", "Wissenschaftliche Hilfskraft"),
        ("Vacature: Elektromonteur", "Elektromonteur"),
        ("Data Engineer - job post", "Data Engineer"),
        ("Analista de Dados - Vaga de Emprego", "Analista de Dados"),
        ("Job Coach", "Job Coach"),  # the whole title is never cut away
    ],
)
def test_board_boilerplate_is_cut_from_titles(title: str, expected: str) -> None:
    from extractor.offline.title import without_boilerplate

    span = without_boilerplate(Span(10, 10 + len(title), title))
    assert span.text == expected
    assert title[span.start - 10 : span.end - 10] == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Zelfstandig elektromonteur woningbouw (regio Zaanstad)", "Zelfstandig elektromonteur woningbouw"),
        ("Associate Data Analyst - Finance (m/f/d) - REMOTE", "Associate Data Analyst - Finance (m/f/d)"),
        ("Relationsfokuserad backendutvecklare till Per & Per", "Relationsfokuserad backendutvecklare"),
        ("Research Fellow (Neuroimaging)", "Research Fellow (Neuroimaging)"),
    ],
)  # fmt: skip
def test_places_clients_and_workplaces_are_cut_from_titles(title: str, expected: str) -> None:
    from extractor.offline.title import without_boilerplate

    assert without_boilerplate(Span(0, len(title), title)).text == expected


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("- Plaats: Zaandam, Nederland\n", ["Zaandam, Nederland"]),
        ("* Placering: Linköping\n", ["Linköping"]),
        ("Location | North London\n", ["North London"]),
        (
            "Ubicación: (Bolivia)\n- Ubicación: La Paz - Bolivia\n",
            ["(Bolivia)", "La Paz - Bolivia"],
        ),
        ("Location of the role is a secret\n", []),
    ],
)
def test_location_fields_in_any_language(text: str, values: list[str]) -> None:
    from extractor.offline.header import location_fields

    assert [v.text for v in location_fields(split_lines(text))] == values


@pytest.mark.parametrize(
    ("text", "places"),
    [
        ("Die Stelle ist am Standort Magdeburg zu besetzen.", ["Magdeburg"]),
        ("Our office is great.", []),
    ],
)
def test_placed_in(text: str, places: list[str]) -> None:
    from extractor.offline.places import placed_in

    assert [s.text for s, _ in placed_in(text)] == places


def test_listed_countries() -> None:
    from extractor.offline.places import listed_countries

    text = "Full-time - REMOTE* Austria, Bahrain, Denmark, United Kingdom and Spain. Apply."
    found = listed_countries(text)
    assert [(s.text, p.country) for s, p in found] == [
        ("Austria", "AT"), ("Bahrain", "BH"), ("Denmark", "DK"), ("United Kingdom", "GB"),
        ("Spain", "ES"),
    ]  # fmt: skip
    assert listed_countries("Python, Java, Go and Rust") == []


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        (
            "Wissenschaftliche Mitarbeiterin / Wissenschaftlicher Mitarbeiter (m/w/d) für den "
            "Forschungsbereich Künstliche Intelligenz/Machine Learning/IoT",
            "Wissenschaftliche Mitarbeiterin / Wissenschaftlicher Mitarbeiter (m/w/d)",
        ),
        ("Data Engineer", "Data Engineer"),
        ("x" * 130, None),  # no place to cut: no title rather than a run of text
    ],
)
def test_titles_are_at_most_120_characters(title: str, expected: str | None) -> None:
    from extractor.offline.title import short_title

    found = short_title(Span(0, len(title), title))
    assert (found.text if found else None) == expected
