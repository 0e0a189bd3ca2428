"""Reasoning speed: owlrl's OWL RL closure against the compiled fast route, same graphs, same run.

    python benchmarks/bench_reason.py [--projects 1000] [--skip-owlrl-above N]

For the seed and a generated graph of N projects (ontology included), times each engine on its
own copy of the graph, checks that both infer the same triples (owlrl's OWL RL tautologies
aside, see jixiao.graph.reason.is_tautology) and prints the ratio. If the `reasonable` package is
installed it is timed too, for reference only: it writes plain strings back as xsd:string
literals (new terms for rdflib), so its output is not used.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from rdflib import Graph

from jixiao.graph import graph_of, inferred, load_graph, materialise
from jixiao.synthetic import write_corpus

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "000_34530bcdda777c34.txt"
T = TypeVar("T")


def timed(function: Callable[[], T]) -> tuple[T, float]:
    start = time.perf_counter()
    result = function()
    return result, time.perf_counter() - start


def reasonable_seconds(graph: Graph) -> float | None:
    try:
        import reasonable  # type: ignore[import-not-found]
    except ImportError:
        return None

    def run() -> object:
        reasoner = reasonable.PyReasoner()
        reasoner.from_graph(graph)
        return reasoner.reason()

    return timed(run)[1]


def owlrl_in_place(graph: Graph) -> None:
    import owlrl

    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)


def compare(label: str, graph: Graph, with_owlrl: bool) -> None:
    print(f"\n{label}: {len(graph)} asserted triples (data + ontology)")
    fast = graph_of(graph)  # a copy made outside the timings: both engines reason in place
    _, fast_s = timed(lambda: materialise(fast, "fast"))
    fast_new = inferred(graph, fast)
    print(f"  fast route   {fast_s:8.2f} s   {len(fast_new):7d} inferred triples")
    other = reasonable_seconds(graph)
    if other is not None:
        print(f"  reasonable   {other:8.2f} s   (reference only; not used)")
    if not with_owlrl:
        print("  owlrl        skipped")
        return
    reference = graph_of(graph)
    _, owlrl_s = timed(lambda: owlrl_in_place(reference))
    owlrl_new = inferred(graph, reference)
    print(f"  owlrl        {owlrl_s:8.2f} s   {len(owlrl_new):7d} inferred triples "
          f"(+{len(inferred(graph, reference, drop_tautologies=False)) - len(owlrl_new)} OWL RL tautologies)")
    same = fast_new == owlrl_new
    print(f"  same inferred triples: {'yes' if same else 'NO'}"
          + ("" if same else f" (fast only {len(fast_new - owlrl_new)}, owlrl only {len(owlrl_new - fast_new)})"))
    print(f"  owlrl / fast: {owlrl_s / fast_s:.0f}×")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--skip-owlrl-above", type=int, default=None, help="do not run owlrl on graphs larger than N projects")
    args = parser.parse_args()
    compare("seed (7 projects)", load_graph([SEED]), True)
    with tempfile.TemporaryDirectory() as work:
        files = write_corpus(Path(work), args.projects, per_file=100, n_agencies=20, years=(2023, 2024))
        graph = load_graph(files)
    run_owlrl = args.skip_owlrl_above is None or args.projects <= args.skip_owlrl_above
    compare(f"generated ({args.projects} projects)", graph, run_owlrl)


if __name__ == "__main__":
    main()
