"""Run pyshacl over typed data, part by part (see partition.py), in worker processes when asked.

Inference. The shapes speak of the ontology's classes (a shape on jx:OutputIndicator must see
every quantity indicator, a shape on jx:Indicator every indicator), but the data assert only the
most specific class. Validation therefore runs on the data with their type entailments
materialised by the reasoner (jixiao.graph.materialise_types, from the schema it compiles): on
the seed they equal the types owlrl's RDFS and OWL RL closures give, apart from the universal
classes rdfs:Resource and owl:Thing (tests/test_validate.py checks it). The rest of the OWL RL
closure is used by no shape and costs far more; pyshacl itself is asked for no inference.

pyshacl hands every SHACL-SPARQL constraint to rdflib as text once per focus node, and rdflib
parses it each time (90 % of the time on the seed); the parts are rdflib graphs that prepare
each distinct query text once (rdflib's prepared queries are made for reuse with new bindings).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from pathlib import Path
from typing import Any

from pyshacl import validate as pyshacl_validate
from rdflib import Graph
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node

from jixiao.graph import graph_of, load_graph, materialise_types
from jixiao.namespaces import DEFAULT_BASE
from jixiao.validation.partition import DEFAULT_BATCH, fill_part, partition
from jixiao.validation.report import Found, Report, found_in, merge
from jixiao.validation.shapes import shapes_graph
from jixiao.vocabulary import vocabulary


@lru_cache(maxsize=1024)
def _prepared(text: str) -> Query:
    return prepareQuery(text)


class PreparingGraph(Graph):
    """An rdflib graph that parses each distinct SPARQL text once per process (see module docstring)."""

    def query(self, query_object: Any, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        if isinstance(query_object, str):
            query_object = _prepared(query_object)
        return super().query(query_object, *args, **kwargs)


def whole_graph(data: Graph, graph_class: type[Graph] = PreparingGraph) -> Graph:
    """Data, their entailed types and the whole ontology in one graph: the reference route."""
    graph = materialise_types(graph_of(data, graph_class))
    graph.addN((s, p, o, graph) for s, p, o in vocabulary().graph)
    return graph


def run_pyshacl(graph: Graph) -> Graph:
    """The standard SHACL validation report of `graph` against the shapes (no inference by pyshacl)."""
    _conforms, report, _text = pyshacl_validate(graph, shacl_graph=shapes_graph(), inference="none",
                                               advanced=False, abort_on_first=False, meta_shacl=False)
    return report


def validate_graph(data: Graph, batch: int = DEFAULT_BATCH, whole: bool = False, workers: int = 1,
                   in_place: bool = False) -> Report:
    """Validate data (without the ontology) per `batch` projects, or as one graph (`whole`).

    `workers` > 1 validates parts in that many forked processes; `in_place` lets the types be
    added to `data` itself instead of a copy.
    """
    if whole:
        graph = whole_graph(data)
        return merge(found_in(graph, run_pyshacl(graph)))
    typed = materialise_types(data if in_place else graph_of(data))
    return merge(found for part in _validate_parts(typed, batch, workers) for found in part)


def validate_paths(paths: Sequence[str | Path], base: str = DEFAULT_BASE, year: int | None = None,
                   batch: int = DEFAULT_BATCH, workers: int = 1) -> Report:
    """Validate RDF files or table files (ingested on the fly), or directories of them."""
    data = load_graph(paths, base, year, with_ontology=False)
    return validate_graph(data, batch, workers=workers, in_place=True)


def _validate_part(data: Graph, nodes: set[Node]) -> list[Found]:
    part = fill_part(PreparingGraph(), data, nodes)
    return found_in(part, run_pyshacl(part))


_FORKED: tuple[Graph, list[set[Node]]] | None = None  # what forked workers inherit instead of pickling it


def _validate_forked(index: int) -> list[Found]:
    assert _FORKED is not None
    data, parts = _FORKED
    return _validate_part(data, parts[index])


def _validate_parts(typed: Graph, batch: int, workers: int) -> Iterator[list[Found]]:
    """Each part's results, in order; in forked worker processes when asked and possible."""
    parts = list(partition(typed, batch))
    if workers <= 1 or len(parts) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        yield from (_validate_part(typed, nodes) for nodes in parts)
        return
    global _FORKED
    shapes_graph()  # parsed once, before the fork, for every worker
    _FORKED = (typed, parts)
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            yield from pool.map(_validate_forked, range(len(parts)), chunksize=max(1, len(parts) // (workers * 8)))
    finally:
        _FORKED = None
