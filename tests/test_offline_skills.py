"""Skills from the curated vocabulary: aliases, case and context for ambiguous names."""

from __future__ import annotations

import pytest

from extractor.offline.skills import find_skills, load_vocabulary


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Experience writing code in Java, Go, Python or a similar language.",
            ["Java", "Go", "Python"],
        ),
        ("Go beyond what is expected.", []),
        ("We write services in golang.", ["Go"]),
        ("Strong JS and TypeScript", ["JavaScript", "TypeScript"]),
        ("Python, R, Java, or C++", ["Python", "R", "Java", "C++"]),
        ("R&D budget", []),
        ("C/C++ and C# programming", ["C", "C++", "C#"]),
        ("You excel at Excel.", ["Excel"]),
        ("Linux, Hadoop, Hive, Spark, Storm.", ["Linux", "Hadoop", "Hive", "Spark", "Storm"]),
        ("spark joy in a storm", []),
        ("Advanced Power BI and Microsoft Office", ["Power BI", "Microsoft Office"]),
        ("Scikit-learn and Node.js", ["Scikit-learn", "Node.js"]),
        ("Python and python again", ["Python"]),
        ("We raised our Series C and built our data platform.", []),
        ("Modernise our systems (Yardi, Sage Intacct).", ["Yardi", "Sage Intacct"]),
        ("Current Standard First Aid with CPR Level C", ["First Aid", "CPR"]),
        ("Analyse trial data in R and present results", ["R"]),
        (
            "EDR tools such as CrowdStrike Falcon or Microsoft Defender for Endpoint",
            ["CrowdStrike Falcon", "Microsoft Defender for Endpoint"],
        ),
        ("GCIH, GCIA or OSCP; CompTIA Security+", ["GCIH", "GCIA", "OSCP", "CompTIA Security+"]),
        (
            "Valid NR-10 and NR-35 certificates; EASA Part-66 B1.1",
            ["NR-10", "NR-35", "EASA Part-66"],
        ),
        ("Samples by HPLC and GC, reported in LIMS", ["HPLC", "GC", "LIMS"]),
        ("Empower your team to grow.", []),
        ("Our gc collects garbage; a PMP is a plus", ["PMP"]),
        (
            "Fluent in Revit; Rhino and Grasshopper; V-Ray",
            ["Revit", "Rhino", "Grasshopper", "V-Ray"],
        ),
        ("STCW and MARPOL; ISM Code audits", ["STCW", "MARPOL", "ISM Code"]),
        ("Japanese (JLPT N2 or above); Oracle Simphony", ["JLPT N2", "Oracle Simphony"]),
        ("KYC and AML checks", ["KYC", "AML"]),
        ("a fear free, rhino-sized grasshopper", []),
        ("IDeaS G3 RMS and FlowJo", ["IDeaS G3 RMS", "FlowJo"]),
    ],
)
def test_find_skills(text: str, expected: list[str]) -> None:
    found = find_skills(text)
    assert [name for name, _ in found] == expected
    for _, span in found:
        assert text[span.start : span.end] == span.text


def test_vocabulary_is_versioned_and_has_no_clashing_aliases() -> None:
    vocab = load_vocabulary()
    assert vocab.version >= 1
    assert not set(vocab.folded) & {alias.lower() for alias in vocab.exact}


@pytest.mark.parametrize(
    ("text", "licences"),
    [
        ("Titulaire du permis EC, FCO et de la carte conducteur", ["permis EC"]),
        ("Führerscheinklasse B erforderlich", ["Führerscheinklasse B"]),
        ("prawo jazdy kat. B", ["prawo jazdy kat. B"]),
        ("In bezit van rijbewijs B en VCA", ["rijbewijs B"]),
        ("Licencia de conducir vigente", ["Licencia de conducir"]),
        ("a valid driver’s licence", ["driver’s licence"]),
        ("permis de travail requis", []),  # a work permit, not a driving licence
    ],
)
def test_driving_licences(text: str, licences: list[str]) -> None:
    from extractor.offline.skills import find_licences

    assert [s.text for s in find_licences(text)] == licences


@pytest.mark.parametrize(
    ("text", "skill"),
    [
        ("built using Ruby, Rails, Javascript, and a bit of Go", "JavaScript"),
        ("We deploy to Heroku with CircleCI", "Heroku"),
        ("Experience with GMAW and FCAW welding", "GMAW"),
    ],
)
def test_more_tools(text: str, skill: str) -> None:
    assert skill.casefold() in [name.casefold() for name, _ in find_skills(text)]
