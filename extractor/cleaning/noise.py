"""Find the segments that are not the posting: ads, share buttons, cookie banners, navigation,
lists of other jobs and the employer widget ("TikTok / 58 jobs posted") that introduces them.

The rules are deliberately narrow: a segment is dropped only when a pattern names it (or it
sits inside a list of other jobs); when unsure, it is kept. Each dropped segment gets a reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from extractor.cleaning.hints import Hints
from extractor.cleaning.segments import Segment

__all__ = ["Noise", "NoiseReason", "find_noise"]

NoiseReason = Literal[
    "ad", "share", "cookie", "nav", "footer", "rule", "other_jobs", "widget", "gap"
]


def _any(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


# Patterns anchored at the start are tried with ``match`` (one position); the others only
# when one of their hint words occurs in the line, since scanning every line with a long
# case-insensitive alternation would cost more than all other cleaning steps together.
_AD_START = _any(
    r"skip the busywork\b",
    r"resume tailored to this role",
    r"track every application",
    r"(?:download|get) (?:the|our) (?:\w+ )?app\b",
    r"never miss (?:a|another) (?:new )?.{0,30}\bjob",
    r"free, no spam\.?$",
    r"(?:sign up|subscribe)(?: now)? (?:for|to) (?:job alerts|our newsletter)",
    r"(?:create|set up) (?:a )?job alert",
)
_AD_HINTS = ("resume", "cv", "seconds", "inbox", "check out", "boost", "recruiter", "premium")
_AD_ANYWHERE = _any(
    r"\brewrites your (?:resume|cv)\b",
    r"\bapplied in seconds\b",
    r"\bjobs? delivered to your inbox\b",
    r"\bcheck out our (?:latest|other|new) .{0,40}\bjobs\b",
    r"\bresume boost\b|\bmore recruiter views\b|\bupgrade to premium\b",
    r"\bboost your (?:profile|resume|cv|application)\b",
)
_COOKIE_BUTTON = _any(
    r"(?:accept|allow|reject|decline|refuse)(?: all)?(?: cookies)?$",
    r"(?:cookie|privacy) (?:settings|preferences)$",
    r"manage (?:cookie )?(?:preferences|settings|consent)$",
)
_COOKIE_BANNER = _any(
    r"\b(?:we|this (?:web)?site) uses? cookies\b",
    r"\bby (?:continuing|using this (?:web)?site|clicking).{0,80}\bcookies\b",
)
_NAV = _any(
    r"(?:home|jobs|careers)\s*[>›»]\s*\S.{0,100}$",
    r"(?:home|jobs|careers) / \S.{0,100}$",
    r"skip to (?:main )?content$",
    r"(?:sign in|log ?in|sign up|register|menu|print|copy link|view details|apply now"
    r"|easy apply|save(?: job)?|report (?:this )?job)$",
    r"back to (?:all )?(?:jobs|search(?: results)?|listings)$",
    r"home(?:\s*[|>›»/]\s*[^|>›»/]{1,30}){2,}$",
)
_FOOTER_HINTS = ("©", "(c) ", "all rights reserved")
_RULE = re.compile(r"^[-=_*~·•.#|+—–\s]{3,}$")
_BULLET = re.compile(r"^(?:[-•*·▪◦‣–—]|\d{1,2}[.)])\s+")
_SHARE = re.compile(
    r"^(?:(?:website|linkedin|twitter|facebook|instagram|glassdoor|x\.com|tweet|whatsapp"
    r"|share(?: on| this(?: job| posting| role)?)?)[\s,|·•]*)+$",
    re.IGNORECASE,
)
# Section headings over lists of other jobs: they open a list wherever they stand.
_OTHER_JOBS = _any(
    r"(?:similar|related|recommended|other|latest) (?:jobs|positions|roles|openings"
    r"|opportunities|listings)\b",
    r"(?:jobs|roles) you (?:may|might) (?:also )?(?:like|be interested in)",
    r"you (?:may|might) also (?:like|be interested)",
    r"discover more opportunities",
    r"people (?:also viewed|who viewed)",
    r"looking for something different\??$",
    r"(?:offres|postes|emplois) (?:d'emploi )?similaires|autres offres",
    r"(?:ähnliche|weitere|passende) (?:jobs|stellen(?:angebote|anzeigen)?)\b",
    r"(?:ofertas|empleos|vacantes) similares|otras ofertas",
)
# A marker followed by a colon carries its list on the same line ("Offres similaires : a · b").
_INLINE_LIST = re.compile(r"^[^:]{0,60}:")
# Links that boards also put in the posting header: they open a list only once the body began.
_MORE_JOBS = _any(
    r"more (?:jobs|positions|roles|openings|opportunities|listings)\b",
    r"(?:view|browse|see) all .{0,40}\bjobs\b",
)
_WIDGET = re.compile(r"^\d[\d,.]*\+?\s+(?:open\s+)?jobs?(?:\s+(?:posted|open|available))?$", re.I)
_POSTING_HEADING = _any(
    r"^(?:job description|description|about (?:the|this) (?:role|position|team|opportunity)"
    r"|about us|responsibilities|requirements|qualifications|what you(?:'ll| will) do"
    r"|who you are|benefits|the role|your role)\b"
)
_MAX_MARKER = 80  # an "other jobs" marker is a short heading
_MAX_LIST_LINE = 150  # a list of other jobs ends at the first long (paragraph) line
_MAX_COMPANY = 60
_MAX_GAP = 40  # a short line between two dropped blocks is dropped too
_BLOCKS: frozenset[NoiseReason | None] = frozenset(
    {"ad", "cookie", "footer", "other_jobs", "widget"}
)


@dataclass(slots=True)
class Noise:
    """``reasons[i]`` says why segment ``i`` is dropped (``None``: keep it).

    ``companies`` lists the segments naming the employer in a widget ("TikTok / 58 jobs posted").
    """

    reasons: list[NoiseReason | None]
    companies: list[int] = field(default_factory=list)


def find_noise(source: str, segments: list[Segment]) -> Noise:
    """Classify every segment of ``source``."""
    texts = [source[s.start : s.end] for s in segments]
    ads, footers, cookies = (
        Hints(source, words) for words in (_AD_HINTS, _FOOTER_HINTS, ("cookie",))
    )
    noise = Noise(
        [
            _line_reason(
                text,
                ad=ads.within(seg.start, seg.end),
                footer=footers.within(seg.start, seg.end),
                cookie=cookies.within(seg.start, seg.end),
            )
            for seg, text in zip(segments, texts, strict=True)
        ]
    )
    _mark_other_jobs(texts, noise)
    _mark_widgets(texts, noise)
    _mark_gaps(texts, noise)
    return noise


def _line_reason(text: str, *, ad: bool, footer: bool, cookie: bool) -> NoiseReason | None:
    """Why a segment is noise by its own text; ``ad``/``footer``/``cookie``: it holds a hint."""
    if _RULE.match(text):
        return "rule"
    bullet = _BULLET.match(text)
    if bullet:
        text = text[bullet.end() :]
    size = len(text)
    if size > 400:
        return None
    # every pattern here ignores case: no lowercased copy needed
    if _AD_START.match(text) or (ad and _AD_ANYWHERE.search(text)):
        return "ad"
    if size <= 60 and _SHARE.match(text):
        return "share"
    if (size <= 40 and _COOKIE_BUTTON.match(text)) or (cookie and _COOKIE_BANNER.search(text)):
        return "cookie"
    if size <= 120 and _NAV.match(text):
        return "nav"
    if size <= 200 and footer:
        return "footer"
    return None


def _mark_other_jobs(texts: list[str], noise: Noise) -> None:
    """From a marker ("Similar Jobs") on, drop the short lines of the list that follows it.

    A "More jobs at Acme" link counts only once the body has begun (a paragraph-long line) or in
    the second half of the page, so that in a header it does not take the title with it.
    """
    inside = False
    body = False
    half = len(texts) // 2
    for i, text in enumerate(texts):
        short = len(text) <= _MAX_MARKER or _INLINE_LIST.match(text) is not None
        if short and (_OTHER_JOBS.match(text) or ((body or i >= half) and _MORE_JOBS.match(text))):
            inside = True
        elif inside and (len(text) >= _MAX_LIST_LINE or _POSTING_HEADING.match(text)):
            inside = False
        if inside:
            noise.reasons[i] = "other_jobs"
        body = body or len(text) >= _MAX_LIST_LINE


def _mark_widgets(texts: list[str], noise: Noise) -> None:
    """ "58 jobs posted" and the employer name on the line before it."""
    for i, text in enumerate(texts):
        if len(text) <= 40 and _WIDGET.match(text):
            noise.reasons[i] = "widget"
            if i and len(texts[i - 1]) <= _MAX_COMPANY and noise.reasons[i - 1] is None:
                noise.reasons[i - 1] = "widget"
                noise.companies.append(i - 1)


def _mark_gaps(texts: list[str], noise: Noise) -> None:
    """A short segment between two dropped blocks is a label of theirs ("About the job").

    Buttons (share, nav) do not count as blocks: a title between "Share" and "Apply now" stays.
    """
    reasons = noise.reasons
    gaps = [
        i
        for i in range(1, len(texts) - 1)
        if reasons[i] is None
        and len(texts[i]) <= _MAX_GAP
        and reasons[i - 1] in _BLOCKS
        and reasons[i + 1] in _BLOCKS
    ]
    for i in gaps:
        reasons[i] = "gap"
