"""A write that bulk-loaded much compacts the store it switches in; a small write into a large store does not.

The rule (jixiao.stores.oxigraph.OxigraphWriter._compact_if_due): the N-Quads text loaded since the
last compaction, kept in the registry across writes, is compared with the store's size on disk at
the last compaction. The thresholds are lowered here so that a few tables count as "much".
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from jixiao.cli.main import main
from jixiao.stores import oxigraph
from jixiao.stores.tables import FORMAT_SUBJECT, REGISTRY_GRAPH
from jixiao.stores.views import VIEW_GRAPH_PREFIX, forget_views
from jixiao.synthetic import corpus, render

QUERIES = ("budget-by-unit", "category-counts-by-agency", "indicators")


def cli(*args: str | Path) -> Any:
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def registry_number(store: Path, predicate: str) -> int | None:
    reader = ox.Store.read_only(str(store))
    found = [int(q.object.value) for q in reader.quads_for_pattern(ox.NamedNode(FORMAT_SUBJECT), ox.NamedNode(predicate), None, ox.NamedNode(REGISTRY_GRAPH))]
    del reader
    assert len(found) <= 1
    return found[0] if found else None


def view_rows_text(store: Path) -> int:
    """The N-Quads text of the store's view rows (their stamps left out), a line each."""
    reader = ox.Store.read_only(str(store))
    graphs = [graph for graph in reader.named_graphs() if graph.value.startswith(VIEW_GRAPH_PREFIX)]
    text = sum(len(f"{quad} .\n") for graph in graphs for quad in reader.quads_for_pattern(None, None, None, graph)
               if quad.subject != graph)
    del reader
    return text


def answers(store: Path) -> dict[str, Any]:
    return {name: json.loads(cli("query", name, "--store", store, "--format", "json").stdout) for name in QUERIES}


@pytest.fixture()
def tables(tmp_path: Path) -> Path:
    folder = tmp_path / "tables"
    folder.mkdir()
    projects = corpus(40, seed=3, years=(2023, 2024))
    for index in range(4):
        (folder / f"part-{index}.md").write_text(render(projects[index * 10:(index + 1) * 10]), encoding="utf-8")
    return folder


def test_a_large_write_compacts_and_answers_stay_the_same(tables: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(oxigraph, "COMPACT_MIN_BYTES", 10**12)
    cli("ingest", tables, "--store", tmp_path / "plain")
    assert registry_number(tmp_path / "plain", oxigraph.SIZE_AT_COMPACTION) == 0  # never compacted
    assert registry_number(tmp_path / "plain", oxigraph.LOADED_SINCE_COMPACTION) > 0

    monkeypatch.setattr(oxigraph, "COMPACT_MIN_BYTES", 1)
    cli("ingest", tables, "--store", tmp_path / "compacted")
    assert registry_number(tmp_path / "compacted", oxigraph.LOADED_SINCE_COMPACTION) == 0
    size = registry_number(tmp_path / "compacted", oxigraph.SIZE_AT_COMPACTION)
    assert size is not None and size > 0
    assert answers(tmp_path / "compacted") == answers(tmp_path / "plain")


def test_a_small_write_into_a_larger_store_adds_to_the_debt(tables: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(oxigraph, "COMPACT_MIN_BYTES", 1)
    store = tmp_path / "store"
    cli("ingest", tables, "--store", store)
    size = registry_number(store, oxigraph.SIZE_AT_COMPACTION)
    assert size

    # One table of another unit: far less than a quarter of the store.
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "one.md").write_text(render(corpus(1, seed=99, years=(2025,))), encoding="utf-8")
    cli("ingest", extra, "--store", store)
    debt = registry_number(store, oxigraph.LOADED_SINCE_COMPACTION)
    assert debt is not None and 0 < debt < oxigraph.COMPACT_SHARE * size
    assert registry_number(store, oxigraph.SIZE_AT_COMPACTION) == size  # not compacted again

    # The debt adds up across writes until it reaches the share.
    monkeypatch.setattr(oxigraph, "COMPACT_SHARE", debt / size)
    (extra / "one.md").write_text(render(corpus(1, seed=98, years=(2025,))), encoding="utf-8")
    cli("ingest", extra, "--store", store)
    assert registry_number(store, oxigraph.LOADED_SINCE_COMPACTION) == 0


def _views_remade(tables: Path, store: Path, monkeypatch: pytest.MonkeyPatch, minimum: int) -> tuple[int, dict[str, Any]]:
    """A store ingested and compacted, then written again by a write that loads no table but makes the views whole, as
    new view definitions or a changed vocabulary make it (`reason --store` after the views were forgotten), with
    COMPACT_MIN_BYTES `minimum`; the store's size at its first compaction, and its answers before the second write."""
    monkeypatch.setattr(oxigraph, "COMPACT_MIN_BYTES", 1)
    cli("ingest", tables, "--store", store)
    size = registry_number(store, oxigraph.SIZE_AT_COMPACTION)
    assert size and registry_number(store, oxigraph.LOADED_SINCE_COMPACTION) == 0
    before = answers(store)
    writable = ox.Store(str(store))
    forget_views(writable)
    writable.flush()
    del writable
    monkeypatch.setattr(oxigraph, "COMPACT_MIN_BYTES", minimum)
    cli("reason", "--store", store)
    return size, before


def test_views_made_whole_compact_once_their_rows_reach_the_minimum(tables: Path, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    # The views' rows of 40 projects are far under a quarter of the store: by the debt alone, no compaction.
    size, before = _views_remade(tables, tmp_path / "store", monkeypatch, minimum=1)
    assert registry_number(tmp_path / "store", oxigraph.LOADED_SINCE_COMPACTION) == 0
    assert registry_number(tmp_path / "store", oxigraph.SIZE_AT_COMPACTION) != size  # compacted again, its size measured again
    assert answers(tmp_path / "store") == before


def test_views_made_whole_under_the_minimum_add_to_the_debt(tables: Path, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    store = tmp_path / "store"
    size, _ = _views_remade(tables, store, monkeypatch, minimum=10**12)
    # The debt holds the rows' N-Quads text, counted as the tables' text is.
    debt = registry_number(store, oxigraph.LOADED_SINCE_COMPACTION)
    assert debt is not None and debt >= view_rows_text(store) > 0, (debt, view_rows_text(store))
    assert registry_number(store, oxigraph.SIZE_AT_COMPACTION) == size
