"""Parse pyshacl's reports into plain results: severity, project, indicator, messages, source row.

Each part's report is read against the part's own data (to find the project, the indicator and
the table row of each focus node); `merge` then makes one report of all parts, each result once
(nodes shared by several parts are reported by each), in the order of the tables.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any, Protocol

from rdflib import BNode, Graph, Literal
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from jixiao.namespaces import JX, JXS, SH
from jixiao.validation.partition import PARTS, ROOT_CLASS
from jixiao.validation.shapes import shapes_graph

SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}

Triple = tuple[Node, Node, Node]


@dataclass(frozen=True)
class Result:
    """One thing a reviewer should look at, as `validate --format json` prints it (plus where from)."""

    severity: str
    project: str | None
    indicator: str | None
    message_zh: str
    message_en: str
    source: str | None
    shape: str
    agency: str | None = None  # the declaring unit, for grouping (not in the JSON contract)
    stated: str | None = None  # the indicator's target as written, for the text report
    focus: str = ""

    def as_json(self) -> dict[str, Any]:
        return {key: getattr(self, key) for key in ("severity", "project", "indicator", "message_zh", "message_en", "source", "shape")}


@dataclass
class Report:
    """Results of a validation and the standard SHACL report they came from.

    The report's graph is built when first asked for (`validate --format ttl`, the tests): the text
    and JSON reports need only the results, and at 100,000 projects the graph of 89,343 results is
    about a million rdflib triples held for nothing.
    """

    results: list[Result]
    found: list[Found]  # each result with its SHACL description, once each, in the order found

    @cached_property
    def graph(self) -> Graph:
        """The standard sh:ValidationReport of the results."""
        return report_graph(self.found)

    @property
    def conforms(self) -> bool:
        """No Violation (Warnings and Infos do not make a table wrong); the CLI exits 0 on it."""
        return not any(r.severity == "Violation" for r in self.results)

    def counts(self) -> dict[tuple[str, str], int]:
        """Number of results per (shape, severity)."""
        table: dict[tuple[str, str], int] = {}
        for r in self.results:
            table[r.shape, r.severity] = table.get((r.shape, r.severity), 0) + 1
        return table


def _parent(graph: Graph, node: Node) -> Node | None:
    for p in PARTS:
        for subject in graph.subjects(p, node):
            return subject
    return None


def _term_order(term: Node) -> tuple[str, str]:
    """A total order of terms that no store's order changes: kind (IRI, blank node, literal), then text."""
    return type(term).__name__, str(term)


def _one(graph: Graph, node: Node | None, predicate: Node) -> Node | None:
    """The value of `predicate` for `node`; of several (malformed or loose data: two labels, two
    targets), the least in `_term_order`, not rdflib's first, which follows the order the store
    returned statements in, so that every store and route reports the same."""
    if node is None:
        return None
    return min(graph.objects(node, predicate), key=_term_order, default=None)


def _label(graph: Graph, node: Node | None) -> str | None:
    value = _one(graph, node, RDFS.label)
    return str(value) if value is not None else None


def _stated(graph: Graph, indicator: Node | None) -> str | None:
    """An indicator's target values as written: of several targets, each distinct text once, in order, joined."""
    targets = graph.objects(indicator, JX.target) if indicator is not None else ()
    texts = sorted({str(stated) for target in targets for stated in graph.objects(target, JX.statedValue)})
    return "；".join(texts) if texts else None


def _owner(graph: Graph, year: Node) -> Node | None:
    """The project (or plan) a year is of; of several (malformed data), the same one whatever the
    graph's order: a named one first, then by IRI (so every validation route reports it alike)."""
    owners = sorted(graph.objects(year, JX.yearOf), key=lambda o: (_one(graph, o, RDFS.label) is None, str(o)))
    return owners[0] if owners else None


def _best_row(graph: Graph, node: Node) -> Node | None:
    """The node's source row that shows it best: its statement, else its name, else the first."""
    rows = sorted(graph.objects(node, JX.sourceRow), key=lambda r: (int(_one(graph, r, JX.lineNumber) or 0), str(r)))
    owner = _owner(graph, node)  # a year shows best by its project's name
    for text in (_one(graph, node, JX.statement), _one(graph, node, RDFS.label), _one(graph, owner, RDFS.label)):
        if text is not None:
            for row in rows:
                if str(text) in str(_one(graph, row, JX.rawText) or ""):
                    return row
    return rows[0] if rows else None


def _where(graph: Graph, row: Node | None) -> str | None:
    if row is None:
        return None
    document = _one(graph, row, JX.inDocument)
    name = _one(graph, document, JX.fileName)
    line = _one(graph, row, JX.lineNumber)
    return f"{name or document}:{line}" if line is not None else str(name or document)


@dataclass(frozen=True)
class Place:
    """Where a focus node is, in the table's own words."""

    agency: str | None
    project: str | None
    indicator: str | None
    stated: str | None  # the indicator's target value as written
    source: str | None  # file:line


def chain(graph: Graph, focus: Node) -> Iterator[Node]:
    """The nodes `locate` walks for a focus node: what a note concerns (else the node itself), then up
    its part-of chain (each node once, should malformed data make a cycle)."""
    walk: Node | None = _one(graph, focus, JX.concerns) or focus
    seen: set[Node] = set()
    while walk is not None and walk not in seen:
        seen.add(walk)
        yield walk
        walk = _parent(graph, walk)


def row_giver(graph: Graph, focus: Node) -> Node | None:
    """The node whose source rows `locate` chooses from for a focus node (`_best_row`): None when the
    focus has a row of its own (jx:atRow), else the first node up its part-of chain (from what a note
    concerns) that has any."""
    if _one(graph, focus, JX.atRow) is not None:
        return None
    return next((walk for walk in chain(graph, focus) if (walk, JX.sourceRow, None) in graph), None)


def locate(graph: Graph, focus: Node) -> Place:
    """The project, indicator and source row of a focus node (a note speaks of what it concerns)."""
    row = _one(graph, focus, JX.atRow)
    indicator = project = evaluation = None
    for walk in chain(graph, focus):  # a reading note speaks of what it concerns
        if row is None:
            row = _best_row(graph, walk)
        if indicator is None and (walk, RDF.type, JX.Indicator) in graph:
            indicator = walk
        if (walk, RDF.type, ROOT_CLASS) in graph:
            project = walk
        evaluation = evaluation or _evaluation(graph, walk)
    if project is None and evaluation is not None:
        return _evaluated(graph, evaluation, row)
    # A year's name and unit are its project's (a plan-year may carry its own title).
    owner = _owner(graph, project) if project is not None else None
    agency = _one(graph, owner, JX.declaredBy)
    if project is not None and _one(graph, project, RDFS.label) is None:
        project = owner
    return Place(_label(graph, agency), _label(graph, project), _label(graph, indicator), _stated(graph, indicator),
                 _where(graph, row))


def _evaluation(graph: Graph, node: Node) -> Node | None:
    """The self-evaluation `node` is (it evaluates something) or belongs to (an indicator result), else None."""
    if (node, JX.evaluates, None) in graph:
        return node
    return _one(graph, node, JX.evaluation)


def _evaluated(graph: Graph, evaluation: Node, row: Node | None) -> Place:
    """Where a self-evaluation's finding goes: under the project and unit it evaluates, as the
    evaluation names them (the same name and unit resource as the target table's), so a reviewer
    sees it beside the target table's findings; a department-wide one (no project) under its unit."""
    name = _one(graph, evaluation, JX.evaluatedProjectName)
    return Place(_label(graph, _one(graph, evaluation, JX.evaluatedUnit)), str(name) if name is not None else None, None, None,
                 _where(graph, row))


@lru_cache(maxsize=256)
def _message_templates(shape: Node) -> tuple[tuple[re.Pattern[str], str | None], ...]:
    """The shape's sh:message templates (its own and its SPARQL constraints') as patterns, with languages."""
    shapes = shapes_graph()
    owners = [shape, *shapes.objects(shape, SH.sparql)]
    templates = [m for owner in owners for m in shapes.objects(owner, SH.message) if isinstance(m, Literal)]
    return tuple((re.compile(".*?".join(re.escape(part) for part in _PLACEHOLDER.split(str(m))), re.DOTALL), m.language)
                 for m in templates)


_PLACEHOLDER = re.compile(r"\{[?$][A-Za-z_][A-Za-z0-9_]*\}")


def _messages(report: Graph, result: Node) -> tuple[str, str]:
    """(Chinese, English) messages of a result.

    pyshacl drops the language tag of a message once it fills in a template's {?variables}, so an
    untagged message takes the language of the shape's template it matches.
    """
    templates = _message_templates(report.value(result, SH.sourceShape))
    by_language: dict[str | None, str] = {}
    for message in report.objects(result, SH.resultMessage):
        text = str(message)
        language = message.language if isinstance(message, Literal) else None
        if language is None:
            language = next((lang for pattern, lang in templates if pattern.fullmatch(text)), None)
        by_language.setdefault(language, text)
    plain = by_language.get(None, "")
    return by_language.get("zh", plain), by_language.get("en", plain)


def shape_name(shape: Node | None) -> str:
    text = str(shape)
    return "jxs:" + text[len(str(JXS)):] if text.startswith(str(JXS)) else text


def _result_key(report: Graph, result: Node) -> tuple[str, ...]:
    """What makes a result the same result in two parts' reports (its messages too: one SHACL-SPARQL
    constraint may give one focus node several results that differ only in what they say)."""
    return (*(str(report.value(result, p)) for p in (SH.focusNode, SH.sourceShape, SH.sourceConstraintComponent, SH.value)),
            *sorted(str(m) for m in report.objects(result, SH.resultMessage)))


def _description(report: Graph, node: Node) -> Iterator[Triple]:
    """`node`'s triples and, recursively, those of the blank nodes they point to."""
    for p, o in report.predicate_objects(node):
        yield node, p, o
        if isinstance(o, BNode):
            yield from _description(report, o)


class Description(Protocol):
    """A result's SHACL description (its sh:ValidationResult node and triples), for the report graph."""

    @property
    def node(self) -> Node: ...

    def triples(self) -> Iterable[Triple]: ...


@dataclass(frozen=True)
class HeldDescription:
    """A description held as its triples: those of a part's pyshacl report (picklable for workers)."""

    node: Node
    held: tuple[Triple, ...]

    def triples(self) -> Iterable[Triple]:
        return self.held


@dataclass(frozen=True)
class Found:
    """One result, located in its data, with its SHACL description (held, or made when the report graph is built)."""

    key: tuple[str, ...]
    description: Description
    result: Result


def found_in(data: Graph, report: Graph) -> list[Found]:
    """The results of a SHACL report on `data`, with their project, indicator and source row."""
    found = []
    for node in report.objects(None, SH.result):  # top-level results, not nested sh:detail ones
        focus = report.value(node, SH.focusNode)
        place = locate(data, focus)
        zh, en = _messages(report, node)
        severity = report.value(node, SH.resultSeverity)
        result = Result(SEVERITIES.get(severity, str(severity)), place.project, place.indicator, zh, en, place.source,
                        shape_name(report.value(node, SH.sourceShape)), place.agency, place.stated, str(focus))
        found.append(Found(_result_key(report, node), HeldDescription(node, tuple(_description(report, node))), result))
    return found


def merge(found: Iterable[Found]) -> Report:
    """One report of the results of all parts, each result once (shared nodes are in several parts)."""
    seen: set[tuple[str, ...]] = set()
    kept: list[Found] = []
    for item in found:
        if item.key not in seen:
            seen.add(item.key)
            kept.append(item)
    return Report(_in_table_order([item.result for item in kept]), kept)


def report_graph(found: Iterable[Found]) -> Graph:
    """The sh:ValidationReport graph of the results (each given once)."""
    graph = Graph()
    graph.bind("sh", SH)
    graph.bind("jxs", JXS)
    root = BNode()
    graph.add((root, RDF.type, SH.ValidationReport))
    conforms = True
    for item in found:
        conforms = False
        graph.add((root, SH.result, item.description.node))
        for triple in item.description.triples():
            graph.add(triple)
    # Standard SHACL: a graph conforms when there is no result at all, whatever its severity.
    graph.add((root, SH.conforms, Literal(conforms)))
    return graph


def _position(result: Result) -> tuple[str, int]:
    file, _, line = (result.source or "").rpartition(":")
    return (file, int(line)) if line.isdigit() else (result.source or "", 0)


def _in_table_order(results: list[Result]) -> list[Result]:
    """Projects in the order of the tables, each project's results together, by line then severity."""
    first: dict[tuple[str | None, str | None], tuple[str, int]] = {}
    for r in results:
        key = (r.agency, r.project)
        first[key] = min(first.get(key, _position(r)), _position(r))
    return sorted(results, key=lambda r: (r.project is None, first[r.agency, r.project], r.agency or "", r.project or "",
                                          _position(r), SEVERITY_ORDER.get(r.severity, 3), r.shape, r.focus,
                                          # one focus node may get several results of one shape (a SHACL-SPARQL
                                          # constraint's solutions): by message, whatever order a route found them in
                                          r.message_zh, r.message_en))
