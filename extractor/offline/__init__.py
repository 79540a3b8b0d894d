"""The offline backend: job-posting extraction by rules, with no model and no network.

    extract_posting(doc, as_of=...)   a cleaned Document in, an OfflineResult out

Modules, one per concern: ``lines`` (line spans), ``sections`` (headers and bullets), ``header``
(title, company, team, locations), ``classify`` (workplace, employment type, seniority),
``skills`` (the vocabulary in ``data/skills.yaml``), ``contact`` (emails, apply URL),
``timeline`` (dates, duration, expired), ``language`` and ``backend`` (assembly).
"""

from extractor.offline.backend import OfflineResult, extract_posting

__all__ = ["OfflineResult", "extract_posting"]
