"""Grounding on the labelled dev set, against the local simulator (real HTTP, instructor, tools).

    .venv/bin/python bench/bench_grounding.py [--no-quotes] [--seed 0]

The simulator answers each posting with its gold record plus fabricated values (values absent
from the posting) and quotes: gold values come with quotes taken from the posting text (some
re-spaced or re-cased, some with a character dropped, to exercise every alignment tier);
fabricated ones come with plausible fake quotes, or with real lines of the posting that do not
contain them (a real quote attached to a made-up value). ``--no-quotes`` answers bare records.

Prints: the share of fabricated values caught (listed as unsupported; target 100%), the share
of correct (gold) values wrongly flagged (target < 1%), the match kinds of the evidence, the
same check on the offline backend's own values, and the grounding time per posting.
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import re
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

from extractor.evidence.paths import walk
from extractor.extraction import Extractor, prepare
from extractor.settings import Settings
from extractor.tasks import load_task
from extractor.testing.simulator import Simulator, SimulatorConfig
from extractor.testing.simulator.answerers import posting_text

ROOT = Path(__file__).resolve().parent.parent
POSTINGS = ROOT / "tests" / "data" / "postings"
AS_OF = date(2026, 11, 22)

FAKE_SKILLS = ["Kubernetes", "COBOL", "Haskell", "Terraform", "Figma", "Fortran", "Elixir"]
FAKE_BENEFITS = [
    ("Free daily sushi lunch", "Perks include a free daily sushi lunch for every employee."),
    ("Company-paid sabbatical on Mars", "We offer a company-paid sabbatical on Mars."),
    ("Unlimited yacht access", "Benefits: unlimited yacht access on weekends."),
]
FAKE_DUTIES = [
    "Negotiate treaties with the lunar colonies",
    "Maintain the company's fleet of airships",
]
FAKE_PLACES = [
    ({"text": "Reykjavik, Iceland", "city": "Reykjavik", "region": None, "country": "IS"},
     "Location: Reykjavik, Iceland"),
    ({"text": "Ulaanbaatar, Mongolia", "city": "Ulaanbaatar", "region": None, "country": "MN"},
     "Based in Ulaanbaatar, Mongolia"),
]  # fmt: skip
ABSENT_WORDS = {
    "workplace": ("remote", ["remote", "home", "telecommut", "anywhere", "distributed", "télé"]),
    "seniority": ("executive", ["vp", "chief", "executive", "president", "c-level", "partner"]),
    "degree_levels": ("phd", ["phd", "ph.d", "doctor", "doktor", "promotion"]),
}


def lines_of(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if len(line.strip()) > 20]


def line_with(text: str, needle: str) -> str | None:
    low = needle.casefold()
    for line in text.splitlines():
        if low in line.casefold():
            return line.strip()
    return None


def absent(text: str, value: str) -> bool:
    squash = lambda s: re.sub(r"\s+", " ", s).casefold()  # noqa: E731
    return squash(value) not in squash(text)


class Oracle:
    """The answerer: gold values with real quotes, plus fabricated values with fake quotes."""

    def __init__(self, quotes: bool, seed: int) -> None:
        self.quotes = quotes
        self.rng = random.Random(seed)
        self.by_text: dict[str, tuple[str, dict[str, Any], str]] = {}
        self.fabricated: dict[str, list[str]] = {}

    def add(self, name: str, prompt_text: str, gold: dict[str, Any], source: str) -> None:
        self.by_text[prompt_text] = (name, gold, source)

    def __call__(self, body: dict[str, Any]) -> dict[str, Any]:
        name, gold, source = self.by_text[posting_text(body)]
        data = copy.deepcopy(gold)
        quotes = [q for v in walk(gold) if (q := self.quote_for(v.path, v.value, source))]
        fakes = self.fabricate(data, source, quotes)
        self.fabricated[name] = fakes
        return {"data": data, "quotes": quotes} if self.quotes else data

    def quote_for(self, path: str, value: Any, source: str) -> dict[str, str] | None:
        text = str(value)
        line = line_with(source, text) if isinstance(value, str) else None
        if line is None:
            return None
        quote = line if len(line) < 160 else text
        roll = self.rng.random()
        if roll < 0.15:
            quote = " ".join(quote.split()).upper()  # normalised tier
        elif roll < 0.25 and len(quote) > 30:
            cut = len(quote) // 2
            quote = quote[:cut] + quote[cut + 1 :]  # fuzzy tier
        return {"path": path, "quote": quote}

    def fabricate(
        self, data: dict[str, Any], source: str, quotes: list[dict[str, str]]
    ) -> list[str]:
        fakes: list[str] = []
        real_lines = lines_of(source) or [source.strip()[:80]]

        def add(field: str, item: Any, quote: str) -> None:
            data.setdefault(field, []).append(item)
            path = f"{field}[{len(data[field]) - 1}]"
            fakes.append(path)
            quotes.append({"path": path, "quote": quote})

        skill = next((s for s in FAKE_SKILLS if absent(source, s)), None)
        if skill:
            add("skills", skill, self.rng.choice(real_lines))  # real quote, made-up value
        benefit, fake_quote = self.rng.choice(FAKE_BENEFITS)
        add("benefits", benefit, fake_quote)
        duty = self.rng.choice(FAKE_DUTIES)
        add("responsibilities", duty, duty)
        add("contact_emails", "careers@fabricated-example.org", self.rng.choice(real_lines))
        place, place_quote = self.rng.choice(FAKE_PLACES)
        if absent(source, place["city"]):
            add("locations", place, place_quote)
        add("start_dates", "2027-03-14", "Start date: March 14, 2027")
        for field, (value, words) in ABSENT_WORDS.items():
            if not any(w in source.casefold() for w in words):
                if field == "degree_levels":
                    add(field, value, self.rng.choice(real_lines))
                elif data.get(field) is None:
                    data[field] = value
                    fakes.append(field)
                    quotes.append({"path": field, "quote": self.rng.choice(real_lines)})
        pay = data.get("pay")
        if pay is None:
            data["pay"] = {"text": "$98,765 per year", "min": 98765.0, "max": 98765.0,
                           "currency": "USD", "period": "year"}  # fmt: skip
            fakes.append("pay")
            quotes.append({"path": "pay", "quote": "Salary: $98,765 per year"})
        elif pay.get("max"):
            pay["max"] = round(pay["max"] * 1.37 + 3, 2)  # a real pay text, a made-up figure
            fakes.append("pay.max")
        if data.get("team") is None:
            data["team"] = "Quantum Ledger Division"
            fakes.append("team")
            quotes.append({"path": "team", "quote": "You will join our Quantum Ledger Division."})
        if data.get("duration") is None and absent(source, "18 months"):
            data["duration"] = "18 months"
            fakes.append("duration")
            quotes.append({"path": "duration", "quote": self.rng.choice(real_lines)})
        posted = data.get("posted")
        if posted and posted.get("date"):
            moved = date.fromisoformat(posted["date"]).replace(year=2024)
            if moved.isoformat() not in source:
                posted["date"] = moved.isoformat()
                fakes.append("posted.date")
        return fakes


def postings() -> list[tuple[str, bytes, dict[str, Any]]]:
    found = []
    for gold in sorted(POSTINGS.glob("*.json")):
        source = next(p for p in POSTINGS.glob(f"{gold.stem}.*") if p.suffix != ".json")
        found.append((gold.stem, source.read_bytes(), json.loads(gold.read_text())))
    return found


def run(quotes: bool, seed: int) -> None:
    task = load_task()
    oracle = Oracle(quotes, seed)
    items = postings()
    base = Settings.from_env(
        {}, backend="llm", api_key="bench", use_cache=False, as_of=AS_OF, keep_unsupported=True
    )
    with Extractor(task, base) as probe:
        for name, raw, gold in items:
            doc = prepare(raw, name)
            text, _ = probe.prompt_text(doc)
            messages = task.render(text, as_of=AS_OF.isoformat())
            oracle.add(
                name, posting_text({"messages": messages}), _canonical(task, gold), doc.source
            )
    fabricated = caught = correct = flagged = 0
    kinds: Counter[str] = Counter()
    missed: list[str] = []
    wrong: list[str] = []
    started = time.perf_counter()
    sim = Simulator(SimulatorConfig(answerer=oracle))
    with sim, Extractor(task, base.with_(base_url=sim.base_url)) as ex:
        for name, raw, gold in items:
            outcome = ex.run(raw, name)
            flagged_paths = {u["path"] for u in outcome.unsupported}
            fakes = oracle.fabricated[name]
            fabricated += len(fakes)
            caught += sum(1 for f in fakes if f in flagged_paths)
            missed += [f"{name}: {f}" for f in fakes if f not in flagged_paths]
            for value in walk(_canonical(task, gold)):
                if value.path in fakes:
                    continue
                correct += 1
                if value.path in flagged_paths:
                    flagged += 1
                    wrong.append(f"{name}: {value.path} = {value.value!r}")
            kinds.update(e.match for e in outcome.evidence)
    elapsed = time.perf_counter() - started
    label = "with quotes" if quotes else "bare records (no quotes)"
    print(f"LLM backend via the simulator, {label}, {len(items)} postings, seed {seed}:")
    print(f"  fabricated values caught: {caught}/{fabricated} = {caught / max(fabricated, 1):.1%}")
    print(
        f"  correct values wrongly flagged: {flagged}/{correct} = {flagged / max(correct, 1):.2%}"
    )
    print(f"  evidence match kinds: {dict(kinds.most_common())}")
    print(
        f"  wall time {elapsed:.1f} s ({elapsed / len(items) * 1000:.0f} ms per posting, HTTP included)"
    )
    for line in missed[:20]:
        print(f"  MISSED {line}")
    for line in wrong[:20]:
        print(f"  WRONGLY FLAGGED {line}")


def offline_check() -> None:
    """The offline backend's own values, grounded the same way (nothing fabricated)."""
    total = flagged = 0
    grounding = 0.0
    settings = Settings.from_env({}, backend="offline", as_of=AS_OF, keep_unsupported=True)
    with Extractor(load_task(), settings) as ex:
        for name, raw, _ in postings():
            doc = prepare(raw, name)
            t0 = time.perf_counter()
            outcome = ex.run(doc)
            grounding += time.perf_counter() - t0
            total += len(outcome.evidence) + len(outcome.unsupported)
            flagged += len(outcome.unsupported)
            for u in outcome.unsupported:
                print(f"  offline value without evidence: {name}: {u['path']} = {u['value']!r}")
    print(
        f"offline backend: {flagged}/{total} of its values without evidence = {flagged / total:.2%};"
        f" extract+ground {grounding / len(postings()) * 1000:.0f} ms per posting"
    )


def review_check(records: int) -> None:
    """Size and build time of the review page for ``records`` records (offline, dev set reused),
    and the time headless chromium takes to load it (when installed)."""
    import shutil
    import subprocess
    import tempfile

    from extractor.batch.record import Record, sha256_hex
    from extractor.review import write_review

    settings = Settings.from_env({}, backend="offline", as_of=AS_OF)
    files = [p for p in sorted(POSTINGS.iterdir()) if p.suffix in (".txt", ".html")]
    with Extractor(load_task(), settings) as ex, tempfile.TemporaryDirectory() as tmp:
        lines = []
        for i in range(records):
            path = files[i % len(files)]
            raw = path.read_bytes()
            outcome = ex.run(raw, path.name)
            lines.append(Record.ok(str(path), sha256_hex(raw), outcome, run_key="bench").to_line())
        jsonl, page = Path(tmp) / "out.jsonl", Path(tmp) / "review.html"
        jsonl.write_text("".join(lines), encoding="utf-8")
        t0 = time.perf_counter()
        write_review(jsonl, page)
        built = time.perf_counter() - t0
        size = page.stat().st_size / 1e6
        print(f"review page, {records} records: {size:.1f} MB written in {built:.1f} s", end="")
        chromium = shutil.which("chromium")
        if chromium is None:
            print("; chromium not installed")
            return
        args = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                f"--user-data-dir={tmp}/profile", "--dump-dom"]  # fmt: skip
        for fragment in ("", "#open=0,1,2,3,4,5,6,7,8,9"):
            t0 = time.perf_counter()
            subprocess.run([*args, page.as_uri() + fragment], capture_output=True, check=True)
            print(
                f"; chromium load+dump{' (10 opened)' if fragment else ''} "
                f"{time.perf_counter() - t0:.1f} s",
                end="",
            )
        print()


def _canonical(task: Any, gold: dict[str, Any]) -> dict[str, Any]:
    dumped: dict[str, Any] = task.schema.model_validate(gold).model_dump(
        mode="json", exclude_computed_fields=True
    )
    return dumped


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-quotes", action="store_true", help="Answer bare records.")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--review", type=int, default=1000, help="Records in the page test.")
    args = parser.parse_args()
    print("$ " + " ".join([".venv/bin/python", "bench/bench_grounding.py", *sys.argv[1:]]))
    run(not args.no_quotes, args.seed)
    offline_check()
    review_check(args.review)


if __name__ == "__main__":
    main()
