"""A Batch API line is the synchronous request, byte for byte, and its answer is read as the
synchronous path reads one (instructor's own handlers, in every mode)."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from extractor import Extractor, Settings
from extractor.errors import IncompleteAnswerError, InvalidAnswerError
from extractor.evidence import quoted_schema
from extractor.extraction import prepare
from extractor.llm.completions import read_answer, reask_tail, request_body
from extractor.outcome import Usage
from extractor.testing import responses
from extractor.testing.fakes import Reply, ScriptedEndpoint
from extractor.testing.simulator import INVALID_ANSWER, minimal
from extractor.testing.simulator.answerers import jsonable

PAGE = b"Senior Data Engineer\nAcme Corp, Berlin, Germany\nPay: 70,000 EUR a year\n"
MODES = ["tools", "json_schema", "json", "md_json"]


def _asking(ex: Extractor[Any]) -> Any:
    return dataclasses.replace(ex.task, schema=quoted_schema(ex.task.schema))


@pytest.mark.parametrize("mode", MODES)
def test_the_body_is_what_the_synchronous_path_sends(settings: Settings, mode: str) -> None:
    settings = settings.with_(mode=mode, use_cache=False)
    endpoint = ScriptedEndpoint(Reply.ok(minimal({"messages": []})))
    with Extractor("job_posting", settings, llm=endpoint.llm(settings)) as ex:
        doc = prepare(PAGE)
        ex.run(doc)
        messages, _, _ = ex.request(doc)
        body = request_body(settings, _asking(ex), messages)
    assert endpoint.requests == [body]


def _completion(settings: Settings, answer: Any, fault: str = "ok") -> dict[str, Any]:
    with Extractor("job_posting", settings) as ex:
        messages, _, _ = ex.request(prepare(PAGE))
        body = request_body(settings, _asking(ex), messages)
    return responses.completion(body, answer, fault=fault, request_number=1, prompt_chars=400)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("answer", "fault", "outcome"),
    [
        ("valid", "ok", "answer"),
        (INVALID_ANSWER, "ok", "reask"),  # fails a validator: re-asked, as instructor would
        ("{not json", "ok", "reask"),
        ("valid", "truncated", IncompleteAnswerError),  # cut off: never re-asked
        ("valid", "refusal", InvalidAnswerError),  # a refusal: never re-asked in TOOLS mode...
    ],
)
def test_an_answer_is_judged_as_the_synchronous_path_judges_it(
    settings: Settings, mode: str, answer: Any, fault: str, outcome: Any
) -> None:
    settings = settings.with_(mode=mode)
    if fault == "refusal" and mode != "tools":
        outcome = "reask"  # ...the JSON modes read its empty content as bad JSON, and re-ask
    answer = (
        jsonable(minimal({"messages": [{"role": "user", "content": "Nurse"}]}))
        if answer == "valid"
        else answer
    )
    read = read_answer(
        settings, _asking(Extractor("job_posting", settings)), _completion(settings, answer, fault)
    )
    assert read.usage.requests == 1 and read.usage.prompt_tokens == 100
    if outcome == "answer":
        assert read.answer is not None and read.problem is None
        assert read.answer.data.data.title == "Nurse"
    elif outcome == "reask":
        assert read.answer is None and read.reask is not None
        assert isinstance(read.problem, InvalidAnswerError)
    else:
        assert read.answer is None and read.reask is None and isinstance(read.problem, outcome)


def test_a_body_that_is_no_completion_is_an_invalid_answer(settings: Settings) -> None:
    read = read_answer(settings, _asking(Extractor("job_posting", settings)), {"nope": 1})
    assert isinstance(read.problem, InvalidAnswerError) and read.usage == Usage(requests=1)


@pytest.mark.parametrize(
    ("mode", "roles"), [("tools", ["assistant", "tool"]), ("json", ["assistant", "user"])]
)
def test_the_reask_appends_the_answer_and_the_validation_error(
    settings: Settings, mode: str, roles: list[str]
) -> None:
    settings = settings.with_(mode=mode)
    with Extractor("job_posting", settings) as ex:
        messages, _, _ = ex.request(prepare(PAGE))
        body = request_body(settings, _asking(ex), messages)
        completion = responses.completion(
            body, INVALID_ANSWER, fault="ok", request_number=1, prompt_chars=1
        )
        read = read_answer(settings, _asking(ex), completion)
    assert read.completion is not None and read.reask is not None
    tail = reask_tail(settings, body, read.completion, read.reask)
    assert [m["role"] for m in tail] == roles
    assert "pay.min must not be greater than pay.max" in tail[-1]["content"]
    assert len(body["messages"]) == len(messages)  # the body itself is left as it was
