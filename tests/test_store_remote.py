"""Remote SPARQL servers (Oxigraph server, Virtuoso) behind RemoteEndpoint, tested for real.

Every query must give the rows rdflib gives in memory; loads must replace graphs whole and
leave them untouched when anything fails; every failure must be an EndpointError naming the URL.
"""

from __future__ import annotations

import json
import re
import socket
import subprocess
import urllib.parse
from collections.abc import Callable, Iterator
from decimal import Decimal
from http.server import ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from rdflib import Graph, Literal, URIRef

from jixiao.errors import InputError
from jixiao.namespaces import DEFAULT_BASE
from jixiao.stores import inject_values
from jixiao.stores.remote import (
    TEMP_GRAPH_PREFIX,
    EndpointError,
    RemoteEndpoint,
    detect_urls,
    json_term,
    read_select_results,
)
from jixiao.stores.tables import UNION_GRAPH
from servers import (  # noqa: F401 - the server fixtures are used by name
    AGENCY_ZH,
    NOTE,
    SCRIPTS,
    ServerEndpoint,
    canned_sparql,
    comparable_rows,
    free_ports,
    oxigraph_binary,
    oxigraph_endpoint,
    reference_rows,
    sample_graph,
    sample_queries,
    select_against_rdflib,
    virtuoso_endpoint,
    write_ntriples,
)

XSD_DECIMAL = "http://www.w3.org/2001/XMLSchema#decimal"


@pytest.fixture(params=["oxigraph", "virtuoso"])
def server(request: pytest.FixtureRequest) -> ServerEndpoint:
    """Each test that takes `server` runs once per server kind."""
    return request.getfixturevalue(f"{request.param}_endpoint")


@pytest.fixture
def virtuoso(request: pytest.FixtureRequest) -> ServerEndpoint:
    """The Virtuoso server alone (for what only it has: authentication)."""
    return request.getfixturevalue("virtuoso_endpoint")


def count_in(endpoint: RemoteEndpoint, graph: str) -> int:
    return endpoint.count_triples(graph)


class InsertDataHook(httpx.HTTPTransport):
    """The real network, with `before_insert(n)` called before the n-th INSERT DATA request goes out
    (to cut the connection there, or stop the server); a no-op until a test sets it."""

    def __init__(self) -> None:
        super().__init__()
        self.before_insert: Callable[[int], None] = lambda sent: None
        self.inserts = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        form = urllib.parse.parse_qs(request.read().decode("ascii"))
        if form.get("update", [""])[0].startswith("INSERT DATA"):
            self.inserts += 1
            self.before_insert(self.inserts)
        return super().handle_request(request)


def chunks(data: bytes, size: int) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)]


def malformed_copy(source: Path, target: Path, repeat: int = 1) -> Path:
    """Valid triples (many, if repeat > 1) and then one broken line near the end."""
    text = source.read_text(encoding="utf-8")
    lines = [line.replace("<http://example.org/t/", f"<http://example.org/r{i}/") for i in range(repeat) for line in text.splitlines(keepends=True)]
    broken = '<http://example.org/x> <http://example.org/p> "unterminated .\n<http://example.org/x> <http://example.org/p> "ok" .\n'
    target.write_text("".join(lines) + broken, encoding="utf-8")
    return target


# ---- answers equal rdflib's ------------------------------------------------------------------------


@pytest.mark.parametrize("name", [q[0] for q in sample_queries("http://example.org/")])
def test_select_gives_the_rows_rdflib_gives(server: ServerEndpoint, data: dict[str, Path], ns: str, name: str) -> None:
    endpoint = server.backend()
    _, rows, _ = select_against_rdflib(endpoint, data, ns, name)
    if name == "injection-attempt":
        assert rows == []
        assert count_in(endpoint, ns + "graph/b") == len(sample_graph(ns))


def test_a_select_mentioning_update_keywords_is_still_a_select(server: ServerEndpoint, data: dict[str, Path], ns: str) -> None:
    # SPARQLWrapper, used here before, guessed the query form from keywords: this one once went out as an ADD update.
    endpoint = server.backend()
    endpoint.replace_graph(ns + "graph/b", data[ns + "graph/b"])
    # SPARQLWrapper's comment stripper skips every other line of a comment block: the second and
    # the fourth line, and the comment after the PREFIX, once made this query an ADD update.
    query = (
        "# title: indicators that changed\n"
        "# description: indicators that were added, deleted or moved;\n"
        "#   INSERT and DROP in a comment\n"
        "#   load, copy, move, add, clear, create\n"
        f"PREFIX ex: <{ns}> # added\n"
        'SELECT ?p ?change WHERE { ?p a ex:Project BIND("added" AS ?change) }'
    )
    rows = list(endpoint.select(query, {}).rows)
    assert len(rows) == 6 and {str(row["change"]) for row in rows} == {"added"}


def test_decimals_and_chinese_come_back_typed(server: ServerEndpoint, data: dict[str, Path], ns: str) -> None:
    endpoint = server.backend()
    endpoint.replace_graph(ns + "graph/b", data[ns + "graph/b"])
    rows = list(endpoint.select(f"SELECT ?b WHERE {{ ?p <{ns}budget> ?b }}", {}).rows)
    assert {str(row["b"].datatype) for row in rows} == {XSD_DECIMAL}
    assert sorted(row["b"].value for row in rows) == sorted(Decimal(v) for v in ("1300000", "27.06", "270600") for _ in range(2))
    labels = {row["l"] for row in endpoint.select(f"SELECT ?l WHERE {{ <{ns}agency0> ?p ?l }}", {}).rows}
    assert Literal(AGENCY_ZH, lang="zh") in labels
    notes = [row["n"] for row in endpoint.select(f"SELECT ?n WHERE {{ ?p <{ns}note> ?n }}", {}).rows]
    assert notes == [Literal(NOTE)]


def test_default_graph_is_the_union_of_named_graphs(server: ServerEndpoint, data: dict[str, Path], ns: str) -> None:
    endpoint = server.backend()
    for graph, path in data.items():
        endpoint.replace_graph(graph, path)
    query = f"SELECT (COUNT(?p) AS ?n) WHERE {{ {{ ?p a <{ns}Project> }} UNION {{ ?p a <{ns}a/Project> }} }}"
    assert int(next(endpoint.select(query, {}).rows)["n"]) == 12
    names = endpoint.graph_names()
    assert set(data) <= set(names)
    assert not any(name.startswith(TEMP_GRAPH_PREFIX) for name in names)
    assert not any("openlinksw" in name for name in names)


def test_more_than_10000_rows_come_back_complete_and_streamed(server: ServerEndpoint, ns: str, tmp_path: Path) -> None:
    endpoint = server.backend()
    path = tmp_path / "many.nt"
    total = 12_345
    with path.open("w", encoding="utf-8") as out:
        for i in range(total):
            out.write(f'<{ns}s{i}> <{ns}n> "{i}.5"^^<{XSD_DECIMAL}> .\n')
    assert endpoint.replace_graph(ns + "graph/many", path) == total
    rows = endpoint.select(f"SELECT ?s ?n WHERE {{ ?s <{ns}n> ?n }}", {}).rows
    assert not isinstance(rows, list)
    values = sorted(row["n"].value for row in rows)
    assert len(values) == total
    assert values == sorted(Decimal(f"{i}.5") for i in range(total))


# ---- loading ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("route", ["graph-store", "insert-data"])
def test_replacing_twice_gives_no_duplicates(server: ServerEndpoint, data: dict[str, Path], ns: str, route: str) -> None:
    endpoint = server.backend(gsp_min_triples=0) if route == "graph-store" else server.backend(update_url=server.update_url)
    graph, path = ns + "graph/b", data[ns + "graph/b"]
    size = len(sample_graph(ns))
    assert endpoint.replace_graph(graph, path) == size
    assert endpoint.replace_graph(graph, path) == size
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), '{ns}')) }}"
    assert int(next(endpoint.select(query, {}).rows)["n"]) == size
    assert endpoint.temporary_graphs() == []


def test_replacing_with_other_contents_drops_the_old(server: ServerEndpoint, ns: str, tmp_path: Path) -> None:
    endpoint = server.backend()
    graph = ns + "graph/x"
    endpoint.replace_graph(graph, write_ntriples(sample_graph(ns, projects=6), tmp_path / "six.nt"))
    endpoint.replace_graph(graph, write_ntriples(sample_graph(ns, projects=2), tmp_path / "two.nt"))
    assert len(list(endpoint.select(f"SELECT ?p WHERE {{ ?p a <{ns}Project> }}", {}).rows)) == 2
    empty = tmp_path / "empty.nt"
    empty.write_text("", encoding="utf-8")
    assert endpoint.replace_graph(graph, empty) == 0
    assert graph not in endpoint.graph_names()


@pytest.mark.parametrize("route", ["graph-store", "insert-data"])
def test_a_malformed_file_leaves_the_graph_as_it_was(server: ServerEndpoint, data: dict[str, Path], ns: str, tmp_path: Path, route: str) -> None:
    # Virtuoso's Graph Store commits the triples before the bad line and only then fails: the
    # temporary graph is what keeps them out of the target.
    endpoint = server.backend(gsp_min_triples=0) if route == "graph-store" else server.backend(update_url=server.update_url, batch_size=50)
    assert (endpoint.urls.gsp is None) == (route == "insert-data")
    graph = ns + "graph/b"
    before = endpoint.replace_graph(graph, data[graph])
    bad = malformed_copy(data[ns + "graph/a"], tmp_path / "bad.nt", repeat=40)
    with pytest.raises(InputError) as caught:  # the whole file is checked before anything is sent
        endpoint.replace_graph(graph, bad)
    assert str(bad) in str(caught.value) and caught.value.line is not None
    assert count_in(endpoint, graph) == before
    assert endpoint.temporary_graphs() == []
    # Nothing of the bad file is visible anywhere.
    assert list(endpoint.select("SELECT ?s WHERE { ?s <http://example.org/p> ?o }", {}).rows) == []


def test_a_load_cut_off_mid_batch_leaves_the_graph_as_it_was(server: ServerEndpoint, data: dict[str, Path], ns: str) -> None:
    network = InsertDataHook()
    endpoint = server.backend(update_url=server.update_url, batch_size=5, retries=2, backoff=0.01, transport=network)
    graph = ns + "graph/b"
    before = endpoint.replace_graph(graph, data[graph])
    batches = {"sent": 0}

    def cut_after_three(sent: int) -> None:
        batches["sent"] += 1
        if batches["sent"] > 3:  # the connection dies after three batches, for good
            raise httpx.ReadError("Connection reset by peer")

    network.before_insert = cut_after_three
    with pytest.raises(EndpointError) as caught:
        endpoint.replace_graph(graph, data[ns + "graph/a"])
    assert "after 3 attempts" in str(caught.value) and "left unchanged" in str(caught.value)
    assert batches["sent"] == 3 + 3  # three good batches, then the failing one tried three times
    assert count_in(endpoint, graph) == before
    assert endpoint.temporary_graphs() == []


SEED = Path(__file__).resolve().parents[1] / "examples" / "000_34530bcdda777c34.txt"


class AnswerLostAfterSwitch(httpx.HTTPTransport):
    """The real network, except that the switch's answer never arrives: the server carries it out,
    and the client sees a read timeout (as a switch longer than the client's timeout does)."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        form = urllib.parse.parse_qs(request.read().decode("ascii"))
        response = super().handle_request(request)
        if form.get("update", [""])[0].startswith(f"DELETE {{ GRAPH <{UNION_GRAPH}>"):
            response.read()
            raise httpx.ReadTimeout("timed out", request=request)
        return response


def test_a_switch_without_answer_is_not_reported_as_nothing_stored(request: pytest.FixtureRequest) -> None:
    from jixiao.cli.load import load_into
    from jixiao.stores.base import OutcomeUnknown

    server: ServerEndpoint = request.getfixturevalue("oxigraph_endpoint")
    endpoint = server.backend(update_url=server.update_url, transport=AnswerLostAfterSwitch())
    before = len(endpoint.tables())
    with pytest.raises(OutcomeUnknown) as caught:
        load_into(endpoint, [str(SEED)], DEFAULT_BASE, None, None, server.query_url)
    message = str(caught.value)
    assert "nothing was stored" not in message and "may still be carried out" in message
    # Here the server did switch: the new tables are what queries read, and the client never claimed otherwise.
    assert len(server.backend().tables()) > before


def test_a_server_stopped_during_the_load(data: dict[str, Path], ns: str, tmp_path: Path) -> None:
    """A real Oxigraph server of this test's own, stopped between two INSERT DATA batches."""
    binary = oxigraph_binary()
    if binary is None:
        pytest.skip("oxigraph server not installed (pip install oxigraph)")
    data_dir = tmp_path / "ox-stopped"
    (port,) = free_ports(1)
    env = {"OXIGRAPH": binary, "PATH": "/usr/bin:/bin"}

    def start() -> None:
        subprocess.run([str(SCRIPTS / "oxigraph-start.sh"), str(data_dir), str(port)], check=True, capture_output=True, env=env, timeout=120)

    def stop() -> None:
        subprocess.run([str(SCRIPTS / "oxigraph-stop.sh"), str(data_dir)], check=True, capture_output=True, env=env, timeout=120)

    start()
    try:
        base = f"http://127.0.0.1:{port}"
        network = InsertDataHook()
        endpoint = RemoteEndpoint(base, update_url=f"{base}/update", batch_size=5, retries=1, backoff=0.01, transport=network)
        graph = ns + "graph/b"
        before = endpoint.replace_graph(graph, data[graph])
        batches = {"sent": 0}

        def stop_before_the_third(sent: int) -> None:
            batches["sent"] += 1
            if batches["sent"] == 3:
                stop()

        network.before_insert = stop_before_the_third
        with pytest.raises(EndpointError) as caught:
            endpoint.replace_graph(graph, data[ns + "graph/a"])
        message = str(caught.value)
        assert f"{base}/update" in message and "connection refused" in message
        assert "left unchanged" in message
        network.before_insert = lambda sent: None
        start()
        assert count_in(endpoint, graph) == before
        # The cut-off load left its temporary graph; it is never listed, and can be cleaned up.
        assert graph in endpoint.graph_names() and not any(g.startswith(TEMP_GRAPH_PREFIX) for g in endpoint.graph_names())
        assert len(endpoint.drop_temporary_graphs()) == 1
        assert endpoint.temporary_graphs() == []
    finally:
        stop()


def test_blank_nodes_need_the_graph_store(server: ServerEndpoint, ns: str, tmp_path: Path) -> None:
    path = tmp_path / "bnodes.nt"
    path.write_text(f'_:b1 <{ns}p> "x" .\n<{ns}s> <{ns}p> _:b1 .\n', encoding="utf-8")
    with pytest.raises(EndpointError, match="blank nodes"):
        server.backend(update_url=server.update_url).replace_graph(ns + "graph/bn", path)
    assert server.backend().replace_graph(ns + "graph/bn", path) == 2


# ---- failures are EndpointErrors that name the URL ------------------------------------------------


def test_unreachable_server() -> None:
    (port,) = free_ports(1)  # nothing listens there
    url = f"http://127.0.0.1:{port}/sparql"
    endpoint = RemoteEndpoint(url, user="kg", password="kgpass", retries=2, backoff=0.01)
    with pytest.raises(EndpointError) as caught:
        endpoint.graph_names()
    assert url in str(caught.value) and "connection refused" in str(caught.value) and "after 3 attempts" in str(caught.value)
    with pytest.raises(EndpointError, match=f"127.0.0.1:{port}"):
        endpoint.replace_graph("http://example.org/g", write_ntriples(sample_graph("http://example.org/"), Path(_tmp()) / "x.nt"))


def test_unknown_host() -> None:
    with pytest.raises(EndpointError, match=r"no-such-host\.invalid.*unknown host"):
        RemoteEndpoint("http://no-such-host.invalid/sparql", retries=0).graph_names()


def test_a_server_that_never_answers_times_out() -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)  # accepts connections (in the kernel) but never answers
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/query"
        with pytest.raises(EndpointError) as caught:
            RemoteEndpoint(url, timeout=0.5, retries=1, backoff=0.01).graph_names()
    assert url in str(caught.value) and "timeout" in str(caught.value) and "after 2 attempts" in str(caught.value)


def test_wrong_password_is_a_clear_error(virtuoso: ServerEndpoint, data: dict[str, Path], ns: str) -> None:
    graph, path = ns + "graph/b", data[ns + "graph/b"]
    for options in ({}, {"update_url": virtuoso.update_url}):  # Graph Store, then SPARQL Update
        endpoint = RemoteEndpoint(virtuoso.query_url, user="kg", password="wrong", retries=3, backoff=0.01, **options)
        with pytest.raises(EndpointError) as caught:
            endpoint.replace_graph(graph, path)
        message = str(caught.value)
        assert "'kg' was refused" in message and "401" in message and "password" in message
        assert virtuoso.base_url in message
        assert "attempts" not in message  # a refusal is not retried


def test_queries_through_the_authenticated_endpoint(virtuoso: ServerEndpoint) -> None:
    url = f"{virtuoso.base_url}/sparql-auth"  # Digest only
    query = "SELECT ?x WHERE { VALUES ?x { 1 } }"
    assert [int(row["x"]) for row in RemoteEndpoint(url, user="kg", password="kgpass").select(query, {}).rows] == [1]
    with pytest.raises(EndpointError, match=r"'kg' was refused \(HTTP 401"):
        RemoteEndpoint(url, user="kg", password="wrong").select(query, {})
    with pytest.raises(EndpointError, match="requires a user and password"):
        RemoteEndpoint(url).select(query, {})


def test_virtuoso_refuses_updates_without_credentials(virtuoso: ServerEndpoint, data: dict[str, Path], ns: str) -> None:
    endpoint = RemoteEndpoint(virtuoso.query_url, retries=0)
    with pytest.raises(EndpointError, match=virtuoso.base_url):
        endpoint.replace_graph(ns + "graph/b", data[ns + "graph/b"])


def test_credentials_in_the_url(virtuoso: ServerEndpoint, data: dict[str, Path], ns: str) -> None:
    url = virtuoso.query_url.replace("http://", "http://kg:kgpass@")
    endpoint = RemoteEndpoint(url)
    assert endpoint.user == "kg" and "kgpass" not in endpoint.urls.query
    assert endpoint.replace_graph(ns + "graph/b", data[ns + "graph/b"]) == len(sample_graph(ns))


def test_bad_query_names_the_server_message(server: ServerEndpoint) -> None:
    with pytest.raises(EndpointError) as caught:
        list(server.backend(retries=0).select("SELECT ?s WHERE { ?s ?p }", {}).rows)
    message = str(caught.value)
    assert server.query_url in message and "SPARQL query:" not in message
    assert re.search(r"malformed \(HTTP 400\): \S", message), message  # the server's own words follow
    assert caught.value.status == 400


# ---- URLs, VALUES blocks and the JSON stream, without a server ------------------------------------


def test_urls_detected_from_one_url() -> None:
    virtuoso = detect_urls("http://h:8890/sparql", authenticated=True)
    assert (virtuoso.dialect.name, virtuoso.update, virtuoso.gsp, virtuoso.dialect.gsp_graph_param) == (
        "virtuoso",
        "http://h:8890/sparql-auth",
        "http://h:8890/sparql-graph-crud-auth",
        "graph-uri",
    )
    assert detect_urls("http://h:8890/sparql/", authenticated=False).update == "http://h:8890/sparql"
    for url in ("http://h:7878", "http://h:7878/", "http://h:7878/query"):
        oxigraph = detect_urls(url, authenticated=False)
        assert (oxigraph.dialect.name, oxigraph.query, oxigraph.update, oxigraph.gsp) == (
            "oxigraph",
            "http://h:7878/query",
            "http://h:7878/update",
            "http://h:7878/store",
        )
    assert detect_urls("http://h/ds/query", authenticated=False).update == "http://h/ds/update"
    assert detect_urls("https://u:p@h/endpoint?x=1", authenticated=True) == detect_urls("https://h/endpoint?x=1", authenticated=True)
    explicit = RemoteEndpoint("http://h/q", update_url="http://h/u", gsp_url="http://h/g")
    assert (explicit.urls.query, explicit.urls.update, explicit.urls.gsp) == ("http://h/q", "http://h/u", "http://h/g")
    with pytest.raises(EndpointError, match="not an http"):
        RemoteEndpoint("ftp://h/sparql")


def test_values_go_into_the_outermost_group_and_the_subselects_naming_them() -> None:
    query = (
        "PREFIX ex: <http://example.org/a#{x}>\n"
        "# WHERE { in a comment\n"
        'SELECT ?a (EXISTS { ?a ex:p "}" } AS ?e) WHERE { ?a ex:q "{" . { SELECT ?a WHERE { ?a ex:r ?b } } }'
    )
    label = Literal('引"号\n', lang="zh")
    bound = inject_values(query, {"a": URIRef("http://example.org/x"), "l": label})
    head, _, tail = bound.partition(f"WHERE {{\n  VALUES (?a ?l) {{ (<http://example.org/x> {label.n3()}) }}\n")
    assert head.endswith("AS ?e) ") and tail.startswith(' ?a ex:q "{"')
    # The sub-SELECT names ?a, not ?l: ?a alone is bound inside it; the EXISTS before the group is left alone.
    assert tail.count("VALUES") == 1 and "{ SELECT ?a WHERE {\n  VALUES (?a) { (<http://example.org/x>) }\n ?a ex:r ?b }" in tail
    nested = inject_values('SELECT * { { SELECT (COUNT(?x) AS ?n) WHERE { ?x ?p "SELECT {" { SELECT ?x WHERE { ?x ?q $l } } } } '
                           "OPTIONAL { SELECT ?y WHERE { ?y ?p ?la } } }", {"l": label})
    # Every sub-SELECT naming ?l gets it (the outer one through its nested one); ?la is another variable.
    assert nested.count(f"VALUES (?l) {{ ({label.n3()}) }}") == 3
    assert "OPTIONAL { SELECT ?y WHERE { ?y ?p ?la } }" in nested
    assert inject_values("SELECT * { ?s ?p ?o }", {"s": URIRef("http://e/s")}).startswith("SELECT * {\n  VALUES (?s)")
    with pytest.raises(ValueError):
        inject_values("SELECT * { ?s ?p ?o }", {"bad name": URIRef("http://e/s")})
    with pytest.raises(ValueError):
        inject_values("SELECT * { ?s ?p ?o }", {"s": URIRef("http://e/a b>")})


def test_json_results_are_read_one_binding_at_a_time() -> None:
    rows = [
        {"s": {"type": "uri", "value": "http://e/项目"}, "o": {"type": "literal", "value": "鄂州 😀", "xml:lang": "zh"}},
        {"s": {"type": "bnode", "value": "b0"}, "o": {"type": "typed-literal", "datatype": XSD_DECIMAL, "value": "27.06"}},
        {"s": {"type": "uri", "value": "http://e/x"}},
    ]
    document = {"head": {"vars": ["s", "o"]}, "results": {"bindings": rows}}
    for text in (json.dumps(document), json.dumps(document, ensure_ascii=False, indent=2)):
        variables, bindings = read_select_results(chunks(text.encode("utf-8"), 3), "u")
        assert variables == ["s", "o"] and list(bindings) == rows
    late_head = {"results": {"bindings": rows}, "head": {"vars": ["s", "o"]}}
    variables, bindings = read_select_results([json.dumps(late_head).encode()], "u")
    assert variables == ["s", "o"] and list(bindings) == rows
    assert json_term(rows[0]["o"]) == Literal("鄂州 😀", lang="zh")
    assert json_term(rows[1]["o"]) == Literal("27.06", datatype=URIRef(XSD_DECIMAL))
    assert json_term({"type": "literal", "value": "x", "datatype": "http://www.w3.org/2001/XMLSchema#string"}) == Literal("x")
    truncated = json.dumps(document)[:-40].encode()
    with pytest.raises(EndpointError, match=r"ended early|malformed"):
        list(read_select_results(chunks(truncated, 16), "u")[1])
    with pytest.raises(EndpointError, match="ASK"):
        read_select_results([b'{"head": {}, "boolean": true}'], "u")


@pytest.fixture
def fake_server() -> Iterator[ThreadingHTTPServer]:
    with canned_sparql() as httpd:
        yield httpd


def test_results_cut_by_virtuoso_row_limit_are_an_error(fake_server: ThreadingHTTPServer) -> None:
    rows = [{"n": {"type": "literal", "value": str(i)}} for i in range(3)]
    fake_server.document = {"head": {"vars": ["n"]}, "results": {"bindings": rows}}  # type: ignore[attr-defined]
    url = f"http://127.0.0.1:{fake_server.server_address[1]}/sparql"
    fake_server.extra_headers = {"X-SPARQL-MaxRows": "3"}  # type: ignore[attr-defined]
    with pytest.raises(EndpointError, match="truncated at 3 rows"):
        list(RemoteEndpoint(url).select("SELECT ?n WHERE { ?s ?p ?n }", {}).rows)
    fake_server.extra_headers = {"X-SPARQL-MaxRows": "10"}  # type: ignore[attr-defined]
    assert len(list(RemoteEndpoint(url).select("SELECT ?n WHERE { ?s ?p ?n }", {}).rows)) == 3
    fake_server.extra_headers = {"X-SQL-State": "S1TAT", "X-SQL-Message": "RC...: Returning incomplete results"}  # type: ignore[attr-defined]
    with pytest.raises(EndpointError, match="partial results"):
        RemoteEndpoint(url).select("SELECT ?n WHERE { ?s ?p ?n }", {})


def test_an_answer_cut_off_midway_is_an_error(fake_server: ThreadingHTTPServer) -> None:
    rows = [{"n": {"type": "literal", "value": str(i)}} for i in range(20_000)]
    fake_server.document = {"head": {"vars": ["n"]}, "results": {"bindings": rows}}  # type: ignore[attr-defined]
    fake_server.extra_headers = {}  # type: ignore[attr-defined]
    fake_server.cut_at = 300_000  # type: ignore[attr-defined]
    result = RemoteEndpoint(f"http://127.0.0.1:{fake_server.server_address[1]}/sparql").select("SELECT ?n WHERE { ?s ?p ?n }", {})
    seen = 0
    with pytest.raises(EndpointError, match=r"/sparql: (the result stream ended early|connection lost)"):
        for _ in result.rows:
            seen += 1
    assert 0 < seen < len(rows)  # rows came as they arrived, up to the cut


def _tmp() -> str:
    import tempfile

    return tempfile.mkdtemp(prefix="jixiao-test-")


def test_sample_graph_round_trips_through_ntriples(tmp_path: Path) -> None:
    graph = sample_graph("http://example.org/")
    assert len(Graph().parse(write_ntriples(graph, tmp_path / "g.nt"), format="nt")) == len(graph)
