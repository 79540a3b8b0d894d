"""Find repeated content: the description pasted twice, repeated paragraphs.

A segment repeats an earlier one when their keys (casefolded, spacing collapsed, list marker
and closing punctuation dropped) are equal, or, for long segments, when rapidfuzz's ratio is at least 95. Exact repeats are found by
hashing; fuzzy ones are compared only with earlier long segments of similar length (a ratio of
95 is impossible when one key is more than ~10% longer than the other).

A repeated short line ("Responsibilities:", the title in the header and the body) is kept: only
runs of consecutive repeats weighing at least ``MIN_RUN`` key characters are dropped, so a
duplicated description goes while a heading used twice stays. The first copy is always kept.
"""

from __future__ import annotations

import re
from bisect import bisect_left, insort

from rapidfuzz import fuzz

from extractor.cleaning.segments import Segment

__all__ = ["MIN_RUN", "find_duplicates", "key_of"]

MIN_RUN = 100  # key characters in a run of repeats before it is dropped
_FUZZY_MIN = 60  # keys shorter than this only match exactly
_RATIO = 95.0
_LENGTH_SLACK = 0.9  # ratio >= 95 needs min/max key length >= 0.905
_MAX_CANDIDATES = 64  # fuzzy comparisons per segment: keeps huge pages linear
_MARKER = re.compile(r"(?:[-•*·▪◦‣–—]|\d{1,2}[.)])\s*")
_CLOSING = ".,;:!?"


def key_of(text: str) -> str:
    """The comparison key of a segment: bullets, case, spacing and a closing stop do not make two
    lines different. (Cheaper than stripping all punctuation, which costs a regex pass.)"""
    key = " ".join(text.casefold().split())
    marker = _MARKER.match(key)
    if marker:
        key = key[marker.end() :]
    return key.rstrip(_CLOSING)


def find_duplicates(source: str, segments: list[Segment], skip: list[bool]) -> list[bool]:
    """``result[i]`` is True when segment ``i`` belongs to a dropped run of repeats.

    Segments with ``skip[i]`` (already dropped as noise) are neither matched nor compared
    against, and do not break a run.
    """
    keys = [key_of(source[s.start : s.end]) for s in segments]
    repeats = _repeats(keys, skip)
    dropped = [False] * len(segments)
    run: list[int] = []
    weight = 0
    for i, key in enumerate(keys):
        if skip[i]:
            continue
        if repeats[i]:
            run.append(i)
            weight += len(key)
            continue
        _close(run, weight, dropped)
        run, weight = [], 0
    _close(run, weight, dropped)
    return dropped


def _close(run: list[int], weight: int, dropped: list[bool]) -> None:
    if weight >= MIN_RUN:
        for i in run:
            dropped[i] = True


def _repeats(keys: list[str], skip: list[bool]) -> list[bool]:
    seen: set[str] = set()
    long_keys: list[tuple[int, str]] = []  # (length, key), sorted, for fuzzy candidates
    repeats = [False] * len(keys)
    for i, key in enumerate(keys):
        if skip[i] or not key:
            continue
        if key in seen or (len(key) >= _FUZZY_MIN and _fuzzy_seen(key, long_keys)):
            repeats[i] = True
            continue
        seen.add(key)
        if len(key) >= _FUZZY_MIN:
            insort(long_keys, (len(key), key))
    return repeats


def _fuzzy_seen(key: str, long_keys: list[tuple[int, str]]) -> bool:
    n = len(key)
    lo = bisect_left(long_keys, (int(n * _LENGTH_SLACK), ""))
    for length, other in long_keys[lo : lo + _MAX_CANDIDATES]:
        if length * _LENGTH_SLACK > n:
            break
        if fuzz.ratio(key, other, score_cutoff=_RATIO):
            return True
    return False
