"""Section headings in many languages, found by the words they hold rather than whole phrases.

``HEADERS`` (below) knows common English, German, French and Spanish headings as whole
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


# (kind, pattern) checked in order against the lower-cased header without its colon; the first
# full match wins. "other" headers only end the section before them.
HEADERS: tuple[tuple[str, str], ...] = (
    (
        "preferred",
        r"(preferred|desired|desirable|bonus|additional|nice[- ]to[- ]haves?|plus)"
        r"( qualifications?| skills| requirements| experience| points| criteria)?( \(.*\))?",
    ),
    (
        "preferred",
        r"(it'?s )?(a )?(big |nice )?plus( if you have)?|what would be nice|bonus points if.*|"
        r"extra credit|(good|great) to have|assets?|(it'?s |would be )?an asset( if you have)?|"
        r"even better if.*|(what )?(would|will) (set you apart|make you stand out)",
    ),
    (
        "preferred",
        r"(wünschenswert|von vorteil|nice to have|idealerweise|pluspunkte|"
        r"ce serait un plus|les plus|atouts?|serait un plus|un plus|se valorará|valorable|deseable|"
        r"requisitos deseables|se valorará positivamente)",
    ),
    (
        "required",
        r"(minimum|basic|required|key|essential|mandatory|core|the)? ?"
        r"(qualifications?|requirements?|skills|experience|criteria)( (and|&) (experience|skills))?|"
        r"required|required education and experience|(desired )?candidate profile|"
        r"conditions of employment",
    ),
    (
        "required",
        r"(what|who) (you'll need|you will need|you need|you bring|we're looking for|"
        r"we are looking for|you are)|about you|your profile|your skills|you have|must[- ]haves?|"
        r"what you bring|what you'll bring|what you will bring|what we need|what you need|"
        r"skills (and|&) qualifications|your background|you should (have|be|bring)|"
        r"what we're after|what we are after|(what )?we (ask|expect)( (of|from) you)?|"
        r"eligibility( criteria)?|(the )?ideal candidate|who you are|is this you\??|"
        r"you'?ll need|you will need|(what )?you need to succeed|experience (and|&) skills",
    ),
    (
        "required",
        r"(ihr|dein) profil|das bringst du mit|das bringen sie mit|was (du|sie) mitbringst|"
        r"was (du|sie) mitbringen|anforderungen|qualifikationen|(ihre|deine) qualifikationen|"
        r"votre profil|profil recherché|ton profil|compétences requises|qualifications requises|"
        r"requisitos( mínimos)?|perfil|tu perfil|qué buscamos|lo que buscamos",
    ),
    (
        "responsibilities",
        r"(your |key |main |primary |job |role )?(responsibilities|duties|tasks)"
        r"( (and|&) (duties|responsibilities))?|what you'll do|what you will do|what you'll be doing|"
        r"what you will be doing|the role|your role|your mission|in this role,? you will|"
        r"day[- ]to[- ]day|your impact|what you'll work on|roles? (and|&) responsibilities|"
        r"what you'll own|what you will own|essential functions|the work|key duties|"
        r"(your |the )?day[- ]to[- ]day( you'?ll| you will| tasks| duties)?|"
        r"(main |key |your )?activities|what the (job|role) involves|"
        r"what you'?ll be (responsible for|doing)|your (tasks|duties)|job duties|"
        r"(a |your )?typical (day|week)( (at|in|with) [\w&.' -]+)?|"
        r"what (your|a typical|a) (day|week)( \w+)? (looks|will look) like|(a )?day in the life.*",
    ),
    (
        "responsibilities",
        r"(ihre|deine) aufgaben|aufgaben|ihr aufgabengebiet|deine rolle|"
        r"das erwartet (dich|sie)|vos missions|missions|vos responsabilités|ta mission|tes missions|"
        r"votre mission|responsabilidades|funciones|tus funciones|tus responsabilidades|"
        r"qué harás|lo que harás",
    ),
    (
        "benefits",
        r"(our |the |employee |total )?(benefits|perks|rewards)( (and|&) [\w -]{3,20})?|"
        r"what we (offer|give you|provide)|we offer|why join us|(in return|our offer|the package)|"
        r"what'?s on offer|(salary|pay) (and|&) benefits|why you'll love.*|what's in it for you|compensation "
        r"(and|&) benefits|what you'll get|what you get|(benefits|perks) (with|at) [\w&.' -]+|"
        r"why (join |work at |work for )?(?!you\b|this\b|we\b)[\w&.' -]{2,40}|"
        r"(the |your |our )?(salary |remuneration |compensation )?package( (and|&) benefits)?|"
        r"remuneration|what we offer you",
    ),
    (
        "benefits",
        r"wir bieten( dir| ihnen)?|was wir (dir |ihnen )?bieten|das bieten wir( dir| ihnen)?|"
        r"unser angebot|benefits|"
        r"ce que nous (vous )?offrons|nous (vous )?offrons|ce que nous proposons|nous proposons|"
        r"avantages|pourquoi nous rejoindre|ofrecemos|qué ofrecemos|lo que ofrecemos|beneficios",
    ),
    ("start_dates", r"(\w+ )?start dates?|(\w+ )?start dates? options"),
    (
        "team",
        r"(about|meet) (the|our) team|team introduction|the team|about the team|"
        r"über das team|über uns das team|l'équipe|à propos de l'équipe|sobre el equipo|el equipo",
    ),
    (
        "other",
        r"about (us|the company|the job|the role|this role|this job|the position|[\w&.' -]+)|"
        r"job description|description|overview|summary|who we are|company description|"
        r"(position|job|role) summary|the opportunity|company overview|"
        r"equal (employment )?opportunity.*|eeo.*|how to apply|location|über uns|"
        r"à propos|qui sommes-nous|sobre nosotros|quiénes somos|stellenbeschreibung|"
        r"similar jobs|additional information|qualifications",
    ),
)
