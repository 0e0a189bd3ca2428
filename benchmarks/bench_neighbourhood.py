"""Time what `validate --store` reads about its focus nodes to place them (`places`): queries, rows, CPU.

    python benchmarks/bench_neighbourhood.py STORE [--focus FILE.txt] [--repeat 2] [--old OLD/src/jixiao/validation]

The focus nodes are those the checks find on STORE (`violations`); with --focus they are read
from FILE.txt (one IRI a line) when it exists and written there otherwise, so that runs of old
and new code place the same nodes without running the checks again. Each run prints the CPU
seconds (`time.process_time`: the process with Oxigraph's threads), the wall seconds, the queries
sent and the rows they returned, by the function that sent them, and a digest of the places found
(the same digest: the same places). With --old, the `places` of another checkout's
validation/sparql.py and report.py (loaded beside this one) run too, alternated with this code's
on the same store in the same process.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import inspect
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from rdflib import URIRef
from rdflib.term import Node

from jixiao.stores import open_backend
from jixiao.stores.base import SelectResult
from jixiao.validation import sparql


class Counting:
    """A backend that counts the queries and rows of each calling function of (either) validation/sparql.py."""

    def __init__(self, backend: Any) -> None:
        self.backend = backend
        self.queries: Counter[str] = Counter()
        self.rows: Counter[str] = Counter()

    def select(self, query: str, bindings: Any) -> Any:
        caller = next((f.function for f in inspect.stack()[1:] if f.filename.endswith("sparql.py")), "?")
        answer = self.backend.select(query, bindings)
        rows = list(answer.rows)
        self.queries[caller] += 1
        self.rows[caller] += len(rows)
        return SelectResult(answer.variables, iter(rows))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.backend, name)


def focus_nodes(store: Path, cache: Path | None) -> list[Node]:
    if cache is not None and cache.exists():
        return [URIRef(line) for line in cache.read_text().splitlines() if line]
    backend = open_backend(store=store, read_only=True)
    hierarchy = sparql.class_hierarchy(backend)
    closed = sparql.types_are_closed(backend, hierarchy)
    nodes = sorted({v.focus for v in sparql.violations(backend, sparql.compiled_queries(closed, hierarchy))}, key=str)
    backend.close()
    if cache is not None:
        cache.write_text("".join(f"{n}\n" for n in nodes))
    return nodes


def old_places(directory: Path) -> Any:
    """`places` of the sparql.py and report.py in `directory` (another checkout), loaded under other names."""
    modules = {}
    saved = sys.modules.get("jixiao.validation.report")
    try:
        for name in ("report", "sparql"):
            spec = importlib.util.spec_from_file_location(f"old_{name}", directory / f"{name}.py")
            assert spec is not None and spec.loader is not None
            module = importlib.util.module_from_spec(spec)
            sys.modules[f"old_{name}"] = module  # dataclasses look their module up
            spec.loader.exec_module(module)
            modules[name] = module
            sys.modules["jixiao.validation.report"] = module  # the old sparql.py imports the old report.py
    finally:
        if saved is not None:
            sys.modules["jixiao.validation.report"] = saved
    return modules["sparql"].places


def run(label: str, places: Any, backend: Any, nodes: list[Node]) -> None:
    counting = Counting(backend)
    cpu, wall = time.process_time(), time.perf_counter()
    located = places(counting, set(nodes), True)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    digest = hashlib.sha256(repr(sorted((str(k), repr(v)) for k, v in located.items())).encode()).hexdigest()[:16]
    print(f"{label}: {len(nodes)} focus nodes: {cpu:.2f} CPU-s, {wall:.2f} s wall, {sum(counting.queries.values())} queries, "
          f"{sum(counting.rows.values())} rows, places {digest}", flush=True)
    for caller in sorted(counting.queries):
        print(f"  {caller}: {counting.queries[caller]} queries, {counting.rows[caller]} rows", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("store", type=Path)
    parser.add_argument("--focus", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--old", type=Path, default=None, help="another checkout's src/jixiao/validation, to compare with")
    args = parser.parse_args()
    cpu, wall = time.process_time(), time.perf_counter()
    nodes = focus_nodes(args.store, args.focus)
    print(f"focus nodes: {len(nodes)}, {time.process_time() - cpu:.2f} CPU-s, {time.perf_counter() - wall:.2f} s wall", flush=True)
    backend = open_backend(store=args.store, read_only=True)
    versions = [("new", sparql.places)] + ([("old", old_places(args.old))] if args.old else [])
    for _ in range(args.repeat):
        for label, places in versions:
            run(label, places, backend, nodes)
    backend.close()


if __name__ == "__main__":
    main()
