"""SPARQL 1.1 JSON results, parsed incrementally (ijson) and turned into rdflib terms (or, for the output writers, plain parts).

Only the bindings of the chunk being read are held in memory, whatever the size of the answer;
the whole document is kept only when a server writes "head" after the bindings (allowed by JSON,
done by no server we know).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import ijson
from rdflib.term import Node

from jixiao.errors import one_line
from jixiao.stores.base import TermParts, rdflib_term
from jixiao.stores.remote.dialects import EndpointError

_BINDING = "results.bindings.item"

Event = tuple[str, str, Any]


def json_term(binding: Any, url: str = "the endpoint") -> Node:
    """One SPARQL JSON result term as an rdflib term."""
    return rdflib_term(json_parts(binding, url))


_LITERAL_TYPES = ("literal", "typed-literal")  # "typed-literal": Virtuoso's pre-1.1 spelling


def json_parts(binding: Any, url: str = "the endpoint") -> TermParts:
    """One SPARQL JSON result term as its plain parts: the IRI, label, lexical form, tag and datatype json_term reads.

    A term not as SPARQL 1.1's JSON results write it (not an object, no "type" or "value", a
    number where a string belongs, an unknown type) is an EndpointError naming `url` (the
    endpoint) and what was expected: the answer cannot be read, and guessing would print a wrong one.
    """
    try:
        kind, value = binding["type"], binding["value"]
    except (TypeError, KeyError, IndexError):
        raise _not_a_term(url, binding, 'an object with "type" and "value"') from None
    if type(value) is not str:
        raise _not_a_term(url, binding, '"value" as a JSON string')
    if kind == "uri":
        return TermParts("iri", value)
    if kind == "bnode":
        return TermParts("bnode", value)
    if kind in _LITERAL_TYPES:
        language = binding.get("xml:lang")
        if language:
            if type(language) is not str:
                raise _not_a_term(url, binding, '"xml:lang" as a JSON string')
            return TermParts("literal", value, "", language)
        datatype = binding.get("datatype") or ""
        if type(datatype) is not str:
            raise _not_a_term(url, binding, '"datatype" as a JSON string')
        return TermParts("literal", value, datatype)
    raise _not_a_term(url, binding, '"type" uri, literal or bnode')


def _not_a_term(url: str, binding: Any, expected: str) -> EndpointError:
    return _not_results(url, f"a term must have {expected}", binding)


def _not_results(url: str, rule: str, found: Any) -> EndpointError:
    """The error for an answer that breaks SPARQL 1.1 JSON results' `rule`, showing what was `found` (as JSON, one line)."""
    shown = one_line(json.dumps(found, ensure_ascii=False, default=str), 200)
    return EndpointError(f"{url}: the answer is not SPARQL 1.1 JSON results: {rule}, not {shown}")


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
                if type(value) is not str:
                    raise _not_results(url, "a variable's name must be a JSON string", value)
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
        yield from _objects(found, url)
        del found[:]
    with _errors(url, "the result stream ended early (truncated answer)"):
        parser.close()  # fails if the document is incomplete
    yield from _objects(found, url)


def _objects(bindings: list[Any], url: str) -> list[Mapping[str, Any]]:
    """The bindings, each checked to be a JSON object (a row's terms are looked up by variable name)."""
    for binding in bindings:
        if not isinstance(binding, dict):
            raise _not_results(url, "a solution must be a JSON object", binding)
    return bindings


@contextmanager
def _errors(url: str, problem: str) -> Iterator[None]:
    try:
        yield
    except ijson.JSONError as error:
        text = str(error).strip()
        raise EndpointError(f"{url}: {problem}: {text.splitlines()[0] if text else type(error).__name__}") from error
