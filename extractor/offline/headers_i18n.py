"""Section words in many languages: a short heading that *contains* one names its section.

``sections.HEADERS`` match whole English-style headers exactly; the words here are searched in
a short heading-like line ("Twój zakres obowiązków", "Qualifikationserfordernisse:",
"We're eager to be in touch because you have...", "【岗位职责】"), so compounds and phrasings
the exact list never saw still land in their section. Kinds are tried in order: preferred
before required ("Preferred qualifications"), benefits before required ("What we offer you").
"""

from __future__ import annotations

import re

# (kind, pattern) searched in the lower-cased heading; the first kind that matches wins.
KEYWORDS: tuple[tuple[str, str], ...] = (
    (
        "preferred",
        r"\b(?:preferred|desired|desirable|nice[- ]to[- ]have|bonus|a plus|an asset|"
        r"wünschenswert|von vorteil|vorteilhaft|pluspunkt|un plus|souhaité|apprécié|"
        r"se valora|valorable|deseable|diferencia[il]|preferenziale|gradit[oa]|"
        r"mile widziane|meriterande|pluspunten)\b|"
        r"优先|加分|歓迎|우대",
    ),
    (
        "benefits",
        r"\b(?:benefits?|perks|we offer|offer you|what you get|love working|why join|"
        r"what'?s in it|compensation|rewards|bieten|geboten|angebot|vorteile|"
        r"offrons|proposons|avantages|ofrecemos|ofrecer|beneficios|offriamo|offerta|"
        r"oferujemy|oferujemy|benefity|bieden|voordelen|erbjud\w*|förmåner|oferecemos)\b|"
        r"oferuj|福利|待遇|보수|복리",
    ),
    (
        "responsibilities",
        r"\b(?:responsibil\w*|duties|tasks?|you'?ll be|you will be|work on|in this role|"
        r"what you'?ll do|what you will do|missions?|role involves|"
        r"tun wirst|aufgaben\w*|\w*aufgaben|tätigkeit\w*|"
        r"responsabil\w*|funciones|atribuições|mansioni|compiti|"
        r"obowiązk\w*|zadania|taken|werkzaamheden|arbetsuppgifter|kommer (?:till exempel )?att|"
        r"обязанности)\b|"
        r"职责|工作内容|業務内容|仕事内容|담당업무|근무내용",
    ),
    (
        "required",
        r"\b(?:requirements?|required|qualifications?|qualifikation\w*|profile?|perfil|profilo|"
        r"you have|you bring|you need|looking for|we expect|we (?:can )?look forward to|"
        r"about you|who you are|must[- ]haves?|skills|experience|education|languages|"
        r"experiencia|expérience|erfahrung\w*|habilidades|competencias|conocimientos|idiomas|"
        r"formación|sprachen|langues|competenze|esperienza|"
        r"anforderung\w*|mitbringst|mitbringen|erwarten wir|wir erwarten|wen wir suchen|"
        r"wir suchen|voraussetzung\w*|exigences|compétences|critères|requis|"
        r"requisitos?|requisiti|requerimientos|buscamos|que (?:seas|fueras)|cerchiamo|wymagania|oczekujemy|"
        r"vereisten|eisen|wij zoeken|wij vragen|vi söker|kvalifikationer|требования)\b|"
        r"要求|资格|資格|応募条件|지원자격",
    ),
)

_KEYWORD_RES = tuple((kind, re.compile(pattern)) for kind, pattern in KEYWORDS)


def keyword_kind(key: str) -> str | None:
    """The section a lower-cased heading names by one of its words, or None."""
    for kind, pattern in _KEYWORD_RES:
        if pattern.search(key):
            return kind
    return None
