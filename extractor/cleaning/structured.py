"""The posting data a page carries for machines: schema.org ``JobPosting`` JSON-LD, microdata,
and Open Graph tags, read into plain JSON-like dicts (``structured_text`` renders them).

- JSON-LD: every ``<script type="application/ld+json">``; a ``JobPosting`` is found at the top,
  in a list, under ``@graph`` or nested in another node (``@type`` may be a list or a full
  ``https://schema.org/JobPosting`` IRI). A block that is not valid JSON is retried without an
  HTML comment or CDATA wrapper and with raw line breaks inside strings; if it still fails it is
  skipped and counted.
- Microdata: an element with ``itemscope`` and an ``itemtype`` ending in ``JobPosting``; each
  ``itemprop`` below it gives a value (``content``, ``datetime``, ``href``/``src`` or the text; a
  nested ``itemscope`` gives a dict; ``description`` keeps its HTML).
- Open Graph: ``og:title`` and ``og:description``, used only when the page has nothing else
  (these tags are written for link previews: titles often carry the company and place).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

__all__ = ["PageData", "read_page_data"]

_WRAPPER = re.compile(r"^\s*(?:<!--|<!\[CDATA\[)|(?:-->|\]\]>)\s*$")
_MAX_DEPTH = 20


@dataclass
class PageData:
    """The ``JobPosting`` objects found on a page, Open Graph fallbacks, and unreadable blocks."""

    postings: list[dict[str, Any]] = field(default_factory=list)
    open_graph: dict[str, str] = field(default_factory=dict)
    broken_blocks: int = 0


def read_page_data(tree: LexborHTMLParser) -> PageData:
    """Everything ``tree`` says about its posting in structured form."""
    data = PageData()
    for node in tree.css('script[type="application/ld+json" i]'):
        parsed = _load_json(node.text(deep=True) or "")
        if parsed is None:
            data.broken_blocks += bool((node.text(deep=True) or "").strip())
            continue
        data.postings.extend(_job_postings(parsed, 0))
    for node in tree.css("[itemscope][itemtype]"):
        if _is_job_posting(node.attributes.get("itemtype")) and not _inside_item(node):
            data.postings.append(_microdata(node))
    for node in tree.css("meta[property^='og:']"):
        name = (node.attributes.get("property") or "")[3:]
        content = (node.attributes.get("content") or "").strip()
        if name in ("title", "description") and content and name not in data.open_graph:
            data.open_graph[name] = content
    return data


def _load_json(text: str) -> Any:
    for candidate in (text, _WRAPPER.sub("", text)):
        try:
            return json.loads(candidate, strict=False)  # strict=False: raw newlines in strings
        except ValueError:
            continue
    return None


def _job_postings(value: Any, depth: int) -> Iterator[dict[str, Any]]:
    if depth > _MAX_DEPTH:
        return
    if isinstance(value, list):
        for item in value:
            yield from _job_postings(item, depth + 1)
    elif isinstance(value, dict):
        if _is_job_posting(value.get("@type")):
            yield value
            return
        for key, child in value.items():
            if key == "@graph" or isinstance(child, dict | list):
                yield from _job_postings(child, depth + 1)


def _is_job_posting(kind: Any) -> bool:
    kinds = kind if isinstance(kind, list) else str(kind or "").split()
    return any(isinstance(k, str) and re.search(r"(?:^|[/:#])JobPosting$", k) for k in kinds)


def _inside_item(node: LexborNode) -> bool:
    parent = node.parent
    while parent is not None:
        if "itemscope" in parent.attributes:
            return True
        parent = parent.parent
    return False


def _microdata(scope: LexborNode) -> dict[str, Any]:
    """The properties of one ``itemscope`` element (nested scopes become dicts)."""
    item: dict[str, Any] = {}
    stack = list(reversed([c for c in scope.iter() if c.is_element_node]))
    while stack:
        node = stack.pop()
        props = (node.attributes.get("itemprop") or "").split()
        nested = "itemscope" in node.attributes
        if props:
            value = _microdata(node) if nested else _microdata_value(node, props)
            for prop in props:
                _add(item, prop, value)
        if not nested:
            stack.extend(reversed([c for c in node.iter() if c.is_element_node]))
    return item


def _microdata_value(node: LexborNode, props: list[str]) -> str:
    attrs = node.attributes
    for name in ("content", "datetime"):
        if attrs.get(name) is not None:
            return attrs[name] or ""
    if node.tag in ("a", "link", "area") and attrs.get("href"):
        return attrs["href"] or ""
    if node.tag in ("img", "audio", "video", "source") and attrs.get("src"):
        return attrs["src"] or ""
    if "description" in props:
        return node.inner_html or ""
    return node.text(deep=True) or ""


def _add(item: dict[str, Any], prop: str, value: Any) -> None:
    if prop not in item:
        item[prop] = value
    elif isinstance(item[prop], list):
        item[prop].append(value)
    else:
        item[prop] = [item[prop], value]
