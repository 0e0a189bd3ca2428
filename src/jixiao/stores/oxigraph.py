"""The embedded persistent store: pyoxigraph (RocksDB on disk, or in memory) as a QueryBackend.

One named graph per source file, the ontology in its own graph; queries see the union of all
graphs as their default graph. Terms come back as rdflib terms with datatype and language tag
exactly as stored (Oxigraph canonicalises lexical forms on load, e.g. "1.50" -> "1.5", so compare
numbers by value). Parameters go in as a VALUES block of serialised RDF terms (`inject_values`),
never as the user's raw text.

Replacing a graph never loses its previous contents when the new file is bad: the file is loaded
into a temporary graph (or straight into the target when the target does not exist yet), and
the swap is one SPARQL Update, which Oxigraph runs as one transaction. Graphs too big for one
transaction (ATOMIC_REPLACE_MAX_*) are checked by a full parse first, then cleared and reloaded.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from jixiao.errors import InputError
from jixiao.stores.base import SelectResult, StoreError, Triple, inject_values

# Graphs under this prefix hold a file while it is being loaded; they are never listed and
# are removed when a store is opened for writing (only one process can hold a store open).
TEMP_GRAPH_PREFIX = "urn:jixiao:tmp:"

# Up to this size a file is parsed in memory and inserted in one transaction (all or nothing);
# larger files go through bulk_load, which writes as it parses, so a failure needs a clean-up.
TRANSACTIONAL_LOAD_MAX_BYTES = 64 * 1024 * 1024

# An existing graph is replaced in one transaction (readers never see it half-replaced) while the
# new file and the old graph stay below these sizes (replacing 12k triples that way took 1.1 s,
# 100k took 18 s); bigger ones go through _replace_large (0.6 s and 5 s).
ATOMIC_REPLACE_MAX_BYTES = 2 * 1024 * 1024
ATOMIC_REPLACE_MAX_TRIPLES = 20_000

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"



def to_rdflib(term: Any) -> Node:
    """An Oxigraph term as the equal rdflib term (plain literals stay plain, tags stay tags)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        # RDF 1.1: "x" and "x"^^xsd:string are one term; rdflib writes the first form.
        if datatype in (_XSD_STRING, _RDF_LANG_STRING):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise StoreError(f"unsupported RDF term in a result: {term!r}")


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


def _named_node(iri: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(iri)
    except ValueError as error:
        raise StoreError(f"not a valid graph IRI {iri!r}: {error}") from error


class OxigraphBackend:
    """A pyoxigraph store at `path` (created if missing), or in memory when `path` is None.

    A store directory can be open for writing in only one process at a time (RocksDB lock);
    `read_only=True` opens it for queries alongside no writer.
    """

    def __init__(self, path: Path | None = None, *, read_only: bool = False) -> None:
        self.path = Path(path) if path is not None else None
        self._store: ox.Store | None = self._open(self.path, read_only)
        self.read_only = read_only
        if not read_only:
            self._drop_stale_temp_graphs()

    @staticmethod
    def _open(path: Path | None, read_only: bool) -> ox.Store:
        if path is None:
            return ox.Store()
        try:
            if read_only:
                return ox.Store.read_only(str(path))
            path.mkdir(parents=True, exist_ok=True)
            return ox.Store(str(path))
        except OSError as error:
            # The usual cause: another jixiao process has the store open (RocksDB LOCK).
            raise StoreError(f"cannot open the store {path}: {error}") from error

    @property
    def store(self) -> ox.Store:
        """The open pyoxigraph store (raises after close())."""
        if self._store is None:
            raise StoreError("the store is closed")
        return self._store

    # ---- queries ---------------------------------------------------------------------------

    def _query(self, query: str) -> Any:
        try:
            return self.store.query(query, use_default_graph_as_union=True)
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

    def count(self, graph_iri: str) -> int:
        """Triples in one named graph."""
        graph = _named_node(graph_iri)
        result = self.store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}")
        assert isinstance(result, ox.QuerySolutions)
        for solution in result:
            return int(solution["n"].value)  # type: ignore[union-attr]
        return 0

    def graph_names(self) -> list[str]:
        return sorted(graph.value for graph in self.store.named_graphs() if isinstance(graph, ox.NamedNode) and not graph.value.startswith(TEMP_GRAPH_PREFIX))

    # ---- loading ---------------------------------------------------------------------------

    def replace_graph(self, graph_iri: str, ntriples_path: Path) -> int:
        """Make the named graph hold exactly the triples of an N-Triples file; return its size.

        A bad file (syntax error, unreadable) raises InputError/StoreError and leaves the graph as
        it was.
        """
        if self.read_only:
            raise StoreError(f"the store {self.path} is open read-only")
        target = _named_node(graph_iri)
        path = Path(ntriples_path)
        if not path.is_file():
            raise InputError(str(path), None, "no such file")
        if not self.store.contains_named_graph(target):
            # Nothing to preserve: load straight into the target, removed again on failure.
            self._load(path, target)
        elif path.stat().st_size > ATOMIC_REPLACE_MAX_BYTES or self.count(graph_iri) > ATOMIC_REPLACE_MAX_TRIPLES:
            self._replace_large(path, target)
        else:
            temporary = ox.NamedNode(TEMP_GRAPH_PREFIX + uuid.uuid4().hex)
            self._load(path, temporary)
            try:
                # One update = one transaction: the target is never seen half-replaced. The DROP
                # is explicit because MOVE SILENT from a missing (empty-file) graph does nothing.
                self.store.update(f"DROP SILENT GRAPH {target} ; MOVE SILENT GRAPH {temporary} TO GRAPH {target}")
            except BaseException as error:
                self._remove_quietly(temporary)
                if isinstance(error, (OSError, RuntimeError)):
                    raise StoreError(f"replacing graph <{graph_iri}> failed: {error}") from error
                raise
        return self.count(graph_iri)

    def _replace_large(self, path: Path, target: ox.NamedNode) -> None:
        """Replace a big graph: check the whole file first, then clear the graph and bulk-load.

        One transaction would keep everything in memory and slows down with size (replacing 100k
        triples took 15 s, 900k took 318 s; this way 900k take about a minute). A bad file is
        found by the full parse before anything is touched; only a crash or a full disk between
        the clear and the end of the load can leave the graph incomplete, and loading the file
        again repairs that.
        """
        _check_syntax(path)
        self.store.remove_graph(target)
        try:
            self.store.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES, to_graph=target)
        except (OSError, RuntimeError, SyntaxError, ValueError) as error:
            raise StoreError(f"loading {path} into <{target.value}> failed after its old triples were removed: {error}; load the file again") from error

    def _load(self, path: Path, graph: ox.NamedNode) -> None:
        """Parse an N-Triples file into `graph`; on any failure `graph` is removed again."""
        try:
            if path.stat().st_size <= TRANSACTIONAL_LOAD_MAX_BYTES:
                self.store.load(path=str(path), format=ox.RdfFormat.N_TRIPLES, to_graph=graph)
            else:
                self.store.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES, to_graph=graph)
        except BaseException as error:
            # load() is all-or-nothing, bulk_load() is not; `graph` is new either way, so
            # removing it restores the state before the call.
            self._remove_quietly(graph)
            if isinstance(error, SyntaxError):
                message = getattr(error, "msg", None) or str(error)
                raise InputError(str(path), error.lineno, f"not valid N-Triples: {message}") from error
            if isinstance(error, UnicodeDecodeError):
                raise InputError(str(path), None, f"not UTF-8: {error}") from error
            if isinstance(error, (OSError, RuntimeError, ValueError)):
                raise StoreError(f"loading {path} failed: {error}") from error
            raise

    def _remove_quietly(self, graph: ox.NamedNode) -> None:
        # The original error is the one worth reporting.
        with contextlib.suppress(OSError, RuntimeError, StoreError):
            self.store.remove_graph(graph)

    def _drop_stale_temp_graphs(self) -> None:
        # Left behind only by a process killed mid-load; they would otherwise show up in the
        # union default graph as duplicates.
        for graph in list(self.store.named_graphs()):
            if isinstance(graph, ox.NamedNode) and graph.value.startswith(TEMP_GRAPH_PREFIX):
                self.store.remove_graph(graph)

    # ---- life cycle ------------------------------------------------------------------------

    def close(self) -> None:
        if self._store is not None:
            if not self.read_only:
                self._store.flush()
            # Dropping the last reference closes RocksDB and releases the directory lock.
            self._store = None

    def __enter__(self) -> OxigraphBackend:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _check_syntax(path: Path) -> None:
    """Parse the whole file without storing it; raise InputError at the first bad line."""
    try:
        for _ in ox.parse(path=str(path), format=ox.RdfFormat.N_TRIPLES):
            pass
    except SyntaxError as error:
        raise InputError(str(path), error.lineno, f"not valid N-Triples: {getattr(error, 'msg', None) or error}") from error
    except UnicodeDecodeError as error:
        raise InputError(str(path), None, f"not UTF-8: {error}") from error
    except OSError as error:
        raise StoreError(f"cannot read {path}: {error}") from error


def _rdflib_triple(triple: ox.Triple) -> Triple:
    return (to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object))


def _rows(result: ox.QuerySolutions, variables: list[str]) -> Iterator[dict[str, Node | None]]:
    """Results converted lazily, row by row, so large answers are never held whole."""
    for solution in result:
        row: dict[str, Node | None] = {}
        for name in variables:
            term = solution[name]
            row[name] = None if term is None else to_rdflib(term)
        yield row
