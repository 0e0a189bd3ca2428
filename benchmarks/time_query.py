"""Time one named query on an embedded store, inside one process: what the query costs without the
command line's start-up (importing the package, opening the store).

    python benchmarks/time_query.py STORE NAME [NAME=VALUE ...] [--route terms|rdflib] [--engine]

Prints one JSON line: the seconds to the first row and to the last (the rows written as CSV to
nowhere, as `jixiao query --format csv` writes them), the number of rows, the rows per second
(rows / seconds), the process's CPU seconds meanwhile, and the seconds it took to open the store.
`benchmarks/run.py` runs it for every named query.

`--union` evaluates the query over the union where the store keeps a view of it (docs/stores.md, "Views kept by
the writer"); `from_view` says which it was. `--route` chooses how the rows reach the CSV writer: `terms` (the default, as `jixiao query
--store` does it) in the store's own terms, `rdflib` through rdflib terms (`select`, as validation
and the publishing code read rows). `--engine` runs the query once more and only iterates its
solutions, touching no term: `engine_seconds` (and `engine_cpu_seconds`) is Oxigraph's own share
(evaluation, and the solutions handed to Python); the rest of `seconds` is converting and writing.
On a loaded machine compare CPU seconds: wall time there measures the neighbours too.
"""

from __future__ import annotations

import argparse
import io
import json
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from jixiao.queries import NamedQuery, bind, load_query, run, write
from jixiao.stores.base import QueryBackend, SelectResult, TermRows, inject_values
from jixiao.stores.oxigraph import OxigraphBackend

ROUTES = ("terms", "rdflib")


class _Timed:
    """The rows of an answer as they are written: when the first came, and how many."""

    def __init__(self, rows: Iterator[Any], started: float) -> None:
        self.rows, self.started, self.count, self.first = rows, started, 0, None

    def __iter__(self) -> Iterator[Any]:
        for row in self.rows:
            if self.first is None:
                self.first = time.perf_counter() - self.started
            self.count += 1
            yield row


def timed_csv(named: NamedQuery, backend: QueryBackend, params: dict[str, str], check: bool = True,
              route: str = "terms", views: bool = True) -> tuple[float, float | None, int]:
    """Run a named query and write its rows as CSV to nowhere: (seconds, seconds to the first row or
    None, rows). What `jixiao query --format csv` costs without the command line's start-up."""
    started = time.perf_counter()
    answer = run(named, backend, params, check=check, own_terms=route == "terms", views=views)
    timed = _Timed(iter(()), started)
    if isinstance(answer, SelectResult | TermRows):
        timed = _Timed(iter(answer.rows), started)
        write("csv", replace(answer, rows=iter(timed)), io.StringIO())
    return time.perf_counter() - started, timed.first, timed.count


def engine_seconds(named: NamedQuery, backend: OxigraphBackend, params: dict[str, str]) -> tuple[float, float]:
    """Seconds (wall, CPU) for Oxigraph to evaluate the query and hand over its solutions, none of them read."""
    text = inject_values(named.text, bind(named, params))
    started, cpu = time.perf_counter(), time.process_time()
    for _ in backend.store.query(text):
        pass
    return time.perf_counter() - started, time.process_time() - cpu


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("name")
    parser.add_argument("params", nargs="*", metavar="NAME=VALUE")
    parser.add_argument("--route", choices=ROUTES, default="terms", help="how the rows reach the writer (default: the store's own terms)")
    parser.add_argument("--engine", action="store_true", help="also time the query's evaluation alone (run once more)")
    parser.add_argument("--union", action="store_true", help="evaluate the query over the union even where the store keeps its view")
    args = parser.parse_args(argv)
    params = dict(pair.split("=", 1) for pair in args.params)
    opened = time.perf_counter()
    backend = OxigraphBackend(args.store, read_only=True)
    open_seconds = time.perf_counter() - opened
    named = load_query(args.name)
    cpu = time.process_time()
    seconds, first, rows = timed_csv(named, backend, params, route=args.route, views=not args.union)
    cpu = time.process_time() - cpu
    timing: dict[str, Any] = {"seconds": round(seconds, 4), "first_row": None if first is None else round(first, 4), "rows": rows,
                              "rows_per_second": round(rows / seconds) if seconds else None, "cpu_seconds": round(cpu, 4),
                              "open_seconds": round(open_seconds, 4), "route": args.route,
                              "from_view": not args.union and named.name in backend.current_views()}
    if args.engine:
        wall, cpu = engine_seconds(named, backend, params)
        timing["engine_seconds"], timing["engine_cpu_seconds"] = round(wall, 4), round(cpu, 4)
    backend.close()
    print(json.dumps(timing))


if __name__ == "__main__":
    main()
