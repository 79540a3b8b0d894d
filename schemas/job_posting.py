"""The job_posting task's schema module: ``SCHEMA`` is the library's built-in ``JobPosting``.

The model itself lives in the package (``extractor/job_posting.py``) so that users can import it,
typed, as ``from extractor import JobPosting``; a task of your own defines its model right here.
"""

from extractor.job_posting import VALIDATOR_VERSION, JobPosting

SCHEMA = JobPosting

__all__ = ["SCHEMA", "VALIDATOR_VERSION"]
