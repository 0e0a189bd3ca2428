"""What making the views whole costs (docs/stores.md, "Views kept by the writer"): as all their parts, in chunks of
partition values (`views._make_whole`, what a first write does), or by one evaluation of each view's SELECT.

    python benchmarks/bench_view_whole.py STORE [--chunk 4000 | --single] [--view NAME ...]

Opens a write on the store, makes each view whole in it, and aborts the write (the store is left as it was). Prints one
JSON line: each view's CPU seconds (`time.process_time`: every thread, Oxigraph's included), wall seconds, rows, and the
sha256 of its rows' sorted N-Quads (its stamps left out: they name the view's file), then the process's peak RSS. On a
shared machine compare CPU, alternating the two ways on one store.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import time
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from jixiao.stores.oxigraph import OxigraphBackend
from jixiao.stores.views import WHOLE_CHUNK_MEMBERS, Answers, View, _inputs_digest, _make_whole, view_definitions


def rows_digest(store: ox.Store, view: View) -> str:
    """The sha256 of the view graph's row quads as sorted N-Quads lines (the stamps, about the graph itself, left out)."""
    graph = ox.NamedNode(view.graph)
    lines = sorted(f"{quad} ." for quad in store.quads_for_pattern(None, None, None, graph) if quad.subject != graph)
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def make_whole(store: Path, chunk_members: int | None, names: list[str]) -> dict[str, Any]:
    backend = OxigraphBackend(store)
    writer = backend.writer()
    results: dict[str, Any] = {"chunk_members": chunk_members}
    answers = Answers()  # as one write's commit shares them between its views
    for view in view_definitions():
        if names and view.name not in names:
            continue
        inputs = _inputs_digest(writer.store, view)
        started, cpu = time.perf_counter(), time.process_time()
        rows = _make_whole(writer.store, view, inputs, chunk_members, answers).rows
        results[view.name] = {"cpu": round(time.process_time() - cpu, 2), "wall": round(time.perf_counter() - started, 2),
                              "rows": rows, "sha256": rows_digest(writer.store, view)}
    writer.abort()
    backend.close()
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--chunk", type=int, default=WHOLE_CHUNK_MEMBERS, help="members a chunk of parts totals at most")
    parser.add_argument("--single", action="store_true", help="one evaluation of each view's SELECT, not its parts")
    parser.add_argument("--view", action="append", default=[], help="only this view (repeatable)")
    args = parser.parse_args(argv)
    started, cpu = time.perf_counter(), time.process_time()
    result = make_whole(args.store, None if args.single else args.chunk, args.view)
    result["total_cpu"] = round(time.process_time() - cpu, 2)
    result["total_wall"] = round(time.perf_counter() - started, 2)
    result["peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
