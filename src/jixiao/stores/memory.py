"""The in-memory rdflib backend: the reference route, and the default for small inputs."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

from rdflib import Graph
from rdflib.term import Node, Variable

from jixiao.stores.base import SelectResult


class MemoryBackend:
    """An rdflib graph in memory: the reference route, and the default for small inputs.

    Queries see the graph given at construction merged with the named graphs loaded since.
    """

    def __init__(self, graph: Graph | None = None) -> None:
        self.base = graph if graph is not None else Graph()
        self.named: dict[str, Graph] = {}
        self.graph = self.base

    def select(self, query: str, bindings: Mapping[str, Node]) -> SelectResult:
        result = self.graph.query(query, initBindings={Variable(k): v for k, v in bindings.items()})
        variables = [str(v) for v in (result.vars or [])]

        def rows() -> Iterator[dict[str, Node | None]]:
            for row in result:
                yield {name: row[index] for index, name in enumerate(variables)}  # type: ignore[index]

        return SelectResult(variables, rows())

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
