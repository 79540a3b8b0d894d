"""Extraction inside Ray Data, with one rate limit for the whole cluster (``extractor[ray]``).

    import ray.data
    from extractor import Settings
    from extractor.ray import extract_dataset

    ds = ray.data.read_parquet("s3://bucket/postings/")            # columns: source, text
    records = extract_dataset(ds, settings=Settings.from_env(), rpm=500, concurrency=16, actors=4)
    records.write_parquet("s3://bucket/records/")

- ``dataset.py``: :func:`extract_dataset`, the actor pool over the library's batch path.
- ``limiter.py``: the cluster's one rate limiter, a named actor.
- ``gate.py``: a worker's side of it, a :class:`~extractor.llm.ratelimit.RateGate` that leases.
- ``tables.py``: Parquet and JSONL in and out, resumable (:func:`extract_table`).
- ``run.py``: :func:`run_ray`, ``extractor run --engine ray``.

Ray is imported when a name is first used, not before: ``import extractor.ray`` works without
Ray installed, and ``import extractor`` never imports this package.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from extractor.ray.dataset import RECORD_SCHEMA, extract_dataset
    from extractor.ray.run import run_ray
    from extractor.ray.tables import done_keys, extract_table, read_table, write_records

__all__ = [
    "RECORD_SCHEMA",
    "done_keys",
    "extract_dataset",
    "extract_table",
    "read_table",
    "run_ray",
    "write_records",
]

_HOMES = {
    "RECORD_SCHEMA": "dataset",
    "extract_dataset": "dataset",
    "run_ray": "run",
    "done_keys": "tables",
    "extract_table": "tables",
    "read_table": "tables",
    "write_records": "tables",
}

INSTALL_HINT = "extractor's Ray engine needs Ray: pip install 'extractor[ray]'"


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'extractor.ray' has no attribute {name!r}")
    try:
        module = importlib.import_module(f"extractor.ray.{home}")
    except ModuleNotFoundError as exc:
        if exc.name is not None and exc.name.split(".")[0] in ("ray", "pyarrow"):
            raise ImportError(INSTALL_HINT) from exc
        raise
    return getattr(module, name)
