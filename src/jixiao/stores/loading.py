"""Put DATA into a store: one named graph per source file, the ontology in a graph of its own.

Re-loading a file replaces its graph (never duplicates it). Each graph is first written as
N-Triples to a temporary file, then handed to the backend's `replace_graph`, which swaps it in
only once the whole file has loaded, so a failure leaves the previous contents in place.

The loader does not read tables or RDF files: the caller gives it the files and a function that
writes one file's triples as N-Triples (the command line uses jixiao.graph.build's), so storing
depends on no reader.

Entities that several files describe (budget units, units of measure minted for unknown units)
go to one shared graph instead, merged with what it already holds: stores present the union of
their named graphs as a bag, so the same triple in two file graphs would be counted twice.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from rdflib import URIRef

from jixiao.namespaces import DEFAULT_BASE, ONTOLOGY_GRAPH
from jixiao.resources import ontology_files
from jixiao.stores.base import QueryBackend
from jixiao.vocabulary import load_ontology_graph

NTriplesWriter = Callable[[Path, Path], None]
"""Writes the triples of one source file (first path) as N-Triples into a new file (second path)."""


# Subjects minted by mapping.py for entities shared across files: <BASE/agency/HASH>, <BASE/unit/HASH>.
_SHARED_SUBJECT = re.compile(r"^<[^>]*/(?:agency|unit)/[0-9a-f]{16}> ")


@dataclass(frozen=True)
class LoadedGraph:
    source: str
    graph: str
    triples: int


def source_graph_iri(path: Path, base: str = DEFAULT_BASE) -> str:
    """The named graph of a source file: from its absolute path, so re-ingesting it replaces it."""
    base = base if base.endswith(("/", "#")) else base + "/"
    digest = hashlib.sha1(str(path.resolve()).encode("utf-8")).hexdigest()[:16]
    return f"{base}graph/{digest}"


def shared_graph_iri(base: str = DEFAULT_BASE) -> str:
    base = base if base.endswith(("/", "#")) else base + "/"
    return f"{base}graph/shared"


def _split_shared(ntriples: Path) -> list[str]:
    """Remove the shared entities' lines from an N-Triples file; return them."""
    own: list[str] = []
    shared: list[str] = []
    with ntriples.open(encoding="utf-8") as lines:
        for line in lines:
            (shared if _SHARED_SUBJECT.match(line) else own).append(line)
    ntriples.write_text("".join(own), encoding="utf-8")
    return shared


def _merge_shared(backend: QueryBackend, base: str, lines: list[str]) -> LoadedGraph | None:
    """Add triples to the shared graph, keeping what it already holds (a graph is a set)."""
    if not lines:
        return None
    iri = shared_graph_iri(base)
    current = backend.select("SELECT ?s ?p ?o WHERE { GRAPH ?graph { ?s ?p ?o } }", {"graph": URIRef(iri)})
    held = [f"{row['s'].n3()} {row['p'].n3()} {row['o'].n3()} .\n" for row in current.rows]  # type: ignore[union-attr]
    with _ntriples_file() as target:
        target.write_text("".join(dict.fromkeys(held + lines)), encoding="utf-8")
        return LoadedGraph("shared entities", iri, backend.replace_graph(iri, target))


@contextmanager
def _ntriples_file() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="jixiao-load-") as directory:
        yield Path(directory) / "graph.nt"


def load_ontology(backend: QueryBackend) -> LoadedGraph:
    """(Re)load the ontology, framework and units into their own graph."""
    with _ntriples_file() as target:
        load_ontology_graph().serialize(target, format="nt", encoding="utf-8")
        count = backend.replace_graph(str(ONTOLOGY_GRAPH), target)
    return LoadedGraph(", ".join(p.name for p in ontology_files()), str(ONTOLOGY_GRAPH), count)


def load_sources(backend: QueryBackend, files: Sequence[Path], write_ntriples: NTriplesWriter, base: str = DEFAULT_BASE,
                 graph: str | None = None, progress: Callable[[list[Path]], list[Path]] | None = None) -> list[LoadedGraph]:
    """Load each file into its own graph (or all into `graph`), after the ontology."""
    loaded = [load_ontology(backend)]
    if graph is not None:
        with _ntriples_file() as target:
            _concatenate(files, target, write_ntriples)
            loaded.append(LoadedGraph(f"{len(files)} files", graph, backend.replace_graph(graph, target)))
        return loaded
    shared: list[str] = []
    for path in progress(list(files)) if progress else files:
        with _ntriples_file() as target:
            write_ntriples(path, target)
            shared += _split_shared(target)
            iri = source_graph_iri(path, base)
            loaded.append(LoadedGraph(str(path), iri, backend.replace_graph(iri, target)))
    merged = _merge_shared(backend, base, shared)
    return [*loaded, merged] if merged else loaded


def _concatenate(files: Sequence[Path], target: Path, write_ntriples: NTriplesWriter) -> None:
    with target.open("w", encoding="utf-8") as out:
        for path in files:
            part = target.with_suffix(".part.nt")
            write_ntriples(path, part)
            out.write(part.read_text(encoding="utf-8"))
            part.unlink()
