"""The README stays true: every command and every flag of `run` is documented, and CI runs
exactly the README's test command."""

from __future__ import annotations

import re

import typer.main

from extractor.cli import app
from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_every_command_is_in_the_readme() -> None:
    names = [c.name or c.callback.__name__ for c in app.registered_commands if c.callback]
    for name in names:
        assert f"`extractor {name}" in README, name


def test_every_run_flag_is_in_the_readme() -> None:
    command = typer.main.get_command(app).commands["run"]  # type: ignore[attr-defined]
    flags = {opt for param in command.params for opt in param.opts if opt.startswith("--")}
    missing = sorted(f for f in flags - {"--help"} if f not in README)
    assert not missing


def test_ci_runs_the_readme_test_command() -> None:
    commands = re.findall(r"^    (python3 -m venv .*pytest)$", README, re.MULTILINE)
    assert len(commands) == 1
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[0] in ci.splitlines()
