"""Validation inside a remote SPARQL server (issue 13, item 4): `validate --endpoint` runs the shapes'
SPARQL (jixiao.validation.sparql) in Virtuoso and in the Oxigraph server, and reports exactly what
`validate --store` reports on the same tables in the embedded store, each store loaded and
reasoned as the pipeline does (`ingest --store` / `load`, then `reason`).

The tables: generated target tables with reviewer's findings and damage, and self-evaluations of
every outcome (so the self-evaluation shapes report too); beside them RDF made to break the checks
Virtuoso 7 once answered differently (CRAFTED: a unit of another kind and one of a subclass the
data declare, goals missing, a year of neither a project nor a plan, ≥100 %, a bare direction
word, a rate under quantity, a goal serving the public with no satisfaction indicator, indicators
with no target, two targets and no category: the grouped count checks), so the
servers must find those violations, not merely agree there are none. Each server is
this module's own.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from rdflib import RDF, Graph

from jixiao.cli.main import main
from jixiao.namespaces import SH
from jixiao.stores import open_backend, read_ntriples, store_graph_file
from jixiao.synthetic import OUTCOMES, corpus, evaluation_corpus, render, render_evaluations
from jixiao.validation.sparql import types_are_closed, validate_store
from servers import ServerEndpoint, running_oxigraph, running_virtuoso

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("tables")
    evaluated = corpus(len(OUTCOMES), seed=7, years=(2023,), defects=0.0)  # the outcomes need the clean tables
    (folder / "evaluated.md").write_text(render(evaluated), encoding="utf-8")
    (folder / "evaluations.md").write_text(render_evaluations(evaluation_corpus(evaluated, seed=7)), encoding="utf-8")
    (folder / "defects.md").write_text(render(corpus(20, seed=11, years=(2024,), defects=0.5), damage=0.1, seed=11), encoding="utf-8")
    return folder


CRAFTED = """
@prefix jx: <https://w3id.org/jixiao/ontology#> . @prefix jxu: <https://w3id.org/jixiao/unit/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix org: <http://www.w3.org/ns/org#> .
@prefix ex: <https://example.org/crafted/> .
ex:SpecialUnit rdfs:subClassOf jx:BudgetUnit .
ex:special a ex:SpecialUnit ; rdfs:label "特设单位" .
ex:club a org:Organization ; rdfs:label "某协会" .
ex:p1 a jx:Project ; rdfs:label "项目甲" ; jx:declaredBy ex:club .
ex:p2 a jx:Project ; rdfs:label "项目乙" ; jx:declaredBy ex:special .
ex:y1 a jx:ProjectYear ; jx:yearOf ex:p1 ; jx:fiscalYear 2024 ; jx:budget 100.0 ; jx:hasGoal ex:g1 .
ex:g1 a jx:LongTermGoal ; jx:statement "为服务对象提供培训" ; jx:hasIndicator ex:i1 , ex:i2 , ex:i3 , ex:i4 , ex:i5 .
ex:i4 a jx:QuantityIndicator ; rdfs:label "无指标值" .
ex:i5 a jx:QualityIndicator ; rdfs:label "两个指标值" ; jx:target ex:t3 , ex:t5 .
ex:t5 a jx:Target ; jx:statedValue "≥90" .  # stated as t3 is: which of two targets a result shows is each store's choice
ex:i3 a jx:QuantityIndicator ; rdfs:label "培训合格率" ; jx:target ex:t3 .
ex:t3 a jx:QuantitativeTarget ; jx:statedValue "≥90" ; jx:comparator jx:GreaterOrEqual ; jx:numericValue 90.0 .
ex:i1 a jx:QuantityIndicator ; rdfs:label "培训人数" ; jx:target ex:t1 .
ex:t1 a jx:Target ; jx:statedValue "有效提高" .
ex:i2 a jx:QualityIndicator ; rdfs:label "合格率" ; jx:target ex:t2 .
ex:t2 a jx:QuantitativeTarget ; jx:statedValue "≥100%" ; jx:unit jxu:Percent ; jx:comparator jx:GreaterOrEqual ; jx:numericValue 100.0 .
ex:y2 a jx:ProjectYear ; jx:yearOf ex:p2 ; jx:fiscalYear 2024 ; jx:budget 100.0 ; jx:hasGoal ex:g2 .
ex:g2 a jx:AnnualGoal ; jx:statement "年度目标" .
ex:y3 a jx:ProjectYear ; jx:yearOf ex:thing ; jx:fiscalYear 2024 ; jx:budget 100.0 .
ex:thing rdfs:label "某物" ; jx:declaredBy ex:special .
"""
CRAFTED_GRAPH = "https://example.org/crafted/graph"


@pytest.fixture(scope="module")
def crafted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("crafted") / "crafted.nt"
    Graph().parse(data=CRAFTED, format="turtle").serialize(path, format="nt", encoding="utf-8")
    return path


@pytest.fixture(scope="module", params=["virtuoso", "oxigraph"])
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerEndpoint]:
    folder = tmp_path_factory.mktemp(f"validate-{request.param}")
    with running_virtuoso(folder) if request.param == "virtuoso" else running_oxigraph(folder) as running:
        yield running


def cli(*args: str | Path) -> Any:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def focus_by_shape(turtle: str) -> set[tuple[str, str]]:
    """(the shape's local name, the focus node) of each result of a SHACL report in Turtle."""
    report = Graph().parse(data=turtle, format="turtle")
    return {(str(report.value(r, SH.sourceShape)).rpartition("#")[2].rpartition("/")[2], str(report.value(r, SH.focusNode)))
            for r in report.subjects(RDF.type, SH.ValidationResult)}


def credentials(server: ServerEndpoint) -> list[str]:
    return ["--user", server.user, "--password", server.password] if server.user else []


def test_validate_endpoint_reports_what_validate_store_reports(server: ServerEndpoint, tables: Path, crafted: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert cli("ingest", tables, "--store", store, "--quiet").exit_code == 0
    backend = open_backend(store=store)
    try:
        store_graph_file(backend, CRAFTED_GRAPH, read_ntriples(crafted), str(crafted))
    finally:
        backend.close()
    for data in (["load", tables], ["load", crafted, "--graph", CRAFTED_GRAPH]):
        loaded = cli(*data, "--endpoint", server.query_url, *credentials(server))
        assert loaded.exit_code == 0, loaded.output
    # As the pipeline runs: the entailments (the types the SHACL-SPARQL constraints ask for) in each store.
    assert cli("reason", "--store", store).exit_code == 0
    reasoned = cli("reason", "--endpoint", server.query_url, *credentials(server))
    assert reasoned.exit_code == 0, reasoned.output
    in_store = cli("validate", "--store", store, "--format", "json")
    on_server = cli("validate", "--endpoint", server.query_url, "--format", "json")
    assert in_store.exit_code == on_server.exit_code == 1, on_server.output[-3000:]
    expected = json.loads(in_store.stdout)
    assert json.loads(on_server.stdout) == expected
    shapes = {r["shape"] for r in expected["results"]}
    assert {"jxs:IndicatorBasis", "jxs:FullMarksWhileMissed", "jxs:EvaluationTotalIsSum"} <= shapes
    found = {where: focus_by_shape(cli("validate", *where, "--format", "ttl").stdout)
             for where in (("--store", str(store)), ("--endpoint", server.query_url))}
    assert found[("--endpoint", server.query_url)] == found[("--store", str(store))]
    on_crafted = {(shape, focus.rpartition("/")[2]) for shape, focus in found[("--store", str(store))] if focus.startswith("https://example.org/crafted/")}
    assert {("ProjectAgency", "y1"), ("ProjectAnnualGoal", "y1"), ("ProjectLongTermGoal", "y2"), ("YearOfOneObject", "y3"),
            ("MeasurableTarget", "i1"), ("DirectionWordOnly", "i1"), ("UnreachablePercent", "i2"),
            ("RateUnderQuantity", "i3"), ("PublicServiceSatisfaction", "g1"),
            ("IndicatorTarget", "i4"), ("IndicatorTarget", "i5"), ("IndicatorCategory", "i1")} <= on_crafted, on_crafted
    assert ("ProjectAgency", "y2") not in on_crafted  # a unit of a subclass of jx:BudgetUnit the data declare
    assert cli("validate", "--endpoint", server.query_url, "--format", "text").stdout == cli("validate", "--store", store, "--format", "text").stdout


def test_unreasoned_rdf_on_virtuoso_reports_what_the_store_reports(crafted: Path, tmp_path: Path) -> None:
    """Data whose types are not closed (no reasoning: a year typed only jx:ProjectYear) are validated by
    the standard target rdf:type/rdfs:subClassOf*, which Virtuoso must answer as the embedded store does."""
    store = open_backend(store=tmp_path / "store")
    try:
        store_graph_file(store, CRAFTED_GRAPH, read_ntriples(crafted), str(crafted))
        assert not types_are_closed(store)
        expected = validate_store(store)
    finally:
        store.close()
    assert {"jxs:ProjectAgency", "jxs:YearOfOneObject", "jxs:MeasurableTarget"} <= {r.shape for r in expected.results}
    with running_virtuoso(tmp_path / "virtuoso") as server:
        loaded = cli("load", crafted, "--graph", CRAFTED_GRAPH, "--endpoint", server.query_url, *credentials(server))
        assert loaded.exit_code == 0, loaded.output
        endpoint = server.backend()
        try:
            assert validate_store(endpoint).results == expected.results
        finally:
            endpoint.close()
