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
    scale_runner.main(["--sizes", "10", "20", "--plain-at", "20", "--process-at", "20", "--plain-limit", "2", "--queries", "projects", "budget-by-unit",
                       "--out", str(out), "--scratch", str(tmp_path)])
    record = json.loads((out / "scale.json").read_text(encoding="utf-8"))
    small, run = record["runs"]
    assert (small["projects"], run["projects"]) == (10, 20) and run["triples"] > small["triples"] > 0
    steps = {m["step"]: m for m in run["measures"]}
    assert set(steps) == {"ingest -o .nt", "ingest --store", "reason", "validate", "query projects", "query budget-by-unit"}
    assert all(m["seconds"] > 0 and m["peak_mb"] > 10 for m in steps.values()), steps
    # CPU time of every step (with its workers); the store step writes to the disk
    assert all(m["cpu_seconds"] > 0 for m in steps.values()) and steps["ingest --store"]["written_mb"] > 0, steps
    assert not any(m["note"] for m in steps.values() if not m["step"].startswith("query ")), steps
    # Queries are timed inside one process; the note says what the command line took, and the kind.
    projects, budgets = steps["query projects"], steps["query budget-by-unit"]
    assert projects["produced"].startswith("20 rows, first after") and projects["kind"] == "listing" and projects["rows_per_second"] > 0
    assert budgets["kind"] == "aggregate"
    assert projects["note"].startswith("as a process ") and projects["note"].endswith(" s")
    whole = next(m for m in run["plain"] if m["step"] == "plain route, all")
    assert whole["seconds"] is None and whole["note"] == "did not finish in 2 s"
    table = (out / "scale.md").read_text(encoding="utf-8")
    assert "| ingest --store | " in table and " CPU-s, " in table
    assert "| query projects (listing) |" in table and "did not finish in 2 s" in table and "takes at least" in table
    targets = table[table.index("## Targets"):]
    assert "2× the projects costs ≤ 2.2× the time" in targets and "aggregate named query" in targets and "50× faster" in targets
    assert not list(tmp_path.glob("jixiao-bench-*")), "the scratch folder is removed"


def test_a_query_is_aggregate_when_it_groups_or_aggregates() -> None:
    assert scale_runner.query_kind("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == "aggregate"
    assert scale_runner.query_kind("SELECT ?s WHERE { ?s ?p ?o } GROUP BY ?s") == "aggregate"
    assert scale_runner.query_kind("SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s") == "listing"
    # A sub-select's grouping does not make the answer a summary.
    assert scale_runner.query_kind("SELECT ?s ?n WHERE { { SELECT ?s (COUNT(?o) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?s } }") == "listing"


def test_kept_corpora_are_reused_and_named_by_their_settings(tmp_path: Path) -> None:
    args = scale_runner.parse_arguments(["--sizes", "5", "--corpora", str(tmp_path / "kept")])
    corpus, files = scale_runner.corpus_for(5, args, tmp_path)
    assert files >= 1 and corpus.name == f"corpus-5-y2023-2024-d0.05-f0.1-s1-g{scale_runner.generator_digest()}"
    stamps = {path: path.stat().st_mtime_ns for path in corpus.rglob("*")}
    again, files_again = scale_runner.corpus_for(5, args, tmp_path)
    assert (again, files_again) == (corpus, files)
    assert {path: path.stat().st_mtime_ns for path in again.rglob("*")} == stamps, "the kept corpus is read, not written again"
    other, _ = scale_runner.corpus_for(5, scale_runner.parse_arguments(["--corpora", str(tmp_path / "kept"), "--seed", "2"]), tmp_path)
    assert other != corpus and not list((tmp_path / "kept").glob(".*.part"))


WORKERS_CHILD = """
import multiprocessing

def spin(n):
    # busy for 1.5 CPU-s whatever the machine's speed (the sampling may miss a worker's last half second)
    import time
    total = 0
    while time.process_time() < 1.5:
        total += 1
    return n

if __name__ == "__main__":
    with multiprocessing.get_context("forkserver").Pool(2) as pool:
        print(sum(pool.map(spin, [30_000_000, 30_000_000])))
"""


def test_cpu_time_counts_workers_started_by_a_fork_server(tmp_path: Path) -> None:
    # ingest's pool runs under a fork server, whose workers the step's process never waits for:
    # wait4's rusage alone would show the main process's few tenths of a second
    script = tmp_path / "workers.py"
    script.write_text(WORKERS_CHILD, encoding="utf-8")
    measure, stdout, _ = scale_runner.measured("workers", [sys.executable, str(script)])
    assert measure.exit_status == 0 and stdout.strip() == str(60_000_000)
    assert measure.cpu_seconds is not None and measure.cpu_seconds > 1.0, measure
