"""A server's SPARQL JSON results that are not as the standard writes them: one clear error, never a traceback.

SPARQL 1.1 Query Results JSON Format: a solution is an object of terms, a term an object with
"type" (uri, literal, bnode) and "value" (a string), a literal's "xml:lang" or "datatype" strings.
A server that writes a number for a value, leaves out the type or invents one gets
`error: URL: …` (exit 2) naming the endpoint and what was expected, on both routes (rows as
rdflib terms for validation and publishing, rows as plain parts for the output writers).
"""

from __future__ import annotations

from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from typing import Any

import pytest
from click.testing import CliRunner

from jixiao.cli.main import main
from jixiao.stores.remote import EndpointError, RemoteEndpoint
from servers import canned_sparql

XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
MALFORMED = {
    "a number for a value": ({"type": "literal", "value": 5}, r'"value" as a JSON string, not \{"type": "literal", "value": 5\}'),
    "a decimal number for a value": ({"type": "literal", "datatype": XSD_INTEGER, "value": 5.5}, r'"value" as a JSON string'),
    "no type": ({"value": "x"}, r'an object with "type" and "value", not \{"value": "x"\}'),
    "no value": ({"type": "uri"}, r'an object with "type" and "value"'),
    "an unknown type": ({"type": "iri", "value": "http://e/x"}, r'"type" uri, literal or bnode, not \{"type": "iri"'),
    "a term that is a string": ("http://e/x", r'an object with "type" and "value", not "http://e/x"'),
    "a number for a tag": ({"type": "literal", "value": "x", "xml:lang": 7}, r'"xml:lang" as a JSON string'),
    "a list for a datatype": ({"type": "literal", "value": "1", "datatype": [XSD_INTEGER]}, r'"datatype" as a JSON string'),
}


@pytest.fixture(scope="module")
def server() -> Iterator[ThreadingHTTPServer]:
    with canned_sparql() as httpd:
        yield httpd


def _url(server: ThreadingHTTPServer) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}/sparql"


def _answer(server: ThreadingHTTPServer, term: Any) -> None:
    good = {"type": "literal", "datatype": XSD_INTEGER, "value": "1"}
    server.document = {"head": {"vars": ["n", "v"]}, "results": {"bindings": [{"n": good, "v": good}, {"n": good, "v": term}]}}  # type: ignore[attr-defined]


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_a_malformed_term_is_one_error_naming_the_endpoint(server: ThreadingHTTPServer, case: str) -> None:
    term, expected = MALFORMED[case]
    _answer(server, term)
    for output_format in ("csv", "json", "table"):
        result = CliRunner().invoke(main, ["query", "projects", "--endpoint", _url(server), "--format", output_format])
        assert result.exit_code == 2, (case, result.output, result.exception)
        assert result.stderr.startswith(f"error: {_url(server)}: the answer is not SPARQL 1.1 JSON results: a term must have "), result.stderr
        assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.output
    for rows in (RemoteEndpoint(_url(server)).select("SELECT ?n ?v {}", {}).rows, RemoteEndpoint(_url(server)).select_terms("SELECT ?n ?v {}", {}).rows):
        with pytest.raises(EndpointError, match=expected):
            list(rows)


@pytest.mark.parametrize(("document", "expected"), [
    ({"head": {"vars": ["n"]}, "results": {"bindings": [["n"]]}}, r'a solution must be a JSON object, not \["n"\]'),
    ({"head": {"vars": [1]}, "results": {"bindings": []}}, "a variable's name must be a JSON string, not 1"),
])
def test_a_malformed_solution_or_head_is_an_error_naming_the_endpoint(server: ThreadingHTTPServer, document: dict[str, Any], expected: str) -> None:
    server.document = document  # type: ignore[attr-defined]
    with pytest.raises(EndpointError, match=f"^{_url(server)}: the answer is not SPARQL 1.1 JSON results: {expected}"):
        list(RemoteEndpoint(_url(server)).select_terms("SELECT ?n {}", {}).rows)
