"""Second review of the views kept by the embedded store's writer (stores/views.py), after the views of
indicators-by-basis, measurability-by-agency, budget-by-unit and budget-by-year: writes after which a named query read
from its view and the same query over the union disagree, for some parameter value. Each case compares every view."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence

import pytest

from jixiao.queries import load_query
from jixiao.stores import TableRecord
from jixiao.stores.oxigraph import OxigraphBackend
from jixiao.stores.views import ViewKeeper
from test_store_views_review import LABEL, SKOS, TYPE, VIEWED, _csv, _jx

EX = "https://example.org/r2/"
XSD = "http://www.w3.org/2001/XMLSchema#"


def _ex(name: str) -> str:
    return f"<{EX}{name}>"


VOCABULARY = [f'{_jx("AnnualGoal")} <{SKOS}notation> "annual" .\n', f'{_jx("LongTermGoal")} <{SKOS}notation> "long-term" .\n',
              f'{_ex("c1")} <{SKOS}prefLabel> "c1"@zh .\n', f'{_ex("c1")} <{SKOS}broader> {_ex("l1")} .\n',
              f'{_ex("l1")} <{SKOS}prefLabel> "l1"@zh .\n', f'{_ex("b1")} <{SKOS}prefLabel> "计划标准"@zh .\n']


def _project(n: int, label: str | None = None, indicators: int = 1, year: str | None = "2024", budget: str | None = None) -> list[str]:
    """Project-year py{n} of project p{n} declared by unit u{n} (labelled `label`), of fiscal year `year`, with
    `indicators` indicators of category c1, basis b1 and a quantitative target, and the budget literal `budget`."""
    py, p, g, u = _ex(f"py{n}"), _ex(f"p{n}"), _ex(f"g{n}"), _ex(f"u{n}")
    lines = [f"{py} {TYPE} {_jx('ProjectYear')} .\n", f"{py} {_jx('yearOf')} {p} .\n", f"{py} {_jx('hasGoal')} {g} .\n",
             f"{g} {TYPE} {_jx('AnnualGoal')} .\n", f"{p} {_jx('declaredBy')} {u} .\n"]
    for i in range(indicators):
        indicator, target = _ex(f"i{n}x{i}"), _ex(f"t{n}x{i}")
        lines += [f"{g} {_jx('hasIndicator')} {indicator} .\n", f"{indicator} {_jx('category')} {_ex('c1')} .\n",
                  f"{indicator} {_jx('basis')} {_ex('b1')} .\n", f"{indicator} {_jx('target')} {target} .\n",
                  f"{target} {TYPE} {_jx('QuantitativeTarget')} .\n"]
    if year is not None:
        lines.append(f'{py} {_jx("fiscalYear")} "{year}"^^<{XSD}gYear> .\n')
    if budget is not None:
        lines.append(f"{py} {_jx('budget')} {budget} .\n")
    if label is not None:
        lines.append(f"{u} {LABEL} {label} .\n")
    return lines


def _write(backend: OxigraphBackend, *graphs: tuple[str, list[str] | None]) -> dict[str, int]:
    """One write putting (lines) or dropping (None) each graph; the rows it wrote in each view."""
    writer = backend.writer()
    for graph, lines in graphs:
        if lines is None:
            writer.drop(EX + graph)
        else:
            writer.put(EX + graph, lines, TableRecord(EX + graph, ()))
    return writer.commit().view_rows


def _parameters(agencies: list[str], years: list[str], goals: tuple[str, ...] = ("all",)) -> Iterator[dict[str, str]]:
    """Every combination of the parameters' values that matter here (None: not given; goal's default is annual)."""
    for agency, year, goal in itertools.product([None, *agencies], [None, *years], [None, *goals]):
        yield {key: value for key, value in (("agency", agency), ("year", year), ("goal", goal)) if value is not None}


def _differences(backend: OxigraphBackend, agencies: list[str] | None = None, years: tuple[str, ...] = ("2024",),
                 forms: tuple[str, ...] = ("csv",), goals: tuple[str, ...] = ("all",)) -> list[str]:
    """The named queries and parameters whose answer from the view differs from the union's (each combination of the
    parameters a query has once)."""
    assert set(VIEWED) <= backend.current_views()
    found = []
    for name in VIEWED:
        has = load_query(name).params
        combinations = {tuple(sorted((k, v) for k, v in params.items() if k in has)) for params in _parameters(agencies or [], list(years), goals)}
        for combination in sorted(combinations):
            for form in forms:
                if _csv(name, backend, dict(combination), True, form) != _csv(name, backend, dict(combination), False, form):
                    found.append(f"{name} {dict(combination)} {form}")
    return found


@pytest.fixture
def backend() -> Iterator[OxigraphBackend]:
    store = OxigraphBackend(None)
    _write(store, ("ontology-like", VOCABULARY))
    yield store
    store.close()


# FAILS on 42f62fd: xsd:double budgets are summed in each form's solution order; 7.91 from the view, 7.909999999999999 from the union.
def test_double_budgets_are_summed_as_the_union_sums_them(backend: OxigraphBackend) -> None:
    """Loose RDF may give a budget as an xsd:double: the view's SUM and the named query's add the same eight values in
    another order, and a sum of doubles depends on its order; summed as decimals (money), the two answers agree."""
    values = ["0.1", "0.2", "0.3", "0.7", "1.1", "2.2", "3.3", "0.01"]
    _write(backend, *((f"graph/t{n}", _project(n, '"单位甲"', budget=f'"{value}"^^<{XSD}double>')) for n, value in enumerate(values)))
    assert _differences(backend, ["单位甲"], forms=("csv", "json")) == []


# FAILS on 78771ea: labels 10, 9 (integers) and "5" (a string) make ORDER BY ?agency a cycle (10 < "5" < 9 < 10 as Oxigraph
# compares them), so each form's order is its input's; the tie-breakers after ?agency never come into play.
def test_agencies_of_numeric_and_string_labels_come_in_the_same_order() -> None:
    """The previous review's tie case, without a tie: Oxigraph compares two numbers as numbers and a number with a string
    by lexical form, which is no order at all over {10, 9, "5"}; written in any of the six orders, some views' answers
    list the three agencies otherwise than the union's (all five views, over the six orders)."""
    labels = [f'"10"^^<{XSD}integer>', f'"9"^^<{XSD}integer>', '"5"']
    assert _orders_listed_otherwise(lambda n: _project(n, labels[n], budget=f'"100"^^<{XSD}decimal>'), VIEWED, {}) == []


def _orders_listed_otherwise(table: Callable[[int], list[str]], names: Sequence[str], parameters: dict[str, str]) -> list[str]:
    """The write orders of three tables (`table(n)`: table n's lines) and the named queries whose answer read from the
    view lists rows otherwise than the union's."""
    found = []
    for order in itertools.permutations(range(3)):
        backend = OxigraphBackend(None)
        _write(backend, ("ontology-like", VOCABULARY))
        for n in order:
            _write(backend, (f"graph/t{n}", table(n)))
        found += [f"{order} {name}" for name in names if _csv(name, backend, parameters, True) != _csv(name, backend, parameters, False)]
        backend.close()
    return found


# Passes: agency labels that must be escaped in VALUES (quote, backslash, newline, tab, control character, language tag,
# another datatype, an IRI) are recomputed by parts, and read back alike.
def test_labels_written_in_values_are_recomputed_alike(backend: OxigraphBackend) -> None:
    labels = ['"甲\\"乙\\\\丙\\n丁"@zh-Hans', '"tab\\there\\u0001x"', f'"2024-01-01"^^<{XSD}date>', "<urn:agency:1>"]
    _write(backend, *((f"graph/t{n}", _project(n, label, budget=f'"100.5"^^<{XSD}decimal>')) for n, label in enumerate(labels)))
    for n, label in enumerate(labels):
        rows = _write(backend, (f"graph/t{n}", _project(n, label, indicators=2, budget=f'"100.25"^^<{XSD}decimal>')),
                      (f"rdf/x{n}", [f'{_ex(f"py{n}")} {_jx("budget")} "1"^^<{XSD}integer> .\n']))
        assert rows["budget-by-year"] == 1  # one agency's part recomputed, not the view made whole
    assert _differences(backend, ['甲"乙\\丙\n丁', "tab\there\x01x"], forms=("csv", "json")) == []


# Passes: agency labels of datatypes whose IRIs sort before xsd:string's (a language tag, xsd:date) and after it
# (xsd:time, xsd:token), plain strings and numbers, in one answer: the reading forms write the named queries' key for a
# datatype as two cheaper keys (0/1/2 around xsd:string, then the IRI), which must list the rows in the same order.
def test_labels_of_datatypes_on_both_sides_of_xsd_string_are_listed_in_one_order(backend: OxigraphBackend) -> None:
    labels = ['"乙"', '"甲"@zh', f'"2024-01-01"^^<{XSD}date>', f'"12:00:00"^^<{XSD}time>', f'"甲"^^<{XSD}token>', '"丙"',
              f'"7"^^<{XSD}integer>', f'"甲"^^<{XSD}normalizedString>']
    _write(backend, *((f"graph/t{n}", _project(n, label, budget=f'"100"^^<{XSD}decimal>')) for n, label in enumerate(labels)))
    assert _differences(backend, forms=("csv", "json")) == []


# Passes: a project-year's fiscal year given by loose RDF, changed, then a second one added (each selection of a year
# counts it; every year counts its budget twice, as the union does).
def test_a_project_year_moving_between_years_by_loose_rdf(backend: OxigraphBackend) -> None:
    _write(backend, ("graph/t0", _project(0, '"单位甲"', year=None, budget=f'"10.5"^^<{XSD}decimal>')),
           ("graph/t1", _project(1, '"单位乙"', budget=f'"3"^^<{XSD}integer>')))
    _write(backend, ("rdf/year", [f'{_ex("py0")} {_jx("fiscalYear")} "2023"^^<{XSD}gYear> .\n']))
    assert _differences(backend, ["单位甲", "单位乙"], ("2023", "2024")) == []
    _write(backend, ("rdf/year", [f'{_ex("py0")} {_jx("fiscalYear")} "2024"^^<{XSD}gYear> .\n']))
    assert _differences(backend, ["单位甲", "单位乙"], ("2023", "2024")) == []
    _write(backend, ("rdf/year2", [f'{_ex("py0")} {_jx("fiscalYear")} "2023" .\n']))
    assert _differences(backend, ["单位甲", "单位乙"], ("2023", "2024")) == []


# Passes: a goal's kind, a target's type and an indicator's basis text changed by loose RDF about resources a table owns.
def test_goal_kind_target_type_and_basis_text_changed_by_loose_rdf(backend: OxigraphBackend) -> None:
    _write(backend, ("graph/t0", _project(0, '"单位甲"', indicators=2)), ("graph/t1", _project(1, '"单位乙"', indicators=2)))
    _write(backend, ("rdf/more", [f"{_ex('g0')} {TYPE} {_jx('LongTermGoal')} .\n", f"{_ex('t1x0')} {TYPE} {_jx('QualitativeTarget')} .\n",
                                  f'{_ex("i0x1")} {_jx("basisText")} "依据甲" .\n', f'{_ex("i1x1")} {_jx("basisText")} "依据甲" .\n']))
    assert _differences(backend, ["单位甲", "单位乙"]) == []
    _write(backend, ("rdf/more", None))
    assert _differences(backend, ["单位甲", "单位乙"]) == []


# Passes: two units of one label (one agency); one's table dropped, then a basis concept's label changed outside the ontology.
def test_two_units_of_one_label_and_a_basis_relabelled(backend: OxigraphBackend) -> None:
    _write(backend, ("graph/t0", _project(0, '"单位甲"', budget=f'"1.25"^^<{XSD}decimal>')),
           ("graph/t1", _project(1, '"单位甲"', indicators=3, budget=f'"2"^^<{XSD}integer>')))
    _write(backend, ("graph/t1", None))
    assert _differences(backend, ["单位甲"]) == []
    _write(backend, ("rdf/basis", [f'{_ex("b1")} <{SKOS}prefLabel> "行业标准"@zh .\n']))
    assert _differences(backend, ["单位甲"]) == []


# FAILS on 78771ea: the same cycle among fiscal years (budget-by-year's ORDER BY ?year) and basis texts
# (indicators-by-basis's ORDER BY ?basis) of one agency: a fix ordering agencies alone leaves these.
def test_years_and_bases_of_numeric_and_string_values_come_in_the_same_order() -> None:
    values = [f'"10"^^<{XSD}integer>', f'"9"^^<{XSD}integer>', '"5"']

    def table(n: int) -> list[str]:
        lines = [line for line in _project(n, '"单位甲"', year=None) if "basis" not in line]
        return [*lines, f'{_ex(f"py{n}")} {_jx("fiscalYear")} {values[n]} .\n', f'{_ex(f"i{n}x0")} {_jx("basisText")} {values[n]} .\n']

    assert _orders_listed_otherwise(table, ("budget-by-year", "indicators-by-basis"), {"goal": "all"}) == []


# FAILS on 42f62fd: the in-memory store is written in place, so an aborted write keeps what it applied (the new budget in
# the union) while its views, stamped current, keep the rows of before: read from them, budget-by-unit says 100, not 200.
def test_an_in_memory_write_that_aborts_leaves_no_view_read_in_place_of_the_union(backend: OxigraphBackend,
                                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    _write(backend, ("graph/t0", _project(0, '"单位甲"', budget=f'"100"^^<{XSD}decimal>')))
    writer = backend.writer()
    writer.put(EX + "graph/t0", _project(0, '"单位甲"', budget=f'"200"^^<{XSD}decimal>'), TableRecord(EX + "graph/t0", ()))

    def failing(keeper: ViewKeeper, store: object) -> dict[str, int]:
        raise RuntimeError("the views could not be brought up to date")

    with monkeypatch.context() as patch:
        patch.setattr(ViewKeeper, "commit", failing)  # the write fails after its data went into the union
        with pytest.raises(RuntimeError):
            writer.commit()
    writer.abort()
    assert "200" in _csv("budget-by-unit", backend, {}, False)  # the union holds what the write applied
    answered = [name for name in VIEWED for params in _parameters(["单位甲"], ["2024"])
                if _csv(name, backend, params, True, "json") != _csv(name, backend, params, False, "json")]
    assert answered == []  # what `jixiao query` reads (a view only where current) is the union's answer
    _write(backend, ("graph/t1", _project(1, '"单位乙"', budget=f'"5"^^<{XSD}decimal>')))
    assert _differences(backend, ["单位甲", "单位乙"]) == []  # the next write makes the views whole and current
