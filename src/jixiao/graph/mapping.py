"""Map records to RDF triples in the jixiao ontology, with deterministic IRIs.

IRIs are built from content (names, the file's hash, positions), never from counters or clocks,
so the same table ingested twice gives the same graph. Each project's triples are produced on
their own, so a large corpus can be written project by project.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from jixiao.namespaces import DEFAULT_BASE, JX, ORG
from jixiao.reading import DEPARTMENT, BudgetPart, DocumentRecord, GoalRecord, IndicatorRecord, NamedUnit, Note, ParsedValue, ProjectRecord
from jixiao.vocabulary import Unit, canon, vocabulary

Triple = tuple[URIRef, URIRef, URIRef | Literal]
GOAL_CLASS = {"long-term": JX.LongTermGoal, "annual": JX.AnnualGoal}
# The XSD type of a period's end by how precise it is written: 2020, 2020-01, 2020-01-31.
_DATE_TYPES = {1: XSD.gYear, 2: XSD.gYearMonth, 3: XSD.date}


def _digest(*parts: str) -> str:
    joined = "\x1f".join(canon(part) for part in parts)
    return hashlib.sha1(joined.encode("utf-8")).hexdigest()[:16]


def _stated(subject: URIRef, pairs: tuple[tuple[URIRef, URIRef | Literal | None], ...]) -> Iterator[Triple]:
    """The triples of `subject` for the values the table states; what it leaves out gives none."""
    for predicate, value in pairs:
        if value is not None:
            yield subject, predicate, value


def _year(year: int | None) -> Literal | None:
    return Literal(f"{year:04d}", datatype=XSD.gYear) if year is not None else None


def _decimal(value: Decimal) -> Literal:
    return Literal(value, datatype=XSD.decimal)


class _Minter:
    """IRIs for one document under a base IRI."""

    def __init__(self, base: str, document: DocumentRecord) -> None:
        self.base = base if base.endswith(("/", "#")) else base + "/"
        self.document = URIRef(f"{self.base}source/{document.content_hash[:16]}")
        self.seen_projects: dict[str, int] = {}
        self.line_texts: dict[int, str] = document.line_texts

    def row(self, line: int) -> URIRef:
        return URIRef(f"{self.document}/line/{line}")

    def agency(self, name: str) -> URIRef:
        return URIRef(f"{self.base}agency/{_digest(name)}")

    def project(self, project: ProjectRecord) -> URIRef:
        """A project by unit, year and name; a department-wide plan by unit and year (its own path)."""
        plan = project.kind == DEPARTMENT
        key = _digest(project.agency or "", str(project.year or ""), "" if plan else project.name or "")
        # The same project twice in one document keeps both, told apart by occurrence.
        count = self.seen_projects.get(key, 0) + 1
        self.seen_projects[key] = count
        return URIRef(f"{self.base}{'plan' if plan else 'project'}/{key}" + (f"-{count}" if count > 1 else ""))

    def programme(self, agency: str | None, name: str) -> URIRef:
        return URIRef(f"{self.base}programme/{_digest(agency or '', name)}")

    def unit(self, label: str) -> URIRef:
        return URIRef(f"{self.base}unit/{_digest(label)}")


@dataclass(frozen=True)
class GraphChunk:
    """The triples of one declared table (a project-year, or a unit's plan for a year) and the named
    graph they belong to.

    `key` is what the table declares — kind, unit, project name, year — never where it was read
    from, so the same table read from anywhere lands in the same graph and replaces it. Triples of
    entities several tables share (the unit, units of measure, the source document) are repeated in
    every chunk that mentions them: a store keeps them once in its union and drops them with the
    last chunk that mentions them.
    """

    key: tuple[str, ...]
    graph: URIRef
    triples: list[Triple]
    source: str


def declared_key(project: ProjectRecord) -> tuple[str, ...]:
    """What a table declares about itself: its kind, unit, project name (none for a plan) and year."""
    plan = project.kind == DEPARTMENT
    return ("plan" if plan else "project", canon(project.agency or ""), "" if plan else canon(project.name or ""), str(project.year or ""))


def graph_iri(key: tuple[str, ...], base: str = DEFAULT_BASE) -> URIRef:
    """The named graph of a declared table: from its declared key alone."""
    base = base if base.endswith(("/", "#")) else base + "/"
    return URIRef(f"{base}graph/{_digest(*key)}")


def document_chunks(document: DocumentRecord, base: str = DEFAULT_BASE) -> Iterator[GraphChunk]:
    """One chunk per declared table in the document, each with the document's provenance record.

    A document that declares nothing (no project) still gives one chunk, keyed by its content, so
    its provenance and notes are kept.
    """
    mint = _Minter(base, document)
    provenance = list(_document_triples(document, mint))
    if document.evaluations:  # self-evaluations are tables of their own kind (docs/selfeval.md)
        from jixiao.graph.evaluation import evaluation_chunks
        yield from evaluation_chunks(document, provenance, mint, base)
        return
    if not document.projects:
        key = ("source", document.content_hash)
        yield GraphChunk(key, graph_iri(key, base), provenance, document.path)
        return
    seen: dict[tuple[str, ...], int] = {}
    for project in document.projects:
        key = declared_key(project)
        # The same declaration twice in one document keeps both (a finding says so), told apart by occurrence.
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            key = (*key, str(seen[key]))
        yield GraphChunk(key, graph_iri(key, base), provenance + list(_project_triples(document, project, mint)), document.path)


def document_triples(document: DocumentRecord, base: str = DEFAULT_BASE) -> Iterator[list[Triple]]:
    """Yield the triples of each declared table in turn (see `document_chunks`)."""
    for chunk in document_chunks(document, base):
        yield chunk.triples


def document_graph(document: DocumentRecord, base: str = DEFAULT_BASE) -> Graph:
    """All of a document's triples as one rdflib graph."""
    graph = Graph()
    for chunk in document_triples(document, base):
        for triple in chunk:
            graph.add(triple)
    return graph


def _document_triples(document: DocumentRecord, mint: _Minter) -> Iterator[Triple]:
    doc = mint.document
    yield doc, RDF.type, JX.SourceDocument
    yield doc, JX.fileName, Literal(document.name)
    yield doc, JX.contentHash, Literal(document.content_hash)
    yield doc, JX.encoding, Literal(document.encoding)
    for number, text in document.line_texts.items():
        row = mint.row(number)
        yield row, RDF.type, JX.SourceRow
        yield row, JX.inDocument, doc
        yield row, JX.lineNumber, Literal(number)
        yield row, JX.rawText, Literal(text)
    yield from _notes(doc, document.notes, mint)


def _project_triples(document: DocumentRecord, project: ProjectRecord, mint: _Minter) -> Iterator[Triple]:
    subject = mint.project(project)
    yield subject, RDF.type, JX.DepartmentPlan if project.kind == DEPARTMENT else JX.Project
    if project.name:
        yield subject, RDFS.label, Literal(project.name)
    if project.agency:
        agency = mint.agency(project.agency)
        yield agency, RDF.type, JX.BudgetUnit
        yield agency, RDF.type, ORG.FormalOrganization
        yield agency, RDFS.label, Literal(project.agency)
        yield subject, JX.declaredBy, agency
        if project.agency_code:
            yield agency, ORG.identifier, Literal(project.agency_code)
    if project.programme:
        programme = mint.programme(project.agency, project.programme)
        yield programme, RDF.type, JX.Programme
        yield programme, RDFS.label, Literal(project.programme)
        yield subject, JX.programme, programme
    for named in project.units:
        yield from _unit_triples(subject, named, mint)
    for index, part in enumerate(project.budget_parts, start=1):
        yield from _budget_part_triples(subject, part, index, mint)
    yield from _stated(subject, (
        (JX.budget, _decimal(project.budget) if project.budget is not None else None),
        (JX.budgetStated, Literal(project.budget_stated) if project.budget_stated else None),
        (JX.budgetStatedUnit, project.budget_unit),
        (JX.fiscalYear, _year(project.year)),
    ))
    used_lines: set[int] = set()
    for goal in project.goals:
        yield from _goal_triples(subject, goal, mint, used_lines)
    for line in sorted(set(project.lines) - used_lines):
        yield subject, JX.sourceRow, mint.row(line)
    yield from _notes(subject, project.notes, mint)


def _concept(local_name: str) -> URIRef:
    """A concept of the forms vocabulary (a jx:UnitRole or jx:ColumnRole, ontology/forms.ttl) by the
    local name the reader gives: the reader found it there, so it is not looked up in the closed JX."""
    return URIRef(f"{JX!s}{local_name}")


def _unit_triples(subject: URIRef, named: NamedUnit, mint: _Minter) -> Iterator[Triple]:
    """A unit the form names, once per name (org:Organization), linked in its role."""
    unit = mint.agency(named.name)
    yield unit, RDF.type, ORG.Organization
    yield unit, RDFS.label, Literal(named.name)
    if named.code:
        yield unit, ORG.identifier, Literal(named.code)
    role_property = vocabulary().graph.value(_concept(named.role), JX.roleProperty)
    # A unit whose role concept declares no jx:roleProperty is still linked, as a unit the form names.
    yield subject, role_property if isinstance(role_property, URIRef) else JX.involvesUnit, unit
    if named.line is not None:
        yield subject, JX.sourceRow, mint.row(named.line)


def _budget_part_triples(subject: URIRef, part: BudgetPart, index: int, mint: _Minter) -> Iterator[Triple]:
    node = URIRef(f"{subject}/budget-part/{index}")
    yield subject, JX.budgetPart, node
    yield node, RDF.type, JX.BudgetPart
    yield node, RDFS.label, Literal(part.label)
    yield node, JX.statedAmount, Literal(part.stated)
    if part.amount is not None:
        yield node, JX.amount, _decimal(part.amount)
    if part.line is not None:
        yield node, JX.sourceRow, mint.row(part.line)


def _goal_triples(project: URIRef, goal: GoalRecord, mint: _Minter, used_lines: set[int]) -> Iterator[Triple]:
    subject = URIRef(f"{project}/goal/{goal.kind}-{goal.number}")
    yield project, JX.hasGoal, subject
    yield subject, RDF.type, GOAL_CLASS[goal.kind]
    if goal.label:
        yield subject, RDFS.label, Literal(goal.label)
    if goal.statement:
        yield subject, JX.statement, Literal(goal.statement)
    for line in (goal.statement_line, goal.label_line):
        if line is not None:
            used_lines.add(line)
            yield subject, JX.sourceRow, mint.row(line)
    for indicator in goal.indicators:
        used_lines.update(indicator.lines)
        yield from _indicator_triples(subject, indicator, mint)
    yield from _notes(subject, goal.notes, mint)


def _indicator_triples(goal: URIRef, indicator: IndicatorRecord, mint: _Minter) -> Iterator[Triple]:
    vocab = vocabulary()
    subject = URIRef(f"{goal}/indicator/{indicator.position:02d}")
    yield goal, JX.hasIndicator, subject
    yield subject, RDF.type, indicator.level2 or JX.Indicator
    yield subject, JX.position, Literal(indicator.position)
    yield from _stated(subject, (
        (RDFS.label, Literal(indicator.name) if indicator.name else None),
        (JX.category, indicator.level2),
        (JX.statedLevel1, indicator.level1),
    ))
    # The original wording is kept where it differs from the framework's preferred label.
    for text, concept, predicate in ((indicator.level1_text, indicator.level1, JX.statedLevel1Text),
                                     (indicator.level2_text, indicator.level2, JX.statedLevel2Text)):
        if text and (concept is None or canon(text) != canon(vocab.label_zh[concept])):
            yield subject, predicate, Literal(text)
    yield from _stated(subject, (
        (JX.basis, indicator.basis),
        (JX.basisText, Literal(indicator.basis_text) if indicator.basis_text else None),
        (JX.description, Literal(indicator.description) if indicator.description else None),
    ))
    if indicator.value is not None:
        yield from _target_triples(subject, indicator.value, mint)
    if indicator.previous is not None:
        previous = URIRef(f"{subject}/previous")
        yield subject, JX.previousActual, previous
        yield previous, RDF.type, JX.ActualValue
        yield from _stated(previous, ((JX.valueYear, _year(indicator.previous_year)),))
        yield from _value_triples(previous, indicator.previous, mint)
    for role, text in sorted(indicator.extra.items()):
        column = URIRef(f"{subject}/column/{role}")
        yield subject, JX.columnValue, column
        yield column, RDF.type, JX.ColumnValue
        yield column, JX.columnRole, _concept(role)
        yield column, JX.cellText, Literal(text)
    for line in indicator.lines:
        yield subject, JX.sourceRow, mint.row(line)
    yield from _notes(subject, indicator.notes, mint)


def _target_triples(indicator: URIRef, value: ParsedValue, mint: _Minter) -> Iterator[Triple]:
    subject = URIRef(f"{indicator}/target")
    yield indicator, JX.target, subject
    yield from _value_triples(subject, value, mint)


def _value_triples(subject: URIRef, value: ParsedValue, mint: _Minter) -> Iterator[Triple]:
    """A value as written and as understood: quantitative, a period, or qualitative."""
    yield subject, JX.statedValue, Literal(value.stated)
    if value.period:
        yield subject, RDF.type, JX.PeriodTarget
        if value.comparator is not None:
            yield subject, JX.comparator, value.comparator
        for predicate, date in ((JX.periodStart, value.period_start), (JX.periodEnd, value.period_end)):
            if date is not None:
                yield subject, predicate, Literal(date, datatype=_DATE_TYPES[date.count("-") + 1])
        return
    if not value.quantitative:
        yield subject, RDF.type, JX.QualitativeTarget
        return
    yield subject, RDF.type, JX.QuantitativeTarget
    if value.comparator is not None:
        yield subject, JX.comparator, value.comparator
    # Whether the comparator was written: "280人次" is read as "=" but says none.
    yield subject, JX.comparatorStated, Literal(value.comparator_stated)
    assert value.number is not None and value.stated_number is not None
    yield subject, JX.numericValue, _decimal(value.number)
    yield subject, JX.statedNumber, _decimal(value.stated_number)
    if value.upper is not None and value.stated_upper is not None:
        yield subject, JX.upperValue, _decimal(value.upper)
        yield subject, JX.statedUpperNumber, _decimal(value.stated_upper)
    if value.unit is not None:
        yield from _unit_of_measure(subject, value.unit, mint)
    elif value.unit_text:
        # A unit not in the unit table is kept as written, as a unit of its own.
        unit = mint.unit(value.unit_text)
        yield unit, RDF.type, JX.UnitOfMeasure
        yield unit, RDFS.label, Literal(value.unit_text)
        yield subject, JX.unit, unit
    if value.stated_unit is not None:
        yield subject, JX.statedUnit, value.stated_unit


def _unit_of_measure(subject: URIRef, unit: Unit, mint: _Minter) -> Iterator[Triple]:
    """The value's base unit; one the value grammar composed (次/月) is declared once, like a unit
    kept as written, with its base unit, factor and kind."""
    if (unit.base, RDF.type, JX.UnitOfMeasure) in vocabulary().graph:
        yield subject, JX.unit, unit.base
        return
    base = mint.unit(unit.base_label)
    yield base, RDF.type, JX.UnitOfMeasure
    yield base, RDFS.label, Literal(unit.base_label)
    yield base, JX.baseUnit, base
    yield base, JX.conversionFactor, _decimal(Decimal(1))
    if unit.kind is not None:
        yield base, JX.quantityKind, unit.kind
    yield subject, JX.unit, base


def _notes(subject: URIRef, notes: list[Note], mint: _Minter) -> Iterator[Triple]:
    for index, note in enumerate(notes, start=1):
        node = URIRef(f"{subject}/note/{index}")
        yield node, RDF.type, JX.Finding if note.finding else JX.Repair
        yield node, JX.noteKind, JX[note.kind]
        yield node, JX.concerns, subject
        # A note that saw the whole row points to the row instead of repeating its text.
        if note.saw and note.saw != mint.line_texts.get(note.line or 0):
            yield node, JX.saw, Literal(note.saw)
        yield node, JX.decision, Literal(note.decision)
        if note.line is not None:
            yield node, JX.atRow, mint.row(note.line)


__all__ = ["GraphChunk", "declared_key", "document_chunks", "document_graph", "document_triples", "graph_iri"]
