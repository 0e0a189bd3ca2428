"""The ontology's vocabulary as Python lookup tables.

The framework's wording (category names and their aliases, bases, comparator forms, units and
their conversion factors) lives in ontology/*.ttl (framework.ttl and units.ttl are generated from
the tables under ontology/src/ by scripts/build-ontology); this module reads it once so the
normaliser and the value parser recognise cells without repeating any label in code.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, lru_cache

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from jixiao.namespaces import JX
from jixiao.resources import ontology_files


# Remembered because the reader and the mapper key the same few thousand cells, labels and names
# again and again (several hundred thousand calls at 1,000 projects); a pure function of its text, so
# what it remembers is never stale, and the bound keeps a long run's memory flat.
@lru_cache(maxsize=1 << 16)
def canon(text: str) -> str:
    """Key for matching a cell against labels: NFKC (full-width → half-width), no whitespace."""
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


@dataclass(frozen=True)
class Unit:
    """A unit of measure and how a number in it converts to its base unit."""

    iri: URIRef
    label: str
    base: URIRef
    base_label: str
    factor: Decimal
    kind: URIRef | None


@dataclass
class Vocabulary:
    """Lookup tables built from the ontology files."""

    graph: Graph
    level1: dict[str, URIRef] = field(default_factory=dict)
    level2: dict[str, URIRef] = field(default_factory=dict)
    parent: dict[URIRef, URIRef] = field(default_factory=dict)
    legacy_broader: dict[URIRef, URIRef] = field(default_factory=dict)
    bases: dict[str, URIRef] = field(default_factory=dict)
    preferred_keys: set[str] = field(default_factory=set)
    comparator_prefixes: list[tuple[str, URIRef]] = field(default_factory=list)
    comparator_suffixes: list[tuple[str, URIRef]] = field(default_factory=list)
    notation: dict[URIRef, str] = field(default_factory=dict)
    units: dict[str, Unit] = field(default_factory=dict)
    label_zh: dict[URIRef, str] = field(default_factory=dict)
    declared_units: set[URIRef] = field(default_factory=set)  # every jx:UnitOfMeasure the ontology declares

    def is_preferred(self, text: str) -> bool:
        """Whether `text` is a concept's preferred label (so using it is no alias)."""
        return canon(text) in self.preferred_keys


def _labels(graph: Graph, concept: URIRef, *predicates: URIRef) -> list[str]:
    return [str(o) for p in predicates for o in graph.objects(concept, p) if isinstance(o, Literal)]


def _zh(graph: Graph, concept: URIRef) -> str:
    for label in graph.objects(concept, SKOS.prefLabel):
        if isinstance(label, Literal) and label.language == "zh":
            return str(label)
    return str(concept)


ALL_LABELS = (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel)


def _index(graph: Graph, rdf_type: URIRef, table: dict[str, URIRef], vocab: Vocabulary) -> None:
    for concept in graph.subjects(RDF.type, rdf_type):
        assert isinstance(concept, URIRef)
        vocab.label_zh[concept] = _zh(graph, concept)
        vocab.preferred_keys.add(canon(vocab.label_zh[concept]))
        for label in _labels(graph, concept, *ALL_LABELS):
            table.setdefault(canon(label), concept)


def _index_comparators(graph: Graph, vocab: Vocabulary) -> None:
    for comparator in graph.subjects(RDF.type, JX.Comparator):
        assert isinstance(comparator, URIRef)
        notation = str(graph.value(comparator, SKOS.notation))
        vocab.notation[comparator] = notation
        forms = {notation, *_labels(graph, comparator, SKOS.hiddenLabel)}
        vocab.comparator_prefixes += [(canon(f), comparator) for f in forms]
        vocab.comparator_suffixes += [(canon(f), comparator) for f in _labels(graph, comparator, JX.suffixForm)]
    # Longest first, so that ">=" wins over ">" and "不低于" is not read as "低于".
    vocab.comparator_prefixes.sort(key=lambda pair: -len(pair[0]))
    vocab.comparator_suffixes.sort(key=lambda pair: -len(pair[0]))


def _index_units(graph: Graph, vocab: Vocabulary) -> None:
    for unit in graph.subjects(RDF.type, JX.UnitOfMeasure):
        assert isinstance(unit, URIRef)
        vocab.declared_units.add(unit)
        base = graph.value(unit, JX.baseUnit)
        factor = graph.value(unit, JX.conversionFactor)
        kind = graph.value(unit, JX.quantityKind)
        assert isinstance(base, URIRef) and isinstance(factor, Literal)
        record = Unit(unit, _zh(graph, unit), base, _zh(graph, base), Decimal(str(factor)),
                      kind if isinstance(kind, URIRef) else None)
        for label in _labels(graph, unit, SKOS.prefLabel, SKOS.altLabel):
            vocab.units.setdefault(canon(label), record)


def load_ontology_graph() -> Graph:
    """The ontology, framework and units as one rdflib graph."""
    graph = Graph()
    for path in ontology_files():
        graph.parse(path, format="turtle")
    return graph


@cache
def vocabulary() -> Vocabulary:
    """Build the lookup tables once per process."""
    graph = load_ontology_graph()
    vocab = Vocabulary(graph)
    _index(graph, JX.Level1Category, vocab.level1, vocab)
    _index(graph, JX.Level2Category, vocab.level2, vocab)
    _index(graph, JX.ValueBasis, vocab.bases, vocab)
    for child, parent in graph.subject_objects(SKOS.broader):
        if (child, RDF.type, JX.Level2Category) in graph:
            vocab.parent[child] = parent  # type: ignore[index]
    for child, parent in graph.subject_objects(JX.legacyBroader):
        vocab.legacy_broader[child] = parent  # type: ignore[index]
    _index_comparators(graph, vocab)
    _index_units(graph, vocab)
    return vocab
