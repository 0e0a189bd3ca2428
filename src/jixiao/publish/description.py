"""The dataset's description in VoID and DCAT: size, classes, vocabularies, endpoint, dumps.

Counted by page queries (class-counts.rq, vocabularies.rq) through the same workers as every
other answer. The licence is left for the publisher to fill in (a placeholder IRI they replace,
stated as such), and `dcterms:modified` is the time of writing.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, RDFS, VOID, XSD

from jixiao.namespaces import ONTOLOGY_IRI, PREFIXES
from jixiao.publish.dataset import Dataset

SPDX = "http://spdx.org/rdf/terms#"
# Replace with the licence the data are published under (e.g. https://creativecommons.org/licenses/by/4.0/).
LICENCE_PLACEHOLDER = URIRef("urn:jixiao:licence-to-fill-in")


@dataclass(frozen=True)
class Dump:
    url: str
    media_type: str
    sha256: str
    size: int


def _namespace(iri: str) -> str:
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[: cut + 1]


def describe(dataset: Dataset, endpoint: str | None, dumps: Sequence[Dump], dataset_iri: str | None = None) -> Graph:
    graph = Graph()
    for prefix, namespace in {**PREFIXES, "void": str(VOID), "dcat": str(DCAT), "dcterms": str(DCTERMS), "spdx": SPDX}.items():
        graph.bind(prefix, namespace)
    subject = URIRef(dataset_iri or dataset.base + "dataset")
    graph.add((subject, RDF.type, VOID.Dataset))
    graph.add((subject, RDF.type, DCAT.Dataset))
    graph.add((subject, DCTERMS.title, Literal("预算绩效目标知识图谱", lang="zh")))
    graph.add((subject, DCTERMS.title, Literal("Budget performance targets knowledge graph", lang="en")))
    graph.add((subject, DCTERMS.description, Literal("各预算单位公开的项目支出绩效目标表，读取为 RDF。", lang="zh")))
    graph.add((subject, DCTERMS.description, Literal("The project performance target tables budget units publish, read into RDF by jixiao.", lang="en")))
    graph.add((subject, DCTERMS.license, LICENCE_PLACEHOLDER))
    graph.add((subject, RDFS.comment, Literal("dcterms:license is a placeholder: replace it with the licence the data are published under.", lang="en")))
    graph.add((subject, DCTERMS.modified, Literal(datetime.datetime.now(datetime.UTC).replace(microsecond=0).isoformat(), datatype=XSD.dateTime)))
    graph.add((subject, VOID.uriSpace, Literal(dataset.base)))
    graph.add((subject, DCTERMS.conformsTo, ONTOLOGY_IRI))

    triples = 0
    properties = 0
    for row in dataset.rows("vocabularies"):
        term, count = str(row["term"]), int(str(row["triples"]))
        if str(row["kind"]) == "property":
            triples += count
            properties += 1
            partition = BNode()
            graph.add((subject, VOID.propertyPartition, partition))
            graph.add((partition, VOID.property, URIRef(term)))
            graph.add((partition, VOID.triples, Literal(count)))
        graph.add((subject, VOID.vocabulary, URIRef(_namespace(term))))
    classes = 0
    entities = 0
    for row in dataset.rows("class-counts"):
        count = int(str(row["entities"]))
        classes += 1
        entities += count
        partition = BNode()
        graph.add((subject, VOID.classPartition, partition))
        graph.add((partition, VOID["class"], URIRef(str(row["class"]))))
        graph.add((partition, VOID.entities, Literal(count)))
    graph.add((subject, VOID.triples, Literal(triples)))
    graph.add((subject, VOID.properties, Literal(properties)))
    graph.add((subject, VOID.classes, Literal(classes)))

    if endpoint:
        graph.add((subject, VOID.sparqlEndpoint, URIRef(endpoint)))
        service = BNode()
        graph.add((subject, DCAT.distribution, service))
        graph.add((service, RDF.type, DCAT.Distribution))
        graph.add((service, DCAT.accessURL, URIRef(endpoint)))
        graph.add((service, DCTERMS.title, Literal("SPARQL endpoint", lang="en")))
    for dump in dumps:
        graph.add((subject, VOID.dataDump, URIRef(dump.url)))
        distribution = BNode()
        graph.add((subject, DCAT.distribution, distribution))
        graph.add((distribution, RDF.type, DCAT.Distribution))
        graph.add((distribution, DCAT.downloadURL, URIRef(dump.url)))
        graph.add((distribution, DCAT.mediaType, URIRef(f"https://www.iana.org/assignments/media-types/{dump.media_type}")))
        graph.add((distribution, DCAT.byteSize, Literal(dump.size, datatype=XSD.nonNegativeInteger)))
        checksum = BNode()
        graph.add((distribution, URIRef(SPDX + "checksum"), checksum))
        graph.add((checksum, URIRef(SPDX + "algorithm"), URIRef(SPDX + "checksumAlgorithm_sha256")))
        graph.add((checksum, URIRef(SPDX + "checksumValue"), Literal(dump.sha256, datatype=XSD.hexBinary)))
    return graph
