"""Reasoning: the OWL RL closure (owlrl, the reference) and a fast route compiled from the ontology.

The ontology's axioms that entail anything are few and simple: rdfs:subClassOf (the framework's
categories are punned classes, 数量指标 ⊑ 产出指标 ⊑ 绩效指标), rdfs:subPropertyOf (jx:sourceRow ⊑
prov:wasDerivedFrom), owl:inverseOf (jx:hasGoal / jx:goalOf ...), rdfs:domain and rdfs:range.
owlrl applies the whole OWL RL rule set to a fixpoint in Python, which takes 78 s at 1,000
projects. The fast route instead compiles those axioms once into lookup tables:

- for each class, all its superclasses (the transitive closure, equivalent classes included);
- for each property, every triple one of its assertions entails (its superproperties, inverses
  and their superproperties ..., each with the side it applies to) and the classes its subject
  and object get from the domains and ranges of all of them;

and then makes a single pass over the triples of the relevant predicates. One pass is enough
because the tables are already closed: a derived property triple's own consequences are in the
table of the property it came from, and derived types are closed under superclasses. The
schema-level entailments (subclass and subproperty chains, inherited domains and ranges) are
added too, so that the fast route's inferred triples equal owlrl's for these axioms.

What the fast route leaves out, on purpose, are the triples OWL RL entails from its own
axiomatic rules in every graph, whatever the ontology says (`is_tautology`): `x owl:sameAs x`,
`x rdf:type owl:Thing`, `C rdfs:subClassOf C`/`owl:Thing`, `owl:Nothing rdfs:subClassOf C`,
`P rdfs:domain owl:Thing`, declarations of the built-in vocabulary (xsd datatypes, annotation
properties), and "generalised RDF" triples whose subject is a literal (`"48"^^xsd:decimal
rdf:type xsd:decimal`), which no RDF syntax can even write. The tests compare both routes'
inferred triples, minus exactly these, on the seed and on a generated graph.

Because each rule is one step per asserted triple, a graph that holds its own triples'
consequences stays closed beside any other such graph: tables are reasoned over one by one where
they are mapped (`triple_entailments`), a store records under which compiled schema each was
(`schema_digest`), and the rules run in a store (`entailment_rules`) read only the graphs that
are not closed under the current one.

The fast route refuses a graph whose schema uses OWL constructs it does not compile (e.g.
owl:TransitiveProperty, owl:someValuesFrom, owl:sameAs): use the owlrl engine for such graphs.
Axioms that only make a graph inconsistent (owl:disjointWith, as between jx:LongTermGoal and
jx:AnnualGoal) entail no triples; owlrl writes a violation into the graph as an error-message
node, the fast route reports it from `disjointness_violations` instead (and `jixiao validate`
is where such data is meant to be caught).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import TypeVar

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD
from rdflib.term import Node

from jixiao.errors import JixiaoError
from jixiao.vocabulary import vocabulary

Triple = tuple[Node, Node, Node]
N = TypeVar("N", bound=Node)
ENGINES = ("fast", "owlrl")

# The built-in vocabularies: OWL RL's axiomatic triples about their terms hold in every graph.
_BUILT_IN = (str(RDF), str(RDFS), str(OWL), str(XSD))
_SCHEMA_PREDICATES = {RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range,
                      OWL.equivalentClass, OWL.equivalentProperty, OWL.inverseOf}
# Axiom vocabulary the fast route does not compile; its presence means "use owlrl".
_UNSUPPORTED_PREDICATES = {
    OWL.sameAs, OWL.someValuesFrom, OWL.allValuesFrom, OWL.hasValue, OWL.intersectionOf, OWL.unionOf,
    OWL.complementOf, OWL.oneOf, OWL.propertyChainAxiom, OWL.hasKey, OWL.maxCardinality,
    OWL.maxQualifiedCardinality, OWL.cardinality, OWL.qualifiedCardinality, OWL.onProperty,
    OWL.propertyDisjointWith, OWL.sourceIndividual,
}
_UNSUPPORTED_TYPES = {OWL.TransitiveProperty, OWL.FunctionalProperty, OWL.InverseFunctionalProperty,
                      OWL.ReflexiveProperty, OWL.IrreflexiveProperty, OWL.AsymmetricProperty, OWL.Restriction}


class ReasoningError(JixiaoError):
    """The fast route cannot compile this graph's schema."""


@dataclass(frozen=True)
class PropertyRule:
    """What one assertion `s p o` entails: derived triples and the types of s and o.

    `derived` holds (q, flipped): `s q o`, or `o q s` when flipped.
    """

    derived: tuple[tuple[URIRef, bool], ...]
    subject_types: frozenset[URIRef]
    object_types: frozenset[URIRef]


@dataclass
class Schema:
    """The ontology's axioms compiled into closed lookup tables."""

    superclasses: dict[URIRef, frozenset[URIRef]] = field(default_factory=dict)
    properties: dict[URIRef, PropertyRule] = field(default_factory=dict)
    schema_triples: set[Triple] = field(default_factory=set)


def reachable(edges: Mapping[N, Iterable[N]], start: N) -> set[N]:
    """Every node reachable from `start` by the edges (not `start` itself unless on a cycle)."""
    seen: set[N] = set()
    stack = list(edges.get(start, ()))
    while stack:
        node = stack.pop()
        if node not in seen:
            seen.add(node)
            stack.extend(edges.get(node, ()))
    return seen


def _uris(graph: Graph, predicate: URIRef) -> Iterator[tuple[URIRef, URIRef]]:
    for subject, obj in graph.subject_objects(predicate):
        if isinstance(subject, URIRef) and isinstance(obj, URIRef):
            yield subject, obj


def unsupported_axioms(graph: Graph) -> list[str]:
    """The OWL constructs in `graph` that the fast route does not compile (empty if none)."""
    found = {predicate.n3(graph.namespace_manager) for predicate in _UNSUPPORTED_PREDICATES if (None, predicate, None) in graph}
    found |= {kind.n3(graph.namespace_manager) for kind in _UNSUPPORTED_TYPES if (None, RDF.type, kind) in graph}
    return sorted(found)


def _edges(graph: Graph, sub: URIRef, equivalent: URIRef) -> dict[URIRef, set[URIRef]]:
    """Direct "is below" edges: sub-axioms, and equivalences in both directions."""
    edges: dict[URIRef, set[URIRef]] = defaultdict(set)
    for child, parent in _uris(graph, sub):
        edges[child].add(parent)
    for left, right in _uris(graph, equivalent):
        edges[left].add(right)
        edges[right].add(left)
    return edges


def _is_thing(node: Node) -> bool:
    return node in (OWL.Thing, RDFS.Resource)


def _closed_classes(classes: Iterable[URIRef], superclasses: dict[URIRef, frozenset[URIRef]]) -> frozenset[URIRef]:
    closed: set[URIRef] = set()
    for cls in classes:
        closed.add(cls)
        closed |= superclasses.get(cls, frozenset())
    return frozenset(c for c in closed if not _is_thing(c))


def _property_rule(prop: URIRef, super_props: dict[URIRef, set[URIRef]], inverses: dict[URIRef, set[URIRef]],
                   symmetric: set[URIRef], domains: dict[URIRef, frozenset[URIRef]],
                   ranges: dict[URIRef, frozenset[URIRef]]) -> PropertyRule:
    """Follow superproperties, inverses and symmetry from `prop` until nothing new appears."""
    reached = {(prop, False)}
    stack = [(prop, False)]
    while stack:
        current, flipped = stack.pop()
        nxt = [(parent, flipped) for parent in super_props.get(current, ())]
        nxt += [(inverse, not flipped) for inverse in inverses.get(current, ())]
        if current in symmetric:
            nxt.append((current, not flipped))
        for item in nxt:
            if item not in reached:
                reached.add(item)
                stack.append(item)
    subject_types: set[URIRef] = set()
    object_types: set[URIRef] = set()
    for current, flipped in reached:
        (object_types if flipped else subject_types).update(domains.get(current, ()))
        (subject_types if flipped else object_types).update(ranges.get(current, ()))
    derived = tuple(sorted(item for item in reached if item != (prop, False)))
    return PropertyRule(derived, frozenset(subject_types), frozenset(object_types))


def compile_schema(graph: Graph) -> Schema:
    """Compile the graph's subclass, subproperty, inverse, domain and range axioms."""
    unsupported = unsupported_axioms(graph)
    if unsupported:
        raise ReasoningError("the fast reasoner does not handle " + ", ".join(unsupported) + "; use --engine owlrl")
    schema = Schema()
    class_edges = _edges(graph, RDFS.subClassOf, OWL.equivalentClass)
    for cls in class_edges:
        schema.superclasses[cls] = frozenset(c for c in reachable(class_edges, cls) if c != cls and not _is_thing(c))
    prop_edges = _edges(graph, RDFS.subPropertyOf, OWL.equivalentProperty)
    inverses: dict[URIRef, set[URIRef]] = defaultdict(set)
    for left, right in _uris(graph, OWL.inverseOf):
        inverses[left].add(right)
        inverses[right].add(left)
    symmetric = {p for p in graph.subjects(RDF.type, OWL.SymmetricProperty) if isinstance(p, URIRef)}
    super_props = {prop: {p for p in reachable(prop_edges, prop) if p != prop} for prop in prop_edges}
    domains, ranges = _inherited(graph, RDFS.domain, super_props, schema), _inherited(graph, RDFS.range, super_props, schema)
    every_property = set(prop_edges) | set(inverses) | symmetric | set(domains) | set(ranges)
    for prop in every_property:
        schema.properties[prop] = _property_rule(prop, super_props, inverses, symmetric, domains, ranges)
    schema.schema_triples = _schema_triples(schema, super_props, domains, ranges)
    return schema


def _inherited(graph: Graph, predicate: URIRef, super_props: dict[URIRef, set[URIRef]],
               schema: Schema) -> dict[URIRef, frozenset[URIRef]]:
    """Domains (or ranges) of each property: its own, its superproperties', and their superclasses.

    These are OWL RL's scm-dom1/scm-dom2 (scm-rng1/scm-rng2) closed in one step.
    """
    direct: dict[URIRef, set[URIRef]] = defaultdict(set)
    for prop, cls in _uris(graph, predicate):
        direct[prop].add(cls)
    result: dict[URIRef, frozenset[URIRef]] = {}
    for prop in set(direct) | set(super_props):
        classes = set(direct.get(prop, ()))
        for parent in super_props.get(prop, ()):
            classes |= direct.get(parent, set())
        if classes:
            result[prop] = _closed_classes(classes, schema.superclasses)
    return result


def _schema_triples(schema: Schema, super_props: dict[URIRef, set[URIRef]],
                    domains: dict[URIRef, frozenset[URIRef]], ranges: dict[URIRef, frozenset[URIRef]]) -> set[Triple]:
    """The schema-level closure: subclass and subproperty chains, equivalences, domains, ranges."""
    triples: set[Triple] = set()
    for cls, parents in schema.superclasses.items():
        for parent in parents:
            triples.add((cls, RDFS.subClassOf, parent))
            if cls in schema.superclasses.get(parent, ()):
                triples.add((cls, OWL.equivalentClass, parent))  # scm-eqc2: mutual subclasses
    for prop, parents in super_props.items():
        for parent in parents:
            triples.add((prop, RDFS.subPropertyOf, parent))
            if prop in super_props.get(parent, ()):
                triples.add((prop, OWL.equivalentProperty, parent))
    for table, predicate in ((domains, RDFS.domain), (ranges, RDFS.range)):
        for prop, classes in table.items():
            triples.update((prop, predicate, cls) for cls in classes)
    return {t for t in triples if t[0] != t[2]}


def entailments(graph: Graph, schema: Schema | None = None, types_only: bool = False) -> Iterator[Triple]:
    """Every triple the schema entails from `graph` (some may already be in it).

    `types_only` keeps the rdf:type triples of the data (the part SHACL validation needs) and
    leaves out the derived property triples and the schema-level closure. Literal objects get
    no types: `"48" rdf:type xsd:string` is generalised RDF (a literal subject) that no RDF
    syntax can write.
    """
    schema = schema or compile_schema(graph)
    if not types_only:
        yield from schema.schema_triples
    for subject, cls in graph.subject_objects(RDF.type):
        for parent in schema.superclasses.get(cls, ()):  # type: ignore[call-overload]
            yield subject, RDF.type, parent
    for prop, rule in schema.properties.items():
        for subject, obj in graph.subject_objects(prop):
            yield from _assertion_entailments(subject, obj, rule, types_only)


def triple_entailments(triples: Iterable[Triple], schema: Schema | None = None) -> Iterator[Triple]:
    """What the schema entails from these data triples alone (their types, superproperties, inverses).

    The same as `entailments` without the schema-level closure, on a plain sequence of triples:
    each assertion's consequences depend on that assertion only (the schema's tables are closed),
    so a table's chunk can be reasoned on its own, where it is mapped, and the union of the chunks'
    results is the result on the union. Some triples may repeat or already be among `triples`.
    """
    schema = schema or ontology_schema()
    for subject, predicate, obj in triples:
        if predicate == RDF.type:
            for parent in schema.superclasses.get(obj, ()):  # type: ignore[call-overload]
                yield subject, RDF.type, parent
        rule = schema.properties.get(predicate)  # type: ignore[call-overload]
        if rule is not None:
            yield from _assertion_entailments(subject, obj, rule, types_only=False)


def _assertion_entailments(subject: Node, obj: Node, rule: PropertyRule, types_only: bool) -> Iterator[Triple]:
    """What one assertion of a property entails: its superproperties and inverses (unless `types_only`),
    and the types its domain and range give."""
    if not types_only:
        yield from _derived(subject, obj, rule)
    for cls in rule.subject_types:
        yield subject, RDF.type, cls
    if not isinstance(obj, Literal):
        for cls in rule.object_types:
            yield obj, RDF.type, cls


def with_entailments(triples: list[Triple], schema: Schema | None = None) -> list[Triple]:
    """`triples` followed by the new triples they entail (see `triple_entailments`), each once."""
    present = set(triples)
    added = [t for t in dict.fromkeys(triple_entailments(triples, schema)) if t not in present]
    return triples + added


def _derived(subject: Node, obj: Node, rule: PropertyRule) -> Iterator[Triple]:
    """The super-property and inverse triples one assertion `subject p obj` entails."""
    for derived, flipped in rule.derived:
        if not flipped:
            yield subject, derived, obj
        elif not isinstance(obj, Literal):
            yield obj, derived, subject


# Bumped when what a schema's rules entail from a triple changes in code (not in the ontology):
# graphs closed under the old rules then count as not closed (see schema_digest).
_RULES_VERSION = "1"


def schema_digest(schema: Schema | None = None) -> str:
    """A digest of the compiled schema's data-level rules: what a graph records as the schema it is closed under.

    A table ingested into a store carries every entailment of its own triples under the rules of
    this schema (jixiao.graph.build encodes them where it maps the table), so `reason --store`
    need not read it again while the store's schema has this digest. The digest covers exactly
    what decides a triple's one-step entailments (superclasses of each class; each property's
    derived properties and the types of its subject and object) in a canonical order, so the
    same ontology gives the same digest in every process, and an ontology edit that changes no
    rule (a label, a definition) leaves it as it was.
    """
    schema = schema or ontology_schema()
    lines = [f"rules {_RULES_VERSION}"]
    lines += sorted(f"class {cls} < {' '.join(sorted(parents))}" for cls, parents in schema.superclasses.items() if parents)
    for prop, rule in schema.properties.items():
        derived = " ".join(sorted(f"{'^' if flipped else ''}{q}" for q, flipped in rule.derived))
        lines.append(f"property {prop} => {derived} | {' '.join(sorted(rule.subject_types))} | {' '.join(sorted(rule.object_types))}")
    return "sha256:" + hashlib.sha256("\n".join(sorted(lines)).encode("utf-8")).hexdigest()


@cache
def ontology_schema() -> Schema:
    """The shipped ontology's axioms compiled once (for data held apart from the ontology)."""
    return compile_schema(vocabulary().graph)


def materialise_types(graph: Graph, schema: Schema | None = None) -> Graph:
    """Add to `graph`, in place, the rdf:type triples the ontology entails from its triples; return it.

    This is the part of the OWL RL closure the SHACL shapes depend on (a shape on
    jx:OutputIndicator must see quantity indicators); each triple's entailed types depend on that
    triple alone, so data may be typed project by project. `schema` defaults to the shipped
    ontology's, as validation holds the data apart from the ontology.
    """
    candidates = set(entailments(graph, schema or ontology_schema(), types_only=True))
    graph.addN((s, p, o, graph) for s, p, o in candidates)
    return graph


def graph_of(triples: Iterable[Triple], graph_class: type[Graph] = Graph) -> Graph:
    """A new graph of `graph_class` holding `triples`; given a graph, a copy to add entailments to."""
    graph = graph_class()
    graph.addN((s, p, o, graph) for s, p, o in triples)
    return graph


def materialise(graph: Graph, engine: str = "fast") -> int:
    """Add the entailments to `graph` in place; return how many triples were new.

    `fast` is the compiled route; `owlrl` runs owlrl's OWL RL closure and then drops the
    generalised triples (literal subjects) it makes, so that the graph can still be written.
    Adding entailments twice changes nothing, so callers need not know if DATA was reasoned.
    """
    before = len(graph)
    if engine == "fast":
        # Deduplicate first: most candidates repeat (every jx:sourceRow triple types its row).
        # The store ignores triples it already has, which is cheaper than asking it first.
        candidates = set(entailments(graph))
        graph.addN((s, p, o, graph) for s, p, o in candidates)
    elif engine == "owlrl":
        import owlrl

        owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
        for triple in [t for t in graph if isinstance(t[0], Literal)]:
            graph.remove(triple)
    else:
        raise ReasoningError(f"unknown reasoning engine {engine!r}; expected one of {', '.join(ENGINES)}")
    return len(graph) - before


def disjointness_violations(graph: Graph) -> list[str]:
    """Individuals typed with two classes declared owl:disjointWith (run on a reasoned graph)."""
    messages = []
    # An axiom stated both ways (A disjointWith B, B disjointWith A) is one axiom.
    pairs = {tuple(sorted(pair)) for pair in _uris(graph, OWL.disjointWith)}
    for left, right in sorted(pairs):
        common = set(graph.subjects(RDF.type, left)) & set(graph.subjects(RDF.type, right))
        messages += [f"{node} is both a {left} and a {right}, which are disjoint" for node in sorted(common, key=str)]
    return messages


def owlrl_closure(graph: Graph) -> Graph:
    """A copy of `graph` with owlrl's full OWL RL closure, generalised triples included (reference)."""
    import owlrl

    closed = graph_of(graph)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(closed)
    return closed


def is_tautology(triple: Triple) -> bool:
    """Whether OWL RL entails `triple` in every graph, whatever the ontology's axioms say.

    These are the triples owlrl adds that the fast route does not: the axiomatic triples and
    the reflexive or trivial consequences of eq-ref, cls-thing, scm-cls, scm-op, scm-dp,
    dt-type, and generalised RDF with a literal subject.
    """
    subject, predicate, obj = triple
    if isinstance(subject, Literal) or (predicate == OWL.sameAs and subject == obj):
        return True
    if isinstance(subject, URIRef) and str(subject).startswith(_BUILT_IN):
        return True  # owl:Thing, owl:Nothing, xsd datatypes, annotation properties, ...
    if predicate in _SCHEMA_PREDICATES and subject == obj:
        return True
    if predicate in (RDF.type, RDFS.subClassOf, RDFS.domain, RDFS.range) and _is_thing(obj):
        return True
    return predicate == RDF.type and obj == OWL.Class and subject in (OWL.Thing, OWL.Nothing)


def inferred(asserted: Iterable[Triple], closed: Iterable[Triple], drop_tautologies: bool = True) -> set[Triple]:
    """The triples of `closed` not in `asserted`, minus OWL RL's tautologies unless told otherwise."""
    before = set(asserted)
    return {t for t in closed if t not in before and not (drop_tautologies and is_tautology(t))}


def fast_closure(graph: Graph) -> Graph:
    """A copy of `graph` with the fast route's entailments added."""
    closed = graph_of(graph)
    materialise(closed, "fast")
    return closed


def entailment_rules(schema: Schema | None = None, exclude_graph: str | None = None, *, exclude_prefix: str | None = None,
                     body_graph: str | None = None, owned: tuple[str, str] | None = None, body_owns: bool = True) -> list[str]:
    """The schema's one-step rules as SPARQL CONSTRUCT queries, to run where the data are (a store).

    Each query gives the triples one kind of rule entails that the data do not already hold:
    superclass types, superproperty and inverse triples, and the types domains and ranges give.
    One pass is the closure, as for `entailments` (the schema's tables are closed).

    Excluded graphs — `exclude_graph` (where the rules' previous results are kept, to be replaced
    by these) and those whose IRI begins with `exclude_prefix` (bookkeeping, a server's union graph,
    which holds the previous results too) — are neither read nor count as holding a triple.

    Where the rules read (their body): with `body_graph`, that named graph only; else, with
    exclusions, every other named graph; with none, the default graph. Every rule takes one triple
    to its consequences, so a graph that already holds the consequences of each of its own triples
    (a table ingested with its entailments, see `schema_digest`) adds nothing to what the rules
    find, and `jixiao reason --store` runs them only on the graphs not known to be closed: the
    union of closed graphs is closed.

    A graph read may keep some of its statements in the default graph alone: with `owned` =
    (graph, predicate), the statements about each subject `<s> predicate <g>` in that graph says
    `<g>` owns (the embedded store's layout, `jixiao.stores.oxigraph`). They are read as part of `<g>`,
    and count as held by it. `body_owns=False` says the graphs read own nothing: the rules then read
    them alone (Oxigraph evaluates the ownership branch over the whole default graph: 4.6 s a rule on
    1,000 projects for a graph that owns nothing, such as the ontology).

    A candidate counts as held, and is not given, when any graph not excluded holds it (over the
    default graph, when the default graph holds it). The candidates are made distinct first. Read
    over the whole store, held types are taken away with MINUS, a hash anti-join against all type
    triples (Oxigraph: 0.9 s instead of 4.4 s by FILTER NOT EXISTS for the domain rule at 300
    projects), held property triples by FILTER NOT EXISTS (MINUS would read every triple of the
    store). Read over one graph, every candidate is looked up with FILTER NOT EXISTS, so the cost
    follows that graph's size, not the store's.
    """
    schema = schema or ontology_schema()
    conditions = [f"?{{var}} != <{exclude_graph}>"] if exclude_graph is not None else []
    if exclude_prefix is not None:
        conditions.append(f"!STRSTARTS(STR(?{{var}}), {Literal(exclude_prefix).n3()})")
    kept = " && ".join(conditions)

    def in_graph(pattern: str, graph: str, condition: str = "", owns: bool = True) -> str:
        """`pattern` in a graph (a term or variable), with what the graph owns in the default graph."""
        named = f"GRAPH {graph} {{ {pattern} }}" + (f" FILTER ({condition})" if condition else "")
        if owned is None or not owns:
            return named
        subject = pattern.split("FILTER")[0].strip().rstrip(" .").split()[-3]  # the pattern's (last) triple's subject: a variable
        return f"{{ {named} }} UNION {{ GRAPH <{owned[0]}> {{ {subject} <{owned[1]}> {graph} }} {pattern} }}"

    def read(body: str) -> str:
        if body_graph is not None:
            return in_graph(body, URIRef(body_graph).n3(), owns=body_owns)
        return in_graph(body, "?source", kept.format(var="source"), owns=body_owns) if kept else body

    def rule(template: str, variables: str, body: str, held: str) -> str:
        graph = in_graph(held, "?held", kept.format(var="held")) if kept else held
        minus = " a " in f" {held} " and body_graph is None
        anti_join = f"MINUS {{ {graph} }}" if minus else f"FILTER NOT EXISTS {{ {graph} }}"
        return f"CONSTRUCT {{ {template} }} WHERE {{ {{ SELECT DISTINCT {variables} WHERE {{ {read(body)} }} }} {anti_join} }}"

    def values(names: str, rows: Iterable[tuple[Node, Node]]) -> str:
        body = " ".join(f"({a.n3()} {b.n3()})" for a, b in sorted(set(rows)))
        return f"VALUES ({names}) {{ {body} }}"

    rules = []
    pairs = [(cls, parent) for cls, parents in schema.superclasses.items() for parent in parents]
    if pairs:
        rules.append(rule("?s a ?super", "?s ?super", f"{values('?class ?super', pairs)} ?s a ?class", "?s a ?super"))
    direct = [(p, q) for p, rule_ in schema.properties.items() for q, flipped in rule_.derived if not flipped]
    flipped = [(p, q) for p, rule_ in schema.properties.items() for q, flip in rule_.derived if flip]
    subject_types = [(p, cls) for p, rule_ in schema.properties.items() for cls in rule_.subject_types]
    object_types = [(p, cls) for p, rule_ in schema.properties.items() for cls in rule_.object_types]
    if direct:
        rules.append(rule("?s ?q ?o", "?s ?q ?o", f"{values('?p ?q', direct)} ?s ?p ?o", "?s ?q ?o"))
    if flipped:
        rules.append(rule("?o ?q ?s", "?s ?q ?o", f"{values('?p ?q', flipped)} ?s ?p ?o . FILTER (!isLiteral(?o))", "?o ?q ?s"))
    if subject_types:
        rules.append(rule("?s a ?class", "?s ?class", f"{values('?p ?class', subject_types)} ?s ?p ?x", "?s a ?class"))
    if object_types:
        rules.append(rule("?o a ?class", "?o ?class", f"{values('?p ?class', object_types)} ?x ?p ?o . FILTER (!isLiteral(?o))", "?o a ?class"))
    return rules
