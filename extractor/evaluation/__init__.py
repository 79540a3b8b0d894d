"""Score extractions against gold labels: per-field precision, recall and F1.

How counting works (also printed by ``extractor eval --help``):

- Fields come from the task's pydantic model: nested models become dotted names (``pay.min``),
  lists of models are paired item by item on their key text field and then scored per subfield
  (``locations.country``). See ``fields``.
- Per field, TP/FP/FN are summed over all documents (micro-average). Absent on both sides counts
  nothing; predicted but not in gold is a FP; in gold but not predicted is a FN; both present and
  different is a FP and a FN. Booleans count True only (TP both True, FP only predicted True, FN
  only gold True) and also report accuracy. See ``scoring``.
- Matching is strict. Values are compared after normalisation: text case-folded, whitespace
  collapsed, punctuation stripped at the ends; codes and URLs equal; numbers equal; dates as ISO
  strings. Free text and list items match when their normalised Levenshtein similarity is at
  least the threshold (default 90 of 100) and neither is a proper part of the other (a title
  with the place glued on is not the title), one to one. See ``matching``.
- Fields are summed into groups: structured, entities, bullets (``report.JOB_POSTING_GROUPS``).
- Relative dates need the day they were read as of: ``SET.yaml`` in the gold folder gives the
  set's, each record its own; ``evaluate`` refuses to mix them. See ``asof``.
- A gold file without a usable prediction (none, an error record, or data that fails validation)
  counts as all missed. See ``loading``.
"""

from extractor.evaluation.evaluator import evaluate, select_fields
from extractor.evaluation.matching import DEFAULT_THRESHOLD
from extractor.evaluation.report import JOB_POSTING_GROUPS, EvalReport, Score

__all__ = [
    "DEFAULT_THRESHOLD",
    "JOB_POSTING_GROUPS",
    "EvalReport",
    "Score",
    "evaluate",
    "select_fields",
]
