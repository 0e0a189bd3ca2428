"""An external client's view: SPARQLWrapper against a running `jixiao serve` (uvicorn on 127.0.0.1,
started by the test) gets the same answers as `jixiao query` for every named query, over DATA
and through `serve --endpoint` in front of a real Virtuoso."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from rdflib import BNode, Literal, URIRef
from SPARQLWrapper import JSON, SELECT, SPARQLWrapper

from jixiao.cli import main
from jixiao.queries import bind, library, write
from jixiao.stores.base import SelectResult, inject_values
from servers import ServerEndpoint, free_ports, virtuoso_endpoint  # noqa: F401  (fixture)

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "000_34530bcdda777c34.txt"
FIXTURE = ROOT / "tests" / "fixtures" / "queries"
# Real self-evaluations (sources in their README), so the evaluation queries are compared on rows too.
EVALUATIONS = sorted((ROOT / "tests" / "fixtures" / "selfeval").glob("*-*.md"))
DATA = [str(SEED), str(FIXTURE), *map(str, EVALUATIONS)]
# What the data above do not have: department-wide plans, an indicator evaluated in several years,
# a score that disagrees with its completion.
NO_ROWS_HERE = {"department-plans", "never-met", "score-completion-disagree"}
# Queries whose parameters have no default get one here (as in test_backends_agree).
REQUIRED = {"search": {"text": "满意度"}}
QUERIES = sorted(library())
START_SECONDS = 120
VIRTUOSO_TIME_LIMIT = 15.0
# A real server process and about fifty query runs: slow, like the other tests against servers.
pytestmark = pytest.mark.slow


def cli_answer(target: list[str], name: str) -> list[dict[str, Any]]:
    params = [arg for key, value in REQUIRED.get(name, {}).items() for arg in ("--param", f"{key}={value}")]
    result = CliRunner().invoke(main, ["query", name, *target, *params, "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def term_of(value: dict[str, str]) -> Any:
    """A SPARQL JSON result term as an rdflib term."""
    if value["type"] == "uri":
        return URIRef(value["value"])
    if value["type"] == "bnode":
        return BNode(value["value"])
    if "xml:lang" in value:
        return Literal(value["value"], lang=value["xml:lang"])
    return Literal(value["value"], datatype=URIRef(value["datatype"]) if "datatype" in value else None)


def wrapper_answer(url: str, name: str) -> list[dict[str, Any]]:
    """The named query run by SPARQLWrapper, its parameters written into the text as a VALUES
    block of RDF terms (as a client would), the rows written as `jixiao query --format json`."""
    query = library()[name]
    text = inject_values(query.text, bind(query, REQUIRED.get(name, {})))
    client = SPARQLWrapper(url)
    client.setQuery(text)
    # SPARQLWrapper guesses the query type with a regular expression that reads the word "added"
    # in a comment of year-over-year as an ADD update (and would send it as one): every named
    # query is a SELECT, so say so.
    client.queryType = SELECT
    client.setReturnFormat(JSON)
    client.setMethod("POST")
    result = client.query().convert()
    assert isinstance(result, dict)
    variables = result["head"]["vars"]
    rows = iter([{name: term_of(row[name]) if name in row else None for name in variables} for row in result["results"]["bindings"]])
    buffer = io.StringIO()
    write("json", SelectResult(variables, rows), buffer)
    return json.loads(buffer.getvalue())  # type: ignore[no-any-return]


def started_server(arguments: list[str], seconds: float = 60) -> Iterator[str]:
    """`jixiao serve ARGUMENTS` on a free port of 127.0.0.1 with a time limit of `seconds`; yields
    its /sparql URL; stops it (and its query workers) by its process group."""
    (port,) = free_ports(1)
    process = subprocess.Popen([sys.executable, "-m", "jixiao", "serve", *arguments, "--port", str(port), "--timeout", str(seconds)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}/sparql"
    try:
        deadline = time.monotonic() + START_SECONDS
        while True:
            if process.poll() is not None:
                output = process.stdout.read().decode() if process.stdout else ""
                pytest.fail(f"jixiao serve ended (exit {process.returncode}):\n{output}")
            try:
                # The editor page answers whatever the backend: the server is up.
                if httpx.get(url, headers={"Accept": "text/html"}, timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"jixiao serve did not answer within {START_SECONDS} s")
            time.sleep(0.5)
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)  # its own session: the server and its query workers
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)


@pytest.fixture(scope="module")
def served() -> Iterator[str]:
    yield from started_server(DATA)


@pytest.mark.parametrize("name", QUERIES)
def test_sparqlwrapper_gets_what_jixiao_query_gives(served: str, name: str) -> None:
    assert wrapper_answer(served, name) == cli_answer(DATA, name)


def test_most_named_queries_have_rows_here(served: str) -> None:
    # So that the comparisons above are not between empty answers.
    assert {name for name in QUERIES if not wrapper_answer(served, name)} <= NO_ROWS_HERE


@pytest.fixture(scope="module")
def served_virtuoso(virtuoso_endpoint: ServerEndpoint) -> Iterator[tuple[str, str]]:  # noqa: F811
    """(the /sparql URL of `serve --endpoint` in front of Virtuoso, Virtuoso's own query URL)."""
    server = virtuoso_endpoint
    loaded = CliRunner().invoke(main, ["load", *DATA, "--endpoint", server.query_url, "--user", server.user or "", "--password", server.password or ""])
    assert loaded.exit_code == 0, loaded.output
    for url in started_server(["--endpoint", server.query_url], VIRTUOSO_TIME_LIMIT):
        yield url, server.query_url


@pytest.mark.parametrize("name", QUERIES)
def test_sparqlwrapper_through_serve_in_front_of_virtuoso(served_virtuoso: tuple[str, str], name: str) -> None:
    # Compared with `jixiao query --endpoint` on the same server: what serve adds is the
    # forwarding. (Whether Virtuoso holds the same data as DATA is test_backends_agree's question.)
    served, virtuoso = served_virtuoso
    assert wrapper_answer(served, name) == cli_answer(["--endpoint", virtuoso], name)


def test_the_time_limit_holds_in_front_of_virtuoso(served_virtuoso: tuple[str, str]) -> None:
    served = served_virtuoso[0]
    expensive = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    started = time.monotonic()
    response = httpx.post(served, data={"query": expensive}, timeout=120)
    assert response.status_code in (503, 400), response.text  # stopped by our limit, or refused by Virtuoso's own estimate
    assert time.monotonic() - started < VIRTUOSO_TIME_LIMIT + 15
    # The next query is answered. (A SELECT: the remote backend does not run ASK yet.)
    after = httpx.get(served, params={"query": "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1"}, headers={"Accept": "application/json"}, timeout=60)
    assert after.status_code == 200, after.text
    assert len(after.json()["results"]["bindings"]) == 1
