"""What the views kept by the embedded store's writer cost and save (docs/stores.md, "Views kept by the writer").

    python benchmarks/bench_views.py make STORE            # an empty write: makes every view whole (a store without them)
    python benchmarks/bench_views.py queries STORE [--repeat 2]   # each viewed query from its view and from the union, alternated
    python benchmarks/bench_views.py drop STORE [--tables 1] [--skip 0]   # a write dropping tables (the registry's order)

Prints one JSON line. CPU seconds are the process's (`time.process_time`: every thread, Oxigraph's included), wall
seconds are wall; on a shared machine compare CPU. `drop` runs on jixiao without views too (main), to compare a
one-table write with and without keeping them; run it on copies of one store.
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import time
from pathlib import Path
from typing import Any

from jixiao.queries import load_query, run, write
from jixiao.stores import drop_tables
from jixiao.stores.oxigraph import OxigraphBackend


def _timed(action: Any) -> tuple[Any, float, float]:
    started, cpu = time.perf_counter(), time.process_time()
    result = action()
    return result, round(time.perf_counter() - started, 3), round(time.process_time() - cpu, 3)


def make(store: Path) -> dict[str, Any]:
    backend = OxigraphBackend(store)

    def empty_write() -> Any:
        return backend.writer().commit()

    summary, wall, cpu = _timed(empty_write)
    backend.close()
    return {"wall": wall, "cpu": cpu, "view_rows": getattr(summary, "view_rows", None)}


def _csv(name: str, backend: OxigraphBackend, views: bool) -> str:
    out = io.StringIO()
    write("csv", run(load_query(name), backend, {}, check=False, own_terms=True, views=views), out)  # type: ignore[arg-type]
    return out.getvalue()


def queries(store: Path, repeat: int) -> dict[str, Any]:
    backend = OxigraphBackend(store, read_only=True)
    from jixiao.stores.views import VIEW_GRAPH_PREFIX, view_definitions

    results: dict[str, Any] = {}
    for view in view_definitions():
        name = view.name
        timings: dict[str, list[tuple[float, float]]] = {"view": [], "union": []}
        answers = {}
        for _ in range(repeat):
            for route in ("view", "union"):
                answer, wall, cpu = _timed(lambda name=name, route=route: _csv(name, backend, route == "view"))  # type: ignore[misc]
                timings[route].append((wall, cpu))
                answers[route] = answer
        rows = len({q.subject for q in backend.store.quads_for_pattern(None, None, None, _graph(VIEW_GRAPH_PREFIX + name))}) - 1
        results[name] = {"view_wall_cpu": timings["view"], "union_wall_cpu": timings["union"], "view_rows": rows,
                         "answer_rows": answers["view"].count("\n") - 1, "same_csv": answers["view"] == answers["union"],
                         "from_view": name in backend.current_views()}
    backend.close()
    return results


def _graph(iri: str) -> Any:
    import pyoxigraph as ox

    return ox.NamedNode(iri)


def drop(store: Path, tables: int, skip: int) -> dict[str, Any]:
    backend = OxigraphBackend(store)
    records = sorted(backend.tables(), key=lambda record: record.graph)[skip:skip + tables]
    _, wall, cpu = _timed(lambda: drop_tables(backend, records))
    backend.close()
    return {"wall": wall, "cpu": cpu, "dropped": [record.graph for record in records]}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("action", choices=("make", "queries", "drop"))
    parser.add_argument("store", type=Path)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--tables", type=int, default=1)
    parser.add_argument("--skip", type=int, default=0)
    args = parser.parse_args(argv)
    if args.action == "make":
        result = make(args.store)
    elif args.action == "queries":
        result = queries(args.store, args.repeat)
    else:
        result = drop(args.store, args.tables, args.skip)
    result["peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
