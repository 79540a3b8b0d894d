"""Section headers (in English, German, French and Spanish) and the bullet items under them.

A header is a short line whose words match one of ``HEADERS`` (an optional trailing colon
allowed). Items are the bulleted lines under a header ("•", "-", "*", "1.", "1)"), or its plain
lines when the section has no bullets at all. A paragraph after a bullet list ends the section.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise

from extractor.offline.headings import HEADERS, keyword_kind, undecorated
from extractor.offline.lines import Span
from extractor.offline.runin import list_items, run_in_lists

# Section kinds whose items land in a JobPosting list field.
LIST_KINDS = ("responsibilities", "required", "preferred", "benefits", "start_dates")

# A colon-terminated lead-in line that names a section in a sentence ("you can expect to:").
LEAD_INS: tuple[tuple[str, str], ...] = (
    ("responsibilities", r"you (can expect to|will|'ll)|in this role|responsibilities include"),
    ("required", r"(you|candidates) (should|must) have|we('re| are) looking for|requirements"),
    ("benefits", r"(we|you)('ll| will)? (offer|get|receive|enjoy)"),
)

# Lines that close any open section (legal boilerplate after the lists).
STOPS = re.compile(
    r"^(by submitting|we are an equal|.{0,40}is an equal opportunity|equal opportunity|"
    r"if you have any questions|candidates can apply to a maximum|applications will be reviewed|"
    r"please (note|apply|submit|state)|to apply|how to apply|"
    r"apply (through|at|online|via|by|here|now|with)\b|.{0,80}\bdoes not discriminate|"
    r"(e-?mail|send) (your|a|us)\b|interested\?)",
    re.IGNORECASE,
)

# A requirement that is optional as a whole: it ends by saying so.
OPTIONAL = re.compile(
    r"\b(?:preferred|(?:is )?a (?:big )?plus|desirable|wünschenswert|von vorteil|"
    r"appréciée?s?|(?:est )?un plus|se valora\w*|deseable)"
    r"(?:\s*,?\s*(?:but|aber|mais|pero)?\s*(?:not required|keine voraussetzung|"
    r"non obligatoire|no obligatorio|optional))?[\s.;,!]*$",
    re.IGNORECASE,
)
# Words that make a requirement optional wherever they stand in it, in many languages.
OPTIONAL_ANYWHERE = re.compile(
    r"(?<!\w)(?:preferred|preferably|preferable|ideally|advantageous|an advantage|desirable|"
    r"desired|nice to have|is a (?:big |huge )?plus|would be a plus|bonus|"
    r"souhaitée?s?|apprécié(?:e|s|es)?|(?:serait|est) un plus|un atout|"
    r"valorables?|se valorará|deseables?|preferiblemente|preferentemente|será un diferencial|"
    r"diferencial|desejáve(?:l|is)|wünschenswert|von vorteil|vorteilhaft|idealerweise|"
    r"meriterande|pluspunt|gewenst|mile widziane|gradit[oa]|costituisce titolo)(?!\w)"
    r"|优先|为佳|우대",
    re.IGNORECASE,
)
SENTENCE_BREAK = re.compile(r"[a-z0-9)][.!?] +[A-Z]")  # "U.S. Citizenship" is one sentence
MAX_PLAIN_WORDS = 40

BULLET = re.compile(
    r"^(?:[-*+–—]\s+|[•·▪◦●○■□►▶✓✔➢→]\s*|\(?(?:\d{1,2}|[a-z])[.)]\s+|\d{1,2}[、．]\s*|（\d{1,2}）\s*"
    r"|o\s+(?=[A-ZÀ-Þ]))"  # "o Débutants acceptés": a sub-list drawn with the letter o
)

# Cells of a table row scraped to text: "Must have | Nice to have", or tab-separated.
COLUMN_SEP = re.compile(r"[ \t]*(?:\||\t)[ \t]*")
TABLE_KINDS = frozenset({"responsibilities", "required", "preferred", "benefits"})

# A bullet mark alone on its line: an HTML list item whose text sits on the next line.
LONE_MARK = re.compile(r"^(?:[-*+–—•·▪◦●○■□►▶✓✔➢→]|\d{1,2}[.)])$")
ENUM_MARK = re.compile(r"^\(?(?:\d{1,2}|[a-z])[.)]\s|^\d{1,2}[、．]|^（\d{1,2}）")

_HEADER_RES = tuple((kind, re.compile(pattern)) for kind, pattern in HEADERS)
_LEAD_IN_RES = tuple((kind, re.compile(pattern)) for kind, pattern in LEAD_INS)
_MAX_HEADER_CHARS = 60
_MAX_LEAD_IN_CHARS = 160


@dataclass(slots=True)
class Sections:
    """What the section walk found: items per kind, the team section's lines, header lines."""

    items: dict[str, list[Span]] = field(default_factory=lambda: {k: [] for k in LIST_KINDS})
    team_lines: list[Span] = field(default_factory=list)
    headers: list[Span] = field(default_factory=list)


def _normalize(text: str) -> str:
    text = undecorated(text)[0]
    text = text.replace("’", "'").replace("‘", "'").strip().rstrip(":：?").strip()
    return re.sub(r"\s+", " ", text.lower())


def header_kind(text: str) -> str | None:
    """The section kind a line announces, or None when it is not a header."""
    if len(text) > _MAX_LEAD_IN_CHARS or BULLET.match(text):
        return None
    key = _normalize(text)
    if len(key) <= _MAX_HEADER_CHARS:
        for kind, pattern in _HEADER_RES:
            if pattern.fullmatch(key):
                return kind
    if text.rstrip().endswith((":", "：")):
        for kind, pattern in _LEAD_IN_RES:
            if pattern.search(key):
                return kind
        if len(key.split()) <= 6:
            return "other"
    return None


def cells(line: Span) -> list[Span | None]:
    """The cells of a table row (None for an empty one); one cell when the line has no column."""
    bounds = [0]
    for sep in COLUMN_SEP.finditer(line.text):
        bounds += [sep.start(), sep.end()]
    bounds.append(len(line.text))
    found: list[Span | None] = []
    for start, end in zip(bounds[::2], bounds[1::2], strict=True):
        raw = line.text[start:end]
        inner = raw.strip()
        offset = line.start + start + (raw.index(inner) if inner else 0)
        found.append(Span(offset, offset + len(inner), inner) if inner else None)
    return found


def column_kinds(text: str) -> list[str] | None:
    """The list kinds a table header row names, one per column ("Must have | Nice to have")."""
    if not COLUMN_SEP.search(text):
        return None
    kinds = [header_kind(cell.text) for cell in cells(Span(0, len(text), text)) if cell]
    if len(kinds) < 2 or not all(kind in TABLE_KINDS for kind in kinds):
        return None
    return [kind for kind in kinds if kind is not None]


def strip_bullet(line: Span) -> Span | None:
    """The line without its bullet mark, or None when it carries no mark."""
    mark = BULLET.match(line.text)
    if mark is None:
        return None
    rest = line.text[mark.end() :].lstrip()
    if not rest:
        return None
    start = line.end - len(rest)
    return Span(start, line.end, rest)


def find_sections(
    lines: list[Span], text: str | None = None, indented: Callable[[Span], bool] | None = None
) -> Sections:
    """Walk the lines once, assigning bullet items to the section whose header they follow.

    Run-in lists ("Perks: a, b and c") fill their section in place; a table whose header row
    names a list per column ("Must have | Nice to have") gives each row's cells to its column.
    Given the ``text`` the lines come from and whether a line was ``indented`` in the source,
    a bullet hard-wrapped onto indented lines is one item.
    """
    if text is not None and indented is not None:
        lines = join_wrapped(lines, text, indented)
    found = Sections()
    current: str | None = None
    bullets: list[Span] = []
    marks: list[str] = []  # the mark kind of each bullet: "enum" (1., a)) or "symbol" (-, •)
    plain: list[Span] = []
    columns: list[str] = []  # the kinds of an open table's columns

    def _without_group_labels(items: list[Span]) -> list[Span]:
        """Nested lists keep their sub-items: "1. Delivery" over "- Lead projects" is a label."""
        if len(set(marks)) < 2 or len(marks) != len(items):
            return items
        return [
            item
            for i, item in enumerate(items)
            if not (i + 1 < len(items) and marks[i] != marks[i + 1] and marks[i] == "enum")
        ]

    def close() -> None:
        if current in found.items:
            # A lone plain line under a role header introduces the role; it lists nothing.
            lone_intro = len(plain) == 1 and current == "responsibilities"
            # One bare line under a list header lists its items run-in: "a, b and c."
            listed = list_items(plain[0]) if len(plain) == 1 and not bullets else []
            if listed and current != "responsibilities":
                _add(found, current, listed)
                return
            items = _without_group_labels(bullets) or ([] if lone_intro else plain)
            _add(found, current, [item for item in items if bullets or _item_like(item.text)])

    marked = {b.start for a, b in pairwise(lines) if LONE_MARK.match(a.text)}
    for line in lines:
        if LONE_MARK.match(line.text):
            continue
        if columns and COLUMN_SEP.search(line.text):
            for column, cell in zip(columns, cells(line), strict=False):
                if cell is not None:
                    _add(found, column, [strip_bullet(cell) or cell])
            continue
        columns = []
        if kinds := column_kinds(line.text):
            close()
            current, bullets, plain, columns = None, [], [], kinds
            marks.clear()
            continue
        kind = header_kind(line.text)
        if kind in (None, "other") and not BULLET.match(line.text):
            kind = keyword_kind(line.text) or kind
        if kind is not None:
            close()
            if _next_role(found, kind):
                current = None
                break
            found.headers.append(line)
            current, bullets, plain = kind, [], []
            marks.clear()
            continue
        if run_in := run_in_lists(line, header_kind):
            close()
            current, bullets, plain = None, [], []
            marks.clear()
            for kind, item in run_in:
                _add(found, kind, [item])
            continue
        if current is None:
            continue
        bullet = strip_bullet(line) or (line if line.start in marked else None)
        if bullet is not None and (sub := _sub_heading(bullet.text)) is not None:
            close()  # "- Profil et expérience :" heads the items under it
            current, bullets, plain = sub, [], []
            marks.clear()
            continue
        if current == "team":
            found.team_lines.append(bullet or line)
        elif bullet is not None:
            bullets.append(bullet)
            marks.append(_mark_kind(line.text))
        elif bullets or STOPS.match(line.text):
            close()
            current, bullets, plain = None, [], []
            marks.clear()
        else:
            plain.append(line)
    close()
    return found


def _sub_heading(text: str) -> str | None:
    """The list kind a bulleted line ending in a colon names ("- Profil et expérience :")."""
    if not text.rstrip().endswith((":", "：")):
        return None
    kind = keyword_kind(text)
    return kind if kind in TABLE_KINDS else None


def join_wrapped(lines: list[Span], text: str, indented: Callable[[Span], bool]) -> list[Span]:
    """Bullets with their hard-wrapped continuation lines (indented, no mark, no blank line
    between) joined into one span: "* Erstellung neuer ... unter\n  Berücksichtigung ..."."""
    joined: list[Span] = []
    in_bullet = False
    for line in lines:
        previous = joined[-1] if joined else None
        wrapped = (
            in_bullet
            and previous is not None
            and indented(line)
            and text.count("\n", previous.end, line.start) == 1
            and BULLET.match(line.text) is None
        )
        if wrapped and previous is not None:
            joined[-1] = Span(previous.start, line.end, text[previous.start : line.end])
            continue
        joined.append(line)
        in_bullet = BULLET.match(line.text) is not None
    return joined


def _next_role(found: Sections, kind: str) -> bool:
    """Whether a duties header starts the next role of a digest: duties were already filled,
    and a different list section came after ("Duties, Requirements, Duties, ...")."""
    if kind != "responsibilities" or not found.items[kind]:
        return False
    last = max((k for k in TABLE_KINDS if found.items[k]), key=lambda k: found.items[k][-1].start)
    return last != kind


def _mark_kind(text: str) -> str:
    return "enum" if ENUM_MARK.match(text) else "symbol"


def _add(found: Sections, kind: str, items: list[Span]) -> None:
    """Add items; a requirement that is optional as a whole is a preferred one."""
    for item in items:
        whole = ";" not in item.text and "；" not in item.text  # "English; Thai is a plus"
        optional = (
            kind == "required"
            and whole
            and (OPTIONAL.search(item.text) or OPTIONAL_ANYWHERE.search(item.text))
        )
        found.items["preferred" if optional else kind].append(item)


def _item_like(text: str) -> bool:
    """A plain line that can be a list item: one short sentence."""
    return len(text.split()) <= MAX_PLAIN_WORDS and not SENTENCE_BREAK.search(text)
