"""The scale benchmark runner (benchmarks/run.py) works end to end on a tiny corpus and writes both outputs."""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import run as scale_runner  # noqa: E402


def test_runner_writes_markdown_and_json(tmp_path: Path) -> None:
    out = tmp_path / "results"
    # A plain-route limit far too short for pyshacl: the "did not finish" path is taken.
    scale_runner.main(["--sizes", "20", "--plain-at", "20", "--plain-limit", "2", "--queries", "projects", "--out", str(out),
                       "--scratch", str(tmp_path)])
    record = json.loads((out / "scale.json").read_text(encoding="utf-8"))
    (run,) = record["runs"]
    assert run["projects"] == 20 and run["triples"] > 0
    steps = {m["step"]: m for m in run["measures"]}
    assert set(steps) == {"ingest -o .nt", "ingest --store", "reason", "validate", "query projects"}
    assert all(m["seconds"] > 0 and m["peak_mb"] > 10 and not m["note"] for m in steps.values()), steps
    assert steps["query projects"]["produced"] == "20 rows"
    whole = next(m for m in run["plain"] if m["step"] == "plain route, all")
    assert whole["seconds"] is None and whole["note"] == "did not finish in 2 s"
    table = (out / "scale.md").read_text(encoding="utf-8")
    assert "| query projects |" in table and "did not finish in 2 s" in table and "takes at least" in table
    assert not list(tmp_path.glob("jixiao-bench-*")), "the scratch folder is removed"

