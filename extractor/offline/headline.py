"""The posting's headline when no head line holds a known job word.

Job words cannot list every trade in every language ("Coordinador/a Territorial", "Zelfstandig
elektromonteur woningbouw", "Shipping and Trim Floater"), but pages put the title first: the
first of the top lines that is shaped like a title is taken. A title-shaped line is short,
is no sentence, field, heading, place or page syntax, and is not the page's own name.
"""

from __future__ import annotations

import re

from extractor.offline.headings import keyword_kind
from extractor.offline.lines import Span
from extractor.offline.places import as_place
from extractor.offline.records import PAGE_TITLE

MAX_LINES = 4
MAX_WORDS = 12
MAX_CHARS = 100
# Page syntax (templates, code), a field label, a sentence end, a link or a date-like run.
NOT_HEADLINE = re.compile(
    r"[@{}<>=;$|\\]|->|\?>|https?://|www\.|^\S[^:]{0,40}:\s|[.!?:;,]$|\d{1,4}[./-]\d{1,2}[./-]\d"
    r"|^(?i:about|über|à propos|sobre|apply|home|menu|share|search|login|sign in|skip)\b"
    r"|(?i:multiple roles|several roles|various (?:roles|positions)|we are hiring|we're hiring)"
    r"|채용공고|招聘信息|求人情報"
)
CSV_ROW = re.compile(r"(?:^|[^ ]),[^ ].*,[^ ]")  # ",title,company,area"
LETTER = re.compile(r"[^\W\d_]{2}")
# A run of several roles ("Multiple roles") means the page names no single title.
DIGEST_CELL = re.compile(
    r"(?i:^(?:multiple|several|various|many|open) (?:roles|positions|openings|jobs)$)"
)


def find_headline(head: list[Span]) -> Span | None:
    """The first title-shaped line among the top ``MAX_LINES`` head lines, or None."""
    for line in head[:MAX_LINES]:
        text = line.text
        if (
            len(text) > MAX_CHARS
            or len(text.split()) > MAX_WORDS
            or NOT_HEADLINE.search(text)
            or not LETTER.search(text)
            or CSV_ROW.search(text)
            or not _balanced(text)
            or PAGE_TITLE.match(text)
            or keyword_kind(text) is not None
            or as_place(text) is not None
        ):
            continue
        return line
    return None


def _balanced(text: str) -> bool:
    """Quotes and brackets in pairs: ``return "[`` is code, not a title."""
    return (
        text.count('"') % 2 == 0
        and text.count("(") == text.count(")")
        and text.count("[") == text.count("]")
    )


def names_several_roles(head: list[Span]) -> bool:
    """Whether a head cell says the page lists several roles ("Multiple roles")."""
    return any(
        DIGEST_CELL.match(cell.strip()) for line in head for cell in re.split(r"[|·•]", line.text)
    )
