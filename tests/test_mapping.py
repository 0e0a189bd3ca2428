"""Mapping to RDF: deterministic and stable IRIs, one project across years, and nothing of the input lost."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS, XSD

from jixiao.graph.mapping import (
    document_graph,
    goal_iri,
    indicator_iri,
    indicator_iris,
    plan_iri,
    plan_year_iri,
    project_iri,
    project_year_iri,
)
from jixiao.namespaces import JX, ORG
from jixiao.queries.library import library, run
from jixiao.reading.normalize import normalize
from jixiao.reading.readers import read_file
from jixiao.reading.records import DEPARTMENT, BudgetPart, DocumentRecord, GoalRecord, IndicatorRecord, NamedUnit, ProjectRecord
from jixiao.reading.values import parse_value
from jixiao.stores import MemoryBackend
from jixiao.synthetic import corpus, render
from jixiao.vocabulary import load_ontology_graph


def ingest(path: Path, base: str = "https://example.org/kg/", year: int | None = None) -> Graph:
    return document_graph(normalize(read_file(path), year), base)


def test_same_table_twice_gives_the_same_graph(seed_path: Path, tmp_path: Path) -> None:
    copy = tmp_path / "elsewhere" / "copy.txt"
    copy.parent.mkdir()
    copy.write_bytes(seed_path.read_bytes())
    first, second = ingest(seed_path), ingest(seed_path)
    assert isomorphic(first, second)
    assert set(first) == set(second)  # no blank nodes: the very same triples
    # The file's place on disk does not change any IRI.
    assert {s for s in first.subjects()} == {s for s in ingest(copy).subjects()}


def test_base_iri_is_configurable(seed_path: Path) -> None:
    graph = ingest(seed_path, base="https://data.example.cn/budget")
    subjects = {str(s) for s in graph.subjects(RDF.type, JX.Project)}
    assert len(subjects) == 7 and all(s.startswith("https://data.example.cn/budget/project/") for s in subjects)


def test_year_is_recorded_or_its_absence_said(seed_path: Path) -> None:
    with_year = ingest(seed_path, year=2025)
    assert set(with_year.objects(None, JX.fiscalYear)) == {Literal("2025", datatype=XSD.gYear)}
    without = ingest(seed_path)
    assert not set(without.objects(None, JX.fiscalYear))
    assert len(set(without.subjects(JX.noteKind, JX.FiscalYearNotStated))) == 7


def test_year_in_title_is_read(tmp_path: Path) -> None:
    table = tmp_path / "t.md"
    table.write_text(render(corpus(2, years=(2023,), defects=0.0)), encoding="utf-8")
    assert set(ingest(table).objects(None, JX.fiscalYear)) == {Literal("2023", datatype=XSD.gYear)}


def _literals(graph: Graph) -> list[str]:
    return [str(o) for o in graph.objects() if isinstance(o, Literal)]


def assert_every_cell_found(path: Path) -> None:
    """Each non-empty cell is a literal of the graph or lies in a source row's raw text
    that some entity of the graph points to (jx:sourceRow or a note's jx:atRow)."""
    graph = ingest(path)
    literals = set(_literals(graph))
    referenced = set(graph.objects(None, JX.sourceRow)) | set(graph.objects(None, JX.atRow))
    provenance = [str(graph.value(row, JX.rawText)) for row in referenced]
    missing = []
    for line in read_file(path).lines:
        for cell in line.cells or (line.text,):
            cell = cell.strip()
            if cell and cell not in literals and not any(cell in raw for raw in provenance):
                missing.append((line.number, cell))
    assert not missing
    # And each line of the file is a source row referenced from the data.
    numbers = {int(graph.value(row, JX.lineNumber)) for row in referenced}
    assert numbers == {line.number for line in read_file(path).lines}


def test_every_cell_of_the_seed_is_in_the_graph(seed_path: Path) -> None:
    assert_every_cell_found(seed_path)


@pytest.mark.parametrize("damage", [0.0, 0.5])
def test_every_cell_of_generated_tables_is_in_the_graph(tmp_path: Path, damage: float) -> None:
    table = tmp_path / "generated.md"
    table.write_text(render(corpus(12, defects=0.3), damage=damage, seed=3), encoding="utf-8")
    assert_every_cell_found(table)


def test_indicator_values_typed_and_categories_asserted(seed_path: Path) -> None:
    graph = ingest(seed_path)
    values = list(graph.objects(None, JX.numericValue))
    assert values and all(v.datatype == XSD.decimal for v in values)
    indicators = set(graph.subjects(JX.category, None))
    assert len(indicators) == 92
    for indicator in indicators:
        assert (indicator, RDF.type, graph.value(indicator, JX.category)) in graph
    assert all(isinstance(o, URIRef) for o in graph.objects(None, JX.basis))


# ---------------------------------------------------------------------------------------------
# Records of other templates, built directly: department-wide plans, programmes, named units,
# budget parts, descriptions, last year's actuals, columns kept as data, partial data
# ---------------------------------------------------------------------------------------------

BASE = "https://example.org/kg/"


def _indicator(name: str, stated: str, position: int, category: bool = True, **extra: object) -> IndicatorRecord:
    level1, level2 = (JX.OutputIndicator, JX.QuantityIndicator) if category else (None, None)
    return IndicatorRecord(name, level1, level2, None, None, parse_value(stated), None, None, [10 + position],
                           position=position, **extra)  # type: ignore[arg-type]


def _document() -> DocumentRecord:
    """Two projects of one unit (one with no budget and an indicator with no category), a
    department-wide plan of the same unit, and units named in roles (one of them on no project)."""
    rich = ProjectRecord(
        name="主体班次培训", agency="某市委党校", agency_code="015001", year=2022, budget=Decimal(1640000),
        budget_stated="164", programme="干部教育培训", lines=[1],
        units=[NamedUnit("DeclaringUnit", "某市委党校", "015001", 2), NamedUnit("SupervisingDepartment", "某市委组织部", None, 3),
               NamedUnit("ImplementingUnit", "某市委党校", None, 4)],
        budget_parts=[BudgetPart("当年市级财政资金", "132", Decimal(1320000), 5), BudgetPart("其他资金", "32", Decimal(320000), 6)],
        goals=[GoalRecord("annual", 1, indicators=[
            _indicator("培训人次", "280人次", 1, description="反映全年培训规模", previous=parse_value("260人次"), previous_year=2021,
                       extra={"ScoreColumn": "10", "ScoringRuleColumn": "未达指标值酌情扣分"}),
            _indicator("开班周期", "2022年3月--2022年11月", 2),
            _indicator("培训天数", "1-3天", 3),
        ])])
    partial = ProjectRecord(name="无预算项目", agency="某市委党校", year=2022, lines=[20],
                            units=[NamedUnit("ImplementingUnit", "某街道办事处", None, 21)],
                            goals=[GoalRecord("annual", 1, indicators=[_indicator("无类别指标", "=5人", 1, category=False)])])
    plan = ProjectRecord(kind=DEPARTMENT, agency="某市委党校", year=2022, budget=Decimal(8827620), lines=[30],
                         goals=[GoalRecord("annual", 1, indicators=[_indicator("培训覆盖面", "≥95%", 1),
                                                                    _indicator("履职效能", "有效提升", 2, category=False)])])
    lines = {n: f"line {n}" for n in (1, 2, 3, 4, 5, 6, 11, 12, 13, 20, 21, 11 + 20, 30, 31, 32)}
    return DocumentRecord("t.md", "t.md", "utf-8", "ab" * 32, lines, [rich, partial, plan])


@pytest.fixture(scope="module")
def records_graph() -> Graph:
    return document_graph(_document(), BASE)


def test_department_plan_is_a_plan_of_the_unit_not_a_project(records_graph: Graph) -> None:
    plans = list(records_graph.subjects(RDF.type, JX.DepartmentPlan))
    assert len(plans) == 1 and (plans[0], RDF.type, JX.Project) not in records_graph
    assert plans == [plan_iri(BASE, "某市委党校")] and "/plan/" in str(plans[0])
    agency = records_graph.value(plans[0], JX.declaredBy)
    assert str(records_graph.value(agency, RDFS.label)) == "某市委党校"
    years = list(records_graph.subjects(JX.yearOf, plans[0]))
    assert years == [plan_year_iri(BASE, "某市委党校", 2022)] and (years[0], RDF.type, JX.PlanYear) in records_graph
    assert len(list(records_graph.objects(years[0], JX.hasGoal))) == 1
    assert not list(records_graph.objects(plans[0], JX.hasGoal))  # the goals are the year's


def test_every_named_unit_once_with_its_role_and_code(records_graph: Graph) -> None:
    units = {str(records_graph.value(u, RDFS.label)): u for u in records_graph.subjects(RDF.type, ORG.Organization)}
    assert set(units) == {"某市委党校", "某市委组织部", "某街道办事处"}  # once per name, a unit on no project's budget too
    project = next(records_graph.subjects(RDFS.label, Literal("主体班次培训")))
    year = project_year_iri(BASE, "某市委党校", "主体班次培训", 2022)
    # The declaring unit is the project's (it is part of what the project is), once; the other
    # roles are what the year's table names.
    assert set(records_graph.objects(project, JX.declaredBy)) == {units["某市委党校"]}
    assert not list(records_graph.objects(year, JX.declaredBy))
    assert (year, JX.supervisedBy, units["某市委组织部"]) in records_graph
    assert (year, JX.implementedBy, units["某市委党校"]) in records_graph
    assert (units["某市委党校"], ORG.identifier, Literal("015001")) in records_graph
    programme = records_graph.value(year, JX.programme)
    assert (programme, RDF.type, JX.Programme) in records_graph and str(records_graph.value(programme, RDFS.label)) == "干部教育培训"


def test_budget_parts_description_previous_actual_and_extra_columns(records_graph: Graph) -> None:
    year = project_year_iri(BASE, "某市委党校", "主体班次培训", 2022)
    parts = {str(records_graph.value(p, RDFS.label)): p for p in records_graph.objects(year, JX.budgetPart)}
    assert set(parts) == {"当年市级财政资金", "其他资金"}
    assert records_graph.value(parts["其他资金"], JX.amount) == Literal(Decimal(320000), datatype=XSD.decimal)
    assert str(records_graph.value(parts["其他资金"], JX.statedAmount)) == "32"
    indicator = next(records_graph.subjects(RDFS.label, Literal("培训人次")))
    assert str(records_graph.value(indicator, JX.description)) == "反映全年培训规模"
    previous = records_graph.value(indicator, JX.previousActual)
    assert (previous, RDF.type, JX.ActualValue) in records_graph
    assert records_graph.value(previous, JX.valueYear) == Literal("2021", datatype=XSD.gYear)
    assert records_graph.value(previous, JX.numericValue) == Literal(Decimal(260), datatype=XSD.decimal)
    assert records_graph.value(indicator, JX.target) != previous
    columns = {records_graph.value(c, JX.columnRole): str(records_graph.value(c, JX.cellText))
               for c in records_graph.objects(indicator, JX.columnValue)}
    # Column-role concepts are the forms vocabulary's (ontology/forms.ttl), named by the reader.
    assert columns == {URIRef(f"{JX!s}ScoreColumn"): "10", URIRef(f"{JX!s}ScoringRuleColumn"): "未达指标值酌情扣分"}


def test_comparator_not_written_periods_and_ranges(records_graph: Graph) -> None:
    def target(name: str) -> URIRef:
        return records_graph.value(next(records_graph.subjects(RDFS.label, Literal(name))), JX.target)

    implied = target("培训人次")
    assert records_graph.value(implied, JX.comparator) == JX.Equal
    assert records_graph.value(implied, JX.comparatorStated) == Literal(False)
    assert records_graph.value(target("培训覆盖面"), JX.comparatorStated) == Literal(True)
    period = target("开班周期")
    assert (period, RDF.type, JX.PeriodTarget) in records_graph and (period, RDF.type, JX.QuantitativeTarget) not in records_graph
    assert records_graph.value(period, JX.periodStart) == Literal("2022-03", datatype=XSD.gYearMonth)
    assert records_graph.value(period, JX.periodEnd) == Literal("2022-11", datatype=XSD.gYearMonth)
    span = target("培训天数")
    assert records_graph.value(span, JX.comparator) == JX.Between
    assert (records_graph.value(span, JX.numericValue), records_graph.value(span, JX.upperValue)) == (
        Literal(Decimal(1), datatype=XSD.decimal), Literal(Decimal(3), datatype=XSD.decimal))


def test_composed_units_are_declared_once_as_shared_units() -> None:
    value = parse_value("≥1次/月")
    record = ProjectRecord(name="巡查", agency="某局", lines=[1], goals=[GoalRecord("annual", 1, indicators=[
        IndicatorRecord("巡查频次", JX.OutputIndicator, JX.QuantityIndicator, None, None, value, None, None, [2], position=1)])])
    graph = document_graph(DocumentRecord("r.md", "r.md", "utf-8", "cd" * 32, {1: "a", 2: "b"}, [record]), BASE)
    unit = graph.value(next(graph.subjects(JX.comparator, JX.GreaterOrEqual)), JX.unit)
    assert str(unit).startswith(f"{BASE}unit/")  # shared across files like units kept as written
    assert str(graph.value(unit, RDFS.label)) == "次/月" and graph.value(unit, JX.quantityKind) == JX.Frequency


def test_record_iris_are_deterministic() -> None:
    first, second = document_graph(_document(), BASE), document_graph(_document(), BASE)
    assert set(first) == set(second)


def _query_rows(graph: Graph, name: str, **params: str) -> list[dict[str, object]]:
    result = run(library()[name], MemoryBackend(graph), params)
    return [{k: (v.toPython() if v is not None else None) for k, v in row.items()} for row in result.rows]


@pytest.fixture(scope="module")
def records_with_ontology(records_graph: Graph) -> Graph:
    graph = Graph()
    graph += records_graph
    graph += load_ontology_graph()
    return graph


@pytest.mark.parametrize("name", sorted(library()))
def test_every_named_query_runs_on_partial_data(records_with_ontology: Graph, name: str) -> None:
    """No category, no budget, a unit on no project, a department-wide plan: every query answers."""
    params = {"text": "指标"} if "text" in library()[name].params else {}
    _query_rows(records_with_ontology, name, **params)


def test_plans_are_counted_apart_from_projects(records_with_ontology: Graph) -> None:
    projects = _query_rows(records_with_ontology, "projects")
    assert sorted(str(r["project"]) for r in projects) == ["主体班次培训", "无预算项目"]
    uncategorised = next(r for r in projects if r["project"] == "无预算项目")
    assert (uncategorised["indicators"], uncategorised["output"], uncategorised["budget"]) == (1, 0, None)
    assert [(r["agency"], r["projects"]) for r in _query_rows(records_with_ontology, "budget-by-unit")] == [("某市委党校", 2)]
    plans = _query_rows(records_with_ontology, "department-plans")
    assert [(r["agency"], r["indicators"], r["output"]) for r in plans] == [("某市委党校", 2, 1)]


# ---------------------------------------------------------------------------------------------
# Stable IRIs (issue 10): from what a table declares, not from where a row stands
# ---------------------------------------------------------------------------------------------

QUERIES_FIXTURE = Path(__file__).resolve().parent / "fixtures" / "queries"
NEW_ROW = "|  | 产出指标 | 数量指标 | 培训班次 | ≥10期 | 计划标准 |"


def _indicators_by_place(graph: Graph) -> dict[tuple[str, str, str], URIRef]:
    """Every indicator IRI by (project-year, goal, name): where it is in the tables' own words."""
    found = {}
    for year in graph.subjects(RDF.type, JX.ProjectYear):
        for goal in graph.objects(year, JX.hasGoal):
            for indicator in graph.objects(goal, JX.hasIndicator):
                place = (str(year), str(goal), str(graph.value(indicator, RDFS.label)))
                assert place not in found
                found[place] = indicator
    return found


def test_inserting_a_row_above_an_indicator_changes_no_other_iri(tmp_path: Path) -> None:
    text = (QUERIES_FIXTURE / "2023.md").read_text(encoding="utf-8")
    lines = text.splitlines()
    edited = [row for line in lines for row in ((NEW_ROW, line) if "| 培训人数 |" in line else (line,))]
    assert len(edited) > len(lines)  # a row went in above an indicator of every goal
    before_path, after_path = tmp_path / "before.md", tmp_path / "after.md"
    before_path.write_text(text, encoding="utf-8")
    after_path.write_text("\n".join(edited) + "\n", encoding="utf-8")
    before_graph, after_graph = ingest(before_path), ingest(after_path)
    before, after = _indicators_by_place(before_graph), _indicators_by_place(after_graph)
    added = {place for place in after if place[2] == "培训班次"}
    assert set(after) - set(before) == added and added
    moved = [place for place, iri in before.items() if after[place] != iri]
    assert not moved
    # The positions did move: the IRI no longer says where a row stood, jx:position does.
    shifted = [iri for iri in before.values() if before_graph.value(iri, JX.position) != after_graph.value(iri, JX.position)]
    assert len(shifted) >= 8


def _goal_of(indicators: list[IndicatorRecord]) -> ProjectRecord:
    return ProjectRecord(name="巡查", agency="某局", year=2024, lines=[1], goals=[GoalRecord("annual", 1, indicators=indicators)])


def _named(name: str, position: int, level2: URIRef = JX.QuantityIndicator, level2_text: str | None = None) -> IndicatorRecord:
    level1 = JX.OutputIndicator if level2 != JX.SatisfactionIndicator else JX.SatisfactionIndicator
    return IndicatorRecord(name, level1, None if level2_text else level2, None, level2_text, parse_value("=1次"), None, None,
                           [position + 1], position=position)


def test_same_name_in_the_same_place_is_numbered_among_its_namesakes_only() -> None:
    goal = URIRef(f"{BASE}goal")
    first = [_named("巡查次数", 1), _named("巡查次数", 2), _named("覆盖率", 3)]
    # Another indicator above them all, and another 巡查次数 under another category: none of the
    # first ones is renumbered.
    second = [_named("新指标", 1), _named("巡查次数", 2, JX.QualityIndicator), _named("巡查次数", 3), _named("巡查次数", 4),
              _named("覆盖率", 5)]
    before, after = indicator_iris(goal, first), indicator_iris(goal, second)
    assert len(set(before)) == 3 and str(before[1]) == f"{before[0]}-2"
    assert after[2:] == before
    assert after[1] != before[0]
    # Unrecognised categories take part as written (normalised like names).
    assert indicator_iris(goal, [_named("x", 1, level2_text="专项指标")]) != indicator_iris(goal, [_named("x", 1, level2_text="其他指标")])
    assert indicator_iris(goal, [_named("Ｘ ", 1)]) == indicator_iris(goal, [_named("x", 1)])


def test_budget_parts_keep_their_iris_when_one_is_inserted_above() -> None:
    def year_parts(parts: list[BudgetPart]) -> dict[str, URIRef]:
        record = _goal_of([_named("巡查次数", 1)])
        record.budget_parts = parts
        graph = document_graph(DocumentRecord("b.md", "b.md", "utf-8", "ef" * 32, {1: "a", 2: "b"}, [record]), BASE)
        year = project_year_iri(BASE, "某局", "巡查", 2024)
        return {str(graph.value(p, RDFS.label)): p for p in graph.objects(year, JX.budgetPart)}

    other = BudgetPart("其他资金", "32", Decimal(320000), 6)
    before = year_parts([other])
    after = year_parts([BudgetPart("财政拨款", "100", Decimal(1000000), 5), other])
    assert before["其他资金"] == after["其他资金"] and len(after) == 2


def test_the_minting_functions_reach_the_mapper_s_iris(records_graph: Graph) -> None:
    project = project_iri(BASE, "某市委党校", "主体班次培训")
    year = project_year_iri(BASE, "某市委党校", "主体班次培训", 2022)
    assert (project, RDF.type, JX.Project) in records_graph and (year, JX.yearOf, project) in records_graph
    goal = goal_iri(year, "annual", 1)
    assert (year, JX.hasGoal, goal) in records_graph
    indicator = indicator_iri(goal, "培训人次", JX.OutputIndicator, JX.QuantityIndicator)
    assert (goal, JX.hasIndicator, indicator) in records_graph
    assert str(records_graph.value(indicator, RDFS.label)) == "培训人次"
    # Full-width and spaced spellings of the same names reach the same resources.
    assert project_iri(BASE, "某市委党校 ", "主体班次培训") == project and project_iri(BASE.rstrip("/"), "某市委党校", "主体班次培训") == project


def test_a_project_is_one_resource_across_years() -> None:
    graph = Graph()
    for path in sorted(QUERIES_FIXTURE.glob("*.md")):
        graph += ingest(path)
    project = project_iri("https://example.org/kg/", "黄石市人力资源和社会保障局", "职业技能培训")
    assert list(graph.subjects(RDFS.label, Literal("职业技能培训"))) == [project]
    years = {str(graph.value(y, JX.fiscalYear)): y for y in graph.subjects(JX.yearOf, project)}
    assert set(years) == {"2023", "2024"}
    assert all((y, RDF.type, JX.ProjectYear) in graph for y in years.values())
    # The yearly facts are the year's: budget, goals; the project says only what it is.
    assert {year: graph.value(y, JX.budget).toPython() for year, y in years.items()} == {"2023": Decimal(1000000), "2024": Decimal(1200000)}
    assert {p for p, _ in graph.predicate_objects(project)} == {RDF.type, RDFS.label, JX.declaredBy}


def test_a_table_without_a_year_and_a_repeated_table_are_years_of_their_own(seed_path: Path) -> None:
    graph = ingest(seed_path)
    years = set(graph.subjects(RDF.type, JX.ProjectYear))
    assert len(years) == 7 and all(str(y).endswith("/year/unstated") for y in years)
    assert len(set(graph.objects(None, JX.yearOf))) == 7
    twice = DocumentRecord("d.md", "d.md", "utf-8", "12" * 32, {1: "a", 2: "b"}, [_goal_of([_named("巡查次数", 1)]),
                                                                                  _goal_of([_named("巡查次数", 1)])])
    repeated = set(document_graph(twice, BASE).subjects(JX.yearOf, project_iri(BASE, "某局", "巡查")))
    first = project_year_iri(BASE, "某局", "巡查", 2024)
    assert repeated == {first, URIRef(f"{first}-2")}
