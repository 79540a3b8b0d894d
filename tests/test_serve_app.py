"""The HTTP service through a real HTTP client against uvicorn on 127.0.0.1 (offline backend):
the synchronous and job paths, records as `extractor run` writes them, auth, limits and
malformed bodies."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the serve extra is not installed")

import httpx2

from extractor import Record, Settings, run_batch
from extractor.batch.csv_format import CsvFormat
from extractor.job_posting import JobPosting
from tests.conftest import AS_OF, OTHER_KEY, POSTINGS, SEEDS, ThreadServer

SETTINGS = {"as_of": AS_OF.isoformat()}
HTML = next(p for p in sorted(POSTINGS.glob("*.html")))


def items(paths: list[Path]) -> list[dict[str, str]]:
    return [{"text": p.read_text(encoding="utf-8"), "source": p.name} for p in paths]


def finished(client: httpx2.Client, job_id: str) -> dict[str, Any]:
    view: dict[str, Any] = client.get(f"/v1/jobs/{job_id}", params={"wait": 10}).json()
    assert view["status"] in ("done", "cancelled"), view
    return view


def records(client: httpx2.Client, job_id: str) -> list[Record]:
    response = client.get(f"/v1/jobs/{job_id}/records")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/x-ndjson")
    return [Record.from_line(line) for line in response.text.splitlines()]


# -- health and docs ----------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/health", "/ready", "/version", "/openapi.json", "/docs"])
def test_health_and_docs_need_no_key(offline_server: ThreadServer, path: str) -> None:
    assert httpx2.get(offline_server.url + path).status_code == 200


def test_ready_and_version_say_what_serves(client: httpx2.Client) -> None:
    assert client.get("/ready").json() == {
        "ready": True,
        "checks": {"store": True, "cache": True, "backend": True},
    }
    assert client.get("/version").json()["backend"] == "offline"


# -- the synchronous path -----------------------------------------------------------------------
def test_extract_answers_the_record_extractor_run_writes(
    client: httpx2.Client, tmp_path: Path
) -> None:
    source = SEEDS[0]
    run_batch([source], tmp_path / "out.jsonl", settings=Settings(backend="offline", as_of=AS_OF))
    expected = Record.from_line((tmp_path / "out.jsonl").read_text(encoding="utf-8"))
    body = {"text": source.read_text(encoding="utf-8"), "source": str(source)}
    response = client.post("/v1/extract", json={**body, "settings": SETTINGS})
    assert response.status_code == 200
    got = Record.from_line(response.content)
    assert got == expected  # same data, evidence, sha256, run_key: the same record
    assert response.content.decode() == expected.to_line()


def test_extract_reads_html_and_names_the_source(client: httpx2.Client) -> None:
    response = client.post("/v1/extract", json={"html": HTML.read_text(encoding="utf-8")})
    record = Record.from_line(response.content)
    assert (record.status, record.source) == ("ok", "item-0")
    assert record.data is not None and record.data["title"]


def test_a_failed_input_is_an_error_record(client: httpx2.Client) -> None:
    record = Record.from_line(client.post("/v1/extract", json={"text": "   "}).content)
    assert record.status == "error" and record.error is not None
    assert record.error.type == "InputError"


def test_a_source_is_only_a_name_never_a_file_read(client: httpx2.Client) -> None:
    response = client.post("/v1/extract", json={"text": "Cook\nDiner\n", "source": "/etc/passwd"})
    record = Record.from_line(response.content)
    assert record.source == "/etc/passwd"
    assert "root:" not in json.dumps(record.to_dict())


# -- jobs ---------------------------------------------------------------------------------------
def test_a_job_from_a_json_array_gives_every_record_once(client: httpx2.Client) -> None:
    response = client.post("/v1/jobs", json=items(SEEDS))
    assert response.status_code == 202
    job = response.json()
    assert response.headers["location"] == f"/v1/jobs/{job['id']}"
    view = finished(client, job["id"])
    assert view["counts"] == {
        "total": 5, "done": 5, "ok": 5, "failed": 0, "pending": 0, "running": 0, "cancelled": 0
    }  # fmt: skip
    assert [r.source for r in records(client, job["id"])] == [p.name for p in SEEDS]


def test_a_job_object_sets_task_and_settings(client: httpx2.Client, tmp_path: Path) -> None:
    body = {"items": items(SEEDS[:2]), "task": "job_posting", "settings": SETTINGS}
    job = client.post("/v1/jobs", json=body).json()
    finished(client, job["id"])
    assert {r.as_of for r in records(client, job["id"])} == {AS_OF.isoformat()}


def test_records_as_csv_have_the_columns_of_run_format_csv(client: httpx2.Client) -> None:
    job = client.post("/v1/jobs", json=items(SEEDS[:3])).json()
    finished(client, job["id"])
    response = client.get(f"/v1/jobs/{job['id']}/records", headers={"Accept": "text/csv"})
    assert response.headers["content-type"].startswith("text/csv")
    lines = response.text.splitlines(keepends=True)
    assert lines[0] == CsvFormat(JobPosting).header()
    assert len(lines) == 4


def test_an_uploaded_jsonl_file(client: httpx2.Client) -> None:
    jsonl = "".join(json.dumps(i) + "\n" for i in items(SEEDS[:3]))
    files = {"file": ("postings.jsonl", jsonl.encode(), "application/x-ndjson")}
    response = client.post("/v1/jobs", files=files, data={"settings": json.dumps(SETTINGS)})
    assert response.status_code == 202, response.text
    finished(client, response.json()["id"])
    assert len(records(client, response.json()["id"])) == 3


def test_an_uploaded_zip_names_records_by_member(client: httpx2.Client) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in SEEDS[:2]:
            archive.write(path, f"batch/{path.name}")
        archive.writestr("batch/notes.pdf", b"%PDF not a posting")
        archive.writestr("__MACOSX/batch/._x.txt", b"resource fork")
    files = {"file": ("postings.zip", buffer.getvalue(), "application/zip")}
    job = client.post("/v1/jobs", files=files).json()
    finished(client, job["id"])
    assert [r.source for r in records(client, job["id"])] == [f"batch/{p.name}" for p in SEEDS[:2]]


def test_cancel_then_purge(client: httpx2.Client) -> None:
    job = client.post("/v1/jobs", json=items(SEEDS[:2])).json()
    view = client.delete(f"/v1/jobs/{job['id']}").json()
    assert view["status"] in ("cancelled", "done")
    assert view["counts"]["done"] + view["counts"]["cancelled"] == 2
    assert client.delete(f"/v1/jobs/{job['id']}", params={"purge": True}).status_code == 200
    assert client.get(f"/v1/jobs/{job['id']}").status_code == 404


# -- auth ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 401),
        ({"Authorization": "Bearer wrong-key-0123456789"}, 401),
        ({"Authorization": "Basic dXNlcjpwYXNz"}, 401),
        ({"X-API-Key": OTHER_KEY}, 200),
        ({"Authorization": f"Bearer {OTHER_KEY}"}, 200),
    ],
)
def test_keys_are_required(
    offline_server: ThreadServer, headers: dict[str, str], status: int
) -> None:
    response = httpx2.get(offline_server.url + "/v1/tasks", headers=headers)
    assert response.status_code == status
    if status == 401:
        assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", ""), ("GET", "/records"), ("DELETE", "")],
)
def test_another_keys_job_is_forbidden(
    client: httpx2.Client, offline_server: ThreadServer, method: str, path: str
) -> None:
    job = client.post("/v1/jobs", json=items(SEEDS[:1])).json()
    other = {"X-API-Key": OTHER_KEY}
    url = f"{offline_server.url}/v1/jobs/{job['id']}{path}"
    assert httpx2.request(method, url, headers=other).status_code == 403
    assert client.request(method, f"/v1/jobs/{job['id']}{path}").status_code == 200


# -- limits and malformed bodies ----------------------------------------------------------------
def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


BIG = "x" * (32 * 1024 + 1)  # one byte over the test server's item limit


@pytest.mark.parametrize(
    ("path", "kwargs", "status"),
    [
        ("/v1/extract", {"json": {"text": BIG}}, 413),
        ("/v1/extract", {"json": {"text": "é" * (16 * 1024 + 1)}}, 413),  # bytes, not chars
        ("/v1/jobs", {"json": [{"text": "a"}] * 51}, 413),
        ("/v1/jobs", {"json": [{"text": "x" * 30_000}] * 9}, 413),  # the whole body
        ("/v1/jobs", {"files": {"file": ("a.zip", zip_of({"a.txt": BIG.encode()}))}}, 413),
        ("/v1/jobs", {"content": b"{", "headers": {"Content-Type": "application/json"}}, 422),
        ("/v1/extract", {"content": b"{", "headers": {"Content-Type": "application/json"}}, 422),
        ("/v1/extract", {"json": {}}, 422),
        ("/v1/extract", {"json": {"text": "a", "html": "<p>a</p>"}}, 422),
        ("/v1/extract", {"json": {"text": "a", "path": "/etc/passwd"}}, 422),
        ("/v1/extract", {"json": {"text": "a", "task": "../../etc/passwd"}}, 422),
        ("/v1/extract", {"json": {"text": "a", "task": "no_such_task"}}, 422),
        ("/v1/extract", {"json": {"text": "a", "settings": {"base_url": "http://x"}}}, 422),
        ("/v1/extract", {"json": {"text": "a", "wait": -1}}, 422),
        ("/v1/jobs", {"json": []}, 422),
        ("/v1/jobs", {"json": [{"text": "a", "source": "s"}, {"text": "b", "source": "s"}]}, 422),
        ("/v1/jobs", {"json": {"items": [{"text": "a"}], "webhook": "file:///etc/passwd"}}, 422),
        ("/v1/jobs", {"json": {"items": [{"text": "a"}], "webhook": "ftp://x.test/"}}, 422),
        ("/v1/jobs", {"json": {"items": [{"text": "a"}], "settings": {"as_of": "soon"}}}, 422),
        ("/v1/jobs", {"content": b"a", "headers": {"Content-Type": "text/plain"}}, 415),
        ("/v1/jobs", {"files": {"other": ("a.txt", b"a")}}, 422),
        ("/v1/jobs", {"files": {"file": ("a.jsonl", b'{"text": 1}\n')}}, 422),
        ("/v1/jobs", {"files": {"file": ("a.jsonl", b"\xff\xfe")}}, 422),
        ("/v1/jobs", {"files": {"file": ("a.jsonl", b"\n \n")}}, 422),
        ("/v1/jobs", {"files": {"file": ("a.zip", b"PK\x03\x04broken")}}, 422),
        ("/v1/jobs", {"files": {"file": ("a.zip", zip_of({"a.exe": b"MZ"}))}}, 422),
        ("/v1/jobs", {"files": {"file": ("a.jsonl", b"")}, "data": {"settings": "{"}}, 422),
    ],
)
def test_limits_and_malformed_bodies(
    client: httpx2.Client, path: str, kwargs: dict[str, Any], status: int
) -> None:
    response = client.post(path, **kwargs)
    assert response.status_code == status, response.text
    assert "detail" in response.json()


def test_a_chunked_body_over_the_limit_is_refused(client: httpx2.Client) -> None:
    def chunks() -> Any:
        for _ in range(40):
            yield b"x" * 8192  # 320 KiB, no Content-Length

    response = client.post(
        "/v1/jobs", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413


def test_unknown_job_is_404(client: httpx2.Client) -> None:
    assert client.get("/v1/jobs/nope").status_code == 404
    assert client.get("/v1/jobs/nope/records").status_code == 404
    assert client.delete("/v1/jobs/nope").status_code == 404
