"""Section headers (in English, German, French and Spanish) and the bullet items under them.

A header is a short line whose words match one of ``HEADERS`` (an optional trailing colon
allowed). Items are the bulleted lines under a header ("•", "-", "*", "1.", "1)"), or its plain
lines when the section has no bullets at all. A paragraph after a bullet list ends the section.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from extractor.offline.api_lists import record_list_items
from extractor.offline.headers_i18n import keyword_kind
from extractor.offline.headings import HEADERS
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
    r"appréciée?s?|(?:est )?un plus|se valora\w*|deseable|preferiblemente|valorable|souhaitée?s?|"
    r"serait un plus|advantageous|an advantage)\)?"
    r"(?:\s*,?\s*(?:but|aber|mais|pero)?\s*(?:not required|keine voraussetzung|"
    r"non obligatoire|no obligatorio|optional))?[\s.;,!]*$|(?:优先|为佳)[。；;]?$",
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
    r"^(?:[-*+–—]\s+|\*(?=[A-ZÀ-ÖØ-Þ][a-zà-ÿ])|[•·▪◦●○■□►▶✓✔➢→]\s*|\(?(?:\d{1,2}|[a-z])[.)]\s+|\d{1,2}[、．]\s*)"
)

# Cells of a table row scraped to text: "Must have | Nice to have", or tab-separated.
COLUMN_SEP = re.compile(r"[ \t]*(?:\||\t)[ \t]*")
ITEM_KINDS = frozenset({"responsibilities", "required", "preferred", "benefits"})
TABLE_KINDS = ITEM_KINDS
ROLE_KINDS = frozenset({"responsibilities", "required"})

# A bullet mark alone on its line: the item is the next line.
LONE_MARK = re.compile(r"[-*•·▪◦●○■►▶–]")
# A letter "o" written as a bullet before a capitalised item.
PSEUDO_BULLET = re.compile(r"^o\s+(?=[A-ZÀ-ÖØ-Þ])")
_MAX_SUBHEADING_WORDS = 3
# A bullet cut mid-sentence: it ends on a comma or a word that needs more after it.
OPEN_END = re.compile(
    r"(?:,|\b(?:and|or|of|the|to|for|with|in|a|an|und|oder|der|die|das|des|von|zur|zum|mit|"
    r"für|et|ou|de|du|des|la|le|les|y|o|el|los|las|e|di|il))$",
    re.IGNORECASE,
)

ENUM_MARK = re.compile(r"^\(?(?:\d{1,2}|[a-z])[.)]\s|^\d{1,2}[、．]")

# Heading markup around a header's words: "## Aufgaben", "**Benefits**", "【岗位职责】", " · :".
MARKUP = re.compile(r"^[#*_\s【\[]+|[*_【】\[\]·]+")
NOT_HEADING = re.compile(r"[:：\"{}=;|]|\s[-–]\s")
HEADING_MARK = re.compile(r"^(?:#|\*\*|__|【)")
_MAX_HEADING_WORDS = 8
_MAX_CJK_HEADING_CHARS = 16

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
    text = text.replace("’", "'").replace("‘", "'")
    text = MARKUP.sub(" ", text).strip().rstrip(":：?.… ").strip()
    return re.sub(r"\s+", " ", text.lower())


def header_kind(text: str, *, before_list: bool = False, words: bool = False) -> str | None:
    """The section kind a line announces, or None when it is not a header.

    With ``words``, a heading-like line (a colon, heading markup, a list right under it, or a
    few words without a full stop) also names the section of a word it holds
    (``headers_i18n``): "Twój zakres obowiązków", "Qualifikationserfordernisse:".
    """
    if len(text) > _MAX_LEAD_IN_CHARS or BULLET.match(text):
        return None
    key = _normalize(text)
    if len(key) <= _MAX_HEADER_CHARS:
        for kind, pattern in _HEADER_RES:
            if pattern.fullmatch(key):
                return kind
        if words and _heading_like(text, key, before_list):
            if (named := keyword_kind(key)) is not None:
                return named
            if HEADING_MARK.match(text) or (text.isupper() and len(key.split()) > 1):
                return "other"  # "【职位描述】", "## Über uns": a heading, of no list
    if text.rstrip().endswith((":", "：")):
        for kind, pattern in _LEAD_IN_RES:
            if pattern.search(key):
                return kind
        if len(key.split()) <= 6:
            return "other"
    return None


def _heading_like(text: str, key: str, before_list: bool) -> bool:
    """A line set out as a heading rather than a sentence of the text."""
    text = text.rstrip()
    if NOT_HEADING.search(key) or "?" in text:
        return False  # "label: value", page syntax ("{", '"'), a list of values
    if before_list or text.endswith((":", "：", "...", "…")) or HEADING_MARK.match(text):
        return True
    if " " not in key and len(key) > _MAX_CJK_HEADING_CHARS:
        return False  # a CJK sentence, not a heading
    return len(key.split()) <= _MAX_HEADING_WORDS and not text.endswith((".", "。", "!", ";"))


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


def find_sections(
    lines: list[Span], text: str | None = None, indented: Callable[[Span], bool] | None = None
) -> Sections:
    """Walk the lines once, assigning bullet items to the section whose header they follow.

    Run-in lists ("Perks: a, b and c") fill their section in place; a table whose header row
    names a list per column ("Must have | Nice to have") gives each row's cells to its column.
    """
    if text is not None and indented is not None:
        lines = join_wrapped(lines, text, indented)
    walk = _Walk()
    marked = _marked(lines)
    for index, (line, bullet) in enumerate(marked):
        before_list = index + 1 < len(marked) and marked[index + 1][1] is not None
        walk.step(line, bullet, before_list)
    walk.close()
    for kind, item in record_list_items(lines):
        walk.found.items[kind].append(item)
    return walk.found


def _marked(lines: list[Span]) -> list[tuple[Span, Span | None]]:
    """Each line with its bullet item (None for a plain line); a bullet mark alone on its line
    ("-" then the item's text on the next line) marks the line after it."""
    marked: list[tuple[Span, Span | None]] = []
    lone = False
    for line in lines:
        if LONE_MARK.fullmatch(line.text):
            lone = True
            continue
        bullet = line if lone else strip_bullet(line) or _pseudo_bullet(line)
        marked.append((line, bullet))
        lone = False
    return marked


def _pseudo_bullet(line: Span) -> Span | None:
    """A line marked by a letter "o" standing for a bullet ("o Débutants acceptés")."""
    mark = PSEUDO_BULLET.match(line.text)
    if mark is None:
        return None
    return Span(line.start + mark.end(), line.end, line.text[mark.end() :])


@dataclass(slots=True)
class _Walk:
    """The section walk's state: the open section and the items gathered under it."""

    found: Sections = field(default_factory=Sections)
    current: str | None = None
    bullets: list[Span] = field(default_factory=list)
    marks: list[str] = field(default_factory=list)  # "enum" (1., a)) or "symbol" (-, •)
    plain: list[Span] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)  # the kinds of an open table's columns

    opened: list[str] = field(default_factory=list)  # the list sections opened, in order
    done: bool = False  # a digest's second role began: the rest is not the first role's

    def open(self, kind: str | None) -> None:
        self.close()
        if kind in ITEM_KINDS:
            if self._next_role(kind):
                self.done = True
                kind = None
            else:
                self.opened.append(kind)
        self.current, self.bullets, self.plain = kind, [], []
        self.marks.clear()

    def _next_role(self, kind: str) -> bool:
        """Duties or requirements again after the other one: a digest's next role begins."""
        if kind not in ROLE_KINDS or not self.found.items[kind] or kind not in self.opened:
            return False
        since = self.opened[self.opened.index(kind) :]
        return any(seen in ROLE_KINDS and seen != kind for seen in since)

    def close(self) -> None:
        current, bullets, plain = self.current, self.bullets, self.plain
        self.current, self.bullets, self.plain = None, [], []
        if current not in self.found.items:
            return
        # A lone plain line under a role header introduces the role; it lists nothing.
        lone_intro = len(plain) == 1 and current == "responsibilities"
        # One bare line under a list header lists its items run-in: "a, b and c."
        listed = list_items(plain[0]) if len(plain) == 1 and not bullets else []
        if listed and (current != "responsibilities" or "；" in plain[0].text):
            _add(self.found, current, listed)
            return
        # Paragraphs under a heading are prose, and so are the short lines between them.
        prose = not bullets and not all(_item_like(line.text) for line in plain)
        items = self._without_group_labels(bullets) or ([] if lone_intro or prose else plain)
        _add(self.found, current, items)

    def _without_group_labels(self, items: list[Span]) -> list[Span]:
        """Nested lists keep their sub-items: "1. Delivery" over "- Lead projects" is a label."""
        marks = self.marks
        if len(set(marks)) < 2 or len(marks) != len(items):
            return items
        return [
            item
            for i, item in enumerate(items)
            if not (i + 1 < len(items) and marks[i] != marks[i + 1] and marks[i] == "enum")
        ]

    def step(self, line: Span, bullet: Span | None, before_list: bool) -> None:
        if self.done:
            return
        if self.columns and COLUMN_SEP.search(line.text):
            for column, cell in zip(self.columns, cells(line), strict=False):
                if cell is not None:
                    _add(self.found, column, [strip_bullet(cell) or cell])
            return
        self.columns = []
        if kinds := column_kinds(line.text):
            self.open(None)
            self.columns = kinds
            return
        if (bullet is None or _names_sublist(bullet)) and self._header(bullet or line, before_list):
            return
        if run_in := run_in_lists(line, header_kind):
            self.open(None)
            for kind, item in run_in:
                _add(self.found, kind, [item])
            return
        if self.current is None:
            return
        if self.current == "team":
            self.found.team_lines.append(bullet or line)
        elif bullet is not None:
            self.bullets.append(bullet)
            self.marks.append(_mark_kind(line.text))
        elif self.bullets and _continues(self.bullets[-1], line):
            last = self.bullets[-1]
            self.bullets[-1] = Span(last.start, line.end, f"{last.text} {line.text}")
        elif self.bullets and before_list and _subheading(line.text):
            return  # "Idiomas" between two lists of one section
        elif self.bullets or STOPS.match(line.text):
            self.open(None)
        else:
            self.plain.append(line)

    def _header(self, line: Span, before_list: bool) -> bool:
        """Open the section ``line`` names; False when it names none."""
        strict = header_kind(line.text)
        kind = strict
        if kind is None or kind == "other":
            kind = header_kind(line.text, before_list=before_list, words=True) or kind
        if kind is None:
            return False
        if strict is not None:
            self.found.headers.append(line)
        self.open(kind)
        return True


def _names_sublist(bullet: Span) -> bool:
    """A bullet that heads the items under it: "- Profil et expérience :"."""
    return bullet.text.rstrip().endswith((":", "：")) and len(bullet.text) <= _MAX_HEADER_CHARS


def _continues(bullet: Span, line: Span) -> bool:
    """A wrapped bullet's next line: the bullet has no end mark and the line goes on in lower
    case ("* Beratung … der Prozesse, Methoden," / "Werkzeuge und Verfahren im Test")."""
    if bullet.text.endswith((".", ";", "!", "?", ":", "。")) or STOPS.match(line.text):
        return False
    return line.text[:1].islower() or OPEN_END.search(bullet.text) is not None


def _subheading(text: str) -> bool:
    """A few words without an end mark, set over the next list of the same section."""
    return len(text.split()) <= _MAX_SUBHEADING_WORDS and not text.endswith((".", ";", "!", "?"))


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
