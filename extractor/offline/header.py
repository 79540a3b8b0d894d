"""The posting's head: the lines above the first section, their cells and ``Name: value`` fields.

Shared by ``title``, ``employer`` and ``places``: a head line is cut into cells at strong
separators (" | ", " · ", " • ") and weaker ones (" – ", " — ", " > "); ``Title: x``-style fields
anywhere in the text name the title, company, team or location outright.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from extractor.offline.lines import Span, trim
from extractor.offline.sections import strip_bullet

HEAD_LINES = 12  # how many lines from the top may hold the title, company and locations
MAX_TITLE_CHARS = 120
MAX_TITLE_WORDS = 16

TITLE_WORDS = re.compile(
    r"\b(engineer|engineering|intern|internship|developer|scientist|analyst|manager|designer|"
    r"architect|specialist|consultant|director|lead|coordinator|assistant|administrator|"
    r"technician|officer|representative|associate|researcher|programmer|accountant|nurse|"
    r"teacher|editor|writer|recruiter|product owner|head of|vp|vice president|president|"
    r"executive|agent|clerk|operator|advisor|adviser|strategist|marketer|sales|supervisor|"
    r"electrician|fellow|postdoc\w*|driver|cashier|cook|chef|waiter|waitress|mechanic|"
    r"apprentice|helper|housekeeper|attendant|paralegal|barista|dishwasher|rn|lpn|cna|"
    r"werkstudent(in)?|entwickler(in)?|\w*entwickler(in)?|ingenieur(in)?|praktikant(in)?|"
    r"berater(in)?|leiter(in)?|referent(in)?|sachbearbeiter(in)?|\w*fachkraft|\w*angestellte[r]?|"
    r"stagiaire|développeu\w*|ingénieur\w*|chef de projet|chargée?|responsable|alternant\w*|"
    r"serveu\w*|vendeu\w*|desarrollador(a)?|ingenier[oa]|becari[oa]|analista|programador(a)?|"
    r"técnic[oa]|gerente|jef[ea]|ejecutiv[oa](/a)?|enfermer[oa](/a)?|m/w/d|w/m/d|h/f|f/h|"
    # more occupations, and the "-ist" ones (agronomist, pharmacist, therapist, journalist)
    r"educator|reporter|correspondent|adjuster|underwriter|actuary|broker|realtor|surveyor|"
    r"inspector|auditor|controller|planner|scheduler|estimator|dispatcher|buyer|"
    r"merchandiser|producer|photographer|translator|interpreter|tutor|lecturer|professor|"
    r"instructor|trainer|coach|caregiver|carer|nanny|midwife|paramedic|physician|surgeon|"
    r"veterinarian|pilot|captain|first officer|steward(ess)?|carpenter|plumber|welder|"
    r"machinist|fitter|installer|rigger|labou?rer|worker|porter|janitor|custodian|cleaner|"
    r"guard|bartender|baker|butcher|server|host(ess)?|tester|animator|illustrator|"
    r"copywriter|bookkeeper|teller|secretary|receptionist|lawyer|attorney|solicitor|counsel|"
    r"economist|farmhand|farmer|picker|packer|handler|loader|foreman|forewoman|"
    r"superintendent|steward|officer|crew member|team member|trainee|graduate|"
    # other languages: Portuguese, Spanish, French, Dutch, German, Nordic, Italian, Polish,
    # Russian, Japanese, Chinese, Korean
    r"estágio|estagiári[oa]|vendedor(a)?|coordinador(a)?|consultor(a)?|asistente|auxiliar|"
    r"operari[oa]|conductor(a)?|repartidor(a)?|camarer[oa]|cociner[oa]|dependient[ea]|"
    r"\w*medewerker|\w*monteur|\w*mitarbeiter(in)?|\w*hilfskr(a|ä)ft(e)?|chauffeur|"
    r"cuisinier|vendeu(r|se)|employée?|opérat(eur|rice)|préparat(eur|rice)|magasinier|"
    r"manutentionnaire|infirmi(er|ère)|aide-soignant(e)?|animat(eur|rice)|ouvri(er|ère)|"
    r"déménageu(r|se)|bûcheron(ne)?|électricien(ne)?|\w*utvecklare|\w*ingenjör|säljare|"
    r"sjuksköterska|impiegat[oa]|addett[oa]|operaio|commess[oa]|sviluppatore|specjalista|"
    r"kierowca|sprzedawca|magazynier|programista|разработчик|инженер|менеджер|специалист|"
    r"водитель|エンジニア|スタッフ|工程师|专员|经理|主管|设计师|会计|사원|단원|연구원|"
    r"(?!(?:assist|consist|persist|insist|resist|exist|check|play|wish|short|black|white|"
    r"watch|hit|song|book|price|to-?do)ists?\b)\w{3,}ists?)\b",
    re.IGNORECASE,
)
NOT_TITLE = re.compile(
    r"^(posted|apply|save|share|job description|about|we are|we're|our |join |skip |download|"
    r"home\b|accueil|an official)|\bago\b|https?://|[.!?:]$|[$€£]|\d{2,}[.,/]\d|"
    # page syntax: a code string's escaped quotes, a quoted key or value
    r"\\\"|[\"']\s*:\s*[\"'\[{]|[\"']\s*,?\s*$|^\d+,\S",
    re.IGNORECASE,
)
JSON_KEY = re.compile(r'^"[\w-]{1,30}"\s*:\s*"')
CELL_SPLIT = re.compile(r"\s+[|·•→>]\s+|\s+[–—]\s+")
STRONG_SPLIT = re.compile(r"\s+[|·•]\s+")
WEAK_SPLIT = re.compile(r"\s+[–—-]\s+")
# "Accueil > Offres d'emploi > Paris", "Jobs › Newsroom › Reporter" and "Jobs / Poland / Kraków /
# Designer" are navigation.
BREADCRUMB = re.compile(r"\s([>›»])\s.*\s\1\s|\s/\s.*\s/\s.*\s/\s")
COMPANY_SUFFIX = re.compile(
    r"\b(gmbh|ag|se|kg|mbb|partg|inc\.?|llc|ltd\.?|limited|plc|corp\.?|corporation|co\.|"
    r"company|group|sas|sarl|s\.a\.?|s\.l\.?|c\.v\.|b\.v\.|n\.v\.|pte|hospital|klinikum|"
    r"university|universität|université|universidad|hotel|services|administration|bank|"
    r"labs?|technologies|systems|solutions|brasserie|restaurant|agency|consulting|staffing|"
    r"recruitment|partners)(?!\w)",
    re.IGNORECASE,
)
FIELD = re.compile(
    r"^(?P<name>job title|title|position|role|stellenbezeichnung|stellentitel|titel|poste|"
    r"intitulé du poste|puesto|cargo|company|employer|hiring company|hiring organi[sz]ation|"
    r"organi[sz]ation|agency|staffed by|recruiter|unternehmen|arbeitgeber|"
    r"entreprise|société|empresa|locations?|job location|work location|site|standort|standorte|"
    r"arbeitsort|einsatzort|lieu|lieu de travail|localisation|ubicación|ubicacion|where|"
    r"duty station|based in|office|city|"
    r"lugar de trabajo|team|department|division|business area|business unit|abteilung|équipe|"
    r"equipo|departamento|dienstort|placering|arbetsort|ort|plaats|standplaats|werkplek|"
    r"lokalizacja|miejsce pracy|luogo di lavoro|sede|sede di lavoro|local de trabalho|"
    r"localização|localizacao|ciudad|localidad|место работы|город|勤務地|工作地点|근무지|근무\s?장소)"
    r"\s*(?:[:：]|\s\|)\s*",
    re.IGNORECASE,
)
_FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "title": (
        "job title", "title", "position", "role", "stellenbezeichnung", "stellentitel", "titel",
        "poste", "intitulé du poste", "puesto", "cargo",
    ),
    "company": (
        "company", "employer", "hiring company", "hiring organisation", "hiring organization",
        "organisation", "organization", "agency", "staffed by", "recruiter", "unternehmen",
        "arbeitgeber", "entreprise", "société", "empresa",
    ),
    "location": (
        "location", "locations", "job location", "work location", "site", "standort",
        "standorte", "arbeitsort", "einsatzort", "lieu", "lieu de travail", "localisation",
        "ubicación", "ubicacion", "lugar de trabajo", "where", "duty station", "based in",
        "office", "city", "dienstort", "placering", "arbetsort", "ort", "plaats",
        "standplaats", "werkplek", "lokalizacja", "miejsce pracy", "luogo di lavoro", "sede",
        "sede di lavoro", "local de trabalho", "localização", "localizacao", "ciudad",
        "localidad", "место работы", "город", "勤務地", "工作地点", "근무지", "근무장소",
        "근무 장소",
    ),
    "team": (
        "team", "department", "division", "business area", "business unit", "abteilung",
        "équipe", "equipo", "departamento",
    ),
}  # fmt: skip
FIELD_KIND = {name: kind for kind, names in _FIELD_NAMES.items() for name in names}


def head_fields(lines: list[Span]) -> dict[str, Span]:
    """``Title: x``-style fields anywhere in the text: the first of each kind."""
    found: dict[str, Span] = {}
    for line in lines:
        match = FIELD.match(line.text)
        if match is None:
            continue
        kind = FIELD_KIND[_label(match)]
        value = trim(line.text, match.end(), len(line.text))
        if value is not None and kind not in found:
            found[kind] = Span(line.start + value.start, line.start + value.end, value.text)
    return found


def location_fields(lines: list[Span]) -> list[Span]:
    """The values of every "Location:"-style field, bulleted or not ("- Plaats: Zaandam"),
    in order, so a caller can take the first that names a place."""
    found: list[Span] = []
    for line in lines:
        line = strip_bullet(line) or line
        match = FIELD.match(line.text)
        if match is None or FIELD_KIND[_label(match)] != "location":
            continue
        if value := trim(line.text, match.end(), len(line.text)):
            found.append(Span(line.start + value.start, line.start + value.end, value.text))
    return found


def _label(match: re.Match[str]) -> str:
    return re.sub(r"\s+", " ", match.group("name").lower())


def head_lines(lines: list[Span], headers: Iterable[Span]) -> list[Span]:
    """The lines above the first section header (at most ``HEAD_LINES``), bullet marks removed;
    breadcrumb navigation lines are left out."""
    first_header = min((h.start for h in headers), default=len(lines) and lines[-1].end + 1)
    head: list[Span] = []
    for line in lines[:HEAD_LINES]:
        if line.start >= first_header and head:
            break
        if not BREADCRUMB.search(line.text):
            head.append(_without_key(strip_bullet(line) or line))
    return head


def _without_key(line: Span) -> Span:
    """The line without a leading JSON key (``"content": "Acme | Engineer | Remote``)."""
    key = JSON_KEY.match(line.text)
    if key is None or key.end() >= len(line.text):
        return line
    return Span(line.start + key.end(), line.end, line.text[key.end() :])


def split(span: Span, separator: re.Pattern[str], chars: str = " \t,;") -> list[Span]:
    """``span`` cut at every ``separator``, each piece trimmed of ``chars``."""
    pieces: list[Span] = []
    last = 0
    for sep in [*separator.finditer(span.text), None]:
        end = sep.start() if sep else len(span.text)
        piece = trim(span.text, last, end, chars)
        if piece is not None:
            pieces.append(Span(span.start + piece.start, span.start + piece.end, piece.text))
        if sep:
            last = sep.end()
    return pieces


def cells(line: Span) -> list[Span]:
    """A head line cut at " | ", " · ", " – " and similar separators."""
    return split(line, CELL_SPLIT)


def strong_cells(line: Span) -> list[Span]:
    """A head line cut at " | ", " · " and " • " only."""
    return split(line, STRONG_SPLIT, " \t")


def is_title_like(text: str) -> bool:
    """A short line with a job word that is not a sentence or page furniture."""
    return (
        len(text) <= MAX_TITLE_CHARS
        and len(text.split()) <= MAX_TITLE_WORDS
        and TITLE_WORDS.search(text) is not None
        and NOT_TITLE.search(text) is None
    )


def without_note(cell: Span) -> Span:
    """The cell without a trailing "(Hybrid, 3 days)" note; "Remote (US)" is kept whole."""
    match = re.search(r"\s*\([^()]*\)\s*$", cell.text)
    if match is None or cell.text[: match.start()].lower().endswith("remote"):
        return cell
    return Span(cell.start, cell.start + match.start(), cell.text[: match.start()])
