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

from jixiao.queries import load_query, run, write
from jixiao.stores.base import SelectResult
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


def main(argv: list[str]) -> None:
    store, name, *pairs = argv
    params = dict(pair.split("=", 1) for pair in pairs)
    opened = time.perf_counter()
    backend = OxigraphBackend(Path(store), read_only=True)
    open_seconds = time.perf_counter() - opened
    named = load_query(name)
    started = time.perf_counter()
    answer = run(named, backend, params)
    timed = _Timed(iter(()), started)
    if isinstance(answer, SelectResult):
        timed = _Timed(iter(answer.rows), started)
        write("csv", SelectResult(answer.variables, iter(timed)), io.StringIO())
    seconds = time.perf_counter() - started
    backend.close()
    print(json.dumps({"seconds": round(seconds, 4), "first_row": None if timed.first is None else round(timed.first, 4),
                      "rows": timed.count, "open_seconds": round(open_seconds, 4)}))


if __name__ == "__main__":
    main(sys.argv[1:])
