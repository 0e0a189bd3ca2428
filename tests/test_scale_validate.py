"""Validation inside a remote SPARQL server (issue 13, item 4): `validate --endpoint` runs the shapes'
SPARQL (jixiao.validation.sparql) in Virtuoso and in the Oxigraph server, and reports exactly what
`validate --store` reports on the same tables in the embedded store, each store loaded and
reasoned as the pipeline does (`ingest --store` / `load`, then `reason`).

The tables: generated target tables with reviewer's findings and damage, and self-evaluations of
every outcome (so the self-evaluation shapes report too). Each server is this module's own.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from jixiao.cli.main import main
from jixiao.synthetic import OUTCOMES, corpus, evaluation_corpus, render, render_evaluations
from servers import ServerEndpoint, running_oxigraph, running_virtuoso

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("tables")
    evaluated = corpus(len(OUTCOMES), seed=7, years=(2023,), defects=0.0)  # the outcomes need the clean tables
    (folder / "evaluated.md").write_text(render(evaluated), encoding="utf-8")
    (folder / "evaluations.md").write_text(render_evaluations(evaluation_corpus(evaluated, seed=7)), encoding="utf-8")
    (folder / "defects.md").write_text(render(corpus(20, seed=11, years=(2024,), defects=0.5), damage=0.1, seed=11), encoding="utf-8")
    return folder


@pytest.fixture(scope="module", params=["virtuoso", "oxigraph"])
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerEndpoint]:
    folder = tmp_path_factory.mktemp(f"validate-{request.param}")
    with running_virtuoso(folder) if request.param == "virtuoso" else running_oxigraph(folder) as running:
        yield running


def cli(*args: str | Path) -> Any:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def credentials(server: ServerEndpoint) -> list[str]:
    return ["--user", server.user, "--password", server.password] if server.user else []


def test_validate_endpoint_reports_what_validate_store_reports(server: ServerEndpoint, tables: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert cli("ingest", tables, "--store", store, "--quiet").exit_code == 0
    loaded = cli("load", tables, "--endpoint", server.query_url, *credentials(server))
    assert loaded.exit_code == 0, loaded.output
    # As the pipeline runs: the entailments (the types the SHACL-SPARQL constraints ask for) in each store.
    assert cli("reason", "--store", store).exit_code == 0
    reasoned = cli("reason", "--endpoint", server.query_url, *credentials(server))
    assert reasoned.exit_code == 0, reasoned.output
    in_store = cli("validate", "--store", store, "--format", "json")
    on_server = cli("validate", "--endpoint", server.query_url, "--format", "json")
    assert in_store.exit_code == on_server.exit_code == 1, on_server.output[-3000:]
    expected = json.loads(in_store.stdout)
    assert json.loads(on_server.stdout) == expected
    shapes = {r["shape"] for r in expected["results"]}
    assert {"jxs:IndicatorBasis", "jxs:FullMarksWhileMissed", "jxs:EvaluationTotalIsSum"} <= shapes
    assert cli("validate", "--endpoint", server.query_url, "--format", "text").stdout == cli("validate", "--store", store, "--format", "text").stdout
