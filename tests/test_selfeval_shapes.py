"""The self-evaluation checks that compare with the approved target table, on hand-written data: a result
linked (jx:reportsOn) to its target-table indicator. Passing and failing data differ in one value."""

from __future__ import annotations

import pytest
from rdflib import Graph

from jixiao.validation import validate_graph

DATA = """
@prefix jx: <https://w3id.org/jixiao/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <https://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

ex:project a jx:Project ; rdfs:label "培训项目" ; jx:fiscalYear "2023"^^xsd:gYear ; jx:hasGoal ex:goal .
ex:goal a jx:AnnualGoal ; jx:hasIndicator ex:indicator .
ex:indicator a jx:QuantityIndicator ; rdfs:label "培训人数" ; jx:category jx:QuantityIndicator ; jx:target ex:approved .
ex:approved a jx:QuantitativeTarget ; jx:statedValue "≥300人" ; jx:comparator jx:GreaterOrEqual ; jx:numericValue 300.0 ;
    jx:unit <https://w3id.org/jixiao/unit/Person> .

ex:evaluation a jx:Evaluation ; jx:hasResult ex:result .
ex:result a jx:IndicatorResult ; rdfs:label "培训人数" ; jx:evaluation ex:evaluation ; jx:reportsOn ex:indicator ;
    jx:weight 10.0 ; jx:score SCORE ; jx:restatedTarget ex:restated ; jx:achieved ex:actual .
ex:restated a jx:QuantitativeTarget ; jx:statedValue "≥RESTATED人" ; jx:comparator jx:GreaterOrEqual ; jx:numericValue RESTATED.0 ;
    jx:unit <https://w3id.org/jixiao/unit/Person> .
ex:actual a jx:AchievedValue , jx:QuantitativeTarget ; jx:statedValue "ACTUAL人" ; jx:numericValue ACTUAL.0 ;
    jx:unit <https://w3id.org/jixiao/unit/Person> .
"""


def _found(restated: int, actual: int, score: float) -> set[str]:
    text = DATA.replace("RESTATED", str(restated)).replace("ACTUAL", str(actual)).replace("SCORE", f"{score:.1f}")
    report = validate_graph(Graph().parse(data=text, format="turtle"))
    return {r.shape.rsplit(":", 1)[-1].rsplit("#", 1)[-1] for r in report.results if r.focus.endswith("/result")}


def test_the_approved_target_restated_passes() -> None:
    assert not _found(300, 320, 10) & {"RestatedTargetIsApproved", "FullMarksWhileMissed"}


def test_a_target_changed_after_approval_is_found() -> None:
    assert "RestatedTargetIsApproved" in _found(250, 320, 10)


@pytest.mark.parametrize(("restated", "actual", "missed"), [(300, 280, True), (250, 280, True), (300, 300, False)])
def test_full_marks_are_judged_against_the_approved_target(restated: int, actual: int, missed: bool) -> None:
    """Met the restated (lowered) target but not the approved one: still missed."""
    assert ("FullMarksWhileMissed" in _found(restated, actual, 10)) is missed
    assert "FullMarksWhileMissed" not in _found(restated, actual, 8)
