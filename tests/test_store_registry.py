"""Backends opened by name and URL scheme, and what each server dialect puts on the wire.

The wire is an httpx.MockTransport: each test sees the requests a RemoteEndpoint sends and
answers them as the server would, without a server.
"""

from __future__ import annotations

import base64
import json
import urllib.parse
from pathlib import Path

import httpx
import pytest
from rdflib import Graph, Literal, URIRef

from jixiao.errors import UsageError
from jixiao.stores import MemoryBackend, open_backend, registered
from jixiao.stores.oxigraph import OxigraphBackend
from jixiao.stores.remote import FUSEKI, GRAPHDB, OXIGRAPH, VIRTUOSO, RemoteEndpoint

# Every query is answered with this row: one triple, whatever is counted.
ONE_ROW = {"head": {"vars": ["n"]}, "results": {"bindings": [{"n": {"type": "literal", "value": "1", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}]}}


def test_each_option_opens_its_backend(tmp_path: Path) -> None:
    graph = Graph()
    graph.add((URIRef("http://e/s"), URIRef("http://e/p"), Literal("o")))
    memory = open_backend(graph=graph)
    assert isinstance(memory, MemoryBackend)
    assert [row["o"] for row in memory.select("SELECT ?o WHERE { ?s ?p ?o }", {}).rows] == [Literal("o")]
    with open_backend(store=tmp_path / "store") as store:  # type: ignore[attr-defined]
        assert isinstance(store, OxigraphBackend) and not store.read_only
    with open_backend(store=tmp_path / "store", read_only=True) as reader:  # type: ignore[attr-defined]
        assert reader.read_only
    remote = open_backend(endpoint="http://h:7878", user="u", password="p")
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

    def __init__(self, challenge: str | None = None) -> None:
        self.requests: list[httpx.Request] = []
        self.authorizations: list[str | None] = []  # as sent (an auth flow changes and re-sends one request)
        self.challenge = challenge  # a WWW-Authenticate header sent to requests without credentials

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        self.authorizations.append(request.headers.get("authorization"))
        if self.challenge and "authorization" not in request.headers:
            return httpx.Response(401, headers={"WWW-Authenticate": self.challenge})
        form = urllib.parse.parse_qs(request.content.decode("ascii")) if request.method == "POST" else {}
        if "query" in form:
            return httpx.Response(200, content=json.dumps(ONE_ROW).encode(), headers={"Content-Type": "application/sparql-results+json"})
        return httpx.Response(204)

    def forms(self) -> list[dict[str, list[str]]]:
        return [urllib.parse.parse_qs(r.content.decode("ascii")) for r in self.requests if r.method == "POST"]


def test_fuseki_asks_for_the_union_default_graph_and_uploads_to_its_data_service(tmp_path: Path) -> None:
    server = Recorder()
    endpoint = RemoteEndpoint("http://h:3030/ds/query", gsp_min_triples=0, transport=httpx.MockTransport(server))
    assert endpoint.dialect is FUSEKI
    assert [int(row["n"]) for row in endpoint.select("SELECT ?n WHERE { ?s ?p ?n }", {}).rows] == [1]
    assert server.requests[0].url == "http://h:3030/ds/query"
    assert server.forms()[0]["default-graph-uri"] == ["urn:x-arq:UnionGraph"]
    path = tmp_path / "one.nt"
    path.write_text("<http://e/s> <http://e/p> <http://e/o> .\n", encoding="utf-8")
    assert endpoint.replace_graph("http://e/g", path) == 1
    put = next(r for r in server.requests if r.method == "PUT")
    assert put.url.path == "/ds/data" and put.url.params["graph"].startswith("urn:jixiao:tmp:")
    assert put.headers["content-type"] == "application/n-triples" and put.content == path.read_bytes()
    swap = server.forms()[-2]["update"][0]  # then the target is counted
    assert swap == f"DROP SILENT GRAPH <http://e/g> ;\nMOVE SILENT GRAPH <{put.url.params['graph']}> TO GRAPH <http://e/g>"
    assert all(r.url.path == "/ds/update" for r in server.requests if "update" in urllib.parse.parse_qs(r.content.decode("ascii")))


def test_graphdb_updates_go_to_statements_with_basic_auth() -> None:
    server = Recorder()
    endpoint = RemoteEndpoint("http://h:7200/repositories/kg", user="kg", password="pw", transport=httpx.MockTransport(server))
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
