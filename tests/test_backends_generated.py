"""Every named query answers the same on Virtuoso as in the embedded store, on a generated province.

The fixtures of test_backends_agree are small and hand-picked; generated tables over two years
bring what they lack: projects declared again with targets that changed, stayed or have no number,
in both goal kinds. (On this corpus Virtuoso's BOUND() was true for a variable of a nested
OPTIONAL that matched nothing, so year-over-year reported unchanged wordings as changed.)
Both stores are filled and reasoned as users do it: `ingest --store` + `reason --store`,
`load --endpoint` + `reason --endpoint`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from jixiao.cli.main import main
from jixiao.queries.library import library
from jixiao.synthetic import write_corpus
from servers import running_virtuoso

pytestmark = pytest.mark.slow

REQUIRED = {"search": ["--param", "text=满意度"]}


def cli(*args: str | Path) -> Any:
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    return result


@pytest.fixture(scope="module")
def places(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, list[str]]]:
    corpus = tmp_path_factory.mktemp("province")
    write_corpus(corpus, 100, seed=1, per_file=50, damage=0.05, n_agencies=5, years=(2023, 2024), defects=0.1)
    store = tmp_path_factory.mktemp("store") / "oxigraph"
    cli("ingest", corpus, "--store", store)
    cli("reason", "--store", store)
    with running_virtuoso(tmp_path_factory.mktemp("virtuoso")) as server:
        credentials = ["--user", server.user, "--password", server.password]
        cli("load", corpus, "--endpoint", server.query_url, *credentials)
        cli("reason", "--endpoint", server.query_url, *credentials)
        yield {"embedded": ["--store", str(store)], "virtuoso": ["--endpoint", server.query_url]}


def answer(place: list[str], query: str) -> list[dict[str, Any]]:
    result = cli("query", query, *place, *REQUIRED.get(query, []), "--format", "json")
    return json.loads(result.stdout)


@pytest.mark.parametrize("query", sorted(library()))
def test_every_named_query_answers_the_same(places: dict[str, list[str]], query: str) -> None:
    assert answer(places["virtuoso"], query) == answer(places["embedded"], query)


def test_year_over_year_has_pairs_to_compare(places: dict[str, list[str]]) -> None:
    rows = answer(places["embedded"], "year-over-year")
    changes = {row["change"] for row in rows}
    assert "changed" in changes and len(rows) > 50
    # An unchanged target is never reported: a "changed" row differs in wording, number, comparator or unit.
    assert all(row["before"] != row["after"] for row in rows if row["change"] == "changed" and "before" in row and "after" in row)
