"""Validate performance-target graphs with the SHACL shapes in shapes/ and report what a reviewer flags.

Inference. The shapes speak of the ontology's classes (a shape on jx:OutputIndicator must see every
quantity indicator, a shape on jx:Indicator every indicator), but the data assert only the most
specific class. Validation therefore runs on the data with their RDFS type entailments
materialised: the rdf:type triples the ontology's domain, range, sub-property, inverse and
sub-class axioms entail, from the schema the reasoner compiles (reason.compile_schema). That is
the part of the OWL RL closure the shapes depend on, and on the seed it equals the types owlrl's
RDFS and OWL RL closures give,
apart from the universal classes rdfs:Resource and owl:Thing (tests/test_validate.py checks it).
The rest of the OWL RL closure (inverse and super-property triples, owl:sameAs, ...) is not used by any shape,
and computing it costs far more (DESIGN.md: 78 s at 1,000 projects). Each triple's entailed types
depend on that triple alone, so they can be computed project by project.

Scale. pyshacl over one large graph grows faster than the data, so the data are split into one
chunk per project (or per batch of projects): the project, its goals, indicators, targets and
reading notes, what they point to (source rows and documents, the declaring unit), and the
ontology terms they use (one hop: a unit's quantity kind and labels, a category's parent). No
shape looks beyond the focus node's own project and the ontology terms it uses, so each chunk
gives the results the whole graph gives for its nodes; what belongs to no project is validated as
a last chunk, and results on nodes shared by several chunks (a document, a declaring unit) are
kept once. tests/test_validate.py checks per-project and whole-graph results are identical, and
tests/test_shacl_crosscheck.py that TopQuadrant's SHACL finds the same on the whole graph.

pyshacl hands every SHACL-SPARQL constraint to rdflib as text once per focus node, and rdflib
parses it each time (90 % of the time on the seed); the chunks are rdflib graphs that prepare
each distinct query text once (rdflib's prepared queries are made for reuse with new bindings).
"""

from __future__ import annotations

import json
import multiprocessing
import re
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from pyshacl import validate as pyshacl_validate
from rdflib import BNode, Graph, Literal
from rdflib.namespace import RDF, RDFS
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node

from jixiao.graph.reason import compile_schema
from jixiao.namespaces import JX, JXS, SH
from jixiao.resources import resource_dir
from jixiao.vocabulary import vocabulary

INFERENCE = "rdfs-types"  # the explicit choice: type entailment only, materialised (see module docstring)
SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}
DEFAULT_BATCH = 1  # projects per pyshacl run: 1 to 10 take the same time, see benchmarks/bench_validate.py
# The structure of a project: what is part of it (its goals, their indicators, their targets).
PARTS = (JX.hasGoal, JX.hasIndicator, JX.target)

Triple = tuple[Node, Node, Node]


# ---------------------------------------------------------------------------------------------
# Inference: RDFS type entailment
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TypeRules:
    """The rdf:type triples a triple entails, read from the ontology once."""

    superclasses: dict[Node, frozenset[Node]]  # a class → itself and all its superclasses
    domains: dict[Node, frozenset[Node]]  # a property → the classes its subjects get
    ranges: dict[Node, frozenset[Node]]  # a property → the classes its (non-literal) objects get


def type_rules(ontology: Graph) -> TypeRules:
    """The rdf:type part of the ontology's axioms, as compiled once by the reasoner (reason.py).

    Each class maps to itself and its superclasses; each property to the classes its subjects and
    (non-literal) objects get, through its super-properties and inverses.
    """
    schema = compile_schema(ontology)
    superclasses: dict[Node, frozenset[Node]] = {cls: frozenset({cls, *parents}) for cls, parents in schema.superclasses.items()}
    domains: dict[Node, frozenset[Node]] = {p: r.subject_types for p, r in schema.properties.items() if r.subject_types}
    ranges: dict[Node, frozenset[Node]] = {p: r.object_types for p, r in schema.properties.items() if r.object_types}
    return TypeRules(superclasses, domains, ranges)


@cache
def ontology_rules() -> TypeRules:
    return type_rules(vocabulary().graph)


def entailed_types(triples: Iterable[Triple], rules: TypeRules) -> Iterator[Triple]:
    """The rdf:type triples RDFS entails from each triple (duplicates possible)."""
    for s, p, o in triples:
        if p == RDF.type:
            yield from ((s, RDF.type, c) for c in rules.superclasses.get(o, ()))
        for cls in rules.domains.get(p, ()):
            yield s, RDF.type, cls
        if not isinstance(o, Literal):
            for cls in rules.ranges.get(p, ()):
                yield o, RDF.type, cls


def materialise_types(graph: Graph, rules: TypeRules | None = None) -> Graph:
    """Add to `graph`, in place, the rdf:type triples RDFS entails from its triples; return it."""
    rules = rules or ontology_rules()
    for triple in list(entailed_types(graph, rules)):
        graph.add(triple)
    return graph


# ---------------------------------------------------------------------------------------------
# Shapes and the graphs pyshacl runs on
# ---------------------------------------------------------------------------------------------


def shape_files() -> list[Path]:
    return sorted(resource_dir("shapes").glob("*.ttl"))


@cache
def shapes_graph() -> Graph:
    """All shapes files as one graph (shared: do not modify)."""
    graph = Graph()
    for path in shape_files():
        graph.parse(path, format="turtle")
    return graph


@lru_cache(maxsize=1024)
def _prepared(text: str) -> Query:
    return prepareQuery(text)


class PreparingGraph(Graph):
    """An rdflib graph that parses each distinct SPARQL text once per process (see module docstring)."""

    def query(self, query_object: Any, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        if isinstance(query_object, str):
            query_object = _prepared(query_object)
        return super().query(query_object, *args, **kwargs)


@cache
def _ontology_by_subject() -> dict[Node, tuple[Triple, ...]]:
    table: dict[Node, list[Triple]] = {}
    for triple in vocabulary().graph:
        table.setdefault(triple[0], []).append(triple)
    return {subject: tuple(triples) for subject, triples in table.items()}


def _parts(data: Graph, roots: Iterable[Node]) -> set[Node]:
    """The roots, their parts (goals, indicators, targets) and the reading notes about them."""
    parts: set[Node] = set()
    stack = list(roots)
    while stack:
        node = stack.pop()
        if node in parts:
            continue
        parts.add(node)
        stack.extend(o for p in PARTS for o in data.objects(node, p))
    parts.update(note for node in list(parts) for note in data.subjects(JX.concerns, node))
    return parts


def _reach(data: Graph, start: set[Node], projects: set[Node], terms: dict[Node, Any]) -> set[Node]:
    """`start` and every resource reached from it by outgoing edges, short of ontology terms,
    rdf:type objects and projects not in `start`."""
    seen = set(start)
    stack = list(start)
    while stack:
        for p, o in data.predicate_objects(stack.pop()):
            if p != RDF.type and not isinstance(o, Literal) and o not in seen and o not in projects and o not in terms:
                seen.add(o)
                stack.append(o)
    return seen


def _chunk_graph(data: Graph, nodes: set[Node], terms: dict[Node, tuple[Triple, ...]]) -> Graph:
    """The nodes' triples, and for every ontology term they point to (one hop) what the ontology
    and the data (their entailed types) say of it: a unit's quantity kind and labels, a category's parent."""
    graph = PreparingGraph()
    for node in nodes:
        for p, o in data.predicate_objects(node):
            graph.add((node, p, o))
    for term in {o for o in graph.objects() if o in terms}:
        for triple in terms[term]:
            graph.add(triple)
        for p, o in data.predicate_objects(term):
            graph.add((term, p, o))
    return graph


def partition(data: Graph, batch: int = DEFAULT_BATCH) -> Iterator[set[Node]]:
    """The resources of each chunk: `batch` projects at a time, then what belongs to no project.

    `data` must already have its types materialised, so that a project known only by the domain
    of jx:hasGoal is still a project.
    """
    terms = _ontology_by_subject()
    # Projects and department-wide plans alike (jx:PerformanceObject, entailed for both).
    projects = set(data.subjects(RDF.type, JX.PerformanceObject))
    ordered = sorted(projects, key=str)
    size = max(1, batch)
    placed: set[Node] = set()
    for start in range(0, len(ordered), size):
        nodes = _reach(data, _parts(data, ordered[start:start + size]), projects, terms)
        placed |= nodes
        yield nodes
    rest = {s for s in data.subjects() if s not in placed and s not in terms}
    if rest:
        yield _reach(data, rest, projects, terms)


def chunks(data: Graph, batch: int = DEFAULT_BATCH) -> Iterator[Graph]:
    """The graphs to validate one by one (see `partition`)."""
    terms = _ontology_by_subject()
    return (_chunk_graph(data, nodes, terms) for nodes in partition(data, batch))


def whole_graph(data: Graph, graph_class: type[Graph] = PreparingGraph) -> Graph:
    """Data, their entailed types and the whole ontology in one graph: the reference route."""
    graph = graph_class()
    for triple in data:
        graph.add(triple)
    materialise_types(graph)
    for triple in vocabulary().graph:
        graph.add(triple)
    return graph


def run_pyshacl(graph: Graph) -> Graph:
    """The standard SHACL validation report of `graph` against the shapes (no inference by pyshacl)."""
    _conforms, report, _text = pyshacl_validate(graph, shacl_graph=shapes_graph(), inference="none",
                                               advanced=False, abort_on_first=False, meta_shacl=False)
    return report


# ---------------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------------


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
    """Results of a validation and the standard SHACL report they came from."""

    results: list[Result]
    graph: Graph

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


def _label(graph: Graph, node: Node | None) -> str | None:
    value = graph.value(node, RDFS.label) if node is not None else None
    return str(value) if value is not None else None


def _best_row(graph: Graph, node: Node) -> Node | None:
    """The node's source row that shows it best: its statement, else its name, else the first."""
    rows = sorted(graph.objects(node, JX.sourceRow), key=lambda r: int(graph.value(r, JX.lineNumber) or 0))
    for text in (graph.value(node, JX.statement), graph.value(node, RDFS.label)):
        if text is not None:
            for row in rows:
                if str(text) in str(graph.value(row, JX.rawText) or ""):
                    return row
    return rows[0] if rows else None


def _where(graph: Graph, row: Node | None) -> str | None:
    if row is None:
        return None
    document = graph.value(row, JX.inDocument)
    name = graph.value(document, JX.fileName) if document is not None else None
    line = graph.value(row, JX.lineNumber)
    return f"{name or document}:{line}" if line is not None else str(name or document)


@dataclass(frozen=True)
class Place:
    """Where a focus node is, in the table's own words."""

    agency: str | None
    project: str | None
    indicator: str | None
    stated: str | None  # the indicator's target value as written
    source: str | None  # file:line


def locate(graph: Graph, focus: Node) -> Place:
    """The project, indicator and source row of a focus node (a note speaks of what it concerns)."""
    row = graph.value(focus, JX.atRow)
    node = graph.value(focus, JX.concerns) or focus  # a reading note speaks of what it concerns
    indicator = project = None
    walk: Node | None = node
    while walk is not None:
        if row is None:
            row = _best_row(graph, walk)
        if indicator is None and (walk, RDF.type, JX.Indicator) in graph:
            indicator = walk
        if (walk, RDF.type, JX.PerformanceObject) in graph:
            project = walk
        walk = _parent(graph, walk)
    agency = graph.value(project, JX.declaredBy) if project is not None else None
    target = graph.value(indicator, JX.target) if indicator is not None else None
    stated = graph.value(target, JX.statedValue) if target is not None else None
    return Place(_label(graph, agency), _label(graph, project), _label(graph, indicator),
                 str(stated) if stated is not None else None, _where(graph, row))


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


def _shape_name(shape: Node | None) -> str:
    text = str(shape)
    return "jxs:" + text[len(str(JXS)):] if text.startswith(str(JXS)) else text


def _result_key(report: Graph, result: Node) -> tuple[str, ...]:
    """What makes a result the same result in two chunks' reports."""
    return tuple(str(report.value(result, p)) for p in (SH.focusNode, SH.sourceShape, SH.sourceConstraintComponent, SH.value))


def _description(report: Graph, node: Node) -> Iterator[Triple]:
    """`node`'s triples and, recursively, those of the blank nodes they point to."""
    for p, o in report.predicate_objects(node):
        yield node, p, o
        if isinstance(o, BNode):
            yield from _description(report, o)


@dataclass(frozen=True)
class Found:
    """One result of a chunk's SHACL report, located in the chunk's data (picklable for workers)."""

    key: tuple[str, ...]
    node: Node
    description: tuple[Triple, ...]
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
                        _shape_name(report.value(node, SH.sourceShape)), place.agency, place.stated, str(focus))
        found.append(Found(_result_key(report, node), node, tuple(_description(report, node)), result))
    return found


def merge(found: Iterable[Found]) -> Report:
    """One report of the results of all chunks, each result once (shared nodes are in several chunks)."""
    graph = Graph()
    graph.bind("sh", SH)
    graph.bind("jxs", JXS)
    root = BNode()
    graph.add((root, RDF.type, SH.ValidationReport))
    seen: set[tuple[str, ...]] = set()
    results: list[Result] = []
    for item in found:
        if item.key in seen:
            continue
        seen.add(item.key)
        graph.add((root, SH.result, item.node))
        for triple in item.description:
            graph.add(triple)
        results.append(item.result)
    # Standard SHACL: a graph conforms when there is no result at all, whatever its severity.
    graph.add((root, SH.conforms, Literal(not results)))
    return Report(_in_table_order(results), graph)


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
                                          _position(r), SEVERITY_ORDER.get(r.severity, 3), r.shape, r.focus))


def validate_graph(data: Graph, batch: int = DEFAULT_BATCH, whole: bool = False, workers: int = 1,
                   in_place: bool = False) -> Report:
    """Validate data (without the ontology) per `batch` projects, or as one graph (`whole`).

    `workers` > 1 validates chunks in that many forked processes; `in_place` lets the types be
    added to `data` itself instead of a copy.
    """
    if whole:
        graph = whole_graph(data)
        return merge(found_in(graph, run_pyshacl(graph)))
    typed = materialise_types(data if in_place else Graph() + data)
    return merge(found for part in _validate_chunks(typed, batch, workers) for found in part)


def _validate_chunk(data: Graph, nodes: set[Node]) -> list[Found]:
    chunk = _chunk_graph(data, nodes, _ontology_by_subject())
    return found_in(chunk, run_pyshacl(chunk))


_FORKED: tuple[Graph, list[set[Node]]] | None = None  # what forked workers inherit instead of pickling it


def _validate_forked(index: int) -> list[Found]:
    assert _FORKED is not None
    data, parts = _FORKED
    return _validate_chunk(data, parts[index])


def _validate_chunks(typed: Graph, batch: int, workers: int) -> Iterator[list[Found]]:
    """Each chunk's results, in order; in forked worker processes when asked and possible."""
    parts = list(partition(typed, batch))
    if workers <= 1 or len(parts) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        yield from (_validate_chunk(typed, nodes) for nodes in parts)
        return
    global _FORKED
    shapes_graph()  # parsed once, before the fork, for every worker
    _FORKED = (typed, parts)
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            yield from pool.map(_validate_forked, range(len(parts)), chunksize=max(1, len(parts) // (workers * 8)))
    finally:
        _FORKED = None


def validate_paths(paths: Sequence[str | Path], base: str | None = None, year: int | None = None,
                   batch: int = DEFAULT_BATCH, workers: int = 1) -> Report:
    """Validate RDF files or table files (ingested on the fly), or directories of them."""
    from jixiao.graph.build import load_graph
    from jixiao.namespaces import DEFAULT_BASE

    data = load_graph(paths, base or DEFAULT_BASE, year, with_ontology=False)
    return validate_graph(data, batch, workers=workers, in_place=True)


# ---------------------------------------------------------------------------------------------
# Renderers
# ---------------------------------------------------------------------------------------------

SEVERITY_ZH = {"Violation": "违规", "Warning": "警告", "Info": "提示"}


def render_json(report: Report) -> str:
    """DESIGN.md's structure; "conforms" is the exit status's sense: no Violation. (The ttl report's
    sh:conforms keeps SHACL's sense: no result of any severity.)"""
    return json.dumps({"conforms": report.conforms, "results": [r.as_json() for r in report.results]},
                      ensure_ascii=False, indent=2) + "\n"


def render_ttl(report: Report) -> str:
    return report.graph.serialize(format="turtle")


def render_text(report: Report) -> str:
    """Grouped by project; each result in the table's language (Chinese) with English beside."""
    lines: list[str] = []
    group: tuple[str | None, str | None] | None = None
    for r in report.results:
        if (r.agency, r.project) != group:
            group = (r.agency, r.project)
            title = f"项目 {r.project}" if r.project else "（不属于任何项目）"
            lines += ["", f"{title}  ({r.agency or 'no project'})" if r.agency or not r.project else title]
        named = r.indicator and f"指标 {r.indicator}" + (f"（{r.stated}）" if r.stated else "")
        where = "  ".join(part for part in (named, r.source, r.shape) if part)
        lines.append(f"  {SEVERITY_ZH.get(r.severity, r.severity)} {r.severity:<9} {where}")
        lines.append(f"      {r.message_zh}")
        lines.append(f"      {r.message_en}")
    counts = {s: sum(1 for r in report.results if r.severity == s) for s in SEVERITY_ORDER}
    summary = "，".join(f"{SEVERITY_ZH[s]} {n}" for s, n in counts.items())
    summary_en = ", ".join(f"{n} {s.lower()}{'s' if n != 1 else ''}" for s, n in counts.items())
    verdict = "符合 conforms" if report.conforms else "不符合 does not conform"
    lines += ["", f"{summary} / {summary_en} — {verdict}"]
    return "\n".join(lines).lstrip("\n") + "\n"


RENDERERS = {"text": render_text, "json": render_json, "ttl": render_ttl}

__all__ = ["INFERENCE", "RENDERERS", "Report", "Result", "chunks", "entailed_types", "materialise_types", "partition",
           "run_pyshacl", "shapes_graph", "type_rules", "validate_graph", "validate_paths", "whole_graph"]
