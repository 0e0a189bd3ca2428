"""The embedded store's layout: a table's own statements in the union alone, and still exact.

A table ingested with its entailments says which of its lines only it makes (the mapper's scope
0: about resources under its own project or plan). The embedded store keeps those in the default
graph (the union the queries read) and not in the table's graph; the table owns their subjects
(`urn:jixiao:owned`). What a table is, is its graph plus the union's statements about the subjects
it owns. These tests check, after every write, that each table is exactly what was put, that the
union is exactly the set union of all tables (so replacing and dropping stay exact), and the rule
that keeps it so: a subject is owned by one table at most and no named graph speaks of it.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import URIRef
from rdflib.namespace import RDF

from jixiao.cli.reason import graphs_to_reason, reason_in_store
from jixiao.graph.build import produce_chunks
from jixiao.namespaces import DEFAULT_BASE, JX
from jixiao.stores import TableRecord, drop_tables, open_backend, store_chunks
from jixiao.stores.base import StoreError
from jixiao.stores.loading import ontology_lines, put_ontology
from jixiao.stores.oxigraph import OxigraphBackend
from jixiao.stores.tables import (
    FORMAT,
    FORMAT_SUBJECT,
    IN_ONTOLOGY,
    OWNED_BY,
    OWNED_GRAPH,
    REGISTRY_GRAPH,
    STORE_FORMAT,
    is_internal,
    lines_digest,
    vocabulary_index,
)
from jixiao.synthetic import OUTCOMES, corpus, evaluation_corpus, render, render_evaluations

EX = "http://example.org/layout/"
ONTOLOGY = "https://w3id.org/jixiao/ontology"


def _triples(lines: Iterable[str]) -> set[ox.Triple]:
    """Lines in the store's own canonical forms (Oxigraph canonicalises literals on load)."""
    store = ox.Store()
    store.load(input="".join(lines).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return {quad.triple for quad in store}


def _owners(store: ox.Store) -> dict[str, list[str]]:
    owners: dict[str, list[str]] = {}
    for quad in store.quads_for_pattern(None, ox.NamedNode(OWNED_BY), None, ox.NamedNode(OWNED_GRAPH)):
        owners.setdefault(quad.subject.value, []).append(quad.object.value)
    return owners


def _left_to_ontology(store: ox.Store, graph: str) -> list[str]:
    """The lines a table's graph leaves to the ontology graph: by their positions in the stored ontology's vocabulary index."""
    index = vocabulary_index(f"{q.subject} {q.predicate} {q.object} .\n" for q in store.quads_for_pattern(None, None, None, ox.NamedNode(ONTOLOGY)))
    facts = [q.object.value for q in store.quads_for_pattern(ox.NamedNode(graph), ox.NamedNode(IN_ONTOLOGY), None, ox.NamedNode(REGISTRY_GRAPH))]
    assert len(facts) <= 1
    return [index[int(position)] for fact in facts for position in fact.split(",")]


def table_contents(store: ox.Store, graph: str) -> set[ox.Triple]:
    """A table as the layout keeps it: its graph, the union's statements about the subjects it owns, and the lines it
    leaves to the ontology graph (which must hold them)."""
    contents = {quad.triple for quad in store.quads_for_pattern(None, None, None, ox.NamedNode(graph))}
    for quad in store.quads_for_pattern(None, ox.NamedNode(OWNED_BY), ox.NamedNode(graph), ox.NamedNode(OWNED_GRAPH)):
        contents |= {q.triple for q in store.quads_for_pattern(quad.subject, None, None, ox.DefaultGraph())}
    left = _triples(_left_to_ontology(store, graph))
    assert left <= {quad.triple for quad in store.quads_for_pattern(None, None, None, ox.NamedNode(ONTOLOGY))}
    return contents | left


def check_layout(store: ox.Store, tables: dict[str, Sequence[str]]) -> None:
    """Every table is what was put, the union is their set union, and the ownership rule holds."""
    union = {quad.triple for quad in store.quads_for_pattern(None, None, None, ox.DefaultGraph())}
    assert union == _triples(line for lines in tables.values() for line in lines)
    data_graphs = {g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode) and not is_internal(g.value)}
    assert data_graphs == set(tables)
    for graph, lines in tables.items():
        assert table_contents(store, graph) == _triples(lines), graph
    owners = _owners(store)
    assert all(len(found) == 1 for found in owners.values()), owners
    for subject in owners:
        spoken = {q.graph_name.value for q in store.quads_for_pattern(ox.NamedNode(subject), None, None, None)
                  if isinstance(q.graph_name, ox.NamedNode) and not is_internal(q.graph_name.value)}
        assert not spoken, (subject, spoken)


# ---- generated tables and their self-evaluations ----------------------------------------------


@pytest.fixture(scope="module")
def evaluated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """Target tables, a changed version of them (same projects, other target values), and their self-evaluations."""
    folder = tmp_path_factory.mktemp("layout")
    projects = corpus(len(OUTCOMES), seed=7, years=(2023,), defects=0.0)
    targets, changed, evaluations = folder / "targets.md", folder / "changed" / "targets.md", folder / "evaluations.md"
    targets.write_text(render(projects), encoding="utf-8")
    changed.parent.mkdir()
    text = render(projects)
    bumped = re.sub(r"≥(\d+)%", lambda m: f"≥{int(m.group(1)) - 1}%", text)
    assert bumped != text
    changed.write_text(bumped, encoding="utf-8")
    evaluations.write_text(render_evaluations(evaluation_corpus(projects, seed=7)), encoding="utf-8")
    return targets, changed, evaluations


def _tables(*paths: Path) -> dict[str, list[str]]:
    """graph -> lines, as ingest writes them (the later of two declarations kept), with the ontology."""
    tables = {chunk.graph: chunk.lines for chunk in produce_chunks(list(paths), jobs=1, entail=True)}
    tables["https://w3id.org/jixiao/ontology"] = ontology_lines()
    return tables


def _indicator_of(targets: Path) -> str:
    """An indicator a target table owns (scope 0), in N-Triples form."""
    chunk = next(iter(produce_chunks([targets], jobs=1, entail=True)))
    return next(s for (s, _, _), scope in zip(chunk.statements, chunk.scopes, strict=True) if scope == 0 and "/indicator/" in s and s.count("/") == 12)


def _speaking_of(indicator: str) -> list[str]:
    """RDF loaded as it is about a table's indicator: a statement the table makes too, and one it does not."""
    return [f"{indicator} {RDF.type.n3()} {JX.Indicator.n3()} .\n", f'{indicator} <http://www.w3.org/2000/01/rdf-schema#comment> "checked" .\n']


def _write(backend: OxigraphBackend, *items: Path | tuple[str, list[str]]) -> None:
    """One write of tables (as ingest writes them) and RDF graphs, in the order given."""
    writer = backend.writer()
    put_ontology(writer, backend)
    for item in items:
        if isinstance(item, Path):
            for chunk in produce_chunks([item], jobs=1, entail=True):
                lines = chunk.lines
                writer.put(chunk.graph, lines, TableRecord(chunk.graph, chunk.key, chunk.source, "", lines_digest(lines), chunk.closed_under), chunk.scopes)
        else:
            graph, lines = item
            _put(writer, graph, lines, None)
    writer.commit()


def test_tables_keep_only_what_others_may_share_in_their_graphs(tmp_path: Path, evaluated: tuple[Path, Path, Path]) -> None:
    targets, _, evaluations = evaluated
    backend = open_backend(store=tmp_path / "store")
    store_chunks(backend, produce_chunks([targets], jobs=1, entail=True))
    tables = _tables(targets)
    check_layout(backend.store, tables)
    projects = [graph for graph in tables if "/ontology" not in graph]
    in_graphs = sum(1 for graph in projects for _ in backend.store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))
    assert in_graphs < 0.5 * sum(len(tables[graph]) for graph in projects)  # most of a table is its own
    # The vocabulary's types each table repeats (a category is a skos:Concept) are left to the ontology graph.
    left = {graph: _left_to_ontology(backend.store, graph) for graph in projects}
    assert all(any("skos/core#Concept" in line for line in lines) for lines in left.values()), left
    assert not any("skos/core#Concept" in q.object.value for graph in projects for q in backend.store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))
    assert _owners(backend.store)
    store_chunks(backend, produce_chunks([evaluations], jobs=1, entail=True))
    check_layout(backend.store, _tables(targets, evaluations))
    backend.close()


@pytest.mark.parametrize("order", ["tables first", "rdf first"])
def test_statements_about_a_table_s_resources_elsewhere_survive_replacing_and_dropping(tmp_path: Path, evaluated: tuple[Path, Path, Path],
                                                                                        order: str) -> None:
    """RDF loaded as it is (or any graph) speaking of a target table's indicator: the table gives the subject up, and
    replacing or dropping either side keeps exactly what the other says. Self-evaluations with their targets around."""
    targets, changed, evaluations = evaluated
    indicator = _indicator_of(targets)
    rdf = (f"{EX}graph/rdf", _speaking_of(indicator))
    backend = OxigraphBackend(tmp_path / "store")
    first: list[Path | tuple[str, list[str]]] = [targets, evaluations, rdf] if order == "tables first" else [rdf, evaluations, targets]
    _write(backend, *first)
    expected = {**_tables(targets, evaluations), rdf[0]: rdf[1]}
    check_layout(backend.store, expected)
    assert indicator[1:-1] not in _owners(backend.store) and len(_owners(backend.store)) > 100
    # The targets replaced by a changed version that still says what the RDF says of the indicator.
    _write(backend, changed)
    expected = {**_tables(changed, evaluations), rdf[0]: rdf[1]}
    check_layout(backend.store, expected)
    # The RDF dropped: what the table says of its indicator stays, what only the RDF said goes.
    drop_tables(backend, [TableRecord(rdf[0], ())])
    check_layout(backend.store, _tables(changed, evaluations))
    # The RDF back, the evaluations and then the targets dropped: what only the RDF says stays.
    _write(backend, rdf)
    drop_tables(backend, [record for record in backend.tables() if record.kind == "evaluation"])
    check_layout(backend.store, {**_tables(changed), rdf[0]: rdf[1]})
    drop_tables(backend, [record for record in backend.tables() if record.kind == "project"])
    check_layout(backend.store, {"https://w3id.org/jixiao/ontology": ontology_lines(), rdf[0]: rdf[1]})
    backend.close()


@pytest.mark.parametrize("on_disk", [False, True])
def test_lines_left_to_the_ontology_go_back_to_their_tables_when_it_changes_or_goes(tmp_path: Path, evaluated: tuple[Path, Path, Path],
                                                                                      on_disk: bool) -> None:
    """A table's graph leaves to the ontology graph the lines it holds too. When the ontology is replaced by one that no
    longer holds some of them (here: no category or unit is a skos:Concept any more), or dropped, those lines go into
    the tables' graphs, so the union keeps what the tables say; replacing and dropping the tables then stays exact."""
    targets, changed, _ = evaluated
    backend = OxigraphBackend(tmp_path / "store" if on_disk else None)
    _write(backend, targets)
    tables = _tables(targets)
    check_layout(backend.store, tables)
    concept = "<http://www.w3.org/2004/02/skos/core#Concept> .\n"
    projects = [graph for graph in tables if graph != ONTOLOGY]
    assert all(any(line.endswith(concept) for line in _left_to_ontology(backend.store, graph)) for graph in projects)
    # Another ontology: without the concepts' types, with a line of its own.
    other = [line for line in ontology_lines() if not line.endswith(concept)] + [_line("vocabulary/new", 1, 1)]
    writer = backend.writer()
    _put(writer, ONTOLOGY, other, None)
    writer.commit()
    tables[ONTOLOGY] = other
    check_layout(backend.store, tables)
    assert all(any(q.object.value.endswith("skos/core#Concept") for q in backend.store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))
               for graph in projects)
    assert all(_left_to_ontology(backend.store, graph) for graph in projects)  # what the new one still holds stays left to it
    # The ontology dropped: everything left to it goes back.
    drop_tables(backend, [TableRecord(ONTOLOGY, ())])
    del tables[ONTOLOGY]
    check_layout(backend.store, tables)
    assert not any(_left_to_ontology(backend.store, graph) for graph in projects)
    # The usual ontology back, the tables replaced by a changed version in the same write, then dropped.
    _write(backend, changed)
    tables = _tables(changed)
    check_layout(backend.store, tables)
    drop_tables(backend, [record for record in backend.tables() if record.kind == "project"])
    check_layout(backend.store, {ONTOLOGY: ontology_lines()})
    backend.close()


def test_an_unchanged_table_put_again_keeps_its_layout(tmp_path: Path, evaluated: tuple[Path, Path, Path]) -> None:
    targets, _, _ = evaluated
    backend = open_backend(store=tmp_path / "store")
    store_chunks(backend, produce_chunks([targets], jobs=1, entail=True))
    owners = _owners(backend.store)
    summary = store_chunks(backend, produce_chunks([targets], jobs=1, entail=True)).summary
    assert summary.replaced and _owners(backend.store) == owners
    check_layout(backend.store, _tables(targets))
    backend.close()


# ---- the source document's rows: each owned by the table read from them -------------------------------


def _rows_in(store: ox.Store, graphs: Iterable[str]) -> int:
    """Statements about source rows (`…/source/H/line/N`) held in the given named graphs."""
    return sum(1 for graph in graphs for q in store.quads_for_pattern(None, None, None, ox.NamedNode(graph)) if "/line/" in q.subject.value)


def _rows_of(store: ox.Store, prefix: str) -> int:
    """Statements of the union about the rows whose IRIs start with `prefix`."""
    return sum(1 for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph()) if q.subject.value.startswith(prefix))


def _document(folder: Path, name: str, projects: list) -> Path:  # type: ignore[type-arg]
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(projects), encoding="utf-8")
    return path


def test_a_document_s_rows_are_owned_by_their_tables_and_stay_exact(tmp_path: Path) -> None:
    """The rows a table was read from (the mapper's scope 1) are in the union alone, owned by that table; a document
    read again with fewer tables, a table moved to another document and the last table of a document dropped keep
    every table and the union exact, and the dropped document's rows leave the union."""
    projects = corpus(6, seed=11, years=(2023,), defects=0.0)
    whole = _document(tmp_path, "a/doc.md", projects[:4])
    backend = open_backend(store=tmp_path / "store")
    store_chunks(backend, produce_chunks([whole], jobs=1, entail=True))
    expected = _tables(whole)
    check_layout(backend.store, expected)
    tables = [graph for graph in expected if "/ontology" not in graph]
    assert len(tables) == 4 and _rows_in(backend.store, tables) == 0
    assert sum(1 for subject in _owners(backend.store) if "/line/" in subject) > 4 * 10
    whole_rows = next(s for s, _, _ in (line.split(" ", 2) for line in expected[tables[0]]) if "/line/" in s)[1:].split("/line/")[0] + "/line/"
    assert _rows_of(backend.store, whole_rows)
    # The same document read again with fewer tables (other content: another document): the table it no longer
    # declares stays as it was, with its rows.
    fewer = _document(tmp_path, "b/doc.md", projects[:3])
    store_chunks(backend, produce_chunks([fewer], jobs=1, entail=True))
    expected = {**expected, **_tables(fewer)}
    check_layout(backend.store, expected)
    # A table moved to another document, beside a new one.
    moved = _document(tmp_path, "c/doc.md", projects[3:5])
    store_chunks(backend, produce_chunks([moved], jobs=1, entail=True))
    expected = {**expected, **_tables(moved)}
    check_layout(backend.store, expected)
    # Every table of the first document has been read again from another: nothing of its rows is left.
    assert not _rows_of(backend.store, whole_rows)
    for record in [r for r in backend.tables() if r.kind == "project"]:
        drop_tables(backend, [record])
        del expected[record.graph]
        check_layout(backend.store, expected)
    backend.close()


def test_rows_no_table_cites_stay_while_a_table_of_their_document_does(tmp_path: Path) -> None:
    """A document of two self-evaluations whose first lines (a page's tail) no table cites: when the first table is
    later read from another file, those rows stay with the document's other table (they rode with the first alone,
    and were lost)."""
    text = (Path(__file__).parent / "fixtures" / "selfeval" / "sichuan-daying-2023-anke-devices.md").read_text(encoding="utf-8")
    own_page = text.split("\n", 7)[7]  # the first evaluation without the page's tail
    both = _document(tmp_path, "a/both.md", [])
    both.write_text(text + "\n" + own_page.replace("安可替代补助资金项目", "办公设备购置项目"), encoding="utf-8")
    alone = _document(tmp_path, "b/alone.md", [])
    alone.write_text(own_page, encoding="utf-8")
    backend = open_backend(store=tmp_path / "store")
    store_chunks(backend, produce_chunks([both], jobs=1, entail=True))
    expected = _tables(both)
    check_layout(backend.store, expected)
    tail = '"评价结论 | 根据财政局资金下达的管理办法,将资金支付给项目施工方。 | |||||||||"'
    query = f"ASK {{ ?row <{JX.rawText}> {tail} ; <{JX.inDocument}> ?document . ?document <{JX.fileName}> \"both.md\" }}"
    assert backend.ask(query, {})
    store_chunks(backend, produce_chunks([alone], jobs=1, entail=True))
    expected = {**expected, **_tables(alone)}
    assert len(expected) == 3  # the ontology, the first evaluation (now from alone.md) and the second (still from both.md)
    check_layout(backend.store, expected)
    assert backend.ask(query, {})
    backend.close()


def test_a_row_two_tables_of_a_document_speak_of_is_given_up() -> None:
    """A row read into two tables (scope 1 in both): the first gives it up, both keep it in their graphs."""
    backend = OxigraphBackend(None)
    a, b = f"{EX}graph/a", f"{EX}graph/b"
    a_lines = [_line("doc/line/1", 1, 1), _line("doc/line/2", 1, 1), _line("a/x", 1, 1)]
    b_lines = [_line("doc/line/1", 1, 1), _line("doc/line/3", 1, 1), _line("b/x", 1, 1)]
    writer = backend.writer()
    _put(writer, a, a_lines, bytes([1, 1, 0]))
    _put(writer, b, b_lines, bytes([1, 1, 0]))
    writer.commit()
    check_layout(backend.store, {a: a_lines, b: b_lines})
    assert set(_owners(backend.store)) == {f"{EX}doc/line/2", f"{EX}a/x", f"{EX}doc/line/3", f"{EX}b/x"}
    drop_tables(backend, [TableRecord(a, ())])
    check_layout(backend.store, {b: b_lines})
    backend.close()


# ---- clashes made by hand: two owners for one subject, graphs speaking of owned subjects -----------


def _line(subject: str, predicate: int, obj: int) -> str:
    return f"<{EX}{subject}> <{EX}p{predicate}> <{EX}o{obj}> .\n"


def _put(writer: object, graph: str, lines: list[str], scopes: bytes | None) -> None:
    writer.put(graph, lines, TableRecord(graph, ("graph", "", "", ""), graph, "", lines_digest(lines)), scopes)  # type: ignore[attr-defined]


def test_two_tables_owning_the_same_subject_fall_back_and_stay_exact() -> None:
    """Nested own prefixes: table A's own subject a/x is also under table B's (a/), both give it as scope 0."""
    backend = OxigraphBackend(None)
    a, b = f"{EX}graph/a", f"{EX}graph/b"
    a_lines = [_line("a/x", 1, 1), _line("a/x", 2, 1), _line("a/y", 1, 1)]
    b_lines = [_line("a/x", 1, 1), _line("a/x", 3, 1), _line("b/z", 1, 1)]
    writer = backend.writer()
    _put(writer, a, a_lines, bytes(3))
    writer.commit()
    writer = backend.writer()
    _put(writer, b, b_lines, bytes(3))
    writer.commit()
    check_layout(backend.store, {a: a_lines, b: b_lines})
    assert set(_owners(backend.store)) == {f"{EX}a/y", f"{EX}b/z"}  # a/x owned by neither
    drop_tables(backend, [TableRecord(a, ())])
    check_layout(backend.store, {b: b_lines})
    backend.close()


def test_a_subject_a_table_speaks_of_also_as_shared_is_not_owned() -> None:
    backend = OxigraphBackend(None)
    a = f"{EX}graph/a"
    lines = [_line("a/x", 1, 1), _line("a/x", 2, 2), _line("a/y", 1, 1)]
    writer = backend.writer()
    _put(writer, a, lines, bytes([0, 2, 0]))
    writer.commit()
    check_layout(backend.store, {a: lines})
    assert set(_owners(backend.store)) == {f"{EX}a/y"}
    backend.close()


def _random_lines(rng: random.Random, subjects: list[str]) -> tuple[list[str], bytes | None]:
    chosen = rng.sample(subjects, rng.randint(1, 4))
    lines = list(dict.fromkeys(_line(s, rng.randint(0, 2), rng.randint(0, 1)) for s in chosen for _ in range(rng.randint(1, 3))))
    if rng.random() < 0.25:
        return lines, None  # RDF loaded as it is
    own = {s: rng.random() < 0.7 for s in chosen}
    scopes = [0 if own[line.split(" ")[0][len(EX) + 1:-1]] else 2 for line in lines]
    if rng.random() < 0.2:
        scopes[0] = 2 - scopes[0]  # one subject given in both scopes
    return lines, bytes(scopes)


@pytest.mark.parametrize("seed", range(8))
def test_random_writes_keep_every_table_and_the_union_exact(seed: int, tmp_path: Path) -> None:
    """Writes of a few puts and drops each, over a handful of subjects that every table may claim or speak of."""
    rng = random.Random(seed)
    backend = OxigraphBackend(tmp_path / "store") if seed % 4 == 0 else OxigraphBackend(None)
    subjects = ["a/x", "a/y", "a/x/1", "b/z", "c"]
    graphs = [f"{EX}graph/{name}" for name in "abcde"] + [ONTOLOGY]  # an ontology put or dropped: tables leave it what it holds
    model: dict[str, list[str]] = {}
    for _ in range(12):
        writer = backend.writer()
        for _ in range(rng.randint(1, 4)):
            graph = rng.choice(graphs)
            if graph in model and rng.random() < 0.25:
                writer.drop(graph)
                del model[graph]
                continue
            lines, scopes = _random_lines(rng, subjects)
            if graph == ONTOLOGY:
                scopes = None
            _put(writer, graph, lines, scopes)
            model[graph] = lines
        writer.commit()
        check_layout(backend.store, model)
    backend.close()


def test_a_store_of_the_previous_format_is_read_and_written(tmp_path: Path) -> None:
    """A format-2 store (every line in its table's graph) is a store that owns nothing: written on, it stays exact."""
    path = tmp_path / "store"
    backend = OxigraphBackend(path)
    a, b = f"{EX}graph/a", f"{EX}graph/b"
    old = {a: [_line("a/x", 1, 1), _line("c", 1, 1)], b: [_line("b/z", 1, 1), _line("a/x", 1, 1)]}
    writer = backend.writer()
    for graph, lines in old.items():
        _put(writer, graph, lines, None)
    writer.commit()
    backend.close()
    older = ox.Store(str(path))  # marked as an older jixiao wrote it: in place (jixiao itself opens a store's generations read-only)
    format_quads = list(older.quads_for_pattern(ox.NamedNode(FORMAT_SUBJECT), ox.NamedNode(FORMAT), None, ox.NamedNode(REGISTRY_GRAPH)))
    older.remove(format_quads[0])
    older.add(ox.Quad(ox.NamedNode(FORMAT_SUBJECT), ox.NamedNode(FORMAT), ox.Literal("2"), ox.NamedNode(REGISTRY_GRAPH)))
    del older
    backend = OxigraphBackend(path)
    new_a = [_line("a/x", 2, 1), _line("a/y", 1, 1), _line("c", 1, 1)]
    writer = backend.writer()
    _put(writer, a, new_a, bytes([0, 0, 2]))
    writer.commit()
    check_layout(backend.store, {a: new_a, b: old[b]})
    assert set(_owners(backend.store)) == {f"{EX}a/y"}  # a/x: graph b speaks of it
    marks = {q.object.value for q in backend.store.quads_for_pattern(ox.NamedNode(FORMAT_SUBJECT), ox.NamedNode(FORMAT), None, None)}
    assert marks == {STORE_FORMAT}
    drop_tables(backend, [TableRecord(b, ())])
    check_layout(backend.store, {a: new_a})
    backend.close()



@pytest.mark.parametrize("then_replace", [False, True])
def test_a_graph_speaking_of_a_subject_owned_in_the_same_write_takes_it_over(then_replace: bool) -> None:
    """The take-over waits for the owner's batch to be loaded (no bulk load per take-over); the result is the same,
    also when the owner is put again later in the same write."""
    backend = OxigraphBackend(None)
    a, rdf = f"{EX}graph/a", f"{EX}graph/rdf"
    a_lines = [_line("a/x", 1, 1), _line("a/y", 1, 1)]
    new_a = [_line("a/x", 1, 2), _line("a/y", 1, 1)]
    writer = backend.writer()
    _put(writer, a, a_lines, bytes(2))
    _put(writer, rdf, [_line("a/x", 9, 9)], None)
    if then_replace:
        _put(writer, a, new_a, bytes(2))
    writer.commit()
    check_layout(backend.store, {a: new_a if then_replace else a_lines, rdf: [_line("a/x", 9, 9)]})
    assert set(_owners(backend.store)) == {f"{EX}a/y"}
    drop_tables(backend, [TableRecord(a, ())])
    check_layout(backend.store, {rdf: [_line("a/x", 9, 9)]})
    backend.close()

def test_a_format_2_table_written_again_keeps_its_layout_until_dropped_and_put_again(tmp_path: Path) -> None:
    """The write that empties a table's old graph cannot own the subjects that graph held (their old statements leave
    the union at commit only if no graph holds them); a later write can."""
    backend = OxigraphBackend(tmp_path / "store")
    a = f"{EX}graph/a"
    for lines, scopes in (([_line("a/x", 1, 1)], None), ([_line("a/x", 1, 2)], bytes(1))):
        writer = backend.writer()
        _put(writer, a, lines, scopes)
        writer.commit()
        check_layout(backend.store, {a: lines})
        assert _owners(backend.store) == {}
    drop_tables(backend, [TableRecord(a, ())])
    writer = backend.writer()
    _put(writer, a, [_line("a/x", 1, 2)], bytes(1))
    writer.commit()
    check_layout(backend.store, {a: [_line("a/x", 1, 2)]})
    assert set(_owners(backend.store)) == {f"{EX}a/x"}
    backend.close()


def test_a_store_of_a_newer_format_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "store"
    backend = OxigraphBackend(path)
    writer = backend.writer()
    _put(writer, f"{EX}graph/a", [_line("a/x", 1, 1)], bytes(1))
    writer.commit()
    backend.close()
    newer = ox.Store(str(path))  # marked as a newer jixiao would write it
    mark = next(iter(newer.quads_for_pattern(ox.NamedNode(FORMAT_SUBJECT), ox.NamedNode(FORMAT), None, ox.NamedNode(REGISTRY_GRAPH))))
    newer.remove(mark)
    newer.add(ox.Quad(mark.subject, mark.predicate, ox.Literal("99"), mark.graph_name))
    del newer
    with pytest.raises(StoreError, match="newer jixiao"):
        OxigraphBackend(path).tables()


@pytest.mark.parametrize("text", ["<{ex}a/x>\t<{ex}p9>\t<{ex}o9> .\n", "<{ex}a/x><{ex}p9><{ex}o9>.\n", "<{ex}a/\\u0078> <{ex}p9> <{ex}o9> .\n"])
def test_rdf_written_by_hand_about_an_owned_subject_takes_it_over(tmp_path: Path, text: str) -> None:
    """A user's N-Triples may separate terms by tabs or nothing and escape an IRI's characters (`\\u0078` is `x`):
    the same subject all the same, so the table that owned it gives it up and both stay exact."""
    backend = OxigraphBackend(None)
    a, rdf = f"{EX}graph/a", f"{EX}graph/rdf"
    a_lines = [_line("a/x", 1, 1), _line("a/y", 1, 1)]
    writer = backend.writer()
    _put(writer, a, a_lines, bytes(2))
    writer.commit()
    assert set(_owners(backend.store)) == {f"{EX}a/x", f"{EX}a/y"}
    path = tmp_path / "data.nt"
    path.write_text(text.format(ex=EX), encoding="utf-8")
    assert backend.replace_graph(rdf, path) == 1
    check_layout(backend.store, {a: a_lines, rdf: [_line("a/x", 9, 9)]})
    assert set(_owners(backend.store)) == {f"{EX}a/y"}
    drop_tables(backend, [TableRecord(a, ())])
    check_layout(backend.store, {rdf: [_line("a/x", 9, 9)]})
    backend.close()

# ---- reasoning reads a table whole -----------------------------------------------------------------


def test_a_table_closed_under_an_older_ontology_is_read_with_what_it_owns(tmp_path: Path, evaluated: tuple[Path, Path, Path]) -> None:
    targets, _, _ = evaluated
    backend = open_backend(store=tmp_path / "store")
    chunk = next(iter(produce_chunks([targets], jobs=1, entail=True)))
    root = next(s for (s, p, o), scope in zip(chunk.statements, chunk.scopes, strict=True) if scope == 0)
    thing = URIRef(f"{root[1:-1]}/a-quantity-indicator")  # under the table's own project: owned
    extra = f"{thing.n3()} {RDF.type.n3()} {JX.QuantityIndicator.n3()} .\n"
    lines = [*chunk.lines, extra]
    store_chunks(backend, [])
    writer = backend.writer()
    writer.put(chunk.graph, lines, TableRecord(chunk.graph, chunk.key, chunk.source, "", lines_digest(lines), "sha256:an-older-ontology"),
               bytes([*chunk.scopes, 0]))
    writer.commit()
    assert f"{thing}" in _owners(backend.store)
    assert chunk.graph in graphs_to_reason(backend, DEFAULT_BASE)[0]
    reason_in_store(backend, DEFAULT_BASE)
    types = {t[2] for t in backend.construct(f"CONSTRUCT {{ {thing.n3()} a ?c }} WHERE {{ {thing.n3()} a ?c }}", {})}
    assert {JX.OutputIndicator, JX.Indicator} <= types, types
    backend.close()


def test_tables_without_their_entailments_stay_whole_in_their_graphs(tmp_path: Path, evaluated: tuple[Path, Path, Path]) -> None:
    """`reason --store` reads a table not closed under its entailments from its graph: such a table owns nothing."""
    targets, _, _ = evaluated
    backend = open_backend(store=tmp_path / "store")
    chunks = list(produce_chunks([targets], jobs=1))
    assert chunks[0].scopes and not chunks[0].closed_under
    store_chunks(backend, chunks)
    assert not _owners(backend.store)
    tables = {chunk.graph: chunk.lines for chunk in chunks}
    for graph, lines in tables.items():
        assert {q.triple for q in backend.store.quads_for_pattern(None, None, None, ox.NamedNode(graph))} == _triples(lines)
    backend.close()


def test_rows_shared_by_documents_tables_and_loaded_rdf_stay_exact(tmp_path: Path) -> None:
    """Rows two documents or two tables share, and RDF loaded about a row: the same content at two paths (the same
    row IRIs, another file name), a document with no year read as 2023 and as 2024 (two tables of the same rows), RDF
    about an owned row loaded, its owner replaced, the RDF dropped, and every graph dropped in a shuffled order."""
    projects = corpus(3, seed=9, years=(None,), defects=0.3)
    text = render(projects, 0.1, 4)
    first, copy = _document(tmp_path, "a/doc.md", []), _document(tmp_path, "b/other.md", [])
    first.write_text(text, encoding="utf-8")
    copy.write_text(text, encoding="utf-8")
    backend = open_backend(store=tmp_path / "store")
    expected = {"https://w3id.org/jixiao/ontology": ontology_lines()}

    def ingest(*paths: Path, year: int) -> None:
        chunks = list(produce_chunks(list(paths), jobs=1, entail=True, year=year))
        store_chunks(backend, chunks)
        expected.update({chunk.graph: chunk.lines for chunk in chunks})
        check_layout(backend.store, expected)

    ingest(first, copy, year=2023)  # the same tables twice in one write: the later kept
    row = next(subject for subject in _owners(backend.store) if "/line/" in subject)
    ingest(first, year=2023)  # the other file name: the tables change, their rows stay theirs
    assert row in _owners(backend.store)
    rdf = (f"{EX}graph/rdf", [f"<{row}> <http://www.w3.org/2000/01/rdf-schema#comment> \"checked\" .\n",
                               f"<{row}> {RDF.type.n3()} {JX.SourceRow.n3()} .\n"])
    path = tmp_path / "rdf.nt"
    path.write_text("".join(rdf[1]), encoding="utf-8")
    backend.replace_graph(rdf[0], path)
    expected[rdf[0]] = rdf[1]
    check_layout(backend.store, expected)
    assert row not in _owners(backend.store)
    ingest(copy, year=2024)  # other tables, the same rows: the 2023 tables give them up
    assert not any("/line/" in subject for subject in _owners(backend.store))
    ingest(copy, year=2023)  # the tables that owned the row replaced (the other file name again)
    drop_tables(backend, [TableRecord(rdf[0], ())])
    del expected[rdf[0]]
    check_layout(backend.store, expected)
    graphs = [graph for graph in expected if "/ontology" not in graph]
    random.Random(5).shuffle(graphs)
    for graph in graphs:
        drop_tables(backend, [TableRecord(graph, ())])
        del expected[graph]
        check_layout(backend.store, expected)
    backend.close()


# ---- a first write into an empty store: the same store as the general path --------------------------------


def _first_write(puts: list[tuple[str, list[str] | None, bytes | None]], path: Path | None, general: bool) -> list[str]:
    """Every quad of a store made by one write (None lines: a drop), sorted as N-Quads; `general` makes the writer
    treat the empty store as one that held data (it reads and clears every graph it puts), as into any later write."""
    backend = OxigraphBackend(path)
    writer = backend.writer()
    if general:
        writer.stored_data = True
    for graph, lines, scopes in puts:
        if lines is None:
            writer.drop(graph)
        else:
            _put(writer, graph, lines, scopes)
    writer.commit()
    quads = sorted(f"{quad}\n" for quad in backend.store if quad.predicate.value not in _COMPACTION_FACTS)
    backend.close()
    return quads


# The registry's record of the bytes loaded since the last compaction: the same write, but not a statement of the data.
_COMPACTION_FACTS = {"urn:jixiao:loadedSinceCompaction", "urn:jixiao:sizeAtCompaction"}


@pytest.mark.parametrize("seed", range(6))
def test_a_first_write_into_an_empty_store_is_the_store_the_general_path_makes(seed: int, tmp_path: Path) -> None:
    """A first write skips reading and clearing the graphs it puts, which an empty store cannot hold yet; a graph put
    again or dropped in the same write must still be read and cleared (else its first lines would stay)."""
    rng = random.Random(seed)
    subjects = ["a/x", "a/y", "a/x/1", "b/z", "c"]
    graphs = [f"{EX}graph/{name}" for name in "abcd"] + [ONTOLOGY]
    puts: list[tuple[str, list[str] | None, bytes | None]] = [(ONTOLOGY, ontology_lines(), None)]
    for _ in range(14):
        graph = rng.choice(graphs)
        if rng.random() < 0.2:
            puts.append((graph, None, None))
            continue
        lines, scopes = _random_lines(rng, subjects)
        puts.append((graph, lines, None if graph == ONTOLOGY else scopes))
    assert len({graph for graph, _, _ in puts}) < len(puts)  # graphs put twice or dropped in the write
    path = (lambda name: tmp_path / name) if seed % 2 == 0 else (lambda name: None)
    assert _first_write(puts, path("fast"), general=False) == _first_write(puts, path("general"), general=True)


def test_a_first_ingest_of_tables_is_the_store_the_general_path_makes(tmp_path: Path, evaluated: tuple[Path, Path, Path]) -> None:
    """The mapper's tables and self-evaluations speaking of them; in the same first write, some tables put again
    with other targets and one dropped."""
    targets, changed, evaluations = evaluated

    def puts_of(path: Path) -> list[tuple[str, list[str] | None, bytes | None]]:
        return [(chunk.graph, chunk.lines, chunk.scopes) for chunk in produce_chunks([path], jobs=1, entail=True)]

    first = puts_of(targets)
    puts = [(ONTOLOGY, ontology_lines(), None), *first, *puts_of(evaluations), *puts_of(changed)[:3], (first[3][0], None, None)]
    fast = _first_write(puts, tmp_path / "fast", general=False)
    assert fast == _first_write(puts, tmp_path / "general", general=True)
    assert any(OWNED_BY in quad for quad in fast)
