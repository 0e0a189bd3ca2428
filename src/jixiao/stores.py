"""Where queries run: a backend protocol, and the in-memory rdflib backend.

Every backend answers SELECT queries with rdflib terms and sees the union of its named graphs
as the default graph. Query parameters are RDF terms bound to `?param_<name>` variables: the
rdflib backend passes them as initBindings; backends whose engine cannot bind variables that
are not projected get a VALUES block built from the terms' own N-Triples serialisation
(`values_block`), never from the user's raw text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from rdflib import Graph
from rdflib.term import Node, Variable


@dataclass
class SelectResult:
    """The variables of a SELECT query and its rows (a lazily consumed iterator)."""

    variables: list[str]
    rows: Iterator[dict[str, Node | None]]


class QueryBackend(Protocol):
    def select(self, query: str, bindings: Mapping[str, Node]) -> SelectResult: ...

    def replace_graph(self, graph_iri: str, ntriples_path: Path) -> int: ...

    def graph_names(self) -> list[str]: ...

    def close(self) -> None: ...


_WHERE_OPEN = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def values_block(bindings: Mapping[str, Node]) -> str:
    """`VALUES (?a ?b) { (term term) }` for the bindings, each term serialised by rdflib."""
    if not bindings:
        return ""
    names = " ".join(f"?{name}" for name in bindings)
    terms = " ".join(term.n3() for term in bindings.values())  # type: ignore[attr-defined]
    return f"VALUES ({names}) {{ ({terms}) }}"


def with_values(query: str, bindings: Mapping[str, Node]) -> str:
    """Insert the bindings as a VALUES block at the start of the outermost WHERE group."""
    if not bindings:
        return query
    match = _WHERE_OPEN.search(query)
    if match is None:
        raise ValueError("query has no WHERE clause to bind parameters in")
    return f"{query[:match.end()]}\n  {values_block(bindings)}\n{query[match.end():]}"


class MemoryBackend:
    """An rdflib graph in memory: the reference route, and the default for small inputs."""

    def __init__(self, graph: Graph | None = None) -> None:
        self.graph = graph if graph is not None else Graph()

    def select(self, query: str, bindings: Mapping[str, Node]) -> SelectResult:
        result = self.graph.query(query, initBindings={Variable(k): v for k, v in bindings.items()})
        variables = [str(v) for v in (result.vars or [])]

        def rows() -> Iterator[dict[str, Node | None]]:
            for row in result:
                yield {name: row[index] for index, name in enumerate(variables)}  # type: ignore[index]

        return SelectResult(variables, rows())

    def replace_graph(self, graph_iri: str, ntriples_path: Path) -> int:
        # The in-memory backend holds one merged graph; a replacement is a reload of that file.
        loaded = Graph().parse(ntriples_path, format="nt")
        self.graph += loaded
        return len(loaded)

    def graph_names(self) -> list[str]:
        return []

    def close(self) -> None:
        self.graph = Graph()
