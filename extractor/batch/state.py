"""The durable record of a run's batches: ``OUT.batches.json`` beside OUT.

    {"version": 1, "submissions": [{"number": 1, "wave": 1, "run_key": "…", "as_of": "…",
      "model": "…", "base_url": null, "keys": ["<cache key>", …], "input_file_id": "file-…",
      "batch_id": "batch_…", "status": "in_progress", "collected": false,
      "prior": {"<key>": [attempts, prompt_tokens, completion_tokens, requests]}}]}

It is rewritten atomically (temp file, fsync, rename) at each step that changes what is in
flight: before an upload (the keys are reserved), after it (the file id), after the batch is
created (its id), after it is collected. A run killed between any two writes leaves a state the
next run finishes: a submission with no file id was never sent and is dropped (its keys are
asked again); one with a file id but no batch id is looked up at the provider by its file and
created when not found; one with a batch id is polled and collected. OUT itself says which
inputs are done, so collecting a batch twice writes nothing twice.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from extractor.batch.sink import RecordSink
from extractor.errors import ConfigError
from extractor.outcome import Usage
from extractor.settings import Settings

VERSION = 1
SUFFIX = ".batches.json"


def state_path(output: Path) -> Path:
    """Where the state of the batches writing ``output`` lives."""
    return output.with_name(output.name + SUFFIX)


@dataclass(slots=True)
class Submission:
    """One request file sent (or about to be sent) as one batch."""

    number: int
    wave: int
    run_key: str
    as_of: str
    model: str
    base_url: str | None
    keys: list[str]
    input_file_id: str | None = None
    batch_id: str | None = None
    status: str = "uploading"
    collected: bool = False
    prior: dict[str, list[int]] = field(default_factory=dict)

    def earlier(self, key: str) -> tuple[int, Usage]:
        """Answers already spent on ``key`` in earlier waves, and their usage."""
        attempts, prompt, completion, requests = self.prior.get(key, [0, 0, 0, 0])
        return attempts, Usage(prompt, completion, requests)

    @property
    def sent(self) -> bool:
        return self.input_file_id is not None


@dataclass(slots=True)
class BatchState:
    """The submissions of the runs writing one OUT."""

    path: Path
    submissions: list[Submission] = field(default_factory=list)

    @classmethod
    def load(cls, path: Path) -> BatchState:
        """The state at ``path`` (empty when there is none); ConfigError when unreadable."""
        if not path.exists():
            return cls(path)
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            if raw.get("version") != VERSION:
                raise ValueError(f"version {raw.get('version')!r}, not {VERSION}")
            submissions = [Submission(**entry) for entry in raw["submissions"]]
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ConfigError(
                f"{path} is not a readable batch state ({type(exc).__name__}: {exc}); "
                "move it away to start over (its batches are then not collected)"
            ) from None
        return cls(path, submissions)

    def save(self) -> None:
        data: dict[str, Any] = {
            "version": VERSION,
            "submissions": [asdict(s) for s in self.submissions],
        }
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def open(self) -> list[Submission]:
        """Submissions not collected yet."""
        return [s for s in self.submissions if not s.collected]

    def in_flight(self) -> dict[str, Submission]:
        """Each key sent in a batch not collected yet, with its submission."""
        return {key: s for s in self.open() if s.sent for key in s.keys}

    def add(self, template: Submission) -> Submission:
        """Record ``template`` as the next submission (numbered here) and save."""
        template.number = max((s.number for s in self.submissions), default=0) + 1
        self.submissions.append(template)
        self.save()
        return template

    def drop_unsent(self) -> int:
        """Forget submissions killed before their upload finished; how many."""
        kept = [s for s in self.submissions if s.sent or s.collected]
        dropped = len(self.submissions) - len(kept)
        if dropped:
            self.submissions = kept
            self.save()
        return dropped


def batch_state(output: Any, settings: Settings | None) -> tuple[BatchState, Settings]:
    """The state beside ``output`` and the settings to resume it with: an open batch's
    ``as_of`` unless one is given (a run resumed the next day must keep the day it began)."""
    path = output.path if isinstance(output, RecordSink) else output
    if path is None:
        raise ConfigError(
            "--via batch needs an output file (-o OUT): its batches are kept beside it"
        )
    state = BatchState.load(state_path(Path(path)))
    settings = settings if settings is not None else Settings.from_env()
    open_ = state.open()
    if settings.as_of is None and open_:
        settings = settings.with_(as_of=date.fromisoformat(open_[0].as_of))
    return state, settings
