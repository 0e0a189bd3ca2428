"""A remote SPARQL 1.1 server (Virtuoso, Oxigraph server, Fuseki, GraphDB or another) as a QueryBackend.

- `endpoint`: RemoteEndpoint, queries and whole-graph replacement;
- `sparql`: SELECT and ASK queries through SPARQLWrapper (and the rule for which queries go through httpx);
- `client`: the httpx client (updates, Graph Store, uploads, Digest-protected queries), retries, errors in words;
- `results`: SPARQL JSON results parsed incrementally (ijson) into rdflib terms;
- `dialects`: what differs between servers (URLs, union default graph, limits, authentication).
"""

from jixiao.stores.remote.dialects import DIALECTS, FUSEKI, GENERIC, GRAPHDB, OXIGRAPH, VIRTUOSO, Dialect, EndpointError, EndpointUrls, detect_urls
from jixiao.stores.remote.endpoint import MAX_BATCH, TEMP_GRAPH_PREFIX, RemoteEndpoint
from jixiao.stores.remote.results import json_term, read_select_results

__all__ = [
    "DIALECTS",
    "FUSEKI",
    "GENERIC",
    "GRAPHDB",
    "MAX_BATCH",
    "OXIGRAPH",
    "TEMP_GRAPH_PREFIX",
    "VIRTUOSO",
    "Dialect",
    "EndpointError",
    "EndpointUrls",
    "RemoteEndpoint",
    "detect_urls",
    "json_term",
    "read_select_results",
]
