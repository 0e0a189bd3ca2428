"""`jixiao reason --store` reads only the graphs not known to be closed, and still gives the closure.

A table ingested with its entailments records the digest of the schema it was closed under
(TableRecord.closed_under); the rules in the store read the other graphs only: the ontology's,
RDF or tables loaded without entailments, tables closed under another schema. These tests check
that the store's union after `reason` is the OWL RL closure of its data (owlrl, minus its
tautologies), that exactly the unclosed graphs are read, and that the inferred graph is replaced
whole (running twice changes nothing; a dropped graph's entailments go with it).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pyoxigraph
import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from jixiao.cli.ingest import ingest
from jixiao.cli.load import data_chunks
from jixiao.cli.reason import graphs_to_reason, inferred_graph_iri, reason, reason_in_store, store_rules
from jixiao.graph.build import load_graph, produce_chunks
from jixiao.graph.reason import compile_schema, entailment_rules, is_tautology, owlrl_closure, schema_digest
from jixiao.namespaces import DEFAULT_BASE, JX
from jixiao.stores import QueryBackend, TableRecord, drop_tables, open_backend, store_chunks
from jixiao.stores.tables import INTERNAL_PREFIX, OWNED_BY, OWNED_GRAPH, lines_digest
from jixiao.synthetic import write_corpus
from jixiao.vocabulary import load_ontology_graph

INFERRED = inferred_graph_iri(DEFAULT_BASE)
OWNED = (OWNED_GRAPH, OWNED_BY)  # the embedded store keeps a table's own statements in the union alone
EVERYTHING = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"


def _nt(triples: Iterable[tuple[Node, Node, Node]]) -> set[str]:
    """Triples as canonical N-Triples (through Oxigraph, which canonicalises literals as stores do)."""
    store = pyoxigraph.Store()
    store.load(input="".join(f"{s.n3()} {p.n3()} {o.n3()} .\n" for s, p, o in triples if not isinstance(s, Literal)),
               format=pyoxigraph.RdfFormat.N_TRIPLES)
    return {str(q.triple) for q in store}


def _union(backend: QueryBackend) -> set[str]:
    return _nt(backend.construct(EVERYTHING, {}))


def _in_graph(backend: QueryBackend, graph: str) -> set[str]:
    return _nt(backend.construct(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}", {}))


def _owlrl(files: list[Path]) -> set[str]:
    """owlrl's closure of the files' data and the ontology, without its tautologies nor the schema's own closure."""
    closed = owlrl_closure(load_graph(files))
    return _nt(t for t in closed if not is_tautology(t))  # type: ignore[misc]


def _schema_level() -> set[str]:
    return _nt(compile_schema(load_ontology_graph()).schema_triples)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Eight small table files: seven to ingest with their entailments, the last to load as it is."""
    return write_corpus(tmp_path_factory.mktemp("corpus"), 24, per_file=3, n_agencies=3, years=(2023, 2024), defects=0.5, damage=0.2)


def _ingested_and_loaded(backend: QueryBackend, ingested: list[Path], loaded: list[Path]) -> None:
    """Tables of `ingested` closed where mapped (as `ingest --store`); those of `loaded` as `jixiao load` puts them: no entailments."""
    store_chunks(backend, produce_chunks(ingested, jobs=1, entail=True))
    store_chunks(backend, data_chunks(loaded, DEFAULT_BASE, None, {}))


def _graphs_of(files: list[Path]) -> set[str]:
    return {chunk.graph for chunk in produce_chunks(files, jobs=1)}


def test_ingested_tables_record_the_schema_they_are_closed_under(tmp_path: Path, corpus: list[Path]) -> None:
    backend = open_backend(store=tmp_path / "store")
    _ingested_and_loaded(backend, corpus[:-1], corpus[-1:])
    closed = {record.graph for record in backend.tables() if record.closed_under == schema_digest()}
    assert closed == _graphs_of(corpus[:-1])
    unclosed, total = graphs_to_reason(backend, DEFAULT_BASE)
    assert set(unclosed) == _graphs_of(corpus[-1:]) | {"https://w3id.org/jixiao/ontology"}
    assert total == len(closed) + len(unclosed)
    backend.close()


def test_the_schema_digest_is_stable_and_follows_the_rules() -> None:
    ontology = load_ontology_graph()
    assert schema_digest(compile_schema(ontology)) == schema_digest()
    relabelled = Graph()
    for triple in ontology:
        relabelled.add(triple)
    relabelled.add((JX.QuantityIndicator, URIRef("http://www.w3.org/2000/01/rdf-schema#comment"), Literal("another note")))
    assert schema_digest(compile_schema(relabelled)) == schema_digest()  # a label or note changes no rule
    relabelled.add((JX.QuantityIndicator, URIRef("http://www.w3.org/2000/01/rdf-schema#subClassOf"), URIRef("http://example.org/Extra")))
    assert schema_digest(compile_schema(relabelled)) != schema_digest()


def test_reason_adds_exactly_what_loaded_tables_lack(tmp_path: Path, corpus: list[Path]) -> None:
    """Ingested tables plus tables loaded without entailments: the union after reasoning is owlrl's closure."""
    store_dir = tmp_path / "store"
    backend = open_backend(store=store_dir)
    _ingested_and_loaded(backend, corpus[:-1], corpus[-1:])
    before = _union(backend)
    rules, read = store_rules(backend, DEFAULT_BASE)
    assert read == len(_graphs_of(corpus[-1:])) + 1  # the loaded tables and the ontology, one by one
    assert all("GRAPH ?source" not in rule for rule in rules)
    added, _ = reason_in_store(backend, DEFAULT_BASE)
    held = _union(backend)
    assert added > 100 and held - before == _in_graph(backend, INFERRED)
    assert held | _schema_level() == _owlrl(corpus)
    # Running it again gives the same store, through the command too.
    backend.close()
    run = CliRunner().invoke(reason, ["--store", str(store_dir)])
    assert run.exit_code == 0 and run.output.startswith(f"{added} triples inferred"), run.output
    assert f"reading {read} of its graphs" in run.output
    backend = open_backend(store=store_dir)
    assert _union(backend) == held
    backend.close()


def test_reading_graph_by_graph_finds_what_reading_all_finds(tmp_path: Path, corpus: list[Path]) -> None:
    backend = open_backend(store=tmp_path / "store")
    _ingested_and_loaded(backend, corpus[:1], corpus[1:])
    unclosed, _ = graphs_to_reason(backend, DEFAULT_BASE)

    def found(rules: list[str]) -> set[str]:
        return _nt(t for rule in rules for t in backend.construct(rule, {}))

    one_by_one = found([rule for graph in unclosed
                        for rule in entailment_rules(exclude_graph=INFERRED, exclude_prefix=INTERNAL_PREFIX, body_graph=graph, owned=OWNED)])
    assert len(one_by_one) > 100
    assert one_by_one == found(entailment_rules(exclude_graph=INFERRED, exclude_prefix=INTERNAL_PREFIX, owned=OWNED))
    backend.close()


def _closed_table_with(backend: QueryBackend, files: list[Path], extra: str, closed_under: str) -> str:
    """Put the first table of `files` again with its entailments plus one un-entailed triple, recorded as closed under `closed_under`."""
    chunk = next(iter(produce_chunks(files, jobs=1, entail=True)))
    lines = [*chunk.lines, extra]
    writer = backend.writer()
    writer.put(chunk.graph, lines, TableRecord(chunk.graph, chunk.key, chunk.source, "", lines_digest(lines), closed_under))
    writer.commit()
    return chunk.graph


@pytest.mark.parametrize("recorded", ["current", "older"])
def test_only_graphs_not_closed_under_the_current_schema_are_read(tmp_path: Path, corpus: list[Path], recorded: str) -> None:
    """A closed table graph is not read, by design: an un-entailed triple written into it directly stays un-entailed.
    Recorded under another schema, the same graph is read again and the triple's entailments are found."""
    backend = open_backend(store=tmp_path / "store")
    store_chunks(backend, produce_chunks(corpus[:1], jobs=1, entail=True))
    thing = URIRef("http://example.org/a-quantity-indicator")
    extra = f"{thing.n3()} {RDF.type.n3()} {JX.QuantityIndicator.n3()} .\n"
    graph = _closed_table_with(backend, corpus[:1], extra, schema_digest() if recorded == "current" else "sha256:an-older-ontology")
    reason_in_store(backend, DEFAULT_BASE)
    types = {t[2] for t in backend.construct(f"CONSTRUCT {{ {thing.n3()} a ?c }} WHERE {{ {thing.n3()} a ?c }}", {})}
    unclosed, _ = graphs_to_reason(backend, DEFAULT_BASE)
    assert (graph in unclosed) == (recorded == "older")
    assert ({JX.OutputIndicator, JX.Indicator} <= types) == (recorded == "older"), types
    backend.close()


def test_a_dropped_graph_leaves_nothing_inferred(tmp_path: Path, corpus: list[Path]) -> None:
    backend = open_backend(store=tmp_path / "store")
    _ingested_and_loaded(backend, corpus[:-1], corpus[-1:])
    reason_in_store(backend, DEFAULT_BASE)
    drop_tables(backend, [record for record in backend.tables() if record.graph in _graphs_of(corpus[-1:])])
    reason_in_store(backend, DEFAULT_BASE)
    after_drop = _union(backend)
    backend.close()
    fresh = open_backend(store=tmp_path / "fresh")
    store_chunks(fresh, produce_chunks(corpus[:-1], jobs=1, entail=True))
    reason_in_store(fresh, DEFAULT_BASE)
    assert after_drop == _union(fresh)
    assert after_drop | _schema_level() == _owlrl(corpus[:-1])
    fresh.close()


def test_a_store_closed_under_the_schema_reads_only_the_ontology(tmp_path: Path, seed_path: Path) -> None:
    store_dir = tmp_path / "store"
    assert CliRunner().invoke(ingest, [str(seed_path), "--store", str(store_dir), "--quiet"]).exit_code == 0
    backend = open_backend(store=store_dir)
    unclosed, total = graphs_to_reason(backend, DEFAULT_BASE)
    assert unclosed == ["https://w3id.org/jixiao/ontology"] and total == 8
    backend.close()


# ---- the same rule text on the servers ------------------------------------------------------------

def _own_server(kind: str, tmp_path: Path) -> AbstractContextManager[Any]:
    """A server of the test's own: the rules read every graph not closed, and a shared server holds other tests' graphs."""
    from servers import running_oxigraph, running_virtuoso

    return running_oxigraph(tmp_path / "oxigraph") if kind == "oxigraph" else running_virtuoso(tmp_path / "virtuoso")


def _inferred(backend: QueryBackend) -> Iterator[tuple[Node, Node, Node]]:
    return backend.construct(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{INFERRED}> {{ ?s ?p ?o }} }}", {})


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["oxigraph", "virtuoso"])
def test_reason_on_a_server_infers_what_the_embedded_store_infers(tmp_path: Path, corpus: list[Path], kind: str) -> None:
    embedded = open_backend(store=tmp_path / "store")
    _ingested_and_loaded(embedded, corpus[:-1], corpus[-1:])
    expected, _ = reason_in_store(embedded, DEFAULT_BASE)
    expected_triples = _nt(_inferred(embedded))
    expected_union = _union(embedded)
    embedded.close()
    with _own_server(kind, tmp_path) as server:
        remote = server.backend()
        _ingested_and_loaded(remote, corpus[:-1], corpus[-1:])
        assert set(graphs_to_reason(remote, DEFAULT_BASE)[0]) == _graphs_of(corpus[-1:]) | {"https://w3id.org/jixiao/ontology"}
        assert reason_in_store(remote, DEFAULT_BASE)[0] == expected
        assert _nt(_inferred(remote)) == expected_triples
        assert _union(remote) == expected_union
        # Again: the server's union graph holds the previous results, which must not count as held.
        assert reason_in_store(remote, DEFAULT_BASE)[0] == expected
        assert _nt(_inferred(remote)) == expected_triples
        remote.close()
