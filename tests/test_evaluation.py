"""extractor.evaluation and `extractor eval`: counting rules as tables, then files, then the CLI."""

from __future__ import annotations

import importlib.util
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any, Literal

import pytest
from pydantic import BaseModel
from typer.testing import CliRunner

from extractor.errors import InputError, TaskError
from extractor.evaluation import EvalReport, evaluate, select_fields
from extractor.evaluation.fields import ListSpec, ModelSpec, ScalarSpec, leaf_paths, walk_model
from extractor.evaluation.matching import match_one_to_one, normalize_text, text_similarity
from extractor.evaluation.report import JOB_POSTING_GROUPS, default_groups
from extractor.evaluation.scoring import Counts, DocumentScorer

ROOT = Path(__file__).resolve().parents[1]
EVAL_DATA = ROOT / "tests" / "data" / "eval"


def _load_job_posting() -> type[BaseModel]:
    path = ROOT / "schemas" / "job_posting.py"
    spec = importlib.util.spec_from_file_location("evaluation_job_posting", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # pydantic resolves the postponed annotations through it
    spec.loader.exec_module(module)
    model: type[BaseModel] = module.JobPosting
    return model


JobPosting = _load_job_posting()


class Maker(BaseModel):
    name: str
    country: str | None = None


class Part(BaseModel):
    name: str
    qty: int | None = None


class Item(BaseModel):
    """A small schema unlike JobPosting: the evaluator must not depend on job postings."""

    title: str | None = None
    price: float | None = None
    released: date | None = None
    active: bool = False
    color: Literal["red", "blue"] | None = None
    homepage_url: str | None = None
    tags: list[str] = []
    sizes: list[int] = []
    parts: list[Part] = []
    maker: Maker | None = None


def score(
    gold: dict[str, Any], pred: dict[str, Any] | None, threshold: float = 85
) -> dict[str, tuple[int, int, int]]:
    tally: dict[str, Counts] = {}
    DocumentScorer(tally, threshold).score(walk_model(Item), gold, pred)
    return {path: (c.tp, c.fp, c.fn) for path, c in tally.items()}


# --- scalars -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "gold", "pred", "expected"),
    [
        ("title", "Data Engineer", "  data   engineer. ", (1, 0, 0)),
        ("title", "Data Engineer", "Data Enginer", (1, 0, 0)),  # a typo: 92 >= 90
        ("title", "Data Engineer", "Data Engineering", (0, 1, 1)),  # contains the gold
        ("title", "Data Engineer", "Senior Data Engineer", (0, 1, 1)),  # contains the gold
        ("title", "Senior Data Engineer - Berlin", "Senior Data Engineer", (0, 1, 1)),  # cut
        ("title", "Engineer, Data", "Data Engineer", (0, 1, 1)),  # word order counts
        ("title", "Data Engineer", "Sales Manager", (0, 1, 1)),
        ("title", None, None, (0, 0, 0)),
        ("title", None, "Data Engineer", (0, 1, 0)),
        ("title", "Data Engineer", None, (0, 0, 1)),
        ("title", "Data Engineer", " - ", (0, 0, 1)),
        ("color", "red", "red", (1, 0, 0)),
        ("color", "red", "blue", (0, 1, 1)),
        ("homepage_url", "https://a.example/jobs/1", "https://a.example/jobs/2", (0, 1, 1)),
        ("homepage_url", "https://a.example/jobs/1", "HTTPS://A.example/jobs/1", (1, 0, 0)),
        ("price", 100000, 100000.0, (1, 0, 0)),
        ("price", 100000, "100,000", (1, 0, 0)),
        ("price", 100000, 100400, (0, 1, 1)),  # numbers are equal or not
        ("price", 100000, 99999, (0, 1, 1)),
        ("price", 0, 0, (1, 0, 0)),
        ("price", 0, 1, (0, 1, 1)),
        ("released", "2025-09-15", "2025-09-15", (1, 0, 0)),
        ("released", "2025-09-15", "2025-09-16", (0, 1, 1)),
        ("active", True, True, (1, 0, 0)),
        ("active", True, False, (0, 0, 1)),
        ("active", False, True, (0, 1, 0)),
        ("active", False, False, (0, 0, 0)),
        ("active", True, None, (0, 0, 1)),
    ],
)
def test_scalar_counting(field: str, gold: Any, pred: Any, expected: tuple[int, int, int]) -> None:
    assert score({field: gold}, {field: pred})[field] == expected


@pytest.mark.parametrize(
    ("gold", "pred", "agree", "compared"),
    [(True, True, 1, 1), (False, False, 1, 1), (True, False, 0, 1), (False, None, 0, 1)],
)
def test_boolean_accuracy(gold: bool, pred: bool | None, agree: int, compared: int) -> None:
    tally: dict[str, Counts] = {}
    DocumentScorer(tally, 85).score(walk_model(Item), {"active": gold}, {"active": pred})
    assert (tally["active"].agree, tally["active"].compared) == (agree, compared)


@pytest.mark.parametrize(
    ("gold", "pred", "expected"),
    [
        ({"name": "Acme"}, {"name": "ACME"}, {"maker.name": (1, 0, 0), "maker.country": (0, 0, 0)}),
        ({"name": "Acme"}, None, {"maker.name": (0, 0, 1), "maker.country": (0, 0, 0)}),
        (
            None,
            {"name": "Acme", "country": "DE"},
            {"maker.name": (0, 1, 0), "maker.country": (0, 1, 0)},
        ),
        (
            {"name": "Acme", "country": "DE"},
            {"name": "Acme", "country": "FR"},
            {"maker.name": (1, 0, 0), "maker.country": (0, 1, 1)},
        ),
    ],
)
def test_nested_model_fields(
    gold: dict[str, Any] | None, pred: dict[str, Any] | None, expected: dict[str, Any]
) -> None:
    counts = score({"maker": gold}, {"maker": pred})
    assert {k: counts[k] for k in expected} == expected


# --- lists -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "gold", "pred", "expected"),
    [
        ("tags", ["Python", "Spark"], ["spark", "python"], (2, 0, 0)),
        ("tags", ["Python"], ["python", "Python 3"], (1, 1, 0)),  # one pred cannot take two
        ("tags", ["Spark", "Apache Spark"], ["Spark"], (1, 0, 1)),  # nor one gold two preds
        ("tags", ["Python"], ["Experience writing Python services"], (0, 1, 1)),
        ("tags", ["Python", "SQL"], ["NoSQL"], (0, 1, 2)),
        ("tags", [], ["Python"], (0, 1, 0)),
        ("tags", ["Python"], None, (0, 0, 1)),
        ("tags", ["Python", ""], ["Python", "  "], (1, 0, 0)),
        ("sizes", [1, 2, 2], [2, 2, 3], (2, 1, 1)),
    ],
)
def test_list_matching(field: str, gold: Any, pred: Any, expected: tuple[int, int, int]) -> None:
    assert score({field: gold}, {field: pred})[field] == expected


@pytest.mark.parametrize(
    ("threshold", "expected"),
    [(90, (1, 0, 0)), (95, (0, 1, 1))],
)
def test_threshold_decides_fuzzy_matches(threshold: float, expected: tuple[int, int, int]) -> None:
    gold, pred = {"tags": ["Data Engineer"]}, {"tags": ["Data Enginer"]}  # 92.3
    assert score(gold, pred, threshold)["tags"] == expected


@pytest.mark.parametrize(
    ("scores", "threshold", "pairs"),
    [
        ([[90, 95], [0, 99]], 85, [(0, 0), (1, 1)]),
        ([[95, 90], [96, 0]], 85, [(0, 1), (1, 0)]),
        ([[100, 100], [100, 100]], 85, [(0, 0), (1, 1)]),
        ([[80, 10]], 85, []),
        ([[90], [95], [99]], 85, [(2, 0)]),
    ],
)
def test_greedy_one_to_one_assignment(
    scores: list[list[float]], threshold: float, pairs: list[tuple[int, int]]
) -> None:
    gold = list(range(len(scores)))
    pred = list(range(len(scores[0])))
    assert match_one_to_one(gold, pred, lambda g, p: scores[g][p], threshold) == pairs


def test_list_of_models_pairs_on_key_then_scores_subfields() -> None:
    gold = {"parts": [{"name": "bolt", "qty": 4}, {"name": "nut", "qty": 4}]}
    pred = {"parts": [{"name": "Bolt", "qty": 5}, {"name": "washer", "qty": 1}]}
    counts = score(gold, pred)
    assert counts["parts.name"] == (1, 1, 1)
    assert counts["parts.qty"] == (0, 2, 2)  # bolt 4 vs 5, nut unpaired, washer unpaired


@pytest.mark.parametrize(
    ("text", "normalized"),
    [("  • Python;  ", "python"), ("Data\n\tEngineer", "data engineer"), ("C++", "c"), ("«»", "")],
)
def test_normalize_text(text: str, normalized: str) -> None:
    assert normalize_text(text) == normalized


@pytest.mark.parametrize(
    ("gold", "pred", "expected"),
    [
        ("python", "experience writing python services", 0.0),
        ("spark", "apache spark", 0.0),
        ("apache spark", "spark", 0.0),
        # one character in 61 would pass any edit-distance threshold; containment still fails
        (
            "principal software engineer, payments infrastructure platform",
            "principal software engineer, payments infrastructure platform 2",
            0.0,
        ),
        ("data engineer", "data enginer", pytest.approx(100 * (1 - 1 / 13))),
        ("data engineer", "data engineering", 0.0),
        ("data engineer", "data engineers team", 0.0),
        ("senior data engineer", "senior data engineers", 0.0),
        ("data engineer", "data engineers", 0.0),
        ("data engineer", "date engineer", pytest.approx(100 * (1 - 1 / 13))),
        ("sales manager", "data engineer", pytest.approx(100 * (1 - 10 / 13))),
        ("data engineer", "data engineer", 100.0),
    ],
)
def test_text_similarity_is_edit_distance_and_rejects_containment(
    gold: str, pred: str, expected: float
) -> None:
    assert text_similarity(gold, pred) == expected


# --- schema walk and groups --------------------------------------------------------------------


def test_walk_job_posting_fields_in_schema_order() -> None:
    paths = leaf_paths(walk_model(JobPosting))
    assert paths[:4] == ["title", "company", "team", "locations.text"]
    assert {"locations.country", "pay.min", "posted.date", "skills", "is_expired"} <= set(paths)
    assert "pay.annual_min" not in paths  # computed fields are derived, not scored
    assert paths.index("pay.min") < paths.index("degree_levels") < paths.index("language")


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("title", "text"),
        ("workplace", "exact"),
        ("pay.min", "number"),
        ("posted.date", "date"),
        ("start_dates", "date"),
        ("contact_emails", "exact"),
        ("apply_url", "exact"),
        ("skills", "text"),
        ("degree_levels", "exact"),
        ("is_expired", "bool"),
    ],
)
def test_job_posting_field_kinds(path: str, kind: str) -> None:
    def find(spec: Any) -> Any:
        if isinstance(spec, ScalarSpec):
            return spec if spec.path == path else None
        if isinstance(spec, ListSpec):
            return find(spec.item)
        return next((f for c in spec.fields if (f := find(c)) is not None), None)

    found = find(walk_model(JobPosting))
    assert found is not None and found.kind == kind


def test_list_of_models_key_is_its_text_field() -> None:
    locations = next(f for f in walk_model(JobPosting).fields if f.path == "locations")
    assert isinstance(locations, ListSpec) and isinstance(locations.item, ModelSpec)
    assert locations.item.key.path == "locations.text"


def test_unresolved_annotations_are_a_task_error() -> None:
    class Broken(BaseModel):
        thing: Unknown | None = None  # type: ignore[name-defined]  # noqa: F821

    with pytest.raises(TaskError, match="thing"):
        walk_model(Broken)


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        (Item, {name: (name,) for name in Item.model_fields}),
        (JobPosting, JOB_POSTING_GROUPS),
    ],
)
def test_default_groups(model: type[BaseModel], expected: dict[str, tuple[str, ...]]) -> None:
    assert default_groups(list(model.model_fields)) == expected


def test_job_posting_groups_cover_every_field_once() -> None:
    members = [name for names in JOB_POSTING_GROUPS.values() for name in names]
    assert sorted(members) == sorted(JobPosting.model_fields)
    assert list(JOB_POSTING_GROUPS) == ["structured", "entities", "bullets"]


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["pay"], ["pay.text", "pay.min", "pay.max", "pay.currency", "pay.period"]),
        (["title", "locations.country"], ["title", "locations.country"]),
        (
            ["locations"],
            ["locations.text", "locations.city", "locations.region", "locations.country"],
        ),
    ],
)
def test_select_fields(names: list[str], expected: list[str]) -> None:
    assert select_fields(walk_model(JobPosting), names) == expected


# --- evaluate() on files -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def fixture_report() -> EvalReport:
    return evaluate(EVAL_DATA, EVAL_DATA / "predictions.jsonl", JobPosting)


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        # posting_c has an error record: all its gold is missed
        ("title", (1, 1, 2)),  # "Barista (part-time)" contains "Barista": a miss
        ("company", (1, 1, 2)),  # "ACME Robotics GmbH" is not "Acme Robotics"
        ("team", (0, 0, 1)),
        ("locations.text", (2, 1, 2)),  # Munich is extra; Remote (EU) and Zurich missed
        ("locations.country", (2, 1, 1)),  # "USA" validates to US
        ("workplace", (0, 1, 1)),
        ("pay.min", (1, 1, 1)),  # 70100 is not 70000
        ("pay.max", (1, 1, 1)),
        ("posted.date", (0, 1, 1)),
        ("application_deadline.date", (0, 0, 1)),
        ("contact_emails", (1, 0, 0)),
        ("skills", (1, 2, 2)),  # "Apache Spark" is not "Spark"
        ("responsibilities", (4, 1, 0)),  # "data-warehouse" is one edit from "data warehouse"
        ("benefits", (1, 1, 1)),  # "30 days of holiday" is not "30 days holiday"
        ("is_expired", (0, 0, 1)),
        ("preferred_qualifications", (0, 0, 0)),
    ],
)
def test_fixture_field_counts(
    fixture_report: EvalReport, field: str, expected: tuple[int, int, int]
) -> None:
    got = fixture_report.fields[field]
    assert (got.tp, got.fp, got.fn) == expected


def test_fixture_rates_and_groups(fixture_report: EvalReport) -> None:
    assert (fixture_report.documents, fixture_report.missing_predictions) == (3, 1)
    assert fixture_report.warnings == []
    skills = fixture_report.fields["skills"]
    assert skills.precision == pytest.approx(1 / 3) and skills.recall == pytest.approx(1 / 3)
    assert fixture_report.fields["team"].precision is None
    assert fixture_report.fields["team"].f1 == 0.0
    assert fixture_report.fields["preferred_qualifications"].f1 is None
    assert fixture_report.fields["is_expired"].accuracy == pytest.approx(1 / 3)
    assert list(fixture_report.groups) == ["structured", "entities", "bullets", "all"]
    entities = fixture_report.groups["entities"]
    members = [
        s
        for f, s in fixture_report.fields.items()
        if f.split(".")[0] in JOB_POSTING_GROUPS["entities"]
    ]
    assert len(members) == 7  # title, company, team and four locations subfields
    assert entities.tp == sum(s.tp for s in members) == 9
    assert (entities.fp, entities.fn) == (sum(s.fp for s in members), sum(s.fn for s in members))
    total = fixture_report.groups["all"]
    assert total.tp == sum(s.tp for s in fixture_report.fields.values())


def _write_gold(folder: Path, docs: dict[str, dict[str, Any]]) -> Path:
    folder.mkdir(exist_ok=True)
    for doc_id, data in docs.items():
        (folder / f"{doc_id}.json").write_text(json.dumps(data), encoding="utf-8")
        (folder / f"{doc_id}.txt").write_text("posting", encoding="utf-8")
    return folder


def _record(doc_id: str, data: dict[str, Any] | None, status: str = "ok") -> str:
    return json.dumps(
        {"source": f"in/{doc_id}.txt", "task": "item", "status": status, "data": data}
    )


def test_gold_scored_against_itself_is_perfect(tmp_path: Path) -> None:
    golds = {p.stem: json.loads(p.read_text("utf-8")) for p in EVAL_DATA.glob("*.json")}
    predictions = tmp_path / "p.jsonl"
    predictions.write_text("\n".join(_record(k, v) for k, v in golds.items()), encoding="utf-8")
    report = evaluate(EVAL_DATA, predictions, JobPosting)
    assert report.missing_predictions == 0
    assert all(s.fp == 0 and s.fn == 0 for s in report.fields.values())
    assert report.groups["all"].f1 == 1.0


@pytest.mark.parametrize(
    ("lines", "missing", "warnings"),
    [
        ([_record("a", {"title": "Pen"})], 0, []),
        ([], 1, []),
        ([_record("a", None, status="error")], 1, []),
        (["{not json", _record("a", {"title": "Pen"})], 0, ["p.jsonl:1: skipped, not JSON"]),
        (['{"status": "ok"}'], 1, ["p.jsonl:1: skipped, no 'source' field"]),
        ([_record("a", {"price": "cheap"})], 1, ["p.jsonl:1: data does not fit Item: price"]),
        (
            [_record("a", {"title": "Pan"}), _record("a", {"title": "Pen"})],
            0,
            ["p.jsonl:2: a later record for 'a' replaces an earlier one"],
        ),
        ([_record("a", {"title": "Pen"}), _record("zz", {})], 0, ["1 prediction(s) have no gold"]),
    ],
)
def test_prediction_records(
    tmp_path: Path, lines: list[str], missing: int, warnings: list[str]
) -> None:
    gold = _write_gold(tmp_path / "gold", {"a": {"title": "Pen"}})
    predictions = tmp_path / "p.jsonl"
    predictions.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = evaluate(gold, predictions, Item)
    assert report.missing_predictions == missing
    assert len(report.warnings) == len(warnings)
    for got, expected in zip(report.warnings, warnings, strict=True):
        assert expected in got
    title = report.fields["title"]
    assert (title.tp, title.fn) == ((1, 0) if missing == 0 else (0, 1))


@pytest.mark.parametrize(
    ("setup", "kwargs", "message"),
    [
        ("no_gold_dir", {}, "gold directory not found"),
        ("empty_gold_dir", {}, "no gold files"),
        ("bad_gold_json", {}, "bad.json: cannot read gold JSON"),
        ("invalid_gold", {}, "bad.json: gold does not fit Item: price"),
        ("no_predictions", {}, "cannot read predictions"),
        ("ok", {"threshold": 0}, "threshold must be in"),
        ("ok", {"fields": ["title", "nope"]}, "unknown field(s): nope"),
    ],
)
def test_input_errors(tmp_path: Path, setup: str, kwargs: dict[str, Any], message: str) -> None:
    gold = tmp_path / "gold"
    predictions = tmp_path / "p.jsonl"
    if setup != "no_gold_dir":
        gold.mkdir()
    if setup == "bad_gold_json":
        (gold / "bad.json").write_text("{", encoding="utf-8")
    if setup in ("invalid_gold", "no_predictions", "ok"):
        name = "bad" if setup == "invalid_gold" else "a"
        price = "cheap" if setup == "invalid_gold" else 1
        (gold / f"{name}.json").write_text(json.dumps({"price": price}), encoding="utf-8")
    if setup != "no_predictions":
        predictions.write_text("", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        evaluate(gold, predictions, Item, **kwargs)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


# --- the CLI -----------------------------------------------------------------------------------


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch) -> Any:
    from extractor.cli import app, eval_cmd

    monkeypatch.setattr(eval_cmd, "load_schema", lambda task: JobPosting)
    runner = CliRunner()

    def invoke(*args: str) -> Any:
        return runner.invoke(app, ["eval", *args])

    return invoke


def test_cli_prints_tables(cli: Any) -> None:
    result = cli(str(EVAL_DATA), str(EVAL_DATA / "predictions.jsonl"))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    title_row = next(line for line in lines if line.strip("│ ").startswith("title "))
    cells = [cell.strip() for cell in title_row.split("│")[1:-1]]
    assert cells[:8] == ["title", "1", "1", "2", "0.500", "0.333", "0.400", "3"]
    assert "locations.country" in result.stdout and "structured" in result.stdout
    assert "documents: 3  missing predictions: 1" in result.stdout
    # schema order: title before pay.min before language
    text = result.stdout
    assert text.index("title") < text.index("pay.min") < text.index("language")


def test_cli_json_matches_library(cli: Any, fixture_report: EvalReport) -> None:
    result = cli(str(EVAL_DATA), str(EVAL_DATA / "predictions.jsonl"), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data == json.loads(json.dumps(fixture_report.to_dict()))
    assert {"fields", "groups", "documents", "missing_predictions"} <= set(data)


def test_cli_fields_and_threshold(cli: Any) -> None:
    args = [str(EVAL_DATA), str(EVAL_DATA / "predictions.jsonl"), "--json"]
    result = cli(*args, "--fields", "responsibilities,pay.min", "--threshold", "100")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data["fields"]) == ["pay.min", "responsibilities"]
    # at 100, "data-warehouse" no longer matches "data warehouse" (4 TP at the default 90)
    assert data["fields"]["responsibilities"]["tp"] == 3
    assert set(data["groups"]) == {"structured", "bullets", "all"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing-dir", "p.jsonl"], "gold directory not found"),
        ([str(EVAL_DATA), str(EVAL_DATA / "predictions.jsonl"), "--fields", "nope"], "nope"),
        ([str(EVAL_DATA), str(EVAL_DATA / "predictions.jsonl"), "--threshold", "101"], "threshold"),
    ],
)
def test_cli_usage_errors_exit_2(cli: Any, args: list[str], message: str) -> None:
    result = cli(*args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_cli_warnings_go_to_stderr(cli: Any, tmp_path: Path) -> None:
    predictions = tmp_path / "p.jsonl"
    lines = (EVAL_DATA / "predictions.jsonl").read_text("utf-8").splitlines()
    predictions.write_text("\n".join(["oops", *lines]) + "\n", encoding="utf-8")
    result = cli(str(EVAL_DATA), str(predictions), "--json")
    assert result.exit_code == 0
    assert "p.jsonl:1: skipped, not JSON" in result.stderr
    assert json.loads(result.stdout)["missing_predictions"] == 1


def test_cli_help_documents_counting(cli: Any) -> None:
    result = cli("--help")
    assert result.exit_code == 0
    for phrase in ("micro-average", "FP", "FN", "threshold", "Levenshtein", "contains", "SET.yaml"):
        assert phrase in result.stdout


def test_all_lists_every_public_name() -> None:
    import extractor.evaluation as evaluation

    modules = {"asof", "evaluator", "fields", "loading", "matching", "report", "scoring"}
    public = {n for n in vars(evaluation) if not n.startswith("_") and n not in modules}
    assert set(evaluation.__all__) == public  # ruff (RUF022) keeps it sorted
