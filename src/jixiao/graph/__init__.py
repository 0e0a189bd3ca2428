"""The graph step: tables and RDF files into one rdflib graph (build), records into triples
(mapping), and the ontology's entailments (reason: the only entailment code in jixiao)."""

from jixiao.graph.build import (
    OUTPUT_FORMATS,
    RDF_FORMATS,
    Warn,
    atomic_output,
    expand,
    load_graph,
    output_format_for,
    table_chunks,
    write_chunks,
    write_graph,
)
from jixiao.graph.reason import (
    ENGINES,
    ReasoningError,
    compile_schema,
    disjointness_violations,
    graph_of,
    inferred,
    materialise,
    materialise_types,
)

__all__ = ["ENGINES", "OUTPUT_FORMATS", "RDF_FORMATS", "ReasoningError", "Warn", "atomic_output", "compile_schema",
           "disjointness_violations", "expand", "graph_of", "inferred", "load_graph", "materialise", "materialise_types",
           "output_format_for", "table_chunks", "write_chunks", "write_graph"]
