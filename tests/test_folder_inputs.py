"""A folder named as DATA means the same to every command: its table files, never the RDF files beside them.

RDF inside a folder is most often an earlier output written next to its tables (`ingest DIR -o
DIR/out.ttl`); read back, every project would count twice (tests/test_inputs.py shows it for
`validate` and `query`). RDF files are read when named one by one. This checks the commands that
test does not: `reason` and `ingest` (to a file and to a store), each against the table alone.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph

from jixiao.cli.main import main
from jixiao.stores.oxigraph import OxigraphBackend


def run(*args: str | Path) -> None:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output


@pytest.fixture()
def folder(tmp_path: Path, seed_path: Path) -> Path:
    """The seed table, an RDF output of it left beside it, and an RDF file of other statements."""
    tables = tmp_path / "tables"
    tables.mkdir()
    shutil.copy(seed_path, tables / seed_path.name)
    run("ingest", tables, "-o", tables / "out.ttl")
    (tables / "extra.nt").write_text("<urn:test:extra> <urn:test:says> \"not a table\" .\n", encoding="utf-8")
    return tables


@pytest.mark.parametrize("command", [["reason"], ["ingest"], ["reason", "--inferred-only"]])
def test_a_folder_gives_what_its_tables_give(command: list[str], folder: Path, seed_path: Path, tmp_path: Path) -> None:
    run(*command, folder, "-o", tmp_path / "from-folder.nt")
    run(*command, seed_path, "-o", tmp_path / "from-table.nt")
    from_folder = Graph().parse(tmp_path / "from-folder.nt")
    assert len(from_folder) == len(Graph().parse(tmp_path / "from-table.nt"))
    assert not any("urn:test:extra" in str(subject) for subject in from_folder.subjects())


def test_a_folder_ingested_into_a_store_gives_what_its_tables_give(folder: Path, seed_path: Path, tmp_path: Path) -> None:
    run("ingest", folder, "--store", tmp_path / "from-folder")
    run("ingest", seed_path, "--store", tmp_path / "from-table")
    with OxigraphBackend(tmp_path / "from-folder", read_only=True) as from_folder, OxigraphBackend(tmp_path / "from-table", read_only=True) as from_table:
        assert from_folder.count() == from_table.count()
        assert sorted(record.key for record in from_folder.tables()) == sorted(record.key for record in from_table.tables())
