"""Mapping to RDF: deterministic IRIs, the year, and nothing of the input lost."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, XSD

from jixiao.graph.mapping import document_graph
from jixiao.namespaces import JX
from jixiao.reading.normalize import normalize
from jixiao.reading.readers import read_file
from jixiao.synthetic import corpus, render


def ingest(path: Path, base: str = "https://example.org/kg/", year: int | None = None) -> Graph:
    return document_graph(normalize(read_file(path), year), base)


def test_same_table_twice_gives_the_same_graph(seed_path: Path, tmp_path: Path) -> None:
    copy = tmp_path / "elsewhere" / "copy.txt"
    copy.parent.mkdir()
    copy.write_bytes(seed_path.read_bytes())
    first, second = ingest(seed_path), ingest(seed_path)
    assert isomorphic(first, second)
    assert set(first) == set(second)  # no blank nodes: the very same triples
    # The file's place on disk does not change any IRI.
    assert {s for s in first.subjects()} == {s for s in ingest(copy).subjects()}


def test_base_iri_is_configurable(seed_path: Path) -> None:
    graph = ingest(seed_path, base="https://data.example.cn/budget")
    subjects = {str(s) for s in graph.subjects(RDF.type, JX.Project)}
    assert len(subjects) == 7 and all(s.startswith("https://data.example.cn/budget/project/") for s in subjects)


def test_year_is_recorded_or_its_absence_said(seed_path: Path) -> None:
    with_year = ingest(seed_path, year=2025)
    assert set(with_year.objects(None, JX.fiscalYear)) == {Literal("2025", datatype=XSD.gYear)}
    without = ingest(seed_path)
    assert not set(without.objects(None, JX.fiscalYear))
    assert len(set(without.subjects(JX.noteKind, JX.FiscalYearNotStated))) == 7


def test_year_in_title_is_read(tmp_path: Path) -> None:
    table = tmp_path / "t.md"
    table.write_text(render(corpus(2, years=(2023,), defects=0.0)), encoding="utf-8")
    assert set(ingest(table).objects(None, JX.fiscalYear)) == {Literal("2023", datatype=XSD.gYear)}


def _literals(graph: Graph) -> list[str]:
    return [str(o) for o in graph.objects() if isinstance(o, Literal)]


def assert_every_cell_found(path: Path) -> None:
    """Each non-empty cell is a literal of the graph or lies in a source row's raw text
    that some entity of the graph points to (jx:sourceRow or a note's jx:atRow)."""
    graph = ingest(path)
    literals = set(_literals(graph))
    referenced = set(graph.objects(None, JX.sourceRow)) | set(graph.objects(None, JX.atRow))
    provenance = [str(graph.value(row, JX.rawText)) for row in referenced]
    missing = []
    for line in read_file(path).lines:
        for cell in line.cells or (line.text,):
            cell = cell.strip()
            if cell and cell not in literals and not any(cell in raw for raw in provenance):
                missing.append((line.number, cell))
    assert not missing
    # And each line of the file is a source row referenced from the data.
    numbers = {int(graph.value(row, JX.lineNumber)) for row in referenced}
    assert numbers == {line.number for line in read_file(path).lines}


def test_every_cell_of_the_seed_is_in_the_graph(seed_path: Path) -> None:
    assert_every_cell_found(seed_path)


@pytest.mark.parametrize("damage", [0.0, 0.5])
def test_every_cell_of_generated_tables_is_in_the_graph(tmp_path: Path, damage: float) -> None:
    table = tmp_path / "generated.md"
    table.write_text(render(corpus(12, defects=0.3), damage=damage, seed=3), encoding="utf-8")
    assert_every_cell_found(table)


def test_indicator_values_typed_and_categories_asserted(seed_path: Path) -> None:
    graph = ingest(seed_path)
    values = list(graph.objects(None, JX.numericValue))
    assert values and all(v.datatype == XSD.decimal for v in values)
    indicators = set(graph.subjects(JX.category, None))
    assert len(indicators) == 92
    for indicator in indicators:
        assert (indicator, RDF.type, graph.value(indicator, JX.category)) in graph
    assert all(isinstance(o, URIRef) for o in graph.objects(None, JX.basis))
