"""Where a finding is placed (`validation.report.locate`) does not depend on the order a store returns
statements in: of several values (loose or malformed data), every route reports the same one."""

from __future__ import annotations

from itertools import permutations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from jixiao.namespaces import JX
from jixiao.validation.partition import ROOT_CLASS
from jixiao.validation.report import Place, locate

EX = "https://example.org/place/"
YEAR, PROJECT, UNIT = URIRef(EX + "year"), URIRef(EX + "project"), URIRef(EX + "unit")
GOAL, INDICATOR = URIRef(EX + "goal"), URIRef(EX + "indicator")
TARGETS = (URIRef(EX + "target-a"), URIRef(EX + "target-b"))
ROWS, DOCUMENT = (URIRef(EX + "row-1"), URIRef(EX + "row-2")), URIRef(EX + "document")


def _statements() -> list[tuple[URIRef, URIRef, URIRef | Literal]]:
    """A project-year with one indicator of two targets stated differently, a unit of two labels, and two
    source rows of the indicator on the same line (each choice has two candidates)."""
    return [
        (YEAR, RDF.type, ROOT_CLASS), (YEAR, JX.yearOf, PROJECT), (PROJECT, RDFS.label, Literal("培训项目")),
        (PROJECT, JX.declaredBy, UNIT), (UNIT, RDFS.label, Literal("人社局")), (UNIT, RDFS.label, Literal("人力资源和社会保障局")),
        (YEAR, JX.hasGoal, GOAL), (GOAL, JX.hasIndicator, INDICATOR), (INDICATOR, RDF.type, JX.Indicator),
        (INDICATOR, RDFS.label, Literal("培训人次")),
        (INDICATOR, JX.target, TARGETS[0]), (TARGETS[0], JX.statedValue, Literal("≥500人次")),
        (INDICATOR, JX.target, TARGETS[1]), (TARGETS[1], JX.statedValue, Literal("≥300人次")),
        (INDICATOR, JX.sourceRow, ROWS[0]), (ROWS[0], JX.lineNumber, Literal(7)), (ROWS[0], JX.inDocument, DOCUMENT),
        (INDICATOR, JX.sourceRow, ROWS[1]), (ROWS[1], JX.lineNumber, Literal(7)), (ROWS[1], JX.inDocument, DOCUMENT),
        (DOCUMENT, JX.fileName, Literal("a.xlsx")),
    ]


def _graph_in_order(statements: list[tuple[URIRef, URIRef, URIRef | Literal]]) -> Graph:
    graph = Graph()
    for statement in statements:
        graph.add(statement)
    return graph


def test_an_indicator_of_two_targets_and_a_unit_of_two_labels_are_placed_alike_in_any_order() -> None:
    statements = _statements()
    places = {locate(_graph_in_order(list(order)), TARGETS[1])
              for order in (statements, statements[::-1], sorted(statements, key=str), sorted(statements, key=str, reverse=True))}
    assert places == {Place("人力资源和社会保障局", "培训项目", "培训人次", "≥300人次；≥500人次", "a.xlsx:7")}


@pytest.mark.parametrize("first", list(permutations(range(2))))
def test_the_choice_does_not_follow_the_insertion_order(first: tuple[int, int]) -> None:
    """rdflib's `Graph.value` returns the first object its store holds: the two orders of the unit's labels gave
    two agencies before `locate` chose by a total order."""
    labels = [(UNIT, RDFS.label, Literal(text)) for text in ("人社局", "人力资源和社会保障局")]
    rest = [s for s in _statements() if s not in labels]
    graph = _graph_in_order([labels[first[0]], labels[first[1]], *rest])
    assert locate(graph, INDICATOR).agency == "人力资源和社会保障局"
