"""The plain route, the yardstick of benchmarks/run.py: rdflib, owlrl and pyshacl on one whole graph.

    python benchmarks/plain_route.py DATA.nt

What someone without jixiao's pipeline would do with the same projects' N-Triples: parse them with
the ontology into one rdflib graph, close it with owlrl's OWL RL closure, validate the whole graph
with pyshacl against shapes/, and run every named query with rdflib's SPARQL engine. Each phase
prints one JSON line `{"phase": ..., "seconds": ...}` as soon as it ends (flushed), so a parent
that stops this process after a time limit still knows which phases finished and how long they took.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def required_params(query: Any) -> dict[str, str]:
    """A value for each required parameter (only search has one: the text to look for)."""
    return {name: SAMPLE_TEXT for name, parameter in query.params.items() if parameter.required}


SAMPLE_TEXT = "满意度"


def phase(name: str, work: Callable[[], Any]) -> Any:
    start = time.perf_counter()
    value = work()
    print(json.dumps({"phase": name, "seconds": round(time.perf_counter() - start, 3)}), flush=True)
    return value


def main(data: Path) -> None:
    import owlrl
    from pyshacl import validate
    from rdflib import Graph

    from jixiao.queries import library, run
    from jixiao.stores import MemoryBackend, SelectResult
    from jixiao.validation import shapes_graph
    from jixiao.vocabulary import load_ontology_graph

    def parse() -> Graph:
        graph = load_ontology_graph()
        graph.parse(data, format="nt")
        return graph

    graph = phase("parse", parse)
    phase("reason", lambda: owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph))
    phase("validate", lambda: validate(graph, shacl_graph=shapes_graph(), inference="none", advanced=False))

    def queries() -> None:
        backend = MemoryBackend(graph)
        for _name, query in library().items():
            answer = run(query, backend, required_params(query))
            if isinstance(answer, SelectResult):
                sum(1 for _ in answer.rows)

    phase("queries", queries)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
