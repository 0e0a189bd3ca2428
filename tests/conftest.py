"""Shared fixtures: the seed table, its graph, and the repository's paths."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from rdflib import Graph

from jixiao.graph.build import load_graph
from servers import sample_graph, write_ntriples

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "000_34530bcdda777c34.txt"
SHARED_SEED = ROOT.parent / "shared" / "seeds" / "000_34530bcdda777c34.txt"


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
