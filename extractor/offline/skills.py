"""Skills named in a posting, matched against the curated vocabulary in ``data/skills.yaml``.

Names and aliases match whole tokens ("C" never matches inside "C++"); case-sensitive
entries keep ordinary words out ("excel at", "go beyond"). Entries marked ``needs_context`` (one-
letter and common-word names such as R, Go, Storm) also need a neighbouring skill within a few
characters or a word such as "programming" on the same line.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from extractor.offline.lines import Span

NEIGHBOUR_CHARS = 25
CONTEXT_WORDS = re.compile(
    r"\b(certifi\w*|systems?|platforms?|charting|records|crm|ehr|programming|languages?|coding|code|scripting|developer|development|stack|frameworks?|"
    r"tools?|libraries|packages|software|experience (in|with)|proficien\w+|"
    r"programmier\w*|langages?|lenguajes?)\b",
    re.IGNORECASE,
)
TOKEN = re.compile(r"[\w.+#&-]*[\w+#]")
MAX_WORDS = 3  # the longest name in the vocabulary, in words


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The vocabulary as lookup tables: alias (folded or exact) -> canonical name."""

    version: int
    folded: dict[str, str]  # lower-cased alias -> name, for case-insensitive entries
    exact: dict[str, str]  # alias as written -> name, for case-sensitive entries
    vague: frozenset[str]  # lower-cased aliases that need context
    openers: frozenset[str]  # lower-cased first words of multi-word aliases


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
    openers = frozenset(a.split()[0].lower() for a in [*folded, *exact] if " " in a)
    return Vocabulary(int(raw["version"]), folded, exact, frozenset(context), openers)


def find_skills(text: str) -> list[tuple[str, Span]]:
    """Each skill once, in order of first mention, with the span of that mention.

    Words are read as tokens (letters, digits and "+#.&-" inside), and runs of up to three
    tokens are looked up, longest first, so "Power BI" wins over "BI" and "R&D" is not "R".
    """
    vocab = load_vocabulary()
    tokens = [m for m in TOKEN.finditer(text) if not m.group().startswith("-")]
    hits: list[tuple[str, Span]] = []
    i = 0
    while i < len(tokens):
        longest = MAX_WORDS if tokens[i].group().lower() in vocab.openers else 1
        for size in range(min(longest, len(tokens) - i), 0, -1):
            first, last = tokens[i], tokens[i + size - 1]
            if size > 1 and not _one_spaced(text, tokens[i : i + size]):
                continue
            phrase = text[first.start() : last.end()]
            name = vocab.exact.get(phrase) or vocab.folded.get(phrase.lower())
            if name is not None:
                # Spelling variants of the name itself are reported as written ("Scikit-learn").
                shown = phrase if phrase.lower() == name.lower() else name
                hits.append((shown, Span(first.start(), last.end(), phrase)))
                i += size - 1
                break
        i += 1
    sure = [span for _, span in hits if span.text.lower() not in vocab.vague]
    found: dict[str, tuple[str, Span]] = {}
    for name, span in hits:
        key = name.lower()
        vague = span.text.lower() in vocab.vague
        if key not in found and (not vague or _has_context(text, span, sure)):
            found[key] = name, span
    return list(found.values())


def _one_spaced(text: str, tokens: list[re.Match[str]]) -> bool:
    return all(text[a.end() : b.start()] == " " for a, b in itertools.pairwise(tokens))


def _has_context(text: str, span: Span, sure: list[Span]) -> bool:
    for other in sure:
        gap = max(other.start - span.end, span.start - other.end)
        between = text[min(other.end, span.end) : max(other.start, span.start)]
        if 0 <= gap <= NEIGHBOUR_CHARS and "\n" not in between:
            return True
    line_start = text.rfind("\n", 0, span.start) + 1
    line_end = text.find("\n", span.end)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    return CONTEXT_WORDS.search(line) is not None
