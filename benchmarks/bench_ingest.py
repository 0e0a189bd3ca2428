"""Ingest speed: tables → N-Triples, and loading the result into rdflib vs Oxigraph.

    python benchmarks/bench_ingest.py [--projects 1000]

Prints the time to read+normalise+map the corpus, triples per project, and the time to load the
N-Triples output with plain rdflib and with pyoxigraph (same file, same run) with their ratio.
"""

from __future__ import annotations

import argparse
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=1000)
    args = parser.parse_args()
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
