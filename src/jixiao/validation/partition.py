"""Split typed data into one part per project (or per batch of projects) for validation.

pyshacl over one large graph grows faster than the data, so each project is validated on its
own: the project, its goals, indicators, targets and reading notes, what they point to (source
rows and documents, the declaring unit), and the ontology terms they use (one hop: a unit's
quantity kind and labels, a category's parent). No shape looks beyond the focus node's own
project and the ontology terms it uses, so each part gives the results the whole graph gives for
its nodes; what belongs to no project is a last part, and results on nodes shared by several
parts (a document, a declaring unit) are kept once when the reports are merged.
tests/test_validate.py checks per-project and whole-graph results are identical.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache

from rdflib import Graph, Literal
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from jixiao.namespaces import JX
from jixiao.vocabulary import vocabulary

# What a part is built around, and what is part of it (its goals, their indicators, their targets).
ROOT_CLASS = JX.PerformanceYear  # one table: a project-year or a plan-year (entailed for both)
PARTS = (JX.hasGoal, JX.hasIndicator, JX.target)
DEFAULT_BATCH = 1  # projects per pyshacl run: 1 to 10 take the same time, see benchmarks/bench_validate.py

Triple = tuple[Node, Node, Node]


@cache
def ontology_by_subject() -> dict[Node, tuple[Triple, ...]]:
    """The ontology's triples grouped by subject: what a part needs of each term it uses."""
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


def _reach(data: Graph, start: set[Node], projects: set[Node], terms: dict[Node, tuple[Triple, ...]]) -> set[Node]:
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


def partition(data: Graph, batch: int = DEFAULT_BATCH) -> Iterator[set[Node]]:
    """The resources of each part: `batch` projects at a time, then what belongs to no project.

    `data` must already have its types materialised, so that a project known only by the domain
    of jx:hasGoal is still a project.
    """
    terms = ontology_by_subject()
    projects = set(data.subjects(RDF.type, ROOT_CLASS))
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


def fill_part(graph: Graph, data: Graph, nodes: set[Node]) -> Graph:
    """Add to `graph` the nodes' triples, the superclasses the data declare for classes of their own
    that the nodes are typed with, and, for every ontology term they point to (one hop), what the
    ontology and the data (their entailed types) say of it; return `graph`."""
    terms = ontology_by_subject()
    for node in nodes:
        graph.addN((node, p, o, graph) for p, o in data.predicate_objects(node))
    _add_declared_superclasses(graph, data, terms)
    for term in {o for o in graph.objects() if o in terms}:
        graph.addN((s, p, o, graph) for s, p, o in terms[term])
        graph.addN((term, p, o, graph) for p, o in data.predicate_objects(term))
    return graph


def _add_declared_superclasses(graph: Graph, data: Graph, terms: dict[Node, tuple[Triple, ...]]) -> None:
    """The rdfs:subClassOf chains the data declare above the part's classes that are not the ontology's.

    The ontology's classes come with the ontology (and the reasoner entails their superclasses as
    types), but a class the data declare is no ontology term: without its rdfs:subClassOf triples
    a unit typed only with a subclass of jx:BudgetUnit failed sh:class jx:BudgetUnit in its part
    and passed on the whole graph.
    """
    stack = [c for c in set(graph.objects(None, RDF.type)) if c not in terms]
    seen = set(stack)
    while stack:
        cls = stack.pop()
        for superclass in data.objects(cls, RDFS.subClassOf):
            graph.add((cls, RDFS.subClassOf, superclass))
            if superclass not in seen and superclass not in terms:
                seen.add(superclass)
                stack.append(superclass)
