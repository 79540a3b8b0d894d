"""Requirement entries an API record states as data (exigence E -> required, S -> preferred)."""

from __future__ import annotations

from extractor.offline.api_lists import record_list_items
from extractor.offline.lines import split_lines

RECORD = """competences: [
{
code: "100058",
libelle: "Sécuriser le chantier",
exigence: "S"
},
{
code: "124379",
libelle: "Démonter des câbles",
exigence: "E"
}
],
salaire: {
libelle: "Mensuel de 1833,00 Euros",
exigence: "E"
}
"""


def test_entries_by_requirement_code() -> None:
    found = record_list_items(split_lines(RECORD))
    assert [(kind, item.text) for kind, item in found] == [
        ("preferred", "Sécuriser le chantier"),
        ("required", "Démonter des câbles"),
    ]
    for _, item in found:
        assert RECORD[item.start : item.end] == item.text
