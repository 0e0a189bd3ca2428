"""Shared fixtures: the seed table, its graph, and the repository's paths."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from jixiao.pipeline import load_graph

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
