"""``extractor serve`` as a command: refused configurations exit 2 with one line and start
nothing; without the extra it says how to install it; the core never imports FastAPI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractor.cli import app

runner = CliRunner()


def one_line_error(args: list[str]) -> str:
    result = runner.invoke(app, ["serve", *args])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("extractor: error: ")
    return lines[0]


def test_the_core_never_imports_fastapi() -> None:
    code = "import sys, extractor, extractor.cli; print('fastapi' in sys.modules)"
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert shown.stdout.strip() == "False", shown.stderr


def test_without_the_extra_serve_says_how_to_install_it() -> None:
    code = (
        "import sys; sys.modules['fastapi'] = None\n"  # as if FastAPI were not installed
        "from extractor.cli import main; sys.argv = ['extractor', 'serve']; main()"
    )
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert shown.returncode == 2
    assert shown.stderr == (
        "extractor: error: the HTTP service needs its extra: pip install 'extractor[serve]'\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--host", "0.0.0.0"], "binding to 0.0.0.0 needs API keys"),
        (["--host", "192.0.2.7"], "needs API keys"),
        (["--backend", "llm"], "the llm backend needs an endpoint"),
        (["--base-url", "ftp://x"], "base URL must start with http"),
        (["--mode", "yaml"], "mode must be one of"),
        (["--api-keys-file", "/nonexistent/keys"], "cannot read the API key file"),
    ],
)
def test_refused_configurations_start_nothing(args: list[str], message: str) -> None:
    pytest.importorskip("fastapi", reason="the serve extra is not installed")
    assert message in one_line_error(args)


def test_a_short_key_in_the_key_file_is_refused(tmp_path: Path) -> None:
    pytest.importorskip("fastapi", reason="the serve extra is not installed")
    keys = tmp_path / "keys"
    keys.write_text("# ops team\nshort\n", encoding="utf-8")
    assert f"{keys}, line 2" in one_line_error(["--api-keys-file", str(keys)])
