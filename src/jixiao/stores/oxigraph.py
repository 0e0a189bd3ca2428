"""The embedded persistent store: pyoxigraph (RocksDB on disk, or in memory) as a QueryBackend.

One named graph per declared table, the ontology in its own graph, and the default graph holding
their union as a set: the graph queries read (measured on 10,000 projects, one default graph
answers 4-8x faster than the union of hundreds of named graphs). What only one table says — the
statements about the resources under its own performance object and about the source rows it was
read from, the mapper's scopes 0 and 1, most of a table — is kept in the default graph alone, and the table owns their subjects
(`<subject> urn:jixiao:ownedBy <table graph>` in `urn:jixiao:owned`), so replacing or dropping the
table still removes exactly them; the table's graph keeps the rest (see OxigraphWriter). Terms come back as rdflib terms
with datatype and language tag exactly as stored (Oxigraph canonicalises lexical forms on load,
e.g. "1.50" -> "1.5", so compare numbers by value). Parameters go in as a VALUES block of
serialised RDF terms (`inject_values`), never as the user's raw text.

Writing is copy-on-write by generations (`generations.py`): a write starts from a RocksDB
checkpoint of the store (hard links, instant) in a hidden directory beside it, replaces and drops
graphs there with Oxigraph's bulk loader (no transaction to outgrow), brings the default graph up
to date, and then takes the store's place with one atomic rename. Readers, and a process killed
at any moment, see the old store or the new one, never a mix; a first write builds the store the
same way from nothing. (One SPARQL Update transaction replacing the graphs of 2,000 projects,
0.8M triples, took 237 s and 4 GB; the generation route does it in a fraction of that.)
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from jixiao.namespaces import ONTOLOGY_GRAPH
from jixiao.stores import generations
from jixiao.stores.base import SelectResult, StoreError, TermParts, TermRows, Triple, inject_values, rdflib_term
from jixiao.stores.tables import (
    CANDIDATES_GRAPH,
    FORMAT,
    FORMAT_SUBJECT,
    IN_ONTOLOGY,
    INTERNAL_PREFIX,
    OWNED_BY,
    OWNED_GRAPH,
    REGISTRY_GRAPH,
    STORE_FORMAT,
    SubjectGroups,
    TableRecord,
    WriteSummary,
    group_by_subject,
    in_order,
    is_internal,
    record_from,
    subject_text,
    vocabulary_index,
)
from jixiao.stores.views import ViewKeeper, current_views, forget_views

_XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")



def to_rdflib(term: Any) -> Node:
    """An Oxigraph term as the equal rdflib term (plain literals stay plain, tags stay tags)."""
    return rdflib_term(term_parts(term))


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as the equal Oxigraph term (the inverse of to_rdflib)."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot bind a {type(term).__name__} as a query parameter")


# A reader holds the generation it opens (generations.hold_generation: a shared flock on its folder)
# and opens RocksDB through that folder itself, not the store's path: RocksDB opens some table
# files only when a query first needs them, by path, and the path may name the next generation by
# then (seen as "Corruption: IO error: No such file" from a query during ingests). A write deletes
# an old generation only once nobody holds it, and nobody writes a generation once it is switched in
# (the writer holds it read-only too), so an open that fails is reported, not tried again: while the
# writer opened the current generation read-write, 10 of 173 reader opens beside 100 writes (two
# runs) failed ("No such file": its manifest or table files rewritten) and were tried again; now 0 of 208.


def _open_read_only(path: Path) -> tuple[ox.Store, int]:
    """The store at `path` opened for reading, and the hold on its generation (release it after the store is closed); a StoreError when it cannot be."""
    try:
        hold = generations.hold_generation(path)
    except OSError as error:
        raise StoreError(f"cannot open the store {path}: {error.strerror or error}") from error
    try:
        return ox.Store.read_only(generations.generation_path(hold)), hold
    except (OSError, RuntimeError) as error:  # RocksDB's corruption and I/O errors come as RuntimeError
        generations.release_generation(path, hold)
        raise StoreError(f"cannot open the store {path}: {' '.join(str(error).split())}") from error


def _settle(build: Path) -> None:
    """Open a finished (flushed and closed) generation read-write once more before it is switched in.

    RocksDB leaves the write-ahead logs its flushes made obsolete in the folder until a later open
    (measured: 7.5 MB of logs, 7 % of the store, after a drop of 50 tables at 1,000 projects);
    opened again, it deletes them, so a generation is switched in with empty logs (the next write's
    copy of them costs nothing) and nothing ever needs to open it read-write again. The open costs
    0.02 CPU-s at 10,000 projects: the one the writer made after the switch before.
    """
    store = ox.Store(str(build))
    del store  # the last reference: closes RocksDB


def _named_node(iri: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(iri)
    except ValueError as error:
        raise StoreError(f"not a valid graph IRI {iri!r}: {error}") from error


class OxigraphBackend:
    """An Oxigraph store on disk (`path`) or in memory (`path=None`) as a QueryBackend.

    Queries read the default graph, which holds the union of the table graphs and the ontology
    as a set (materialised, kept exact by every write). An on-disk store is written a generation
    at a time (see the module's documentation), so a writer never changes what readers see until
    its one atomic switch; an in-memory store is written in place.
    """

    def __init__(self, path: Path | str | None = None, read_only: bool = False, keep_views: bool = True) -> None:
        self.path = Path(path) if path is not None else None
        # False where no query reads a view (serve/publish of DATA answer from the union): its writes make none.
        self.keep_views = keep_views
        self.read_only = read_only
        self._lock: int | None = None
        self._store: ox.Store | None = None
        # The hold on the generation the store was opened from (generations.hold_generation), a writer's as a reader's:
        # on disk, RocksDB is opened read-write only in a write's build folder, never in a generation once switched in.
        self._read_hold: int | None = None
        if self.path is not None and not read_only:
            try:
                self._lock = generations.lock(self.path)
            except OSError as error:
                raise StoreError(f"cannot open the store {self.path} for writing: another jixiao process is writing to it ({error.strerror})") from error
        if self.path is not None:
            generations.recover(self.path)
        try:
            self._store = self._open(self.path, read_only)
        except BaseException:
            self.close()
            raise
        if self._store is not None and self.path is not None:
            # A reader too: a store of another layout answers queries wrongly (an older one's union is empty), not with an error.
            self._check_format()
            if not read_only:
                generations.remove_stale(self.path)

    def _open(self, path: Path | None, read_only: bool) -> ox.Store | None:
        if path is None:
            return ox.Store()
        if not generations.holds_store(path):
            if read_only:
                raise StoreError(f"no store at {path} (create it with: jixiao ingest TABLES --store {path})")
            if path.exists() and (not path.is_dir() or any(path.iterdir())):
                # The first write puts the new store in its place: never over a user's folder of other things.
                raise StoreError(f"{path} is not a store (it holds other files); give a new or empty folder for --store")
            return None  # made by the first write, in a directory beside it, then renamed into place
        store, self._read_hold = _open_read_only(path)
        return store

    def _check_format(self) -> None:
        """Refuse a store made by a jixiao whose graphs were named by file path (it has no union to keep exact), or by a newer one."""
        store = self.store
        marker = list(store.quads_for_pattern(ox.NamedNode(FORMAT_SUBJECT), ox.NamedNode(FORMAT), None, ox.NamedNode(REGISTRY_GRAPH)))
        written = marker[0].object.value if marker else ""
        if written.isdigit() and int(written) > int(STORE_FORMAT):
            # A newer layout (e.g. statements kept in the union alone) that this version would break by writing it.
            raise StoreError(f"the store {self.path} was made by a newer jixiao (store format {written}; this one knows up to "
                             f"{STORE_FORMAT}): use that version, or make the store again with this one")
        if marker or not any(True for _ in store.named_graphs()):
            return
        raise StoreError(f"the store {self.path} was made by an older jixiao (graphs named by file path, no union of the tables); "
                         f"make it again: remove the folder and run `jixiao ingest TABLES --store {self.path}`")

    @property
    def store(self) -> ox.Store:
        """The open pyoxigraph store (raises after close()); before the first write made it, an empty one."""
        if self._store is None:
            if self.path is not None and not self.read_only and self._lock is not None and not generations.holds_store(self.path):
                return _EMPTY
            raise StoreError("the store is closed")
        return self._store

    # ---- queries ---------------------------------------------------------------------------

    def _query(self, query: str) -> Any:
        try:
            return self.store.query(query)  # the default graph: the materialised union
        except SyntaxError as error:
            raise StoreError(f"invalid SPARQL query: {error}") from error
        except (OSError, RuntimeError) as error:
            raise StoreError(f"query failed: {' '.join(str(error).split())}") from error

    def select(self, query: str, bindings: Mapping[str, Node]) -> SelectResult:
        # Parameters always go in as a VALUES block: Oxigraph's own substitutions (SEP-0007) bind
        # only variables of the SELECT projection, and parameters such as ?param_year appear only
        # in patterns and FILTERs.
        result = self._query(inject_values(query, bindings))
        if not isinstance(result, ox.QuerySolutions):
            raise StoreError("only SELECT queries can be run here")
        variables = [variable.value for variable in result.variables]
        return SelectResult(variables, _rows(result, variables))

    def select_terms(self, query: str, bindings: Mapping[str, Node]) -> TermRows:
        """The rows as Oxigraph's own terms (a solution is a sequence of them), for the output writers:
        no rdflib term is built. Parameters go in as in `select`."""
        result = self._query(inject_values(query, bindings))
        if not isinstance(result, ox.QuerySolutions):
            raise StoreError("only SELECT queries can be run here")
        return TermRows([variable.value for variable in result.variables], iter(result), term_parts)

    def ask(self, query: str, bindings: Mapping[str, Node]) -> bool:
        result = self._query(inject_values(query, bindings))
        if not isinstance(result, ox.QueryBoolean):
            raise StoreError("not an ASK query")
        return bool(result)

    def construct(self, query: str, bindings: Mapping[str, Node]) -> Iterator[Triple]:
        if bindings:
            # The first group of a CONSTRUCT is its template, so a VALUES block cannot go there.
            raise StoreError("a CONSTRUCT query with parameters runs only over DATA in memory, not over --store")
        result = self._query(query)
        if not isinstance(result, ox.QueryTriples):
            raise StoreError("not a CONSTRUCT query")
        return (_rdflib_triple(triple) for triple in result)

    def count(self, graph_iri: str | None = None) -> int:
        """Triples in one named graph, or in the union the queries read (`None`)."""
        graph = _named_node(graph_iri) if graph_iri is not None else ox.DefaultGraph()
        return sum(1 for _ in self.store.quads_for_pattern(None, None, None, graph))

    def graph_names(self) -> list[str]:
        """The data graphs (tables and ontology), without jixiao's own bookkeeping graphs."""
        return sorted(g.value for g in self.store.named_graphs() if isinstance(g, ox.NamedNode) and not is_internal(g.value))

    def tables(self) -> list[TableRecord]:
        """What the registry says each table graph is."""
        return read_registry(self.store)

    def current_views(self) -> set[str]:
        """The named queries whose views (stores/views.py) this store keeps up to date: they may be read from there."""
        return current_views(self.store)

    # ---- writing ---------------------------------------------------------------------------

    def writer(self) -> OxigraphWriter:
        """A write: on disk, into the next generation of the store, switched in by `commit()`."""
        if self.read_only:
            raise StoreError(f"the store {self.path} is open read-only")
        if self.path is None:
            return OxigraphWriter(self.store, None, self)
        build = generations.build_directory(self.path)
        if self._store is not None:
            assert self._read_hold is not None
            # A checkpoint of the held generation (hard links to its immutable files: instant, the generation untouched),
            # with its write-ahead logs, which the checkpoint of a read-only store leaves out (generations.copy_write_ahead_logs).
            self._store.backup(str(build))
            generations.copy_write_ahead_logs(generations.generation_path(self._read_hold), build)
        return OxigraphWriter(ox.Store(str(build)), build, self)

    def replace_graph(self, graph_iri: str, ntriples_path: Path) -> int:
        """One graph replaced by an N-Triples file's triples, in a write of its own (see loading.replace_graph)."""
        from jixiao.stores.loading import replace_graph

        return replace_graph(self, graph_iri, ntriples_path)

    def _switched(self, build: Path) -> None:
        """Put a finished generation in place of the store (one atomic rename) and hold it, read-only, for the next write."""
        assert self.path is not None
        _settle(build)
        self._release_generation()  # else the old generation, held, could only be retired, not deleted
        try:
            generations.switch(build, self.path)
        finally:
            self._store, self._read_hold = _open_read_only(self.path)

    # ---- life cycle ------------------------------------------------------------------------

    def close(self) -> None:
        if self._store is not None and self.path is None and not self.read_only:
            self._store.flush()  # in memory: written in place
        self._release_generation()
        if self._lock is not None:
            generations.unlock(self._lock)
            self._lock = None

    def _release_generation(self) -> None:
        """Close RocksDB (dropping the last reference does), then let go of the generation it was opened from."""
        self._store = None
        if self._read_hold is not None:
            assert self.path is not None
            generations.release_generation(self.path, self._read_hold)
            self._read_hold = None

    def __enter__(self) -> OxigraphBackend:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class OxigraphWriter:
    """Changes to one Oxigraph store that nobody else sees yet: the next generation on disk (or, in
    memory, the store itself). Quads are buffered and bulk-loaded; a graph's old triples become
    candidates for leaving the union, decided once at commit.

    A table's own statements (scopes 0 and 1, given with `put`: its own resources and the source
    rows it was read from) go into the default graph alone, and the table owns their subjects. What
    keeps this exact: **a subject is owned by one table at most, and no named data graph holds a
    statement about an owned subject**. Then every statement of the
    default graph about an owned subject is its owner's, so replacing or dropping the owner removes
    them all (before its new lines are loaded: this is a private generation), and a candidate of
    another graph is never an owned statement. The writer keeps the rule at every put:

    - a table may own a subject only if no other table owns it and no named data graph (in the store,
      or put or cleared in this write) has a statement about it; otherwise the table's statements
      about it go into its graph as well (today's layout for that subject: two tables' own prefixes
      nested, or a table speaking of another's resources under its own prefix);
    - when a graph is put with a statement about a subject another table owns (a self-evaluation's
      statement about its target's indicator, RDF loaded about a table's resource), the owner gives
      the subject up: its statements about it are copied from the default graph into its graph.

    A closed table's graph also leaves to the ontology graph the lines that graph holds too (the vocabulary's types:
    `_leave_to_ontology`), recorded by their positions in the ontology's vocabulary index (IN_ONTOLOGY); the rule:
    **every line a table left to the ontology graph is in that graph while the table is stored**. A write that
    changes or drops the ontology puts the lines it no longer holds back into the tables' graphs first
    (`_ontology_put`, `_move_left_lines`).

    Measured on generated tables (about 631 statements a table, by a review of 200 projects): 392 of scope 0 (35 subjects),
    162 of scope 1 (26 rows), so 77 shared, 50 of them vocabulary types left to the ontology graph: 27 in its graph,
    and 61 ownership quads.
    """

    def __init__(self, store: ox.Store, build: Path | None, backend: OxigraphBackend) -> None:
        self.store, self.build, self.backend = store, build, backend
        self.summary = WriteSummary()
        self.pending: list[str] = []  # N-Quads text, a chunk's worth a piece
        self.pending_lines = 0
        self.pending_graphs: set[str] = set()
        self.pending_sources: list[str] = []
        self.loading: _BackgroundLoad | None = None  # the previous batch, loading while the next is gathered
        self.pending_give_ups: list[tuple[str, str]] = []  # (subject, owner) taken over while the owner's lines are gathered
        self.batch_owned: dict[str, list[str]] = {}  # subject -> its owner's lines, for the owned subjects of the batch being gathered
        self.loaded_chars = 0  # N-Quads text bulk-loaded by this write: what it adds to the compaction debt
        self.done = False
        self.store.remove_graph(ox.NamedNode(CANDIDATES_GRAPH))
        # Ownership (see the class's documentation): subjects owned by tables put in this write, and the
        # subjects (hashed: a collision only costs compactness) that this write puts into named graphs or
        # takes out of them. The store itself is asked only when it held data before the write.
        self.claims: dict[str, str] = {}
        self.shared: set[int] = set()
        self.stored_data = any(True for _ in self.store.named_graphs())
        # Graphs this write has put or dropped. Into a store that held no data (a first ingest), a graph not among
        # them is nowhere in the store: no triples, registry entry or ownership marks, so `put` need not read its
        # record nor clear it (measured at 10,000 projects: 3.7 of the main thread's 42 CPU-s, under load).
        self.touched: set[str] = set()
        # The ontology graph's vocabulary index (line -> position), once it is put in this write: tables leave it what it holds.
        self.vocabulary: dict[str, int] = {}
        self.in_union: set[bytes] = set()  # digests of the shared lines this write loaded into the union (_not_yet_in_union)
        # The views (stores/views.py): told what subjects each cleared graph held before it is cleared, and at commit
        # what the graphs rewritten by this write hold, so that only the parts of a view they touch are recomputed.
        self.views = ViewKeeper(self.store, keep=backend.keep_views)
        self.rewritten: set[str] = set()
        self._mark_format()

    def _mark_format(self) -> None:
        _set_store_fact(self.store, FORMAT, ox.Literal(STORE_FORMAT))

    def record(self, graph: str) -> TableRecord | None:
        """What the store (as this write leaves it so far) says a graph is."""
        self._flush_if_pending(graph)
        values = {q.predicate.value: q.object.value for q in self.store.quads_for_pattern(_named_node(graph), None, None, ox.NamedNode(REGISTRY_GRAPH))}
        return record_from(graph, values) if values else None

    def put(self, graph: str, lines: Sequence[str], record: TableRecord, scopes: bytes | None = None,
            groups: SubjectGroups | None = None) -> int:
        target = _named_node(graph)
        self.summary.replaced[graph] = len(lines)
        self.summary.records[graph] = record
        if graph == ONTOLOGY_IRI:
            self._ontology_put(lines)
        new_in_store = not self.stored_data and graph not in self.touched
        self.touched.add(graph)
        held = None if new_in_store else self.record(graph)
        if held is not None and record.digest and held.digest == record.digest:
            # The same triples: only what the registry says about the source may differ.
            if held != record:
                self._set_record(target, record)
            return len(lines)
        if not new_in_store:
            self._clear(target)
        self.rewritten.add(graph)
        if scopes is None or len(scopes) != len(lines):
            # RDF loaded as it is, a table without its entailments: every line in its graph and in the union.
            self._share(graph, {subject_text(line) for line in lines})
            in_graph, in_union, owned, left = list(lines), "".join(lines), [], ""
        else:
            if groups is None or not groups.fits(len(lines)):
                order, groups = group_by_subject(lines, scopes)
                lines, scopes = in_order(lines, scopes, order)
            in_graph, owned_lines, owned = self._own(graph, lines, groups)
            in_graph, left = self._leave_to_ontology(in_graph)
            in_union = "".join(owned_lines) + "".join(self._not_yet_in_union(in_graph))
        # N-Quads text for the bulk loader (no Python object per quad): the union's lines as triples (the default
        # graph), those others may share also into the table's graph.
        if in_graph:
            self.pending.append(_in_graph(in_graph, target.value))
        else:
            self.store.add_graph(target)  # a table is a named graph, even when the union holds all it says
        self.pending.append(in_union)
        self.pending.extend(f"{subject} <{OWNED_BY}> <{target.value}> <{OWNED_GRAPH}> .\n" for subject in owned)
        self.pending.extend(f"<{target.value}> {_literal_quad(predicate, value)} <{REGISTRY_GRAPH}> .\n" for predicate, value in record.statements())
        if left:
            self.pending.append(f"<{target.value}> {_literal_quad(IN_ONTOLOGY, left)} <{REGISTRY_GRAPH}> .\n")
        self.pending_lines += len(lines) + len(in_graph) + len(owned)
        self.pending_graphs.add(graph)
        self.pending_sources.append(record.source or graph)
        if self.pending_lines >= BULK_BATCH_LINES:
            self._flush(wait=False)
        return len(lines)

    def _leave_to_ontology(self, lines: list[str]) -> tuple[list[str], str]:
        """The lines a table's graph must hold, and the positions (IN_ONTOLOGY's value) of those it leaves to the
        ontology graph put in this write, which holds them too: about 50 of a generated table's 77 shared lines are
        the vocabulary's types (`jx:CostIndicator a skos:Concept`), the same in every table."""
        if not self.vocabulary:
            return lines, ""
        kept: list[str] = []
        left: list[int] = []
        for line in lines:
            position = self.vocabulary.get(line)
            if position is None:
                kept.append(line)
            else:
                left.append(position)
        return kept, ",".join(map(str, sorted(left)))

    def _not_yet_in_union(self, lines: list[str]) -> Iterator[str]:
        """The shared lines this write has not yet loaded into the union (a unit's or a document's statements repeat in
        each of its tables). Only shared lines are remembered: their subjects may not be owned in this write (see
        `_own`), so nothing takes them out of the union before commit but the candidates' rule, which keeps what a
        graph holds. Remembered by a 16-byte digest, and forgotten when too many: that costs a repeated load, no more."""
        if len(self.in_union) > UNION_MEMORY:
            self.in_union.clear()
        for line in lines:
            digest = hashlib.blake2b(line.encode("utf-8"), digest_size=16).digest()
            if digest not in self.in_union:
                self.in_union.add(digest)
                yield line

    def _ontology_put(self, lines: Sequence[str]) -> None:
        """The ontology graph put in this write: later tables may leave it their lines it holds. If it changes, the
        lines tables left to it that it no longer holds go into those tables' graphs (all of this write's and the
        store's tables, before the old graph is emptied), and every position is counted in the new index."""
        index = vocabulary_index(_as_stored(lines))
        if self.vocabulary and list(self.vocabulary) == index:
            return
        self._flush()  # the facts of tables put so far in this write are read from the store
        old = self._stored_ontology_index()
        self.vocabulary = {line: position for position, line in enumerate(index)}
        if old != index:
            self._move_left_lines(old, self.vocabulary)

    def _stored_ontology_index(self) -> list[str]:
        """The vocabulary index of the ontology graph as the store holds it now (before this write changes it)."""
        return vocabulary_index(_stored_line(quad) for quad in self.store.quads_for_pattern(None, None, None, ONTOLOGY_NODE))

    def _move_left_lines(self, old: list[str], new: dict[str, int]) -> None:
        """Each table's left lines counted again in the index `new`; those not in it go back into the table's graph."""
        registry, predicate = ox.NamedNode(REGISTRY_GRAPH), ox.NamedNode(IN_ONTOLOGY)
        for quad in list(self.store.quads_for_pattern(None, predicate, None, registry)):
            lines = [old[int(position)] for position in quad.object.value.split(",")]
            back = [line for line in lines if line not in new]
            if back:
                # In the union already (the old ontology holds them): in the table's graph now, so they stay at commit.
                self.pending.append(_in_graph(back, quad.subject.value))
                self.pending_lines += len(back)
                self.pending_graphs.add(quad.subject.value)  # a later clear of the graph in this write loads them first
            self.store.remove(quad)
            kept = sorted(new[line] for line in lines if line in new)
            if kept:
                self.store.add(ox.Quad(quad.subject, predicate, ox.Literal(",".join(map(str, kept))), registry))

    def _set_record(self, target: ox.NamedNode, record: TableRecord) -> None:
        registry = ox.NamedNode(REGISTRY_GRAPH)
        for quad in list(self.store.quads_for_pattern(target, None, None, registry)):
            if quad.predicate.value != IN_ONTOLOGY:  # the layout's fact, not the record's: the graph is unchanged
                self.store.remove(quad)
        self.store.extend(ox.Quad(target, ox.NamedNode(p), ox.Literal(v), registry) for p, v in record.statements())

    def _own(self, graph: str, lines: Sequence[str], groups: SubjectGroups) -> tuple[list[str], list[str], list[str]]:
        """Split a table's lines (in the order of `groups`): those its graph must hold, those of the subjects it owns (in
        the union alone), and those subjects."""
        in_graph = list(lines[:groups.shared])
        spoken = {subject_text(lines[position]) for position in groups.spoken}
        owned: list[str] = []
        owned_lines: list[str] = []
        start = groups.shared
        for end in groups.runs:
            its_lines = lines[start:end]
            start = end
            subject = subject_text(its_lines[0])
            assert subject is not None  # a run is of lines about one IRI subject
            if subject not in spoken and self._may_own(subject, graph):
                self.claims[subject] = graph
                self.batch_owned[subject] = list(its_lines)
                owned.append(subject)
                owned_lines.extend(its_lines)
            else:
                in_graph.extend(its_lines)
                spoken.add(subject)
        self._share(graph, spoken)
        return in_graph, owned_lines, owned

    def _may_own(self, subject: str, graph: str) -> bool:
        """Whether `graph` may own `subject`: nobody else owns it (if someone does, they give it up) and no named graph speaks of it."""
        owner = self._owner(subject)
        if owner is not None and owner != graph:
            self._give_up(subject, owner)
            return False
        if hash(subject) in self.shared:
            return False
        if self.stored_data:
            node = _subject_node(subject)
            return not any(isinstance(q.graph_name, ox.NamedNode) and not is_internal(q.graph_name.value) and q.graph_name.value != graph
                           for q in self.store.quads_for_pattern(node, None, None, None))
        return True

    def _share(self, graph: str, subjects: set[str | None]) -> None:
        """Note the subjects of lines going into a named graph (None: a blank node); a subject another table owns is given up by it."""
        for subject in subjects - {None}:
            self.shared.add(hash(subject))
            owner = self._owner(subject)
            if owner is not None and owner != graph:
                self._give_up(subject, owner)

    def _owner(self, subject: str) -> str | None:
        """The table graph owning a subject (N-Triples form): claimed in this write, or in the store."""
        owner = self.claims.get(subject)
        if owner is not None or not self.stored_data:
            return owner
        for quad in self.store.quads_for_pattern(_subject_node(subject), ox.NamedNode(OWNED_BY), None, ox.NamedNode(OWNED_GRAPH)):
            return quad.object.value
        return None

    def _give_up(self, subject: str, owner: str) -> None:
        """The owner's statements about `subject` (all the default graph holds about it) go into its graph too; it owns it no more.

        When the owner's lines are still being gathered, this is done once their batch is loaded: a flush per
        take-over would make a bulk load of every table followed by a graph speaking of it (16x slower, measured)."""
        self.claims.pop(subject, None)
        gathered = self.batch_owned.pop(subject, None)
        if gathered is not None:
            # Its lines are in the batch being gathered: into the owner's graph with them; the mark goes once loaded.
            self.pending.append(_in_graph(gathered, owner))
            self.pending_lines += len(gathered)
            self.pending_give_ups.append((subject, owner))
            return
        self._flush_if_pending(owner)  # its lines may be loading in the background
        node, owner_node = _subject_node(subject), ox.NamedNode(owner)
        own = list(self.store.quads_for_pattern(node, None, None, ox.DefaultGraph()))
        self.store.extend(ox.Quad(q.subject, q.predicate, q.object, owner_node) for q in own)
        self._remove_mark(subject, owner)

    def _remove_mark(self, subject: str, owner: str) -> None:
        self.store.remove(ox.Quad(_subject_node(subject), ox.NamedNode(OWNED_BY), ox.NamedNode(owner), ox.NamedNode(OWNED_GRAPH)))

    def drop(self, graph: str) -> None:
        target = _named_node(graph)
        self.touched.add(graph)
        if graph == ONTOLOGY_IRI:
            self._flush()
            old = self._stored_ontology_index()
            self._move_left_lines(old, {})
            self.vocabulary = {}
        self._clear(target)
        self.store.remove_graph(target)
        self.summary.replaced.pop(graph, None)
        self.summary.dropped.append(graph)

    def _clear(self, target: ox.NamedNode) -> None:
        """Empty a graph and its registry entry; its triples become candidates for leaving the union, and what its
        subjects owned said leaves the union now (only this table said it)."""
        self._flush_if_pending(target.value)
        if self.views.tracking:
            self.views.note(self.store, self._subjects_of(target))  # before they leave: the views' parts they were in
        self._disown(target)
        if not self.store.contains_named_graph(target):
            return
        old = list(self.store.quads_for_pattern(None, None, None, target))
        self.shared.update(hash(str(q.subject)) for q in old)  # they leave a graph at commit: nobody may own them before
        if any(isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode) for q in old):
            # A blank node's label would not survive the trip through text: these candidates go in as terms.
            candidates = ox.NamedNode(CANDIDATES_GRAPH)
            self.store.extend(ox.Quad(q.subject, q.predicate, q.object, candidates) for q in old)
        else:
            # As N-Quads text with the next bulk load, not a transaction per quad (5x faster when tables are replaced).
            self.pending.append("".join(f"{q.subject} {q.predicate} {q.object} <{CANDIDATES_GRAPH}> .\n" for q in old))
            self.pending_lines += len(old)
        self.store.clear_graph(target)
        for quad in list(self.store.quads_for_pattern(target, None, None, ox.NamedNode(REGISTRY_GRAPH))):
            self.store.remove(quad)

    def _subjects_of(self, target: ox.NamedNode) -> set[ox.Term]:
        """The subjects whose statements in the union a table graph answers for: those of its graph and those it owns."""
        subjects: set[ox.Term] = {quad.subject for quad in self.store.quads_for_pattern(None, None, None, target)}
        subjects.update(q.subject for q in self.store.quads_for_pattern(None, ox.NamedNode(OWNED_BY), target, ox.NamedNode(OWNED_GRAPH)))
        return subjects

    def _disown(self, target: ox.NamedNode) -> None:
        """Remove from the union every statement about the subjects a table owns, and the ownership marks."""
        owned = ox.NamedNode(OWNED_GRAPH)
        subjects = [q.subject for q in self.store.quads_for_pattern(None, ox.NamedNode(OWNED_BY), target, owned)]
        if not subjects:
            return
        self.store.update(f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH <{OWNED_GRAPH}> {{ ?s <{OWNED_BY}> {target} }} ?s ?p ?o }}")
        self.store.update(f"DELETE WHERE {{ GRAPH <{OWNED_GRAPH}> {{ ?s <{OWNED_BY}> {target} }} }}")
        for subject in subjects:
            self.claims.pop(str(subject), None)

    def _flush_if_pending(self, graph: str) -> None:
        if graph in self.pending_graphs or (self.loading is not None and graph in self.loading.graphs):
            self._flush()

    def _flush(self, wait: bool = True) -> None:
        """Bulk-load what is gathered; with `wait=False` in the background, while the caller gathers the next batch
        (the loader runs without Python's lock, so mapping and loading overlap). One batch loads at a time."""
        self._finish_loading()
        if self.pending:
            self.loaded_chars += sum(map(len, self.pending))
            self.loading = _BackgroundLoad(self.store, _utf8_text(self.pending), self.pending_graphs, self.pending_sources)
            self.loading.give_ups, self.pending_give_ups = self.pending_give_ups, []
        self.batch_owned = {}
        self.pending, self.pending_lines, self.pending_graphs, self.pending_sources = [], 0, set(), []
        if wait:
            self._finish_loading()

    def _finish_loading(self) -> None:
        if self.loading is not None:
            try:
                self.loading.wait()  # interrupted (Ctrl-C), the batch stays in flight: abort() waits for it before deleting the build
            except StoreError:
                self.loading = None
                raise
            loaded, self.loading = self.loading, None
            for subject, owner in loaded.give_ups:
                self._remove_mark(subject, owner)

    def commit(self) -> WriteSummary:
        """Bring the union up to date and switch the new generation in (one rename)."""
        self._flush()
        # A candidate leaves the union only if no data graph holds it any more.
        self.store.update(f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH <{CANDIDATES_GRAPH}> {{ ?s ?p ?o }} "
                          f'FILTER NOT EXISTS {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(!STRSTARTS(STR(?g), "{INTERNAL_PREFIX}")) }} }}')
        self.store.remove_graph(ox.NamedNode(CANDIDATES_GRAPH))
        self._keep_views()
        if self.build is not None:
            self._compact_if_due()
        self.store.flush()
        if self.build is not None:
            self.store = None  # type: ignore[assignment]  # closes the new generation before it is renamed
            self.backend._switched(self.build)
        self.done = True
        return self.summary

    def _keep_views(self) -> None:
        """Bring the views up to date with the union as this write leaves it (stores/views.py)."""
        for graph in sorted(self.rewritten):
            if not self.views.tracking:
                break
            target = _named_node(graph)
            if self.store.contains_named_graph(target):
                self.views.note(self.store, self._subjects_of(target))
        self.summary.view_rows = self.views.commit(self.store)

    def _compact_if_due(self) -> None:
        """Compact the new generation (Oxigraph's `optimize`) once enough has been bulk-loaded since the last time.

        Each bulk load adds sorted files whose keys overlap every earlier load's, and RocksDB leaves
        many of them side by side; every index lookup then probes each of them. Measured on 10,000
        generated projects: category-counts-by-agency 33 s before and 14.5 s after one `optimize`
        (which took 35 s), validation 108 s and 75 s (load average 8). A compaction rewrites the
        whole store, so it is done when the text loaded since the last one (the "debt", kept in the
        registry across writes) reaches COMPACT_SHARE of the store's size then, and at least
        COMPACT_MIN_BYTES: a write of a few tables into a large store does not rewrite it, and the
        cost stays proportional to what was loaded.

        The view rows this write bulk-loaded (views made whole: a first write, new view definitions, a changed
        vocabulary) count toward the debt, and are also enough alone once they reach COMPACT_MIN_BYTES. They are few
        beside a large store (1.4 million quads, about 3 % of the 100,000-project store on disk), but they are all that
        the viewed aggregates read, and every lookup probes their files: at 100,000 projects, the five viewed aggregates
        took up to 1.1 s uncompacted and 0.29-0.90 s after one `optimize()` (23.8 CPU-s), and validation a fifth
        less. Making the views whole costs an evaluation over the whole store (180-410 CPU-s there), so the
        compaction, which also grows with the store, adds a bounded share to such a write.
        """
        assert self.build is not None
        views_loaded = self.views.bulk_loaded_chars
        debt = _registry_number(self.store, LOADED_SINCE_COMPACTION) + self.loaded_chars + views_loaded
        size_then = _registry_number(self.store, SIZE_AT_COMPACTION)
        if debt >= max(COMPACT_MIN_BYTES, COMPACT_SHARE * size_then) or views_loaded >= COMPACT_MIN_BYTES:
            self.store.flush()
            self.store.optimize()
            size_then, debt = _disk_bytes(self.build), 0
        _set_store_fact(self.store, LOADED_SINCE_COMPACTION, ox.Literal(str(debt), datatype=_XSD_INTEGER))
        _set_store_fact(self.store, SIZE_AT_COMPACTION, ox.Literal(str(size_then), datatype=_XSD_INTEGER))

    def abort(self) -> None:
        """Forget the write: the store stays as it was (on disk; in memory, what was put stays, and no view is current)."""
        if self.done:
            return
        self.done = True
        self.pending = []
        with contextlib.suppress(Exception):  # the write is forgotten whatever its last batch did
            self._finish_loading()
        if self.build is not None:
            self.store = None  # type: ignore[assignment]
            generations.discard(self.build)
        else:
            # In memory the write changed the store in place, and nothing undoes it: the union holds what was applied,
            # the views what they held before (or some parts brought up to date). Not current, they are not read, and
            # the next write makes them whole.
            forget_views(self.store)


def _as_stored(lines: Sequence[str]) -> list[str]:
    """N-Triples lines as the store gives them back (one space between terms, no escapes in IRIs).

    The vocabulary index must count positions in the text the next write reads back from the ontology graph: a
    user's file (`replace_graph`) may separate terms by tabs or escape an IRI's characters, and positions counted
    in that text name other lines once the index is made again from the store (seen: a table's line left to the
    ontology lost from it after the ontology was replaced from a tab-separated file)."""
    return [_stored_line(t) for t in ox.parse(input="".join(lines), format=ox.RdfFormat.N_TRIPLES)]


def _stored_line(statement: ox.Triple | ox.Quad) -> str:
    """A statement as the N-Triples line the vocabulary index counts (the store's own text of its terms)."""
    return f"{statement.subject} {statement.predicate} {statement.object} .\n"


_EMPTY = ox.Store()  # what a store holds before its first write

# N-Quads lines buffered before one bulk load (about 100 MB of text).
BULK_BATCH_LINES = 400_000

# Shared lines a write remembers having loaded into the union (16-byte digests, about 100 bytes each in a set).
UNION_MEMORY = 2_000_000

ONTOLOGY_IRI = str(ONTOLOGY_GRAPH)
ONTOLOGY_NODE = ox.NamedNode(ONTOLOGY_IRI)

# When a write compacts the store (see OxigraphWriter._compact_if_due): the N-Quads text loaded since
# the last compaction reaches this share of the store's size on disk then, and at least this many bytes
# (1,000 generated projects are about 180 MB of N-Quads; the seed about 1 MB).
COMPACT_SHARE = 0.25
COMPACT_MIN_BYTES = 64_000_000
LOADED_SINCE_COMPACTION = "urn:jixiao:loadedSinceCompaction"
SIZE_AT_COMPACTION = "urn:jixiao:sizeAtCompaction"


def _registry_number(store: ox.Store, predicate: str) -> int:
    """A whole number the registry keeps about the store itself (0 if none)."""
    for quad in store.quads_for_pattern(ox.NamedNode(FORMAT_SUBJECT), ox.NamedNode(predicate), None, ox.NamedNode(REGISTRY_GRAPH)):
        return int(quad.object.value)
    return 0


def _set_store_fact(store: ox.Store, predicate: str, value: ox.Literal) -> None:
    """The registry's one value of `predicate` about the store itself, replacing any other."""
    subject, prop, registry = ox.NamedNode(FORMAT_SUBJECT), ox.NamedNode(predicate), ox.NamedNode(REGISTRY_GRAPH)
    for quad in list(store.quads_for_pattern(subject, prop, None, registry)):
        store.remove(quad)
    store.add(ox.Quad(subject, prop, value, registry))


def _utf8_text(pieces: list[str]) -> bytes:
    """The pieces' text as UTF-8, each piece let go as soon as it is encoded (the list is emptied).

    The bulk loader reads UTF-8: given one joined `str`, it held the text three times over at the batch's
    height (the pieces, their join, which takes two bytes a character for Chinese text, and the UTF-8
    copy Python caches in it for the loader); encoded piece by piece, the pieces or their bytes, then
    the bytes joined, and only those while they load. (A bytearray is read by pyoxigraph item by item:
    at 1,000 projects 2-3 times the whole write's CPU.)"""
    pieces.reverse()
    encoded: list[bytes] = []
    while pieces:
        encoded.append(pieces.pop().encode("utf-8"))
    return b"".join(encoded)


def _disk_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.iterdir() if path.is_file())


class _BackgroundLoad:
    """One batch of N-Quads text bulk-loaded in a thread; `wait()` returns when it is in, or raises its error."""

    def __init__(self, store: ox.Store, text: bytes, graphs: set[str], sources: list[str]) -> None:
        self.graphs, self.sources = graphs, sources
        self.give_ups: list[tuple[str, str]] = []  # (subject, owner) taken over while this batch was gathered: marks removed once it is in
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._load, args=(store, text), name="jixiao-bulk-load", daemon=True)
        self.thread.start()

    def _load(self, store: ox.Store, text: bytes) -> None:
        try:
            store.bulk_load(input=text, format=ox.RdfFormat.N_QUADS)
        except BaseException as error:  # handed to the writer's thread by wait()
            self.error = error

    def wait(self) -> None:
        self.thread.join()
        if isinstance(self.error, SyntaxError):
            # Lines come from the mapper or from RDF already parsed, so this is a bug, not bad input; the write is discarded.
            raise StoreError(f"invalid N-Triples among the graphs of {', '.join(self.sources[:3])}: {self.error}") from self.error
        if self.error is not None:
            raise self.error


def _subject_node(subject: str) -> ox.NamedNode:
    """An IRI subject in N-Triples form (`<iri>`) as an Oxigraph term."""
    return ox.NamedNode(subject[1:-1])


def _in_graph(lines: Sequence[str], graph: str) -> str:
    """N-Triples lines as N-Quads text in `graph`. Lines ending " .\n" (all the mapper's) are rewritten
    in one pass over the joined text: a literal never holds a raw line break, so " .\n" is only ever a line's end."""
    text = "".join(lines)
    suffix = f" <{graph}> .\n"
    if text.count(" .\n") == len(lines) and text.endswith(" .\n"):
        return text.replace(" .\n", suffix)
    return "".join(line.rstrip()[:-1].rstrip() + suffix for line in lines)


def _literal_quad(predicate: str, value: str) -> str:
    """`<predicate> "value"` in N-Triples syntax (Oxigraph's own writing of the literal: an rdflib Literal cost a tenth
    of `put`'s CPU for the few registry statements of each table)."""
    return f"<{predicate}> {ox.Literal(value)}"


def read_registry(store: ox.Store) -> list[TableRecord]:
    values: dict[str, dict[str, str]] = {}
    for quad in store.quads_for_pattern(None, None, None, ox.NamedNode(REGISTRY_GRAPH)):
        if isinstance(quad.subject, ox.NamedNode) and quad.subject.value != FORMAT_SUBJECT:
            values.setdefault(quad.subject.value, {})[quad.predicate.value] = quad.object.value
    return [record_from(graph, found) for graph, found in sorted(values.items())]


def _rdflib_triple(triple: ox.Triple) -> Triple:
    return (to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object))


# Terms converted once per answer and reused: a listing repeats the same units, labels and
# vocabulary terms on row after row (indicators at 1,000 projects: 143,000 cells, 1,238 distinct
# terms), and building an rdflib Literal is the slow part of a row. Cleared when this full, so an
# answer of ever new terms (IRIs of every indicator) does not grow it without bound.
TERM_CACHE_SIZE = 50_000


def _rows(result: ox.QuerySolutions, variables: list[str]) -> Iterator[dict[str, Node | None]]:
    """Results converted lazily, row by row, so large answers are never held whole."""
    converted: dict[Any, Node] = {}
    for solution in result:
        row: dict[str, Node | None] = {}
        # A solution iterates its terms in the order of result.variables (faster than by name).
        for name, term in zip(variables, solution, strict=True):
            if term is None:
                row[name] = None
                continue
            known = converted.get(term)
            if known is None:
                if len(converted) >= TERM_CACHE_SIZE:
                    converted.clear()
                known = converted[term] = to_rdflib(term)
            row[name] = known
        yield row


def term_parts(term: Any) -> TermParts:
    """An Oxigraph term as plain strings (TermParts): the same IRI, label, lexical form, datatype and tag to_rdflib reads."""
    if isinstance(term, ox.NamedNode):
        return TermParts("iri", term.value)
    if isinstance(term, ox.Literal):
        language = term.language
        if language:
            return TermParts("literal", term.value, "", language)
        return TermParts("literal", term.value, term.datatype.value)
    if isinstance(term, ox.BlankNode):
        return TermParts("bnode", term.value)
    raise StoreError(f"unsupported RDF term in a result: {term!r}")
