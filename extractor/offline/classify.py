"""Closed-vocabulary fields: workplace, employment type and seniority, read from tables of words.

Each table maps a pattern to a value; a finder returns the value with the span that shows it,
or None when the posting does not say (never a guess).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from extractor.offline.lines import Span, fold, lines_with

# Workplace words. The earliest mention wins; at the same spot the table's order decides, so
# "Télétravail partiel" is hybrid. Negated mentions ("no remote option", "Remote job: No") skip.
WORKPLACE: tuple[tuple[str, str], ...] = (
    ("remote", r"(fully|100 ?%) (remote|homeoffice|télétravail|remoto)"),
    (
        "hybrid",
        r"hybrid(e|o|a)?( work)?|híbrid[oa]|teilweise remote|partially remote|"
        r"télétravail partiel|\d+ jours? de télétravail|telework eligible|homeoffice|home-office|"
        r"(\d|one|two|three|four|zwei|drei|vier) (days?|tage) (im |in the |in )?(homeoffice|office|büro)|"
        r"(in (the )?office|im büro) (\d|one|two|three|four) days",
    ),
    (
        "remote",
        r"remote(?!\s+(sensing|control|monitoring|areas?|sites?))(-first)?|work from home|"
        r"wfh|telecommut\w*|télétravail( complet| total)?|full[- ]remote|en remoto|teletrabajo|"
        r"remoto",
    ),
    (
        "onsite",
        r"on[- ]?site|in[- ]office|in the office|in[- ]store|in[- ]person|vor ort|präsenz|"
        r"sur site|sur place|présentiel|presencial|en la oficina",
    ),
)
NEGATED = re.compile(r"(\bno|\bnot|\bnon|\bkein\w*|\bpas de|\bsin)[ \t-]+$", re.IGNORECASE)
NEGATED_AFTER = re.compile(r"[^\n]{0,12}?:\s*(no|nein|non)\b", re.IGNORECASE)

# Employment-type words. The title decides first, then the earliest mention in the text.
EMPLOYMENT: tuple[tuple[str, str], ...] = (
    (
        "internship",
        r"intern(ship)?s?|praktikum|praktikant(in)?|pflichtpraktikum|stagiaire|"
        r"(un|en|de|du|le|offre de) stage|stage (de|d'|en|pfe)|"
        r"prácticas|practicas|becari[oa]|pasantía|co-?op",
    ),
    (
        "contract",
        r"contract(or)?[- ](role|position|basis|job|assignment|to[- ]hire|employment)|"
        r"contractors?|\d+[- ](month|week|year)s?[- ]contract|freelance|freiberuflich|"
        r"\[contract\]|contract(?=\s*:\s*\d)(?![^\n]*fixed[- ]term)|b2b[- ](contract|basis)|"
        r"contrat de prestation|autónomo|outside ir35|inside ir35|kontrakt b2b|umowa zlecenie|"
        r"umowa o dzieło|contratista|contrato de prestación de servicios|consultoría|"
        r"freelancer?|werkvertrag|uppdrag|zzp|contratto a progetto|partita iva",
    ),
    (
        "temporary",
        r"temporary|seasonal|fixed[- ]term|befristet(e|er)?|cdd|"
        r"temporal|interim|intérim|intérimaire|contrat à durée déterminée|mission intérimaire|"
        r"saisonnier|tempo determinato|a termine|umowa na czas określony|contrato temporal|"
        r"por obra|tidsbegränsad|visstid|vikariat|midlertidig|tijdelijk|uitzend\w*|"
        r"기간제|계약직|契約社員|派遣社員|临时|合同工",
    ),
    (
        "part_time",
        r"part[- ]time|teilzeit|temps partiel|tiempo parcial|media jornada|"
        r"jornada parcial|werkstudent(in)?|deltid|deeltijd|part-?time|tempo parziale|"
        r"niepełny etat|pół etatu|meio período|meio periodo|兼职|パート|アルバイト|시간제",
    ),
    (
        "full_time",
        r"full[- ]time|vollzeit|temps plein|temps complet|cdi|jornada completa|"
        r"tiempo completo|permanent (position|role|contract|employment)|festanstellung|unbefristet|"
        r"heltid|voltijd|fulltime|tempo pieno|tempo indeterminato|pełny etat|pełen etat|"
        r"umowa o pracę|período integral|tempo integral|contrat à durée indéterminée|"
        r"全职|正社員|정규직|polny etat|"
        # a Swiss workload cell: "Zürich | 100 % | Hybrid" (not "100% match", not "80-100 %")
        r"(?<=[|·•] )100 ?%(?=[ \t]*(?:[|·•]|\n|$))",
    ),
)

# Seniority from title words, lowest rank first; when a title holds several the highest wins
# ("Senior Engineering Manager" -> manager). Interns are "intern" whatever else the title says.
SENIORITY: tuple[tuple[str, str], ...] = (
    (
        "intern",
        r"intern(ship)?|praktikant(in)?|praktikum|werkstudent(in)?|stagiaire|stage|"
        r"becari[oa]|prácticas|trainee",
    ),
    (
        "entry",
        r"junior|jr\.?|entry[- ]level|graduate|new grad|einsteiger(in)?|débutant(e)?|"
        r"júnior|recién graduado|apprentice|azubi|auszubildende[r]?|[a-z]+ i(?=\s*(?:$|[(–—-]))",
    ),
    (
        "mid",
        r"mid[- ]level|intermediate|mid[- ]senior|journeyman|journeyperson|[a-z]+ ii(?=\s*(?:$|[(–—-]))",
    ),
    ("senior", r"senior|sr\.?|sénior|confirmée?|erfahrene[r]?|principal"),
    ("lead", r"lead|staff|tech lead|team lead|teamleiter(in)?|líder|supervisor"),
    ("manager", r"manager|managerin|gerente|responsable|gestionnaire"),
    (
        "director",
        r"director|directora|directeur|directrice|direktor(in)?|head of|leiter(in)?|"
        r"bereichsleiter(in)?",
    ),
    (
        "executive",
        r"vp|svp|evp|vice president|chief|cto|ceo|cfo|coo|cio|ciso|president|"
        r"geschäftsführer(in)?|président(e)?",
    ),
)


# Words every mention in a table holds (folded): only lines with one are searched, which keeps
# the long alternations above off the rest of the page.
WORKPLACE_TRIGGERS = (
    "remot", "hybrid", "híbrid", "homeoffice", "home-office", "télétravail", "telework",
    "office", "büro", "work from home", "wfh", "telecommut", "teletrabajo", "on-site", "onsite",
    "on site", "in-store", "in store", "in-person", "in person", "vor ort", "präsenz",
    "sur site", "sur place", "présentiel", "presencial", "oficina",
)  # fmt: skip
EMPLOYMENT_TRIGGERS = (
    "intern", "praktik", "stagiaire", "stage", "práctica", "practica", "becari", "pasant",
    "co-op", "coop", "contract", "b2b", "freelance", "freiberuflich", "contrat", "autónomo", "tempor",
    "seasonal", "fixed", "befristet", "cdd", "interim", "intérim", "part", "parcial",
    "teilzeit", "jornada", "werkstudent", "full", "vollzeit", "plein", "complet", "cdi",
    "permanent", "festanstellung", "100", "ir35", "kontrakt", "umowa", "contratista",
    "consultor", "werkvertrag", "uppdrag", "zzp", "contratto", "partita", "saisonnier",
    "tempo", "termine", "obra", "tidsbegr", "visstid", "vikariat", "midlertidig", "tijdelijk",
    "uitzend", "기간제", "계약직", "契約", "派遣", "临时", "合同", "deltid", "deeltijd",
    "parzial", "etat", "período", "periodo", "兼职", "パート", "アルバイト", "시간제", "heltid",
    "voltijd", "fulltime", "integral", "indétermin", "détermin", "全职", "正社員", "정규직",
    "mission",
)  # fmt: skip

Table = tuple[tuple[str, re.Pattern[str]], ...]


def _compile(table: tuple[tuple[str, str], ...]) -> Table:
    # Case-insensitive words; a glued capital after the word still ends it ("Full-timeHybrid").
    return tuple(
        (value, re.compile(rf"(?<![\w-])(?i:{p})(?:(?![\w-])|(?=[A-Z]))")) for value, p in table
    )


def _triggers(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


_WORKPLACE = _compile(WORKPLACE)
_EMPLOYMENT = _compile(EMPLOYMENT)
_SENIORITY = _compile(SENIORITY)
_FIXED_TERM = tuple(row for row in _EMPLOYMENT if row[0] == "temporary")
WEEKLY_HOURS = re.compile(
    r"(?<![\d.,])(?P<hours>\d{1,2})\s*(?:std\.?|stunden|hours?|hrs?|h|uur|heures|horas|ore|timmar)"
    r"\s*(?:/|per|pro|par|a la|a|in der|la|i|em)\s*(?:woche|week|semaine|semana|settimana|vecka|wk)\b",
    re.IGNORECASE,
)
FULL_TIME_HOURS = 35
_WORKPLACE_TRIGGERS = _triggers(WORKPLACE_TRIGGERS)
_EMPLOYMENT_TRIGGERS = _triggers(EMPLOYMENT_TRIGGERS)


def _span(match: re.Match[str], base: int = 0) -> Span:
    return Span(base + match.start(), base + match.end(), match.group())


def _earliest(
    text: str, table: Table, triggers: re.Pattern[str], counts: Callable[[re.Match[str]], bool]
) -> tuple[str, Span] | None:
    """The earliest mention that ``counts``; at the same spot the table's order decides."""
    for start, end in lines_with(fold(text), triggers):
        best: tuple[str, Span] | None = None
        for value, pattern in table:
            for match in pattern.finditer(text, start, end):
                if best is not None and match.start() >= best[1].start:
                    break
                if counts(match):
                    best = value, _span(match)
                    break
        if best is not None:
            return best
    return None


def find_workplace(text: str) -> tuple[str, Span] | None:
    """onsite, hybrid or remote with the words that say so: the earliest mention that counts."""

    def counts(match: re.Match[str]) -> bool:
        negated = NEGATED.search(text, max(0, match.start() - 8), match.start())
        return negated is None and NEGATED_AFTER.match(text, match.end()) is None

    return _earliest(text, _WORKPLACE, _WORKPLACE_TRIGGERS, counts)


def find_employment_type(text: str, title: Span | None) -> tuple[str, Span] | None:
    """The employment type: from the title first, else the earliest mention in the text."""
    if title is not None:
        for value, pattern in _EMPLOYMENT:
            if match := pattern.search(title.text):
                return value, _span(match, title.start)
    found = _earliest(text, _EMPLOYMENT, _EMPLOYMENT_TRIGGERS, lambda _: True)
    if found is not None and found[0] in ("full_time", "part_time"):
        # A fixed term decides over the schedule: "Vollzeit, befristet" is temporary.
        fixed = _earliest(text, _FIXED_TERM, _EMPLOYMENT_TRIGGERS, lambda _: True)
        return fixed or found
    return found or _weekly_hours(text)


def _weekly_hours(text: str) -> tuple[str, Span] | None:
    """Full or part time from the hours a week ("max. 4 Std. / Woche", "40 hours per week")."""
    match = WEEKLY_HOURS.search(text)
    if match is None:
        return None
    kind = "full_time" if int(match["hours"]) >= FULL_TIME_HOURS else "part_time"
    return kind, _span(match)


def find_seniority(title: Span | None) -> tuple[str, Span] | None:
    """The seniority a title's words show: interns first, else the highest rank named."""
    if title is None:
        return None
    found: tuple[str, Span] | None = None
    for value, pattern in _SENIORITY:
        if match := pattern.search(title.text):
            if value == "intern":
                return value, _span(match, title.start)
            found = value, _span(match, title.start)
    return found
