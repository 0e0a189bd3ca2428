"""The in-memory rdflib backend: the reference route, and the default for small inputs."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from rdflib import Graph
from rdflib.query import Result
from rdflib.term import Node, Variable

from jixiao.errors import JixiaoError, message_of
from jixiao.stores.base import SelectResult, StoreError, Triple


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
        # Parsed before anything changes, so a bad file leaves the previous contents.
        loaded = Graph().parse(ntriples_path, format="nt")
        self.named[graph_iri] = loaded
        merged = Graph()
        merged += self.base
        for named in self.named.values():
            merged += named
        self.graph = merged
        return len(loaded)

    def graph_names(self) -> list[str]:
        return sorted(self.named)

    def close(self) -> None:
        self.base, self.named, self.graph = Graph(), {}, Graph()
