"""Shared fixtures (the seed table, its graph, the storage tests' data) and the `slow` marker.

`pytest -m "not slow"` is the inner loop (about a minute); CI runs everything. Slow are the
tests that need a real SPARQL server and the independent cross-checks (TopQuadrant's SHACL,
owlrl's closure, whole-graph pyshacl) — see docs/design.md, "Independent checks". They are
marked here, by the fixtures and modules they use, so test files need no decorators.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from rdflib import Graph

from jixiao.graph.build import load_graph
from servers import sample_graph, write_ntriples

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "000_34530bcdda777c34.txt"

# A test using one of these fixtures talks to a real server (tests/servers.py).
SERVER_FIXTURES = frozenset({"virtuoso_endpoint", "oxigraph_endpoint"})
# Whole modules that are slow: servers chosen by parameter (request.getfixturevalue, which the
# fixture rule cannot see), and TopQuadrant's SHACL on a Java runtime.
SLOW_MODULES = frozenset({"test_store_remote", "test_backends_agree", "test_shacl_crosscheck"})
# Cross-checks inside otherwise fast modules, by a word their names share: the fast reasoner
# against owlrl, per-project validation against pyshacl over the whole graph, every named query
# with and without the OWL RL closure, and in the embedded store against rdflib.
CROSS_CHECK_WORDS = ("owlrl", "owl_rl", "engines_agree", "whole_graph", "depend_on_reasoning", "gives_the_same_answers")


def is_slow(item: pytest.Item) -> bool:
    module = item.module.__name__ if isinstance(item, pytest.Function) and item.module else ""
    name = item.originalname if isinstance(item, pytest.Function) else item.name
    return (bool(SERVER_FIXTURES & set(getattr(item, "fixturenames", ())))
            or module.rsplit(".", 1)[-1] in SLOW_MODULES
            or any(word in name for word in CROSS_CHECK_WORDS))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if is_slow(item):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED


@pytest.fixture(scope="session")
def seed_graph() -> Graph:
    """The seed ingested, with the ontology (framework and units) in the same graph."""
    return load_graph([SEED])


@pytest.fixture
def ns() -> str:
    """A namespace of the test's own: stores are shared across tests and queries see every graph."""
    return f"http://example.org/t/{uuid.uuid4().hex}/"


@pytest.fixture
def data(tmp_path: Path, ns: str) -> dict[str, Path]:
    """Two N-Triples source files of the storage tests' sample data, each for its own named graph."""
    return {
        ns + "graph/a": write_ntriples(sample_graph(ns + "a/"), tmp_path / "a.nt"),
        ns + "graph/b": write_ntriples(sample_graph(ns, projects=6), tmp_path / "b.nt"),
    }
