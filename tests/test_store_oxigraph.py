"""The embedded Oxigraph store: same answers as rdflib, graphs replaced whole, the union exact, bad files harmless, writes switched in whole."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import BNode, Literal, URIRef

from jixiao.errors import InputError
from jixiao.stores.oxigraph import OxigraphBackend, StoreError, to_oxigraph, to_rdflib
from jixiao.stores.tables import TableRecord
from servers import (
    AGENCY_ZH,
    NOTE,
    sample_graph,
    sample_queries,
    select_against_rdflib,
    write_ntriples,
)

XSD_DECIMAL = URIRef("http://www.w3.org/2001/XMLSchema#decimal")
XSD_GYEAR = URIRef("http://www.w3.org/2001/XMLSchema#gYear")


@pytest.fixture
def store(tmp_path: Path) -> OxigraphBackend:
    backend = OxigraphBackend(tmp_path / "store")
    yield backend
    backend.close()


def leftovers(folder: Path) -> list[str]:
    """What writes left beside the store (the writer's lock file aside)."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".") and not p.name.endswith("jixiao-lock"))


def malformed_copy(source: Path, target: Path) -> Path:
    """The source's triples followed by a line that breaks the N-Triples syntax near the end."""
    target.write_text(source.read_text(encoding="utf-8") + '<http://example.org/x> <http://example.org/p> "unterminated .\n', encoding="utf-8")
    return target


@pytest.mark.parametrize("name", [q[0] for q in sample_queries("http://example.org/")])
def test_select_gives_the_rows_rdflib_gives(store: OxigraphBackend, data: dict[str, Path], ns: str, name: str) -> None:
    result, rows, expected = select_against_rdflib(store, data, ns, name)
    assert set(result.variables) >= set(expected[0]) if expected else True
    if name == "injection-attempt":
        assert rows == []
        assert store.count(ns + "graph/b") > 0


def test_terms_come_back_exactly(store: OxigraphBackend, data: dict[str, Path], ns: str) -> None:
    store.replace_graph(ns + "graph/b", data[ns + "graph/b"])
    rows = list(store.select("SELECT ?o WHERE { ?s ?p ?o }", {}).rows)
    objects = {row["o"] for row in rows}
    assert Literal(AGENCY_ZH, lang="zh") in objects
    assert Literal(NOTE) in objects  # plain literal stays plain, newline/quotes/emoji intact
    decimals = {o for o in objects if isinstance(o, Literal) and o.datatype == XSD_DECIMAL}
    assert {o.value for o in decimals} == {Literal(v, datatype=XSD_DECIMAL).value for v in ("1300000", "27.06", "270600")}


def test_rows_are_streamed(store: OxigraphBackend, data: dict[str, Path], ns: str) -> None:
    store.replace_graph(ns + "graph/b", data[ns + "graph/b"])
    rows = store.select("SELECT ?s WHERE { ?s ?p ?o }", {}).rows
    assert not isinstance(rows, list)
    assert next(rows)["s"] is not None


def test_replacing_twice_gives_no_duplicates(store: OxigraphBackend, data: dict[str, Path], ns: str) -> None:
    graph, path = ns + "graph/b", data[ns + "graph/b"]
    first = store.replace_graph(graph, path)
    second = store.replace_graph(graph, path)
    assert first == second == len(sample_graph(ns))
    count = store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", {})
    assert int(next(count.rows)["n"]) == first
    assert store.graph_names() == [graph]


def test_replacing_with_other_contents_drops_the_old(store: OxigraphBackend, tmp_path: Path, ns: str) -> None:
    graph = ns + "graph/x"
    store.replace_graph(graph, write_ntriples(sample_graph(ns, projects=6), tmp_path / "six.nt"))
    assert store.replace_graph(graph, write_ntriples(sample_graph(ns, projects=2), tmp_path / "two.nt")) == len(sample_graph(ns, projects=2))
    rows = list(store.select(f"SELECT ?p WHERE {{ ?p a <{ns}Project> }}", {}).rows)
    assert len(rows) == 2


def test_the_union_counts_a_shared_triple_once_and_keeps_it_while_a_graph_holds_it(store: OxigraphBackend, ns: str) -> None:
    shared = f"<{ns}agency> <http://www.w3.org/2000/01/rdf-schema#label> \"单位\" .\n"
    own = {name: f"<{ns}{name}> <{ns}declaredBy> <{ns}agency> .\n" for name in ("p1", "p2")}
    writer = store.writer()
    for name, line in own.items():
        writer.put(ns + name, [shared, line], TableRecord(ns + name, ("project", "单位", name, "2024")))
    writer.commit()
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert int(next(store.select(count, {}).rows)["n"]) == 3
    for name, expected in (("p1", 2), ("p2", 0)):
        writer = store.writer()
        writer.drop(ns + name)
        writer.commit()
        assert int(next(store.select(count, {}).rows)["n"]) == expected
    assert store.graph_names() == [] and store.tables() == []


def test_empty_file_empties_the_graph(store: OxigraphBackend, data: dict[str, Path], ns: str, tmp_path: Path) -> None:
    graph = ns + "graph/b"
    store.replace_graph(graph, data[graph])
    empty = tmp_path / "empty.nt"
    empty.write_text("", encoding="utf-8")
    assert store.replace_graph(graph, empty) == 0
    assert store.graph_names() == []
    assert store.count() == 0


@pytest.mark.parametrize("existing", [True, False], ids=["graph-existed", "new-graph"])
def test_a_bad_file_leaves_the_graph_as_it_was(store: OxigraphBackend, data: dict[str, Path], ns: str, tmp_path: Path, existing: bool) -> None:
    graph = ns + "graph/b"
    if existing:
        store.replace_graph(graph, data[graph])
    before = store.count(graph) if existing else 0
    bad = malformed_copy(data[ns + "graph/a"], tmp_path / "bad.nt")
    with pytest.raises(InputError) as caught:
        store.replace_graph(graph, bad)
    assert str(bad) in str(caught.value) and "N-Triples" in str(caught.value)
    assert caught.value.line is not None
    assert store.graph_names() == ([graph] if existing else [])
    assert (store.count(graph) if existing else 0) == before
    rows = list(store.select(f'SELECT ?p WHERE {{ ?p <http://www.w3.org/2000/01/rdf-schema#label> "{AGENCY_ZH}"@zh }}', {}).rows)
    assert len(rows) == (1 if existing else 0)
    assert leftovers(tmp_path) == []


def test_an_aborted_write_changes_nothing_and_leaves_nothing(store: OxigraphBackend, data: dict[str, Path], ns: str, tmp_path: Path) -> None:
    graph = ns + "graph/b"
    store.replace_graph(graph, data[graph])
    before = store.count()
    writer = store.writer()
    writer.put(ns + "graph/a", data[ns + "graph/a"].read_text(encoding="utf-8").splitlines(keepends=True), TableRecord(ns + "graph/a", ("graph",)))
    writer.drop(graph)
    assert store.count() == before and store.graph_names() == [graph]  # nothing is seen before the switch
    writer.abort()
    assert store.count() == before and store.graph_names() == [graph]
    assert leftovers(tmp_path) == []


def test_missing_file_and_bad_iri_are_reported(store: OxigraphBackend, data: dict[str, Path], ns: str, tmp_path: Path) -> None:
    with pytest.raises(InputError):
        store.replace_graph("http://example.org/g", tmp_path / "missing.nt")
    with pytest.raises(StoreError):
        store.replace_graph("not an iri", data[ns + "graph/b"])


def test_bad_query_is_a_store_error(store: OxigraphBackend) -> None:
    with pytest.raises(StoreError, match="invalid SPARQL"):
        store.select("SELECT ?s WHERE { ?s ?p }", {})
    with pytest.raises(StoreError, match="SELECT"):
        store.select("ASK { ?s ?p ?o }", {})


def test_contents_persist_and_what_a_killed_write_left_is_removed(data: dict[str, Path], ns: str, tmp_path: Path) -> None:
    location = tmp_path / "persistent"
    graph = ns + "graph/b"
    with OxigraphBackend(location) as backend:
        count = backend.replace_graph(graph, data[graph])
        # What a process killed in the middle of a write leaves behind: its unfinished generation.
        backend.writer().put(ns + "graph/a", ["<http://example.org/s> <http://example.org/p> \"x\" .\n"], TableRecord(ns + "graph/a", ("graph",)))
    assert len(leftovers(tmp_path)) == 1
    with OxigraphBackend(location, read_only=True) as reader:
        assert reader.count(graph) == count and reader.graph_names() == [graph]
        with pytest.raises(StoreError, match="read-only"):
            reader.replace_graph(graph, data[graph])
    with OxigraphBackend(location) as backend:
        assert backend.graph_names() == [graph]
        assert backend.count(graph) == count
    assert leftovers(tmp_path) == []


def test_a_store_being_written_is_reported(tmp_path: Path) -> None:
    with OxigraphBackend(tmp_path / "busy"), pytest.raises(StoreError, match="another jixiao process is writing"):
        OxigraphBackend(tmp_path / "busy")


def test_closed_store_refuses_work(tmp_path: Path) -> None:
    backend = OxigraphBackend(tmp_path / "closed")
    backend.close()
    with pytest.raises(StoreError, match="closed"):
        backend.graph_names()


def test_in_memory_store(data: dict[str, Path], ns: str) -> None:
    backend = OxigraphBackend(None)
    assert backend.replace_graph(ns + "graph/b", data[ns + "graph/b"]) == len(sample_graph(ns))


@pytest.mark.parametrize(
    "term",
    [
        URIRef("http://example.org/项目"),
        Literal("鄂州", lang="zh"),
        Literal("27.06", datatype=XSD_DECIMAL),
        Literal("1300000", datatype=XSD_DECIMAL),
        Literal("plain"),
        Literal(NOTE),
        Literal("2024", datatype=XSD_GYEAR),
    ],
)
def test_term_conversion_round_trips(term: URIRef | Literal) -> None:
    assert to_rdflib(to_oxigraph(term)) == term


def test_blank_nodes_convert() -> None:
    assert isinstance(to_rdflib(to_oxigraph(BNode("b1"))), BNode)
