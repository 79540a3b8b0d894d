"""Requirements an API record lists as objects with a must/nice flag."""

from __future__ import annotations

from extractor.offline.flags import flagged_items
from extractor.offline.lines import split_lines
from extractor.offline.records import find_record_fields

RECORD = """{
  competences: [
    {
      code: "104207",
      libelle: "Cuire des viandes",
      exigence: "S"
    },
    {
      libelle: "Doser des ingrédients",
      exigence: "E"
    }
  ],
  qualitesProfessionnelles: [
    {
      libelle: "Autonomie",
      description: "Capacité à prendre en charge son activité"
    }
  ],
  "skills": [{"name": "Python", "required": true}, ]
}"""


def test_flagged_items() -> None:
    fields = find_record_fields(split_lines(RECORD))
    found = [(kind, span.text) for kind, span in flagged_items(fields)]
    assert found == [("preferred", "Cuire des viandes"), ("required", "Doser des ingrédients")]
