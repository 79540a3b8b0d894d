"""extractor: messy job-posting text in, validated JSON out.

>>> from extractor import extract
>>> posting = extract(page_text)          # doctest: +SKIP
"""

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
from extractor.extraction import Extractor, aextract, extract
from extractor.outcome import Outcome, Usage
from extractor.settings import Settings
from extractor.tasks import Task, list_tasks, load_task

__all__ = [
    "AuthError",
    "ConfigError",
    "ExtractionError",
    "Extractor",
    "ExtractorError",
    "IncompleteAnswerError",
    "InputError",
    "InvalidAnswerError",
    "Outcome",
    "RateLimitError",
    "Settings",
    "Task",
    "TaskError",
    "TransientError",
    "UnsupportedValueError",
    "Usage",
    "aextract",
    "extract",
    "list_tasks",
    "load_task",
]
