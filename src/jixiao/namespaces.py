"""Every namespace jixiao uses, declared once.

Our own vocabularies JX and JXU are closed: they are generated from the ontology
(jixiao.ontology_terms, by scripts/build-ontology), so JX.Undeclared raises instead of minting a
term the ontology does not define. JXS (the shapes) stays open. Standard vocabularies come from
rdflib where it has them. Prefixes for serialisation are derived from this module, not restated.
"""

from __future__ import annotations

from typing import Any

from rdflib import Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, PROV, QB, RDF, RDFS, SH, SKOS, VOID, XSD
from rdflib.namespace import Namespace as _Namespace

from jixiao.ontology_terms import JX, JXU

JXS = Namespace("https://w3id.org/jixiao/shapes#")
ORG = _Namespace("http://www.w3.org/ns/org#")
QUDT_UNIT = _Namespace("http://qudt.org/vocab/unit/")

ONTOLOGY_IRI = URIRef("https://w3id.org/jixiao/ontology")
# The named graph the ontology is loaded into in a store.
ONTOLOGY_GRAPH = ONTOLOGY_IRI
DEFAULT_BASE = "https://w3id.org/jixiao/id/"

# Prefixes bound when a graph is serialised.
PREFIXES: dict[str, str] = {
    "jx": str(JX),
    "jxu": str(JXU),
    "org": str(ORG),
    "prov": str(PROV),
    "skos": str(SKOS),
}


class TermsOnce:
    """A namespace whose terms are each looked up once, for code that names terms in a loop over
    hundreds of thousands of triples (the mapper): rdflib checks a closed namespace's name and
    builds a new URIRef on every attribute access. The first access asks the namespace itself, so
    a closed namespace still refuses a term it does not define."""

    def __init__(self, namespace: Any) -> None:
        self._namespace = namespace
        self._items: dict[str, URIRef] = {}

    def __getattr__(self, name: str) -> URIRef:
        if name.startswith("_"):  # not a term: this object's own attributes (and copy's, pickle's probes)
            raise AttributeError(name)
        term: URIRef = getattr(self._namespace, name)
        setattr(self, name, term)  # found as an attribute from now on, without __getattr__
        return term

    def __getitem__(self, name: str) -> URIRef:
        term = self._items.get(name)
        if term is None:
            term = self._items[name] = self._namespace[name]
        return term

    def __str__(self) -> str:
        return str(self._namespace)


__all__ = ["DCAT", "DCTERMS", "DEFAULT_BASE", "JX", "JXS", "JXU", "ONTOLOGY_GRAPH", "ONTOLOGY_IRI", "ORG", "OWL",
           "PREFIXES", "PROV", "QB", "QUDT_UNIT", "RDF", "RDFS", "SH", "SKOS", "VOID", "XSD", "TermsOnce"]
