"""``clean()``: raw page in, ``Document`` out (decode, HTML to text, drop noise and repeats).

``Document.source`` is the decoded input for text, and the readable text of the page for HTML
(``html_to_text``): offsets, signals and evidence point into it. ``Document.text`` is the
cleaned text, made only of source characters (see ``assemble``).
"""

from __future__ import annotations

from extractor.cleaning.assemble import assemble
from extractor.cleaning.decode import decode, normalize_text
from extractor.cleaning.dedupe import find_duplicates
from extractor.cleaning.frontmatter import split_front_matter
from extractor.cleaning.html import html_to_text
from extractor.cleaning.injection import find_injections
from extractor.cleaning.noise import find_noise
from extractor.cleaning.segments import split_segments
from extractor.cleaning.signals import find_signals
from extractor.cleaning.sniff import is_markup
from extractor.document import Document
from extractor.errors import InputError

__all__ = ["clean"]


def clean(raw: bytes | str, *, name: str = "") -> Document:
    """Decode and clean one posting page.

    Raises ``InputError`` for empty, binary or undecodable input and for HTML without text.
    """
    text = decode(raw) if isinstance(raw, bytes) else normalize_text(raw)
    if not text.strip():
        raise InputError("input is empty")
    source = text
    front, body = split_front_matter(text)
    if is_markup(body):
        page_text = html_to_text(body)
        if not page_text.strip() and not front.strip():
            raise InputError("the HTML page has no readable text")
        source = front + page_text  # the front matter ends with its newline
    segments = split_segments(source)
    noise = find_noise(source, segments)
    injected = find_injections(source, segments)
    dropped = [reason is not None or i for reason, i in zip(noise.reasons, injected, strict=True)]
    repeats = find_duplicates(source, segments, dropped)
    keep = [not (d or r) for d, r in zip(dropped, repeats, strict=True)]
    readable = [
        reason != "other_jobs" and not r and not i
        for reason, r, i in zip(noise.reasons, repeats, injected, strict=True)
    ]
    signals = find_signals(source, segments, readable, noise.companies)
    cleaned, offsets = assemble(source, segments, keep)
    if not cleaned.strip():
        document = Document.plain(source, name=name)
        document.signals = signals
        document.warnings.append("the cleaner found only noise; the page is kept as it is")
        return document
    document = Document(source=source, text=cleaned, offsets=offsets, signals=signals, name=name)
    if planted := sum(injected):
        document.warnings.append(
            f"dropped {planted} line(s) written for machine readers (prompt injection)"
        )
    return document
