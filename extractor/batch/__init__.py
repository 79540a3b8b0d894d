"""Batch runs: many inputs in, one record per input out, concurrent, rate-aware, resumable.

- ``inputs.py``: walk files and folders once, streaming; read one input.
- ``record.py``: ``Record``, the JSONL line (the contract with users).
- ``sink.py``: where records go (JSONL or CSV, appended, resumable, locked).
- ``csv_format.py``: the CSV shape of a record.
- ``runner.py``: ``BatchRunner``, workers over a bounded queue.
- ``rows.py``: ``RowRunner``, the same path over rows of a table (Ray Data, Spark).
- ``run.py``: ``run_batch``/``arun_batch``, the library's one entry point (``via="sync"|"batch"``).

Through the provider's Batch API (``via="batch"``):

- ``api_options.py``: ``BatchApiOptions`` and ``BatchApiStats``.
- ``via_batch.py``: ``BatchApiRun``: resume, plan, submit, poll, collect.
- ``ledger.py``: the inputs waiting for each request key, and the records written for them.
- ``waves.py``: the second wave (re-asks, error and expired lines), sync or as a new batch.
- ``lines.py``: request lines, files split at the limits, output and error lines read.
- ``state.py``: ``OUT.batches.json``, the durable record of the batches.
- ``provider.py``: the Files and Batch API calls (``BatchProvider``).
- ``manage.py``: ``list_batches``, ``batch_status``, ``cancel_batches``.
"""
