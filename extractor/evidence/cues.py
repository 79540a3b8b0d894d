"""Words that support a closed-vocabulary value: tables of patterns, one per value.

These are for *checking* a value against a quote, not for choosing one, so they are broader
than the offline backend's tables (a day rate supports "contract"; "Head of" supports both
"manager" and "director"). All patterns are case-insensitive words.
"""

from __future__ import annotations

import re

WORKPLACE: dict[str, str] = {
    "remote": r"remote\w*|work(ing)? from home|wfh|telecommut\w*|home[- ]?office|télétravail|"
    r"teletrabajo|remoto|remota|anywhere|distributed team",
    "hybrid": r"hybrid\w*|híbrid\w*|telework\w*|télétravail\w*|teletrabajo|home[- ]?office|"
    r"days? (a week )?(in|at|from) (the )?(office|home|site)|split (between|week)|"
    r"flexible (working|work) (arrangement|model)|partially remote|teilweise remote|"
    r"(im|ins) büro|mobile[sn]? arbeiten|in[- ]office \w+ days?|\w+ days? (a|per) week",
    "onsite": r"on[- ]?site|in[- ]office|in the office|in[- ]store|in[- ]person|vor ort|präsenz\w*|"
    r"sur (site|place)|présentiel\w*|presencial\w*|en la oficina|on location|"
    r"at (our|the) (office|site|facility|store|plant|warehouse|hospital|clinic|school|"
    r"restaurant|hotel|campus)|on the (floor|job site)|field[- ]based|in our (office|store)|"
    r"site|classroom",
}
EMPLOYMENT: dict[str, str] = {
    "internship": r"intern\w*|praktik\w*|stagiaire|stage\w*|prácticas|practicas|becari\w*|"
    r"pasant\w*|co-?op|werkstudent\w*|trainee\w*|placement",
    "contract": r"contract\w*|freelanc\w*|freiberuf\w*|day[- ]?rate|daily rate|per day|/\s?day|"
    r"tagessatz|prestation|autónomo|1099|c2c|corp[- ]to[- ]corp|travel nurs\w*|locum|"
    r"assignment|outside ir35|inside ir35|\d+[- ](month|week)s?[- ]contract|kontrakt\w*|"
    r"umowa zlecenie|umowa o dzieło|b2b|contratista|consultor\w*|werkvertrag|uppdrag|zzp|"
    r"contratto a progetto|partita iva",
    "temporary": r"temp\w*|seasonal|saison\w*|fixed[- ]term|befrist\w*|cdd|interim|intérim|"
    r"holiday season|zeitarbeit|eventual|short[- ]term|intérimaire|durée déterminée|"
    r"tempo determinato|a termine|czas określony|por obra|tidsbegränsad|visstid|vikariat|"
    r"midlertidig|tijdelijk|uitzend\w*|기간제|계약직|契約社員|派遣社員|临时|合同工",
    "part_time": r"part[- ]?time|teilzeit|temps partiel|tiempo parcial|media jornada|"
    r"jornada parcial|werkstudent\w*|minijob|\d+\s?(-\s?\d+\s?)?(hours|hrs|h|stunden|std)\.?"
    r"\s?(per|a|/|pro|par)\s?(week|woche|wk|semaine)|\d+\s?%|deltid|deeltijd|"
    r"tempo parziale|niepełny etat|pół etatu|meio per[ií]odo|兼职|パート|アルバイト|시간제",
    "full_time": r"full[- ]?time|vollzeit|temps plein|temps complet|cdi|jornada completa|"
    r"tiempo completo|permanent|festanstellung|unbefristet|40\s?(hours|hrs|h|stunden)|"
    r"fte|salaried|regular|100\s?%|heltid|voltijd|fulltime|tempo pieno|tempo indeterminato|"
    r"pe[łl]ny etat|pełen etat|umowa o pracę|per[ií]odo integral|tempo integral|"
    r"durée indéterminée|全职|正社員|정규직|\d{2}\s?(hours|hrs|h|stunden|std)\.?"
    r"\s?(per|a|/|pro|par)\s?(week|woche|wk|semaine)",
}
SENIORITY: dict[str, str] = {
    "intern": r"intern\w*|praktik\w*|werkstudent\w*|stagiaire|stage|becari\w*|prácticas|"
    r"trainee|apprentice\w*|azubi|auszubildende\w*|co-?op|student",
    "entry": r"junior|jr\.?|entry[- ]?level|graduate|new grad|einsteiger\w*|débutant\w*|"
    r"júnior|recién graduad\w*|apprentice\w*|trainee|associate|assistant",
    "mid": r"mid[- ]?level|intermediate|mid[- ]senior|journeyman|experienced|confirmé\w*|"
    r"level ii",
    "senior": r"senior|sr\.?|sénior|confirmé\w*|erfahren\w*|expert\w*|principal|staff|"
    r"experimentad\w*",
    "lead": r"lead\w*|staff|principal|supervisor\w*|team ?lead\w*|teamleit\w*|líder|"
    r"foreman|forewoman|chef d'équipe|jefe de equipo|vorarbeiter\w*|head",
    "manager": r"manager\w*|gerente|responsable|gestionnaire|leiter\w*|head|jefe|"
    r"superintendent",
    "director": r"director\w*|directeur|directrice|direktor\w*|head of|leiter\w*|"
    r"bereichsleit\w*|directora",
    "executive": r"vp|svp|evp|vice[- ]president|chief|c[tefoi]o|ciso|president|"
    r"geschäftsführ\w*|président\w*|c-level|c-suite|executive|general counsel|partner|"
    r"managing director|vorstand",
}
TITLE_SENIORITY: dict[str, str] = {
    "entry": r"(?-i:I|1)",
    "mid": r"(?-i:II|2)",
    "senior": r"(?-i:III|IV|3)",
}
EXPIRED: dict[str, str] = {
    "true": r"expired?|no longer (accepting|available|open|active|taking|considered|listed)|"
    r"(is|has been|now|are) (closed|filled)|closed|abgelaufen|nicht mehr (verfügbar|aktiv|"
    r"besetzt|ausgeschrieben)|bereits besetzt|n'est plus|expirée?|pourvue?|ya no|cerrad[ao]|"
    r"caducad[ao]|vencid[ao]|archived",
}
PERIOD: dict[str, str] = {
    "hour": r"hour\w*|hr|hrs|/\s?h|ph|p/h|stunde\w*|std\.?|heure\w*|hora\w*|horaire|/hr|uur",
    "day": r"day\w*|daily|/\s?d|tag|tage[sn]?\w*|jour\w*|día|diari[oa]|per diem|journée",
    "week": r"week\w*|wk|/\s?w|woche\w*|wöchentlich|semaine\w*|semana\w*|hebdo\w*",
    "month": r"month\w*|/\s?mo|mo\.|monat\w*|mois|mes|mensual\w*|mensuel\w*|p\.\s?m\.?|pcm|maand\w*",
    "year": r"year\w*|yr|annual\w*|annum|p\.\s?a\.?|pa|/\s?a|jahr\w*|jährlich|an|ans|annuel\w*|jaar\w*|"
    r"año|anual\w*|lpa|ctc|brutto|lakhs?|lacs?",
}
NEGATION_BEFORE = re.compile(
    r"(\bno|\bnot|\bnon|\bkein\w*|\bpas de|\bsin|\bnicht)[ \t-]+((a|an|ein|eine)[ \t]+)?$", re.I
)
NEGATION_AFTER = re.compile(r"[^\n]{0,12}?:\s*(no|nein|non)\b", re.I)


def compile_table(table: dict[str, str]) -> dict[str, re.Pattern[str]]:
    """Each value's pattern as a case-insensitive whole-word regex."""
    return {
        value: re.compile(rf"(?<![\w])(?i:{pattern})(?![\w])") for value, pattern in table.items()
    }


def find_cue(
    pattern: re.Pattern[str], text: str, *, negatable: bool = False
) -> tuple[int, int] | None:
    """The first (un-negated, when ``negatable``) match of ``pattern`` in ``text``."""
    for match in pattern.finditer(text):
        if negatable and (
            NEGATION_BEFORE.search(text, max(0, match.start() - 10), match.start())
            or NEGATION_AFTER.match(text, match.end())
        ):
            continue
        return match.start(), match.end()
    return None
