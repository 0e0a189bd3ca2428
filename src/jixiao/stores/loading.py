"""Put DATA into a store: one named graph per source file, the ontology in a graph of its own.

Re-loading a file replaces its graph (never duplicates it). Each graph is first written as
N-Triples to a temporary file, then handed to the backend's `replace_graph`, which swaps it in
only once the whole file has loaded, so a failure leaves the previous contents in place.

Entities that several files describe (budget units, units of measure minted for unknown units)
go to one shared graph instead, merged with what it already holds: stores present the union of
their named graphs as a bag, so the same triple in two file graphs would be counted twice.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph
from rdflib import URIRef

from jixiao.errors import InputError
from jixiao.graph.build import RDF_FORMATS, Warn, expand, table_chunks, write_chunks
from jixiao.namespaces import DEFAULT_BASE, ONTOLOGY_GRAPH
from jixiao.resources import ontology_files
from jixiao.stores.base import QueryBackend
from jixiao.vocabulary import load_ontology_graph

_OXIGRAPH_FORMATS = {"turtle": pyoxigraph.RdfFormat.TURTLE, "nt": pyoxigraph.RdfFormat.N_TRIPLES,
                     "xml": pyoxigraph.RdfFormat.RDF_XML, "n3": pyoxigraph.RdfFormat.N3}


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


def _to_ntriples(path: Path, target: Path, base: str, year: int | None, warn: Warn | None) -> None:
    rdf_format = RDF_FORMATS.get(path.suffix.lower())
    if rdf_format is None:
        write_chunks(table_chunks([path], base, year, warn), target, "nt")
    elif rdf_format in _OXIGRAPH_FORMATS:
        try:
            quads = pyoxigraph.parse(path=str(path), format=_OXIGRAPH_FORMATS[rdf_format])
            pyoxigraph.serialize((q.triple for q in quads), output=str(target), format=pyoxigraph.RdfFormat.N_TRIPLES)
        except SyntaxError as error:
            raise InputError(str(path), error.lineno, f"not valid RDF ({rdf_format}): {error.msg}") from error
    else:  # JSON-LD and the quad formats go through rdflib
        from rdflib import Graph

        Graph().parse(path, format=rdf_format).serialize(target, format="nt", encoding="utf-8")


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


def load_sources(backend: QueryBackend, inputs: list[str], base: str = DEFAULT_BASE, year: int | None = None,
                 graph: str | None = None, warn: Warn | None = None,
                 progress: Callable[[list[Path]], list[Path]] | None = None) -> list[LoadedGraph]:
    """Load each input file into its own graph (or all into `graph`), after the ontology."""
    files = expand(inputs)
    loaded = [load_ontology(backend)]
    if graph is not None:
        with _ntriples_file() as target:
            _concatenate(files, target, base, year, warn)
            loaded.append(LoadedGraph(f"{len(files)} files", graph, backend.replace_graph(graph, target)))
        return loaded
    shared: list[str] = []
    for path in progress(files) if progress else files:
        with _ntriples_file() as target:
            _to_ntriples(path, target, base, year, warn)
            shared += _split_shared(target)
            iri = source_graph_iri(path, base)
            loaded.append(LoadedGraph(str(path), iri, backend.replace_graph(iri, target)))
    merged = _merge_shared(backend, base, shared)
    return [*loaded, merged] if merged else loaded


def _concatenate(files: list[Path], target: Path, base: str, year: int | None, warn: Warn | None) -> None:
    with target.open("w", encoding="utf-8") as out:
        for path in files:
            part = target.with_suffix(".part.nt")
            _to_ntriples(path, part, base, year, warn)
            out.write(part.read_text(encoding="utf-8"))
            part.unlink()
