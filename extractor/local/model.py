"""A GGUF model in-process: plain completion prompt in, schema-constrained JSON out.

Small pretrained models (Gemma 3 270M has no chat template) answer best to a plain completion
prompt that ends with the instruction, and only produce valid JSON when decoding is constrained:
the JSON schema becomes a llama.cpp grammar (``LlamaGrammar.from_json_schema``), with every string
and list bounded (:func:`extractor.llm.dialects.bound`) so the model cannot repeat itself until the
token limit. Grammars are built once per schema (the first one takes seconds).

llama.cpp contexts are not thread-safe: calls are serialised by a lock, so one model serves a
whole run whatever the batch concurrency.
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from extractor.errors import BackendUnavailableError, IncompleteAnswerError, InvalidAnswerError
from extractor.llm.dialects import bound
from extractor.outcome import Usage

N_CTX = 4096
MAX_PROMPT_TOKENS = 2500
"""Page tokens (of the model's own tokenizer) given to the model; the rest is cut."""


def default_threads() -> int:
    """Half the cores: on a shared 2-core machine one thread ran 10x faster than two
    (7.8 s against 105 s for the same 40 tokens, one run each, load average 6)."""
    return max(1, (os.cpu_count() or 2) // 2)


@dataclass(slots=True)
class Completion:
    """A parsed answer and its token counts."""

    value: dict[str, Any]
    usage: Usage


class LocalModel:
    """One GGUF model, loaded on first use."""

    def __init__(self, path: Path, *, threads: int | None = None, n_ctx: int = N_CTX) -> None:
        self.path = path
        self.threads = threads or default_threads()
        self.n_ctx = n_ctx
        self._llm: Any = None
        self._grammars: dict[str, Any] = {}
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return self.path.name

    def _load(self) -> Any:
        if self._llm is None:
            try:
                from llama_cpp import Llama
            except ImportError as exc:  # pragma: no cover - checked by model_file first
                raise BackendUnavailableError(
                    "the local backend needs llama-cpp-python: pip install 'extractor[local]'"
                ) from exc
            self._llm = Llama(
                model_path=str(self.path),
                n_ctx=self.n_ctx,
                n_threads=self.threads,
                n_threads_batch=self.threads,
                verbose=False,
            )
        return self._llm

    def _grammar(self, schema: dict[str, Any]) -> Any:
        from llama_cpp.llama_grammar import LlamaGrammar

        text = json.dumps(bound(schema), sort_keys=True)
        if text not in self._grammars:
            self._grammars[text] = LlamaGrammar.from_json_schema(text, verbose=False)
        return self._grammars[text]

    def cut(self, text: str, max_tokens: int = MAX_PROMPT_TOKENS) -> str:
        """``text`` cut to ``max_tokens`` of the model's tokenizer."""
        llm = self._load()
        tokens = llm.tokenize(text.encode("utf-8"), add_bos=False)
        if len(tokens) <= max_tokens:
            return text
        return str(llm.detokenize(tokens[:max_tokens]).decode("utf-8", "ignore"))

    def complete(self, prompt: str, schema: dict[str, Any], *, max_tokens: int) -> Completion:
        """The JSON object the model writes after ``prompt`` under ``schema``'s grammar."""
        with self._lock:
            llm = self._load()
            out = llm.create_completion(
                prompt, grammar=self._grammar(schema), temperature=0.0, max_tokens=max_tokens
            )
        choice = out["choices"][0]
        usage = Usage(out["usage"]["prompt_tokens"], out["usage"]["completion_tokens"], 1)
        if choice.get("finish_reason") == "length":
            raise IncompleteAnswerError(
                f"the local model's answer was cut off at {max_tokens} tokens",
                attempts=1,
                usage=usage,
            )
        try:
            value = json.loads(choice["text"])
        except ValueError as exc:
            raise InvalidAnswerError(
                "the local model's answer is not JSON", attempts=1, usage=usage
            ) from exc
        if not isinstance(value, dict):
            raise InvalidAnswerError("the local model's answer is not a JSON object", usage=usage)
        return Completion(value, usage)
