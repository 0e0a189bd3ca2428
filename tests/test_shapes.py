"""Each SHACL shape, on data that passes it and data that fails it.

The passing data is one clean, well-formed project table (built here with jixiao.synthetic and
ingested through the real pipeline); each case changes that project's graph with a SPARQL Update
so that one rule is broken (or, for `fires=False`, brought to the edge of the rule without
breaking it) and checks what the shape reports. The same cases, each under its own base IRI,
make the graph test_shacl_crosscheck.py gives to the independent validator.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS

from jixiao.graph.mapping import document_graph
from jixiao.namespaces import SH
from jixiao.reading.normalize import normalize
from jixiao.reading.readers import read_bytes
from jixiao.synthetic import Project, Row, render
from jixiao.validation import shape_files, shapes_graph, validate_graph

JXS = Namespace("https://w3id.org/jixiao/shapes#")
DCTERMS = Namespace("http://purl.org/dc/terms/")

ROWS = [
    Row("成本指标", "经济成本指标", "培训人均成本", "=1000元/人", "预算支出标准"),
    Row("成本指标", "经济成本指标", "培训总成本", "≤100万元", "预算支出标准"),
    Row("产出指标", "数量指标", "培训人数", "≥1000人", "计划标准"),
    Row("产出指标", "质量指标", "培训合格率", "≥95%", "行业标准"),
    Row("产出指标", "时效指标", "培训完成时间", "≤12个月", "计划标准"),
    Row("效益指标", "社会效益指标", "培训覆盖率", "≥90%", "历史标准"),
    Row("满意度指标", "服务对象满意度指标", "培训对象满意度", "≥95%", "其他标准"),
]
# Budget 100 万元 = 1,000,000 元 = 1000 元/人 × 1000 人.
CLEAN = Project("测试市人力资源和社会保障局", "职业技能培训", "100", 2024, list(ROWS), list(ROWS),
                "三年内开展职业技能培训，提升公共服务质量和效率。", "本年度完成职业技能培训任务，服务对象满意。")


def table_graph(project: Project = CLEAN, base: str = "https://example.org/case/") -> Graph:
    """The project as a Markdown table, read, normalised and mapped like any input file."""
    text = render([project])
    return document_graph(normalize(read_bytes("case.md", text.encode("utf-8")), None), base)


# ---------------------------------------------------------------------------------------------
# The cases: SPARQL Updates on the clean project's graph
# ---------------------------------------------------------------------------------------------

PREFIXES = """
PREFIX jx: <https://w3id.org/jixiao/ontology#>
PREFIX jxu: <https://w3id.org/jixiao/unit/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""


def indicator(name: str, goal: str = "AnnualGoal") -> str:
    """A WHERE pattern binding ?project, ?goal, ?i (the indicator called `name`) and ?t (its target)."""
    return (f"?project jx:hasGoal ?goal . ?goal a jx:{goal} ; jx:hasIndicator ?i . "
            f"?i rdfs:label \"{name}\" . OPTIONAL {{ ?i jx:target ?t }}")


def set_value(name: str, predicate: str, value: str, goal: str = "AnnualGoal") -> str:
    """Replace one property of the target of indicator `name`."""
    return f"DELETE {{ ?t {predicate} ?old }} INSERT {{ ?t {predicate} {value} }} WHERE {{ {indicator(name, goal)} OPTIONAL {{ ?t {predicate} ?old }} }}"


def drop_indicator(name: str, goal: str = "AnnualGoal") -> str:
    return f"DELETE {{ ?goal jx:hasIndicator ?i }} WHERE {{ {indicator(name, goal)} }}"


def add_note(kind: str, note_class: str, name: str, saw: str = "社会效益指标") -> str:
    return (f"INSERT {{ ?note a jx:{note_class} ; jx:noteKind jx:{kind} ; jx:concerns ?i ; jx:saw \"{saw}\" ; "
            f"jx:decision \"kept as read\" ; jx:atRow ?row }} "
            f"WHERE {{ {indicator(name)} ?i jx:sourceRow ?row . BIND (IRI(CONCAT(STR(?i), \"/note/99\")) AS ?note) }}")


def add_project_note(kind: str) -> str:
    """A note the reader made on the table (the project-year), such as NoBasisColumn or AnnualOnlyTable."""
    return (f"INSERT {{ ?note a jx:Finding ; jx:noteKind jx:{kind} ; jx:concerns ?project ; jx:decision \"noted for the table\" }} "
            f"WHERE {{ ?project a jx:ProjectYear . BIND (IRI(CONCAT(STR(?project), \"/note/99\")) AS ?note) }}")


# The project read as a department-wide plan (a unit's whole spending, 部门整体绩效目标表): its year a plan-year.
AS_PLAN = ("DELETE { ?year a jx:ProjectYear . ?owner a jx:Project } INSERT { ?year a jx:PlanYear . ?owner a jx:DepartmentPlan } "
           "WHERE { ?year a jx:ProjectYear ; jx:yearOf ?owner }")
OTHER_OWNER = "<https://example.org/case/project/other>"
NO_LONG_TERM = "DELETE { ?project jx:hasGoal ?g } WHERE { ?project jx:hasGoal ?g . ?g a jx:LongTermGoal }"


@dataclass(frozen=True)
class Case:
    shape: str
    update: str | tuple[str, ...]  # one SPARQL Update operation, or several applied in turn
    fires: bool = True
    indicator: str | None = None  # the indicator the result must name (None: a project or goal result)
    why: str = ""

    @property
    def id(self) -> str:
        return f"{self.shape}-{'fails' if self.fires else 'passes'}-{self.why}"


# ?project is the table: the project-year, which carries the year's budget, goals and notes; the
# project itself (its name and declaring unit) is what it is a year of.
PROJECT = "?project a jx:ProjectYear"
CASES = [
    # structure
    Case("ProjectName", "DELETE { ?owner rdfs:label ?l } WHERE { ?owner a jx:Project ; rdfs:label ?l }", why="no-name"),
    Case("ProjectAgency", "DELETE { ?owner jx:declaredBy ?a } WHERE { ?owner a jx:Project ; jx:declaredBy ?a }", why="no-unit"),
    Case("YearOfOneObject", f"DELETE {{ ?project jx:yearOf ?owner }} WHERE {{ {PROJECT} ; jx:yearOf ?owner }}", why="no-project"),
    Case("YearOfOneObject", f"INSERT {{ ?project jx:yearOf {OTHER_OWNER} . {OTHER_OWNER} a jx:Project }} WHERE {{ {PROJECT} }}",
         why="two-projects"),
    Case("YearOfOneObject", f"DELETE {{ ?project jx:yearOf ?owner }} INSERT {{ ?project jx:yearOf {OTHER_OWNER} }} "
         f"WHERE {{ {PROJECT} ; jx:yearOf ?owner }}", why="not-a-project"),
    Case("YearOfOneObject", AS_PLAN, fires=False, why="plan-year-of-a-plan"),
    Case("ProjectBudget", f"DELETE {{ ?project jx:budget ?b }} INSERT {{ ?project jx:budget \"-5\"^^xsd:decimal }} WHERE {{ {PROJECT} ; jx:budget ?b }}",
         why="negative"),
    Case("ProjectBudget", f"DELETE {{ ?project jx:budget ?b }} WHERE {{ {PROJECT} ; jx:budget ?b }}", why="missing"),
    Case("ProjectBudget", f"DELETE {{ ?project jx:budget ?b }} INSERT {{ ?project jx:budget 0.0 }} WHERE {{ {PROJECT} ; jx:budget ?b }}",
         fires=False, why="zero"),
    Case("ProjectBudgetInMoney", f"DELETE {{ ?project jx:budgetStatedUnit ?u }} INSERT {{ ?project jx:budgetStatedUnit jxu:Person }} "
         f"WHERE {{ {PROJECT} ; jx:budgetStatedUnit ?u }}", why="persons"),
    Case("ProjectLongTermGoal", f"DELETE {{ ?project jx:hasGoal ?g }} WHERE {{ {PROJECT} ; jx:hasGoal ?g . ?g a jx:LongTermGoal }}",
         why="no-long-term"),
    Case("ProjectAnnualGoal", f"DELETE {{ ?project jx:hasGoal ?g }} WHERE {{ {PROJECT} ; jx:hasGoal ?g . ?g a jx:AnnualGoal }}",
         why="no-annual"),
    Case("ProjectFiscalYear", f"DELETE {{ ?project jx:fiscalYear ?y }} WHERE {{ {PROJECT} ; jx:fiscalYear ?y }}", why="no-year"),
    Case("GoalIndicators", "DELETE { ?goal jx:hasIndicator ?i } WHERE { ?goal a jx:AnnualGoal ; jx:hasIndicator ?i }", why="empty"),
    Case("IndicatorName", f"DELETE {{ ?i rdfs:label ?n }} WHERE {{ {indicator('培训人数')} ?i rdfs:label ?n }}", why="no-name"),
    Case("IndicatorCategory", f"DELETE {{ ?i jx:category ?c }} WHERE {{ {indicator('培训人数')} ?i jx:category ?c }}",
         indicator="培训人数", why="no-category"),
    Case("IndicatorCategory", f"INSERT {{ ?i jx:category jx:QualityIndicator }} WHERE {{ {indicator('培训人数')} }}",
         indicator="培训人数", why="two-categories"),
    Case("IndicatorCategory", f"DELETE {{ ?i jx:category ?c }} INSERT {{ ?i jx:category jx:OutputIndicator }} "
         f"WHERE {{ {indicator('培训人数')} ?i jx:category ?c }}", indicator="培训人数", why="level-1-as-category"),
    Case("IndicatorCategory", f"DELETE {{ ?i jx:category ?c }} INSERT {{ ?i jx:category jx:NoSuchCategory }} "
         f"WHERE {{ {indicator('培训人数')} ?i jx:category ?c }}", indicator="培训人数", why="unknown-category"),
    Case("IndicatorTarget", f"DELETE {{ ?i jx:target ?t }} WHERE {{ {indicator('培训人数')} }}", indicator="培训人数", why="no-target"),
    Case("IndicatorBasis", f"DELETE {{ ?i jx:basis ?b }} WHERE {{ {indicator('培训人数')} ?i jx:basis ?b }}",
         indicator="培训人数", why="no-basis"),
    # framework
    Case("CategoryUnderOwnLevel1", f"DELETE {{ ?i jx:statedLevel1 ?l }} INSERT {{ ?i jx:statedLevel1 jx:OutcomeIndicator }} "
         f"WHERE {{ {indicator('培训人数')} ?i jx:statedLevel1 ?l }}", indicator="培训人数", why="quantity-under-outcome"),
    Case("CategoryUnderOwnLevel1", f"DELETE {{ ?i jx:statedLevel1 ?l }} INSERT {{ ?i jx:statedLevel1 jx:OutputIndicator }} "
         f"WHERE {{ {indicator('培训总成本')} ?i jx:statedLevel1 ?l }}", fires=False, why="legacy-cost-under-output"),
    Case("GoalHasOutput", "DELETE { ?goal jx:hasIndicator ?i } WHERE { ?goal a jx:AnnualGoal ; jx:hasIndicator ?i . ?i a ?c . "
         "FILTER (?c IN (jx:QuantityIndicator, jx:QualityIndicator, jx:TimelinessIndicator)) }", why="no-output"),
    Case("GoalHasOutcome", drop_indicator("培训覆盖率"), why="no-outcome"),
    Case("PublicServiceSatisfaction", drop_indicator("培训对象满意度"), why="public-service"),
    Case("PublicServiceSatisfaction", (drop_indicator("培训对象满意度"), "DELETE { ?g jx:statement ?s } INSERT { ?g jx:statement \"更新内部设备。\" } "
         "WHERE { ?g jx:statement ?s }"), fires=False, why="internal-project"),
    Case("BasisIsFrameworkConcept", f"DELETE {{ ?i jx:basis ?b }} INSERT {{ ?i jx:basis jx:Equal }} WHERE {{ {indicator('培训人数')} ?i jx:basis ?b }}",
         indicator="培训人数", why="not-a-basis"),
    Case("BasisInFramework", f"DELETE {{ ?i jx:basis ?b }} INSERT {{ ?i jx:basisText \"上级文件\" }} WHERE {{ {indicator('培训人数')} ?i jx:basis ?b }}",
         indicator="培训人数", why="other-basis"),
    # values and units
    Case("CostInMoney", set_value("培训人均成本", "jx:unit", "jxu:Person"), indicator="培训人均成本", why="persons"),
    Case("CostInMoney", f"DELETE {{ ?t jx:unit ?u }} WHERE {{ {indicator('培训人均成本')} ?t jx:unit ?u }}", indicator="培训人均成本",
         why="bare-number"),
    Case("CostInMoney", set_value("培训人均成本", "jx:unit", "jxu:YuanPerPersonDay"), fires=False, why="per-person-day"),
    Case("PercentInRange", set_value("培训合格率", "jx:numericValue", "120.0"), indicator="培训合格率", why="120"),
    Case("PercentInRange", set_value("培训合格率", "jx:numericValue", "\"-1\"^^xsd:decimal"), indicator="培训合格率", why="negative"),
    Case("PercentInRange", set_value("培训合格率", "jx:numericValue", "100.0"), fires=False, why="100"),
    Case("UnreachablePercent", set_value("培训合格率", "jx:numericValue", "100.0"), indicator="培训合格率", why=">=100"),
    Case("UnreachablePercent", (set_value("培训合格率", "jx:numericValue", "100.0"),
                                set_value("培训合格率", "jx:comparator", "jx:Greater")), indicator="培训合格率", why=">100"),
    Case("UnreachablePercent", (set_value("培训合格率", "jx:numericValue", "100.0"),
                                set_value("培训合格率", "jx:comparator", "jx:Equal")), fires=False, why="=100"),
    Case("RateUnderQuantity", set_value("培训人数", "jx:unit", "jxu:Percent"), indicator="培训人数", why="percent"),
    Case("RateUnderQuantity", (f"DELETE {{ ?i rdfs:label ?n }} INSERT {{ ?i rdfs:label \"培训完成率\" }} WHERE {{ {indicator('培训人数')} ?i rdfs:label ?n }}",
                               f"DELETE {{ ?t jx:unit ?u }} WHERE {{ {indicator('培训完成率')} ?t jx:unit ?u }}"),
         indicator="培训完成率", why="name-without-unit"),
    Case("RateUnderQuantity", f"DELETE {{ ?i rdfs:label ?n }} INSERT {{ ?i rdfs:label \"巡查频率\" }} WHERE {{ {indicator('培训人数')} ?i rdfs:label ?n }}",
         fires=False, why="counted-rate-name"),
    Case("MeasurableTarget", f"DELETE {{ ?t ?p ?o }} INSERT {{ ?t a jx:QualitativeTarget ; jx:statedValue \"按期完成\" }} "
         f"WHERE {{ {indicator('培训完成时间')} ?t ?p ?o }}", indicator="培训完成时间", why="qualitative-time"),
    Case("ValueRepeatsName", f"DELETE {{ ?t jx:statedValue ?v }} INSERT {{ ?t jx:statedValue \"培训覆盖率\" }} "
         f"WHERE {{ {indicator('培训覆盖率')} ?t jx:statedValue ?v }}", indicator="培训覆盖率", why="name"),
    Case("DirectionWordOnly", f"DELETE {{ ?t jx:statedValue ?v }} INSERT {{ ?t jx:statedValue \"进一步提高\" }} "
         f"WHERE {{ {indicator('培训覆盖率')} ?t jx:statedValue ?v }}", indicator="培训覆盖率", why="direction"),
    Case("DirectionWordOnly", f"DELETE {{ ?t jx:statedValue ?v }} INSERT {{ ?t jx:statedValue \"达到预期\" }} "
         f"WHERE {{ {indicator('培训覆盖率')} ?t jx:statedValue ?v }}", fires=False, why="checkable-level"),
    # budget
    Case("AnnualCostWithinBudget", set_value("培训总成本", "jx:numericValue", "2000000.0"), indicator="培训总成本", why="over"),
    Case("AnnualCostWithinBudget", set_value("培训总成本", "jx:numericValue", "2000000.0", goal="LongTermGoal"), fires=False,
         why="long-term-over"),
    Case("AnnualCostWithinBudget", set_value("培训总成本", "jx:numericValue", "1000000.0"), fires=False, why="equal"),
    Case("UnitCostTimesQuantity", set_value("培训人数", "jx:numericValue", "100000.0"), indicator="培训人均成本", why="100x-over"),
    Case("UnitCostTimesQuantity", set_value("培训人数", "jx:numericValue", "5000.0"), fires=False, why="5x-over"),
    Case("UnitCostTimesQuantity", set_value("培训人数", "jx:numericValue", "100000.0", goal="LongTermGoal"), fires=False,
         why="long-term"),
    Case("UnitCostTimesQuantity", (drop_indicator("培训总成本"), set_value("培训人均成本", "jx:numericValue", "10.0")),
         indicator="培训人均成本", why="only-cost-100x-under"),
    Case("UnitCostTimesQuantity", set_value("培训人均成本", "jx:numericValue", "10.0"), fires=False, why="one-cost-of-several-under"),
    Case("UnitCostTimesQuantity", (drop_indicator("培训总成本"), set_value("培训人均成本", "jx:numericValue", "10.0"),
                                   set_value("培训人均成本", "jx:unit", "jxu:YuanPerPersonDay")), fires=False, why="per-day-under"),
    Case("UnitCostTimesQuantity", (set_value("培训人均成本", "jx:unit", "jxu:YuanPerPersonDay"),
                                   set_value("培训人均成本", "jx:numericValue", "100000.0")), indicator="培训人均成本", why="per-day-over"),
    Case("UnitCostTimesQuantity", (set_value("培训人数", "jx:numericValue", "100000.0"),
                                   set_value("培训人数", "jx:unit", "jxu:Machine")), fires=False, why="units-do-not-fit"),
    # consistency
    Case("AnnualNotCopyOfLongTerm", "DELETE { ?a jx:statement ?s } INSERT { ?a jx:statement ?long } WHERE { ?p jx:hasGoal ?a , ?l . "
         "?a a jx:AnnualGoal ; jx:statement ?s . ?l a jx:LongTermGoal ; jx:statement ?long }", why="copy"),
    Case("ConflictingCategoryFinding", add_note("ConflictingCategory", "Finding", "培训人数"), indicator="培训人数", why="finding"),
    Case("CategoryReconciled", add_note("Level2InLevel1Column", "Repair", "培训人数", "时效指标"), indicator="培训人数", why="repair"),
    Case("CategoryReconciled", add_note("ShiftedRow", "Repair", "培训人数"), fires=False, why="routine-repair"),
    Case("ReadingFinding", add_note("UnknownUnit", "Finding", "培训人数", "=3坨"), indicator="培训人数", why="unknown-unit"),
    Case("ReadingFinding", add_note("MissingBasis", "Finding", "培训人数"), fires=False, why="checked-elsewhere"),
    Case("ReadingFinding", add_note("MultiplierWithoutUnit", "Finding", "培训人数", "250万"), indicator="培训人数", why="bare-multiplier"),
    # templates (issue 9): a form without a basis column, an annual-only form, a cost stated as a rate,
    # department-wide plans checked like projects where it makes sense
    Case("IndicatorBasis", (f"DELETE {{ ?i jx:basis ?b }} WHERE {{ {indicator('培训人数')} ?i jx:basis ?b }}", add_project_note("NoBasisColumn")),
         fires=False, why="form-without-basis-column"),
    Case("TableWithoutBasisColumn", add_project_note("NoBasisColumn"), why="form-without-basis-column"),
    Case("ProjectLongTermGoal", (NO_LONG_TERM, add_project_note("AnnualOnlyTable")), fires=False, why="annual-only-form"),
    Case("CostAsRate", (set_value("培训总成本", "jx:unit", "jxu:Percent"), set_value("培训总成本", "jx:numericValue", "100.0")),
         indicator="培训总成本", why="cost-control-rate"),
    Case("CostInMoney", (set_value("培训总成本", "jx:unit", "jxu:Percent"), set_value("培训总成本", "jx:numericValue", "100.0")),
         fires=False, why="rate-is-cost-as-rate-s-warning"),
    Case("CostAsRate", set_value("培训总成本", "jx:unit", "jxu:Person"), fires=False, why="persons-is-cost-in-money-s"),
    Case("MeasurableTarget", f"DELETE {{ ?t ?p ?o }} INSERT {{ ?t a jx:PeriodTarget ; jx:statedValue \"2024年6月底前\" ; "
         f"jx:periodEnd \"2024-06\"^^xsd:gYearMonth }} WHERE {{ {indicator('培训完成时间')} ?t ?p ?o }}", fires=False, why="deadline"),
    Case("PlanBudget", (AS_PLAN, "DELETE { ?p jx:budget ?b } INSERT { ?p jx:budget \"-5\"^^xsd:decimal } WHERE { ?p jx:budget ?b }"),
         why="plan-negative"),
    Case("PlanBudget", (AS_PLAN, "DELETE { ?p jx:budget ?b } WHERE { ?p jx:budget ?b }"), fires=False, why="plan-states-none"),
    Case("ProjectBudget", (AS_PLAN, "DELETE { ?p jx:budget ?b } WHERE { ?p jx:budget ?b }"), fires=False, why="plan-needs-no-project-budget"),
    Case("ProjectLongTermGoal", (AS_PLAN, NO_LONG_TERM), fires=False, why="plan-needs-no-long-term"),
    Case("ProjectAgency", (AS_PLAN, "DELETE { ?p jx:declaredBy ?a } WHERE { ?p a jx:DepartmentPlan ; jx:declaredBy ?a }"), why="plan-no-unit"),
    Case("ProjectAnnualGoal", (AS_PLAN, "DELETE { ?p jx:hasGoal ?g } WHERE { ?p jx:hasGoal ?g . ?g a jx:AnnualGoal }"), why="plan-no-annual"),
]


def apply(case: Case, graph: Graph) -> Graph:
    changed = Graph()
    for triple in graph:
        changed.add(triple)
    for update in (case.update,) if isinstance(case.update, str) else case.update:
        changed.update(PREFIXES + update)
    return changed


@pytest.fixture(scope="module")
def clean() -> Graph:
    return table_graph()


def severities() -> dict[str, str]:
    """Each reporting shape (one with a severity) by short name, with its severity's local name."""
    graph = shapes_graph()
    return {str(s).removeprefix(str(JXS)): str(o).removeprefix(str(SH)) for s, o in graph.subject_objects(SH.severity)}


def test_the_clean_project_passes_every_shape(clean: Graph) -> None:
    report = validate_graph(clean)
    assert report.results == []
    assert report.conforms


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_shape(case: Case, clean: Graph) -> None:
    changed = apply(case, clean)
    assert set(changed) != set(clean), "the update changed nothing: the case would pass vacuously"
    results = [r for r in validate_graph(changed).results if r.shape == f"jxs:{case.shape}"]
    if not case.fires:
        assert results == []
        return
    assert results, f"jxs:{case.shape} did not report"
    assert {r.severity for r in results} == {severities()[case.shape]}
    # A project with no name, or a year of no single project, cannot be named by its project.
    assert {r.project for r in results} == {"职业技能培训"} or case.shape in ("ProjectName", "YearOfOneObject")
    if case.indicator is not None:
        assert case.indicator in {r.indicator for r in results}
    for r in results:
        assert r.message_zh and r.message_en and r.message_zh != r.message_en
        assert r.source and r.source.startswith("case.md:")


def test_every_shape_has_a_failing_case() -> None:
    assert set(severities()) == {case.shape for case in CASES if case.fires}


def test_every_shape_is_documented() -> None:
    """Severity, messages in Chinese and English, label, comment, and the MoF document cited."""
    graph = shapes_graph()
    for name in severities():
        shape = JXS[name]
        owners = [shape, *graph.objects(shape, SH.sparql)]
        languages = {m.language for owner in owners for m in graph.objects(owner, SH.message) if isinstance(m, Literal)}
        assert {"zh", "en"} <= languages, name
        assert {lbl.language for lbl in graph.objects(shape, RDFS.label)} == {"zh", "en"}, name
        assert {c.language for c in graph.objects(shape, RDFS.comment)} == {"zh", "en"}, name
        assert any("财" in str(s) for s in graph.objects(shape, DCTERMS.source)), name


def test_one_file_per_concern() -> None:
    assert {p.stem for p in shape_files()} == {"structure", "framework", "values", "budget", "consistency"}


# SHACL Advanced Features, SHACL-JS and DASH: not standard SHACL Core or SHACL-SPARQL.
NON_STANDARD = {"rule", "rules", "condition", "target", "SPARQLTarget", "SPARQLTargetType", "TripleRule", "SPARQLRule",
                "JSConstraint", "JSRule", "JSTarget", "JSFunction", "js", "jsFunctionName", "jsLibrary", "SPARQLFunction",
                "expression", "filterShape", "intersection", "union", "nodes", "this", "values"}


def test_shapes_are_standard_shacl() -> None:
    """Plain SHACL Core plus SHACL-SPARQL: no SHACL-AF, no JS, no DASH; SPARQL constraints use sh:select
    with prefixes declared by sh:declare in the same file."""
    for path in shape_files():
        graph = Graph().parse(path, format="turtle")
        terms = {t for triple in graph for t in triple if isinstance(t, URIRef)}
        assert not {t for t in terms if str(t).startswith(str(SH)) and str(t).removeprefix(str(SH)) in NON_STANDARD}, path.name
        assert not {t for t in terms if str(t).startswith("http://datashapes.org/dash#")}, path.name
        for constraint in graph.objects(None, SH.sparql):
            assert (constraint, RDF.type, SH.SPARQLConstraint) in graph
            assert graph.value(constraint, SH.select) is not None
            declaring = graph.value(constraint, SH.prefixes)
            assert declaring is not None and any(graph.objects(declaring, SH.declare)), path.name
