"""SPARQL 1.1 JSON results, parsed incrementally (ijson) and turned into rdflib terms.

Only the binding being read is held in memory, whatever the size of the answer; the whole
document is kept only when a server writes "head" after the bindings (allowed by JSON, done by no
server we know).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import ijson
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from jixiao.stores.remote.dialects import EndpointError

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_BINDING = "results.bindings.item"

Event = tuple[str, str, Any]


def json_term(binding: Mapping[str, str]) -> Node:
    """One SPARQL JSON result term as an rdflib term."""
    kind = binding.get("type")
    value = binding.get("value", "")
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if kind in ("literal", "typed-literal"):  # "typed-literal": Virtuoso's pre-1.1 spelling
        language = binding.get("xml:lang")
        if language:
            return Literal(value, lang=language)
        datatype = binding.get("datatype")
        if datatype and datatype not in (_XSD_STRING, _RDF_LANG_STRING):
            return Literal(value, datatype=URIRef(datatype))
        return Literal(value)
    raise EndpointError(f"unsupported term type {kind!r} in SPARQL results")


def read_select_results(chunks: Iterable[bytes], url: str) -> tuple[list[str], Iterator[Mapping[str, Any]]]:
    """The variables of a SPARQL JSON result and an iterator over its bindings, read as `chunks` arrive."""
    events = _events(chunks, url)
    variables: list[str] = []
    head_read = False
    for prefix, event, value in events:
        if prefix == "head.vars.item":
            variables.append(value)
        elif prefix == "head" and event == "end_map":
            head_read = True
        elif prefix == "boolean":
            raise EndpointError(f"{url}: the query is an ASK query, not a SELECT query")
        elif prefix == "results.bindings" and event == "start_array":
            if head_read:
                return variables, _bindings(events, url)
            rest = list(events)  # the head comes after the bindings: keep them until it is read
            variables = [value for prefix, _, value in rest if prefix == "head.vars.item"]
            return variables, _bindings(iter(rest), url)
    raise EndpointError(f"{url}: the answer is not SPARQL JSON results")


def _events(chunks: Iterable[bytes], url: str) -> Iterator[Event]:
    parsed: list[Event] = ijson.sendable_list()
    parser = ijson.parse_coro(parsed)
    try:
        for chunk in chunks:
            parser.send(chunk)
            yield from parsed
            del parsed[:]
    except ijson.JSONError as error:
        raise EndpointError(f"{url}: malformed SPARQL JSON results: {_first_line(error)}") from error
    try:
        parser.close()  # fails if the document is incomplete
    except ijson.JSONError as error:
        raise EndpointError(f"{url}: the result stream ended early (truncated answer): {_first_line(error)}") from error
    yield from parsed


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def _bindings(events: Iterator[Event], url: str) -> Iterator[Mapping[str, Any]]:
    yield from ijson.items(events, _BINDING)
