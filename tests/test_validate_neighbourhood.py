"""What `validate --store` reads about its focus nodes to place them (`places`, `neighbourhood`):
the places the whole graph gives, from no more statements than `locate` reads."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from click.testing import CliRunner
from rdflib import Graph, URIRef
from rdflib.term import Node

from jixiao.cli.ingest import ingest
from jixiao.graph import materialise_types
from jixiao.namespaces import JX
from jixiao.stores import QueryBackend, open_backend
from jixiao.synthetic import corpus, evaluation_corpus, render, render_evaluations
from jixiao.validation.partition import PARTS
from jixiao.validation.report import locate
from jixiao.validation.sparql import neighbourhood, places, types_are_closed


def ingested(tmp_path_factory: pytest.TempPathFactory, evaluations: bool) -> QueryBackend:
    """Target tables with defects and damage (notes, rows of several lines), with their self-evaluations
    or without, ingested into a store."""
    tables = tmp_path_factory.mktemp("tables")
    projects = corpus(8, seed=11, years=(2023, 2024), defects=0.6)
    (tables / "targets.md").write_text(render(projects, damage=0.2, seed=11), encoding="utf-8")
    if evaluations:
        (tables / "evaluations.md").write_text(render_evaluations(evaluation_corpus(projects, seed=11)), encoding="utf-8")
    directory = tmp_path_factory.mktemp("store") / "store"
    assert CliRunner().invoke(ingest, [str(tables), "--store", str(directory), "--quiet"]).exit_code == 0
    return open_backend(store=directory, read_only=True)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[QueryBackend]:
    backend = ingested(tmp_path_factory, evaluations=True)
    yield backend
    backend.close()


@pytest.fixture(scope="module")
def targets_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[QueryBackend]:
    """Target tables alone: no self-evaluation to speak of a goal, so what is read of the goals is
    what locating a target or a note needs of them."""
    backend = ingested(tmp_path_factory, evaluations=False)
    yield backend
    backend.close()


def whole(backend: QueryBackend) -> Graph:
    graph = Graph()
    graph.addN((s, p, o, graph) for s, p, o in backend.construct("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", {}))
    return graph


def every_node(graph: Graph) -> list[Node]:
    """Every IRI the data describe: each may be a focus node (projects, goals, indicators, targets,
    notes, rows, evaluations and their results)."""
    return sorted({s for s in graph.subjects() if isinstance(s, URIRef)}, key=str)


@pytest.mark.parametrize("closed", [True, False])
def test_every_node_is_placed_as_the_whole_graph_places_it(store: QueryBackend, closed: bool) -> None:
    assert types_are_closed(store)  # ingested: the entailed types are stored
    graph = whole(store) if closed else materialise_types(whole(store))
    nodes = every_node(graph)
    assert len(nodes) > 500
    expected = {node: locate(graph, node) for node in nodes}
    assert places(store, set(nodes), closed) == expected
    assert places(store, set(nodes), closed, chunk=13) == expected
    # The places are not all empty: projects, indicators, targets' text, rows and evaluations found.
    assert {bool(p.project) for p in expected.values()} == {True, False}
    assert any(p.stated for p in expected.values()) and any(p.source for p in expected.values())


class Asked(Graph):
    """A graph that records which (subject, predicate) pairs a reader asks about."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: set[tuple[Node, Node | None]] = set()

    def triples(self, pattern: Any) -> Any:  # type: ignore[override]
        subject, predicate, _object = pattern
        if subject is not None:
            self.asked.add((subject, predicate))
        return super().triples(pattern)


def targets_and_notes(graph: Graph) -> list[Node]:
    """The focus nodes most checks report: targets (under their indicator, goal and project) and
    reading notes (each with a row of its own)."""
    return sorted({*graph.objects(None, JX.target), *graph.subjects(JX.atRow, None)}, key=str)


@pytest.mark.parametrize("focus", [every_node, targets_and_notes])
def test_the_neighbourhood_holds_what_locate_asks_and_no_more(targets_store: QueryBackend, focus: Any) -> None:
    """Each statement fetched is of a (node, predicate) that `locate` asks about, except those of the
    candidate source rows it chooses among (each row's text is read until one shows the node best, its
    document only of the row chosen) and the part-of links walked upward (asked by object): a goal's
    name and statement, say, only where the goal is the node that gives a focus node its row."""
    nodes = focus(whole(targets_store))
    graph = neighbourhood(targets_store, nodes, closed_types=True)
    asked = Asked()
    asked.addN((s, p, o, asked) for s, p, o in graph)
    for node in nodes:
        locate(asked, node)
    candidates = set(graph.objects(None, JX.sourceRow))
    not_asked = {(s, p) for s, p, _o in graph if (s, p) not in asked.asked and (s, None) not in asked.asked
                 and p not in PARTS and not (s in candidates and p in (JX.rawText, JX.inDocument))}
    assert not not_asked, sorted(not_asked, key=str)[:10]
