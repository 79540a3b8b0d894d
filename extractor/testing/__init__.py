"""Test doubles that ship with the library, so users can test code built on extractor offline.

- ``fakes.py``: ``ScriptedEndpoint``, a scripted fake endpoint under the retry transport (no
  sockets, no sleeping).
- ``simulator/``: a local OpenAI-compatible server with latency, limits and faults
  (``python -m extractor.testing.simulator``); it needs the ``simulator`` extra (aiohttp).
"""
