"""The SHACL shapes (one Turtle file per concern in shapes/), read once per process."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from rdflib import Graph

from jixiao.resources import resource_dir


def shape_files() -> list[Path]:
    return sorted(resource_dir("shapes").glob("*.ttl"))


@cache
def shapes_graph() -> Graph:
    """All shapes files as one graph (shared: do not modify)."""
    graph = Graph()
    for path in shape_files():
        graph.parse(path, format="turtle")
    return graph
