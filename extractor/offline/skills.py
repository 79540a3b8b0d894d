"""Skills named in a posting, matched against the curated vocabulary in ``data/skills.yaml``.

Names and aliases match on word boundaries ("C" never matches inside "C++"); case-sensitive
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

from extractor.offline.lines import Span

NEIGHBOUR_CHARS = 25
CONTEXT_WORDS = re.compile(
    r"\b(programming|languages?|coding|code|scripting|developer|development|stack|frameworks?|"
    r"tools?|libraries|packages|software|experience (in|with)|proficien\w+|"
    r"programmier\w*|langages?|lenguajes?)\b",
    re.IGNORECASE,
)
_BEFORE = r"(?<![\w+#.@/&-])"
_AFTER = r"(?![\w+#&]|\.\w|-\w)"


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The compiled vocabulary: canonical names by alias, and the patterns that find them."""

    version: int
    canonical: dict[str, str]  # lower-cased alias -> canonical name
    needs_context: frozenset[str]  # canonical names that need context
    folded: re.Pattern[str]  # case-insensitive aliases
    exact: re.Pattern[str]  # case-sensitive aliases


@lru_cache(maxsize=1)
def load_vocabulary() -> Vocabulary:
    """Read and compile ``data/skills.yaml`` once."""
    raw = yaml.safe_load(
        resources.files("extractor.offline").joinpath("data/skills.yaml").read_text("utf-8")
    )
    canonical: dict[str, str] = {}
    context: set[str] = set()
    folded: list[str] = []
    exact: list[str] = []
    for entry in raw["skills"]:
        name = str(entry["name"])
        names = [name, *(str(a) for a in entry.get("aliases", []))]
        for alias in names:
            canonical[alias.lower()] = name
        (exact if entry.get("case_sensitive") else folded).extend(names)
        if entry.get("needs_context"):
            context.add(name)
    return Vocabulary(
        version=int(raw["version"]),
        canonical=canonical,
        needs_context=frozenset(context),
        folded=_alternation(folded, re.IGNORECASE),
        exact=_alternation(exact, 0),
    )


def _alternation(names: list[str], flags: int) -> re.Pattern[str]:
    ordered = sorted(set(names), key=len, reverse=True)
    body = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in ordered)
    return re.compile(f"{_BEFORE}(?:{body}){_AFTER}", flags)


def find_skills(text: str) -> list[tuple[str, Span]]:
    """Each skill once, in order of first mention, with the span of that mention."""
    vocab = load_vocabulary()
    hits = sorted(
        [*vocab.folded.finditer(text), *vocab.exact.finditer(text)], key=lambda m: m.start()
    )
    named = [(vocab.canonical[re.sub(r"\s+", " ", m.group()).lower()], m) for m in hits]
    sure = [m for name, m in named if name not in vocab.needs_context]
    found: dict[str, Span] = {}
    for name, match in named:
        if name in found:
            continue
        if name in vocab.needs_context and not _has_context(text, match, sure):
            continue
        found[name] = Span(match.start(), match.end(), match.group())
    return list(found.items())


def _has_context(text: str, match: re.Match[str], sure: list[re.Match[str]]) -> bool:
    for other in sure:
        gap = max(other.start() - match.end(), match.start() - other.end())
        if (
            0 <= gap <= NEIGHBOUR_CHARS
            and "\n" not in text[min(other.end(), match.end()) : max(other.start(), match.start())]
        ):
            return True
    line_start = text.rfind("\n", 0, match.start()) + 1
    line_end = text.find("\n", match.end())
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    return CONTEXT_WORDS.search(line) is not None
