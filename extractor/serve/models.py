"""The service's request and response bodies (they are its OpenAPI schema)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AnyHttpUrl,
    BaseModel,
    ConfigDict,
    Field,
    UrlConstraints,
    WithJsonSchema,
    model_validator,
)
from pydantic.config import JsonDict

TaskName = Annotated[
    str,
    Field(
        pattern=r"^[A-Za-z0-9_][A-Za-z0-9_-]{0,63}$",
        description="A task name the server knows (GET /v1/tasks); never a file path.",
    ),
]
WebhookUrl = Annotated[
    AnyHttpUrl,
    UrlConstraints(max_length=2000, allowed_schemes=["http", "https"]),
    Field(
        description="Your URL: the server POSTs the job's final status there once it ends "
        "(done or cancelled), from the server's own network. http or https only."
    ),
]


class JobSettings(BaseModel):
    """The settings a caller may change for a job (the endpoint, model and keys are the
    server's)."""

    model_config = ConfigDict(extra="forbid")

    as_of: date | None = Field(
        None, description="Day relative dates are resolved against (default: today)."
    )
    keep_unsupported: bool = Field(False, description="Keep values with no evidence, flagged.")
    strict: bool = Field(False, description="Fail an input when a value has no evidence.")


ONE_BODY: JsonDict = {"oneOf": [{"required": ["text"]}, {"required": ["html"]}]}


class ItemIn(BaseModel):
    """One posting: its plain text or its HTML page, and optionally the name its record gets."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=ONE_BODY)

    text: Annotated[str | None, WithJsonSchema({"type": "string"})] = Field(
        None, description="The posting as plain text (give text or html)."
    )
    html: Annotated[str | None, WithJsonSchema({"type": "string"})] = Field(
        None, description="The posting as an HTML page (give text or html)."
    )
    source: str | None = Field(
        None,
        min_length=1,
        max_length=500,
        description="The record's `source` (default: item-N). Unique within a job.",
    )

    @model_validator(mode="after")
    def _one_body(self) -> ItemIn:
        if (self.text is None) == (self.html is None):
            raise ValueError("give exactly one of 'text' or 'html'")
        return self

    @property
    def body(self) -> str:
        return self.text if self.text is not None else self.html or ""


class ExtractRequest(ItemIn):
    task: TaskName = "job_posting"
    settings: JobSettings = Field(default_factory=JobSettings)
    wait: float | None = Field(
        None,
        ge=0,
        description="Seconds to wait for the record (default and cap: the server's). Past "
        "it the answer is 202 with a job to poll.",
    )


class JobOptions(BaseModel):
    """How a job runs (the fields beside an upload)."""

    model_config = ConfigDict(extra="forbid")

    task: TaskName = "job_posting"
    settings: JobSettings = Field(default_factory=JobSettings)
    webhook: WebhookUrl | None = None


class JobRequest(JobOptions):
    """A job's postings and how to run them."""

    items: list[ItemIn] = Field(min_length=1)


class CountsView(BaseModel):
    total: int
    done: int
    ok: int
    failed: int
    pending: int
    running: int
    cancelled: int


class WebhookView(BaseModel):
    url: str
    state: Literal["waiting", "pending", "sent", "failed"]


class JobView(BaseModel):
    id: str
    status: Literal["queued", "running", "done", "cancelled"]
    task: str
    created: datetime
    finished: datetime | None
    counts: CountsView
    webhook: WebhookView | None
    records_url: str


class Accepted(BaseModel):
    """The record was not ready within the wait: poll the job."""

    job_id: str
    status: str
    url: str


class ErrorView(BaseModel):
    type: str
    message: str


class RecordView(BaseModel):
    """One record, exactly the JSON line `extractor run` writes (see the README)."""

    source: str
    sha256: str | None
    task: str
    status: Literal["ok", "error"]
    backend: str
    model: str | None
    cached: bool
    data: dict[str, Any] | None
    error: ErrorView | None
    usage: dict[str, int]
    warnings: list[str]
    evidence: list[dict[str, Any]]
    unsupported: list[dict[str, Any]]
    run_key: str
    as_of: str | None


class Problem(BaseModel):
    detail: str
