"""`jixiao validate`: inference, the seed's findings, clean tables, the per-project route, reports, exit codes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import owlrl
import pyshacl
import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.namespace import OWL, RDF, RDFS

from jixiao.cli.ingest import ingest
from jixiao.cli.validate import validate as validate_command
from jixiao.graph import load_graph, materialise_types
from jixiao.namespaces import SH
from jixiao.stores import QueryBackend, open_backend, read_ntriples, store_graph_file
from jixiao.synthetic import OUTCOMES, corpus, evaluation_corpus, render, render_evaluations
from jixiao.validation import Report, Result, run_pyshacl, validate_graph, validate_paths
from jixiao.validation.render import render_text
from jixiao.validation.sparql import (
    Grouped,
    UnsupportedShape,
    checks_of,
    compiled_checks,
    compiled_queries,
    queries_of,
    types_are_closed,
    validate_store,
    violations,
)
from jixiao.vocabulary import vocabulary

SEED_PROJECTS = ["业务运行保障", "信息化运行经费", "事业单位人员管理", "事业单位人才招聘", "企业薪酬调查",
                 "劳动能力鉴定、工伤认定经费", "法律服务"]


@pytest.fixture(scope="module")
def seed_data(seed_path: Path) -> Graph:
    return load_graph([seed_path], with_ontology=False)


@pytest.fixture(scope="module")
def seed_report(seed_data: Graph) -> Report:
    return validate_graph(seed_data)


def found(report: Report, shape: str, project: str | None = None, indicator: str | None = None) -> list[Result]:
    return [r for r in report.results if r.shape == f"jxs:{shape}" and (project is None or r.project == project)
            and (indicator is None or r.indicator == indicator)]


def write_tables(directory: Path, text: str, name: str = "tables.md") -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------------------
# Inference
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("semantics", [owlrl.RDFS_Semantics, owlrl.OWLRL_Semantics], ids=["rdfs", "owl-rl"])
def test_materialised_types_equal_the_owlrl_closure_types(seed_data: Graph, semantics: type) -> None:
    """The RDFS type entailment we materialise gives every resource of the seed the same types as
    owlrl's closure of data + ontology, apart from the universal classes every resource has."""
    closed = Graph()
    for triple in (*seed_data, *vocabulary().graph):
        closed.add(triple)
    owlrl.DeductiveClosure(semantics, axiomatic_triples=False, datatype_axioms=False).expand(closed)
    ours = materialise_types(Graph() + seed_data)
    universal = {RDFS.Resource, OWL.Thing}
    for subject in set(seed_data.subjects()):
        assert set(ours.objects(subject, RDF.type)) == set(closed.objects(subject, RDF.type)) - universal, subject


def test_a_shape_on_output_indicators_sees_quantity_indicators(seed_data: Graph) -> None:
    typed = materialise_types(Graph() + seed_data)
    jx = vocabulary().graph.namespace_manager.expand_curie("jx:")
    quantity, output = jx + "QuantityIndicator", jx + "OutputIndicator"
    assert set(seed_data.subjects(RDF.type, output)) == set()  # the data assert only the level-2 class
    assert set(typed.subjects(RDF.type, quantity)) <= set(typed.subjects(RDF.type, output))


# ---------------------------------------------------------------------------------------------
# The seed: what a reviewer flags, at the right project and indicator
# ---------------------------------------------------------------------------------------------

FLAGGED = [
    # (shape, severity, project, indicator) — each on the long-term and the annual goal
    ("CostInMoney", "Violation", "劳动能力鉴定、工伤认定经费", "专家鉴定费人均成本"),
    ("UnreachablePercent", "Warning", "信息化运行经费", "设备质量合格率"),
    ("UnreachablePercent", "Warning", "劳动能力鉴定、工伤认定经费", "受理劳动能力鉴定案件登记率"),
    ("UnreachablePercent", "Warning", "法律服务", "群众对宣传工作的满意度"),
    ("RateUnderQuantity", "Warning", "事业单位人才招聘", "招聘人才合格率"),
    ("RateUnderQuantity", "Warning", "事业单位人才招聘", "招聘人才完成及时率"),
    ("DirectionWordOnly", "Warning", "业务运行保障", "民生服务流程"),
    ("DirectionWordOnly", "Warning", "信息化运行经费", "提高信息化运行效率"),
    ("DirectionWordOnly", "Warning", "企业薪酬调查", "人力资源市场公共信息服务人数"),
    ("ValueRepeatsName", "Warning", "事业单位人员管理", "规范事业单位人员聘用"),
    ("ValueRepeatsName", "Warning", "事业单位人才招聘", "优化事业单位人才结构"),
    ("ValueRepeatsName", "Warning", "劳动能力鉴定、工伤认定经费", "高校完成工伤鉴定"),
    ("MeasurableTarget", "Warning", "劳动能力鉴定、工伤认定经费", "鉴定完成及时率"),
    ("IndicatorBasis", "Warning", "业务运行保障", "窗口业务服务覆盖面"),
    ("ConflictingCategoryFinding", "Warning", "业务运行保障", "事件办结及时率"),
]


@pytest.mark.parametrize(("shape", "severity", "project", "indicator"), FLAGGED, ids=[f"{f[0]}-{f[3]}" for f in FLAGGED])
def test_seed_findings_at_the_right_project_and_indicator(seed_report: Report, shape: str, severity: str, project: str,
                                                          indicator: str) -> None:
    results = found(seed_report, shape, project, indicator)
    assert len(results) == 2, results  # the long-term and the annual table both carry it
    assert {r.severity for r in results} == {severity}
    assert all(re.fullmatch(r"000_34530bcdda777c34\.txt:\d+", r.source or "") for r in results)


def test_seed_sources_point_at_the_rows(seed_report: Report) -> None:
    assert {r.source for r in found(seed_report, "ConflictingCategoryFinding")} == {"000_34530bcdda777c34.txt:26",
                                                                                    "000_34530bcdda777c34.txt:38"}
    assert {r.source for r in found(seed_report, "IndicatorBasis")} == {"000_34530bcdda777c34.txt:25", "000_34530bcdda777c34.txt:37"}
    # a goal's result points at its statement row
    assert "000_34530bcdda777c34.txt:17" in {r.source for r in found(seed_report, "AnnualNotCopyOfLongTerm", "业务运行保障")}


def test_seed_every_annual_goal_copies_its_long_term_goal(seed_report: Report) -> None:
    results = found(seed_report, "AnnualNotCopyOfLongTerm")
    assert sorted(r.project for r in results) == sorted(SEED_PROJECTS)
    assert {(r.severity, r.indicator) for r in results} == {("Warning", None)}


def test_seed_fiscal_year_not_stated_is_info_only(seed_report: Report) -> None:
    results = found(seed_report, "ProjectFiscalYear")
    assert sorted(r.project for r in results) == sorted(SEED_PROJECTS)
    assert {r.severity for r in results} == {"Info"}


def test_seed_cost_figures_fit_the_budget(seed_report: Report) -> None:
    """项目总成本 =130万元 equals the 130万元 budget; the 元/人/天 and 元/家 unit costs times their
    quantities are within the budget; long-term cost figures are not bounded by the annual budget."""
    assert found(seed_report, "AnnualCostWithinBudget") == []
    assert found(seed_report, "UnitCostTimesQuantity") == []


CLEAN_INDICATORS = [
    ("业务运行保障", "接待群众数量"), ("业务运行保障", "项目总成本"), ("业务运行保障", "群众对服务工作的满意度"),
    ("信息化运行经费", "计算机"), ("信息化运行经费", "项目完成时间"), ("信息化运行经费", "成本费用"),
    ("事业单位人员管理", "专家评委成本"), ("事业单位人员管理", "评审专家"), ("企业薪酬调查", "薪酬调查成本"),
    ("企业薪酬调查", "数据核验通过率"), ("法律服务", "法律咨询成本"), ("法律服务", "政策宣传覆盖率"),
]


@pytest.mark.parametrize(("project", "indicator"), CLEAN_INDICATORS)
def test_seed_clean_indicators_get_no_warning_or_violation(seed_report: Report, project: str, indicator: str) -> None:
    assert [r for r in seed_report.results if r.project == project and r.indicator == indicator and r.severity != "Info"] == []


def test_seed_does_not_conform(seed_report: Report) -> None:
    assert not seed_report.conforms
    assert {r.severity for r in seed_report.results} == {"Violation", "Warning", "Info"}


# ---------------------------------------------------------------------------------------------
# Generated tables
# ---------------------------------------------------------------------------------------------


def test_a_clean_generated_table_conforms_with_no_warning(tmp_path: Path) -> None:
    path = write_tables(tmp_path, render(corpus(20, seed=7, defects=0.0), damage=0.0))
    report = validate_paths([path])
    assert report.conforms
    assert [r for r in report.results if r.severity in ("Violation", "Warning")] == []


def test_a_damaged_but_correct_table_conforms_with_no_warning(tmp_path: Path) -> None:
    """Shifted rows and merged cells are the conversion's damage, repaired by the reader: not the table's fault."""
    path = write_tables(tmp_path, render(corpus(20, seed=8, defects=0.0), damage=0.3, seed=8))
    report = validate_paths([path])
    assert [r for r in report.results if r.severity in ("Violation", "Warning")] == []


def test_defects_of_generated_tables_are_found(tmp_path: Path) -> None:
    path = write_tables(tmp_path, render(corpus(20, seed=9, defects=1.0), damage=0.0))
    shapes = {r.shape for r in validate_paths([path]).results}
    assert {"jxs:CostInMoney", "jxs:IndicatorBasis", "jxs:AnnualNotCopyOfLongTerm"} <= shapes
    assert shapes & {"jxs:UnreachablePercent", "jxs:DirectionWordOnly", "jxs:ValueRepeatsName"}


def test_per_project_and_whole_graph_results_are_identical(seed_data: Graph, tmp_path: Path) -> None:
    generated = load_graph([write_tables(tmp_path, render(corpus(24, seed=5, defects=0.4), damage=0.1, seed=5))], with_ontology=False)
    for data in (seed_data, generated):
        whole = validate_graph(data, whole=True)
        assert whole.results
        for batch in (1, 7):
            assert set(validate_graph(data, batch=batch).results) == set(whole.results)
        assert validate_graph(data, workers=2).results == validate_graph(data).results


# ---------------------------------------------------------------------------------------------
# The command: formats and exit codes
# ---------------------------------------------------------------------------------------------


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(validate_command, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_json_report_has_the_structure_of_design_md(seed_path: Path) -> None:
    code, out, _ = run(str(seed_path), "--format", "json")
    assert code == 1
    report = json.loads(out)
    assert set(report) == {"conforms", "results"} and report["conforms"] is False
    keys = {"severity", "project", "indicator", "message_zh", "message_en", "source", "shape"}
    assert report["results"] and all(set(r) == keys for r in report["results"])
    assert {r["severity"] for r in report["results"]} == {"Violation", "Warning", "Info"}
    assert all(re.fullmatch(r".+:\d+", r["source"]) for r in report["results"])
    assert any(r["indicator"] is None for r in report["results"])  # goal- and project-level results


def test_text_report_groups_results_by_project(seed_path: Path) -> None:
    code, out, _ = run(str(seed_path))
    assert code == 1
    headers = [line for line in out.splitlines() if line.startswith("项目 ")]
    assert [h.split()[1] for h in headers] == SEED_PROJECTS  # in the order of the tables, each once
    section = out.split("项目 劳动能力鉴定、工伤认定经费")[1].split("项目 法律服务")[0]
    assert "指标 专家鉴定费人均成本（=1000人）" in section and "jxs:CostInMoney" in section
    assert "the cost target =1000人 is not an amount of money" in section  # English beside the Chinese
    assert out.rstrip().endswith("不符合 does not conform")


def test_ttl_report_is_a_shacl_validation_report(seed_path: Path) -> None:
    code, out, _ = run(str(seed_path), "--format", "ttl")
    assert code == 1
    graph = Graph().parse(data=out, format="turtle")
    (report,) = graph.subjects(RDF.type, SH.ValidationReport)
    assert graph.value(report, SH.conforms).toPython() is False
    results = list(graph.objects(report, SH.result))
    _, out_json, _ = run(str(seed_path), "--format", "json")
    assert len(results) == len(json.loads(out_json)["results"])
    for result in results:
        assert (result, RDF.type, SH.ValidationResult) in graph
        assert graph.value(result, SH.focusNode) is not None and graph.value(result, SH.sourceShape) is not None


def test_exit_0_when_no_violation(tmp_path: Path) -> None:
    path = write_tables(tmp_path, render(corpus(3, seed=2, defects=0.0), damage=0.0))
    code, out, _ = run(str(path), "--format", "json")
    assert code == 0 and json.loads(out)["conforms"] is True


def test_exit_0_with_warnings_only(tmp_path: Path) -> None:
    text = render(corpus(3, seed=2, defects=0.0), damage=0.0).replace("≥90%", "≥100%").replace("≥95%", "≥100%").replace("≥98%", "≥100%")
    code, out, _ = run(str(write_tables(tmp_path, text)), "--format", "json")
    report = json.loads(out)
    assert code == 0 and report["conforms"] is True
    assert {r["shape"] for r in report["results"]} == {"jxs:UnreachablePercent"}


def test_jobs_give_the_same_report(seed_path: Path) -> None:
    assert run(str(seed_path), "--format", "json", "--jobs", "2") == run(str(seed_path), "--format", "json")


def test_tables_ingested_on_the_fly_take_year_and_base(seed_path: Path) -> None:
    code, out, _ = run(str(seed_path), "--format", "ttl", "--year", "2024", "--base", "https://example.org/x/")
    assert code == 1
    assert "jxs:ProjectFiscalYear" not in out
    assert "https://example.org/x/project/" in out


def test_rdf_input_is_validated_too(seed_path: Path, tmp_path: Path) -> None:
    rdf = tmp_path / "seed.ttl"
    load_graph([seed_path], with_ontology=False).serialize(rdf, format="turtle", encoding="utf-8")
    code_rdf, out_rdf, _ = run(str(rdf), "--format", "json")
    code_table, out_table, _ = run(str(seed_path), "--format", "json")
    assert code_rdf == code_table == 1
    assert json.loads(out_rdf) == json.loads(out_table)


@pytest.mark.parametrize(("content", "name", "expect"), [
    (None, "missing.ttl", "no such file or directory"),
    ("not turtle at all", "broken.ttl", "not valid RDF"),
    ("whatever", "table.xyz", "unsupported file type"),
])
def test_exit_2_for_bad_input_naming_the_file(tmp_path: Path, content: str | None, name: str, expect: str) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    code, out, err = run(str(path))
    assert code == 2 and out == ""
    assert str(path) in err and expect in err and "Traceback" not in err


def test_exit_2_for_an_empty_directory(tmp_path: Path) -> None:
    code, _, err = run(str(tmp_path))
    assert code == 2 and "no RDF or table files" in err


@pytest.mark.parametrize("args", [[], ["--format", "xml", "x.ttl"], ["--year", "year", "x.ttl"]])
def test_exit_2_for_bad_usage(args: list[str]) -> None:
    code, _, _ = run(*args)
    assert code == 2


# ---- the shapes as SPARQL inside a store (jixiao.validation.sparql) -------------------------------

def focus_by_shape(report: Graph) -> dict[str, set[str]]:
    table: dict[str, set[str]] = {}
    for result in report.objects(None, SH.result):
        table.setdefault(str(report.value(result, SH.sourceShape)), set()).add(str(report.value(result, SH.focusNode)))
    return table


def typed_store(data: Graph, where: Path) -> QueryBackend:
    """An embedded store holding the data with their types and the ontology, as ingest --store makes it."""
    path = where / "data.nt"
    path.write_text("".join(f"{s.n3()} {p.n3()} {o.n3()} .\n" for s, p, o in materialise_types(data)), encoding="utf-8")
    backend = open_backend(store=where / "store")
    store_graph_file(backend, "https://example.org/graph/data", read_ntriples(path), str(path))
    return backend


def test_validate_store_gives_the_report_of_validate_data(seed_path: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert CliRunner().invoke(ingest, [str(seed_path), "--store", str(store), "--quiet"]).exit_code == 0
    for fmt in ("json", "text"):
        from_data = run(str(seed_path), "--format", fmt)
        from_store = run("--store", str(store), "--format", fmt)
        assert from_store == from_data
    code, out, _ = run("--store", str(store), "--format", "ttl")
    report = Graph().parse(data=out, format="turtle")
    assert code == 1 and len(set(report.subjects(RDF.type, SH.ValidationResult))) == 50


def test_the_standard_target_path_and_closed_types_find_the_same(seed_path: Path, tmp_path: Path) -> None:
    backend = typed_store(load_graph([seed_path], with_ontology=False), tmp_path)
    assert types_are_closed(backend)
    by_path = {(str(v.check.shape), str(v.focus), str(v.value)) for v in violations(backend, compiled_checks(closed_types=False))}
    by_type = {(str(v.check.shape), str(v.focus), str(v.value)) for v in violations(backend, compiled_checks(closed_types=True))}
    backend.close()
    assert by_path == by_type and len(by_path) == 50


def test_a_store_whose_types_are_not_closed_is_validated_by_the_standard_path(tmp_path: Path) -> None:
    table = tmp_path / "t.md"
    table.write_text(render(corpus(4, seed=5, defects=0.6), damage=0.1, seed=5), encoding="utf-8")
    data = load_graph([table], with_ontology=False)  # asserted only: no entailed type at all
    backend = open_backend(store=tmp_path / "store")
    asserted = tmp_path / "asserted.nt"
    asserted.write_text("".join(f"{s.n3()} {p.n3()} {o.n3()} .\n" for s, p, o in data), encoding="utf-8")
    store_graph_file(backend, "https://example.org/graph/data", read_ntriples(asserted), str(asserted))
    assert not types_are_closed(backend)
    in_store = validate_store(backend)
    backend.close()
    # Standard SHACL on the same unreasoned data with the ontology: targets reach subclasses' instances.
    whole = load_graph([table])
    reference = run_pyshacl(whole)
    assert focus_by_shape(in_store.graph) == focus_by_shape(reference)
    assert focus_by_shape(reference)


DECLARED_SUBCLASS = """
@prefix jx: <https://w3id.org/jixiao/ontology#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix org: <http://www.w3.org/ns/org#> . @prefix ex: <https://example.org/declared/> .
ex:SpecialUnit rdfs:subClassOf ex:Special . ex:Special rdfs:subClassOf jx:BudgetUnit .
ex:special a ex:SpecialUnit ; rdfs:label "特设单位" .
ex:club a org:Organization ; rdfs:label "某协会" .
ex:p1 a jx:Project ; rdfs:label "项目甲" ; jx:declaredBy ex:club .
ex:p2 a jx:Project ; rdfs:label "项目乙" ; jx:declaredBy ex:special .
ex:y1 a jx:ProjectYear ; jx:yearOf ex:p1 ; jx:fiscalYear 2024 .
ex:y2 a jx:ProjectYear ; jx:yearOf ex:p2 ; jx:fiscalYear 2024 .
"""


def test_a_subclass_the_data_declare_counts_for_sh_class_on_every_route(tmp_path: Path) -> None:
    """sh:class is rdf:type/rdfs:subClassOf* in the data graph: a unit typed only with a class the data
    declare (two steps) below jx:BudgetUnit is one, project by project, on the whole graph and in a store
    (where the checks list the store's subclasses instead of walking the path)."""
    data = Graph().parse(data=DECLARED_SUBCLASS, format="turtle")
    whole = validate_graph(data, whole=True)
    assert {r.focus for r in whole.results if r.shape == "jxs:ProjectAgency"} == {"https://example.org/declared/y1"}
    assert validate_graph(data).results == whole.results
    backend = typed_store(data, tmp_path)
    try:
        in_store = validate_store(backend)
    finally:
        backend.close()
    assert in_store.results == whole.results


def test_max_count_in_a_store_finds_what_pyshacl_finds(tmp_path: Path) -> None:
    """sh:maxCount translated (distinct values counted per focus node) reports the years with two projects
    and two fiscal years, as pyshacl does, and no other."""
    data = Graph().parse(data=DECLARED_SUBCLASS + "ex:y1 jx:yearOf ex:p2 . ex:y2 jx:fiscalYear 2025 .", format="turtle")
    backend = typed_store(data, tmp_path)
    try:
        in_store = validate_store(backend)
    finally:
        backend.close()

    def max_count(report: Graph) -> set[tuple[str, str]]:
        return {(str(report.value(r, SH.sourceShape)), str(report.value(r, SH.focusNode))) for r in report.subjects(RDF.type, SH.ValidationResult)
                if report.value(r, SH.sourceConstraintComponent) == SH.MaxCountConstraintComponent}

    expected = max_count(validate_graph(data, whole=True).graph)
    assert {(shape.rpartition("#")[2], focus.rpartition("/")[2]) for shape, focus in expected} == {("YearOfOneObject", "y1"), ("ProjectFiscalYear", "y2")}
    assert max_count(in_store.graph) == expected


def test_validate_store_usage_errors(tmp_path: Path, seed_path: Path) -> None:
    for args in (["--store", str(tmp_path / "none")], [str(seed_path), "--store", str(tmp_path)], []):
        code, _, err = run(*args)
        assert code == 2 and "error:" in err, (args, err)


def test_a_shape_feature_without_translation_is_refused(tmp_path: Path) -> None:
    shapes = Graph()
    shapes.parse(data="""@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:closed true .""", format="turtle")
    with pytest.raises(UnsupportedShape, match="closed"):
        checks_of(shapes)


def test_self_evaluation_findings_are_grouped_under_the_evaluated_project(tmp_path: Path) -> None:
    """Every self-evaluation outcome that makes a check report is found under the project and unit the
    evaluation is of, by both routes (no "(no project)" group), beside the target table's results."""
    projects = corpus(len(OUTCOMES), seed=7, years=(2023,), defects=0.0)
    write_tables(tmp_path, render(projects), "targets.md")
    write_tables(tmp_path, render_evaluations(evaluation_corpus(projects, seed=7)), "evaluations.md")
    per_project = validate_paths([tmp_path / "targets.md", tmp_path / "evaluations.md"])
    on_evaluations = [r for r in per_project.results if "/evaluation/" in r.focus]
    assert {r.shape for r in on_evaluations} >= {"jxs:FullMarksWhileMissed", "jxs:EvaluationTotalIsSum", "jxs:RestatedTargetIsApproved"}
    named = {(p.agency, p.name) for p in projects}
    assert all((r.agency, r.project) in named for r in on_evaluations), [(r.agency, r.project, r.shape) for r in on_evaluations]
    assert "（不属于任何项目）" not in render_text(per_project)
    store = tmp_path / "store"
    assert CliRunner().invoke(ingest, [str(tmp_path), "--store", str(store), "--quiet"]).exit_code == 0
    backend = open_backend(store=store, read_only=True)
    try:
        assert validate_store(backend).results == per_project.results
    finally:
        backend.close()


NOT_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <https://example.org/not/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:Full a sh:NodeShape ;
    sh:property [ sh:path ex:unit ; sh:hasValue ex:Percent ] ,
        [ sh:path ex:comparator ; sh:minCount 1 ; sh:in ( ex:AtLeast ex:Above ) ] ,
        [ sh:path ex:number ; sh:minCount 1 ; sh:minInclusive 100 ; sh:maxInclusive 100 ] .
ex:NotFull a sh:PropertyShape ; sh:targetClass ex:Indicator ; sh:path ex:target ; sh:not ex:Full .
ex:OutOfRange a sh:PropertyShape ; sh:targetClass ex:Indicator ; sh:path ex:target ;
    sh:not [ sh:property [ sh:path ex:number ; sh:minCount 1 ; sh:not [ sh:minInclusive 0 ; sh:maxInclusive 100 ] ] ] .
ex:NotTagged a sh:NodeShape ; sh:targetClass ex:Indicator ;
    sh:not [ sh:path ( [ sh:inversePath ex:about ] ex:kind ) ; sh:hasValue ex:Skip ] .
ex:NotBareWord a sh:PropertyShape ; sh:targetClass ex:Indicator ; sh:path ( ex:target ex:text ) ;
    sh:not [ sh:pattern "^(提高|增加)$" ] .
ex:NotOptionalWithin a sh:PropertyShape ; sh:targetClass ex:Indicator ; sh:path ex:target ;
    sh:not [ sh:property [ sh:path ex:number ; sh:minCount 0 ; sh:datatype xsd:integer ] ] .
ex:NotTyped a sh:PropertyShape ; sh:targetClass ex:Indicator ; sh:path ex:target ;
    sh:not [ sh:property [ sh:path ex:unit ; sh:class ex:Unit ] ] .
"""

NOT_DATA = """
@prefix ex: <https://example.org/not/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:Meter a ex:Unit .
ex:i1 a ex:Indicator ; ex:target ex:t1 . ex:t1 ex:unit ex:Percent ; ex:comparator ex:AtLeast ; ex:number 100 .
ex:i2 a ex:Indicator ; ex:target ex:t2 . ex:t2 ex:unit ex:Percent ; ex:comparator ex:AtLeast, ex:Equal ; ex:number 100 .
ex:i3 a ex:Indicator ; ex:target ex:t3 . ex:t3 ex:unit ex:Percent ; ex:number 100 .
ex:i4 a ex:Indicator ; ex:target ex:t4 . ex:t4 ex:unit ex:Percent, ex:Meter ; ex:comparator ex:Above ; ex:number 100, 100.0 .
ex:i5 a ex:Indicator ; ex:target ex:t5 . ex:t5 ex:unit ex:Percent ; ex:comparator ex:Above ; ex:number 100, 99 .
ex:i6 a ex:Indicator ; ex:target ex:t6 . ex:t6 ex:unit ex:Percent ; ex:comparator ex:Above ; ex:number "100" .
ex:i7 a ex:Indicator ; ex:target ex:t7, ex:t1 . ex:t7 ex:number 120, 50 ; ex:text "提高" .
ex:i8 a ex:Indicator ; ex:target ex:t8 . ex:t8 ex:number -1 ; ex:text "有效提高" ; ex:unit ex:Meter .
ex:i9 a ex:Indicator ; ex:target ex:t9 . ex:t9 ex:number "abc" ; ex:unit ex:Percent .
ex:n1 ex:about ex:i9 ; ex:kind ex:Skip . ex:n2 ex:about ex:i8 ; ex:kind ex:Other .
"""


def test_sh_not_of_a_conjunction_finds_what_pyshacl_finds(tmp_path: Path) -> None:
    """sh:not of a nested shape made of requirements at paths (hasValue, minCount, value constraints,
    nested properties) and on the node, translated as joins and MINUS (`_Compiler.conforming`) or,
    with sh:class inside, as flags: the same focus nodes and values as pyshacl, on values with
    several numbers, comparators and units, a number that is not comparable, none at all."""
    shapes = Graph().parse(data=NOT_SHAPES, format="turtle")
    data = Graph().parse(data=NOT_DATA, format="turtle")
    _conforms, report, _text = pyshacl.validate(data, shacl_graph=shapes, inference="none")
    expected = {(str(report.value(r, SH.sourceShape)), str(report.value(r, SH.focusNode)), str(report.value(r, SH.value)))
                for r in report.subjects(RDF.type, SH.ValidationResult)}
    backend = typed_store(data, tmp_path)
    try:
        found = {(str(v.check.shape), str(v.focus), str(v.value)) for v in violations(backend, checks_of(shapes, closed_types=True))}
    finally:
        backend.close()
    assert found == expected
    by_shape = {(shape.rpartition("/")[2], focus.rpartition("/")[2]) for shape, focus, _value in expected}
    # i2: a comparator outside the list; i3: none; i5: 99 beside 100; i6, i9: a number that is no number
    # (not comparable, so out of range); i4: 100.0 is no integer; t7 (i7): no unit, so none untyped.
    assert by_shape == {("NotFull", "i1"), ("NotFull", "i4"), ("NotFull", "i7"), ("OutOfRange", "i6"), ("OutOfRange", "i8"),
                        ("OutOfRange", "i9"), ("NotTagged", "i9"), ("NotBareWord", "i7"),
                        *(("NotOptionalWithin", i) for i in ("i1", "i2", "i3", "i5", "i7", "i8")), ("NotTyped", "i7"), ("NotTyped", "i8")}, by_shape


def test_sh_not_of_a_conjunction_is_joined_not_flagged() -> None:
    """The conjunction under sh:not keeps the rows by joins and MINUS, one hash join each over the rows
    left, instead of left-joining one flag a requirement to every row and filtering after; with a
    sh:class inside (a test that is a pattern of its own) it stays an expression over flags."""
    queries = {str(check.shape).rpartition("/")[2]: check.query for check in checks_of(Graph().parse(data=NOT_SHAPES, format="turtle"))}
    for name in ("NotFull", "OutOfRange", "NotTagged", "NotBareWord", "NotOptionalWithin"):
        assert "OPTIONAL" not in queries[name] and "BOUND" not in queries[name], queries[name]
    assert queries["NotFull"].count("MINUS") == 3 and queries["NotFull"].count("SELECT DISTINCT ?value") == 3
    assert "OPTIONAL" in queries["NotTyped"]


COUNT_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <https://example.org/count/> .
ex:OneTarget a sh:PropertyShape ; sh:targetClass ex:Indicator ; sh:path ex:target ; sh:minCount 1 ; sh:maxCount 1 ;
    sh:node [ sh:property [ sh:path ex:number ; sh:minCount 1 ] ] .
ex:TwoOrThreeNotes a sh:PropertyShape ; sh:targetClass ex:Indicator ; sh:path ( ex:target ex:note ) ; sh:minCount 2 .
ex:AtMostThreeNotes a sh:PropertyShape ; sh:targetClass ex:Indicator ; sh:path ( ex:target ex:note ) ; sh:maxCount 3 .
ex:OneName a sh:PropertyShape ; sh:targetClass ex:Indicator ; sh:path ex:name ; sh:minCount 1 .
"""

COUNT_DATA = """
@prefix ex: <https://example.org/count/> .
ex:i0 a ex:Indicator ; ex:name "zero targets" .
ex:i1 a ex:Indicator ; ex:target ex:t1 . ex:t1 ex:number 1 ; ex:note "a", "b" .
ex:i2 a ex:Indicator ; ex:name "two targets" ; ex:target ex:t1, ex:t2 . ex:t2 ex:note "b", "c", "d" .
ex:i3 a ex:Indicator ; ex:target ex:t3 . ex:t3 ex:number 3 ; ex:note "a" .
ex:i4 a ex:Indicator ; ex:name "four notes" ; ex:target ex:t4 . ex:t4 ex:number 4 ; ex:note "a", "b", "c", "d" .
ex:t1 ex:number 1 .
"""


@pytest.mark.parametrize("closed", [True, False], ids=["rdf:type", "type path"])
def test_count_checks_of_one_target_and_path_are_one_query_with_the_same_violations(tmp_path: Path, closed: bool) -> None:
    """sh:minCount and sh:maxCount on the same focus nodes and path (in one shape or in several) are
    asked as one query whose rows name the check each focus node breaks: the same violations as each
    check's own query and as pyshacl, on data breaking each bound (none, one and two values; two,
    four and one values along a sequence path); a single count check and the rest keep their own query."""
    shapes = Graph().parse(data=COUNT_SHAPES, format="turtle")
    data = Graph().parse(data=COUNT_DATA, format="turtle")
    queries = queries_of(shapes, closed_types=closed)
    groups = [q for q in queries if isinstance(q, Grouped)]
    assert sorted(sorted(str(c.shape).rpartition("/")[2] + " " + str(c.parameter[0]).rpartition("#")[2] for c in g.checks)
                  for g in groups) == [["AtMostThreeNotes maxCount", "TwoOrThreeNotes minCount"], ["OneTarget maxCount", "OneTarget minCount"]]
    assert len(queries) == len(checks_of(shapes, closed_types=closed)) - 2  # the node check and OneName alone
    _conforms, report, _text = pyshacl.validate(data, shacl_graph=shapes, inference="none")
    expected = {(str(report.value(r, SH.sourceShape)), str(report.value(r, SH.sourceConstraintComponent)), str(report.value(r, SH.focusNode)))
                for r in report.objects(None, SH.result)}  # the report's own results (not sh:node's details)
    backend = typed_store(data, tmp_path)
    try:
        separate = [(str(v.check.shape), str(v.check.component), str(v.focus), v.value) for v in violations(backend, checks_of(shapes, closed_types=closed))]
        grouped = [(str(v.check.shape), str(v.check.component), str(v.focus), v.value) for v in violations(backend, queries)]
    finally:
        backend.close()
    assert sorted(grouped, key=repr) == sorted(separate, key=repr)  # the same violations
    assert [v[:2] for v in grouped] == [v[:2] for v in separate]  # in the checks' order (within a check, the store's)
    assert {(shape, component, focus) for shape, component, focus, _value in grouped} == expected
    broken = {(s.rpartition("/")[2], c.rpartition("#")[2].removesuffix("ConstraintComponent"), f.rpartition("/")[2]) for s, c, f in expected}
    assert broken == {("OneTarget", "MinCount", "i0"), ("OneTarget", "MaxCount", "i2"), ("OneTarget", "Node", "i2"),
                      ("TwoOrThreeNotes", "MinCount", "i0"), ("TwoOrThreeNotes", "MinCount", "i3"),
                      ("AtMostThreeNotes", "MaxCount", "i2"), ("AtMostThreeNotes", "MaxCount", "i4"),
                      ("OneName", "MinCount", "i1"), ("OneName", "MinCount", "i3")}, broken


def test_the_shapes_count_checks_are_grouped_by_target_and_path() -> None:
    """The shipped shapes' sh:minCount/sh:maxCount pairs on one path are one query each, every check still sent once."""
    queries = compiled_queries(closed_types=True)
    sent = [c for q in queries for c in (q.checks if isinstance(q, Grouped) else (q,))]
    assert sorted(map(repr, sent)) == sorted(map(repr, compiled_checks(closed_types=True)))
    grouped = {str(c.shape).rpartition("#")[2] for q in queries if isinstance(q, Grouped) for c in q.checks}
    assert {"IndicatorTarget", "IndicatorCategory"} <= grouped


VALUE_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <https://example.org/value/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:Known a sh:NodeShape ; sh:property [ sh:path ex:inScheme ; sh:hasValue ex:Scheme ] .
ex:KnownCategory a sh:PropertyShape ; sh:targetClass ex:Indicator ; sh:path ex:category ; sh:node ex:Known .
ex:ListedUnit a sh:PropertyShape ; sh:targetClass ex:Indicator ; sh:path ( ex:target ex:unit ) ; sh:in ( ex:Percent ex:Yuan ) .
ex:Number a sh:PropertyShape ; sh:targetClass ex:Indicator ; sh:path ( ex:target ex:number ) ; sh:datatype xsd:decimal .
ex:NotItsName a sh:PropertyShape ; sh:targetClass ex:Indicator ; sh:path ( ex:target ex:text ) ; sh:disjoint ex:name .
"""

VALUE_DATA = """
@prefix ex: <https://example.org/value/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:c1 ex:inScheme ex:Scheme . ex:c2 ex:inScheme ex:Other .
ex:i1 a ex:Indicator ; ex:name "ok" ; ex:category ex:c1 ; ex:target ex:t1 . ex:t1 ex:unit ex:Percent ; ex:number 1.5 ; ex:text "90%" .
ex:i2 a ex:Indicator ; ex:name "名" ; ex:category ex:c1, ex:c2 ; ex:target ex:t2 . ex:t2 ex:unit ex:Meter ; ex:number "1.5" ; ex:text "名" .
ex:x1 a ex:Goal ; ex:name "名" ; ex:category ex:c2 ; ex:target ex:t2 .
"""


def test_a_value_constraint_finds_the_failing_values_first_and_keeps_the_focus_nodes_only(tmp_path: Path) -> None:
    """A constraint on each value at a path (sh:node, sh:in, sh:datatype, sh:disjoint) is asked as the failing
    values of every subject of the path, then joined with the focus nodes: the same violations as pyshacl,
    and none for a subject that is no focus node (x1, a goal with the same failing values as i2)."""
    shapes = Graph().parse(data=VALUE_SHAPES, format="turtle")
    data = Graph().parse(data=VALUE_DATA, format="turtle")
    checks = checks_of(shapes, closed_types=True)
    for check in checks:  # the failing values' sub-SELECT, then the focus nodes
        assert check.query.index("SELECT ?this ?value WHERE") < check.query.index("<https://example.org/value/Indicator>"), check.query
    _conforms, report, _text = pyshacl.validate(data, shacl_graph=shapes, inference="none")
    expected = {(str(report.value(r, SH.sourceShape)), str(report.value(r, SH.focusNode)), str(report.value(r, SH.value)))
                for r in report.objects(None, SH.result)}
    backend = typed_store(data, tmp_path)
    try:
        found = {(str(v.check.shape), str(v.focus), str(v.value)) for v in violations(backend, checks)}
    finally:
        backend.close()
    assert found == expected
    assert {(s.rpartition("/")[2], f.rpartition("/")[2]) for s, f, _v in found} == {
        ("KnownCategory", "i2"), ("ListedUnit", "i2"), ("Number", "i2"), ("NotItsName", "i2")}
