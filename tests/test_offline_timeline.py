"""Durations, start dates and expired notices."""

from __future__ import annotations

from datetime import date

import pytest

from extractor.document import Document, Signal
from extractor.offline.lines import Span
from extractor.offline.timeline import find_duration, find_expired, find_start_dates

AS_OF = date(2026, 11, 22)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Here you grow. It runs for 12 weeks.", "12 weeks"),
        ("commit to at least 3 months long internship period", "at least 3 months"),
        ("This is a 6-month contract.", "6-month"),
        ("Contrat : CDD de 3 mois, 35 h/semaine", "3 mois"),
        ("CDD 6 mois · Temps plein", "6 mois"),
        ("Durée : 15 jours", "15 jours"),
        ("Assignment length: 8 weeks", "8 weeks"),
        ("4+ years of experience", None),
        ("Paid 12 weeks of parental leave", None),
        ("Paralegal – 6-Month Contract\nContract length: 6 months", "6 months"),
        ("Contract: 2-year fixed-term, renewable", "2-year"),
        ("This is a 1-year contract with the option of a permanent role.", "1-year"),
    ],
)
def test_find_duration(text: str, expected: str | None) -> None:
    found = find_duration(text)
    assert (found.text if found else None) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Weekly gross: $2,450/week\nStart: 01/11/2027", [date(2027, 1, 11)]),
        ("Start: 01/11/2027, apply by 25/11/2026", [date(2027, 11, 1)]),
        ("Start: 01/11/2027", []),  # US or European order: unknown, so no date
        ("Arbeitsbeginn: 01.02.2027", [date(2027, 2, 1)]),
    ],
)
def test_start_dates_read_numbers_as_the_whole_text_does(text: str, expected: list[date]) -> None:
    assert [day for day, _ in find_start_dates(text, [], AS_OF)] == expected


def test_start_dates_from_list_and_keyword() -> None:
    text = "Start Dates:\n- May 18, 2026\n- June 1, 2026\nAnticipated start date: January 4, 2027"
    items = [Span(15, 27, "May 18, 2026"), Span(30, 42, "June 1, 2026")]
    found = find_start_dates(text, items, AS_OF)
    assert [day for day, _ in found] == [date(2026, 5, 18), date(2026, 6, 1), date(2027, 1, 4)]


@pytest.mark.parametrize(
    ("text", "expired"),
    [
        ("This job posting has expired and no longer accepting applications.", True),
        ("Diese Stelle ist leider nicht mehr verfügbar.", True),
        ("Applications will be reviewed on a rolling basis.", False),
    ],
)
def test_expired_phrase(text: str, expired: bool) -> None:
    _, phrase = find_expired(Document.plain(text))
    assert (phrase is not None) == expired


def test_expired_signal_wins() -> None:
    doc = Document.plain("Closed.\nBody")
    doc.signals.append(Signal("expired", "Closed.", 0, 7))
    signal, phrase = find_expired(doc)
    assert signal is not None and phrase is None


@pytest.mark.parametrize(
    ("text", "duration"),
    [
        ("Durée de ces chantiers: environ 2 mois,", "environ 2 mois"),
        ('typeContratLibelle: "CDD - 4 Mois",', "4 Mois"),
        ("Contract (12-months) • Outside IR35", "12-months"),
        ("working-time: Vollzeit, befristet für zunächst zwei Jahre", "zwei Jahre"),
        ("- Duración del contrato: 12 meses (con posibilidad de renovación)", "12 meses"),
        ('\\"varaktighet\\": \\"6 månader eller längre\\"', "6 månader eller längre"),
        ("Durée : plusieurs mois à prévoir", "plusieurs mois"),
        ("◦계약기간 : 1년(최초 1년 계약 후)", "1년"),
        ("Experience: 3 years", None),
    ],
)
def test_durations_in_other_languages(text: str, duration: str | None) -> None:
    found = find_duration(text)
    assert (found.text if found else None) == duration
