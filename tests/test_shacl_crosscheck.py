"""pyshacl and an independent validator (TopQuadrant SHACL) agree on the project's shapes, and
the shapes translated to SPARQL and run inside a store (jixiao.validation.sparql) give the report
of the per-project pyshacl route: on the samples below (the mutants make every shape report) and
on 300 generated projects.

On the same data graph (data, their RDFS types, the ontology) and the same shapes, both must give
the same conformance and, for every shape, the same focus nodes; the per-project route used by
`jixiao validate` must report the same focus nodes too. Without the reference validator the tests
are skipped, except in CI (CI=true), where they fail: see shacl_reference.py for the install.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph

import shacl_reference
from jixiao.cli.ingest import ingest
from jixiao.graph import graph_of, materialise_types
from jixiao.graph.build import load_graph
from jixiao.resources import resource_dir
from jixiao.stores import QueryBackend, open_backend, read_ntriples, store_graph_file
from jixiao.synthetic import OUTCOMES, corpus, evaluation_corpus, render, render_evaluations, write_corpus
from jixiao.validation import run_pyshacl, shapes_graph, validate_graph, validate_paths, whole_graph
from jixiao.validation.sparql import validate_store
from test_shapes import CASES, apply, table_graph


@pytest.fixture(scope="module")
def reference() -> None:
    why = shacl_reference.available()
    if why is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the reference SHACL validator is required in CI: {why}")
        pytest.skip(why)


@pytest.fixture(scope="module")
def shapes_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("shapes") / "shapes.ttl"
    shapes_graph().serialize(path, format="turtle", encoding="utf-8")
    return path


def _tables(tmp_path: Path, text: str) -> Graph:
    path = tmp_path / "tables.md"
    path.write_text(text, encoding="utf-8")
    return load_graph([path], with_ontology=False)


def _mutants() -> Graph:
    """Every failing case of test_shapes.py, each under its own base IRI: every shape reports."""
    graph = Graph()
    for number, case in enumerate(c for c in CASES if c.fires):
        for triple in apply(case, table_graph(base=f"https://example.org/case/{number}/")):
            graph.add(triple)
    return graph


SAMPLES = ["seed", "clean", "defects", "mutants", "evaluations"]
# The self-evaluation shapes report on evaluations only: the "evaluations" sample (target tables and their
# self-evaluations with every outcome of jixiao.synthetic.OUTCOMES) makes each of them report.
EVALUATION_SHAPES = {str(s) for s in Graph().parse(resource_dir("shapes") / "evaluation.ttl").subjects(shacl_reference.SH.severity, None)}


def sample(name: str, seed_path: Path, tmp_path: Path) -> Graph:
    if name == "seed":
        return load_graph([seed_path], with_ontology=False)
    if name == "clean":
        return _tables(tmp_path, render(corpus(12, seed=3, defects=0.0), damage=0.0))
    if name == "defects":
        return _tables(tmp_path, render(corpus(12, seed=4, defects=0.6), damage=0.1, seed=4))
    if name == "evaluations":
        projects = corpus(len(OUTCOMES), seed=7, years=(2023,), defects=0.0)
        (tmp_path / "targets.md").write_text(render(projects), encoding="utf-8")
        (tmp_path / "evaluations.md").write_text(render_evaluations(evaluation_corpus(projects, seed=7)), encoding="utf-8")
        return load_graph([tmp_path / "targets.md", tmp_path / "evaluations.md"], with_ontology=False)
    return _mutants()


@pytest.mark.parametrize("name", SAMPLES)
def test_same_conformance_and_focus_nodes(reference: None, shapes_file: Path, seed_path: Path, tmp_path: Path, name: str) -> None:
    data = sample(name, seed_path, tmp_path)
    graph = whole_graph(data)
    data_file = tmp_path / "data.nt"
    graph.serialize(data_file, format="nt", encoding="utf-8")

    theirs = shacl_reference.validate(shapes_file, data_file)
    ours = run_pyshacl(graph)
    assert shacl_reference.conforms(theirs) == shacl_reference.conforms(ours)
    assert shacl_reference.focus_by_shape(theirs) == shacl_reference.focus_by_shape(ours)

    per_project = validate_graph(data)
    assert shacl_reference.focus_by_shape(per_project.graph) == shacl_reference.focus_by_shape(theirs)
    assert shacl_reference.conforms(per_project.graph) == shacl_reference.conforms(theirs)
    if name == "clean":
        assert shacl_reference.conforms(theirs)
    if name == "mutants":
        reporting = {str(s) for s in shapes_graph().subjects(shacl_reference.SH.severity, None)}
        assert set(shacl_reference.focus_by_shape(theirs)) == reporting - EVALUATION_SHAPES
    if name == "evaluations":
        assert set(shacl_reference.focus_by_shape(theirs)) >= EVALUATION_SHAPES


# ---- the shapes as SPARQL inside a store give the per-project pyshacl route's report -----------------

def _typed_store(data: Graph, where: Path) -> QueryBackend:
    path = where / "data.nt"
    path.write_text("".join(f"{s.n3()} {p.n3()} {o.n3()} .\n" for s, p, o in materialise_types(graph_of(data))), encoding="utf-8")
    backend = open_backend(store=where / "store")
    store_graph_file(backend, "https://example.org/graph/data", read_ntriples(path), str(path))
    return backend


@pytest.mark.parametrize("name", SAMPLES)
def test_store_route_gives_the_per_project_report(seed_path: Path, tmp_path: Path, name: str) -> None:
    data = sample(name, seed_path, tmp_path)
    backend = _typed_store(data, tmp_path)
    in_store = validate_store(backend)
    backend.close()
    per_project = validate_graph(data)
    assert in_store.results == per_project.results
    assert shacl_reference.focus_by_shape(in_store.graph) == shacl_reference.focus_by_shape(per_project.graph)
    if name == "mutants":  # every shape with a severity reports, so every translation is exercised
        reporting = {str(s) for s in shapes_graph().subjects(shacl_reference.SH.severity, None)}
        assert set(shacl_reference.focus_by_shape(in_store.graph)) == reporting - EVALUATION_SHAPES


def test_store_route_on_300_generated_projects(tmp_path: Path) -> None:
    files = write_corpus(tmp_path / "tables", 300, seed=7, per_file=10, n_agencies=6, years=(2023, 2024), defects=0.3, damage=0.1)
    store = tmp_path / "store"
    assert CliRunner().invoke(ingest, [str(tmp_path / "tables"), "--store", str(store), "--quiet"]).exit_code == 0
    backend = open_backend(store=store, read_only=True)
    in_store = validate_store(backend)
    # Located in chunks smaller than a project's findings (the chunks of a large store), the same report.
    in_chunks = validate_store(backend, locate_chunk=7)
    backend.close()
    per_project = validate_paths(files, workers=2)
    assert shacl_reference.focus_by_shape(in_store.graph) == shacl_reference.focus_by_shape(per_project.graph)
    assert in_store.results == per_project.results
    assert in_chunks.results == per_project.results
    assert len(in_store.results) > 300
