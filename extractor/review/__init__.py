"""The review page: ``extractor review OUT.jsonl -o review.html``.

records    read the JSONL, read each source again, cut it into highlighted segments
page       write one self-contained HTML file
template   the page's HTML, CSS and script
"""

from extractor.review.page import ReviewStats, write_review

__all__ = ["ReviewStats", "write_review"]
