"""Organisation names the text spells out: a name with a legal form ("Neura Robotics GmbH",
"W.D.T. Engineers Pty Ltd", "IT CONNECT Sp. z o.o. Sp.k.") or an institution ("Universität der
Bundeswehr München", "Stanford University"), and the employer named as the place to work
("Werken bij Wiringa Technische Groothandel", "You'll love working at DiDi").

``find_named_org`` returns the one the text names most often (the first on a tie).
"""

from __future__ import annotations

import re

from extractor.offline.lines import Span

_WORD = r"[A-ZÄÖÜÀ-Þ][\w&.'’-]*"
_LEGAL = (
    r"GmbH(?: & Co\. KG)?|AG|SE|KG|Inc\.?|Ltd\.?|LLC|LLP|Pty\.? Ltd\.?|Pte\.? Ltd\.?|ASA|AS|AB|"
    r"Oy|S\.A\.|SA|SAS|SARL|S\.L\.|S\.p\.A\.|Sp\. z o\.o\.(?: Sp\. ?k\.)?|B\.V\.|BV|N\.V\.|"
    r"plc|PLC|Limited|Corp\.?|Corporation|NHS Trust|NHS Foundation Trust"
)
_INSTITUTION = (
    r"Universität|Hochschule|Fachhochschule|Technische Universität|Université|Universidad|"
    r"Universidade|Università|Universiteit"
)
_LINK = r"(?:[ \t]+(?:der|des|de|del|di|do|da|of|für|van|la|le)[ \t]+|[ \t]+)"
ORG = re.compile(
    rf"(?<![\w&.'’-])(?:{_WORD}[ \t]+){{0,4}}{_WORD}[ \t]+(?:{_LEGAL})(?![\w&])"
    rf"|(?<![\w-])(?:{_INSTITUTION}){_LINK}{_WORD}(?:[ -]{_WORD}){{0,2}}"
    rf"|(?<![\w-])(?:{_WORD}[ \t]+){{0,2}}(?:University|Hospitals?|Institute of Technology)"
    rf"(?:[ \t]+(?:of[ \t]+)?{_WORD}){{0,3}}"
)
# The employer as the place to work: "werken bij X", "working at X", "arbeiten bei X".
WORK_AT = re.compile(
    rf"(?i:\b(?:werken|working|work|arbeiten|travailler|trabajar|trabalhar) (?:bij|at|for|bei|"
    rf"chez|en|na|no))[ \t]+(?P<name>{_WORD}(?:[ \t]+{_WORD}){{0,3}})"
)
_TRAILING = " .,;:'’"
_LOWER_TAIL = re.compile(r"(?:\s+(?:[a-zäöüß][\w-]*|of|der|de))+$")


def find_named_org(text: str) -> Span | None:
    """The organisation ``text`` names most often, or None."""
    counts: dict[str, list[Span]] = {}
    for match in WORK_AT.finditer(text):
        name = _tidy(match["name"])
        counts.setdefault(name, []).append(
            Span(match.start("name"), match.start("name") + len(name), name)
        )
    for match in ORG.finditer(text):
        name = _tidy(match.group())
        start = match.start() + match.group().index(name)
        if len(name.split()) >= 2:  # "Acme Ltd" and a sentence's "Acme Ltd." count as one
            counts.setdefault(name.rstrip("."), []).append(Span(start, start + len(name), name))
    best = max(counts.values(), key=len, default=[])
    return best[0] if best else None


# Words that lead into a name without being part of it.
_ARTICLE = re.compile(
    r"^(?:(?:The|Die|Der|Das|La|Le|Les|El|Los|Het|De|Join|About|At|With|For|Visit|Contact)\s+)+"
)
_ABBREVIATION = re.compile(r"\b(?:Inc|Ltd|Corp|Co|Pty|Pte|Sp\.k|o\.o|S\.A|B\.V|N\.V|S\.L)\.$")


def _tidy(name: str) -> str:
    name = _ARTICLE.sub("", name.strip())
    if not _ABBREVIATION.search(name):
        name = name.rstrip(_TRAILING)
    return _LOWER_TAIL.sub("", name)
