"""Evidence for every value: align quotes to the source, check each value against the text
that supports it, and settle what has none.

    align      quote -> source span: exact, then case/whitespace-insensitive, then fuzzy
    paths      the values of a record ("pay.min", "skills[2]") and removing some
    cues       words that support closed-vocabulary values
    derive     does a span support a value (as written, or normalised from it)?
    ground     which values are supported, with their spans; settle the rest
    fill       normalisation shared by both backends (pay parts, ISO dates, place parts)
    request    the LLM's response model: {data, quotes}
"""

from extractor.document import Unsupported
from extractor.evidence.align import Alignment, SourceIndex
from extractor.evidence.fill import fill
from extractor.evidence.ground import Candidate, Grounding, ground, settle
from extractor.evidence.request import QUOTES_VERSION, Quote, align_quotes, quoted_schema

__all__ = [
    "QUOTES_VERSION",
    "Alignment",
    "Candidate",
    "Grounding",
    "Quote",
    "SourceIndex",
    "Unsupported",
    "align_quotes",
    "fill",
    "ground",
    "quoted_schema",
    "settle",
]
