"""Each grouped query of `validate --store` against its checks' own queries, alternated on one store.

    python benchmarks/bench_validate_groups.py STORE [--rounds 3]

For every group of count checks (jixiao.validation.sparql.Grouped: sh:minCount and sh:maxCount of
the same focus nodes and path), the checks' own queries and the group's query are run one after
the other `--rounds` times in this process, each timed in CPU seconds (`time.process_time`, the
process with Oxigraph's threads), and the violations asserted equal; the minima are printed
(docs/validation.md, fourth pass).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from jixiao.stores import QueryBackend, open_backend
from jixiao.validation.sparql import Grouped, Query, class_hierarchy, compiled_queries, shape_name, types_are_closed, violations


def timed_violations(backend: QueryBackend, queries: list[Query]) -> tuple[float, set[tuple[str, str, str]]]:
    start = time.process_time()
    found = {(str(v.check.shape), str(v.check.component), str(v.focus)) for v in violations(backend, queries)}
    return time.process_time() - start, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    backend = open_backend(store=args.store, read_only=True)
    hierarchy = class_hierarchy(backend)
    totals = [0.0, 0.0]
    for query in compiled_queries(types_are_closed(backend, hierarchy), hierarchy):
        if not isinstance(query, Grouped):
            continue
        separate: list[float] = []
        grouped: list[float] = []
        for _ in range(args.rounds):
            seconds, by_checks = timed_violations(backend, list(query.checks))
            separate.append(seconds)
            seconds, by_group = timed_violations(backend, [query])
            grouped.append(seconds)
            assert by_checks == by_group, shape_name(query.checks[0].shape)
        totals = [totals[0] + min(separate), totals[1] + min(grouped)]
        print(f"{shape_name(query.checks[0].shape)}: separate {min(separate):.3f}, grouped {min(grouped):.3f} CPU-s (min of {args.rounds}), "
              f"{len(by_group)} violations", flush=True)
    print(f"all groups: separate {totals[0]:.3f}, grouped {totals[1]:.3f} CPU-s")
    backend.close()


if __name__ == "__main__":
    main()
