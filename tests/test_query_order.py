"""Every named query gives the same rows in the same order on every route, also where its sort keys tie.

A query's ORDER BY must decide the order of every two rows that differ: where two rows agree on
all its keys, rdflib returns them in the order it happened to find them (the order the triples
were added) and Oxigraph in the order of its indexes, so the same data printed differently on
the two routes (an indicator with two names, 2026-11). Here the fixtures are given ties on
purpose — a second value for some subjects' literals (a second name, stated value, number, year)
and a second object for some links (a second category, unit, basis) — and every named query runs
on rdflib with the triples added in two orders and on the embedded Oxigraph store: the three
answers must be the same bytes.
"""

from __future__ import annotations

import io
import zlib
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from jixiao.graph.build import load_graph
from jixiao.queries import library, run, write
from jixiao.stores.memory import MemoryBackend
from jixiao.stores.oxigraph import OxigraphBackend, to_oxigraph

ROOT = Path(__file__).resolve().parent
DATA = [ROOT / "fixtures" / "queries", *sorted((ROOT / "fixtures" / "selfeval").glob("*-*.md"))]
PARAMS = {"search": {"text": "满意度"}}
# One subject in this many gets a second value for each of its literals and links.
TIED_EVERY = 5
Triple = tuple[Node, Node, Node]


def _chosen(subject: Node) -> bool:
    return zlib.crc32(str(subject).encode()) % TIED_EVERY == 0


def _second_literal(value: Literal) -> Literal | None:
    """Another literal of the same kind: text with a character more, a number one more, the next year."""
    if value.language or value.datatype in (None, XSD.string):
        return Literal(str(value) + "乙", lang=value.language)
    if value.datatype == XSD.gYear:
        return Literal(str(int(str(value)) + 1), datatype=XSD.gYear)
    number = value.toPython()
    if isinstance(number, int | Decimal | float) and not isinstance(number, bool):
        return Literal(number + 1, datatype=value.datatype)
    return None


def tied(graph: Graph) -> list[Triple]:
    """The graph's triples, plus a second value for every literal and link of the chosen data subjects."""
    triples = list(graph)
    objects_of: dict[Node, list[Node]] = {}
    for _, predicate, value in triples:
        if isinstance(value, URIRef):
            objects_of.setdefault(predicate, [])
            if value not in objects_of[predicate]:
                objects_of[predicate].append(value)
    extra: list[Triple] = []
    for subject, predicate, value in triples:
        if predicate == RDF.type or not _chosen(subject) or str(subject).startswith("https://w3id.org/jixiao/ontology"):
            continue
        if isinstance(value, Literal):
            second = _second_literal(value)
        else:
            others = objects_of.get(predicate, [])
            second = others[(others.index(value) + 1) % len(others)] if len(others) > 1 else None
        if second is not None:
            extra.append((subject, predicate, second))
    return triples + extra


@pytest.fixture(scope="module")
def triples() -> list[Triple]:
    return tied(load_graph(DATA))


def _memory(triples: list[Triple]) -> MemoryBackend:
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    return MemoryBackend(graph)


@pytest.fixture(scope="module")
def backends(triples: list[Triple]) -> dict[str, object]:
    store = OxigraphBackend()
    store.store.extend(ox.Quad(*(to_oxigraph(term) for term in triple)) for triple in triples)
    return {"rdflib": _memory(triples), "rdflib, triples added in reverse": _memory(triples[::-1]), "oxigraph": store}


def _csv(name: str, backend: object) -> str:
    out = io.StringIO()
    write("csv", run(library()[name], backend, PARAMS.get(name, {})), out)  # type: ignore[arg-type]
    return out.getvalue()


def test_the_data_have_ties(triples: list[Triple]) -> None:
    """Indicators with two names, two stated values, two categories: the ties the comparison below is about."""
    names: dict[Node, int] = {}
    for subject, predicate, _ in triples:
        if str(predicate).endswith("#label"):
            names[subject] = names.get(subject, 0) + 1
    assert sum(1 for count in names.values() if count > 1) >= 10


@pytest.mark.parametrize("name", sorted(library()))
def test_named_query_orders_ties_alike_on_every_route(backends: dict[str, object], name: str) -> None:
    answers = {route: _csv(name, backend) for route, backend in backends.items()}
    reference = answers["rdflib"]
    for route, answer in answers.items():
        assert answer == reference, f"{name}: {route} orders the rows differently"
