"""The self-evaluation checks (shapes/evaluation.ttl) on a generated corpus of target tables and their
self-evaluations, and on hand-written data for the checks that compare with the approved target table.

Every outcome the generator makes (jixiao.synthetic.OUTCOMES) says which check must find it and on what;
each check must find all of them (recall 100 %) and nothing else (no false alarm), a clean evaluation
passes every check, and the target tables alone give no result of these shapes. The completion rates
the queries give equal those the generator computes from the numbers it chose.
"""

from __future__ import annotations

import tempfile
from functools import cache
from pathlib import Path

import pytest
from rdflib import Graph

from jixiao.graph.mapping import document_graph
from jixiao.queries.library import library, run
from jixiao.reading import normalize, read_file
from jixiao.stores.memory import MemoryBackend
from jixiao.synthetic import FORMS, OUTCOMES, Evaluation, corpus, evaluation_corpus, render, render_evaluations
from jixiao.validation import validate_graph

SHAPES = Path(__file__).resolve().parent.parent / "shapes" / "evaluation.ttl"
EVALUATION_SHAPES = sorted({str(s).rsplit("#", 1)[-1] for s in Graph().parse(SHAPES).subjects()
                            if str(s).startswith("https://w3id.org/jixiao/shapes#")})


def _graphs(tmp_path: Path, count: int, seed: int, form: str = "markdown") -> tuple[Graph, Graph, list[Evaluation]]:
    projects = corpus(count, seed=seed, years=(2023,), defects=0.0)
    evaluations = evaluation_corpus(projects, seed=seed)
    (tmp_path / "targets.md").write_text(render(projects), encoding="utf-8")
    (tmp_path / f"evaluations-{form}.txt").write_text(render_evaluations(evaluations, form), encoding="utf-8")
    targets = document_graph(normalize(read_file(tmp_path / "targets.md")))
    evaluated = document_graph(normalize(read_file(tmp_path / f"evaluations-{form}.txt")))
    return targets, evaluated, evaluations


def _found(graph: Graph) -> set[tuple[str, str]]:
    """(shape local name, focus) of every result of the evaluation shapes."""
    return {(r.shape.rsplit(":", 1)[-1].rsplit("#", 1)[-1], r.focus) for r in validate_graph(graph).results
            if r.shape.rsplit(":", 1)[-1].rsplit("#", 1)[-1] in EVALUATION_SHAPES}


def _expected(graph: Graph, evaluations: list[Evaluation]) -> set[tuple[str, str]]:
    """The generator's expectations, as (shape, focus IRI): the evaluation found by its project name."""
    rows = graph.query("""PREFIX jx: <https://w3id.org/jixiao/ontology#>
        SELECT ?e ?name WHERE { ?e a jx:Evaluation ; jx:evaluatedProjectName ?name }""")
    by_name = {str(name): str(e) for e, name in rows}  # type: ignore[misc]
    expected = set()
    for evaluation in evaluations:
        subject = by_name[evaluation.project.name]
        for shape, position in evaluation.expected():
            expected.add((shape, subject if position == 0 else f"{subject}/result/{position:02d}"))
    return expected


@pytest.fixture(scope="module")
def corpus_graphs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Graph, Graph, list[Evaluation]]:
    return _graphs(tmp_path_factory.mktemp("selfeval"), 2 * len(OUTCOMES), seed=7)


def test_every_check_finds_every_planted_fault_and_nothing_else(corpus_graphs: tuple[Graph, Graph, list[Evaluation]]) -> None:
    targets, evaluated, evaluations = corpus_graphs
    found = _found(targets + evaluated)
    expected = _expected(evaluated, evaluations)
    for shape in EVALUATION_SHAPES:
        wanted = {f for f in expected if f[0] == shape}
        got = {f for f in found if f[0] == shape}
        assert wanted, f"the generator plants no fault for {shape}"
        assert wanted <= got, f"{shape}: recall {len(wanted & got)}/{len(wanted)}"
        assert got <= wanted, f"{shape}: false alarms {sorted(got - wanted)}"


@pytest.mark.parametrize("shape", EVALUATION_SHAPES)
def test_each_check_passes_a_clean_evaluation_and_fails_its_fault(shape: str) -> None:
    outcome = next(o for o in OUTCOMES if any(s == shape for s, _ in _one(o)[1]))
    assert not {f for f in _one("met")[0] if f[0] == shape}
    assert {f for f in _one(outcome)[0] if f[0] == shape}


@cache
def _one(outcome: str) -> tuple[frozenset[tuple[str, str]], frozenset[tuple[str, int]]]:
    """What the checks find in one generated target table and its self-evaluation with `outcome`, and what they should."""
    projects = corpus(1, seed=3, years=(2023,), defects=0.0)
    evaluations = evaluation_corpus(projects, seed=3, outcomes=(outcome,))
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "t.md").write_text(render(projects), encoding="utf-8")
        (Path(folder) / "e.md").write_text(render_evaluations(evaluations), encoding="utf-8")
        graph = document_graph(normalize(read_file(Path(folder) / "t.md"))) + document_graph(normalize(read_file(Path(folder) / "e.md")))
    return frozenset(_found(graph)), frozenset(evaluations[0].expected())


def test_target_tables_alone_give_no_evaluation_result(corpus_graphs: tuple[Graph, Graph, list[Evaluation]]) -> None:
    targets, _, _ = corpus_graphs
    assert not _found(targets)
    seed = document_graph(normalize(read_file(Path(__file__).resolve().parent.parent / "examples" / "000_34530bcdda777c34.txt")))
    assert not _found(seed)


def test_completion_rates_equal_the_generator_s(corpus_graphs: tuple[Graph, Graph, list[Evaluation]]) -> None:
    targets, evaluated, evaluations = corpus_graphs
    backend = MemoryBackend(targets + evaluated)
    answer = run(library()["completion-by-indicator"], backend)
    got = {(str(row["project"]), str(row["indicator"])): (float(row["completion"].toPython()), row["met"].toPython())  # type: ignore[union-attr]
           for row in answer.rows}  # type: ignore[union-attr]
    want = {(e.project.name, name): rate for e in evaluations for name, rate in e.completions().items()}
    assert got.keys() == want.keys()
    for key, (completion, met) in want.items():
        assert got[key][1] == met, key
        assert abs(got[key][0] - completion) < 1e-6, (key, got[key], completion)  # the queries give six decimals


@pytest.mark.slow
@pytest.mark.parametrize("form", [f for f in FORMS if f != "markdown"])
def test_checks_find_the_same_in_every_text_form(tmp_path: Path, form: str) -> None:
    (tmp_path / "md").mkdir()
    _, markdown, _ = _graphs(tmp_path / "md", len(OUTCOMES), seed=11)
    targets, other, evaluations = _graphs(tmp_path, len(OUTCOMES), seed=11, form=form)
    assert _found(targets + other) == _found(targets + markdown) != set()
    assert _expected(other, evaluations) <= _found(targets + other)


def test_every_result_links_to_its_target_indicator_by_identity(corpus_graphs: tuple[Graph, Graph, list[Evaluation]]) -> None:
    """Each evaluation reaches its project-year and each result the target table's indicator, though the two
    documents were mapped apart (no name matching at query time)."""
    targets, evaluated, evaluations = corpus_graphs
    both = targets + evaluated
    links = both.query("""PREFIX jx: <https://w3id.org/jixiao/ontology#>
        SELECT ?result ?indicator ?year WHERE {
          ?evaluation jx:hasResult ?result ; jx:evaluates ?year . ?result jx:reportsOn ?indicator .
          OPTIONAL { ?year a ?yearType } OPTIONAL { ?indicator jx:target ?target } }""")
    rows = list(links)
    assert len(rows) == sum(len(e.rows) for e in evaluations)
    dangling = [str(r) for r, indicator, year in rows  # type: ignore[misc]
                if (indicator, None, None) not in targets or (year, None, None) not in targets]
    assert not dangling
