"""Section headings in many languages, found by the words they hold rather than whole phrases.

``sections.HEADERS`` knows common English, German, French and Spanish headings as whole
phrases. Real pages word them in countless ways ("Core job duties include:", "Wen wir suchen:",
"**Qualifications**", "【岗位职责】", "Wat bieden wij", "Det är meriterande om du:"), so a
heading-shaped line (short, not a sentence) is also classified by the first of ``KEYWORDS``
whose words it holds. Strong words name a section on any heading-shaped line; weak ones
("skills", "profile", "offer") only on a line marked as a heading: ending in ":" or "...",
wrapped in ``**``/``【】``, or opened with ``#``.
"""

from __future__ import annotations

import re

# Markup that marks a line as a heading: markdown emphasis and hashes, CJK brackets, bullets
# of a heading ("■"), and a trailing colon or ellipsis.
_DECORATION = re.compile(
    r"^(?P<mark>(?:#{1,6}\s*|\*\*|__|【|\[|■\s*|▶\s*|◆\s*|<b>|<strong>)*)"
    r"(?P<inner>.*?)"
    r"(?:\*\*|__|】|\]|</b>|</strong>)*\s*(?P<end>[:：]|\.\.\.|…)?\s*(?:\*\*)?$"
)
_MAX_CHARS = 70
_MAX_WORDS = 9
_MAX_PLAIN_WORDS = 5
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")

# (kind, strong words, weak words), checked in order: preferred before required, since
# "desired qualifications" and "requisitos deseables" are preferred.
KEYWORDS: tuple[tuple[str, str, str], ...] = (
    (
        "preferred",
        r"preferred|desired|desirable|nice[- ]to[- ]have|bonus|wünschenswert|von vorteil|"
        r"vorteilhaft|pluspunkte|un plus|atouts?|deseables?|valorables?|se valorará|"
        r"diferenciais|meriterande|meritorious|gewenst|pluspunt|mile widziane|"
        r"titoli preferenziali|costituisce titolo|加分|优先条件|우대|歓迎",
        r"plus|assets?",
    ),
    (
        "responsibilities",
        r"responsibilit\w*|duties|\w*aufgaben\w*|\w*tätigkeit\w*|missions?|responsabilit\w*|responsabilid\w*|"
        r"funciones|atividades|attività|mansioni|compiti|obowiązk\w*|zadania|обязанности|"
        r"werkzaamheden|taken|arbetsuppgifter|uppgifter|ansvarsområden|"
        r"what you('ll| will)( be)? (do|doing|work on)|expect to (do|work on)|"
        r"in this role|you will be doing|was du tun wirst|was sie tun werden|"
        r"du kommer (till exempel )?att|o que (você|voce) vai fazer|vos missions|"
        r"岗位职责|工作职责|职位职责|工作内容|职责描述|岗位描述|担当業務|業務内容|仕事内容|"
        r"담당\s*업무|근무\s*내용|주요\s*업무",
        r"tasks|role|job description",
    ),
    (
        "benefits",
        r"benefits?|perks|wir bieten|bieten wir|geboten|unser angebot|avantages|ofrecemos|"
        r"beneficios|benefícios|oferecemos|offriamo|oferujemy|benefity|мы предлагаем|"
        r"wij bieden|bieden wij|vi erbjuder|erbjudande|love working|why join|"
        r"what'?s in it for you|nos importas|福利|待遇|복리\s*후생|福利厚生|待遇・福利厚生",
        r"offer|offers|offrons|proposons|package|compensation|rémunération|lön",
    ),
    (
        "required",
        r"requirements?|qualifications?|anforderung\w*|qualifikation\w*|voraussetzung\w*|"
        r"erwarten wir|wen wir suchen|was (du|sie) mitbring\w*|das bringst du mit|"
        r"requisitos?|requisiti|requis|exigences|critères|competencias|conocimientos|"
        r"wymagania|требования|kwalificaties|wij zoeken|wij vragen|functie-eisen|"
        r"vi söker dig som|kvalifikationer|krav|"
        r"who you are|what you bring|must[- ]haves?|you have|we('re| are) looking for|"
        r"excited about|eager to|ideal candidate|"
        r"任职要求|任职资格|岗位要求|职位要求|资质要求|资格要求|应聘条件|지원\s*자격|자격\s*요건|"
        r"応募資格|必須",
        r"skills|profile|profil|perfil|experience|experiencia|expérience|erfahrung|"
        r"kenntnisse|competences|compétences",
    ),
)
_EDGE = r"(?<![a-zà-öø-ÿ])"  # Latin word edges only: CJK headings have no spaces
_END = r"(?![a-zà-öø-ÿ])"
_TABLE = tuple(
    (kind, re.compile(rf"{_EDGE}(?:{strong}){_END}"), re.compile(rf"{_EDGE}(?:{weak}){_END}"))
    for kind, strong, weak in KEYWORDS
)
_SENTENCE = re.compile(r"[.!?;,]$|[a-zà-ÿ]{2}[.!?] \S")


def undecorated(text: str) -> tuple[str, bool]:
    """The heading's words without its markup, and whether markup marked it as a heading."""
    stripped = text.strip()
    match = _DECORATION.match(stripped)
    if match is None:
        return stripped, False
    inner = match["inner"].strip().strip("*_ ").strip()
    marked = bool(match["mark"]) or match["end"] is not None
    return inner, marked


def keyword_kind(text: str) -> str | None:
    """The list section a heading-shaped line names by its words, or None."""
    if len(text) > _MAX_CHARS + 10:
        return None
    words, marked = undecorated(text)
    if not words or len(words) > _MAX_CHARS or _SENTENCE.search(words):
        return None
    cjk = _CJK.search(words) is not None
    count = len(words.split())
    if not cjk and count > _MAX_WORDS:
        return None
    folded = words.casefold()
    for kind, strong, weak in _TABLE:
        found = strong.search(folded)
        if found and (marked or cjk or count <= _MAX_PLAIN_WORDS or " " in found.group()):
            return kind
        if marked and weak.search(folded):
            return kind
    return None
