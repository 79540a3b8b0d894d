"""``clean()``: raw page in, ``Document`` out (decode, HTML to text, drop noise and repeats).

``Document.source`` is the decoded input for text, and the readable text of the page for HTML
(``html_to_text``): offsets, signals and evidence point into it. ``Document.text`` is the
cleaned text, made only of source characters (see ``assemble``).
"""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

from extractor.cleaning.assemble import assemble
from extractor.cleaning.decode import decode, normalize_text
from extractor.cleaning.dedupe import find_duplicates
from extractor.cleaning.frontmatter import split_front_matter
from extractor.cleaning.html import tree_to_text
from extractor.cleaning.injection import find_injections
from extractor.cleaning.noise import find_noise
from extractor.cleaning.segments import split_segments
from extractor.cleaning.signals import find_signals
from extractor.cleaning.sniff import is_markup
from extractor.cleaning.structured import read_page_data
from extractor.cleaning.structured_text import data_signals, render_page_data
from extractor.document import Document
from extractor.errors import InputError

__all__ = ["clean"]


def clean(raw: bytes | str, *, name: str = "") -> Document:
    """Decode and clean one posting page.

    An HTML page's source is its structured posting data rendered as text (``html_source``),
    then its readable text.

    Raises ``InputError`` for empty, binary or undecodable input and for HTML without text.
    """
    text = decode(raw) if isinstance(raw, bytes) else normalize_text(raw)
    if not text.strip():
        raise InputError("input is empty")
    source, notes, data_end = text, list[str](), 0
    front, body = split_front_matter(text)
    if is_markup(body):
        page, notes, data_end = html_source(body)
        if not page.strip() and not front.strip():
            raise InputError("the HTML page has no readable text")
        # The page's own data first, then the front matter (ending with its newline), then text.
        source = page[:data_end] + front + page[data_end:]
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
    signals = [
        *data_signals(source[:data_end]),
        *find_signals(source, segments, readable, noise.companies),
    ]
    cleaned, offsets = assemble(source, segments, keep)
    if not cleaned.strip():
        document = Document.plain(source, name=name)
        document.signals = signals
        document.warnings += [*notes, "the cleaner found only noise; the page is kept as it is"]
        return document
    document = Document(source=source, text=cleaned, offsets=offsets, signals=signals, name=name)
    document.warnings += notes
    if planted := sum(injected):
        document.warnings.append(
            f"dropped {planted} line(s) written for machine readers (prompt injection)"
        )
    return document


def html_source(page: str) -> tuple[str, list[str], int]:
    """The text an HTML page stands for, notes about it, and where the text rendered from its
    schema.org ``JobPosting`` data (JSON-LD, microdata, else Open Graph) ends: that text comes
    first, then the page's readable text."""
    tree = LexborHTMLParser(page)
    body = tree_to_text(tree)
    data = read_page_data(tree)
    header = render_page_data(data, body)
    notes: list[str] = []
    if data.broken_blocks:
        notes.append(f"skipped {data.broken_blocks} JSON-LD block(s) that are not valid JSON")
    if not header:
        return body, notes, 0
    return (f"{header}\n{body}" if body.strip() else header), notes, len(header)
