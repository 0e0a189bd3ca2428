"""Map self-evaluations (reading.EvaluationRecord) to triples (ontology/evaluation.ttl, docs/selfeval.md).

A self-evaluation is a table of its own: its declared key is ("evaluation", unit, project, year)
(("plan-evaluation", unit, "", year) for a department-wide one), so its named graph never replaces
the target table's. It links to what it reports on by identity: `jx:evaluates` the project-year
(or plan-year) and each result `jx:reportsOn` the indicator of that year's annual goal with the same
category path and name, both minted by `jixiao.graph.mapping`'s public functions — the same IRIs the
target table's own mapping gives, whether or not the target table was ingested.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from jixiao.graph import mapping
from jixiao.graph.mapping import GraphChunk, Minter, Triple, graph_iri, note_triples, value_triples
from jixiao.namespaces import JX, ORG
from jixiao.reading import ANNUAL, DEPARTMENT, DocumentRecord, EvaluationRecord, ResultRecord
from jixiao.vocabulary import canon, vocabulary


def evaluation_key(evaluation: EvaluationRecord) -> tuple[str, ...]:
    """What a self-evaluation declares about itself: its kind, unit, project name (none for a plan) and year."""
    plan = evaluation.kind == DEPARTMENT
    return ("plan-evaluation" if plan else "evaluation", canon(evaluation.agency or ""), "" if plan else canon(evaluation.name or ""),
            str(evaluation.year or ""))


def evaluated_iri(evaluation: EvaluationRecord, base: str) -> URIRef:
    """The project-year (or plan-year) the evaluation reports on, as the target table's mapping mints it."""
    if evaluation.kind == DEPARTMENT:
        return mapping.plan_year_iri(base, evaluation.agency, evaluation.year)
    return mapping.project_year_iri(base, evaluation.agency, evaluation.name, evaluation.year)


def target_indicator_iri(evaluated: URIRef, result: ResultRecord) -> URIRef:
    """The target indicator a result reports on: the annual goal's indicator with the same category path and name."""
    goal = mapping.goal_iri(evaluated, ANNUAL, 1)
    vocab = vocabulary()
    level1: URIRef | str | None = result.level1 or result.level1_text
    parent = vocab.parent.get(result.level2) if result.level2 is not None else None
    if parent is not None and result.level1 is not None and vocab.legacy_broader.get(result.level2) == result.level1:
        level1 = parent  # a legacy 成本指标 under 产出指标 is the framework's 成本指标, as the target table's reading gives it
    return mapping.indicator_iri(goal, result.name, level1, result.level2 or result.level2_text)


def evaluation_chunks(document: DocumentRecord, provenance: list[Triple], mint: Minter, base: str) -> Iterator[GraphChunk]:
    """One chunk per self-evaluation in the document, each with the document's provenance record."""
    seen: dict[tuple[str, ...], int] = {}
    for evaluation in document.evaluations:
        key = evaluation_key(evaluation)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            key = (*key, str(seen[key]))
        graph = graph_iri(key, base)
        subject = URIRef(f"{mint.base}evaluation/{str(graph).rsplit('/', 1)[-1]}")
        yield GraphChunk(key, graph, provenance + list(_evaluation_triples(subject, evaluation, mint, base)), document.path)


def _decimal(value: Decimal | None) -> Literal | None:
    return Literal(value, datatype=XSD.decimal) if value is not None else None


def _stated(subject: URIRef, pairs: tuple[tuple[URIRef, URIRef | Literal | None], ...]) -> Iterator[Triple]:
    for predicate, value in pairs:
        if value is not None:
            yield subject, predicate, value


def _evaluation_triples(subject: URIRef, evaluation: EvaluationRecord, mint: Minter, base: str) -> Iterator[Triple]:
    yield subject, RDF.type, JX.Evaluation
    evaluated = evaluated_iri(evaluation, base)
    yield subject, JX.evaluates, evaluated
    yield subject, JX.evaluationKind, Literal("plan" if evaluation.kind == DEPARTMENT else "project")
    if evaluation.agency:
        unit = mint.agency(evaluation.agency)
        yield unit, RDF.type, ORG.Organization
        yield unit, RDFS.label, Literal(evaluation.agency)
        if evaluation.agency_code:
            yield unit, ORG.identifier, Literal(evaluation.agency_code)
        yield subject, JX.evaluatedUnit, unit
    if evaluation.filer:
        filer = mint.agency(evaluation.filer)
        yield filer, RDF.type, ORG.Organization
        yield filer, RDFS.label, Literal(evaluation.filer)
        yield subject, JX.filedBy, filer
    label = f"{evaluation.name or evaluation.agency or ''} {evaluation.year or ''} 绩效自评".strip()
    yield subject, RDFS.label, Literal(label, lang="zh")
    yield from _stated(subject, (
        (JX.evaluatedProjectName, Literal(evaluation.name) if evaluation.name else None),
        (JX.evaluationYear, Literal(f"{evaluation.year:04d}", datatype=XSD.gYear) if evaluation.year else None),
        (JX.filedOn, Literal(evaluation.filed_on, datatype=XSD.date) if evaluation.filed_on else None),
        (JX.totalScore, _decimal(evaluation.total_score)),
        (JX.totalWeight, _decimal(evaluation.total_weight)),
        (JX.grade, Literal(evaluation.grade) if evaluation.grade else None),
        (JX.initialBudget, _decimal(evaluation.initial_budget)),
        (JX.adjustedBudget, _decimal(evaluation.adjusted_budget)),
        (JX.executedAmount, _decimal(evaluation.executed)),
        (JX.executionRate, _decimal(evaluation.execution_rate)),
        (JX.executionWeight, _decimal(evaluation.execution_weight)),
        (JX.executionScore, _decimal(evaluation.execution_score)),
        (JX.expectedGoal, Literal(evaluation.expected_goal) if evaluation.expected_goal else None),
        (JX.achievedGoal, Literal(evaluation.achieved_goal) if evaluation.achieved_goal else None),
    ))
    used: set[int] = set()
    for result in evaluation.results:
        used.update(result.lines)
        yield from _result_triples(subject, evaluated, result, mint)
    for line in sorted(set(evaluation.lines) - used):
        yield subject, JX.sourceRow, mint.row(line)
    yield from note_triples(subject, evaluation.notes, mint)


def _result_triples(evaluation: URIRef, evaluated: URIRef, result: ResultRecord, mint: Minter) -> Iterator[Triple]:
    subject = URIRef(f"{evaluation}/result/{result.position:02d}")
    yield evaluation, JX.hasResult, subject
    yield subject, JX.evaluation, evaluation
    yield subject, RDF.type, JX.IndicatorResult
    if result.name:
        yield subject, RDFS.label, Literal(result.name)
        yield subject, JX.reportsOn, target_indicator_iri(evaluated, result)
    yield from _stated(subject, (
        (JX.resultCategory, result.level2),
        (JX.resultLevel1, result.level1),
        (JX.level1Weight, _decimal(result.level1_weight)),
        (JX.weight, _decimal(result.weight)),
        (JX.score, _decimal(result.score)),
        (JX.deviationReason, Literal(result.deviation) if result.deviation else None),
        (JX.restatesTarget, Literal(result.restates_target)),
    ))
    vocab = vocabulary()
    for text, concept, predicate in ((result.level1_text, result.level1, JX.resultLevel1Text), (result.level2_text, result.level2, JX.resultLevel2Text)):
        if text and (concept is None or canon(text) != canon(vocab.label_zh[concept])):
            yield subject, predicate, Literal(text)
    if result.target is not None:
        target = URIRef(f"{subject}/target")
        yield subject, JX.restatedTarget, target
        yield from value_triples(target, result.target, mint)
    if result.actual is not None:
        actual = URIRef(f"{subject}/actual")
        yield subject, JX.achieved, actual
        yield actual, RDF.type, JX.AchievedValue
        yield from value_triples(actual, result.actual, mint)
    for line in result.lines:
        yield subject, JX.sourceRow, mint.row(line)
    yield from note_triples(subject, result.notes, mint)


__all__ = ["evaluated_iri", "evaluation_chunks", "evaluation_key", "target_indicator_iri"]
