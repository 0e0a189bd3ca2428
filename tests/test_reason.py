"""Reasoning: the fast route infers exactly what owlrl infers from the ontology's axioms.

"Exactly" means: owlrl's inferred triples minus the OWL RL tautologies (`is_tautology`: triples
every graph entails whatever its ontology, such as `x owl:sameAs x` and `x rdf:type owl:Thing`)
equal the fast route's inferred triples, on the seed, on a generated corpus, and on random small
ontologies using every axiom kind the fast route compiles.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS
from rdflib.term import Node

from jixiao.cli.ingest import ingest
from jixiao.cli.reason import reason, reason_in_store
from jixiao.graph.build import load_graph, produce_chunks
from jixiao.graph.reason import (
    ReasoningError,
    compile_schema,
    disjointness_violations,
    fast_closure,
    inferred,
    is_tautology,
    materialise,
    owlrl_closure,
    unsupported_axioms,
)
from jixiao.namespaces import DEFAULT_BASE, JX, ORG, PROV
from jixiao.stores import open_backend, read_ntriples, store_graph_file
from jixiao.synthetic import write_corpus
from jixiao.vocabulary import load_ontology_graph

EX = Namespace("http://example.org/")


def _same_inferences(graph: Graph) -> tuple[set, set]:  # type: ignore[type-arg]
    return inferred(graph, fast_closure(graph)), inferred(graph, owlrl_closure(graph))


def test_fast_route_equals_owlrl_on_the_seed(seed_graph: Graph) -> None:
    fast, reference = _same_inferences(seed_graph)
    assert fast == reference
    # 1382 before jx:PerformanceObject and jx:involvesUnit (issue 9: department-wide plans, named units), 1422 before the
    # project-years (issue 10: jx:hasYear, jx:PerformanceYear, prov:Entity of each year), 1448 before the self-evaluation
    # terms (issue 14: ontology/evaluation.ttl's classes and properties); equal to owlrl above
    assert len(fast) == 1483


def test_fast_route_equals_owlrl_on_a_generated_corpus(tmp_path: Path) -> None:
    files = write_corpus(tmp_path, 12, per_file=6, n_agencies=3, years=(2023, 2024), defects=0.5, damage=0.2)
    graph = load_graph(files)
    fast, reference = _same_inferences(graph)
    assert fast == reference
    assert len(fast) > 1000


def test_the_entailments_the_queries_and_shapes_rely_on(seed_graph: Graph) -> None:
    graph = fast_closure(seed_graph)
    project = next(graph.subjects(RDFS.label, Literal("业务运行保障")))
    year = next(graph.subjects(JX.yearOf, project))  # the table: one year of the project
    assert (project, JX.hasYear, year) in graph
    goal = next(graph.objects(year, JX.hasGoal))
    indicator = next(i for i in graph.objects(goal, JX.hasIndicator) if (i, JX.category, JX.QuantityIndicator) in graph)
    # The category hierarchy: 数量指标 ⊑ 产出指标 ⊑ 绩效指标 ⊑ prov:Entity.
    for cls in (JX.OutputIndicator, JX.Indicator, PROV.Entity):
        assert (indicator, RDF.type, cls) in graph
    assert (goal, RDF.type, JX.PerformanceGoal) in graph
    # Inverse properties.
    assert (indicator, JX.indicatorOf, goal) in graph
    assert (goal, JX.goalOf, year) in graph
    agency = next(graph.objects(project, JX.declaredBy))
    assert (agency, JX.declares, project) in graph
    assert (agency, RDF.type, ORG.Organization) in graph  # the range of jx:declaredBy
    # Sub-properties: provenance reads as PROV and Dublin Core.
    row = next(graph.objects(year, JX.sourceRow))
    assert (year, PROV.wasDerivedFrom, row) in graph
    assert (row, DCTERMS.isPartOf, next(graph.objects(row, JX.inDocument))) in graph
    # Schema level: inherited superclasses, domains and ranges.
    assert (JX.QuantityIndicator, RDFS.subClassOf, JX.Indicator) in graph
    assert (JX.hasGoal, RDFS.domain, PROV.Entity) in graph


def test_materialise_is_idempotent_and_writes_no_generalised_triples(seed_graph: Graph) -> None:
    for engine in ("fast", "owlrl"):
        graph = Graph()
        graph.addN((s, p, o, graph) for s, p, o in seed_graph)
        assert materialise(graph, engine) > 0
        assert materialise(graph, engine) == 0
        assert not any(isinstance(s, Literal) for s, _, _ in graph)


def test_reasoning_twice_is_reasoning_once(seed_graph: Graph) -> None:
    once = fast_closure(seed_graph)
    assert set(fast_closure(once)) == set(once)


def test_the_ontology_uses_only_compiled_axioms() -> None:
    assert unsupported_axioms(load_ontology_graph()) == []


def test_an_axiom_the_fast_route_cannot_compile_is_refused() -> None:
    graph = Graph()
    graph.add((EX.ancestor, RDF.type, OWL.TransitiveProperty))
    with pytest.raises(ReasoningError, match=r"owl:TransitiveProperty.*--engine owlrl"):
        compile_schema(graph)
    with pytest.raises(ReasoningError, match="unknown reasoning engine"):
        materialise(Graph(), "hermit")


def test_tautologies() -> None:
    assert is_tautology((EX.a, OWL.sameAs, EX.a))
    assert is_tautology((EX.a, RDF.type, OWL.Thing))
    assert is_tautology((Literal(1), RDF.type, URIRef("http://www.w3.org/2001/XMLSchema#integer")))
    assert is_tautology((EX.C, RDFS.subClassOf, EX.C))
    assert not is_tautology((EX.a, RDF.type, EX.C))
    assert not is_tautology((EX.C, RDFS.subClassOf, EX.D))


# ---- random small ontologies: every compiled axiom kind, compared with owlrl ---------------

CLASSES = [EX[f"C{i}"] for i in range(4)]
PROPERTIES = [EX[f"p{i}"] for i in range(4)]
INDIVIDUALS = [EX[f"a{i}"] for i in range(4)]
_axiom = st.one_of(
    st.tuples(st.sampled_from(CLASSES), st.sampled_from([RDFS.subClassOf, OWL.equivalentClass]), st.sampled_from(CLASSES)),
    st.tuples(st.sampled_from(PROPERTIES), st.sampled_from([RDFS.subPropertyOf, OWL.equivalentProperty, OWL.inverseOf]),
              st.sampled_from(PROPERTIES)),
    st.tuples(st.sampled_from(PROPERTIES), st.sampled_from([RDFS.domain, RDFS.range]), st.sampled_from(CLASSES)),
    st.tuples(st.sampled_from(PROPERTIES), st.just(RDF.type), st.just(OWL.SymmetricProperty)),
)
_fact = st.one_of(
    st.tuples(st.sampled_from(INDIVIDUALS), st.just(RDF.type), st.sampled_from(CLASSES)),
    st.tuples(st.sampled_from(INDIVIDUALS), st.sampled_from(PROPERTIES), st.sampled_from(INDIVIDUALS)),
    st.tuples(st.sampled_from(INDIVIDUALS), st.sampled_from(PROPERTIES), st.just(Literal("文本"))),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(axioms=st.lists(_axiom, max_size=8), facts=st.lists(_fact, min_size=1, max_size=8))
def test_fast_route_equals_owlrl_on_random_ontologies(axioms: list, facts: list) -> None:  # type: ignore[type-arg]
    graph = Graph()
    for triple in axioms + facts:
        graph.add(triple)
    fast, reference = _same_inferences(graph)
    assert fast == reference


# ---- the command ------------------------------------------------------------------------------

def test_reason_command_writes_the_closure(tmp_path: Path, seed_path: Path) -> None:
    out = tmp_path / "reasoned.ttl"
    result = CliRunner().invoke(reason, [str(seed_path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "inferred by fast" in result.output
    graph = Graph().parse(out)
    assert (None, JX.indicatorOf, None) in graph
    assert len(graph) == len(load_graph([seed_path])) + 1483  # see test_fast_route_equals_owlrl_on_the_seed


def test_reason_command_engines_agree_and_formats(tmp_path: Path, seed_path: Path) -> None:
    fast_out, owlrl_out = tmp_path / "fast.nt", tmp_path / "owlrl.jsonld"
    assert CliRunner().invoke(reason, [str(seed_path), "-o", str(fast_out), "--inferred-only"]).exit_code == 0
    assert CliRunner().invoke(reason, [str(seed_path), "-o", str(owlrl_out), "--engine", "owlrl", "--inferred-only"]).exit_code == 0
    fast = Graph().parse(fast_out, format="nt")
    reference = Graph().parse(owlrl_out, format="json-ld")
    assert set(fast) == {t for t in reference if not is_tautology(t)}


def test_reasoned_output_can_be_reasoned_and_queried_again(tmp_path: Path, seed_path: Path) -> None:
    first, second = tmp_path / "once.nt", tmp_path / "twice.nt"
    assert CliRunner().invoke(reason, [str(seed_path), "-o", str(first)]).exit_code == 0
    result = CliRunner().invoke(reason, [str(first), "-o", str(second)])
    assert result.exit_code == 0 and "+ 0 inferred" in result.output


def test_reason_command_errors(tmp_path: Path, seed_path: Path) -> None:
    out = tmp_path / "out.ttl"
    missing = CliRunner().invoke(reason, [str(tmp_path / "nope.md"), "-o", str(out)])
    assert missing.exit_code == 2 and "error:" in missing.output and not out.exists()
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .\n", encoding="utf-8")
    broken = CliRunner().invoke(reason, [str(bad), "-o", str(out)])
    assert broken.exit_code == 2 and "bad.ttl" in broken.output and not out.exists()
    transitive = tmp_path / "transitive.ttl"
    transitive.write_text("<http://example.org/p> a <http://www.w3.org/2002/07/owl#TransitiveProperty> .\n", encoding="utf-8")
    refused = CliRunner().invoke(reason, [str(transitive), "-o", str(out)])
    assert refused.exit_code == 2 and "--engine owlrl" in refused.output and not out.exists()
    same = CliRunner().invoke(reason, [str(seed_path), "-o", str(seed_path)])
    assert same.exit_code == 2 and "also an input" in same.output


def test_disjoint_classes_are_reported_not_inferred(tmp_path: Path) -> None:
    graph = load_ontology_graph()
    goal = URIRef("https://w3id.org/jixiao/id/project/x/goal/1")
    graph.add((goal, RDF.type, JX.LongTermGoal))
    graph.add((goal, RDF.type, JX.AnnualGoal))
    materialise(graph)
    [message] = disjointness_violations(graph)
    assert str(goal) in message and "disjoint" in message
    data = tmp_path / "both.nt"
    data.write_text(f"<{goal}> <{RDF.type}> <{JX.LongTermGoal}> .\n<{goal}> <{RDF.type}> <{JX.AnnualGoal}> .\n", encoding="utf-8")
    run = CliRunner().invoke(reason, [str(data), "-o", str(tmp_path / "out.ttl")])
    assert run.exit_code == 0 and "inconsistent:" in run.output


# ---- reasoning where the data are: per chunk when mapped, by SPARQL rules inside a store -----------
#
# The entailments that matter are those about the data: the types the class hierarchy, domains
# and ranges give (what the shapes' targets need: a quantity indicator is a jx:OutputIndicator and
# a jx:Indicator), and the triples superproperties and inverses give (jx:indicatorOf,
# prov:wasDerivedFrom, ...). The schema's own closure (subclass chains, inherited domains) is the
# ontology's business and is the same whatever the data; the comparisons leave out what the
# ontology alone entails.

def _nt(triples: Iterable[tuple[Node, Node, Node]]) -> set[str]:
    """Triples as canonical N-Triples (through Oxigraph, which canonicalises literals as stores do)."""
    store = pyoxigraph.Store()
    store.load(input="".join(f"{s.n3()} {p.n3()} {o.n3()} .\n" for s, p, o in triples if not isinstance(s, Literal)),
               format=pyoxigraph.RdfFormat.N_TRIPLES)
    return {str(q.triple) for q in store}


def _chunk_route(files: list[Path]) -> set[str]:
    return {f"{s} {p} {o}" for chunk in produce_chunks(files, jobs=1, entail=True) for s, p, o in chunk.statements}


def _data_entailments(closed: set[str], ontology_closed: set[str]) -> set[str]:
    return closed - ontology_closed


def _generated(tmp_path: Path) -> list[Path]:
    return write_corpus(tmp_path, 12, per_file=6, n_agencies=3, years=(2023, 2024), defects=0.5, damage=0.2)


@pytest.mark.parametrize("corpus", ["seed", "generated"])
def test_chunks_reasoned_where_mapped_equal_the_fast_route(tmp_path: Path, seed_path: Path, corpus: str) -> None:
    files = [seed_path] if corpus == "seed" else _generated(tmp_path)
    ontology = load_ontology_graph()
    ontology_closed = _nt(fast_closure(ontology))
    reference = _data_entailments(_nt(fast_closure(load_graph(files))), ontology_closed)
    chunked = _data_entailments(_canonical(_chunk_route(files)), ontology_closed)
    assert chunked == reference
    asserted = _nt(load_graph(files, with_ontology=False))
    assert len(chunked - asserted) > 1000


def _canonical(lines: set[str]) -> set[str]:
    store = pyoxigraph.Store()
    store.load(input="".join(f"{line} .\n" for line in lines), format=pyoxigraph.RdfFormat.N_TRIPLES)
    return {str(q.triple) for q in store}


def test_chunks_reasoned_where_mapped_equal_owlrl_on_the_seed(seed_path: Path) -> None:
    ontology = load_ontology_graph()
    ontology_closed = _nt(owlrl_closure(ontology))
    reference = {t for t in _data_entailments(_nt(owlrl_closure(load_graph([seed_path]))), ontology_closed)}
    reference = {t for t in reference if not is_tautology(next(iter(Graph().parse(data=t + " .", format="nt"))))}
    chunked = _data_entailments(_canonical(_chunk_route([seed_path])), ontology_closed)
    assert chunked <= reference
    assert {t for t in reference - chunked if not t.startswith("<" + str(JX))} == set()


def test_reason_in_a_store_adds_what_the_data_lack(tmp_path: Path, seed_path: Path) -> None:
    asserted = tmp_path / "asserted.nt"
    asserted.write_text("".join(f"{s.n3()} {p.n3()} {o.n3()} .\n" for s, p, o in load_graph([seed_path], with_ontology=False)),
                        encoding="utf-8")
    store_dir = tmp_path / "store"
    backend = open_backend(store=store_dir)
    store_graph_file(backend, "https://w3id.org/jixiao/id/graph/seed", read_ntriples(asserted), str(asserted))
    added, _ = reason_in_store(backend, DEFAULT_BASE)
    assert added > 1000
    held = _nt(backend.construct("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", {}))
    backend.close()
    schema_level = _nt(compile_schema(load_ontology_graph()).schema_triples)
    assert held | schema_level == _nt(fast_closure(load_graph([seed_path])))
    # Again, through the command: the inferred graph is replaced by the same triples, not added to.
    run = CliRunner().invoke(reason, ["--store", str(store_dir)])
    assert run.exit_code == 0 and run.output.startswith(f"{added} triples inferred"), run.output
    backend = open_backend(store=store_dir)
    assert _nt(backend.construct("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", {})) == held
    backend.close()


def test_a_store_of_ingested_tables_needs_little_reasoning(tmp_path: Path, seed_path: Path) -> None:
    store_dir = tmp_path / "store"
    assert CliRunner().invoke(ingest, [str(seed_path), "--store", str(store_dir), "--quiet"]).exit_code == 0
    run = CliRunner().invoke(reason, ["--store", str(store_dir)])
    assert run.exit_code == 0, run.output
    backend = open_backend(store=store_dir)
    held = _nt(backend.construct("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", {}))
    backend.close()
    schema_level = _nt(compile_schema(load_ontology_graph()).schema_triples)
    assert held | schema_level == _nt(fast_closure(load_graph([seed_path])))
    # What was left are the entailments of the ontology's own individuals (units, categories), not the tables'.
    # (The store holds the ontology as written; the chunks hold everything their tables entail.)
    assert int(run.output.split()[0]) < 300


def test_reason_store_usage_errors(tmp_path: Path, seed_path: Path) -> None:
    for args in (["--store", str(tmp_path / "none")], [str(seed_path), "--store", str(tmp_path)], ["--store", str(tmp_path), "-o", "x.nt"], []):
        run = CliRunner().invoke(reason, args)
        assert run.exit_code == 2 and "error:" in run.output, (args, run.output)
