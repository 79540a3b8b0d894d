"""The wheel ships the built-in tasks and package data, found without the current directory."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from extractor import tasks
from tests.conftest import REPO


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(REPO),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return next(out.glob("extractor-*.whl"))


def test_the_wheel_carries_prompts_schemas_and_data(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for prompt in (REPO / "prompts").glob("*.yaml"):
        assert f"extractor/builtin/prompts/{prompt.name}" in names
        assert f"extractor/builtin/schemas/{prompt.stem}.py" in names
    data = {p.relative_to(REPO).as_posix() for p in (REPO / "extractor").rglob("*") if p.is_file()}
    shipped = {d for d in data if not d.endswith((".pyc",)) and "__pycache__" not in d}
    assert shipped <= names, sorted(shipped - names)


def test_builtin_tasks_come_from_the_package_when_installed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "site-packages" / "extractor"
    for kind, suffix in (("prompts", ".yaml"), ("schemas", ".py")):
        (package / "builtin" / kind).mkdir(parents=True)
        (package / "builtin" / kind / f"job_posting{suffix}").write_text("")
    monkeypatch.setattr(tasks, "_PACKAGE_DIR", package)
    monkeypatch.chdir(REPO)  # a prompts/ folder in the cwd must not be picked up
    prompts, schemas = tasks.builtin_dirs()
    assert prompts == package / "builtin" / "prompts" and schemas == package / "builtin" / "schemas"


def test_the_wheel_is_typed_and_needs_no_aiohttp(wheel: Path) -> None:
    archive = zipfile.ZipFile(wheel)
    assert "extractor/py.typed" in archive.namelist()
    metadata = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
    requires = [
        line
        for line in archive.read(metadata).decode().splitlines()
        if line.startswith("Requires-Dist")
    ]
    base = [line for line in requires if "extra ==" not in line]
    assert not any("aiohttp" in line for line in base)  # the simulator is behind an extra
    assert any("aiohttp" in line and "simulator" in line for line in requires)
