"""Every namespace jixiao uses, declared once.

Our own vocabularies JX and JXU are closed: they are generated from the ontology
(jixiao.ontology_terms, by scripts/build-ontology), so JX.Undeclared raises instead of minting a
term the ontology does not define. JXS (the shapes) stays open. Standard vocabularies come from
rdflib where it has them. Prefixes for serialisation are derived from this module, not restated.
"""

from __future__ import annotations

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

__all__ = ["DCAT", "DCTERMS", "DEFAULT_BASE", "JX", "JXS", "JXU", "ONTOLOGY_GRAPH", "ONTOLOGY_IRI", "ORG", "OWL",
           "PREFIXES", "PROV", "QB", "QUDT_UNIT", "RDF", "RDFS", "SH", "SKOS", "VOID", "XSD"]
