"""Review of the views kept by the embedded store's writer (stores/views.py): cases where a view-answered named query
(category-counts-by-agency first; every view since) and the same query over the union disagree, or where keeping the
view breaks a write. Each case compares every view."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from jixiao.queries import load_query, run, write
from jixiao.stores import TableRecord
from jixiao.stores.oxigraph import OxigraphBackend
from jixiao.stores.views import view_definitions

VIEWED = sorted(view.name for view in view_definitions())
JX = "https://w3id.org/jixiao/ontology#"
EX = "https://example.org/r/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
ONTOLOGY = "https://w3id.org/jixiao/ontology"


def _jx(name: str) -> str:
    return f"<{JX}{name}>"


def _ex(name: str) -> str:
    return f"<{EX}{name}>"


VOCABULARY = [f'{_jx("AnnualGoal")} <{SKOS}notation> "annual" .\n',
              f'{_ex("c1")} <{SKOS}prefLabel> "c1"@zh .\n', f'{_ex("c1")} <{SKOS}broader> {_ex("l1")} .\n',
              f'{_ex("l1")} <{SKOS}prefLabel> "l1"@zh .\n']


def _project(n: int, indicators: int = 1, label: str | None = None) -> list[str]:
    """Project-year py{n} of project p{n}, declared by unit u{n} (labelled `label` if given), `indicators` indicators."""
    py, p, g, u = _ex(f"py{n}"), _ex(f"p{n}"), _ex(f"g{n}"), _ex(f"u{n}")
    lines = [f"{py} {TYPE} {_jx('ProjectYear')} .\n", f"{py} {_jx('yearOf')} {p} .\n", f"{py} {_jx('hasGoal')} {g} .\n",
             f"{g} {TYPE} {_jx('AnnualGoal')} .\n", f"{p} {_jx('declaredBy')} {u} .\n"]
    for i in range(indicators):
        lines += [f"{g} {_jx('hasIndicator')} {_ex(f'i{n}x{i}')} .\n", f"{_ex(f'i{n}x{i}')} {_jx('category')} {_ex('c1')} .\n"]
    if label is not None:
        lines.append(f"{u} {LABEL} {label} .\n")
    return lines


def _write(backend: OxigraphBackend, *graphs: tuple[str, list[str]]) -> None:
    writer = backend.writer()
    for graph, lines in graphs:
        writer.put(EX + graph, lines, TableRecord(EX + graph, ()))
    writer.commit()


def _csv(name: str, backend: OxigraphBackend, params: dict[str, str], views: bool, form: str = "csv") -> str:
    """The named query's answer as written in `form` (csv or json), read from its view or over the union."""
    named = load_query(name)
    given = {key: value for key, value in params.items() if key in named.params}  # the parameters this query has
    out = io.StringIO()
    write(form, run(named, backend, given, check=False, own_terms=True, views=views), out)  # type: ignore[arg-type]
    return out.getvalue()


def _agree(backend: OxigraphBackend, params: dict[str, str] | None = None) -> None:
    assert set(VIEWED) <= backend.current_views()
    params = params or {"goal": "all"}
    for name in VIEWED:
        assert _csv(name, backend, params, True) == _csv(name, backend, params, False), name


@pytest.fixture
def backend(tmp_path: Path) -> OxigraphBackend:
    store = OxigraphBackend(tmp_path / "store")
    _write(store, ("ontology-like", VOCABULARY))
    yield store
    store.close()


def test_a_unit_given_its_first_label_leaves_no_row_without_agency(backend: OxigraphBackend) -> None:
    """A project whose unit has no label is counted under no agency; a new graph labelling the unit moves it to that
    agency. The note at commit finds only the new agency (the new state), the note before finds nothing (the graph is
    new), so the rows of no agency are never recomputed: the view keeps a row `,l1,c1,1,1` the union no longer gives."""
    _write(backend, ("graph/t0", _project(0)))
    _agree(backend)
    _write(backend, ("graph/label", [f'{_ex("u0")} {LABEL} "单位甲" .\n']))
    _agree(backend)


def test_a_project_given_its_first_declaring_unit_leaves_no_row_without_agency(backend: OxigraphBackend) -> None:
    """The same through jx:declaredBy: a project without a declaring unit, then RDF saying which (labelled) unit declares it."""
    lines = [line for line in _project(0) if "declaredBy" not in line]
    _write(backend, ("graph/t0", lines), ("graph/unit", [f'{_ex("u9")} {LABEL} "单位乙" .\n']))
    _agree(backend)
    _write(backend, ("graph/declared", [f'{_ex("p0")} {_jx("declaredBy")} {_ex("u9")} .\n']))
    _agree(backend)


def test_a_write_touching_an_agency_labelled_by_a_blank_node_succeeds(backend: OxigraphBackend) -> None:
    """A unit's label that is a blank node is an agency of the named query (the union answers it); recomputing its part
    puts it in `VALUES ?partition { _:… }`, which SPARQL does not allow: the write fails with a SyntaxError."""
    _write(backend, ("graph/t0", _project(0, label="_:someone")))
    _agree(backend)
    _write(backend, ("graph/more", [f'{_ex("i0x0")} {LABEL} "an indicator" .\n']))
    _agree(backend)


def test_agencies_that_sort_alike_come_in_the_same_order(backend: OxigraphBackend) -> None:
    """Agencies whose labels ORDER BY finds equal (1, 1.0, 1E0, … of numeric types) are ties in the named query's order:
    the union gives them in its evaluation's order, the view in its rows' order (blank nodes, random labels), so the two
    answers list them differently (five ties: the same order by chance once in 120)."""
    xsd = "http://www.w3.org/2001/XMLSchema#"
    labels = [f'"1"^^<{xsd}{kind}>' for kind in ("integer", "double", "float", "int", "long")]
    _write(backend, *((f"graph/t{n}", _project(n, n + 1, label)) for n, label in enumerate(labels)))
    _write(backend, ("graph/t0", _project(0, 7, labels[0])))
    _agree(backend)


def test_serving_or_publishing_data_makes_no_view_it_never_reads(tmp_path: Path) -> None:
    """`serve DATA` and `publish DATA` load the data into an in-memory Oxigraph store in each worker
    (publish/workers.py, `_data_backend`: one replace_graph), and answer named queries with the query's own text over
    the union (publish/dataset.py, `run_named`), never from a view. The write makes the view whole all the same: about
    6x the query's cost (docs/stores.md), per worker, for rows nobody reads."""
    from jixiao.publish.workers import _data_backend
    from jixiao.stores.views import VIEW_GRAPH_PREFIX

    data = tmp_path / "data.nt"
    data.write_text("".join(VOCABULARY + _project(0, 2, '"单位甲"')), encoding="utf-8")
    backend = _data_backend(data)
    assert not [graph for graph in backend.store.named_graphs() if graph.value.startswith(VIEW_GRAPH_PREFIX)]  # type: ignore[attr-defined]


def _drop(backend: OxigraphBackend, *graphs: str) -> None:
    writer = backend.writer()
    for graph in graphs:
        writer.drop(EX + graph)
    writer.commit()


def test_a_project_whose_declaring_unit_is_dropped_is_counted_under_no_agency(backend: OxigraphBackend) -> None:
    """The converse: the graph saying which unit declares a project is dropped. The note before the drop finds the old
    agency (recomputed: the project leaves it); nothing is noted at commit (no graph was rewritten), so the rows of no
    agency, which now count the project in the union, are not recomputed: the view lacks them."""
    lines = [line for line in _project(0) if "declaredBy" not in line]
    _write(backend, ("graph/t0", lines), ("graph/declared", [f'{_ex("p0")} {_jx("declaredBy")} {_ex("u9")} .\n',
                                                             f'{_ex("u9")} {LABEL} "单位乙" .\n']))
    _agree(backend)
    _drop(backend, "graph/declared")
    _agree(backend)


def test_a_write_that_does_not_keep_a_view_leaves_it_not_current(backend: OxigraphBackend, monkeypatch: pytest.MonkeyPatch) -> None:
    """A jixiao of the same store format whose queries/views/ lacks the view (a later version that retired it, or an
    install without the folder) writes without keeping it, and leaves its graph and stamp as they were. A jixiao
    that has the same view file again reads that graph as current: the rows of before that write."""
    import jixiao.stores.views as views

    _write(backend, ("graph/t0", _project(0, 1, '"单位甲"')))
    _agree(backend)
    with monkeypatch.context() as patched:
        patched.setattr(views, "view_definitions", lambda: ())
        _write(backend, ("graph/t0", _project(0, 3, '"单位甲"')))
    # The write that did not keep the view dropped it: not current, the query is answered over the union.
    assert not set(VIEWED) & backend.current_views()
    for name in VIEWED:
        assert _csv(name, backend, {"goal": "all"}, True) == _csv(name, backend, {"goal": "all"}, False)
    _write(backend, ("graph/t1", _project(1, 1, '"单位乙"')))  # the next write by a jixiao keeping it makes it whole
    _agree(backend)


def test_a_table_whose_unit_is_labelled_by_a_blank_node_can_be_dropped(backend: OxigraphBackend) -> None:
    """The same failure leaves no way out: dropping the very table that says the blank-node label notes its agency
    before the drop, and recomputing that part fails as above, so the table cannot be taken out of the store."""
    _write(backend, ("graph/t0", _project(0, label="_:someone")))
    _drop(backend, "graph/t0")
    assert backend.graph_names() == [EX + "ontology-like"]
    _agree(backend)
