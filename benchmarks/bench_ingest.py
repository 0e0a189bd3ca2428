"""Ingest speed: tables → N-Triples, and loading the result into rdflib vs Oxigraph; `ingest --store` at several sizes.

    python benchmarks/bench_ingest.py [--projects 1000]
    python benchmarks/bench_ingest.py --store-sizes 1000 10000 [--jobs 2] [--work DIR] [--corpora DIR] [--changed 5]

The first prints the time to read+normalise+map the corpus, triples per project, and the time to
load the N-Triples output with plain rdflib and with pyoxigraph (same file, same run) with their
ratio. `--store-sizes` generates a corpus per size (as benchmarks/run.py does: 50 projects a file,
a unit per 50 projects, 2023 and 2024, the usual damage) and runs `jixiao ingest DIR --store S`
on it as its own process: wall time, CPU time of that process (the bulk load runs there; the
workers are the fork server's children and are not counted), its own peak resident memory and
what it wrote to disk (os.wait4), the quads and the size of the store on disk, the growth from one
size to the next, the triples of the union (the default graph) and a digest of its sorted N-Triples
(the same digest before and after a change of layout: the queries read the same union); then the same command again (every table unchanged: nothing rewritten);
with `--changed N`, then a replacement run: a copy of the corpus with every Nth file's targets
changed (each `≥K%` made `≥K-1%`: the same tables, other contents), ingested into the same store.
`--corpora DIR` takes each size's corpus from DIR (`corpus-SIZE-*`, as benchmarks/run.py names
them) instead of generating it.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph
from rdflib import Graph

from jixiao.graph.build import table_chunks, write_chunks
from jixiao.synthetic import write_corpus


def timed(label: str, function):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = function()
    seconds = time.perf_counter() - start
    print(f"{label:<40} {seconds:8.2f} s")
    return result, seconds


def run_ingest(corpus: Path, store: Path, jobs: int) -> dict[str, float]:
    """`jixiao ingest CORPUS --store STORE` as a child: wall seconds, its own CPU seconds, its peak RSS and what it wrote in MB."""
    argv = [sys.executable, "-m", "jixiao", "ingest", str(corpus), "--store", str(store), "--jobs", str(jobs), "--quiet"]
    start = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    assert child.stderr is not None
    stderr = child.stderr.read().decode()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"ingest failed: {stderr}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "peak_mb": usage.ru_maxrss / 1024, "written_mb": usage.ru_oublock * 512 / 1e6}


def store_facts(store: Path) -> tuple[int, float]:
    """Quads in the store and its size on disk in MB."""
    counted = pyoxigraph.Store.read_only(str(store))
    quads = sum(1 for _ in counted)
    del counted
    size = sum(f.stat().st_size for f in store.rglob("*") if f.is_file())
    return quads, size / 1e6


def union_digest(store: Path) -> tuple[int, str]:
    """The union's triples (the default graph, what every query reads) and the sha256 of their sorted N-Triples lines."""
    opened = pyoxigraph.Store.read_only(str(store))
    lines = sorted(f"{q.subject} {q.predicate} {q.object} .\n" for q in opened.quads_for_pattern(None, None, None, pyoxigraph.DefaultGraph()))
    del opened
    digest = hashlib.sha256()
    for line in lines:
        digest.update(line.encode("utf-8"))
    return len(lines), digest.hexdigest()[:16]


def changed_copy(corpus: Path, target: Path, every: int) -> int:
    """A copy of the corpus with every `every`th file's percentage targets lowered by one point; how many files changed."""
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(corpus, target)
    changed = 0
    for path in sorted(target.iterdir())[::every]:
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"≥(\d+)%", lambda match: f"≥{max(int(match.group(1)) - 1, 0)}%", text), encoding="utf-8")
        changed += 1
    return changed


def store_sizes(sizes: list[int], jobs: int, work: Path, corpora: Path | None = None, every: int | None = None) -> None:
    print(f"{'projects':>9} {'wall s':>8} {'cpu s':>8} {'peak MB':>8} {'written MB':>10} {'quads':>10} {'store MB':>9} {'growth':>7} {'again s':>8} "
          f"{'changed s':>9} {'cpu s':>6} {'union':>9} {'digest':>16}")
    previous: tuple[int, float] | None = None
    for projects in sizes:
        corpus, store = work / f"corpus-{projects}", work / f"store-{projects}"
        if corpora is not None:
            corpus = next(corpora.glob(f"corpus-{projects}-*"))
        elif not corpus.exists():
            write_corpus(corpus, projects, seed=1, per_file=50, damage=0.05, n_agencies=max(5, projects // 50), years=(2023, 2024), defects=0.1)
        shutil.rmtree(store, ignore_errors=True)
        first = run_ingest(corpus, store, jobs)
        again = run_ingest(corpus, store, jobs)
        quads, megabytes = store_facts(store)
        replaced, replaced_cpu = "-", "-"
        if every:
            changed = work / f"changed-{projects}"
            changed_copy(corpus, changed, every)
            replacement = run_ingest(changed, store, jobs)
            replaced, replaced_cpu = f"{replacement['wall']:.1f}", f"{replacement['cpu']:.1f}"
            shutil.rmtree(changed)
        triples, digest = union_digest(store)
        growth = f"{first['wall'] / previous[1] / (projects / previous[0]):.2f}" if previous else "-"
        print(f"{projects:>9} {first['wall']:>8.1f} {first['cpu']:>8.1f} {first['peak_mb']:>8.0f} {first['written_mb']:>10.0f} {quads:>10} {megabytes:>9.0f} "
              f"{growth:>7} {again['wall']:>8.1f} {replaced:>9} {replaced_cpu:>6} {triples:>9} {digest:>16}", flush=True)
        previous = (projects, first["wall"])
    print("growth: the time per project relative to the size before (1.00 = linear; 1.10 = 10x the data costs 11x the time); "
          "union and digest: after the last run (the replacement, if any)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--store-sizes", type=int, nargs="+", help="time `jixiao ingest --store` at these corpus sizes instead")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--work", type=Path, help="folder for the corpora and stores (kept, so a corpus is generated once)")
    parser.add_argument("--corpora", type=Path, help="take each size's corpus from this folder (corpus-SIZE-*) instead of generating it")
    parser.add_argument("--changed", type=int, help="then ingest a copy with every Nth file changed into the same store (a replacement run)")
    args = parser.parse_args()
    if args.store_sizes:
        if args.work is not None:
            args.work.mkdir(parents=True, exist_ok=True)
            store_sizes(args.store_sizes, args.jobs, args.work, args.corpora, args.changed)
        else:
            with tempfile.TemporaryDirectory() as work:
                store_sizes(args.store_sizes, args.jobs, Path(work), args.corpora, args.changed)
        return
    with tempfile.TemporaryDirectory() as work:
        directory = Path(work)
        files = write_corpus(directory / "tables", args.projects, per_file=100)
        output = directory / "corpus.nt"
        triples, _ = timed(f"ingest {args.projects} projects → N-Triples", lambda: write_chunks(table_chunks(files), output, "nt"))
        print(f"{'triples':<40} {triples:8d}  ({triples / args.projects:.0f} per project)")
        _, rdflib_seconds = timed("load into rdflib Graph", lambda: Graph().parse(output, format="nt"))
        store = pyoxigraph.Store()
        _, oxigraph_seconds = timed("load into pyoxigraph Store", lambda: store.bulk_load(path=str(output), format=pyoxigraph.RdfFormat.N_TRIPLES))
        print(f"{'load ratio rdflib / oxigraph':<40} {rdflib_seconds / oxigraph_seconds:8.1f} ×")


if __name__ == "__main__":
    main()
