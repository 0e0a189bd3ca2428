"""Write the answers of named queries for many parameter values, as CSV and JSON files, to compare them byte for byte
between two stores or two versions of jixiao (e.g. the view-reading form against the union, or against main).

    python benchmarks/view_answers.py STORE OUT NAME... [--union] [--agencies N]

For each NAME, every combination of: no agency, the first N agencies the data know (all with N=0) and one they do
not; no year and every year; no goal (the default), every goal value and one that is none. Each answer goes to
OUT/NAME/agency=…,year=…,goal=….{csv,json}; `diff -r` two such folders. Also runs on a jixiao without views (the
`--union` switch is then refused). Prints the seconds and CPU seconds spent per query.
"""

from __future__ import annotations

import argparse
import io
import json
import time
from pathlib import Path

from jixiao.queries import load_query, run, write
from jixiao.queries.library import known_values
from jixiao.stores.oxigraph import OxigraphBackend

MISSING = "无此值"


def combinations(values: dict[str, list[str]], agencies: int) -> list[dict[str, str]]:
    """Every combination of the axes of the parameters the query has (`values` holds one entry for each)."""
    agency_values = values.get("agency", [])
    chosen = agency_values if agencies == 0 else agency_values[:agencies]
    axes = {"agency": [None, *chosen, MISSING], "year": [None, *values.get("year", [])], "goal": [None, *values.get("goal", []), MISSING]}
    found: list[dict[str, str]] = [{}]
    for param in ("agency", "year", "goal"):
        if param in values:
            found = [{**chosen_values, param: value} if value is not None else chosen_values
                     for chosen_values in found for value in axes[param]]
    return found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("names", nargs="+")
    parser.add_argument("--union", action="store_true", help="evaluate over the union even where the store keeps a view")
    parser.add_argument("--agencies", type=int, default=0, help="this many agencies (0: all)")
    args = parser.parse_args(argv)
    backend = OxigraphBackend(args.store, read_only=True)
    options = {"views": False} if args.union else {}
    timing = {}
    for name in args.names:
        named = load_query(name)
        values = {param: known_values(named, param, backend) for param in named.values}
        folder = args.out / name
        folder.mkdir(parents=True, exist_ok=True)
        started, cpu = time.perf_counter(), time.process_time()
        for params in combinations(values, args.agencies):
            slug = ",".join(f"{key}={params.get(key, '')}" for key in ("agency", "year", "goal"))
            for form in ("csv", "json"):
                out = io.StringIO()
                write(form, run(named, backend, params, check=False, own_terms=True, **options), out)  # type: ignore[arg-type]
                (folder / f"{slug}.{form}").write_text(out.getvalue(), encoding="utf-8")
        timing[name] = {"seconds": round(time.perf_counter() - started, 2), "cpu_seconds": round(time.process_time() - cpu, 2),
                        "answers": len(combinations(values, args.agencies))}
    backend.close()
    print(json.dumps(timing, ensure_ascii=False))


if __name__ == "__main__":
    main()
