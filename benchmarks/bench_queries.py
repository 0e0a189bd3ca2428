"""Every named query (and the pages' queries of `jixiao serve`) on embedded stores of growing size.

    python benchmarks/bench_queries.py STORE_1K STORE_10K [--out DIR] [--process] [--pages] [--only NAME ...] [--rdflib FILE ...]

For each store (made by `jixiao ingest CORPUS --store STORE`; `benchmarks/generate_corpus.py`
writes the corpus) and each query, in this process on the store opened read-only:

- `oxigraph`: the query evaluated inside Oxigraph, its solutions iterated without converting a term
  (what the store alone costs), wall time and this process's CPU time (on a shared, loaded
  machine the CPU time is the steadier measure: wall time there is 2-10x the CPU time);
- `first row`: from sending the query to the first row of the answer (what a listing makes a reader wait);
- `csv` (wall and CPU): the whole path of `jixiao query --format csv` (run(), the rows as the backend gives them,
  the CSV writer) into a sink that throws the text away;
- `rows` and rows a second of that path.

With `--process`, also `jixiao query NAME --store STORE --format csv` as its own process (start-up
included), wall time. The growth factor is each time at the largest store over the same at the
smallest. Writes `queries.md` and `queries.json` under --out (default: print the table only).

With `--rdflib FILE ...`, also each query on the in-memory route (rdflib) over those table or RDF
files, read as `jixiao query NAME FILE ...` reads them (the ontology's entailments added for a query
that needs them): CPU seconds of evaluating the query and reading every row, the fastest of
--repeat runs. A query form that Oxigraph evaluates well can be a nested loop in rdflib
(docs/graph.md, "How the named queries are evaluated"), so a rewrite is measured on both.

Page queries need an IRI: the bench takes the first resource of the kind the parameter names
(a project-year, an indicator, a unit, a category with indicators) from the store itself.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from time_query import timed_csv  # benchmarks/ is on the path of a script run from it

from jixiao.graph import load_graph, materialise
from jixiao.queries import bind, library, run
from jixiao.queries.library import NamedQuery, load_query
from jixiao.resources import resource_dir
from jixiao.stores.base import SelectResult, inject_values
from jixiao.stores.memory import MemoryBackend
from jixiao.stores.oxigraph import OxigraphBackend

# One SELECT per kind of IRI parameter the pages' queries take: the resource the bench asks about.
_SAMPLE_IRI = {
    "project": "SELECT ?x WHERE { ?x a jx:Project } LIMIT 1",
    "projectYear": "SELECT ?x WHERE { ?x a jx:ProjectYear } LIMIT 1",
    "resource": "SELECT ?x WHERE { ?x a jx:ProjectYear } LIMIT 1",
    "indicator": "SELECT ?x WHERE { ?x a jx:Indicator ; jx:category ?c } LIMIT 1",
    "unit": "SELECT ?x WHERE { ?p jx:declaredBy ?x } LIMIT 1",
    "category": "SELECT ?x WHERE { ?i jx:category ?x } LIMIT 1",
}
# Free-text parameters: a text the generated tables hold.
_SAMPLE_TEXT = {"text": "满意度"}
_PREFIX = "PREFIX jx: <https://w3id.org/jixiao/ontology#>\n"


@dataclass
class Timing:
    query: str
    store: str
    rows: int = 0
    oxigraph_s: float = 0.0
    oxigraph_cpu_s: float = 0.0
    first_row_s: float = 0.0
    csv_s: float = 0.0
    csv_cpu_s: float = 0.0
    process_s: float | None = None
    error: str = ""
    params: dict[str, str] = field(default_factory=dict)

    @property
    def rows_per_s(self) -> float:
        return self.rows / self.csv_s if self.csv_s > 0 else 0.0


def page_queries() -> dict[str, NamedQuery]:
    return {f"pages/{path.stem}": load_query(str(path)) for path in sorted((resource_dir("queries") / "pages").glob("*.rq"))}


def sample_params(named: NamedQuery, backend: OxigraphBackend) -> dict[str, str]:
    """IRIs from the store for a page query's required parameters."""
    params = {}
    for name, parameter in named.params.items():
        if not parameter.required:
            continue
        if name in _SAMPLE_TEXT:
            params[name] = _SAMPLE_TEXT[name]
            continue
        if name not in _SAMPLE_IRI:
            raise SystemExit(f"{named.path}: no sample for the parameter {name}")
        solutions = list(backend.store.query(_PREFIX + _SAMPLE_IRI[name]))
        if not solutions:
            raise SystemExit(f"the store has no resource for the parameter {name}")
        params[name] = solutions[0]["x"].value
    return params


def time_in_process(named: NamedQuery, backend: OxigraphBackend, params: dict[str, str], timing: Timing) -> None:
    text = inject_values(named.text, bind(named, params))
    started, cpu = time.perf_counter(), time.process_time()
    answer = backend.store.query(text)
    is_select = hasattr(answer, "variables")
    count = sum(1 for _ in answer) if is_select else 1
    timing.oxigraph_s, timing.oxigraph_cpu_s = time.perf_counter() - started, time.process_time() - cpu

    cpu = time.process_time()
    timing.csv_s, first, _ = timed_csv(named, backend, params, check=False)
    # An empty SELECT's first "row" is the moment its rows ran out; other forms have none.
    timing.csv_cpu_s, timing.first_row_s = time.process_time() - cpu, first if first is not None else timing.csv_s if is_select else 0.0
    timing.rows = count


def time_process(named: NamedQuery, store: Path, params: dict[str, str]) -> float:
    target = named.name if named.path.parent.name == "queries" else str(named.path)
    command = [sys.executable, "-m", "jixiao", "query", target, "--store", str(store), "--format", "csv"]
    for name, value in params.items():
        command += ["--param", f"{name}={value}"]
    started = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=True)
    return time.perf_counter() - started


def measure(stores: list[Path], names: list[str] | None, pages: bool, process: bool, repeat: int) -> list[Timing]:
    queries = dict(library())
    if pages:
        queries.update(page_queries())
    if names:
        queries = {name: q for name, q in queries.items() if name in names}
    timings = []
    for store in stores:
        backend = OxigraphBackend(store, read_only=True)
        try:
            for name, named in queries.items():
                params = sample_params(named, backend)
                best: Timing | None = None
                for _ in range(repeat):
                    timing = Timing(name, str(store), params=params)
                    try:
                        time_in_process(named, backend, params, timing)
                    except Exception as error:  # a failing query is reported, the others still run
                        timing.error = f"{type(error).__name__}: {error}"
                    if best is None or timing.csv_s < best.csv_s:
                        best = timing
                assert best is not None
                if process and not best.error:
                    best.process_s = time_process(named, store, params)
                timings.append(best)
                print(_line(store, name, best), file=sys.stderr, flush=True)
        finally:
            backend.close()
    return timings


@dataclass
class RdflibTiming:
    query: str
    rows: int = 0
    cpu_s: float = 0.0
    error: str = ""


def _rdflib_cpu(named: NamedQuery, backend: MemoryBackend) -> tuple[float, int]:
    """CPU seconds to evaluate a query with its parameters' defaults on the rdflib route and read every row; the rows."""
    cpu = time.process_time()
    answer = run(named, backend, {}, check=False)
    rows = sum(1 for _ in answer.rows) if isinstance(answer, SelectResult) else 1
    return time.process_time() - cpu, rows


def measure_rdflib(files: list[Path], names: list[str] | None, repeat: int) -> list[RdflibTiming]:
    """Each named query (no pages: they need sample IRIs) on the rdflib route over `files`."""
    queries = {name: q for name, q in library().items() if not names or name in names}
    plain = load_graph(files)
    reasoned = None
    timings = []
    for name, named in queries.items():
        if named.needs_reasoning and reasoned is None:
            reasoned = load_graph(files)
            materialise(reasoned)
        backend = MemoryBackend(reasoned if named.needs_reasoning else plain)
        timing = RdflibTiming(name)
        try:
            timing.cpu_s, timing.rows = min(_rdflib_cpu(named, backend) for _ in range(repeat))
        except Exception as error:  # a failing query is reported, the others still run
            timing.error = f"{type(error).__name__}: {error}"
        timings.append(timing)
        print(f"{'rdflib':>12} {name:<34} {timing.rows:>8} rows  cpu {timing.cpu_s:7.3f} s" + (f"  ERROR {timing.error}" if timing.error else ""),
              file=sys.stderr, flush=True)
    return timings


def rdflib_table(timings: list[RdflibTiming], files: list[Path]) -> str:
    lines = [f"\nrdflib route over {len(files)} file(s) ({', '.join(path.name for path in files)}):\n",
             "| query | rows | rdflib cpu |", "|---|---|---|"]
    lines += [f"| {t.query} | {'error' if t.error else t.rows} | {'' if t.error else _seconds(t.cpu_s)} |" for t in timings]
    return "\n".join(lines) + "\n"


def _line(store: Path, name: str, timing: Timing) -> str:
    line = (f"{store.name:>12} {name:<34} {timing.rows:>8} rows  oxigraph {timing.oxigraph_s:7.3f} s (cpu {timing.oxigraph_cpu_s:6.3f})  "
            f"first {timing.first_row_s:7.3f} s  csv {timing.csv_s:7.3f} s (cpu {timing.csv_cpu_s:6.3f})")
    if timing.process_s is not None:
        line += f"  process {timing.process_s:7.3f} s"
    return line + (f"  ERROR {timing.error}" if timing.error else "")


def _seconds(value: float | None) -> str:
    return "" if value is None else f"{value:.3f}"


def table(timings: list[Timing], stores: list[Path]) -> str:
    by_query: dict[str, dict[str, Timing]] = {}
    for timing in timings:
        by_query.setdefault(timing.query, {})[timing.store] = timing
    names = [store.name for store in stores]
    head = ["query"]
    for name in names:
        head += [f"rows {name}", f"oxigraph {name}", f"oxigraph cpu {name}", f"first row {name}", f"csv {name}", f"csv cpu {name}", f"process {name}"]
    if len(stores) > 1:
        head += ["growth (oxigraph cpu)", "growth (csv cpu)"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for query, per_store in by_query.items():
        cells = [query]
        for store in stores:
            timing = per_store.get(str(store))
            if timing is None or timing.error:
                cells += ["error" if timing else "", "", "", "", "", "", ""]
                continue
            cells += [str(timing.rows), _seconds(timing.oxigraph_s), _seconds(timing.oxigraph_cpu_s), _seconds(timing.first_row_s),
                      _seconds(timing.csv_s), _seconds(timing.csv_cpu_s), _seconds(timing.process_s)]
        if len(stores) > 1:
            low, high = per_store.get(str(stores[0])), per_store.get(str(stores[-1]))
            for attribute in ("oxigraph_cpu_s", "csv_cpu_s"):
                ok = low and high and not low.error and not high.error and getattr(low, attribute) > 0
                cells.append(f"{getattr(high, attribute) / getattr(low, attribute):.1f}×" if ok else "")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("stores", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--process", action="store_true", help="also time `jixiao query` as a process")
    parser.add_argument("--pages", action="store_true", help="also the pages' queries of `jixiao serve`")
    parser.add_argument("--only", nargs="*", default=None, help="only these queries (pages as pages/NAME)")
    parser.add_argument("--repeat", type=int, default=1, help="in-process runs per query; the fastest is kept")
    parser.add_argument("--rdflib", nargs="+", type=Path, default=None, metavar="FILE",
                        help="also time each query on the rdflib route over these table or RDF files")
    args = parser.parse_args()
    timings = measure(args.stores, args.only, args.pages, args.process, args.repeat)
    text = table(timings, args.stores)
    aggregates = [t.csv_s for t in timings if not t.error]
    summary = f"\n{len(timings)} runs; median csv path {statistics.median(aggregates):.3f} s\n" if aggregates else ""
    rdflib_timings = measure_rdflib(args.rdflib, args.only, args.repeat) if args.rdflib else []
    if rdflib_timings:
        summary += rdflib_table(rdflib_timings, args.rdflib)
    print(text + summary)
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "queries.md").write_text(text + summary, encoding="utf-8")
        records = [asdict(t) | {"rows_per_s": t.rows_per_s} for t in timings] + [asdict(t) | {"route": "rdflib"} for t in rdflib_timings]
        (args.out / "queries.json").write_text(json.dumps(records, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
