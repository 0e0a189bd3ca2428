"""Queries run in worker processes the server can abandon: the time limit and the result limit.

Neither pyoxigraph nor rdflib can interrupt a query once it runs, and a thread cannot be killed;
a process can. Each worker opens its own backend (the embedded store read-only, a remote
endpoint, or DATA loaded from an N-Triples file into an in-memory Oxigraph store) through the
`QueryBackend` protocol and answers one query at a time over a pipe. A query that takes longer
than the limit has its worker killed and replaced; the caller gets `QueryTimeout`. Answers are
cut at the result limit inside the worker, so a huge answer never crosses the pipe whole.
"""

from __future__ import annotations

import multiprocessing
import queue
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from rdflib.term import Node

from jixiao.errors import JixiaoError, message_of
from jixiao.stores.base import QueryBackend, Triple

# How long a new worker may take to open its backend (loading DATA into memory takes longest).
WORKER_START_SECONDS = 600.0
# The named graph DATA files are loaded into inside a worker.
DATA_GRAPH = "urn:jixiao:serve:data"


class QueryTimeout(JixiaoError):
    """The query ran longer than the time limit; its worker was stopped."""


class QueryFailed(JixiaoError):
    """The backend refused or failed the query (its message says why)."""


class ServerBusy(JixiaoError):
    """Every worker stayed busy for as long as the time limit: the query was not started."""


@dataclass(frozen=True)
class Source:
    """What each worker opens: exactly one of an embedded store, an endpoint, an N-Triples file."""

    store: Path | None = None
    endpoint: str | None = None
    ntriples: Path | None = None
    options: Mapping[str, Any] = field(default_factory=dict)  # endpoint options: user, password, ...

    def describe(self) -> str:
        return str(self.endpoint or self.store or "DATA")


@dataclass(frozen=True)
class Limits:
    seconds: float = 30.0
    rows: int = 10_000


@dataclass
class Answer:
    """A query's answer as plain data: SELECT rows, an ASK boolean or CONSTRUCT/DESCRIBE triples."""

    form: str
    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, Node | None]] = field(default_factory=list)
    boolean: bool = False
    triples: list[Triple] = field(default_factory=list)
    truncated: bool = False


def _open(source: Source) -> QueryBackend:
    from jixiao.stores import open_backend

    if source.endpoint is not None:
        return open_backend(endpoint=source.endpoint, **dict(source.options))
    if source.store is not None:
        return open_backend(store=source.store, read_only=True)
    if source.ntriples is None:
        raise ValueError("a Source needs a store, an endpoint or an N-Triples file")
    return _data_backend(source.ntriples)


def _data_backend(ntriples: Path) -> QueryBackend:
    # Oxigraph in memory rather than rdflib: the same engine as an embedded store, and far faster.
    from jixiao.stores.oxigraph import OxigraphBackend

    backend = OxigraphBackend(None, keep_views=False)  # its pages answer from the union (dataset.run_named), never a view
    backend.replace_graph(DATA_GRAPH, ntriples)
    return backend


def _answer(backend: QueryBackend, form: str, text: str, bindings: Mapping[str, Node], limit: int) -> Answer:
    if form == "ask":
        return Answer(form, boolean=backend.ask(text, bindings))
    if form in ("construct", "describe"):
        triples: list[Triple] = []
        for triple in backend.construct(text, bindings):
            if len(triples) == limit:
                return Answer(form, triples=triples, truncated=True)
            triples.append(triple)
        return Answer(form, triples=triples)
    result = backend.select(text, bindings)
    rows: list[dict[str, Node | None]] = []
    for row in result.rows:
        if len(rows) == limit:
            return Answer(form, result.variables, rows, truncated=True)
        rows.append(row)
    return Answer(form, result.variables, rows)


def worker_main(source: Source, connection: Connection, limit: int) -> None:
    """A worker's life: open the backend, say so, then answer queries until the pipe closes."""
    try:
        backend = _open(source)
    except Exception as error:  # reported to the parent, which shows it as one line
        connection.send(("failed", message_of(error)))
        return
    connection.send(("ready", ""))
    while True:
        try:
            form, text, bindings = connection.recv()
        except (EOFError, OSError):
            break
        try:
            connection.send(("answer", _answer(backend, form, text, bindings, limit)))
        except Exception as error:  # a backend's failure goes back as a message, the worker lives on
            connection.send(("error", message_of(error)))
    backend.close()


class _Worker:
    def __init__(self, source: Source, limit: int) -> None:
        context = multiprocessing.get_context("spawn")  # never fork a process holding RocksDB or threads
        self.connection, child = context.Pipe()
        self.process = context.Process(target=worker_main, args=(source, child, limit), daemon=True, name="jixiao-query-worker")
        self.process.start()
        child.close()
        self.ready = False

    def wait_ready(self) -> None:
        if self.ready:
            return
        if not self.connection.poll(WORKER_START_SECONDS):
            self.stop()
            raise QueryFailed(f"a query worker did not start within {WORKER_START_SECONDS:.0f} s")
        try:
            status, message = self.connection.recv()
        except (EOFError, OSError) as error:
            raise QueryFailed("a query worker ended while opening the data") from error
        if status != "ready":
            self.stop()
            raise QueryFailed(f"cannot open the data: {message}")
        self.ready = True

    def stop(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.connection.close()


class WorkerPool:
    """A fixed number of query workers; `run` hands a query to an idle one and waits at most the limit."""

    def __init__(self, source: Source, limits: Limits, size: int = 2) -> None:
        self.source = source
        self.limits = limits
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._closed = False
        self._lock = threading.Lock()
        self._all: set[_Worker] = set()
        workers = [self._spawn() for _ in range(max(1, size))]
        for worker in workers:  # started together, waited for together
            worker.wait_ready()
            self._idle.put(worker)

    def _spawn(self) -> _Worker:
        worker = _Worker(self.source, self.limits.rows)
        with self._lock:
            self._all.add(worker)
        return worker

    def _retire(self, worker: _Worker) -> None:
        worker.stop()
        with self._lock:
            self._all.discard(worker)

    def run(self, form: str, text: str, bindings: Mapping[str, Node] | None = None) -> Answer:
        """The answer of one query, or QueryTimeout / QueryFailed / ServerBusy."""
        try:
            worker = self._idle.get(timeout=self.limits.seconds)
        except queue.Empty:
            raise ServerBusy(f"all query workers stayed busy for {self.limits.seconds:g} s; try again later") from None
        try:
            worker.wait_ready()
            worker.connection.send((form, text, dict(bindings or {})))
            if not worker.connection.poll(self.limits.seconds):
                self._retire(worker)
                worker = self._spawn()
                raise QueryTimeout(f"the query ran longer than the time limit of {self.limits.seconds:g} s and was stopped")
            status, payload = worker.connection.recv()
        except (EOFError, OSError, BrokenPipeError) as error:
            self._retire(worker)
            worker = self._spawn()
            raise QueryFailed("the query worker ended unexpectedly") from error
        finally:
            if not self._closed:
                self._idle.put(worker)
        if status != "answer":
            raise QueryFailed(str(payload))
        assert isinstance(payload, Answer)
        return payload

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.stop()
