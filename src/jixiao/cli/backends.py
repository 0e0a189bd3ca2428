"""Where a command's queries run and its data go: the one place the CLI opens a backend.

A query runs over a remote endpoint, an embedded Oxigraph store, or DATA read into memory;
`ingest --store` and `load` write into the first two.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jixiao.cli.shared import data_files
from jixiao.errors import UsageError
from jixiao.stores import QueryBackend, open_backend


def open_store(store_dir: Path, read_only: bool = False, must_exist: bool = False) -> QueryBackend:
    """The embedded Oxigraph store in `store_dir` (created by the first write, required when reading)."""
    if (read_only or must_exist) and not store_dir.is_dir():
        raise UsageError(f"no store at {store_dir} (create it with: jixiao ingest FILES --store {store_dir})")
    return open_backend(store=store_dir, read_only=read_only)


def open_endpoint(endpoint: str, user: str | None, password: str | None, update_url: str | None = None,
                  gsp_url: str | None = None, allow_basic_over_http: bool = False, **options: Any) -> QueryBackend:
    """A SPARQL 1.1 endpoint (update and Graph Store URLs derived from it unless given; `options` go to the backend, e.g. bulk_load)."""
    return open_backend(endpoint=endpoint, update_url=update_url, gsp_url=gsp_url, user=user, password=password,
                        allow_basic_over_http=allow_basic_over_http, **options)


def open_memory(data: tuple[str, ...], base: str, year: int | None, needs_reasoning: bool) -> QueryBackend:
    """DATA read into memory, with the ontology's entailments when the query may rely on them.

    Stores hold what was loaded, so for them run `jixiao reason` before loading.
    """
    # Imported here: the reader and mapper are a fifth of every command's start-up, and a query on
    # a store or an endpoint never needs them.
    from jixiao.graph import load_graph, materialise

    data_files(data)  # refused before anything is read
    graph = load_graph(data, base, year)
    if needs_reasoning:
        materialise(graph)
    return open_backend(graph=graph)


def query_backend(data: tuple[str, ...], endpoint: str | None, store_dir: Path | None, base: str, year: int | None,
                  user: str | None, password: str | None, needs_reasoning: bool = False, *,
                  allow_basic_over_http: bool = False) -> QueryBackend:
    """Where a query runs: exactly one of DATA, an endpoint, a store."""
    if sum(bool(x) for x in (data, endpoint, store_dir)) != 1:
        raise UsageError("give exactly one of: DATA files, --endpoint URL, --store DIR")
    if endpoint:
        return open_endpoint(endpoint, user, password, allow_basic_over_http=allow_basic_over_http)
    if store_dir is not None:
        return open_store(store_dir, read_only=True)
    return open_memory(data, base, year, needs_reasoning)
