"""Backends opened by name and URL scheme, and what each server dialect puts on the wire.

A Recorder sees the requests a RemoteEndpoint sends and answers them as the server would, without
a real server: as a tiny HTTP server on 127.0.0.1 (which SPARQLWrapper's queries reach as well as
httpx's requests), or as an httpx.MockTransport where only httpx speaks.
"""

from __future__ import annotations

import base64
import json
import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from rdflib import Graph, Literal, URIRef

from jixiao.errors import UsageError
from jixiao.stores import MemoryBackend, open_backend, registered
from jixiao.stores.base import StoreError
from jixiao.stores.oxigraph import OxigraphBackend
from jixiao.stores.remote import FUSEKI, GRAPHDB, OXIGRAPH, VIRTUOSO, EndpointError, RemoteEndpoint
from jixiao.stores.tables import REPLACES, UNION_GRAPH

NO_ROWS = {"head": {"vars": ["s"]}, "results": {"bindings": []}}
# Every query is answered with this row: one triple, whatever is counted.
ONE_ROW = {"head": {"vars": ["n"]}, "results": {"bindings": [{"n": {"type": "literal", "value": "1", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}]}}


def test_each_option_opens_its_backend(tmp_path: Path) -> None:
    graph = Graph()
    graph.add((URIRef("http://e/s"), URIRef("http://e/p"), Literal("o")))
    memory = open_backend(graph=graph)
    assert isinstance(memory, MemoryBackend)
    assert [row["o"] for row in memory.select("SELECT ?o WHERE { ?s ?p ?o }", {}).rows] == [Literal("o")]
    with pytest.raises(StoreError, match="no store at"):
        open_backend(store=tmp_path / "store", read_only=True)
    with open_backend(store=tmp_path / "store") as store:  # type: ignore[attr-defined]
        assert isinstance(store, OxigraphBackend) and not store.read_only
        store.writer().commit()  # the first write makes the store
    with open_backend(store=tmp_path / "store", read_only=True) as reader:  # type: ignore[attr-defined]
        assert reader.read_only
    remote = open_backend(endpoint="http://h:7878", user="u", password="p", allow_basic_over_http=True)
    assert isinstance(remote, RemoteEndpoint) and remote.dialect is OXIGRAPH and remote.user == "u"
    assert isinstance(open_backend(endpoint="https://h/ds/query"), RemoteEndpoint)
    assert {"memory", "oxigraph", "http", "https"} <= set(registered())


def test_an_unknown_scheme_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match=r"'ftp'.*known: .*https"):
        open_backend(endpoint="ftp://h/sparql")
    with pytest.raises(UsageError, match="not both"):
        open_backend(endpoint="http://h/sparql", store=Path("x"))


class Recorder:
    """A mock server: records requests, answers queries with one row and everything else with 204."""

    def __init__(self, challenge: str | None = None, busy: int = 0) -> None:
        self.requests: list[httpx.Request] = []
        self.authorizations: list[str | None] = []  # as sent (an auth flow changes and re-sends one request)
        self.challenge = challenge  # a WWW-Authenticate header sent to requests without credentials
        self.busy = busy  # how many requests are answered 503 before the server works

    def __call__(self, request: httpx.Request) -> httpx.Response:
        form = urllib.parse.parse_qs(request.content.decode("ascii")) if request.method == "POST" else {}
        if UNION_GRAPH in form.get("query", [""])[0] and "default-graph-uri" not in form:
            # Does a jixiao union graph exist? Not on this server (asked once per endpoint; not recorded).
            return httpx.Response(200, content=json.dumps(NO_ROWS).encode(), headers={"Content-Type": "application/sparql-results+json"})
        self.requests.append(request)
        self.authorizations.append(request.headers.get("authorization"))
        if len(self.requests) <= self.busy:
            return httpx.Response(503, text="busy")
        if self.challenge and "authorization" not in request.headers:
            return httpx.Response(401, headers={"WWW-Authenticate": self.challenge})
        if "query" in form:
            return httpx.Response(200, content=json.dumps(ONE_ROW).encode(), headers={"Content-Type": "application/sparql-results+json"})
        return httpx.Response(204)

    def forms(self) -> list[dict[str, list[str]]]:
        return [urllib.parse.parse_qs(r.content.decode("ascii"), keep_blank_values=True) for r in self.requests if r.method == "POST"]


class _Serve(BaseHTTPRequestHandler):
    """Hands each request to the server's Recorder as an httpx.Request and writes back its answer."""

    protocol_version = "HTTP/1.1"

    def handle_one(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        host, port = self.server.server_address[:2]
        request = httpx.Request(self.command, f"http://{host}:{port}{self.path}", headers=list(self.headers.items()), content=body)
        answer = self.server.recorder(request)  # type: ignore[attr-defined]
        content = answer.read()
        self.send_response(answer.status_code)
        for name, value in answer.headers.items():
            if name.lower() not in ("content-length", "transfer-encoding"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    do_GET = do_POST = do_PUT = handle_one

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def local() -> Iterator[tuple[str, Recorder]]:
    """A Recorder listening on 127.0.0.1: its base URL and the Recorder (a test may replace its settings)."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Serve)
    httpd.recorder = Recorder()  # type: ignore[attr-defined]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", httpd.recorder  # type: ignore[attr-defined]
    httpd.shutdown()
    httpd.server_close()


def test_fuseki_asks_for_the_union_default_graph_and_uploads_to_its_data_service(tmp_path: Path, local: tuple[str, Recorder]) -> None:
    base, server = local
    endpoint = RemoteEndpoint(f"{base}/ds/query", gsp_min_triples=0)
    assert endpoint.dialect is FUSEKI
    assert [int(row["n"]) for row in endpoint.select("SELECT ?n WHERE { ?s ?p ?n }", {}).rows] == [1]
    assert server.requests[0].url == f"{base}/ds/query"
    assert server.forms()[0]["default-graph-uri"] == ["urn:x-arq:UnionGraph"]
    path = tmp_path / "one.nt"
    path.write_text("<http://e/s> <http://e/p> <http://e/o> .\n", encoding="utf-8")
    assert endpoint.replace_graph("http://e/g", path) == 1
    put = next(r for r in server.requests if r.method == "PUT")
    assert put.url.path == "/ds/data" and put.url.params["graph"].startswith("urn:jixiao:tmp:")
    assert put.headers["content-type"] == "application/n-triples" and put.content == path.read_bytes()
    updates = [form["update"][0] for form in server.forms() if "update" in form]
    assert f"<{put.url.params['graph']}> <{REPLACES}> <http://e/g> ." in updates[-2]  # the control graph says what replaces what
    assert updates[-1].startswith(f"DELETE {{ GRAPH <{UNION_GRAPH}>")  # then one update switches it in
    assert all(r.url.path == "/ds/update" for r in server.requests if "update" in urllib.parse.parse_qs(r.content.decode("ascii")))


def test_graphdb_updates_go_to_statements_with_basic_auth() -> None:
    server = Recorder()
    endpoint = RemoteEndpoint("http://h:7200/repositories/kg", user="kg", password="pw", transport=httpx.MockTransport(server),
                              allow_basic_over_http=True)  # not a real host: the mock transport answers
    assert endpoint.dialect is GRAPHDB
    endpoint.drop_graph("http://e/g")
    (request,) = server.requests
    assert request.url == "http://h:7200/repositories/kg/statements"
    assert request.headers["authorization"] == "Basic " + base64.b64encode(b"kg:pw").decode("ascii")
    assert server.forms()[0]["update"] == ["DROP SILENT GRAPH <http://e/g>"]


def test_virtuoso_answers_the_digest_challenge() -> None:
    server = Recorder(challenge='Digest realm="SPARQL", nonce="abc", qop="auth"')
    endpoint = RemoteEndpoint("http://h:8890/sparql-auth", user="kg", password="pw", transport=httpx.MockTransport(server))
    assert endpoint.dialect is VIRTUOSO and endpoint.urls.update == "http://h:8890/sparql-auth"
    assert [int(row["n"]) for row in endpoint.select("SELECT ?n WHERE { ?s ?p ?n }", {}).rows] == [1]
    first, second = server.authorizations
    assert first is None and second is not None and second.startswith('Digest username="kg", realm="SPARQL", nonce="abc"')
    assert set(server.forms()[-1]) == {"query"}  # Virtuoso's default graph is already the union


def test_selects_go_through_sparqlwrapper_and_updates_through_httpx(local: tuple[str, Recorder]) -> None:
    base, server = local
    endpoint = RemoteEndpoint(base, user="kg", password="pw")  # the Oxigraph server's URLs; Basic credentials
    assert [int(row["n"]) for row in endpoint.select("SELECT ?n WHERE { ?s ?p ?n }", {}).rows] == [1]
    endpoint.drop_graph("http://e/g")
    query, update = server.requests
    assert query.url.path == "/query" and query.headers["user-agent"].startswith("sparqlwrapper")
    assert query.headers["authorization"] == "Basic " + base64.b64encode(b"kg:pw").decode("ascii")  # sent at once, not after a challenge
    assert server.forms()[0]["query"] == ["SELECT ?n WHERE { ?s ?p ?n }"] and server.forms()[0]["union-default-graph"] == [""]
    assert update.url.path == "/update" and update.headers["user-agent"].startswith("python-httpx/")


def test_a_digest_protected_query_goes_through_httpx(local: tuple[str, Recorder]) -> None:
    base, server = local
    server.challenge = 'Digest realm="SPARQL", nonce="n1", qop="auth"'
    endpoint = RemoteEndpoint(f"{base}/sparql-auth", user="kg", password="pw")
    assert [int(row["n"]) for row in endpoint.select("SELECT ?n WHERE { ?s ?p ?n }", {}).rows] == [1]
    assert [request.headers["user-agent"].split("/")[0] for request in server.requests] == ["python-httpx", "python-httpx"]
    assert server.authorizations[0] is None and str(server.authorizations[1]).startswith('Digest username="kg"')
    server.challenge = None
    anonymous = RemoteEndpoint(f"{base}/sparql", user="kg", password="pw")  # Virtuoso's open query URL: SPARQLWrapper, no credentials
    assert [int(row["n"]) for row in anonymous.select("SELECT ?n WHERE { ?s ?p ?n }", {}).rows] == [1]
    assert server.requests[-1].headers["user-agent"].startswith("sparqlwrapper") and server.authorizations[-1] is None


def test_queries_are_retried_while_the_server_is_busy(local: tuple[str, Recorder]) -> None:
    base, server = local
    server.busy = 2
    assert [int(row["n"]) for row in RemoteEndpoint(base, retries=2, backoff=0.01).select("SELECT ?n WHERE { ?s ?p ?n }", {}).rows] == [1]
    assert len(server.requests) == 3 and all(r.headers["user-agent"].startswith("sparqlwrapper") for r in server.requests)
    server.requests.clear()
    server.busy = 5
    with pytest.raises(EndpointError, match=r"/query: query failed \(after 3 attempts\): .*HTTP 503\): busy") as caught:
        RemoteEndpoint(base, retries=2, backoff=0.01).select("SELECT ?n WHERE { ?s ?p ?n }", {})
    assert caught.value.status == 503
