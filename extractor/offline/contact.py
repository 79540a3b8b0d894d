"""Contact emails and the apply URL.

An apply URL is an http(s) URL with "apply"/"bewerben"/"postuler"/"aplicar" in it or on its
line before it; links to privacy policies, terms and cookie pages never count.
"""

from __future__ import annotations

import re

from email_validator import EmailNotValidError, validate_email

from extractor.offline.lines import Span, lines_with

EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
AT = re.compile("@")
URL = re.compile(r"https?://[^\s<>\"'()\[\]{}]+")
URL_TRAILING = ".,;:!?)]}'\""
APPLY_WORDS = re.compile(
    r"appl(y|ication|ications)|bewerb\w*|postul\w*|candidat\w*|aplica\w*|solicit\w*|careers?|jobs?",
    re.IGNORECASE,
)
APPLY_NEAR = re.compile(r"appl(y|ications?)|bewerb\w*|postul\w*|candidat\w*|aplica\w*", re.I)
NOT_APPLY = re.compile(
    r"privacy|/legal(?:[/?#.]|$)|/terms|cookie|datenschutz|impressum|confidentialit|"
    r"mentions-legales|"
    r"linkedin\.com/(company|in)/|facebook|twitter|instagram|youtube|\.(png|jpe?g|gif|svg|css|js)$",
    re.IGNORECASE,
)
NEAR_CHARS = 80


def find_emails(text: str) -> list[Span]:
    """Every valid email address once (case-insensitive), in order of mention."""
    found: dict[str, Span] = {}
    matches = (m for start, end in lines_with(text, AT) for m in EMAIL.finditer(text, start, end))
    for match in matches:
        address = match.group().rstrip(".")
        try:
            validate_email(address, check_deliverability=False)
        except EmailNotValidError:
            continue
        found.setdefault(
            address.lower(), Span(match.start(), match.start() + len(address), address)
        )
    return list(found.values())


def find_apply_url(text: str) -> Span | None:
    """The first URL that looks like where to apply, or None."""
    fallback: Span | None = None
    for match in URL.finditer(text):
        url = match.group().rstrip(URL_TRAILING)
        if len(url) <= len("https://") or NOT_APPLY.search(url):
            continue
        span = Span(match.start(), match.start() + len(url), url)
        line_start = max(text.rfind("\n", 0, match.start()) + 1, match.start() - NEAR_CHARS)
        if APPLY_NEAR.search(text[line_start : match.start()]) or APPLY_NEAR.search(url):
            return span
        if fallback is None and APPLY_WORDS.search(url):
            fallback = span
    return fallback
