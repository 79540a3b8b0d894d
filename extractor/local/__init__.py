"""Local models run in-process through llama-cpp-python (the optional ``local`` extra).

- ``model.py``: ``LocalModel``, a GGUF model loaded once, asked with a plain completion prompt
  and a grammar built from a JSON schema.
- ``availability.py``: whether the extra and a model are installed, and which model file to use.
- ``engine.py``: the ``local`` and ``hybrid`` backends: the record a run gets from the model
  (and, for ``hybrid``, from the offline rules), cached like any backend's answer.
"""

from extractor.local.availability import local_available, model_file
from extractor.local.engine import LocalAnswer, LocalEngine
from extractor.local.model import LocalModel

__all__ = ["LocalAnswer", "LocalEngine", "LocalModel", "local_available", "model_file"]
