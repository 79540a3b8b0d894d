"""Requirement lists an API record states as data: ``competences``/``permis`` entries whose
``exigence`` says whether each is required ("E", exigé) or preferred ("S", souhaité).

France Travail (Pôle emploi) records carry ``{ libelle: "…", exigence: "E" }`` entries; the
``libelle`` text is the item, as written.
"""

from __future__ import annotations

import re

from extractor.offline.lines import Span

BLOCK = re.compile(r'^"?(?:competences|permis)"?\s*:\s*\[')
LABEL = re.compile(r'^"?libelle"?\s*:\s*"(?P<value>[^"]+)"')
NEED = re.compile(r'^"?exigence"?\s*:\s*"(?P<code>[ES])"')
KINDS = {"E": "required", "S": "preferred"}


def record_list_items(lines: list[Span]) -> list[tuple[str, Span]]:
    """``(kind, item)`` for each entry with a label and a requirement code, in order."""
    found: list[tuple[str, Span]] = []
    inside, label = False, None
    for line in lines:
        if BLOCK.match(line.text):
            inside, label = True, None
        elif inside and line.text.startswith("]"):
            inside = False
        elif inside and (match := LABEL.match(line.text)):
            start = line.start + match.start("value")
            label = Span(start, start + len(match["value"]), match["value"])
        elif inside and label is not None and (need := NEED.match(line.text)):
            found.append((KINDS[need["code"]], label))
            label = None
    return found
