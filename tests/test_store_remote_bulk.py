"""A first load through Virtuoso's bulk loader (`load --bulk-dir`: N-Quads files, ld_dir, rdf_loader_run, the same switch).

Two private servers get the same tables, one through HTTP uploads and one through the bulk loader:
every graph (tables, registry, union) must hold the same triples and every named query must give
the same answer. A load that fails leaves what the queries read as it was; a directory the server
may not read, an unreachable SQL port and a wrong password are errors that say what to fix.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from jixiao.cli.main import main
from jixiao.queries import library, run
from jixiao.stores import SelectResult, store_chunks
from jixiao.stores.remote import EndpointError, RemoteEndpoint
from jixiao.stores.remote.bulk import PASSWORD_ENV, BulkLoad
from jixiao.stores.tables import REGISTRY_GRAPH, UNION_GRAPH
from jixiao.synthetic import write_corpus
from servers import ServerEndpoint, comparable_rows, running_oxigraph, running_virtuoso

pytestmark = pytest.mark.slow

DBA_PASSWORD = "dba"  # the private servers' SQL account (virtuoso-start.sh sets none other)
SAMPLE_TEXT = "满意度"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bulk-corpus")
    write_corpus(folder, 24, seed=7, per_file=8, n_agencies=4, years=(2023, 2024))
    shutil.copy(Path(__file__).resolve().parent.parent / "examples" / "000_34530bcdda777c34.txt", folder)
    return folder


@pytest.fixture(scope="module")
def bulk_dir() -> Iterator[Path]:
    # Under /tmp: the private servers' DirsAllowed (virtuoso-start.sh's VIRT_LOAD_DIRS default).
    folder = Path(tempfile.mkdtemp(prefix="jixiao-bulk-", dir="/tmp"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def loaded(corpus: Path, bulk_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ServerEndpoint, ServerEndpoint]]:
    """Two private Virtuosos holding the corpus: loaded over HTTP, and through the bulk loader."""
    with running_virtuoso(tmp_path_factory.mktemp("virtuoso-http")) as http, running_virtuoso(tmp_path_factory.mktemp("virtuoso-bulk")) as bulk:
        assert cli("load", corpus, "--endpoint", http.query_url, "--user", http.user, "--password", http.password).exit_code == 0
        result = cli("load", corpus, "--endpoint", bulk.query_url, "--user", bulk.user, "--password", bulk.password, "--bulk-dir", bulk_dir,
                     "--sql", f"127.0.0.1:{bulk.extra['sql_port']}", env={PASSWORD_ENV: DBA_PASSWORD})
        assert result.exit_code == 0, result.output
        yield http, bulk


def cli(*args: object, env: dict[str, str] | None = None) -> object:
    return CliRunner().invoke(main, [str(a) for a in args], env=env, catch_exceptions=False)


def all_graphs(server: ServerEndpoint) -> dict[str, set[tuple[object, ...]]]:
    with server.backend() as backend:
        graphs = [*backend.graph_names(), REGISTRY_GRAPH, UNION_GRAPH]
        found = {}
        for graph in graphs:
            rows = backend.select(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}", {}).rows
            found[graph] = set(comparable_rows(rows))
        assert not backend.temporary_graphs(), "staging graphs left behind"
    return found


def test_the_bulk_loader_gives_the_same_graphs(loaded: tuple[ServerEndpoint, ServerEndpoint]) -> None:
    http, bulk = loaded
    through_http, through_bulk = all_graphs(http), all_graphs(bulk)
    assert len(through_http) > 27  # the tables of 24 project-years and the seed's, the ontology, registry, union
    assert through_http.keys() == through_bulk.keys()
    for graph, triples in through_http.items():
        assert triples == through_bulk[graph], graph
    assert len(through_http[UNION_GRAPH]) > 10_000


def answer(backend: RemoteEndpoint, name: str) -> list[tuple[object, ...]] | bool:
    named = library()[name]
    params = {p: SAMPLE_TEXT for p, parameter in named.params.items() if parameter.required}
    result = run(named, backend, params, check=False)
    return sorted(comparable_rows(result.rows), key=repr) if isinstance(result, SelectResult) else bool(result)


@pytest.mark.parametrize("name", sorted(library()))
def test_every_named_query_answers_the_same(loaded: tuple[ServerEndpoint, ServerEndpoint], name: str) -> None:
    http, bulk = loaded
    with http.backend() as first, bulk.backend() as second:
        assert answer(first, name) == answer(second, name)


@dataclass
class Chunk:
    """A table as the loader takes it (graph.build's encoded chunks carry their lines)."""

    key: tuple[str, ...]
    graph: str
    lines: list[str]
    source: str
    triples: tuple[()] = ()


def test_a_failed_bulk_load_changes_nothing_the_queries_read(loaded: tuple[ServerEndpoint, ServerEndpoint], bulk_dir: Path) -> None:
    _, bulk = loaded
    settings = BulkLoad(bulk_dir, f"127.0.0.1:{bulk.extra['sql_port']}", "dba", DBA_PASSWORD)
    before = all_graphs(bulk)
    good = Chunk(("project", "某单位", "某项目", "2024"), "urn:x-test:bulk:good", ['<urn:x-test:s> <urn:x-test:p> "一" .\n'], "good.txt")
    broken = Chunk(("project", "某单位", "另一项目", "2024"), "urn:x-test:bulk:broken", ['<urn:x-test:s> <urn:x-test:p> "unterminated .\n'], "broken.txt")
    with bulk.backend(bulk_load=settings) as backend, pytest.raises(EndpointError, match="bulk loader failed"):
        store_chunks(backend, [good, broken])
    assert not list(bulk_dir.iterdir()), "the load's files were left behind"
    after = all_graphs_but_staging(bulk)
    assert after == before


def all_graphs_but_staging(server: ServerEndpoint) -> dict[str, set[tuple[object, ...]]]:
    """What queries read after a failed load (its staging graphs are dropped by the next write, and read by no query)."""
    with server.backend() as backend:
        backend.drop_temporary_graphs()
    return all_graphs(server)


def test_a_directory_the_server_may_not_read(loaded: tuple[ServerEndpoint, ServerEndpoint]) -> None:
    _, bulk = loaded
    outside = Path(tempfile.mkdtemp(prefix="jixiao-bulk-", dir=Path.home()))
    try:
        settings = BulkLoad(outside, f"127.0.0.1:{bulk.extra['sql_port']}", "dba", DBA_PASSWORD)
        with bulk.backend(bulk_load=settings) as backend, pytest.raises(EndpointError, match="DirsAllowed"):
            backend.writer()
        assert not list(outside.iterdir())
    finally:
        shutil.rmtree(outside, ignore_errors=True)


def test_a_directory_the_server_does_not_see(loaded: tuple[ServerEndpoint, ServerEndpoint], bulk_dir: Path) -> None:
    _, bulk = loaded
    settings = BulkLoad(bulk_dir, f"127.0.0.1:{bulk.extra['sql_port']}", "dba", DBA_PASSWORD, server_directory="/tmp")
    with bulk.backend(bulk_load=settings) as backend, pytest.raises(EndpointError, match="does not see the files"):
        backend.writer()


@pytest.mark.parametrize(("address", "password", "says"), [("127.0.0.1:1", DBA_PASSWORD, "cannot connect"), (None, "wrong", "Bad login")])
def test_sql_port_unreachable_or_refused(loaded: tuple[ServerEndpoint, ServerEndpoint], bulk_dir: Path, address: str | None, password: str,
                                         says: str) -> None:
    _, bulk = loaded
    settings = BulkLoad(bulk_dir, address or f"127.0.0.1:{bulk.extra['sql_port']}", "dba", password)
    with bulk.backend(bulk_load=settings) as backend, pytest.raises(EndpointError, match=says) as raised:
        backend.writer()
    assert "SQL port" in str(raised.value) and "wrong" not in str(raised.value)


def test_the_command_wants_the_password_in_the_environment(loaded: tuple[ServerEndpoint, ServerEndpoint], corpus: Path, bulk_dir: Path) -> None:
    _, bulk = loaded
    result = CliRunner().invoke(main, ["load", str(corpus), "--endpoint", bulk.query_url, "--user", str(bulk.user), "--password", str(bulk.password),
                                       "--bulk-dir", str(bulk_dir)], env={PASSWORD_ENV: None})
    assert result.exit_code == 2
    assert PASSWORD_ENV in result.output


def test_only_virtuoso_has_a_bulk_loader(tmp_path: Path, bulk_dir: Path) -> None:
    with running_oxigraph(tmp_path / "oxigraph") as server, pytest.raises(EndpointError, match="needs a Virtuoso endpoint"):
        RemoteEndpoint(server.query_url, bulk_load=BulkLoad(bulk_dir, "127.0.0.1:1111", "dba", DBA_PASSWORD))
