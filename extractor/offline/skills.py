"""Skills named in a posting, matched against the curated vocabulary in ``data/skills.yaml``.

Names and aliases match whole tokens ("C" never matches inside "C++"); case-sensitive
entries keep ordinary words out ("excel at", "go beyond"). Entries marked ``needs_context`` (one-
letter and common-word names such as R, Go, Storm) also need a neighbouring skill within a few
characters or a word such as "programming" on the same line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from extractor.offline.lines import Span, fold

NEIGHBOUR_CHARS = 25
CONTEXT_WORDS = re.compile(
    r"\b(certifi\w*|licen[cs]es?|designations?|systems?|platforms?|charting|records|crm|ehr|programming|languages?|coding|code|scripting|developer|development|stack|frameworks?|"
    r"tools?|libraries|packages|software|experience (in|with)|proficien\w+|"
    r"programmier\w*|langages?|lenguajes?)\b",
    re.IGNORECASE,
)
CODE_WORDS = re.compile(
    r"\b(programming|languages?|coding|code|scripting|compilers?|embedded|firmware|"
    r"statistic\w*|analy[sz]e\w* [\w ]{0,20}data|data analy\w*|"
    r"programmier\w*|langages?|lenguajes?)\b",
    re.IGNORECASE,
)
# A letter that grades something ("CPR Level C", "Class A", "Series C") is not a language.
GRADED = re.compile(
    r"\b(?:level|class|grade|series|category|type|vitamin|plan|part)\s$", re.IGNORECASE
)
TOKEN = re.compile(r"[\w.+#&-]*[\w+#]")
TOKEN_CHAR = re.compile(r"[\w.+#&-]")
MAX_WORDS = 4  # the longest name in the vocabulary, in words


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The vocabulary as lookup tables: alias (folded or exact) -> canonical name."""

    version: int
    folded: dict[str, str]  # lower-cased alias -> name, for case-insensitive entries
    exact: dict[str, str]  # alias as written -> name, for case-sensitive entries
    vague: frozenset[str]  # lower-cased aliases that need context
    openers: frozenset[str]  # lower-cased first words of multi-word aliases
    firsts: frozenset[str]  # lower-cased first words of every alias


@lru_cache(maxsize=1)
def load_vocabulary() -> Vocabulary:
    """Read ``data/skills.yaml`` once."""
    raw = yaml.safe_load(
        resources.files("extractor.offline").joinpath("data/skills.yaml").read_text("utf-8")
    )
    folded: dict[str, str] = {}
    exact: dict[str, str] = {}
    context: set[str] = set()
    for entry in raw["skills"]:
        name = str(entry["name"])
        for alias in (name, *(str(a) for a in entry.get("aliases", []))):
            if entry.get("case_sensitive"):
                exact[alias] = name
            else:
                folded[alias.lower()] = name
        if entry.get("needs_context"):
            context.update(a.lower() for a in (name, *entry.get("aliases", [])))
        for alias in entry.get("plain_aliases", []):
            folded[str(alias).lower()] = name
    aliases = [*folded, *exact]
    openers = frozenset(a.split()[0].lower() for a in aliases if " " in a)
    firsts = frozenset(a.split()[0].lower() for a in aliases)
    return Vocabulary(int(raw["version"]), folded, exact, frozenset(context), openers, firsts)


def find_skills(text: str) -> list[tuple[str, Span]]:
    """Each skill once, in order of first mention, with the span of that mention.

    Words are read as tokens (letters, digits and "+#.&-" inside), and runs of up to three
    tokens are looked up, longest first, so "Power BI" wins over "BI" and "R&D" is not "R".
    Only tokens that open some name are visited: one pass over the page collects its words.
    """
    vocab = load_vocabulary()
    folded = fold(text)
    firsts = vocab.firsts.intersection(TOKEN.findall(folded))
    hits: list[tuple[str, Span]] = []
    covered = 0
    for start in sorted(_token_starts(folded, firsts)):
        if start < covered:
            continue
        if hit := _lookup(vocab, text, folded, start):
            hits.append(hit)
            covered = hit[1].end
    sure = [span for _, span in hits if span.text.lower() not in vocab.vague]
    found: dict[str, tuple[str, Span]] = {}
    for name, span in hits:
        key = name.lower()
        vague = span.text.lower() in vocab.vague
        if key not in found and (not vague or _has_context(text, span, sure)):
            found[key] = name, span
    return list(found.values())


def _token_starts(folded: str, words: frozenset[str]) -> set[int]:
    """Where the tokens equal to one of ``words`` start in ``folded``."""
    starts: set[int] = set()
    for word in words:
        at = folded.find(word)
        while at >= 0:
            if (at == 0 or not TOKEN_CHAR.match(folded, at - 1)) and (
                (token := TOKEN.match(folded, at)) is not None and token.end() == at + len(word)
            ):
                starts.add(at)
            at = folded.find(word, at + 1)
    return starts


def _lookup(vocab: Vocabulary, text: str, folded: str, start: int) -> tuple[str, Span] | None:
    """The longest name (up to three single-spaced tokens) starting at ``start``, if any."""
    token = TOKEN.match(folded, start)
    assert token is not None  # ``start`` is a token start
    ends = [token.end()]
    if token.group() in vocab.openers:
        while len(ends) < MAX_WORDS and folded[ends[-1] : ends[-1] + 1] == " ":
            after = TOKEN.match(folded, ends[-1] + 1)
            if after is None or after.group().startswith("-"):
                break
            ends.append(after.end())
    for end in reversed(ends):
        phrase = text[start:end]
        name = vocab.exact.get(phrase) or vocab.folded.get(folded[start:end])
        if name is not None:
            # Spelling variants of the name itself are reported as written ("Scikit-learn").
            shown = phrase if phrase.lower() == name.lower() else name
            return shown, Span(start, end, phrase)
    return None


def _has_context(text: str, span: Span, sure: list[Span]) -> bool:
    if len(span.text) == 1 and GRADED.search(text, max(0, span.start - 12), span.start):
        return False
    for other in sure:
        gap = max(other.start - span.end, span.start - other.end)
        between = text[min(other.end, span.end) : max(other.start, span.start)]
        if 0 <= gap <= NEIGHBOUR_CHARS and "\n" not in between:
            return True
    line_start = text.rfind("\n", 0, span.start) + 1
    line_end = text.find("\n", span.end)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    # A one-letter name ("Series C", "R") needs words about code, not any tool word.
    words = CODE_WORDS if len(span.text) == 1 else CONTEXT_WORDS
    return words.search(line) is not None


# Driving licences named with their class ("permis EC", "Führerscheinklasse B", "prawo jazdy
# kat. B", "rijbewijs B") or by a name that only means a licence ("driver's licence").
_CLASS = r"(?:\s+(?:kat\.\s*|cat\.\s*|klasse\s+|catégorie\s+|classe\s+)?[A-E]{1,2}[0-9E]?(?![\w]))"
LICENCE = re.compile(
    rf"(?<![\w])(?:(?i:permis|rijbewijs|führerschein|prawo jazdy|patente|körkort){_CLASS}"
    rf"|(?i:führerscheinklasse)\s*[A-E]{{1,2}}\b"
    r"|(?i:licencia de conducir|carnet de conducir|carteira de motorista|driver[’']?s licen[cs]e|"
    r"driving licen[cs]e|permis de conduire))"
)


def find_licences(text: str) -> list[Span]:
    """Each driving licence named in ``text``, once, in order."""
    seen: set[str] = set()
    found: list[Span] = []
    for match in LICENCE.finditer(text):
        key = match.group().casefold()
        if key not in seen:
            seen.add(key)
            found.append(Span(match.start(), match.end(), match.group()))
    return found
