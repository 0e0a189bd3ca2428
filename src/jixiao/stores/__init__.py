"""Where the graph is kept and queried: in memory (rdflib), embedded (Oxigraph) or on a SPARQL 1.1 server.

The public face of the stores: the backend protocol, its SELECT result and its writer, the
in-memory backend, `open_backend` (the backend the command line's options name, from the
registry of backends), the registry of tables a store keeps, and the loader that puts the
mapper's chunks into a store and drops tables again. The embedded and remote backends live in
`jixiao.stores.oxigraph` and `jixiao.stores.remote`, imported only when one is opened.
"""

from jixiao.stores.base import QueryBackend, SelectResult, StoreWriter, inject_values, values_block
from jixiao.stores.loading import (
    Duplicate,
    LoadReport,
    drop_tables,
    file_hash,
    put_ontology,
    rdf_graph_iri,
    read_ntriples,
    select_tables,
    store_chunks,
    store_graph_file,
)
from jixiao.stores.memory import MemoryBackend
from jixiao.stores.registry import backend_class, open_backend, register, registered
from jixiao.stores.tables import TableRecord, WriteSummary

__all__ = [
    "Duplicate",
    "LoadReport",
    "MemoryBackend",
    "QueryBackend",
    "SelectResult",
    "StoreWriter",
    "TableRecord",
    "WriteSummary",
    "backend_class",
    "drop_tables",
    "file_hash",
    "inject_values",
    "open_backend",
    "put_ontology",
    "rdf_graph_iri",
    "read_ntriples",
    "register",
    "registered",
    "select_tables",
    "store_chunks",
    "store_graph_file",
    "values_block",
]
