"""Answers in the SPARQL 1.1 result formats (JSON, XML, CSV, TSV) and RDF syntaxes.

The four result formats follow the W3C recommendations: "SPARQL 1.1 Query Results JSON Format",
"SPARQL Query Results XML Format (Second Edition)" and "SPARQL 1.1 Query Results CSV and TSV
Formats" (CSV: plain values; TSV: terms in Turtle/N-Triples syntax). CONSTRUCT and DESCRIBE
answers are written by rdflib in the asked syntax.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from jixiao.namespaces import PREFIXES
from jixiao.publish.workers import Answer
from jixiao.stores.base import Triple

SPARQL_RESULTS_NS = "http://www.w3.org/2005/sparql-results#"


def _json_term(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    assert isinstance(term, Literal)
    value = {"type": "literal", "value": str(term)}
    if term.language:
        value["xml:lang"] = term.language
    elif term.datatype is not None:
        value["datatype"] = str(term.datatype)
    return value


def to_json(answer: Answer) -> str:
    if answer.form == "ask":
        return json.dumps({"head": {}, "boolean": answer.boolean})
    bindings = [{name: _json_term(term) for name, term in row.items() if term is not None} for row in answer.rows]
    return json.dumps({"head": {"vars": answer.variables}, "results": {"bindings": bindings}}, ensure_ascii=False)


def _xml_term(term: Node) -> str:
    if isinstance(term, URIRef):
        return f"<uri>{escape(str(term))}</uri>"
    if isinstance(term, BNode):
        return f"<bnode>{escape(str(term))}</bnode>"
    assert isinstance(term, Literal)
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(str(term))}</literal>"
    if term.datatype is not None:
        return f"<literal datatype={quoteattr(str(term.datatype))}>{escape(str(term))}</literal>"
    return f"<literal>{escape(str(term))}</literal>"


def to_xml(answer: Answer) -> str:
    out = ['<?xml version="1.0" encoding="UTF-8"?>', f'<sparql xmlns="{SPARQL_RESULTS_NS}">', "<head>"]
    out.extend(f"<variable name={quoteattr(name)}/>" for name in answer.variables)
    out.append("</head>")
    if answer.form == "ask":
        out.append(f"<boolean>{'true' if answer.boolean else 'false'}</boolean>")
    else:
        out.append("<results>")
        for row in answer.rows:
            cells = "".join(f"<binding name={quoteattr(name)}>{_xml_term(term)}</binding>" for name, term in row.items() if term is not None)
            out.append(f"<result>{cells}</result>")
        out.append("</results>")
    out.append("</sparql>")
    return "\n".join(out) + "\n"


def to_csv(answer: Answer) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # the recommendation's CRLF line ends
    if answer.form == "ask":
        writer.writerow(["_askResult"])
        writer.writerow(["true" if answer.boolean else "false"])
        return buffer.getvalue()
    writer.writerow(answer.variables)
    for row in answer.rows:
        writer.writerow(["" if row.get(name) is None else _csv_value(row[name]) for name in answer.variables])
    return buffer.getvalue()


def _csv_value(term: Node | None) -> str:
    return f"_:{term}" if isinstance(term, BNode) else str(term)


def _tsv_term(term: Node | None) -> str:
    if term is None:
        return ""
    # n3() writes IRIs in <>, literals quoted with their tag or datatype, tabs and newlines escaped.
    return term.n3()


def to_tsv(answer: Answer) -> str:
    if answer.form == "ask":
        return "?_askResult\n" + ("true" if answer.boolean else "false") + "\n"
    lines = ["\t".join(f"?{name}" for name in answer.variables)]
    lines.extend("\t".join(_tsv_term(row.get(name)) for name in answer.variables) for row in answer.rows)
    return "\n".join(lines) + "\n"


RESULT_WRITERS = {"json": to_json, "xml": to_xml, "csv": to_csv, "tsv": to_tsv}
RESULT_MEDIA_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
}


def graph_of(triples: Iterable[Triple]) -> Graph:
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    for triple in triples:
        graph.add(triple)
    return graph


def serialize_triples(triples: Iterable[Triple], rdflib_format: str) -> bytes:
    """Triples in one RDF syntax (rdflib's writers: turtle, json-ld, nt, xml)."""
    data = graph_of(triples).serialize(format=rdflib_format, encoding="utf-8")
    return data if isinstance(data, bytes) else data.encode("utf-8")
