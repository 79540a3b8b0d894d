"""Requirements an API record lists as objects with a must/nice flag.

Job APIs list skills, licences and languages as objects: a label and a flag saying whether it
is required (France Travail: ``{libelle: "Cuire des viandes", exigence: "S"}``, "E" exigé ->
required, "S" souhaité -> preferred; elsewhere ``required: true``, ``mandatory: false``).
"""

from __future__ import annotations

from extractor.offline.lines import Span
from extractor.offline.records import RecordField

LABEL_KEYS = frozenset({"libelle", "label", "name", "skill", "description"})
FLAGS: dict[str, dict[str, str]] = {
    "exigence": {"e": "required", "s": "preferred"},
    "required": {"true": "required", "false": "preferred"},
    "mandatory": {"true": "required", "false": "preferred"},
    "isrequired": {"true": "required", "false": "preferred"},
}
LISTS = ("competences", "permis", "langues", "skills", "requirements", "qualifications")


def flagged_items(fields: list[RecordField]) -> list[tuple[str, Span]]:
    """``(kind, label)`` for each labelled object with a must/nice flag, in order."""
    found: list[tuple[str, Span]] = []
    label: tuple[str, Span] | None = None  # the object's path and label
    for field in fields:
        parent = field.path.rpartition(".")[0]
        if field.key in LABEL_KEYS and any(name in parent for name in LISTS):
            label = parent, field.value
        elif field.key in FLAGS and label is not None and label[0] == parent:
            kind = FLAGS[field.key].get(field.value.text.strip().lower())
            if kind is not None:
                found.append((kind, label[1]))
            label = None
    return found
