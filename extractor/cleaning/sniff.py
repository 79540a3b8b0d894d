"""Whether a page is markup: HTML anywhere in it, not only in its first few kilobytes.

``html.is_html`` looks at the head of a page. A template (PHP, Blade, JSP) can open with a long
block of code or CSS before its first tag; such a page is still HTML when tags are common
through the whole of it.
"""

from __future__ import annotations

import re

from extractor.cleaning.html import is_html

__all__ = ["is_markup"]

_BLOCK_TAG = re.compile(r"<(?:div|p|li|ul|h[1-6]|table|tr|td|span|section|br)\b[^<>]{0,400}>", re.I)
_CODE_RECORD = re.compile(r"^\s*(?:[\[{]|\"[\w-]+\"\s*:|export\s|const\s|var\s|let\s)")
_MIN_TAGS = 20
_MIN_TAGS_PER_KB = 0.5


def is_markup(text: str) -> bool:
    """True for HTML pages and templates; False for plain text and for a code record (JSON,
    a JS object) whose strings hold HTML: the cleaner cuts those at their block tags."""
    if _CODE_RECORD.match(text):
        return False
    if is_html(text):
        return True
    tags = len(_BLOCK_TAG.findall(text))
    return tags >= _MIN_TAGS and tags >= _MIN_TAGS_PER_KB * len(text) / 1000
