"""Turn a scraped posting page into a ``Document``: decoded, de-duplicated, noise removed.

    clean(raw, name=...)   bytes or str in, Document out (the usual entry point)
    decode(raw)            bytes of unknown encoding in, normalised text out
    html_to_text(html)     an HTML page as readable text with its block structure
    is_html(text)          whether text is HTML

Noise is removed conservatively (a line is dropped only when a rule names it); facts outside
the description (expired notice, posted date, header pay, deadline) are kept as ``Signal``s.
"""

from extractor.cleaning.decode import decode
from extractor.cleaning.html import html_to_text, is_html
from extractor.cleaning.pipeline import clean

__all__ = ["clean", "decode", "html_to_text", "is_html"]
