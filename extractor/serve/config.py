"""What a server process needs to know, as one JSON-ready value (so every uvicorn worker
process rebuilds the same server from it).

Nothing here imports FastAPI: the CLI builds and checks a :class:`ServeConfig` before it knows
whether the ``serve`` extra is installed.
"""

from __future__ import annotations

import ipaddress
import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import platformdirs

from extractor.errors import ConfigError
from extractor.settings import Settings

MiB = 1024 * 1024


def default_db_path() -> Path:
    """The job store's default file, in the per-user data folder."""
    return Path(platformdirs.user_data_dir("extractor")) / "serve-jobs.sqlite3"


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and ``localhost``: only this machine can connect."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True, slots=True)
class ServeConfig:
    """The server's settings. Limits are per request; ``settings`` are the extractor settings
    the CLI was given (backend, model, endpoint, cache), the API key excepted (read from the
    environment in each process, never serialised)."""

    host: str = "127.0.0.1"
    port: int = 8080
    db: str = field(default_factory=lambda: str(default_db_path()))
    key_hashes: tuple[str, ...] = ()
    auth: bool = True
    """False only with --no-auth: then no key is asked for even off loopback."""
    workers: int = 1
    concurrency: int = 16
    """Extractions in flight per worker process (and LLM requests in flight)."""
    rpm: float | None = None
    tpm: float | None = None
    max_body_bytes: int = 32 * MiB
    max_item_bytes: int = 1 * MiB
    max_items: int = 10_000
    max_wait: float = 60.0
    default_wait: float = 30.0
    lease_seconds: float = 30.0
    poll_seconds: float = 0.5
    webhooks: bool = True
    webhook_timeout: float = 10.0
    webhook_attempts: int = 3
    webhook_backoff: float = 5.0
    settings: dict[str, Any] = field(default_factory=dict)
    """Overrides for :meth:`Settings.from_env` (JSON-ready: dates and paths as text)."""

    @property
    def keys_required(self) -> bool:
        return self.auth and (bool(self.key_hashes) or not is_loopback(self.host))

    def extractor_settings(self) -> Settings:
        return Settings.from_env(**self.settings)

    def checked(self) -> ServeConfig:
        """Refuse a configuration that would serve without keys off loopback, or nonsense."""
        if self.auth and not self.key_hashes and not is_loopback(self.host):
            raise ConfigError(
                f"binding to {self.host} needs API keys: set EXTRACTOR_API_KEYS or "
                "--api-keys-file (or pass --no-auth to serve without keys)"
            )
        if self.concurrency < 1 or self.workers < 1:
            raise ConfigError("--concurrency and --workers must be at least 1")
        if self.max_item_bytes > self.max_body_bytes:
            raise ConfigError("--max-item-bytes cannot be larger than --max-body-bytes")
        if not 0 < self.default_wait <= self.max_wait:
            raise ConfigError("the default wait must be positive and at most --max-wait")
        if self.lease_seconds <= 0 or self.poll_seconds <= 0:
            raise ConfigError("--lease and the poll interval must be positive")
        self.extractor_settings()  # raises ConfigError for a bad backend, mode or URL
        return self

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> ServeConfig:
        raw = json.loads(text)
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in raw.items() if k in known}
        values["key_hashes"] = tuple(values.get("key_hashes", ()))
        return cls(**values)
