"""Views kept by the embedded store's writer (stores/views.py): after any sequence of writes, a named query read from its
view gives the same CSV, byte for byte, as the query evaluated over the union, for every value of its parameters."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pyoxigraph as ox
import pytest

from jixiao.queries import load_query, run, write
from jixiao.queries.library import answering_text
from jixiao.stores import MemoryBackend, TableRecord
from jixiao.stores.oxigraph import OxigraphBackend
from jixiao.stores.tables import FORMAT, FORMAT_SUBJECT, REGISTRY_GRAPH
from jixiao.stores.views import VIEW_GRAPH_PREFIX, ViewKeeper, view_definitions

JX = "https://w3id.org/jixiao/ontology#"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
SKOS = "http://www.w3.org/2004/02/skos/core#"
EX = "https://example.org/t/"
ONTOLOGY = "https://w3id.org/jixiao/ontology"
VIEWED = sorted(view.name for view in view_definitions())
AGENCIES = ["单位甲", "单位乙", "单位丙"]
YEARS = ["2023", "2024"]
GOALS = [("AnnualGoal", "annual"), ("LongTermGoal", "long-term")]
LEVEL2 = {"c1": "l1a", "c2": "l1a", "c3": "l1b"}
BASES = ["b1", "b2"]
TARGET_TYPES = ["QuantitativeTarget", "QualitativeTarget", "PeriodTarget"]
# Budgets as the tables give them (xsd:decimal, summed exactly) and one as an integer.
BUDGETS = ['"1200.50"^^<http://www.w3.org/2001/XMLSchema#decimal>', '"0.25"^^<http://www.w3.org/2001/XMLSchema#decimal>',
           '"300"^^<http://www.w3.org/2001/XMLSchema#integer>']


def _jx(name: str) -> str:
    return f"<{JX}{name}>"


def _ex(name: str) -> str:
    return f"<{EX}{name}>"


def _zh(text: str) -> str:
    return f'"{text}"@zh'


def _ontology(rng: random.Random) -> list[str]:
    """Goal kinds with their notations and a two-level vocabulary; a label may change between versions."""
    lines = [f'{_jx(kind)} <{SKOS}notation> "{notation}" .\n' for kind, notation in GOALS]
    for level2, level1 in LEVEL2.items():
        lines.append(f"{_ex(level2)} <{SKOS}prefLabel> {_zh(level2 + rng.choice(['', '′']))} .\n")
        lines.append(f"{_ex(level2)} <{SKOS}broader> {_ex(level1)} .\n")
    lines.extend(f"{_ex(level1)} <{SKOS}prefLabel> {_zh(level1)} .\n" for level1 in set(LEVEL2.values()))
    # Bases of target values: a label that may change, and one in another language the queries do not read.
    lines.extend(f"{_ex(basis)} <{SKOS}prefLabel> {_zh(basis + rng.choice(['', '′']))} .\n" for basis in BASES)
    lines.append(f'{_ex(BASES[0])} <{SKOS}prefLabel> "{BASES[0]}"@en .\n')
    return lines


def _table(rng: random.Random, project: int, year: str) -> tuple[list[str], bytes]:
    """A project-year's table: its own resources (scope 0) and its project and unit (scope 2, shared with other years)."""
    py = f"p{project}/{year}"
    own = [f"{_ex(py)} {RDF_TYPE} {_jx('ProjectYear')} .\n", f"{_ex(py)} {_jx('yearOf')} {_ex(f'p{project}')} .\n"]
    if rng.random() < 0.9:
        own.append(f'{_ex(py)} {_jx("fiscalYear")} "{year}"^^<http://www.w3.org/2001/XMLSchema#gYear> .\n')
    for g in range(rng.randint(1, 2)):
        goal = f"{py}/g{g}"
        own.append(f"{_ex(py)} {_jx('hasGoal')} {_ex(goal)} .\n")
        own.append(f"{_ex(goal)} {RDF_TYPE} {_jx(rng.choice(GOALS)[0])} .\n")
        for i in range(rng.randint(0, 3)):
            indicator = f"{goal}/i{i}"
            own.append(f"{_ex(goal)} {_jx('hasIndicator')} {_ex(indicator)} .\n")
            if rng.random() < 0.9:
                own.append(f"{_ex(indicator)} {_jx('category')} {_ex(rng.choice(list(LEVEL2)))} .\n")
            own.extend(_indicator_details(rng, indicator))
    if rng.random() < 0.8:
        own.append(f"{_ex(py)} {_jx('budget')} {rng.choice(BUDGETS)} .\n")
    unit = f"u{rng.randrange(3)}"
    shared = [f"{_ex(f'p{project}')} {_jx('declaredBy')} {_ex(unit)} .\n"]
    if rng.random() < 0.9:
        shared.append(f"{_ex(unit)} {LABEL} \"{rng.choice(AGENCIES)}\" .\n")
    return own + shared, bytes([0] * len(own) + [2] * len(shared))


def _indicator_details(rng: random.Random, indicator: str) -> list[str]:
    """An indicator's basis (a concept, a text, both or neither) and its target of some kind (or none)."""
    lines = []
    if rng.random() < 0.6:
        lines.append(f"{_ex(indicator)} {_jx('basis')} {_ex(rng.choice(BASES))} .\n")
    if rng.random() < 0.4:
        lines.append(f'{_ex(indicator)} {_jx("basisText")} "{rng.choice(["依据甲", "依据乙"])}" .\n')
    if rng.random() < 0.8:
        target = f"{indicator}/target"
        lines.append(f"{_ex(indicator)} {_jx('target')} {_ex(target)} .\n")
        lines.append(f"{_ex(target)} {RDF_TYPE} {_jx(rng.choice(TARGET_TYPES))} .\n")
    return lines


def _loose_rdf(rng: random.Random) -> list[str]:
    """RDF loaded as it is: a statement about some project, unit, project-year or indicator of the tables."""
    choices = [f"{_ex(f'p{rng.randrange(4)}')} {_jx('declaredBy')} {_ex(f'u{rng.randrange(3)}')} .\n",
               f"{_ex(f'u{rng.randrange(3)}')} {LABEL} \"{rng.choice(AGENCIES)}\" .\n",
               f"{_ex(f'p{rng.randrange(4)}/{rng.choice(YEARS)}/g0/i0')} {_jx('category')} {_ex(rng.choice(list(LEVEL2)))} .\n",
               f"{_ex(f'p{rng.randrange(4)}/{rng.choice(YEARS)}/g0')} {_jx('hasIndicator')} {_ex('extra')} .\n",
               f"{_ex(f'p{rng.randrange(4)}/{rng.choice(YEARS)}/g0/i0/target')} {RDF_TYPE} {_jx('QuantitativeTarget')} .\n",
               f"{_ex(f'p{rng.randrange(4)}/{rng.choice(YEARS)}/g0/i0')} {_jx('basis')} {_ex(rng.choice(BASES))} .\n",
               f"{_ex(f'p{rng.randrange(4)}/{rng.choice(YEARS)}')} {_jx('budget')} {rng.choice(BUDGETS)} .\n"]
    return rng.sample(choices, rng.randint(1, 2))


def _random_write(rng: random.Random, backend: OxigraphBackend, model: dict[str, list[str]]) -> None:
    writer = backend.writer()
    for _ in range(rng.randint(1, 3)):
        choice = rng.random()
        if model and choice < 0.2:
            graph = rng.choice(sorted(model))
            writer.drop(graph)
            del model[graph]
        elif choice < 0.3:
            lines = _ontology(rng)
            writer.put(ONTOLOGY, lines, TableRecord(ONTOLOGY, ()))
            model[ONTOLOGY] = lines
        elif choice < 0.4:
            graph = f"{EX}rdf/{rng.randrange(2)}"
            lines = _loose_rdf(rng)
            writer.put(graph, lines, TableRecord(graph, ()))
            model[graph] = lines
        else:
            project, year = rng.randrange(4), rng.choice(YEARS)
            graph = f"{EX}graph/p{project}/{year}"
            lines, scopes = _table(rng, project, year)
            writer.put(graph, lines, TableRecord(graph, ()), scopes)
            model[graph] = lines
    writer.commit()


def _csv(name: str, backend: OxigraphBackend, params: dict[str, str], views: bool) -> str:
    out = io.StringIO()
    write("csv", run(load_query(name), backend, params, check=False, own_terms=True, views=views), out)  # type: ignore[arg-type]
    return out.getvalue()


def _parameter_values(name: str) -> list[dict[str, str]]:
    """Every combination of values of the parameters the named query has (None: not given; goal's default is annual)."""
    axes = {"agency": [None, *AGENCIES, "无此单位"], "year": [None, *YEARS, "2030"], "goal": [None, "long-term", "all", "unknown"]}
    combinations: list[dict[str, str]] = [{}]
    for param in load_query(name).params:
        combinations = [{**chosen, param: value} if value is not None else chosen for chosen in combinations for value in axes[param]]
    return combinations


def _differences(backend: OxigraphBackend) -> list[str]:
    """The named queries and parameters whose answer from the view differs from the union's (must be none)."""
    assert set(VIEWED) <= backend.current_views()
    return [f"{name} {params}" for name in VIEWED for params in _parameter_values(name)
            if _csv(name, backend, params, True) != _csv(name, backend, params, False)]


def _run_sequence(seed: int, backend: OxigraphBackend, writes: int = 10) -> list[str]:
    rng = random.Random(seed)
    model: dict[str, list[str]] = {}
    found: list[str] = []
    for _ in range(writes):
        _random_write(rng, backend, model)
        found.extend(_differences(backend))
    return found


@pytest.mark.parametrize("seed", range(6))
def test_views_answer_as_the_union_after_random_writes(seed: int, tmp_path: Path) -> None:
    backend = OxigraphBackend(tmp_path / "store") if seed % 3 == 0 else OxigraphBackend(None)
    assert _run_sequence(seed, backend) == []
    backend.close()


def test_the_check_fails_when_a_write_does_not_keep_its_view(monkeypatch: pytest.MonkeyPatch) -> None:
    """A writer that forgets what its writes touched leaves every view behind the union: the comparison above sees it."""
    monkeypatch.setattr(ViewKeeper, "note", lambda self, store, subjects: None)
    behind: set[str] = set()
    for seed in range(6):
        behind.update(difference.split(" ", 1)[0] for difference in _run_sequence(seed, OxigraphBackend(None), writes=6))
        if behind == set(VIEWED):
            break
    assert behind == set(VIEWED)


def test_a_view_is_read_only_where_the_store_keeps_it_current(tmp_path: Path) -> None:
    """A store of the previous format has no view: answered from the union, and given its views by its next write.
    The view lives in jixiao's own graphs: never listed as data, never in the union."""
    path = tmp_path / "store"
    backend = OxigraphBackend(path)
    rng = random.Random(1)
    _random_write(rng, backend, {})
    assert backend.current_views() == set(VIEWED)
    assert not any(name.startswith(VIEW_GRAPH_PREFIX) for name in backend.graph_names())
    assert not any(str(q.predicate).startswith("<urn:jixiao:view") for q in backend.store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    named = load_query(VIEWED[0])
    assert answering_text(named, backend) != named.text
    backend.close()
    older = ox.Store(str(path))  # as a jixiao of format 4 leaves it: no views
    for name in VIEWED:
        older.remove_graph(ox.NamedNode(VIEW_GRAPH_PREFIX + name))
    mark = next(iter(older.quads_for_pattern(ox.NamedNode(FORMAT_SUBJECT), ox.NamedNode(FORMAT), None, ox.NamedNode(REGISTRY_GRAPH))))
    older.remove(mark)
    older.add(ox.Quad(mark.subject, mark.predicate, ox.Literal("4"), mark.graph_name))
    del older
    backend = OxigraphBackend(path)
    assert backend.current_views() == set()
    assert answering_text(named, backend) == named.text
    _random_write(rng, backend, {})
    assert backend.current_views() == set(VIEWED)
    assert _differences(backend) == []
    backend.close()
    assert answering_text(named, MemoryBackend()) == named.text


def test_the_slow_aggregates_of_issue_13_are_read_from_views() -> None:
    """The aggregate named queries that took over a second on 100,000 projects from the union each have a view."""
    backend = OxigraphBackend(None)
    _random_write(random.Random(2), backend, {})
    slow = {"category-counts-by-agency", "indicators-by-basis", "measurability-by-agency", "budget-by-unit", "budget-by-year"}
    assert slow <= backend.current_views()
    assert all(answering_text(load_query(name), backend) != load_query(name).text for name in slow)
    backend.close()


def test_part_lines_are_the_query_only_where_parts_are_recomputed() -> None:
    """A `#+` line is a comment of the view's SELECT, which makes the view whole, and a line of the query that recomputes
    parts, with `{{members}}` the members' VALUES there; every view restricts its sub-SELECTs so."""
    from jixiao.stores.views import part_form

    select = "SELECT ?x WHERE {\n  { SELECT ?x WHERE {\n#+  {{members}}\n    ?x ?p ?o } }\n}\n"
    block = "VALUES ?x { <urn:a> }"
    part = part_form(select, block)
    assert "#+" not in part and "{{members}}" not in part and part.count(block) == 2
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:p"), ox.NamedNode("urn:o")))
    store.add(ox.Quad(ox.NamedNode("urn:b"), ox.NamedNode("urn:p"), ox.NamedNode("urn:o")))
    assert len(list(store.query(select))) == 2
    assert len(list(store.query(part_form(select, block)))) == 1
    assert all("#+" in view.select for view in view_definitions())
