"""Batch runs: many inputs in, one record per input out, concurrent, rate-aware, resumable.

- ``inputs.py``: walk files and folders once, streaming; read one input.
- ``record.py``: ``Record``, the JSONL line (the contract with users).
- ``sink.py``: where records go (JSONL or CSV, appended, resumable, locked).
- ``csv_format.py``: the CSV shape of a record.
- ``runner.py``: ``BatchRunner``, workers over a bounded queue.
- ``rows.py``: ``RowRunner``, the same path over rows of a table (Ray Data, Spark).
"""
