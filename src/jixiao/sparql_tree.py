"""Walking rdflib's SPARQL parse trees: one walk for every step that looks inside a query
(the query guard, the remote store, the served endpoint)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from rdflib.plugins.sparql.parserutils import CompValue


def parse_nodes(tree: Any) -> Iterator[CompValue]:
    """Every CompValue in a parse tree of rdflib's `parseQuery`/`parseUpdate`, depth first."""
    if isinstance(tree, CompValue):
        yield tree
        children: Iterable[Any] = tree.values()
    elif isinstance(tree, dict):
        children = tree.values()
    elif isinstance(tree, (list, tuple)) or hasattr(tree, "asList"):
        children = list(tree)
    else:
        return
    for child in children:
        yield from parse_nodes(child)


def has_pattern(tree: Any, name: str) -> bool:
    """Whether a parse tree holds a node of this name (`ServiceGraphPattern`, `GraphGraphPattern` …)."""
    return any(node.name == name for node in parse_nodes(tree))
