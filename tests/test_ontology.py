"""The ontology: loads, closes under OWL RL without inconsistency, and every term is documented."""

from __future__ import annotations

import owlrl
import pytest
from owlrl.Closure import ERRNS
from rdflib import Graph, Literal
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from jixiao.namespaces import JX
from jixiao.vocabulary import load_ontology_graph


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology_graph()


def test_owl_rl_closure_is_consistent(ontology: Graph, seed_graph: Graph) -> None:
    closed = Graph()
    closed += seed_graph
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(closed)
    # owlrl reports an inconsistency as a resource of type ErrorMessage in the closure.
    errors = [str(o) for s in closed.subjects(RDF.type, ERRNS.ErrorMessage) for o in closed.objects(s, None)]
    assert not errors
    assert not set(closed.subjects(RDF.type, OWL.Nothing))
    # The level-1 category of every indicator is inferred from its level-2 class.
    quantity = next(closed.subjects(JX.category, JX.QuantityIndicator))
    assert (quantity, RDF.type, JX.OutputIndicator) in closed
    assert (quantity, RDF.type, JX.Indicator) in closed


def _has(graph: Graph, term, predicate, language: str) -> bool:
    return any(isinstance(o, Literal) and o.language == language for o in graph.objects(term, predicate))


def test_every_term_has_bilingual_labels_and_definition(ontology: Graph) -> None:
    kinds = [OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, SKOS.Concept, SKOS.ConceptScheme]
    terms = {t for kind in kinds for t in ontology.subjects(RDF.type, kind) if str(t).startswith("https://w3id.org/jixiao/")}
    assert len(terms) > 150
    undocumented = [str(t) for t in terms
                    if not all(_has(ontology, t, p, lang) for p in (RDFS.label, SKOS.definition) for lang in ("zh", "en"))]
    assert not undocumented


def test_ontology_is_versioned(ontology: Graph) -> None:
    for ontology_iri in ontology.subjects(RDF.type, OWL.Ontology):
        assert ontology.value(ontology_iri, OWL.versionIRI) is not None


def test_framework_cites_the_ministry_documents(ontology: Graph) -> None:
    sources = " ".join(str(o) for o in ontology.objects(JX.CostIndicator, None))
    assert "财预〔2021〕101号" in sources
