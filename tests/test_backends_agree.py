"""The same named queries give the same answers in memory, in the embedded store and on real servers.

The seed, the multi-unit, multi-year query fixture and real self-evaluations are put in each place
the way a user does it (`ingest --store`, `load --endpoint`), and
every query of the library is run through `jixiao query` with its JSON output compared as data:
numbers as numbers, Chinese text exactly.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from jixiao.cli.main import main
from jixiao.queries.library import library
from servers import ServerEndpoint, oxigraph_endpoint, virtuoso_endpoint  # noqa: F401  (fixtures)

PARAMETER_RUNS = [
    ("indicators", ["--param", "project=法律服务"]),
    ("indicators", ["--param", "agency=鄂州市人力资源和社会保障局本级", "--param", "project=企业薪酬调查"]),
    ("projects", ["--param", "agency=鄂州市人力资源和社会保障局本级"]),
    ("budget-by-unit", ["--param", "year=2024"]),
]


def cli(*args: str | Path) -> Any:
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    return result


FIXTURE = Path(__file__).resolve().parent / "fixtures" / "queries"
# Real self-evaluations (with sources in their README), so the evaluation queries compare answers, not empty tables.
EVALUATIONS = sorted((Path(__file__).resolve().parent / "fixtures" / "selfeval").glob("*-*.md"))
# Queries whose parameters have no default get one here.
REQUIRED = {"search": ["--param", "text=满意度"]}
# Queries about what the seed and the fixtures do not have: department-wide plans (部门整体绩效目标表),
# an indicator evaluated in several years (never-met), a score that disagrees with its completion.
NO_SEED_DATA = {"department-plans", "never-met", "score-completion-disagree"}


def answers(target: list[str], query: str, extra: list[str]) -> list[dict[str, Any]]:
    result = cli("query", query, *target, *extra, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def targets(tmp_path_factory: pytest.TempPathFactory, seed_path: Path, virtuoso_endpoint: ServerEndpoint,  # noqa: F811
            oxigraph_endpoint: ServerEndpoint) -> dict[str, list[str]]:  # noqa: F811
    store = tmp_path_factory.mktemp("store") / "oxigraph"
    data = [str(seed_path), str(FIXTURE), *map(str, EVALUATIONS)]
    assert cli("ingest", *data, "--store", store).exit_code == 0
    places = {"memory": data, "embedded": ["--store", str(store)]}
    for server in (virtuoso_endpoint, oxigraph_endpoint):
        credentials = ["--user", server.user, "--password", server.password] if server.user else []
        loaded = cli("load", *data, "--endpoint", server.query_url, *credentials)
        assert loaded.exit_code == 0, loaded.output
        places[server.name] = ["--endpoint", server.query_url]
    return places


QUERIES = sorted(library())


@pytest.mark.parametrize("query", QUERIES)
def test_every_named_query_agrees_everywhere(targets: dict[str, list[str]], query: str) -> None:
    extra = REQUIRED.get(query, [])
    reference = answers(targets["memory"], query, extra)
    for place in ("embedded", "virtuoso", "oxigraph"):
        assert answers(targets[place], query, extra) == reference, f"{query} differs in {place}"


def test_most_queries_have_answers_on_the_seed(targets: dict[str, list[str]]) -> None:
    # So that the comparisons above are not between empty results.
    empty = [query for query in QUERIES if not answers(targets["memory"], query, REQUIRED.get(query, []))]
    assert not set(empty) - NO_SEED_DATA


@pytest.mark.parametrize(("query", "extra"), PARAMETER_RUNS)
def test_parameters_bind_the_same_everywhere(targets: dict[str, list[str]], query: str, extra: list[str]) -> None:
    reference = answers(targets["memory"], query, extra)
    for place in ("embedded", "virtuoso", "oxigraph"):
        assert answers(targets[place], query, extra) == reference


def test_budget_is_exact_everywhere(targets: dict[str, list[str]]) -> None:
    for target in targets.values():
        rows = answers(target, "budget-by-unit", [])
        assert {"agency": "鄂州市人力资源和社会保障局本级", "projects": 7, "budget": 3752600} in rows


def test_reload_and_interrupted_load_keep_the_graph_whole(virtuoso_endpoint: ServerEndpoint, tmp_path: Path,  # noqa: F811
                                                          seed_path: Path) -> None:
    table = tmp_path / "seed.md"
    table.write_bytes(seed_path.read_bytes())
    server = virtuoso_endpoint
    target = ["--endpoint", server.query_url]
    credentials = ["--user", server.user, "--password", server.password]
    graph = "https://example.org/graph/reload-test"
    count_query = tmp_path / "count.rq"
    count_query.write_text(f"SELECT (COUNT(*) AS ?triples) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}", encoding="utf-8")

    # The graph is dropped at the end: the server is shared by the session and queries see the
    # union of its graphs, so a graph left behind would change every later test's answers.
    with server.backend() as backend:
        try:
            _reload_and_break(table, graph, count_query, target, credentials, server)
        finally:
            writer = backend.writer()  # dropped as a table, so the union the queries read loses it too
            writer.drop(graph)
            writer.commit()
        assert graph not in backend.graph_names()


def _reload_and_break(table: Path, graph: str, count_query: Path, target: list[str], credentials: list[str],
                      server: ServerEndpoint) -> None:
    assert cli("load", table, "--graph", graph, *target, *credentials).exit_code == 0
    first = answers(target, str(count_query), [])
    # 2945 distinct triples since ProjectYear (2931 before: a project-year per table; 2852 before jx:comparatorStated
    # on each of the seed's 78 quantitative targets and the agency typed org:Organization).
    assert first[0]["triples"] == 2945
    assert cli("load", table, "--graph", graph, *target, *credentials).exit_code == 0
    assert answers(target, str(count_query), []) == first  # reloaded, not duplicated

    broken = table.parent / "broken.nt"
    broken.write_text("<urn:a> <urn:b> <urn:c> .\n<urn:a> <urn:b> \"unterminated .\n", encoding="utf-8")
    failed = cli("load", broken, "--graph", graph, *target, *credentials)
    assert failed.exit_code != 0 and "broken.nt" in failed.output
    assert answers(target, str(count_query), []) == first  # the previous contents are intact

    refused = cli("load", table, "--graph", graph, *target, "--user", server.user, "--password", "wrong")
    assert refused.exit_code != 0
    assert answers(target, str(count_query), []) == first


def test_unreachable_endpoint_is_a_clear_error(seed_path: Path) -> None:
    result = cli("load", seed_path, "--endpoint", "http://127.0.0.1:9/sparql")
    assert result.exit_code != 0 and "127.0.0.1:9" in result.output and "Traceback" not in result.output
