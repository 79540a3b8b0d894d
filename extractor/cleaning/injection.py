"""Passages planted for machine readers ("Ignore previous instructions", "SYSTEM: ...", a JSON
record to copy, a fake ``</posting>`` delimiter): not part of the posting.

The cleaner drops them like other noise, so they are neither sent to a model nor read by the
offline rules, and values they plant find no evidence in the kept text. A cue line takes its
whole paragraph (the run of non-blank lines around it) with it; a fake delimiter only its line.
"""

from __future__ import annotations

import re

from extractor.cleaning.segments import Segment

__all__ = ["CUE", "DELIMITER", "TRIGGERS", "find_injections"]

CUE = re.compile(
    r"^[^\w\n]*(?:system|assistant)[ \t]*:|"
    r"\bignore\s+(?:all\s+|any\s+|the\s+)?(?:previous|prior|above|earlier)\s+(?:instructions|prompts?)|"
    r"\b(?:note|message|instructions?)\s+(?:to|for)\s+(?:ai|llms?|language models?|assistants?|"
    r"automated|chatgpt|gpt|parsers?)\b|"
    r"\b(?:do not|don't)\s+(?:mention|reveal)\s+this\b|\bcopy this exactly\b|"
    r"^\s*\{\s*\"(?:title|company|pay|job_title|salary)\"\s*:",
    re.IGNORECASE | re.MULTILINE,
)
DELIMITER = re.compile(r"[ \t]*</?(?:posting|document|system|instructions?)>[ \t]*$", re.I)
# Every cue and delimiter holds one of these (lower-cased): only such lines are searched.
TRIGGERS = re.compile(
    "system|assistant|ignore|note to|note for|message to|message for|instruction|copy this|"
    'mention this|reveal this|{"|{ "|<posting|</posting|<document|</document|<system|</system'
)


def find_injections(source: str, segments: list[Segment]) -> list[bool]:
    """For each segment, whether it belongs to a planted passage."""
    marks = [False] * len(segments)
    for i, seg in enumerate(segments):
        text = source[seg.start : seg.end]
        if TRIGGERS.search(text.lower()) is None:
            continue
        if DELIMITER.match(text):
            marks[i] = True
        elif CUE.search(text):
            for j, other in enumerate(segments):  # the whole paragraph: same blank line before
                if other.blank_nl == seg.blank_nl:
                    marks[j] = True
    return marks
