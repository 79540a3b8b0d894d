"""What ``extractor.llm.internals`` takes from instructor's private modules is still there.

These fail loudly when an instructor release moves it, instead of the speed-up quietly turning
off or ``extractor estimate`` breaking at run time.
"""

from __future__ import annotations

import importlib

import pytest
from pydantic import BaseModel

from extractor.llm import internals


@pytest.mark.parametrize(
    ("module", "name"),
    [
        ("instructor.v2.core.patch", "reject_async_validators"),
        ("instructor.v2.validation.async_validators", "reject_async_validators"),
        ("instructor.v2.providers.openai.schema", "generate_openai_schema"),
        ("instructor.function_calls", "response_schema"),
    ],
)
def test_the_private_names_we_use_exist(module: str, name: str) -> None:
    assert hasattr(importlib.import_module(module), name), f"instructor moved {module}.{name}"


def test_the_async_validator_check_is_patched() -> None:
    from instructor.v2.core import patch
    from instructor.v2.validation import async_validators

    assert getattr(async_validators.reject_async_validators, "remembers", False)
    assert patch.reject_async_validators is async_validators.reject_async_validators


class _Thing(BaseModel):
    name: str


def test_tool_definition_names_the_schema() -> None:
    tool = internals.tool_definition(internals.response_schema(_Thing))
    assert tool["type"] == "function" and tool["function"]["name"] == "_Thing"
    assert "name" in tool["function"]["parameters"]["properties"]
