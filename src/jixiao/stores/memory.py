"""The in-memory rdflib backend: the reference route, and the default for small inputs."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

from rdflib import Graph
from rdflib.query import Result
from rdflib.term import Node, Variable

from jixiao.errors import InputError, JixiaoError, message_of
from jixiao.stores.base import SelectResult, StoreError, Triple
from jixiao.stores.tables import SubjectGroups, TableRecord, WriteSummary


@contextmanager
def _one_line_errors() -> Iterator[None]:
    """rdflib's evaluator raises bare Exceptions (an unreachable SERVICE host, a type it cannot
    compare): they reach the user as one line naming what failed, never as a traceback."""
    try:
        yield
    except JixiaoError:
        raise
    except Exception as error:
        raise StoreError(f"query failed: {message_of(error)}") from error


class MemoryBackend:
    """An rdflib graph in memory: the reference route, and the default for small inputs.

    Queries see the graph given at construction merged with the named graphs loaded since.
    """

    def __init__(self, graph: Graph | None = None) -> None:
        self.base = graph if graph is not None else Graph()
        self.named: dict[str, Graph] = {}
        self.records: dict[str, TableRecord] = {}
        self.graph = self.base

    def _query(self, query: str, bindings: Mapping[str, Node]) -> Result:
        with _one_line_errors():
            return self.graph.query(query, initBindings={Variable(k): v for k, v in bindings.items()})

    def select(self, query: str, bindings: Mapping[str, Node]) -> SelectResult:
        result = self._query(query, bindings)
        variables = [str(v) for v in (result.vars or [])]

        def rows() -> Iterator[dict[str, Node | None]]:
            with _one_line_errors():  # rows are evaluated as they are read: a SERVICE call fails here
                for row in result:
                    yield {name: row[index] for index, name in enumerate(variables)}  # type: ignore[index]

        return SelectResult(variables, rows())

    def ask(self, query: str, bindings: Mapping[str, Node]) -> bool:
        with _one_line_errors():
            return bool(self._query(query, bindings).askAnswer)

    def construct(self, query: str, bindings: Mapping[str, Node]) -> Iterator[Triple]:
        result = self._query(query, bindings)
        with _one_line_errors():
            yield from (result.graph if result.graph is not None else ())

    def replace_graph(self, graph_iri: str, ntriples_path: Path) -> int:
        """One graph replaced by an N-Triples file's triples, in a write of its own (see loading.replace_graph)."""
        from jixiao.stores.loading import replace_graph

        return replace_graph(self, graph_iri, ntriples_path)

    def writer(self) -> MemoryWriter:
        return MemoryWriter(self)

    def tables(self) -> list[TableRecord]:
        return sorted(self.records.values(), key=lambda record: record.graph)

    def _rebuild(self) -> None:
        merged = Graph()
        merged += self.base
        for named in self.named.values():
            merged += named  # a Graph is a set: the union counts a shared triple once
        self.graph = merged

    def graph_names(self) -> list[str]:
        return sorted(self.named)

    def close(self) -> None:
        self.base, self.named, self.graph = Graph(), {}, Graph()


class MemoryWriter:
    """Graphs parsed aside, then swapped in together at commit."""

    def __init__(self, backend: MemoryBackend) -> None:
        self.backend = backend
        self.graphs: dict[str, Graph | None] = {}  # None: dropped
        self.records: dict[str, TableRecord] = {}
        self.summary = WriteSummary()

    def put(self, graph: str, lines: Sequence[str], record: TableRecord, scopes: bytes | None = None,
            groups: SubjectGroups | None = None) -> int:
        # `scopes` and `groups` ignored: every line stays in its graph (the reference layout).
        try:
            parsed = Graph().parse(data="".join(lines), format="nt")
        except Exception as error:  # rdflib's N-Triples parser raises plain exceptions
            raise InputError(record.source or graph, None, f"not valid N-Triples: {message_of(error)}") from error
        self.graphs[graph], self.records[graph] = parsed, record
        self.summary.replaced[graph] = len(parsed)
        self.summary.records[graph] = record
        return len(parsed)

    def drop(self, graph: str) -> None:
        self.graphs[graph] = None
        self.records.pop(graph, None)
        self.summary.replaced.pop(graph, None)
        self.summary.dropped.append(graph)

    def commit(self) -> WriteSummary:
        for graph, parsed in self.graphs.items():
            if parsed is None:
                self.backend.named.pop(graph, None)
                self.backend.records.pop(graph, None)
            else:
                self.backend.named[graph] = parsed
                self.backend.records[graph] = self.records[graph]
        self.backend._rebuild()
        return self.summary

    def abort(self) -> None:
        self.graphs.clear()
