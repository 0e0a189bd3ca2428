"""The trust rules of the stores (issue 10) on real SPARQL servers: Virtuoso and the Oxigraph server.

Each server here is this module's own (started by tests/servers.py's scripts), so what the tests
load and drop changes no other test's answers; the Virtuoso lets anonymous clients run updates,
the open door on which `jixiao query` must still refuse them.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from rdflib import BNode, Graph, URIRef

from jixiao.cli.main import main
from jixiao.graph.build import ingest_documents, ntriples_lines
from jixiao.graph.mapping import document_chunks
from jixiao.stores.loading import ontology_lines
from jixiao.stores.tables import STAGING_PREFIX, UNION_GRAPH
from servers import ServerEndpoint, comparable, running_oxigraph, running_virtuoso

pytestmark = pytest.mark.slow

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "queries"
AGENCY = "鄂州市人力资源和社会保障局本级"


@pytest.fixture(scope="module", params=["virtuoso", "oxigraph"])
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerEndpoint]:
    folder = tmp_path_factory.mktemp(f"private-{request.param}")
    with (running_virtuoso(folder, anonymous_update=True) if request.param == "virtuoso" else running_oxigraph(folder)) as running:
        yield running


def cli(*args: str | Path) -> Any:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def credentials(server: ServerEndpoint) -> list[str]:
    return ["--user", server.user, "--password", server.password] if server.user else []


def answers(server: ServerEndpoint, query: str | Path) -> Any:
    result = cli("query", query, "--endpoint", server.query_url, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture
def emptied(server: ServerEndpoint) -> Iterator[ServerEndpoint]:
    """The server, its tables all dropped again after the test."""
    yield server
    units = {row["agency"] for row in answers(server, "budget-by-unit")}
    for unit in units:
        assert cli("drop", "--unit", unit, "--endpoint", server.query_url, *credentials(server)).exit_code == 0


def union_triples(server: ServerEndpoint) -> set[tuple[Any, ...]]:
    """The union graph's triples without blank nodes, compared by value (servers canonicalise literals)."""
    with server.backend() as backend:
        rows = backend._select(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{UNION_GRAPH}> {{ ?s ?p ?o }} FILTER(!isBlank(?s) && !isBlank(?o)) }}", {}).rows
        return {(comparable(row["s"]), comparable(row["p"]), comparable(row["o"])) for row in rows}


def expected_triples(lines: list[str]) -> set[tuple[Any, ...]]:
    graph = Graph().parse(data="".join(lines), format="nt")
    return {(comparable(s), comparable(p), comparable(o)) for s, p, o in graph if isinstance(s, URIRef) and not isinstance(o, BNode)}


def test_the_same_table_from_two_paths_is_stored_once(emptied: ServerEndpoint, tmp_path: Path, seed_path: Path) -> None:
    first, second = tmp_path / "a" / "seed.txt", tmp_path / "b" / "copy.md"
    for path in (first, second):
        path.parent.mkdir()
        shutil.copy(seed_path, path)
    loaded = cli("load", first, second, "--endpoint", emptied.query_url, *credentials(emptied))
    assert loaded.exit_code == 0, loaded.output
    assert f"keeping {second}" in loaded.stderr
    assert answers(emptied, "budget-by-unit") == [{"agency": AGENCY, "projects": 7, "budget": 3752600}]
    assert cli("load", first, "--endpoint", emptied.query_url, *credentials(emptied)).exit_code == 0
    assert answers(emptied, "budget-by-unit") == [{"agency": AGENCY, "projects": 7, "budget": 3752600}]


def test_drop_removes_exactly_one_tables_triples(emptied: ServerEndpoint, seed_path: Path) -> None:
    files = [seed_path, *sorted(FIXTURE.glob("*.md"))]
    assert cli("load", *files, "--endpoint", emptied.query_url, *credentials(emptied)).exit_code == 0
    chunks = [chunk for path in files for document in ingest_documents(path) for chunk in document_chunks(document)]
    gone = next(chunk for chunk in chunks if chunk.key[0] == "project" and chunk.key[3])
    dropped = cli("drop", "--unit", gone.key[1], "--project", gone.key[2], "--year", gone.key[3], "--endpoint", emptied.query_url, *credentials(emptied))
    assert dropped.exit_code == 0 and "dropped 1 table(s)" in dropped.stderr, dropped.output
    expected = [line for chunk in chunks if chunk.key != gone.key for line in ntriples_lines(chunk.triples)] + ontology_lines()
    assert union_triples(emptied) == expected_triples(expected)
    with emptied.backend() as backend:
        assert str(gone.graph) not in backend.graph_names()


def test_a_bad_file_leaves_the_server_as_it_was_and_stale_staging_is_dropped(emptied: ServerEndpoint, tmp_path: Path, seed_path: Path) -> None:
    assert cli("load", seed_path, "--endpoint", emptied.query_url, *credentials(emptied)).exit_code == 0
    before = union_triples(emptied)
    with emptied.backend() as backend:  # what a client killed mid-write leaves: a staging graph no query reads
        backend.update(f"INSERT DATA {{ GRAPH <{STAGING_PREFIX}dead> {{ <urn:x:s> <urn:x:p> <urn:x:o> }} }}")
    bad = tmp_path / "bad.nt"
    bad.write_text('<urn:x:a> <urn:x:b> "unterminated .\n', encoding="utf-8")
    failed = cli("load", *sorted(FIXTURE.glob("*.md")), bad, "--endpoint", emptied.query_url, *credentials(emptied))
    assert failed.exit_code == 2 and "bad.nt" in failed.output and "nothing was stored" in failed.output
    assert union_triples(emptied) == before
    assert cli("load", seed_path, "--endpoint", emptied.query_url, *credentials(emptied)).exit_code == 0
    with emptied.backend() as backend:
        assert backend.temporary_graphs() == []


def test_ask_and_construct_over_the_endpoint(emptied: ServerEndpoint, tmp_path: Path, seed_path: Path) -> None:
    assert cli("load", seed_path, "--endpoint", emptied.query_url, *credentials(emptied)).exit_code == 0
    ask = tmp_path / "ask.rq"
    ask.write_text("ASK { ?s ?p ?o }", encoding="utf-8")
    never = tmp_path / "never.rq"
    never.write_text("ASK { ?s <http://example.org/never> ?o }", encoding="utf-8")
    yes = cli("query", ask, "--endpoint", emptied.query_url)
    assert (yes.exit_code, yes.stdout) == (0, "true\n"), yes.output
    assert json.loads(cli("query", never, "--endpoint", emptied.query_url, "--format", "json").stdout) is False
    construct = tmp_path / "construct.rq"
    construct.write_text("PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
                         "CONSTRUCT { ?c skos:prefLabel ?label } WHERE { ?c skos:prefLabel ?label }", encoding="utf-8")
    as_nt = cli("query", construct, "--endpoint", emptied.query_url, "--format", "csv")
    as_ttl = cli("query", construct, "--endpoint", emptied.query_url)
    assert as_nt.exit_code == 0 and as_ttl.exit_code == 0, as_nt.output + as_ttl.output
    assert len(Graph().parse(data=as_nt.stdout, format="nt")) == len(Graph().parse(data=as_ttl.stdout, format="turtle")) > 10


@pytest.mark.parametrize("server", ["virtuoso"], indirect=True)  # the Oxigraph server has no anonymous-update door to open
def test_update_refused_where_the_server_would_run_it(server: ServerEndpoint, tmp_path: Path) -> None:
    graph = "urn:x:anonymous-update-probe"
    # The door is open: an anonymous client may update through /sparql.
    opened = httpx.post(server.query_url, data={"query": f"INSERT DATA {{ GRAPH <{graph}> {{ <urn:x:s> <urn:x:p> <urn:x:o> }} }}"}, timeout=30)
    assert opened.status_code == 200, opened.text
    count = tmp_path / "count.rq"
    count.write_text(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}", encoding="utf-8")
    before = answers(server, count)
    update = tmp_path / "update.rq"
    for text in (f"DROP SILENT GRAPH <{graph}>", f"DELETE WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}", "CLEAR ALL"):
        update.write_text(text, encoding="utf-8")
        refused = cli("query", update, "--endpoint", server.query_url)
        assert refused.exit_code == 2 and "SPARQL Update" in refused.output and "Traceback" not in refused.output
    assert answers(server, count) == before == [{"n": 1}]
    httpx.post(server.query_url, data={"query": f"DROP SILENT GRAPH <{graph}>"}, timeout=30)
