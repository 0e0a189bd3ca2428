"""SPARQL 1.1 JSON results, parsed incrementally (ijson) and turned into rdflib terms (or, for the output writers, plain parts).

Only the bindings of the chunk being read are held in memory, whatever the size of the answer;
the whole document is kept only when a server writes "head" after the bindings (allowed by JSON,
done by no server we know).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import ijson
from rdflib.term import Node

from jixiao.stores.base import TermParts, rdflib_term
from jixiao.stores.remote.dialects import EndpointError

_BINDING = "results.bindings.item"

Event = tuple[str, str, Any]


def json_term(binding: Mapping[str, str]) -> Node:
    """One SPARQL JSON result term as an rdflib term."""
    return rdflib_term(json_parts(binding))


def json_parts(binding: Mapping[str, str]) -> TermParts:
    """One SPARQL JSON result term as its plain parts: the IRI, label, lexical form, tag and datatype json_term reads."""
    kind = binding.get("type")
    value = binding.get("value", "")
    if kind == "uri":
        return TermParts("iri", value)
    if kind == "bnode":
        return TermParts("bnode", value)
    if kind in ("literal", "typed-literal"):  # "typed-literal": Virtuoso's pre-1.1 spelling
        language = binding.get("xml:lang")
        if language:
            return TermParts("literal", value, "", language)
        return TermParts("literal", value, binding.get("datatype") or "")
    raise EndpointError(f"unsupported term type {kind!r} in SPARQL results")


def read_select_results(chunks: Iterable[bytes], url: str) -> tuple[list[str], Iterator[Mapping[str, Any]]]:
    """The variables of a SPARQL JSON result and an iterator over its bindings, read as `chunks` arrive.

    The head is found by ijson's event parser, which stops looking once the bindings begin; the
    bindings are built by ijson's item parser (in C) from the chunks read so far and the rest.
    """
    chunks = iter(chunks)
    read: list[bytes] = []
    events: list[Event] = ijson.sendable_list()
    head = ijson.parse_coro(events)
    variables: list[str] = []
    head_read = bindings_begin = False
    for chunk in chunks:
        read.append(chunk)
        with _errors(url, "malformed SPARQL JSON results"):
            head.send(chunk)
        for prefix, event, value in events:
            if prefix == "head.vars.item":
                variables.append(value)
            head_read = head_read or (prefix == "head" and event == "end_map")
            bindings_begin = bindings_begin or (prefix == "results.bindings" and event == "start_array")
            if prefix == "boolean":
                raise EndpointError(f"{url}: the query is an ASK query, not a SELECT query")
        del events[:]
        if head_read and bindings_begin:
            return variables, _bindings(itertools.chain(read, chunks), url)
    with _errors(url, "the result stream ended early (truncated answer)"):
        head.close()
    raise EndpointError(f"{url}: the answer is not SPARQL JSON results")


def _bindings(chunks: Iterable[bytes], url: str) -> Iterator[Mapping[str, Any]]:
    found: list[Mapping[str, Any]] = ijson.sendable_list()
    parser = ijson.items_coro(found, _BINDING)
    for chunk in chunks:
        with _errors(url, "malformed SPARQL JSON results"):
            parser.send(chunk)
        yield from found
        del found[:]
    with _errors(url, "the result stream ended early (truncated answer)"):
        parser.close()  # fails if the document is incomplete
    yield from found


@contextmanager
def _errors(url: str, problem: str) -> Iterator[None]:
    try:
        yield
    except ijson.JSONError as error:
        text = str(error).strip()
        raise EndpointError(f"{url}: {problem}: {text.splitlines()[0] if text else type(error).__name__}") from error
