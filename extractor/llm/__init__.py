"""The LLM backend: instructor over the openai SDK, sync and async, against any
OpenAI-compatible endpoint.

One owner per failure kind: transport failures are retried by :mod:`extractor.llm.transport` (the SDK's
own retries are off), invalid answers are re-asked by instructor ``max_reasks`` times, and
everything else fails at once. This is the only package that translates openai's and instructor's
exceptions into :mod:`extractor.errors` (in ``errors.py``).

- ``client.py``: ``LLMClient``, the sync and async instructor clients for one endpoint.
- ``dialects.py``: the structured-output dialects (modes) and what each adds to a request.
- ``probe.py``: ``--mode auto``, which dialect a server enforces, found once per client.
- ``rejection.py``: recognising a deterministic refusal of a request's shape (any status).
- ``completions.py``: the request body and the reading of an answer outside instructor's call
  loop (Batch API lines), through instructor's own handlers.
- ``errors.py``: ``translate``, exceptions to :mod:`extractor.errors`.
- ``internals.py``: the only module using instructor's private modules (a speed-up, the tool
  definition for ``estimate``).
- ``transport.py``: the retrying HTTP transport (one tenacity policy, Retry-After honoured).
- ``ratelimit.py``: ``RateGate``, requests and tokens per minute and requests in flight.
- ``usage.py``: tokens and requests of one extraction.
"""

from extractor.llm.client import Answer, LLMClient
from extractor.llm.dialects import INSTRUCTOR_MODES
from extractor.llm.errors import translate
from extractor.llm.internals import response_schema

__all__ = ["INSTRUCTOR_MODES", "Answer", "LLMClient", "response_schema", "translate"]
