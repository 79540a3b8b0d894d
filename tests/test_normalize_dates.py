"""Dates: parsing absolute and relative dates, and finding posted dates and deadlines."""

from __future__ import annotations

from datetime import date

import pytest

from extractor.normalize.dates import find_dates, find_deadline, find_posted, parse_date

AS_OF = date(2026, 3, 20)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sep 15, 2025", date(2025, 9, 15)),
        ("Sept. 15, 2025", date(2025, 9, 15)),
        ("May 18th, 2026", date(2026, 5, 18)),
        ("June 22nd, 2026", date(2026, 6, 22)),
        ("15.09.2025", date(2025, 9, 15)),
        ("15.09.25", date(2025, 9, 15)),
        ("15 septembre 2025", date(2025, 9, 15)),
        ("1er juin 2026", date(2026, 6, 1)),
        ("1. Juni 2026", date(2026, 6, 1)),
        ("3. März 2026", date(2026, 3, 3)),
        ("15 de septiembre de 2025", date(2025, 9, 15)),
        ("2026-06-01", date(2026, 6, 1)),
        ("25/06/2026", date(2026, 6, 25)),
        ("06/25/2026", date(2026, 6, 25)),
        ("Monday, 15 September 2025", date(2025, 9, 15)),
        ("the 3rd of March 2026", date(2026, 3, 3)),
        ("Posted 99 days ago", date(2025, 12, 11)),
        ("14 hours ago", date(2026, 3, 20)),
        ("30 hours ago", date(2026, 3, 19)),
        ("2 weeks ago", date(2026, 3, 6)),
        ("a month ago", date(2026, 2, 18)),
        ("an hour ago", date(2026, 3, 20)),
        ("yesterday", date(2026, 3, 19)),
        ("today", date(2026, 3, 20)),
        ("vor 3 Tagen", date(2026, 3, 17)),
        ("vor einem Monat", date(2026, 2, 18)),
        ("il y a 2 jours", date(2026, 3, 18)),
        ("il y a une semaine", date(2026, 3, 13)),
        ("hace 5 días", date(2026, 3, 15)),
        ("Hace 1 semana", date(2026, 3, 13)),
        ("30+ days ago", None),
        ("05/06/2026", None),
        ("31.02.2026", None),
        ("Sep 15", None),
        ("next friday", None),
        ("12 weeks", None),
        ("Summer 2026", None),
        ("", None),
    ],
)
def test_parse_date(text: str, expected: date | None) -> None:
    assert parse_date(text, as_of=AS_OF) == expected


def test_parse_date_uses_languages_for_slashes() -> None:
    assert parse_date("05/06/2026", as_of=AS_OF, languages=["en"]) == date(2026, 5, 6)


def test_parse_date_falls_back_to_dateparser() -> None:
    assert parse_date("2025/09/15", as_of=AS_OF) == date(2025, 9, 15)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Summer Start Dates:\n  • May 18, 2026\n  • June 1, 2026\n  • June 15, 2026",
            [("May 18, 2026", date(2026, 5, 18)), ("June 1, 2026", date(2026, 6, 1)),
             ("June 15, 2026", date(2026, 6, 15))],
        ),
        ("$45/hrPosted Sep 15, 2025Website", [("Sep 15, 2025", date(2025, 9, 15))]),
        ("Start: 01.02.2027, Ende 31.07.2027", [("01.02.2027", date(2027, 2, 1)),
                                                 ("31.07.2027", date(2027, 7, 31))]),
        ("Open & closing dates: 11/10/2026 to 12/01/2026. Salary $99,200",
         [("11/10/2026", date(2026, 11, 10)), ("12/01/2026", date(2026, 12, 1))]),
        ("Closing 12/01/2026 (£28,000)", [("12/01/2026", date(2026, 1, 12))]),
        ("Closing 12/01/2026", [("12/01/2026", None)]),
        ("Apply before: 15-12-2026, €3.800", [("15-12-2026", date(2026, 12, 15))]),
        ("Published: 04-11-2026 (€3.800)", [("04-11-2026", date(2026, 11, 4))]),
        ("Salario: $4.500.000 COP. Publicado 04-11-2026", [("04-11-2026", date(2026, 11, 4))]),
        ("Call 602-555-0180 or 1-2-20260", []),
        ("Closing 25/01/2026 then 12/01/2026", [("25/01/2026", date(2026, 1, 25)),
                                                ("12/01/2026", date(2026, 1, 12))]),
        ("Prise de poste : 15 décembre 2026", [("15 décembre 2026", date(2026, 12, 15))]),
        ("It runs for 12 weeks during Summer 2026. Call 555-123-4567.", []),
        ("Version 1.2.3 of 2026", []),
        ("Posted 3 days ago", []),
        # an ISO datetime (JSON-LD datePosted/validThrough) is one date, quoted whole
        ("Posted: 2025-11-06T00:00:00+01:00.", [("2025-11-06T00:00:00+01:00", date(2025, 11, 6))]),
        ("until 2023-08-31T21:59:59.683ZZ", [("2023-08-31T21:59:59.683ZZ", date(2023, 8, 31))]),
        ("2026-12-15T23:59 to 2026-12-16", [("2026-12-15T23:59", date(2026, 12, 15)),
                                             ("2026-12-16", date(2026, 12, 16))]),
        ("2026-12-15T2359", [("2026-12-15", date(2026, 12, 15))]),
    ],
)  # fmt: skip
def test_find_dates(text: str, expected: list[tuple[str, date | None]]) -> None:
    found = find_dates(text, as_of=AS_OF)
    assert [(m.text, m.date) for m in found] == expected
    assert all(text[m.start : m.end] == m.text for m in found)


@pytest.mark.parametrize(
    ("text", "quote", "expected"),
    [
        ("$45/hrPosted Sep 15, 2025WebsiteLinkedIn", "Posted Sep 15, 2025", date(2025, 9, 15)),
        ("Title\nPosted 99 days ago\nJob Description", "Posted 99 days ago", date(2025, 12, 11)),
        ("Posted 2 weeks agoWebsiteLinkedIn", "Posted 2 weeks ago", date(2026, 3, 6)),
        ("TikTok\nCompany\n14 hours ago\nMachine Learning", "14 hours ago", date(2026, 3, 20)),
        ("Posted 30+ days ago", "Posted 30+ days ago", None),
        ("Full time · Listed 9 days ago", "Listed 9 days ago", date(2026, 3, 11)),
        ("Posting date: November 16, 2026", "Posting date: November 16, 2026",
         date(2026, 11, 16)),
        ("Veröffentlicht am 12.03.2026", "Veröffentlicht am 12.03.2026", date(2026, 3, 12)),
        ("Veröffentlicht: 17.11.2026", "Veröffentlicht: 17.11.2026", date(2026, 11, 17)),
        ("p.a.\nvor 4 Tagen veröffentlicht\n", "vor 4 Tagen veröffentlicht", date(2026, 3, 16)),
        ("Publié il y a 3 jours", "Publié il y a 3 jours", date(2026, 3, 17)),
        ("Publiée le 12 novembre 2026", "Publiée le 12 novembre 2026", date(2026, 11, 12)),
        ("Publicado hace 2 días", "Publicado hace 2 días", date(2026, 3, 18)),
        ("Hace 1 semana\n\nDescripción", "Hace 1 semana", date(2026, 3, 13)),
        ("Posted today", "Posted today", date(2026, 3, 20)),
        ("Date posted: 09/11/2026 · R$ 3.200", "posted: 09/11/2026", date(2026, 11, 9)),
        ("Open & closing dates: 11/10/2026 to 12/01/2026 Salary: $99,200",
         "Open & closing dates: 11/10/2026", date(2026, 11, 10)),
    ],
)  # fmt: skip
def test_find_posted(text: str, quote: str, expected: date | None) -> None:
    found = find_posted(text, as_of=AS_OF)
    assert found is not None
    assert (found.text, found.date) == (quote, expected)
    assert text[found.start : found.end] == found.text


@pytest.mark.parametrize(
    "text",
    [
        "We were founded 10 years ago.",
        "It runs for 12 weeks.",
        "Posted by the hiring manager",
        "vor Ort in Berlin",
        "",
    ],
)
def test_find_posted_finds_nothing(text: str) -> None:
    assert find_posted(text, as_of=AS_OF) is None


@pytest.mark.parametrize(
    ("text", "quote", "expected"),
    [
        ("Apply by May 1, 2026.", "Apply by May 1, 2026", date(2026, 5, 1)),
        ("Application deadline: 2026-04-30", "Application deadline: 2026-04-30",
         date(2026, 4, 30)),
        ("Closing date 30 April 2026", "Closing date 30 April 2026", date(2026, 4, 30)),
        ("Closing date: 11:55 pm on Monday 7th December 2026",
         "Closing date: 11:55 pm on Monday 7th December 2026", date(2026, 12, 7)),
        ("Bewerbungsfrist: 15.04.2026", "Bewerbungsfrist: 15.04.2026", date(2026, 4, 15)),
        ("bewerben Sie sich bis zum 15.12.2026 über", "bewerben Sie sich bis zum 15.12.2026",
         date(2026, 12, 15)),
        ("Date limite de candidature : 30 avril 2026",
         "Date limite de candidature : 30 avril 2026", date(2026, 4, 30)),
        ("Fecha límite: 30 de abril de 2026", "Fecha límite: 30 de abril de 2026",
         date(2026, 4, 30)),
        ("Fecha límite para postularse: 15 de diciembre de 2026",
         "Fecha límite para postularse: 15 de diciembre de 2026", date(2026, 12, 15)),
        ("How to apply: send a résumé to jobs@x.org by December 31, 2026. Open until filled",
         "apply: send a résumé to jobs@x.org by December 31, 2026", date(2026, 12, 31)),
        ("Open & closing dates: 11/10/2026 to 12/01/2026 Salary: $99,200", "12/01/2026",
         date(2026, 12, 1)),
        ("Apply by May 1", "Apply by May 1", None),
        ("Apply before: 15-12-2026 (€3.800)", "Apply before: 15-12-2026", date(2026, 12, 15)),
        ("Last date to apply: 05-12-2026 ₹7 LPA", "Last date to apply: 05-12-2026",
         date(2026, 12, 5)),
        ("Cierre de la convocatoria: 30-11-2026", "Cierre de la convocatoria: 30-11-2026",
         date(2026, 11, 30)),
    ],
)  # fmt: skip
def test_find_deadline(text: str, quote: str, expected: date | None) -> None:
    found = find_deadline(text, as_of=AS_OF)
    assert found is not None
    assert (found.text, found.date) == (quote, expected)
    assert text[found.start : found.end] == found.text


@pytest.mark.parametrize(
    "text",
    [
        "Closing date: Open until filled",
        "Deadline-driven environment",
        "Apply now! Start date: May 18, 2026",
        "",
    ],
)
def test_find_deadline_finds_nothing(text: str) -> None:
    assert find_deadline(text, as_of=AS_OF) is None


@pytest.mark.parametrize(
    ("text", "day"),
    [
        (
            "Bitte senden Sie Ihre Bewerbung (Anschreiben) bis zum 01.02.2019 per E-Mail",
            "2019-02-01",
        ),
        (
            "Las propuestas podrán ser enviadas hasta horas 23:59 del 18 de mayo de 2026.",
            "2026-05-18",
        ),
        ("Die Stelle ist zunächst bis zum 30.09.2019 befristet.", None),  # a contract end
    ],
)
def test_deadlines_written_as_sentences(text: str, day: str | None) -> None:
    found = find_deadline(text, as_of=date(2026, 12, 4))
    assert (found.date.isoformat() if found and found.date else None) == day


def test_a_numeric_date_may_end_a_sentence() -> None:
    found = find_dates("Arbeitsbeginn ist der 01.04.2019. Die Stelle", as_of=date(2026, 12, 4))
    assert [(m.text, m.date) for m in found] == [("01.04.2019", date(2019, 4, 1))]
    assert find_dates("version 1.2.2019.4", as_of=date(2026, 12, 4)) == []
