"""Load and query times: embedded Oxigraph and Virtuoso, against plain rdflib, on one corpus.

    python benchmarks/bench_stores.py [--projects 10000] [--per-file 100] [--rdflib-projects 1000]

Generates the corpus, loads it the way `jixiao ingest --store` and `jixiao load` do (one named
graph per declared table, the union beside them, in one write), then times every named query (best of 3) on each store. rdflib is timed on the
first --rdflib-projects projects only (it needs minutes and gigabytes at 10,000), and the ratio
is reported against the embedded store on that same subset.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from jixiao.graph.build import ingest_documents, load_graph
from jixiao.graph.mapping import GraphChunk, document_chunks
from jixiao.queries.library import NamedQuery, library, run
from jixiao.stores import MemoryBackend, QueryBackend, store_chunks
from jixiao.stores.oxigraph import OxigraphBackend
from jixiao.stores.remote import RemoteEndpoint
from jixiao.synthetic import write_corpus

ROOT = Path(__file__).resolve().parent.parent
PARAMS = {"search": {"text": "满意度"}}


def timed(function: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    result = function()
    return result, time.perf_counter() - start


def query_times(backend: Any, queries: dict[str, NamedQuery]) -> dict[str, tuple[int, float]]:
    times = {}
    for name, query in queries.items():
        best = float("inf")
        rows = 0
        for _ in range(3):
            (rows, seconds) = timed(lambda q=query, n=name: sum(1 for _ in run(q, backend, PARAMS.get(n)).rows))
            best = min(best, seconds)
        times[name] = (rows, best)
    return times


def report(title: str, load_seconds: float, times: dict[str, tuple[int, float]]) -> None:
    print(f"\n== {title}: load {load_seconds:.1f} s, all queries {sum(t for _, t in times.values()):.2f} s")
    for name, (rows, seconds) in times.items():
        print(f"   {name:<30} {rows:>8} rows {seconds:8.3f} s")


def chunks(files: list[Path]) -> Iterator[GraphChunk]:
    for path in files:
        for document in ingest_documents(path):
            yield from document_chunks(document)


def load(backend: QueryBackend, files: list[Path]) -> Any:
    """What `jixiao ingest --store` and `jixiao load` do: one graph per declared table, in one write."""
    return store_chunks(backend, chunks(files))


def start_virtuoso(directory: Path, http_port: int = 28890, sql_port: int = 21111) -> str:
    env = {**os.environ, "VIRT_USER": "kg", "VIRT_PASSWORD": "kgpass"}
    subprocess.run([str(ROOT / "scripts" / "virtuoso-start.sh"), str(directory), str(http_port), str(sql_port)],
                   env=env, check=True, capture_output=True)
    return f"http://127.0.0.1:{http_port}/sparql"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--per-file", type=int, default=100)
    parser.add_argument("--rdflib-projects", type=int, default=1000)
    parser.add_argument("--skip-virtuoso", action="store_true")
    args = parser.parse_args()
    queries = library()
    with tempfile.TemporaryDirectory(prefix="jixiao-bench-") as work:
        work_dir = Path(work)
        files = write_corpus(work_dir / "tables", args.projects, per_file=args.per_file, n_agencies=200, years=(2023, 2024))
        inputs = list(files)
        subset = inputs[: max(1, args.rdflib_projects // args.per_file)]
        print(f"{args.projects} projects in {len(files)} files; rdflib subset: {len(subset) * args.per_file} projects")

        store = OxigraphBackend(work_dir / "store")
        loaded, seconds = timed(lambda: load(store, inputs))
        print(f"embedded store: {sum(loaded.summary.replaced.values())} triples in {loaded.tables} table graphs, {store.count()} in their union")
        report(f"embedded Oxigraph, {args.projects} projects", seconds, query_times(store, queries))
        store.close()

        small = OxigraphBackend(None)
        _, small_load = timed(lambda: load(small, subset))
        small_times = query_times(small, queries)
        memory, memory_load = timed(lambda: MemoryBackend(load_graph(subset)))
        memory_times = query_times(memory, queries)
        report(f"embedded Oxigraph, {len(subset) * args.per_file} projects", small_load, small_times)
        report(f"rdflib in memory (reference), {len(subset) * args.per_file} projects", memory_load, memory_times)
        total_small = sum(t for _, t in small_times.values())
        total_memory = sum(t for _, t in memory_times.values())
        print(f"   ratio rdflib / oxigraph: load {memory_load / small_load:.1f}×, queries {total_memory / total_small:.1f}×")

        if not args.skip_virtuoso:
            virtuoso_dir = work_dir / "virtuoso"
            endpoint = start_virtuoso(virtuoso_dir)
            try:
                remote = RemoteEndpoint(endpoint, user="kg", password="kgpass", timeout=600)
                loaded, seconds = timed(lambda: load(remote, inputs))
                report(f"Virtuoso, {args.projects} projects", seconds, query_times(remote, queries))
            finally:
                subprocess.run([str(ROOT / "scripts" / "virtuoso-stop.sh"), str(virtuoso_dir)], check=False, capture_output=True)


if __name__ == "__main__":
    main()
