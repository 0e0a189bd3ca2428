"""Real SPARQL servers for the storage tests, as session-scoped pytest fixtures.

    from servers import virtuoso_endpoint, oxigraph_endpoint

Each fixture starts its server with the project's own scripts (scripts/*-start.sh) on 127.0.0.1,
on free ports, with a fresh data directory under pytest's tmp, yields a `ServerEndpoint`, and
stops the server by its pid afterwards, also when a test or the start-up failed. A missing
server binary skips the tests, except under CI=true, where it fails them: CI must install the
servers (scripts/install-servers.sh, and `pip install oxigraph` for the Oxigraph server).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "scripts"
START_TIMEOUT_S = 180
STOP_TIMEOUT_S = 90


@dataclass(frozen=True)
class ServerEndpoint:
    """A running test server: its URLs and the credentials of its update user."""

    name: str  # "virtuoso" or "oxigraph"
    base_url: str
    query_url: str
    update_url: str
    gsp_url: str
    user: str | None
    password: str | None
    data_dir: Path
    extra: dict[str, Any] = field(default_factory=dict)

    def backend(self, **options: Any) -> Any:
        """A RemoteEndpoint for this server, auto-detected from its query URL plus credentials."""
        from jixiao.stores.remote import RemoteEndpoint

        return RemoteEndpoint(self.query_url, user=self.user, password=self.password, **options)


def free_ports(count: int) -> list[int]:
    """Ports free on 127.0.0.1 right now (held open together so they differ)."""
    with ExitStack() as stack:
        sockets = []
        for _ in range(count):
            sock = stack.enter_context(socket.socket(socket.AF_INET, socket.SOCK_STREAM))
            sock.bind(("127.0.0.1", 0))
            sockets.append(sock)
        return [sock.getsockname()[1] for sock in sockets]


def _missing(what: str, hint: str) -> None:
    message = f"{what} not found; install it with: {hint}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{message} (CI=true: the storage tests must run against real servers)", pytrace=False)
    pytest.skip(message)


def _run(command: list[str], env: dict[str, str] | None, timeout: float) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env, check=False)


def _started(command: list[str], env: dict[str, str], name: str) -> str:
    """Run a start script; return its stdout, or fail the tests with its error output."""
    try:
        result = _run(command, env, START_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{name} did not become ready within {START_TIMEOUT_S}s", pytrace=False)
    if result.returncode != 0:
        pytest.fail(f"{name} did not start (exit {result.returncode}):\n{result.stdout}\n{result.stderr}", pytrace=False)
    return result.stdout


def oxigraph_binary() -> str | None:
    """The `oxigraph` server from the PyPI package: beside this Python, else on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which("oxigraph")


@contextmanager
def running_virtuoso(data_dir: Path, anonymous_update: bool = False) -> Iterator[ServerEndpoint]:
    """A private Virtuoso 7 (Debian's virtuoso-opensource) with update user kg/kgpass, stopped afterwards.

    `anonymous_update` also lets the anonymous /sparql run SPARQL Update (VIRT_ANON_UPDATE=1):
    the server a careless administrator leaves open, on which `jixiao query` must still refuse updates.
    """
    if shutil.which("virtuoso-t") is None or shutil.which("isql-vt") is None:
        _missing("virtuoso-t (Virtuoso Open Source)", "scripts/install-servers.sh  (apt-get install virtuoso-opensource)")
    http_port, sql_port = free_ports(2)
    user, password = "kg", "kgpass"
    # A small page cache is plenty for test data (default of the script: ~1.3 GB).
    env = {**os.environ, "VIRT_USER": user, "VIRT_PASSWORD": password, "VIRT_BUFFERS": "30000", "VIRT_ANON_UPDATE": "1" if anonymous_update else "0"}
    try:
        _started([str(SCRIPTS / "virtuoso-start.sh"), str(data_dir), str(http_port), str(sql_port)], env, "virtuoso")
        base = f"http://127.0.0.1:{http_port}"
        yield ServerEndpoint(
            "virtuoso",
            base,
            f"{base}/sparql",
            f"{base}/sparql-auth",
            f"{base}/sparql-graph-crud-auth",
            user,
            password,
            data_dir,
            {"sql_port": sql_port},
        )
    finally:
        _run([str(SCRIPTS / "virtuoso-stop.sh"), str(data_dir)], env, STOP_TIMEOUT_S)


@contextmanager
def running_oxigraph(data_dir: Path) -> Iterator[ServerEndpoint]:
    """An Oxigraph server (PyPI package `oxigraph`; no authentication), stopped afterwards."""
    binary = oxigraph_binary()
    if binary is None:
        _missing("the oxigraph server binary", "pip install oxigraph")
    assert binary is not None
    (port,) = free_ports(1)
    env = {**os.environ, "OXIGRAPH": binary}
    try:
        _started([str(SCRIPTS / "oxigraph-start.sh"), str(data_dir), str(port)], env, "oxigraph")
        base = f"http://127.0.0.1:{port}"
        yield ServerEndpoint("oxigraph", base, f"{base}/query", f"{base}/update", f"{base}/store", None, None, data_dir)
    finally:
        _run([str(SCRIPTS / "oxigraph-stop.sh"), str(data_dir)], env, STOP_TIMEOUT_S)


@pytest.fixture(scope="session")
def virtuoso_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerEndpoint]:
    """The session's Virtuoso (see running_virtuoso)."""
    with running_virtuoso(tmp_path_factory.mktemp("virtuoso")) as server:
        yield server


@pytest.fixture(scope="session")
def oxigraph_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerEndpoint]:
    """The session's Oxigraph server (see running_oxigraph)."""
    with running_oxigraph(tmp_path_factory.mktemp("oxigraph")) as server:
        yield server


# ---- test data shared by the storage tests ---------------------------------------------------

AGENCY_ZH = "鄂州市人力资源和社会保障局"
AGENCY_EN = "Ezhou Human Resources and Social Security Bureau"
BUDGETS = ("1300000", "27.06", "270600")  # xsd:decimal lexical forms: 130 万元 in 元, a rate, 27.06 万元
NOTE = '含"引号"与\\反斜杠\n第二行 😀 ≥95%'  # quotes, a backslash, a newline, an emoji


def sample_graph(ns: str, projects: int = 6) -> Any:
    """Projects with Chinese and English labels, decimal budgets and a tricky note, under `ns`."""
    from decimal import Decimal

    from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace

    ex = Namespace(ns)
    graph = Graph()
    for k in range(2):
        agency = ex[f"agency{k}"]
        graph.add((agency, RDFS.label, Literal(AGENCY_ZH if k == 0 else f"另一单位{k}", lang="zh")))
        graph.add((agency, RDFS.label, Literal(AGENCY_EN if k == 0 else f"Another unit {k}", lang="en")))
    for i in range(projects):
        project = ex[f"project{i}"]
        graph.add((project, RDF.type, ex.Project))
        graph.add((project, RDFS.label, Literal(f"项目{i}：窗口业务服务", lang="zh")))
        graph.add((project, RDFS.label, Literal(f"Project {i}", lang="en")))
        graph.add((project, ex.agency, ex[f"agency{i % 2}"]))
        graph.add((project, ex.budget, Literal(BUDGETS[i % 3], datatype=XSD.decimal)))
        graph.add((project, ex["count"], Literal(i * 10, datatype=XSD.integer)))
        graph.add((project, ex.stated, Literal(f"≥{90 + i}%")))
        if i == 1:
            graph.add((project, ex.note, Literal(NOTE)))
        assert Literal(BUDGETS[i % 3], datatype=XSD.decimal).value == Decimal(BUDGETS[i % 3])
    return graph


def write_ntriples(graph: Any, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    graph.serialize(destination=path, format="nt", encoding="utf-8")
    return path


def reference_rows(files: dict[str, Path], query: str, bindings: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows rdflib gives in memory: each file in its named graph, default graph = union."""
    from rdflib import Dataset, URIRef, Variable

    dataset = Dataset(default_union=True)
    for graph_iri, path in files.items():
        dataset.graph(URIRef(graph_iri)).parse(path, format="nt")
    result = dataset.query(query, initBindings={Variable(k): v for k, v in bindings.items()})
    names = [str(v) for v in result.vars or []]
    return [{name: row[i] for i, name in enumerate(names)} for row in result]  # type: ignore[index]


_NUMERIC = {
    "http://www.w3.org/2001/XMLSchema#" + name
    for name in ("decimal", "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger", "double", "float")
}


def select_against_rdflib(backend: Any, data: dict[str, Path], ns: str, name: str) -> tuple[Any, list[Any], list[Any]]:
    """Load the sample files into `backend`, run sample query `name`, and check its rows equal
    rdflib's on the same files; return the result, its rows and rdflib's rows for further checks."""
    for graph, path in data.items():
        backend.replace_graph(graph, path)
    _, query, bindings = next(q for q in sample_queries(ns) if q[0] == name)
    expected = reference_rows(data, query, bindings)
    result = backend.select(query, bindings)
    rows = list(result.rows)
    assert comparable_rows(rows) == comparable_rows(expected)
    return result, rows, expected


def comparable(term: Any) -> Any:
    """A term as a value to compare across stores: numbers by value (stores canonicalise their
    lexical forms, "1.50" -> "1.5"), text and language tags exactly, IRIs as IRIs."""
    from decimal import Decimal

    from rdflib import BNode, Literal

    if term is None:
        return None
    if isinstance(term, Literal):
        if term.language:
            return ("text", str(term), term.language.lower())
        datatype = str(term.datatype) if term.datatype else None
        if datatype in _NUMERIC:
            return ("number", datatype, Decimal(str(term.value)))
        return ("text", str(term), datatype)
    if isinstance(term, BNode):
        return ("bnode",)
    return ("iri", str(term))


def comparable_rows(rows: Any) -> list[tuple[Any, ...]]:
    """Rows as a sorted list of comparable tuples (order-insensitive, duplicates kept)."""
    return sorted((tuple((name, comparable(value)) for name, value in sorted(row.items())) for row in rows), key=repr)


def sample_queries(ns: str) -> list[tuple[str, str, dict[str, Any]]]:
    """(name, query, bindings) exercising what the named queries use, over sample_graph(ns)."""
    from decimal import Decimal

    from rdflib import Literal, URIRef

    prefixes = f"PREFIX ex: <{ns}>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    return [
        (
            "agency-bound-zh",
            prefixes + "# a comment with { braces } and WHERE {\n"
            "SELECT ?p ?label ?budget WHERE { ?p a ex:Project ; rdfs:label ?label ; ex:budget ?budget ;"
            ' ex:agency/rdfs:label ?agency . FILTER(LANG(?label) = "zh") }',
            {"agency": Literal(AGENCY_ZH, lang="zh")},
        ),
        (
            "sum-by-agency",
            prefixes + "SELECT ?agency (COUNT(?p) AS ?projects) (SUM(?b) AS ?total) WHERE {"
            ' ?p ex:agency/rdfs:label ?agency ; ex:budget ?b . FILTER(LANG(?agency) = "zh") } GROUP BY ?agency',
            {},
        ),
        (
            "param-only-in-filter",
            prefixes + "SELECT ?p ?b WHERE { ?p ex:budget ?b FILTER(!BOUND(?param_min) || ?b >= ?param_min) }",
            {"param_min": Literal(Decimal("270600"))},
        ),
        (
            "param-unbound",
            prefixes + "SELECT ?p ?b WHERE { ?p ex:budget ?b FILTER(!BOUND(?param_min) || ?b >= ?param_min) }",
            {},
        ),
        (
            "projected-variable-bound",
            prefixes + "SELECT ?agency ?label WHERE { ?p ex:agency ?agency . ?agency rdfs:label ?label }",
            {"label": Literal(AGENCY_ZH, lang="zh")},
        ),
        ("iri-bound", prefixes + "SELECT ?label WHERE { ?param_p rdfs:label ?label }", {"param_p": URIRef(ns + "project1")}),
        ("tricky-literal-bound", prefixes + "SELECT ?p WHERE { ?p ex:note ?param_note }", {"param_note": Literal(NOTE)}),
        (
            "english-and-optional",
            prefixes + 'SELECT ?p ?en ?note WHERE { ?p a ex:Project ; rdfs:label ?en FILTER(LANG(?en) = "en") OPTIONAL { ?p ex:note ?note } }',
            {},
        ),
        ("integer-and-text", prefixes + "SELECT ?p ?n ?s WHERE { ?p ex:count ?n ; ex:stated ?s FILTER(?n >= 20) }", {}),
        (
            "injection-attempt",
            prefixes + "SELECT ?p WHERE { ?p rdfs:label ?param_x }",
            {"param_x": Literal('x" } } ; DROP ALL ; # \\" ) } ')},
        ),
    ]


class CannedSparql(BaseHTTPRequestHandler):
    """A SPARQL endpoint answering every query with the JSON results (and headers) the test put on the server:
    `server.document`, optional `server.extra_headers`, and `server.cut_at` to drop the connection mid-answer."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        body = json.dumps(self.server.document).encode()  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        for name, value in getattr(self.server, "extra_headers", {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        sent = getattr(self.server, "cut_at", len(body))
        self.wfile.write(body[:sent])
        self.wfile.flush()
        self.close_connection = True

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def canned_sparql() -> Iterator[ThreadingHTTPServer]:
    """A CannedSparql server on 127.0.0.1, stopped at the end."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), CannedSparql)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
