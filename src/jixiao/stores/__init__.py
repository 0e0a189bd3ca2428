"""Where the graph is kept and queried: in memory (rdflib), embedded (Oxigraph) or on a SPARQL 1.1 server.

The public face of the stores: the backend protocol and its SELECT result, the in-memory backend,
`open_backend` (the backend the command line's options name, from the registry of backends) and
the loader that puts sources into a store graph by graph. The embedded and remote backends live in
`jixiao.stores.oxigraph` and `jixiao.stores.remote`, imported only when one is opened.
"""

from jixiao.stores.base import QueryBackend, SelectResult, inject_values, values_block
from jixiao.stores.loading import LoadedGraph, NTriplesWriter, load_ontology, load_sources, shared_graph_iri, source_graph_iri
from jixiao.stores.memory import MemoryBackend
from jixiao.stores.registry import backend_class, open_backend, register, registered

__all__ = [
    "LoadedGraph",
    "MemoryBackend",
    "NTriplesWriter",
    "QueryBackend",
    "SelectResult",
    "backend_class",
    "inject_values",
    "load_ontology",
    "load_sources",
    "open_backend",
    "register",
    "registered",
    "shared_graph_iri",
    "source_graph_iri",
    "values_block",
]
