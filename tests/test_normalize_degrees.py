"""Degrees: levels found in text, with spans, and the look-alikes that are not degrees."""

from __future__ import annotations

import pytest

from extractor.normalize.degrees import find_degrees


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Machine Learning Engineer Intern - 2026 Start (BS/MS)", [("bachelor", "BS"), ("master", "MS")]),
        ("B.S. in Computer Science", [("bachelor", "B.S.")]),
        ("BSc or MSc in Physics", [("bachelor", "BSc"), ("master", "MSc")]),
        ("a BA or B.A. in English", [("bachelor", "BA"), ("bachelor", "B.A.")]),
        ("Bachelor's degree required", [("bachelor", "Bachelor's")]),
        ("pursuing a Bachelor or above degree", [("bachelor", "Bachelor")]),
        ("Currently pursuing a Undergraduate/Master in CS", [("bachelor", "Undergraduate"), ("master", "Master")]),
        ("M.S. or Ph.D. preferred", [("master", "M.S."), ("phd", "Ph.D.")]),
        ("MA in Economics", [("master", "MA")]),
        ("MBA preferred", [("master", "MBA")]),
        ("Lehre oder HAK-Matura", [("high_school", "HAK-Matura")]),
        ("M.Sc. in Chemistry or B.Pharm", [("master", "M.Sc."), ("bachelor", "B.Pharm")]),
        ("B.Com or M.Com; M.Tech a plus", [("bachelor", "B.Com"), ("master", "M.Com"), ("master", "M.Tech")]),
        ("Master’s or PhD in Computer Science", [("master", "Master’s"), ("phd", "PhD")]),
        ("Masters in Finance", [("master", "Masters")]),
        ("a master's degree in statistics", [("master", "master's")]),
        ("doctorate or doctoral candidate", [("phd", "doctorate"), ("phd", "doctoral")]),
        ("2026 Start (PhD)", [("phd", "PhD")]),
        ("High school diploma or GED", [("high_school", "High school"), ("high_school", "GED")]),
        ("Associate degree in nursing", [("associate", "Associate degree")]),
        ("an associate's degree", [("associate", "associate's degree")]),
        ("Abitur und abgeschlossene Ausbildung", [("high_school", "Abitur")]),
        ("Bachelor oder Master in Informatik", [("bachelor", "Bachelor"), ("master", "Master")]),
        ("abgeschlossenes Masterstudium oder Promotion", [("master", "Masterstudium"), ("phd", "Promotion")]),
        ("Titulaire d'une licence en informatique", [("bachelor", "licence")]),
        ("Diplôme Bac+5 (master ou école d'ingénieur)", [("master", "Bac+5")]),
        ("Master 2 en data science ou doctorat", [("master", "Master"), ("phd", "doctorat")]),
        ("baccalauréat exigé", [("high_school", "baccalauréat")]),
        ("Grado en Enfermería", [("bachelor", "Grado")]),
        ("Grado o Diplomatura en Enfermería", [("bachelor", "Grado"), ("bachelor", "Diplomatura")]),
        ("Licenciatura en Administración", [("bachelor", "Licenciatura")]),
        ("Máster en Ciencia de Datos o doctorado", [("master", "Máster"), ("phd", "doctorado")]),
        ("Bachillerato terminado", [("high_school", "Bachillerato")]),
        ("A degree (2:2 or above) in a numerate subject", [("bachelor", "A degree")]),
    ],
)  # fmt: skip
def test_find_degrees(text: str, expected: list[tuple[str, str]]) -> None:
    found = find_degrees(text)
    assert [(level, text[start:end]) for level, start, end in found] == expected


@pytest.mark.parametrize(
    "text",
    [
        "Proficient in MS Office and MS Excel",
        "MS Teams, MS-DOS and MS SQL Server",
        "Office in Boston, MA 02110",
        "Based in Springfield, MA",
        "Located in Lexington, MA, USA",
        "BAE Systems and BASF",
        "Certified Scrum Master",
        "Master Data Management",
        "Help mentor graduate and undergraduate students",
        "career promotion opportunities",
        "Promotion to senior engineer after a year",
        "a valid driving licence for the UK",
        "teach high school students",
        "360-degree feedback, to a degree",
        "",
    ],
)
def test_find_degrees_ignores_look_alikes(text: str) -> None:
    assert find_degrees(text) == []
