"""Settings: flags override the environment, the environment overrides the defaults.

Environment: ``OPENAI_API_KEY``, ``OPENAI_BASE_URL`` (any OpenAI-compatible endpoint: OpenAI,
Azure's OpenAI-compatible endpoint, vLLM, llama.cpp's server, Ollama), ``EXTRACTOR_MODEL``,
``EXTRACTOR_MODE``, ``EXTRACTOR_TIMEOUT``, ``EXTRACTOR_CACHE_DIR``, ``EXTRACTOR_BACKEND``,
``EXTRACTOR_MODEL_PATH`` (a GGUF file for the local and hybrid backends).

Two defaults depend on the endpoint: the mode (``auto``: ``tools`` for OpenAI's API, a probe of
what the server accepts for any other URL, see :mod:`extractor.llm.probe`) and the request
timeout (60 s, or 600 s for a server on this machine or the local network: a CPU model is slow).
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import platformdirs

from extractor.errors import ConfigError

Backend = Literal["auto", "llm", "offline", "local", "hybrid"]
Mode = Literal["auto", "tools", "json_schema", "json_object_schema", "json", "md_json"]

BACKENDS: tuple[str, ...] = ("auto", "llm", "offline", "local", "hybrid")
MODES: tuple[str, ...] = ("auto", "tools", "json_schema", "json_object_schema", "json", "md_json")
DEFAULT_MODEL = "gpt-4o-mini"
REMOTE_TIMEOUT = 60.0
LOCAL_TIMEOUT = 600.0  # a CPU server takes minutes on a long page (66 s seen for a first request)
OPENAI_HOSTS = ("api.openai.com",)
PLACEHOLDER_KEY = "not-needed"


def default_cache_dir() -> Path:
    """The per-user cache folder (``~/.cache/extractor`` on Linux)."""
    return Path(platformdirs.user_cache_dir("extractor"))


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything that decides how an extraction runs. The API key is never shown in repr."""

    backend: Backend = "auto"
    model: str = DEFAULT_MODEL
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    mode: Mode = "auto"
    timeout: float | None = None  # None: REMOTE_TIMEOUT, or LOCAL_TIMEOUT for a local server
    max_reasks: int = 2
    max_attempts: int = 6
    max_retry_wait: float = 120.0
    temperature: float = 0.0
    max_output_tokens: int = 4096
    max_input_tokens: int = 24_000
    use_cache: bool = True
    cache_dir: Path = field(default_factory=default_cache_dir)
    as_of: date | None = None
    keep_unsupported: bool = False
    strict: bool = False
    model_path: Path | None = None  # local/hybrid: a GGUF file (default: the Gemma package's)
    local_threads: int | None = None  # local/hybrid: CPU threads (default: half the cores)

    def __post_init__(self) -> None:
        if not isinstance(self.cache_dir, Path):
            object.__setattr__(self, "cache_dir", Path(self.cache_dir).expanduser())
        if self.model_path is not None and not isinstance(self.model_path, Path):
            object.__setattr__(self, "model_path", Path(self.model_path).expanduser())

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Build settings from ``env`` (default ``os.environ``); non-None overrides win."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        if key := env.get("OPENAI_API_KEY"):
            values["api_key"] = key
        if url := env.get("OPENAI_BASE_URL"):
            values["base_url"] = url
        if model := env.get("EXTRACTOR_MODEL"):
            values["model"] = model
        if mode := env.get("EXTRACTOR_MODE"):
            values["mode"] = mode
        if backend := env.get("EXTRACTOR_BACKEND"):
            values["backend"] = backend
        if timeout := env.get("EXTRACTOR_TIMEOUT"):
            values["timeout"] = _number("EXTRACTOR_TIMEOUT", timeout)
        if model_path := env.get("EXTRACTOR_MODEL_PATH"):
            values["model_path"] = Path(model_path).expanduser()
        if cache_dir := env.get("EXTRACTOR_CACHE_DIR"):
            values["cache_dir"] = Path(cache_dir).expanduser()
        _check_names(overrides)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values).checked()

    def checked(self) -> Settings:
        """Validate values a user can get wrong; raise ConfigError naming the fix."""
        if self.backend not in BACKENDS:
            raise ConfigError(f"backend must be one of {', '.join(BACKENDS)}, not {self.backend!r}")
        if self.mode not in MODES:
            raise ConfigError(f"mode must be one of {', '.join(MODES)}, not {self.mode!r}")
        if self.timeout is not None and not self.timeout > 0:
            raise ConfigError(f"timeout must be a positive number of seconds, not {self.timeout}")
        if self.max_reasks < 0 or self.max_attempts < 1:
            raise ConfigError("max_reasks must be >= 0 and max_attempts >= 1")
        if self.base_url is not None and not self.base_url.startswith(("http://", "https://")):
            raise ConfigError(f"base URL must start with http:// or https://: {self.base_url!r}")
        return self

    @property
    def endpoint_configured(self) -> bool:
        """True when a key or an endpoint URL is set (a local server may need no key)."""
        return bool(self.api_key or self.base_url)

    @property
    def is_openai(self) -> bool:
        """True for OpenAI's own API (no base URL, or one on api.openai.com)."""
        return self.base_url is None or _host(self.base_url).endswith(OPENAI_HOSTS)

    @property
    def is_local(self) -> bool:
        """True when the base URL names this machine or a private network address."""
        if self.base_url is None:
            return False
        host = _host(self.base_url)
        if host == "localhost" or host.endswith((".local", ".localhost")):
            return True
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return False
        return address.is_loopback or address.is_private or address.is_unspecified

    @property
    def request_timeout(self) -> float:
        """Seconds per HTTP request: the setting, else a default suited to the endpoint."""
        if self.timeout is not None:
            return self.timeout
        return LOCAL_TIMEOUT if self.is_local else REMOTE_TIMEOUT

    @property
    def resolved_backend(self) -> Literal["llm", "offline", "local", "hybrid"]:
        """``auto`` picks the LLM when an endpoint is configured, else ``hybrid`` when the
        ``local`` extra and a model are installed, else the offline backend."""
        if self.backend == "auto":
            if self.endpoint_configured:
                return "llm"
            from extractor.local import availability

            return "hybrid" if availability.local_available(self.model_path) else "offline"
        return self.backend

    def with_(self, **changes: Any) -> Settings:
        return replace(self, **changes).checked()


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def _number(name: str, text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise ConfigError(f"{name} must be a number of seconds, not {text!r}") from None


def _check_names(overrides: Mapping[str, Any]) -> None:
    """A misspelt setting is a programming error: ``TypeError``, as for any bad keyword."""
    unknown = sorted(set(overrides) - {f.name for f in fields(Settings)})
    if unknown:
        raise TypeError(f"unexpected setting keyword(s): {', '.join(unknown)}")
