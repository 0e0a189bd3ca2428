"""Virtuoso beside the embedded Oxigraph store: loading a corpus, reasoning, and every named query.

    python benchmarks/bench_virtuoso.py --sizes 1000 [--corpora DIR] [--bulk] [--out benchmarks/results]
    python benchmarks/bench_virtuoso.py --queries-only --endpoint URL --store DIR --label 10000   # stores loaded already

For each size, the corpus of `benchmarks/run.py` (same generator settings; reused from --corpora),
then, each as its own `jixiao` process with its wall time and peak memory (run.py's `measured`):

- a private Virtuoso started by `scripts/virtuoso-start.sh` on free ports in a scratch folder,
  loaded as users load one: `jixiao load CORPUS --endpoint URL` (staging graphs through SPARQL
  Update and the Graph Store, one switch), then `jixiao reason --endpoint URL`;
- with `--bulk`, a second fresh Virtuoso loaded through its bulk loader
  (`jixiao load CORPUS --endpoint URL --bulk-dir DIR`: N-Quads files, `ld_dir` + `rdf_loader_run()`,
  the same switch), then reasoned the same way, and its union graph compared with the first
  server's (triple counts per graph kind);
- the embedded store: `jixiao ingest CORPUS --store S --jobs N`, then `jixiao reason --store S`;

and each named query timed inside this process on both (`time_query.timed_csv`: the query and
its rows written as CSV to nowhere, as `jixiao query --format csv` does, without the command
line's start-up), the fastest of --repeat runs. Rows that differ between the two stores are
flagged. Writes `virtuoso.md` and `virtuoso.json` under --out, and prints the Markdown.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from run import ROOT, SAMPLE_TEXT, Measure, corpus_for, jixiao_command, log, measured, query_kind  # benchmarks/ is on the path
from time_query import timed_csv

from jixiao.queries import library
from jixiao.stores.base import QueryBackend
from jixiao.stores.oxigraph import OxigraphBackend
from jixiao.stores.remote import RemoteEndpoint

USER, PASSWORD = "kg", "kgpass"  # the private server's update account (virtuoso-start.sh)
DBA_PASSWORD = "dba"


@dataclass
class QueryTiming:
    query: str
    kind: str
    rows: dict[str, int] = field(default_factory=dict)  # store -> rows
    seconds: dict[str, float] = field(default_factory=dict)  # store -> fastest csv path
    errors: dict[str, str] = field(default_factory=dict)


@dataclass
class SizeResult:
    label: str
    steps: list[Measure] = field(default_factory=list)
    queries: list[QueryTiming] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


class Virtuoso:
    """A private Virtuoso in `folder`, stopped by `stop()` (by the pid its start script wrote)."""

    def __init__(self, folder: Path, buffers: int, load_dirs: list[Path]) -> None:
        self.folder = folder
        self.http_port, self.sql_port = free_ports(2)
        self.env = {**os.environ, "VIRT_USER": USER, "VIRT_PASSWORD": PASSWORD, "VIRT_BUFFERS": str(buffers),
                    "VIRT_LOAD_DIRS": ",".join(str(d) for d in load_dirs) or "/tmp"}
        subprocess.run([str(ROOT / "scripts" / "virtuoso-start.sh"), str(folder), str(self.http_port), str(self.sql_port)],
                       env=self.env, check=True, stdout=subprocess.DEVNULL)
        self.endpoint = f"http://127.0.0.1:{self.http_port}/sparql"

    def stop(self) -> None:
        subprocess.run([str(ROOT / "scripts" / "virtuoso-stop.sh"), str(self.folder)], env=self.env, check=False, stdout=subprocess.DEVNULL)


def step(name: str, argv: list[str], env: dict[str, str] | None = None) -> Measure:
    """One command as its own process (run.py's `measured`), failing loudly: a benchmark of a failed load means nothing."""
    previous = dict(os.environ)
    os.environ.update(env or {})
    try:
        measure, _, stderr = measured(name, argv)
    finally:
        os.environ.clear()
        os.environ.update(previous)
    tail = [line for line in stderr.splitlines() if not line.startswith("warning:")][-1:]
    measure.produced = " ".join(tail)[:200]
    log(measure)
    if measure.exit_status != 0:
        raise SystemExit(f"{name} failed (exit {measure.exit_status}): {stderr[-2000:]}")
    return measure


def graph_counts(endpoint: str) -> dict[str, int]:
    """Triples of the union graph, the registry, and all table graphs together: what two loads must agree on."""
    with RemoteEndpoint(endpoint) as backend:
        counts = {}
        for name, pattern in {"union": "GRAPH <urn:jixiao:union> { ?s ?p ?o }", "registry": "GRAPH <urn:jixiao:tables> { ?s ?p ?o }",
                              "table graphs": "{ SELECT DISTINCT ?g WHERE { GRAPH <urn:jixiao:tables> { ?g ?k ?v } } } GRAPH ?g { ?s ?p ?o }"}.items():
            rows = backend._select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}", {}).rows
            counts[name] = sum(int(str(row["n"])) for row in rows)
    return counts


def time_queries(backends: dict[str, QueryBackend], names: list[str] | None, repeat: int) -> list[QueryTiming]:
    timings = []
    for name, named in library().items():
        if names and name not in names:
            continue
        params = {p: SAMPLE_TEXT for p, parameter in named.params.items() if parameter.required}
        timing = QueryTiming(name, query_kind(named.text))
        for store, backend in backends.items():
            for _ in range(repeat):
                try:
                    seconds, _, rows = timed_csv(named, backend, params, check=False)
                except Exception as error:  # a failing query is reported, the others still run
                    timing.errors[store] = f"{type(error).__name__}: {str(error)[:200]}"
                    break
                timing.rows[store] = rows
                timing.seconds[store] = min(seconds, timing.seconds.get(store, seconds))
        print(f"  {name:<32} " + "  ".join(f"{store} {timing.rows.get(store, '-')} rows {timing.seconds.get(store, float('nan')):7.3f} s"
                                           for store in backends) + (f"  ERROR {timing.errors}" if timing.errors else ""), file=sys.stderr, flush=True)
        timings.append(timing)
    return timings


def run_size(projects: int, args: argparse.Namespace, scratch: Path) -> SizeResult:
    corpus, files = corpus_for(projects, args, scratch)
    result = SizeResult(f"{projects:,}")
    print(f"{projects} projects in {files} files ({corpus})", file=sys.stderr, flush=True)
    store = scratch / f"store-{projects}"
    servers: list[Virtuoso] = []
    try:
        server = Virtuoso(scratch / f"virtuoso-{projects}", args.buffers, [])
        servers.append(server)
        credentials = ["--user", USER, "--password", PASSWORD]
        result.steps.append(step("virtuoso: load (SPARQL Update / Graph Store)", jixiao_command("load", corpus, "--endpoint", server.endpoint, *credentials)))
        result.steps.append(step("virtuoso: reason --endpoint", jixiao_command("reason", "--endpoint", server.endpoint, *credentials)))
        if args.bulk:
            bulk_dir = scratch / f"bulk-{projects}"
            bulk_dir.mkdir()
            bulk = Virtuoso(scratch / f"virtuoso-bulk-{projects}", args.buffers, [bulk_dir])
            servers.append(bulk)
            env = {"JIXIAO_SQL_PASSWORD": DBA_PASSWORD}
            result.steps.append(step("virtuoso: load --bulk-dir (ld_dir)", jixiao_command("load", corpus, "--endpoint", bulk.endpoint, *credentials,
                                                                                        "--bulk-dir", bulk_dir, "--sql", f"127.0.0.1:{bulk.sql_port}"),
                                     env))
            result.steps.append(step("virtuoso (bulk): reason --endpoint", jixiao_command("reason", "--endpoint", bulk.endpoint, *credentials)))
            first, second = graph_counts(server.endpoint), graph_counts(bulk.endpoint)
            result.notes.append(f"triples after load + reason, SPARQL path {first}, bulk path {second}: "
                                + ("the same" if first == second else "**they differ**"))
        result.steps.append(step("oxigraph: ingest --store --jobs", jixiao_command("ingest", corpus, "--store", store, "--quiet", "--jobs", str(args.jobs))))
        result.steps.append(step("oxigraph: reason --store", jixiao_command("reason", "--store", store)))
        result.queries = compare_queries(server.endpoint, store, args)
    finally:
        for server in servers:
            server.stop()
    return result


def compare_queries(endpoint: str, store: Path, args: argparse.Namespace) -> list[QueryTiming]:
    oxigraph = OxigraphBackend(store, read_only=True)
    virtuoso = RemoteEndpoint(endpoint, timeout=3600)
    try:
        return time_queries({"oxigraph": oxigraph, "virtuoso": virtuoso}, args.queries, args.repeat)
    finally:
        oxigraph.close()
        virtuoso.close()


def _cell(timing: QueryTiming, store: str) -> str:
    if store in timing.errors:
        return "error"
    return f"{timing.seconds[store]:.2f}" if store in timing.seconds else ""


def markdown(results: list[SizeResult], args: argparse.Namespace) -> str:
    lines = [f"Generated on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {platform.node()} ({os.cpu_count()} cores), "
             f"Python {platform.python_version()}; Virtuoso {virtuoso_version()} with scripts/virtuoso-start.sh's settings "
             f"(NumberOfBuffers {args.buffers}); load average at the end {' '.join(f'{x:.1f}' for x in os.getloadavg())}.", ""]
    for result in results:
        lines += [f"### {result.label} projects", ""]
        if result.steps:
            lines += ["| step | wall | peak memory (client) | says |", "|---|---|---|---|"]
            lines += [f"| {m.step} | {m.seconds:.1f} s | {m.peak_mb:.0f} MB | {m.produced} |" for m in result.steps if m.seconds is not None]
            lines.append("")
        lines += ["| query | kind | rows | Oxigraph s | Virtuoso s | Virtuoso / Oxigraph |", "|---|---|---|---|---|---|"]
        for t in result.queries:
            rows = {t.rows.get("oxigraph"), t.rows.get("virtuoso")}
            row_cell = str(t.rows.get("oxigraph", "")) if len(rows) == 1 else f"**{t.rows.get('oxigraph')} / {t.rows.get('virtuoso')}**"
            ratio = (f"{t.seconds['virtuoso'] / t.seconds['oxigraph']:.1f}×" if t.seconds.get("oxigraph") and "virtuoso" in t.seconds else "")
            lines.append(f"| {t.query} | {t.kind} | {row_cell} | {_cell(t, 'oxigraph')} | {_cell(t, 'virtuoso')} | {ratio} |")
        total = {store: sum(t.seconds.get(store, 0.0) for t in result.queries) for store in ("oxigraph", "virtuoso")}
        lines += ["", f"All named queries: Oxigraph {total['oxigraph']:.1f} s, Virtuoso {total['virtuoso']:.1f} s.", *result.notes, ""]
    return "\n".join(lines) + "\n"


def virtuoso_version() -> str:
    try:
        found = subprocess.run(["virtuoso-t", "-?"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return "?"
    for line in (found.stdout + found.stderr).splitlines():
        if line.startswith("Version"):
            return line.split()[1]
    return "?"


def parse_arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000])
    parser.add_argument("--years", type=int, nargs="+", default=[2023, 2024])
    parser.add_argument("--damage", type=float, default=0.05)
    parser.add_argument("--defects", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="ingest's --jobs")
    parser.add_argument("--bulk", action="store_true", help="also load a second Virtuoso with --bulk-dir (ld_dir) and compare")
    parser.add_argument("--buffers", type=int, default=340000, help="Virtuoso's NumberOfBuffers (8 KiB pages)")
    parser.add_argument("--queries", nargs="+", default=None, help="only these named queries")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each query; the fastest is kept")
    parser.add_argument("--corpora", type=Path, default=None, help="reuse (or keep) generated corpora here, as run.py does")
    parser.add_argument("--scratch", type=Path, default=None, help="where servers and stores are made (default: a temporary folder)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    parser.add_argument("--queries-only", action="store_true", help="only time the queries on --endpoint and --store, loaded already")
    parser.add_argument("--endpoint", default=None)
    parser.add_argument("--store", type=Path, default=None)
    parser.add_argument("--label", default="", help="with --queries-only: the heading of the table (e.g. the number of projects)")
    args = parser.parse_args(argv)
    if args.queries_only and (args.endpoint is None or args.store is None):
        parser.error("--queries-only needs --endpoint and --store")
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_arguments(argv)
    if args.queries_only:
        results = [SizeResult(args.label or "given", queries=compare_queries(args.endpoint, args.store, args))]
    else:
        with tempfile.TemporaryDirectory(prefix="jixiao-bench-virtuoso-", dir=args.scratch) as scratch:
            results = [run_size(n, args, Path(scratch)) for n in sorted(args.sizes)]
    text = markdown(results, args)
    args.out.mkdir(parents=True, exist_ok=True)
    stem = "virtuoso" if not args.queries_only else f"virtuoso-queries-{args.label or 'given'}"
    (args.out / f"{stem}.md").write_text(text, encoding="utf-8")
    record: dict[str, Any] = {"settings": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
                              "results": [asdict(r) for r in results]}
    (args.out / f"{stem}.json").write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
