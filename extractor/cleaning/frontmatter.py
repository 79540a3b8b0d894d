"""Front matter: the ``---`` (YAML) or ``+++`` (TOML) block that opens a markdown page.

Static-site pages (Jekyll, Hugo) put the posting's own fields there (``title:``, ``company:``,
``location:``) above a body that is often HTML. The block is kept line for line, so its fields
stay readable when the body below it is turned from HTML into text.
"""

from __future__ import annotations

import re

__all__ = ["split_front_matter"]

_FRONT_MATTER = re.compile(
    r"\A\ufeff?[ \t]*(---|\+\+\+)[ \t]*\r?\n.*?\n[ \t]*\1[ \t]*(?:\r?\n|\Z)", re.S
)
_MAX_FRONT_MATTER = 20_000


def split_front_matter(text: str) -> tuple[str, str]:
    """``(front_matter, body)``; the front matter is empty when the page opens with none."""
    match = _FRONT_MATTER.match(text[:_MAX_FRONT_MATTER])
    if match is None:
        return "", text
    return text[: match.end()], text[match.end() :]
