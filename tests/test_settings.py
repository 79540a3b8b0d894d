"""Settings: flags override env, env overrides defaults; bad values are clear errors."""

from __future__ import annotations

import pytest

from extractor.errors import ConfigError
from extractor.settings import DEFAULT_MODEL, Settings


def test_defaults_without_env() -> None:
    s = Settings.from_env({})
    assert s.model == DEFAULT_MODEL and s.api_key is None and s.resolved_backend == "offline"


def test_env_then_overrides() -> None:
    env = {"OPENAI_API_KEY": "k", "OPENAI_BASE_URL": "http://h/v1", "EXTRACTOR_MODEL": "m1"}
    s = Settings.from_env(env)
    assert (s.api_key, s.base_url, s.model, s.resolved_backend) == ("k", "http://h/v1", "m1", "llm")
    assert Settings.from_env(env, model="m2", base_url=None).model == "m2"
    assert Settings.from_env(env, model="m2", base_url=None).base_url == "http://h/v1"


@pytest.mark.parametrize(
    ("env", "backend"),
    [
        ({}, "offline"),
        ({"OPENAI_API_KEY": "k"}, "llm"),
        ({"OPENAI_BASE_URL": "http://localhost:11434/v1"}, "llm"),
    ],
)
def test_auto_backend(env: dict[str, str], backend: str) -> None:
    assert Settings.from_env(env).resolved_backend == backend


@pytest.mark.parametrize(
    ("env", "overrides", "words"),
    [
        ({}, {"backend": "gpu"}, "backend must be"),
        ({}, {"mode": "xml"}, "mode must be"),
        ({}, {"timeout": 0}, "timeout"),
        ({"EXTRACTOR_TIMEOUT": "soon"}, {}, "EXTRACTOR_TIMEOUT"),
        ({}, {"base_url": "localhost:8000"}, "http://"),
    ],
)
def test_bad_settings(env: dict[str, str], overrides: dict[str, object], words: str) -> None:
    with pytest.raises(ConfigError, match=words):
        Settings.from_env(env, **overrides)


def test_the_key_is_not_in_repr() -> None:
    s = Settings.from_env({"OPENAI_API_KEY": "canary-123"})
    assert "canary-123" not in repr(s)


def test_a_misspelt_setting_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="colour"):
        Settings.from_env({}, colour="red")
