"""Time one named query on an embedded store, inside one process: what the query costs without the
command line's start-up (importing the package, opening the store).

    python benchmarks/time_query.py STORE NAME [NAME=VALUE ...]

Prints one JSON line: the seconds to the first row and to the last (the rows written as CSV to
nowhere, as `jixiao query --format csv` writes them), the number of rows, and the seconds it took
to open the store. `benchmarks/run.py` runs it for every named query.
"""

from __future__ import annotations

import io
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from jixiao.queries import NamedQuery, load_query, run, write
from jixiao.stores.base import QueryBackend, SelectResult
from jixiao.stores.oxigraph import OxigraphBackend


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


def timed_csv(named: NamedQuery, backend: QueryBackend, params: dict[str, str], check: bool = True) -> tuple[float, float | None, int]:
    """Run a named query and write its rows as CSV to nowhere: (seconds, seconds to the first row or
    None, rows). What `jixiao query --format csv` costs without the command line's start-up."""
    started = time.perf_counter()
    answer = run(named, backend, params, check=check)
    timed = _Timed(iter(()), started)
    if isinstance(answer, SelectResult):
        timed = _Timed(iter(answer.rows), started)
        write("csv", SelectResult(answer.variables, iter(timed)), io.StringIO())
    return time.perf_counter() - started, timed.first, timed.count


def main(argv: list[str]) -> None:
    store, name, *pairs = argv
    params = dict(pair.split("=", 1) for pair in pairs)
    opened = time.perf_counter()
    backend = OxigraphBackend(Path(store), read_only=True)
    open_seconds = time.perf_counter() - opened
    seconds, first, rows = timed_csv(load_query(name), backend, params)
    backend.close()
    print(json.dumps({"seconds": round(seconds, 4), "first_row": None if first is None else round(first, 4),
                      "rows": rows, "open_seconds": round(open_seconds, 4)}))


if __name__ == "__main__":
    main(sys.argv[1:])
