"""Opening an embedded store whose files change under the reader: one clear error, never a traceback.

A write switches its new generation in by one rename and deletes the old one (stores/generations.py),
and RocksDB opens a store's files by path. So a reader that opens the store during the switch can
find neither generation whole (seen: one `query --store` in 14 during ingests failed with RocksDB's
"Corruption: IO error: No such file", a RuntimeError, as a traceback). It is opened again (the switch
is a moment); a store that stays broken is a StoreError naming it (exit 2).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from jixiao.cli.main import main
from jixiao.stores.tables import FORMAT, FORMAT_SUBJECT, REGISTRY_GRAPH


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, seed_path: Path) -> Path:
    path = tmp_path_factory.mktemp("reading") / "store"
    result = CliRunner().invoke(main, ["ingest", str(seed_path), "--store", str(path)])
    assert result.exit_code == 0, result.output
    return path


def _tables(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.sst"))


def test_a_store_missing_a_file_is_one_error(store: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(store, broken)
    _tables(broken)[0].unlink()
    result = CliRunner().invoke(main, ["query", "projects", "--store", str(broken)])
    assert result.exit_code == 2, (result.output, result.exception)
    assert result.stderr.startswith(f"error: cannot open the store {broken}: ") and len(result.stderr.splitlines()) == 1


def _mark_format(path: Path, value: str | None) -> None:
    """Write another store format number into the store's registry (None: no mark, as the oldest layout had)."""
    store = ox.Store(str(path))
    for mark in list(store.quads_for_pattern(ox.NamedNode(FORMAT_SUBJECT), ox.NamedNode(FORMAT), None, ox.NamedNode(REGISTRY_GRAPH))):
        store.remove(mark)
        if value is not None:
            store.add(ox.Quad(mark.subject, mark.predicate, ox.Literal(value), mark.graph_name))
    store.flush()
    del store


@pytest.mark.parametrize(("value", "expected"), [("99", "was made by a newer jixiao (store format 99"), (None, "was made by an older jixiao")])
def test_a_store_of_another_format_is_refused_when_read(store: Path, tmp_path: Path, value: str | None, expected: str) -> None:
    """Not only when written: read, an older layout's union is empty and every answer silently nothing."""
    other = tmp_path / "other"
    shutil.copytree(store, other)
    _mark_format(other, value)
    result = CliRunner().invoke(main, ["query", "projects", "--store", str(other)])
    assert result.exit_code == 2, (result.output, result.exception)
    assert result.stderr.startswith(f"error: the store {other} {expected}") and len(result.stderr.splitlines()) == 1
