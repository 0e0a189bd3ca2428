"""Where the published data come from: DATA files, an embedded store or a remote endpoint."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rdflib import Graph

from jixiao.errors import UsageError
from jixiao.graph import load_graph
from jixiao.publish.dataset import Dataset
from jixiao.publish.workers import Limits, Source, WorkerPool


def data_graph(data: tuple[str, ...], base: str, year: int | None) -> Graph:
    """DATA (tables ingested, RDF parsed) with the ontology, as `jixiao query` reads them."""
    return load_graph(data, base, year)


@contextmanager
def open_dataset(data: tuple[str, ...], store: Path | None, endpoint: str | None, base: str, year: int | None,
                 limits: Limits, workers: int, graph: Graph | None = None, **endpoint_options: Any) -> Iterator[Dataset]:
    """A dataset over exactly one of DATA, a store, an endpoint; its workers stop on exit."""
    if sum(bool(x) for x in (data, store, endpoint)) != 1:
        raise UsageError("give exactly one of: DATA files, --store DIR, --endpoint URL")
    with tempfile.TemporaryDirectory(prefix="jixiao-serve-") as scratch:
        if data:
            ntriples = Path(scratch) / "data.nt"
            (graph if graph is not None else data_graph(data, base, year)).serialize(ntriples, format="nt", encoding="utf-8")
            source = Source(ntriples=ntriples)
        elif store is not None:
            if not store.is_dir():
                raise UsageError(f"no store at {store} (create it with: jixiao ingest FILES --store {store})")
            source = Source(store=store)
        else:
            # The HTTP client waits no longer than the time limit either (the worker is stopped then anyway).
            source = Source(endpoint=endpoint, options={**endpoint_options, "timeout": limits.seconds})
        pool = WorkerPool(source, limits, workers)
        try:
            yield Dataset(pool, base)
        finally:
            pool.close()
