"""extractor: messy job-posting text in, validated JSON out.

>>> from extractor import extract
>>> posting = extract(page_text)          # doctest: +SKIP  (a JobPosting)
>>> posting.title                          # doctest: +SKIP
"""

from extractor.api import aextract, extract
from extractor.batch.record import Record
from extractor.batch.run import arun_batch, run_batch
from extractor.batch.runner import BatchStats
from extractor.document import Evidence, Unsupported
from extractor.errors import (
    AuthError,
    ConfigError,
    ExtractionError,
    ExtractorError,
    IncompleteAnswerError,
    InputError,
    InvalidAnswerError,
    RateLimitError,
    TaskError,
    TransientError,
    UnsupportedValueError,
)
from extractor.extraction import Extractor, OfflineBackendWarning
from extractor.job_posting import JobPosting
from extractor.outcome import Outcome, Usage
from extractor.settings import Settings
from extractor.tasks import Task, list_tasks, load_task

__all__ = [
    "AuthError",
    "BatchStats",
    "ConfigError",
    "Evidence",
    "ExtractionError",
    "Extractor",
    "ExtractorError",
    "IncompleteAnswerError",
    "InputError",
    "InvalidAnswerError",
    "JobPosting",
    "OfflineBackendWarning",
    "Outcome",
    "RateLimitError",
    "Record",
    "Settings",
    "Task",
    "TaskError",
    "TransientError",
    "Unsupported",
    "UnsupportedValueError",
    "Usage",
    "aextract",
    "arun_batch",
    "extract",
    "list_tasks",
    "load_task",
    "run_batch",
]
