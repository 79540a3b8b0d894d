"""HTML pages to readable text with their block structure kept.

Headings and paragraphs stand between blank lines, ``<li>`` items become ``- item`` lines,
``<br>`` and other block elements break lines, table cells are joined with `` | ``. Scripts,
styles, navigation, footers, asides, forms' hidden parts and cookie/consent banners are dropped.
For HTML input this text is ``Document.source``: offsets point into it, not into the markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from selectolax.lexbor import LexborHTMLParser, LexborNode

__all__ = ["html_to_text", "is_html", "tree_to_text"]

_DOCUMENT_TAG = re.compile(r"<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE)
_COMMON_TAG = re.compile(
    r"</?(?:p|div|br|li|ul|ol|span|a|h[1-6]|table|tr|td|strong|em|b|i|section)\b[^>]*>",
    re.IGNORECASE,
)
_MIN_TAGS = 5
# A page saved inside a template (PHP, a CMS) can open with code; its JSON-LD marks it as HTML.
_JSON_LD = re.compile(r"<script\b[^>]*application/ld\+json", re.IGNORECASE)

_SKIP = frozenset(
    {
        "script", "style", "noscript", "template", "svg", "canvas", "iframe", "object",
        "nav", "footer", "aside", "head", "title", "meta", "link", "select", "option",
        "button", "input", "textarea", "-comment",
    }
)  # fmt: skip
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_PARAGRAPHS = _HEADINGS | {"p", "ul", "ol", "dl", "table", "blockquote", "pre", "figure"}
_LINES = frozenset(
    {
        "div", "section", "article", "main", "header", "li", "dt", "dd", "tr", "form",
        "address", "fieldset", "details", "summary", "label", "caption", "hr", "figcaption",
    }
)  # fmt: skip
_CELLS = frozenset({"td", "th"})
# Sibling fields written as touching inline elements ("<span>Full-time</span><span>Remote</span>")
# are shown apart by CSS; without a separator their words would run together. A label ending
# in ":" keeps its value ("<b>Location:</b> <span>Berlin</span>").
_FIELDS = frozenset({"span", "a", "time", "small", "strong", "b", "em", "i", "label"})
_FIELD_SEPARATOR = " · "
_HIDDEN = re.compile(r"cookie|consent|gdpr|onetrust", re.IGNORECASE)
# Class or id tokens of page chrome (matched whole: "menu", not "job-menu-content").
_CHROME = frozenset(
    {"menu", "navbar", "nav", "navigation", "breadcrumb", "breadcrumbs", "promo", "advert",
     "ads", "ad-banner", "sponsored", "share", "social-share", "sharing", "skip-link"}
)  # fmt: skip
_SPACES = re.compile(r"[ \t\n\r\f\v\u00a0]+")
_NO_BREAK = 0
_LINE = 1
_PARAGRAPH = 2


def is_html(text: str) -> bool:
    """True when ``text`` looks like an HTML page or fragment rather than plain text."""
    head = text[:4096]
    if "<" not in head:
        return False
    if _DOCUMENT_TAG.search(head):
        return True
    return len(_COMMON_TAG.findall(head)) >= _MIN_TAGS or _JSON_LD.search(text) is not None


def html_to_text(html: str) -> str:
    """The readable text of an HTML page, one block per line, paragraphs between blank lines."""
    return tree_to_text(LexborHTMLParser(html))


def tree_to_text(tree: LexborHTMLParser) -> str:
    """``html_to_text`` for a page already parsed."""
    root = tree.body or tree.root
    if root is None:
        return ""
    writer = _Writer()
    for event, node in _walk(root):
        writer.handle(event, node)
    return writer.result()


def _dropped(node: LexborNode) -> bool:
    if node.tag in _SKIP:
        return True
    attrs = node.attributes
    if "hidden" in attrs or attrs.get("aria-hidden") == "true":  # a bare `hidden` is None
        return True
    if attrs.get("role") == "navigation":
        return True
    marker = f"{attrs.get('id') or ''} {attrs.get('class') or ''}"
    return bool(_HIDDEN.search(marker)) or not _CHROME.isdisjoint(marker.lower().split())


def _walk(root: LexborNode) -> Iterator[tuple[str, LexborNode]]:
    """Depth-first ``("start"|"text"|"end", node)`` events, without recursion."""
    stack: list[tuple[str, LexborNode]] = [("children", root)]
    while stack:
        event, node = stack.pop()
        if event != "children":
            yield event, node
            continue
        for child in reversed(list(node.iter(include_text=True))):
            if child.tag == "-text":
                stack.append(("text", child))
            elif child.is_element_node and not _dropped(child):
                stack += [("end", child), ("children", child), ("start", child)]


class _Writer:
    """Collects text with pending line/paragraph breaks, collapsing whitespace as browsers do."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pending = _NO_BREAK
        self.pre = 0
        self.at_line_start = True
        self.field_closed = False  # the last event closed an inline field element

    def handle(self, event: str, node: LexborNode) -> None:
        tag = node.tag or ""
        touching = self.field_closed
        self.field_closed = False
        if event == "text":
            content = node.text_content or ""
            self.text(content)
            # Fields on their own source lines ("<span>A</span>\n  <span>B</span>") are
            # separate fields too; "<span>A</span> <span>B</span>" is running text.
            self.field_closed = touching and not content.strip() and "\n" in content
        elif event == "start":
            if touching and tag in _FIELDS and not self.pending and not self.after_label():
                self.emit(_FIELD_SEPARATOR)
            self.open(tag)
        else:
            self.close(tag)
            self.field_closed = tag in _FIELDS

    def after_label(self) -> bool:
        """Whether the text so far ends with a label's colon ("Location:")."""
        last = next((part.rstrip() for part in reversed(self.parts) if part.strip()), "")
        return last.endswith((":", "："))

    def open(self, tag: str) -> None:
        if tag in _PARAGRAPHS:
            self.brk(_PARAGRAPH)
        elif tag in _LINES:
            self.brk(_LINE)
        if tag == "li":
            self.emit("- ")
        elif tag in _CELLS and not (self.at_line_start or self.pending):
            self.emit(" | ")
        elif tag == "br" and self.parts:
            self.pending = min(self.pending + 1, _PARAGRAPH)
        elif tag == "pre":
            self.pre += 1

    def close(self, tag: str) -> None:
        if tag in _PARAGRAPHS:
            self.brk(_PARAGRAPH)
        elif tag in _LINES:
            self.brk(_LINE)
        if tag == "pre":
            self.pre -= 1

    def brk(self, level: int) -> None:
        if self.parts:
            self.pending = max(self.pending, level)

    def text(self, text: str) -> None:
        if self.pre:
            self.emit(text)
            return
        text = _SPACES.sub(" ", text)
        if self.at_line_start or self.pending:
            text = text.lstrip(" ")
        if text:
            self.emit(text)

    def emit(self, text: str) -> None:
        if self.pending:
            if self.parts:
                self.parts[-1] = self.parts[-1].rstrip(" ")
                self.parts.append("\n" * self.pending)
            self.pending = _NO_BREAK
            self.at_line_start = True
        if self.at_line_start:
            text = text.lstrip(" ") or text
        elif text.startswith(" ") and self.parts[-1].endswith(" "):
            text = text[1:]
        if text:
            self.parts.append(text)
        self.at_line_start = text.endswith("\n")

    def result(self) -> str:
        return "".join(self.parts).strip() + "\n"
