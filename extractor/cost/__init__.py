"""What a run costs: tokens counted offline, and the versioned price table.

- ``tokens.py``: count and cut text in o200k tokens (the encoding ships in ``bpe-openai``).
- ``pricing.py``: the price table (``prices.json``) and the cost of a usage.
- ``estimate.py``: the prompt tokens and expected cost of a run, before it is made.
"""
