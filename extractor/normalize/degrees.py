"""Degrees: mentions of degree levels in English, German, French and Spanish, with spans.

Levels are the schema's: high_school, associate, bachelor, master, phd. Short forms are
read in context: "MS Office" is software, "Boston, MA" is a state, "Scrum Master" is a role,
and "promotion"/"licence" count only where they clearly mean a degree.
"""

from __future__ import annotations

import re

_L = r"(?<![A-Za-zÀ-ÿ])"  # no letter before
_R = r"(?![A-Za-zÀ-ÿ])"  # no letter after

_TABLE: tuple[tuple[str, str], ...] = (
    ("phd", rf"{_L}(?:Ph\.?\s?D\.?|PHD|D\.?Phil\.?){_R}"),
    ("phd", rf"{_L}(?i:doctora(?:te|l|do)|doctorat|doktorat|doctor\s+of\s+philosophy){_R}"),
    ("phd", rf"{_L}(?:Promotion|promoviert\w*){_R}"),
    ("master", rf"{_L}(?:M\.\s?S\.?|MS|M\.?Sc\.?|M\.\s?A\.|MA|MBA|M\.?Eng\.?|MPH|MSW){_R}"),
    ("master", rf"{_L}(?:Master(?:'s|’s|s)?|M[áa]ster|Masterabschluss|Masterstudium){_R}"),
    ("master", rf"{_L}(?i:master(?:'s|’s|s)?(?=\s+(?:degree|of|in|en|de|program)\b)){_R}"),
    ("master", rf"{_L}(?i:maestr[íi]a|bac\s?\+\s?5){_R}"),
    ("master", rf"{_L}(?:M\.\s?Pharm|M\.\s?Tech|M\.\s?Com){_R}"),
    (
        "bachelor",
        rf"{_L}(?:B\.\s?S\.?|BS|B\.?Sc\.?|B\.\s?A\.|BA|B\.?Eng\.?|B\.?Tech|BSN|B\.\s?Pharm|B\.\s?Com){_R}",
    ),
    (
        "bachelor",
        rf"{_L}(?i:bachelor(?:'s|’s|\w*)|undergraduate|licenciatura|bac\s?\+\s?3){_R}",
    ),
    ("bachelor", rf"{_L}(?:Licence|licence(?=\s+(?:en|de|pro)))(?!\s+(?:to|for|of)\b){_R}"),
    ("bachelor", rf"{_L}(?:Grado|grado)(?=\s+(?:en|universitario|superior\s+en|[oy]\s)|\s*/)"),
    ("bachelor", rf"{_L}(?i:diplomatura){_R}"),
    ("bachelor", rf"(?<!to )(?i:\b(?:a|an|university|college|honours|first)\s+degree){_R}"),
    ("associate", rf"{_L}(?i:associate(?:'s|’s|s)?\s+(?:degree|of\s+(?:arts|science)))"),
    ("associate", rf"{_L}(?:A\.A\.S?\.|AAS|BTS|DUT|bac\s?\+\s?2){_R}"),
    ("high_school", rf"{_L}(?i:high\s+school|secondary\s+school\s+diploma|GED){_R}"),
    (
        "high_school",
        rf"{_L}(?:Abitur|Fachabitur|Hochschulreife|Fachhochschulreife|(?:HAK-|HTL-)?Matura){_R}",
    ),
    ("high_school", rf"{_L}(?i:mittlere\s+reife|realschulabschluss|baccalaur[ée]at){_R}"),
    ("high_school", rf"{_L}(?i:bachillerato|educaci[óo]n\s+secundaria|preparatoria){_R}"),
)
# One pass over the text: an alternation of every row, each in its own group g<row>.
_DEGREES = re.compile("|".join(f"(?P<g{i}>{pattern})" for i, (_, pattern) in enumerate(_TABLE)))
_SOFTWARE = re.compile(
    r"[\s-]*(?:Office|Excel|Word|Teams|PowerPoint|Outlook|Access|Project|SQL|Dynamics|Azure"
    r"|Visio|SharePoint|365|DOS|Windows|Exchange|Paint)\b"
)
_STATE_BEFORE = re.compile(r"[A-Z][\w.'-]*,\s*$")  # "Boston, " before MA/BA
_STATE_AFTER = re.compile(r"\s*(?:\d{5}|,\s*(?:USA?|United States)\b)")
_ROLE_BEFORE = re.compile(
    r"(?i:scrum|quiz|web|ring|grand|head|chess|dungeon|zen|burger|post|harbour|harbor|toast)"
    r"[\s-]*$"
)
_NOT_MASTER_AFTER = re.compile(
    r"\s*(?:Data|Service|Services|Agreement|Class|Classes|Scheduler|Schedule|Plan|File|Files"
    r"|Record|Records|Craftsman|Electrician|Plumber|Technician|Card|Mind|Chef|Key|Branch)\b"
)
_DEGREE_NEAR = re.compile(r"(?i:master|diplom|studium|phd|hochschul|universit)")
_STUDENTS = re.compile(r"\s+(?i:students?|research|courses?|teaching)\b")
_SCHOOL_NOT = re.compile(r"\s+(?i:students?|teachers?|level|math|science|english)\b")


def _keep(level: str, text: str, start: int, end: int) -> bool:
    word = text[start:end]
    before = text[max(0, start - 30) : start]
    after = text[end : end + 30]
    if word in ("MS", "M.S.", "MA", "BA", "BS", "B.A.", "M.A."):
        if word == "MS" and _SOFTWARE.match(after):
            return False
        if word in ("MA", "BA", "MS") and (
            _STATE_BEFORE.search(before) or _STATE_AFTER.match(after)
        ):
            return False
    role = _ROLE_BEFORE.search(before) or _NOT_MASTER_AFTER.match(after)
    if level == "master" and word.startswith("Master") and role:
        return False
    if word.lower() == "undergraduate" and _STUDENTS.match(after):
        return False
    if word == "Promotion":
        return bool(_DEGREE_NEAR.search(text, max(0, start - 60), min(len(text), end + 60)))
    return not (
        level == "high_school" and word.lower().startswith("high") and _SCHOOL_NOT.match(after)
    )


# Where a row can start: case-sensitive stems found in the text, lower-case stems found in the
# lower-cased text. Matching only there is several times faster than scanning every position.
_STEMS = (
    "Ph",
    "PH",
    "D.P",
    "DP",
    "MS",
    "M.",
    "MA",
    "MB",
    "ME",
    "MP",
    "BS",
    "B.",
    "BA",
    "BE",
    "BT",
    "A.A",
    "AAS",
    "BTS",
    "DUT",
    "GED",
    "Promotion",
    "promoviert",
    "Master",
    "Máster",
    "Licence",
    "Grado",
    "grado",
    "Abitur",
    "Fachabitur",
    "Matura",
    "HAK-",
    "HTL-",
)
_LOWER_STEMS = (
    "doctor",
    "doktor",
    "master",
    "máster",
    "maestr",
    "bac",
    "undergraduate",
    "licenciatura",
    "licence",
    "diplomatura",
    "associate",
    "high school",
    "secondary school",
    "hochschulreife",
    "fachhochschulreife",
    "mittlere reife",
    "realschul",
    "educaci",
    "preparatoria",
    "a degree",
    "an degree",
    "university degree",
    "college degree",
    "honours degree",
    "first degree",
)


def _starts(text: str) -> list[int]:
    low = text.lower()
    if len(low) != len(text):
        return list(range(len(text)))
    starts: set[int] = set()
    for source, stems in ((text, _STEMS), (low, _LOWER_STEMS)):
        for stem in stems:
            at = source.find(stem)
            while at >= 0:
                starts.add(at)
                at = source.find(stem, at + 1)
    return sorted(starts)


def find_degrees(text: str) -> list[tuple[str, int, int]]:
    """Every degree mention as (level, start, end), in order of appearance.

    "(BS/MS)" gives bachelor and master. The same level may appear several times.
    """
    found: list[tuple[str, int, int]] = []
    covered = 0
    for at in _starts(text):
        if at < covered or not (match := _DEGREES.match(text, at)):
            continue
        covered = match.end()
        level = _TABLE[int(str(match.lastgroup)[1:])][0]
        start, end = match.span()
        if _keep(level, text, start, end):
            found.append((level, start, end))
    return found
