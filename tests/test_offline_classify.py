"""Workplace, employment type and seniority from their word tables."""

from __future__ import annotations

import pytest

from extractor.offline.classify import find_employment_type, find_seniority, find_workplace
from extractor.offline.lines import Span


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("This role is fully remote.", "remote"),
        ("Hybrid (2 Tage Büro / 3 Tage Homeoffice)", "hybrid"),
        ("Remote or hybrid, your choice", "remote"),
        ("Zwei Tage Homeoffice nach der Einarbeitung", "hybrid"),
        ("Client office (on-site 5 days; no remote option)", "onsite"),
        ("Remote job: No\nTelework eligible: Yes", "hybrid"),
        ("Madrid · Jornada completa · Presencial", "onsite"),
        ("Télétravail complet possible", "remote"),
        ("All work is on-site at customer job sites", "onsite"),
        ("We build remote sensing satellites", None),
        ("No clue here", None),
    ],
)
def test_workplace(text: str, expected: str | None) -> None:
    found = find_workplace(text)
    assert (found[0] if found else None) == expected
    if found:
        assert text[found[1].start : found[1].end] == found[1].text


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        ("Machine Learning Engineer Intern", "Full-time", "internship"),
        (None, "join us for an internship in 2026", "internship"),
        (None, "CDI · Temps plein", "full_time"),
        (None, "Contrat : CDD de 3 mois", "temporary"),
        (None, "Vollzeit, unbefristet", "full_time"),
        (None, "Teilzeit 75 %", "part_time"),
        (None, "Tipo de empleo: Tiempo completo", "full_time"),
        (None, "This is a 6-month contract role", "contract"),
        (None, "You will review contract terms", None),
        (None, "at an early stage of growth", None),
        (None, "Offre de stage de 6 mois", "internship"),
        (None, "Helvetia Rück AG | Zürich | 100 % | Hybrid", "full_time"),
        (None, "401(k) with 100% match", None),
        (None, "Zürich | 80-100 % | Hybrid", None),
        (None, "Contract: 2-year fixed-term, renewable", "temporary"),
        (None, "B2B contract · 18 000 PLN net/month", "contract"),
        (None, "EJECUTIVO/A DE VENTAS B2B", None),
    ],
)
def test_employment_type(title: str | None, text: str, expected: str | None) -> None:
    span = Span(0, len(title), title) if title else None
    found = find_employment_type(text if span is None else title + "\n" + text, span)
    assert (found[0] if found else None) == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Machine Learning Engineer Intern (USDS)", "intern"),
        ("Senior Backend Engineer", "senior"),
        ("Junior Data Analyst", "entry"),
        ("Staff Software Engineer", "lead"),
        ("Senior Engineering Manager", "manager"),
        ("Director of Engineering", "director"),
        ("VP, Sales", "executive"),
        ("Softwareentwickler Backend (m/w/d)", None),
        ("HVAC Apprentice / Helper", "entry"),
        ("JOURNEYMAN ELECTRICIAN - COMMERCIAL", "mid"),
        ("Research Technician I (Part-Time, 20 hrs/week)", "entry"),
        ("Maintenance Technician II – 2nd Shift", "mid"),
        ("Front Office Supervisor", "lead"),
        ("Phase Investigator", None),
    ],
)
def test_seniority(title: str, expected: str | None) -> None:
    found = find_seniority(Span(0, len(title), title))
    assert (found[0] if found else None) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Wymiar: umowa zlecenie, kontrakt B2B", "contract"),
        ('"extent": "Heltid",', "full_time"),
        ("全职，大专及以上学历", "full_time"),
        ("Temps partiel, 24 h", "part_time"),
        # A fixed term decides over the schedule.
        ("Vollzeit, befristet für zunächst zwei Jahre", "temporary"),
        (
            "typeContratLibelle: Mission intérimaire - 3 Mois\ndureeTravail: Temps plein",
            "temporary",
        ),
        # The hours a week, when nothing names the type.
        ("Arbeitszeit: max. 4 Std. / Woche", "part_time"),
        ("working-time: 40 hours per week", "full_time"),
    ],
)
def test_employment_type_in_other_languages(text: str, expected: str) -> None:
    found = find_employment_type(text, None)
    assert found is not None and found[0] == expected
    assert text[found[1].start : found[1].end] == found[1].text
