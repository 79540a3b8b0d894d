"""The posting's language by counting common function words (en, de, fr, es, it, pt, nl).

Light on purpose: postings are long enough that stopword counts settle the question, and it
needs no model file. Returns None when too few words are recognised to tell.
"""

from __future__ import annotations

import re
from collections import Counter

from extractor.offline.lines import Span

STOPWORDS: dict[str, str] = {
    "en": "the and of to in for with you our are is will be on as we this that your or an at "
    "have from by",
    "de": "der die das und ist nicht mit sie ich du wir ein eine für auf den dem des zu im bei "
    "oder sowie unser unsere ihre deine",
    "fr": "le la les et est des une un pour dans avec vous nous sur au aux du en votre vos "
    "notre nos qui",
    "es": "el la los las y es de que en un una para con por del al nuestro nuestra tu sus como se",
    "it": "il lo la gli le e di che un una per con del della nel sono nostro nostra si come alla",
    "pt": "o a os as e de que um uma para com do da dos das no na você nosso nossa em ao",
    "nl": "de het een en van is dat op te voor met je wij zijn niet bij ons onze jouw wordt ook",
}
MIN_HITS = 5
MIN_LEAD = 1.3  # the winner needs this many times the runner-up's hits
MAX_WORDS = 400
WORD = re.compile(r"[^\W\d_]+")


def _languages_of_words() -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    for code, words in STOPWORDS.items():
        for word in words.split():
            found.setdefault(word, []).append(code)
    return {word: tuple(codes) for word, codes in found.items()}


_LANGUAGES_OF = _languages_of_words()


def detect_language(text: str) -> tuple[str, Span] | None:
    """The ISO 639-1 code of the language with most stopword hits, and the line that shows it."""
    words = Counter(WORD.findall(text[: MAX_WORDS * 8].lower())[:MAX_WORDS])
    counts: Counter[str] = Counter()
    for word in _LANGUAGES_OF.keys() & words.keys():
        for code in _LANGUAGES_OF[word]:
            counts[code] += words[word]
    ranked = counts.most_common(2)
    if not ranked or ranked[0][1] < MIN_HITS:
        return None
    if len(ranked) > 1 and ranked[0][1] < MIN_LEAD * ranked[1][1]:
        return None
    return ranked[0][0], _longest_line(text)


def _longest_line(text: str) -> Span:
    """Evidence for a whole-text judgement: the longest line (the most telling sample)."""
    best = Span(0, 0, "")
    start = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if len(stripped) > len(best.text):
            offset = start + line.index(stripped[0])
            best = Span(offset, offset + len(stripped), stripped)
        start += len(line) + 1
    return best
