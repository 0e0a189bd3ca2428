"""What a command says when its DATA or its store holds nothing it can use, and `reason --store` over a store of no closed tables.

A folder given as DATA means its table files, and RDF files are read only when named one by one
(docs/design.md): a folder of RDF files alone is told so, not "no RDF or table files found".
`reason --store` over a folder that holds no store is refused, not answered by making a store of an
empty inferred graph; over a store whose graphs were all loaded without entailments (RDF, tables
put as they are) it reads every graph and the union is closed, as with tables closed where mapped.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from jixiao.cli.load import data_chunks
from jixiao.cli.main import main
from jixiao.graph.build import load_graph
from jixiao.graph.reason import compile_schema
from jixiao.namespaces import DEFAULT_BASE
from jixiao.stores import open_backend, store_chunks
from jixiao.synthetic import write_corpus
from jixiao.vocabulary import load_ontology_graph


@pytest.fixture()
def rdf_folder(tmp_path: Path, seed_path: Path) -> Path:
    """A folder of RDF files only: the seed's graph as N-Triples, and a Turtle file in a subfolder."""
    folder = tmp_path / "rdf"
    (folder / "more").mkdir(parents=True)
    assert CliRunner().invoke(main, ["ingest", str(seed_path), "-o", str(folder / "seed.nt"), "--quiet"]).exit_code == 0
    (folder / "more" / "extra.ttl").write_text("<urn:test:a> <urn:test:b> <urn:test:c> .\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize("command", [["reason"], ["validate"], ["query", "projects"]])
def test_a_folder_of_rdf_files_is_told_to_name_them_one_by_one(command: list[str], rdf_folder: Path, tmp_path: Path) -> None:
    output = tmp_path / "out.ttl"
    extra = ["-o", str(output)] if command == ["reason"] else []
    result = CliRunner().invoke(main, [*command, str(rdf_folder), *extra])
    assert result.exit_code == 2, result.output
    assert result.stderr == (f"error: {rdf_folder} holds no table files, and a folder given as DATA means its table files: RDF files are "
                             f"read only when named one by one (such as {rdf_folder / 'more' / 'extra.ttl'} and 1 more)\n")
    assert not output.exists()
    named = CliRunner().invoke(main, [*command, str(rdf_folder / "seed.nt"), *extra])  # named, the same file is read
    assert named.exit_code in (0, 1), named.output  # validate exits 1 on the seed's violations


def test_reason_over_a_folder_that_holds_no_store_is_refused_and_makes_none(tmp_path: Path) -> None:
    folder = tmp_path / "not-a-store"
    folder.mkdir()
    result = CliRunner().invoke(main, ["reason", "--store", str(folder)])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"error: {folder} holds no data to reason over")
    assert list(folder.iterdir()) == []


def _canonical(triples: object) -> set[str]:
    """Triples as canonical N-Triples (through Oxigraph, which canonicalises literals as stores do)."""
    store = ox.Store()
    store.load(input="".join(f"{s.n3()} {p.n3()} {o.n3()} .\n" for s, p, o in triples), format=ox.RdfFormat.N_TRIPLES)  # type: ignore[attr-defined]
    return {str(quad.triple) for quad in store}


def test_reason_over_a_store_of_no_closed_table_reads_every_graph_and_closes_the_union(tmp_path: Path, rdf_folder: Path) -> None:
    tables = write_corpus(tmp_path / "tables", 6, per_file=3, n_agencies=2, years=(2023, 2024), defects=0.5, damage=0.2)
    data = [rdf_folder / "more" / "extra.ttl", *tables]
    store_dir = tmp_path / "store"
    backend = open_backend(store=store_dir)
    store_chunks(backend, data_chunks(data, DEFAULT_BASE, None, {}))  # as `jixiao load` puts DATA: no table closed where mapped
    assert not any(record.closed_under for record in backend.tables())
    graphs = len(backend.graph_names())  # the tables, the RDF file's graph and the ontology
    backend.close()
    result = CliRunner().invoke(main, ["reason", "--store", str(store_dir)])
    assert result.exit_code == 0, result.output
    assert f"reading {graphs} of its graphs" in result.stderr
    memory = tmp_path / "reasoned.nt"
    assert CliRunner().invoke(main, ["reason", *map(str, data), "-o", str(memory)]).exit_code == 0
    schema_level = _canonical(compile_schema(load_ontology_graph()).schema_triples)  # the ontology's own closure, which stores do not hold
    reader = open_backend(store=store_dir, read_only=True)
    try:
        union = _canonical(reader.construct("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", {}))
    finally:
        reader.close()
    assert union | schema_level == _canonical(load_graph([memory]))
