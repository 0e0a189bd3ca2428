"""Where a listing's time goes on an embedded store: Oxigraph's evaluation, the terms' hand-over,
jixiao's rendering, and Oxigraph's own TSV writer for comparison.

    python benchmarks/listing_breakdown.py STORE [NAME ...] [--text NAME=FILE.rq ...] [--param NAME=VALUE ...]
                                           [--repeat N] [--stages engine,terms,csv,tsv] [--json FILE]

Each measurement is its own process (so each has its own peak memory), the store opened read-only,
the query's parameters bound as `jixiao query` binds them. The stages, each a whole run of the query:

- `engine`: the solutions iterated, no term read (Oxigraph's evaluation, its sort included);
- `terms`: every term of every solution read as `select_terms` hands it to the writers
  (`term_parts`: the Python term objects and their strings);
- `csv`: the whole path of `jixiao query --format csv` (`run`, `select_terms`, the CSV writer) into
  a sink that throws the text away;
- `tsv`: Oxigraph's own SPARQL TSV writer (Rust) into the same kind of sink: what a conversion done
  in Rust would cost (not our rules: no number normalisation, no quoting of ours).

A query is named (queries/NAME.rq) or given as a file with `--text NAME=FILE.rq` (so two texts of one
query can be measured on the same store in the same minutes: the runs alternate, text after text,
stage after stage, `--repeat` times). Prints a Markdown table (CPU seconds of the process, Oxigraph's
threads included; wall seconds; rows; rows per CPU second; first row; peak resident memory) and, with
`--json`, writes every measurement. On a shared machine compare CPU seconds: wall time measures the
neighbours too.
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

STAGES = ("engine", "terms", "csv", "tsv")
SAMPLE_PARAMS = {"search": {"text": "满意度"}}  # a required parameter's value the generated tables hold


class _Sink(io.RawIOBase):
    """A binary sink that throws its bytes away (Oxigraph's serializer writes to it)."""

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        return len(data)


def _measure(store_path: Path, query_file: str, stage: str, params: dict[str, str]) -> dict[str, Any]:
    """One stage of one query, in this process: rows, wall and CPU seconds, first row, peak memory."""
    import pyoxigraph as ox

    from jixiao.queries import bind, load_query, run, write
    from jixiao.stores.base import TermRows, inject_values
    from jixiao.stores.oxigraph import OxigraphBackend, term_parts

    backend = OxigraphBackend(store_path, read_only=True)
    named = load_query(query_file)
    started, cpu = time.perf_counter(), time.process_time()
    first: float | None = None
    rows = 0
    if stage == "csv":
        answer = run(named, backend, params, check=False, own_terms=True, views=False)
        assert isinstance(answer, TermRows)
        source = iter(answer.rows)

        def counted() -> Any:
            nonlocal first, rows
            for row in source:
                if first is None:
                    first = time.perf_counter() - started
                rows += 1
                yield row

        write("csv", TermRows(answer.variables, counted(), answer.parts), _TextSink())
    else:
        solutions = backend.store.query(inject_values(named.text, bind(named, params)))
        if stage == "tsv":
            solutions.serialize(_Sink(), format=ox.QueryResultsFormat.TSV)
            first = None
        else:
            for solution in solutions:
                if first is None:
                    first = time.perf_counter() - started
                rows += 1
                if stage == "terms":
                    for term in solution:
                        if term is not None:
                            term_parts(term)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    backend.close()
    return {"query": Path(query_file).stem if query_file.endswith(".rq") else query_file, "stage": stage, "rows": rows,
            "wall_s": round(wall, 3), "cpu_s": round(cpu, 3), "first_row_s": None if first is None else round(first, 3),
            "peak_mb": round(peak_mb)}


class _TextSink(io.TextIOBase):
    """A text sink that throws its text away (the CSV writer writes to it)."""

    def write(self, text: str) -> int:
        return len(text)


def _child(argv: list[str]) -> None:
    store, query_file, stage, params_json = argv
    print(json.dumps(_measure(Path(store), query_file, stage, json.loads(params_json))))


def _run_child(store: Path, label: str, query_file: str, stage: str, params: dict[str, str]) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", str(store), query_file, stage, json.dumps(params)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return {"query": label, "stage": stage, "error": done.stderr.strip().splitlines()[-1:]}
    measured = json.loads(done.stdout.strip().splitlines()[-1])
    measured["query"] = label
    return measured


def _table(measurements: list[dict[str, Any]]) -> str:
    lines = ["| query | stage | rows | CPU s | wall s | rows per CPU s | first row (wall s) | peak MB |",
             "|---|---|---|---|---|---|---|---|"]
    for m in measurements:
        if "error" in m:
            lines.append(f"| {m['query']} | {m['stage']} | error: {m['error']} | | | | | |")
            continue
        rate = f"{m['rows'] / m['cpu_s']:,.0f}" if m["cpu_s"] and m["rows"] else ""
        first = "" if m["first_row_s"] is None else m["first_row_s"]
        lines.append(f"| {m['query']} | {m['stage']} | {m['rows']:,} | {m['cpu_s']} | {m['wall_s']} | {rate} | {first} | {m['peak_mb']} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        _child(argv[1:])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("names", nargs="*", metavar="NAME")
    parser.add_argument("--text", action="append", default=[], metavar="LABEL=FILE.rq", help="a query text from a file, measured under LABEL")
    parser.add_argument("--param", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--stages", default=",".join(STAGES))
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    given = dict(pair.split("=", 1) for pair in args.param)
    queries = [(name, name) for name in args.names] + [tuple(pair.split("=", 1)) for pair in args.text]
    stages = [stage for stage in args.stages.split(",") if stage]
    measurements = []
    for _ in range(args.repeat):
        for stage in stages:
            for label, query_file in queries:
                base = Path(query_file).stem.split("@")[0] if query_file.endswith(".rq") else query_file
                params = {**SAMPLE_PARAMS.get(base, {}), **given}
                measurement = _run_child(args.store, label, str(Path(query_file).resolve()) if query_file.endswith(".rq") else query_file, stage, params)
                print(json.dumps(measurement), file=sys.stderr, flush=True)
                measurements.append(measurement)
    print(_table(measurements))
    if args.json:
        args.json.write_text(json.dumps(measurements, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
