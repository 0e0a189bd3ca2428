"""Map records to RDF triples in the jixiao ontology, with deterministic IRIs.

IRIs are built from what a table declares (unit, project name, year, goal, an indicator's
categories and name), never from counters, clocks, paths or row positions, so the same table
ingested twice gives the same graph and inserting a row leaves every other IRI as it was. Each
declared table's triples are produced on their own (`document_chunks`), so a large corpus can be
written table by table.

The model (docs/graph.md): a project (`jx:Project`: unit + name) or a unit's department-wide plan
(`jx:DepartmentPlan`: unit) is one resource across years; each table is one year of it
(`jx:ProjectYear` / `jx:PlanYear`, `jx:yearOf` the project or plan), which carries the year's
budget, budget parts, goals, indicators, source rows and notes.

Public minting functions, for other modules that must reach the same IRIs (e.g. linking a
self-evaluation's actual values to the targets they report on):

- `project_iri(base, unit, name)`, `plan_iri(base, unit)`: the enduring project or plan;
- `project_year_iri(base, unit, name, year)`, `plan_year_iri(base, unit, year)`: one year of it
  (`year_iri(owner, year)` under any owner IRI); `year=None` is the table that states no year;
- `goal_iri(year, kind, number)`: a goal (`kind` "annual" or "long-term", `number` from 1);
- `indicator_iri(goal, name, level1, level2, occurrence)`: an indicator, from its categories (a
  framework concept as a URIRef, or the stated text as a plain str when unrecognised) and name;
  `indicator_iris(goal, indicators)` mints a goal's indicator records in one go, counting the
  occurrences of same-named indicators in the same place;
- `agency_iri(base, name)`: a unit (organisation) by its name.

Names are compared by `vocabulary.canon` (NFKC, no whitespace, case-folded), so full-width and
half-width spellings reach the same IRI.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from rdflib import Graph, Literal, URIRef
from rdflib import namespace as rdflib_namespaces

from jixiao import namespaces
from jixiao.namespaces import DEFAULT_BASE, TermsOnce
from jixiao.reading import DEPARTMENT, BudgetPart, DocumentRecord, GoalRecord, IndicatorRecord, NamedUnit, Note, ParsedValue, ProjectRecord
from jixiao.vocabulary import Unit, canon, vocabulary

# The namespaces the mapper names its terms in, each term looked up once (see TermsOnce).
JX, ORG = TermsOnce(namespaces.JX), TermsOnce(namespaces.ORG)
RDF, RDFS, XSD = TermsOnce(rdflib_namespaces.RDF), TermsOnce(rdflib_namespaces.RDFS), TermsOnce(rdflib_namespaces.XSD)

Triple = tuple[URIRef, URIRef, URIRef | Literal]
GOAL_CLASS = {"long-term": JX.LongTermGoal, "annual": JX.AnnualGoal}
# The XSD type of a period's end by how precise it is written: 2020, 2020-01, 2020-01-31.
_DATE_TYPES = {1: XSD.gYear, 2: XSD.gYearMonth, 3: XSD.date}


def _digest(*parts: str) -> str:
    joined = "\x1f".join(canon(part) for part in parts)
    return hashlib.sha1(joined.encode("utf-8")).hexdigest()[:16]


def _base(base: str) -> str:
    return base if base.endswith(("/", "#")) else base + "/"


def _nth(iri: str, occurrence: int) -> URIRef:
    """The IRI, told apart by `-2`, `-3` … when the same thing is declared again in the same place."""
    return URIRef(iri + (f"-{occurrence}" if occurrence > 1 else ""))


def agency_iri(base: str, name: str) -> URIRef:
    """A unit (organisation) by its name: one resource for every table that names it."""
    return URIRef(f"{_base(base)}agency/{_digest(name)}")


def project_iri(base: str, unit: str | None, name: str | None) -> URIRef:
    """A project, the same resource across years: by its declaring unit and its name."""
    return URIRef(f"{_base(base)}project/{_digest(unit or '', name or '')}")


def plan_iri(base: str, unit: str | None) -> URIRef:
    """A unit's department-wide plan, the same resource across years: by the unit."""
    return URIRef(f"{_base(base)}plan/{_digest(unit or '')}")


def year_iri(owner: URIRef, year: int | str | None, occurrence: int = 1) -> URIRef:
    """One fiscal year of a project or plan (`unstated` for a table that states none); the same
    declaration again in one document is told apart by occurrence."""
    return _nth(f"{owner}/year/{year if year not in (None, '') else 'unstated'}", occurrence)


def project_year_iri(base: str, unit: str | None, name: str | None, year: int | str | None, occurrence: int = 1) -> URIRef:
    """One year of a project: what that year's table declares (budget, goals, indicators)."""
    return year_iri(project_iri(base, unit, name), year, occurrence)


def plan_year_iri(base: str, unit: str | None, year: int | str | None, occurrence: int = 1) -> URIRef:
    """One year of a unit's department-wide plan."""
    return year_iri(plan_iri(base, unit), year, occurrence)


def goal_iri(year: URIRef, kind: str, number: int = 1) -> URIRef:
    """A goal of a project-year or plan-year: its kind (`annual`, `long-term`) and number."""
    return URIRef(f"{year}/goal/{kind}-{number}")


Category = URIRef | str | None  # a framework concept, or the category as written when unrecognised


def _category_part(category: Category) -> str:
    if isinstance(category, URIRef):
        return str(category)
    return f"text:{category}" if category else ""


def indicator_iri(goal: URIRef, name: str | None, level1: Category = None, level2: Category = None, occurrence: int = 1) -> URIRef:
    """An indicator by what it declares: its goal, its category path (each level a framework
    concept, or the stated text when the framework does not know it) and its name. Two indicators
    with the same name in the same place are told apart by occurrence (counted among those only),
    so inserting a row anywhere renumbers nothing else."""
    return _nth(f"{goal}/indicator/{_digest(_category_part(level1), _category_part(level2), name or '')}", occurrence)


def indicator_iris(goal: URIRef, indicators: list[IndicatorRecord]) -> list[URIRef]:
    """The IRIs of a goal's indicator records, in order (see `indicator_iri`)."""
    seen: dict[URIRef, int] = {}
    iris = []
    for indicator in indicators:
        categories = (indicator.level1 or indicator.level1_text, indicator.level2 or indicator.level2_text)
        first = indicator_iri(goal, indicator.name, *categories)
        seen[first] = seen.get(first, 0) + 1
        iris.append(indicator_iri(goal, indicator.name, *categories, occurrence=seen[first]))
    return iris


def _stated(subject: URIRef, pairs: tuple[tuple[URIRef, URIRef | Literal | None], ...]) -> Iterator[Triple]:
    """The triples of `subject` for the values the table states; what it leaves out gives none."""
    for predicate, value in pairs:
        if value is not None:
            yield subject, predicate, value


class Literals:
    """The literals of one document, each made once. A document's values come back many times (numbers,
    positions, true/false, a unit's or a category's wording, in every table of the file), and
    rdflib spends microseconds building each Literal; the mapper makes hundreds of thousands. Keyed
    by the value's exact type and text and the datatype, so only what is the same term shares an
    object (Decimal 1.0 and 1.00 are equal in Python but not the same literal)."""

    def __init__(self) -> None:
        self.made: dict[tuple[type, str, URIRef | None], Literal] = {}

    def __call__(self, value: str | int | Decimal, datatype: URIRef | None = None) -> Literal:
        key = (type(value), str(value), datatype)
        literal = self.made.get(key)
        if literal is None:
            literal = self.made[key] = Literal(value, datatype=datatype)
        return literal

    def year(self, year: int | None) -> Literal | None:
        return self(f"{year:04d}", XSD.gYear) if year is not None else None

    def decimal(self, value: Decimal) -> Literal:
        return self(value, XSD.decimal)


class Minter:
    """IRIs for one document under a base IRI."""

    def __init__(self, base: str, document: DocumentRecord) -> None:
        self.base = _base(base)
        self.document = URIRef(f"{self.base}source/{document.content_hash[:16]}")
        self.line_texts: dict[int, str] = document.line_texts
        self.literal = Literals()

    def row(self, line: int) -> URIRef:
        return URIRef(f"{self.document}/line/{line}")

    def agency(self, name: str) -> URIRef:
        return agency_iri(self.base, name)

    def owner(self, project: ProjectRecord) -> URIRef:
        """The enduring project (unit + name) or department-wide plan (unit) the table is a year of."""
        if project.kind == DEPARTMENT:
            return plan_iri(self.base, project.agency)
        return project_iri(self.base, project.agency, project.name)

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
    entities several tables share (the project or plan the table is a year of, the unit, units of
    measure, the source document) are repeated in every chunk that mentions them: a store keeps
    them once in its union and drops them with the last chunk that mentions them.
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
    return URIRef(f"{_base(base)}graph/{_digest(*key)}")


def document_chunks(document: DocumentRecord, base: str = DEFAULT_BASE) -> Iterator[GraphChunk]:
    """One chunk per declared table in the document, each with the document's provenance record.

    A chunk carries the source rows its table cites (and the rows the document's own notes cite);
    rows no table cites (a page's tail before the first table, a closing remark) ride with every
    chunk of the document, as the document's own record does: they stay while any table of the
    document is stored, whichever of its tables is later read from another file. So a file of
    fifty projects does not repeat its every row fifty times, and no row is lost.

    A document that declares nothing (no project) still gives one chunk, keyed by its content, so
    its provenance and notes are kept.
    """
    mint = Minter(base, document)
    provenance = list(_document_head(document, mint))
    if document.evaluations:  # self-evaluations are tables of their own kind (docs/selfeval.md)
        from jixiao.graph.evaluation import evaluation_chunks
        yield from _with_rows(list(evaluation_chunks(document, provenance, mint, base)), document, mint)
        return
    if not document.projects:
        key = ("source", document.content_hash)
        yield from _with_rows([GraphChunk(key, graph_iri(key, base), provenance, document.path)], document, mint)
        return
    chunks: list[GraphChunk] = []
    seen: dict[tuple[str, ...], int] = {}
    for project in document.projects:
        key = declared_key(project)
        # The same declaration twice in one document keeps both (a finding says so), told apart by occurrence.
        seen[key] = seen.get(key, 0) + 1
        occurrence = seen[key]
        if occurrence > 1:
            key = (*key, str(occurrence))
        chunks.append(GraphChunk(key, graph_iri(key, base), provenance + list(_project_triples(project, occurrence, mint)), document.path))
    yield from _with_rows(chunks, document, mint)


def _with_rows(chunks: list[GraphChunk], document: DocumentRecord, mint: Minter) -> Iterator[GraphChunk]:
    """Each chunk with the source rows it cites and the rows no chunk cites (few: usually none)."""
    prefix = f"{mint.document}/line/"
    cut = len(prefix)
    # str.startswith, not URIRef's: rdflib's own copies the string on every call.
    cited = [{int(o[cut:]) for _, _, o in chunk.triples if isinstance(o, URIRef) and str.startswith(o, prefix)} for chunk in chunks]
    uncited = set(document.line_texts).difference(*cited)
    for chunk, lines in zip(chunks, cited, strict=True):
        rows = sorted(lines | uncited)
        yield GraphChunk(chunk.key, chunk.graph, chunk.triples + list(_row_triples(document, rows, mint)), chunk.source)


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


def _document_head(document: DocumentRecord, mint: Minter) -> Iterator[Triple]:
    """The file and its own notes, without its rows."""
    doc = mint.document
    yield doc, RDF.type, JX.SourceDocument
    yield doc, JX.fileName, mint.literal(document.name)
    yield doc, JX.contentHash, mint.literal(document.content_hash)
    yield doc, JX.encoding, mint.literal(document.encoding)
    yield from note_triples(doc, document.notes, mint)


def _row_triples(document: DocumentRecord, lines: list[int], mint: Minter) -> Iterator[Triple]:
    doc = mint.document
    for number in lines:
        text = document.line_texts.get(number)
        if text is None:
            continue
        row = mint.row(number)
        yield row, RDF.type, JX.SourceRow
        yield row, JX.inDocument, doc
        yield row, JX.lineNumber, mint.literal(number)
        yield row, JX.rawText, mint.literal(text)


def _owner_triples(owner: URIRef, project: ProjectRecord, mint: Minter) -> Iterator[Triple]:
    """The enduring project or plan and its declaring unit: what every year of it says alike
    (the triples are repeated in each year's chunk, like the unit's)."""
    plan = project.kind == DEPARTMENT
    yield owner, RDF.type, JX.DepartmentPlan if plan else JX.Project
    if project.name and not plan:
        yield owner, RDFS.label, mint.literal(project.name)
    if project.agency:
        agency = mint.agency(project.agency)
        yield agency, RDF.type, JX.BudgetUnit
        yield agency, RDF.type, ORG.FormalOrganization
        yield agency, RDFS.label, mint.literal(project.agency)
        yield owner, JX.declaredBy, agency
        if project.agency_code:
            yield agency, ORG.identifier, mint.literal(project.agency_code)


def _project_triples(project: ProjectRecord, occurrence: int, mint: Minter) -> Iterator[Triple]:
    owner = mint.owner(project)
    yield from _owner_triples(owner, project, mint)
    plan = project.kind == DEPARTMENT
    subject = year_iri(owner, project.year, occurrence)
    yield subject, RDF.type, JX.PlanYear if plan else JX.ProjectYear
    yield subject, JX.yearOf, owner
    if project.name and plan:
        # A plan's title is the year's (it names the year); a project's name is the project's.
        yield subject, RDFS.label, mint.literal(project.name)
    if project.programme:
        programme = mint.programme(project.agency, project.programme)
        yield programme, RDF.type, JX.Programme
        yield programme, RDFS.label, mint.literal(project.programme)
        yield subject, JX.programme, programme
    for named in project.units:
        yield from _unit_triples(subject, named, project.agency, mint)
    yield from _budget_part_triples(subject, project.budget_parts, mint)
    yield from _stated(subject, (
        (JX.budget, mint.literal.decimal(project.budget) if project.budget is not None else None),
        (JX.budgetStated, mint.literal(project.budget_stated) if project.budget_stated else None),
        (JX.budgetStatedUnit, project.budget_unit),
        (JX.fiscalYear, mint.literal.year(project.year)),
    ))
    used_lines: set[int] = set()
    for goal in project.goals:
        yield from _goal_triples(subject, goal, mint, used_lines)
    for line in sorted(set(project.lines) - used_lines):
        yield subject, JX.sourceRow, mint.row(line)
    yield from note_triples(subject, project.notes, mint)


def _concept(local_name: str) -> URIRef:
    """A concept of the forms vocabulary (a jx:UnitRole or jx:ColumnRole, ontology/forms.ttl) by the
    local name the reader gives: the reader found it there, so it is not looked up in the closed JX."""
    return URIRef(f"{JX!s}{local_name}")


def _unit_triples(subject: URIRef, named: NamedUnit, agency: str | None, mint: Minter) -> Iterator[Triple]:
    """A unit the form names, once per name (org:Organization), linked from the year in its role.

    The declaring unit is part of what the project is and is stated on the project
    (`_owner_triples`); a unit named in the declaring role that is not the project's declaring
    unit is linked as a unit the form names, so the project keeps one declaring unit."""
    unit = mint.agency(named.name)
    yield unit, RDF.type, ORG.Organization
    yield unit, RDFS.label, mint.literal(named.name)
    if named.code:
        yield unit, ORG.identifier, mint.literal(named.code)
    role_property = vocabulary().graph.value(_concept(named.role), JX.roleProperty)
    if role_property == JX.declaredBy:
        if agency is None or canon(agency) != canon(named.name):
            yield subject, JX.involvesUnit, unit
    else:
        # A unit whose role concept declares no jx:roleProperty is still linked, as a unit the form names.
        yield subject, role_property if isinstance(role_property, URIRef) else JX.involvesUnit, unit
    if named.line is not None:
        yield subject, JX.sourceRow, mint.row(named.line)


def _budget_part_triples(subject: URIRef, parts: list[BudgetPart], mint: Minter) -> Iterator[Triple]:
    """Budget parts by their label (a second part of the same label is told apart by occurrence)."""
    seen: dict[str, int] = {}
    for part in parts:
        label = canon(part.label)
        seen[label] = seen.get(label, 0) + 1
        node = _nth(f"{subject}/budget-part/{_digest(label)}", seen[label])
        yield subject, JX.budgetPart, node
        yield node, RDF.type, JX.BudgetPart
        yield node, RDFS.label, mint.literal(part.label)
        yield node, JX.statedAmount, mint.literal(part.stated)
        if part.amount is not None:
            yield node, JX.amount, mint.literal.decimal(part.amount)
        if part.line is not None:
            yield node, JX.sourceRow, mint.row(part.line)


def _goal_triples(project: URIRef, goal: GoalRecord, mint: Minter, used_lines: set[int]) -> Iterator[Triple]:
    subject = goal_iri(project, goal.kind, goal.number)
    yield project, JX.hasGoal, subject
    yield subject, RDF.type, GOAL_CLASS[goal.kind]
    if goal.label:
        yield subject, RDFS.label, mint.literal(goal.label)
    if goal.statement:
        yield subject, JX.statement, mint.literal(goal.statement)
    for line in (goal.statement_line, goal.label_line):
        if line is not None:
            used_lines.add(line)
            yield subject, JX.sourceRow, mint.row(line)
    for indicator, iri in zip(goal.indicators, indicator_iris(subject, goal.indicators), strict=True):
        used_lines.update(indicator.lines)
        yield from _indicator_triples(subject, iri, indicator, mint)
    yield from note_triples(subject, goal.notes, mint)


def _indicator_triples(goal: URIRef, subject: URIRef, indicator: IndicatorRecord, mint: Minter) -> Iterator[Triple]:
    vocab = vocabulary()
    yield goal, JX.hasIndicator, subject
    yield subject, RDF.type, indicator.level2 or JX.Indicator
    yield subject, JX.position, mint.literal(indicator.position)
    yield from _stated(subject, (
        (RDFS.label, mint.literal(indicator.name) if indicator.name else None),
        (JX.category, indicator.level2),
        (JX.statedLevel1, indicator.level1),
    ))
    # The original wording is kept where it differs from the framework's preferred label.
    for text, concept, predicate in ((indicator.level1_text, indicator.level1, JX.statedLevel1Text),
                                     (indicator.level2_text, indicator.level2, JX.statedLevel2Text)):
        if text and (concept is None or canon(text) != canon(vocab.label_zh[concept])):
            yield subject, predicate, mint.literal(text)
    yield from _stated(subject, (
        (JX.basis, indicator.basis),
        (JX.basisText, mint.literal(indicator.basis_text) if indicator.basis_text else None),
        (JX.description, mint.literal(indicator.description) if indicator.description else None),
    ))
    if indicator.value is not None:
        yield from _target_triples(subject, indicator.value, mint)
    if indicator.previous is not None:
        previous = URIRef(f"{subject}/previous")
        yield subject, JX.previousActual, previous
        yield previous, RDF.type, JX.ActualValue
        yield from _stated(previous, ((JX.valueYear, mint.literal.year(indicator.previous_year)),))
        yield from value_triples(previous, indicator.previous, mint)
    for role, text in sorted(indicator.extra.items()):
        column = URIRef(f"{subject}/column/{role}")
        yield subject, JX.columnValue, column
        yield column, RDF.type, JX.ColumnValue
        yield column, JX.columnRole, _concept(role)
        yield column, JX.cellText, mint.literal(text)
    for line in indicator.lines:
        yield subject, JX.sourceRow, mint.row(line)
    yield from note_triples(subject, indicator.notes, mint)


def _target_triples(indicator: URIRef, value: ParsedValue, mint: Minter) -> Iterator[Triple]:
    subject = URIRef(f"{indicator}/target")
    yield indicator, JX.target, subject
    yield from value_triples(subject, value, mint)


def value_triples(subject: URIRef, value: ParsedValue, mint: Minter) -> Iterator[Triple]:
    """A value as written and as understood: quantitative, a period, or qualitative."""
    yield subject, JX.statedValue, mint.literal(value.stated)
    if value.period:
        yield subject, RDF.type, JX.PeriodTarget
        if value.comparator is not None:
            yield subject, JX.comparator, value.comparator
        for predicate, date in ((JX.periodStart, value.period_start), (JX.periodEnd, value.period_end)):
            if date is not None:
                yield subject, predicate, mint.literal(date, _DATE_TYPES[date.count("-") + 1])
        return
    if not value.quantitative:
        yield subject, RDF.type, JX.QualitativeTarget
        return
    yield subject, RDF.type, JX.QuantitativeTarget
    if value.comparator is not None:
        yield subject, JX.comparator, value.comparator
    # Whether the comparator was written: "280人次" is read as "=" but says none.
    yield subject, JX.comparatorStated, mint.literal(value.comparator_stated)
    assert value.number is not None and value.stated_number is not None
    yield subject, JX.numericValue, mint.literal.decimal(value.number)
    yield subject, JX.statedNumber, mint.literal.decimal(value.stated_number)
    if value.upper is not None and value.stated_upper is not None:
        yield subject, JX.upperValue, mint.literal.decimal(value.upper)
        yield subject, JX.statedUpperNumber, mint.literal.decimal(value.stated_upper)
    if value.unit is not None:
        yield from _unit_of_measure(subject, value.unit, mint)
    elif value.unit_text:
        # A unit not in the unit table is kept as written, as a unit of its own.
        unit = mint.unit(value.unit_text)
        yield unit, RDF.type, JX.UnitOfMeasure
        yield unit, RDFS.label, mint.literal(value.unit_text)
        yield subject, JX.unit, unit
    if value.stated_unit is not None:
        yield subject, JX.statedUnit, value.stated_unit


def _unit_of_measure(subject: URIRef, unit: Unit, mint: Minter) -> Iterator[Triple]:
    """The value's base unit; one the value grammar composed (次/月) is declared once, like a unit
    kept as written, with its base unit, factor and kind."""
    if unit.base in vocabulary().declared_units:
        yield subject, JX.unit, unit.base
        return
    base = mint.unit(unit.base_label)
    yield base, RDF.type, JX.UnitOfMeasure
    yield base, RDFS.label, mint.literal(unit.base_label)
    yield base, JX.baseUnit, base
    yield base, JX.conversionFactor, mint.literal.decimal(Decimal(1))
    if unit.kind is not None:
        yield base, JX.quantityKind, unit.kind
    yield subject, JX.unit, base


def note_triples(subject: URIRef, notes: list[Note], mint: Minter) -> Iterator[Triple]:
    """The repairs and findings recorded while reading a row or table, each a node about `subject`."""
    for index, note in enumerate(notes, start=1):
        node = URIRef(f"{subject}/note/{index}")
        yield node, RDF.type, JX.Finding if note.finding else JX.Repair
        yield node, JX.noteKind, JX[note.kind]
        yield node, JX.concerns, subject
        # A note that saw the whole row points to the row instead of repeating its text.
        if note.saw and note.saw != mint.line_texts.get(note.line or 0):
            yield node, JX.saw, mint.literal(note.saw)
        yield node, JX.decision, mint.literal(note.decision)
        if note.line is not None:
            yield node, JX.atRow, mint.row(note.line)


__all__ = ["GraphChunk", "Minter", "agency_iri", "declared_key", "document_chunks", "document_graph", "document_triples", "goal_iri", "graph_iri",
           "indicator_iri", "indicator_iris", "note_triples", "plan_iri", "plan_year_iri", "project_iri", "project_year_iri", "value_triples", "year_iri"]
