"""Budgets of xsd:double (or xsd:float), which only loose RDF gives, are summed by budget-by-unit and budget-by-year as
the decimals they are written as, exactly, everywhere the named queries run: rdflib in memory, the embedded store, and
(slow) the Oxigraph server and Virtuoso. A double that has no such decimal every engine takes counts as no budget.

Sums of doubles depend on the order they are added in (the union's solutions, or a view's part): 0.1 + 0.2 is
0.30000000000000004 as doubles, 0.3 as money.
"""

from __future__ import annotations

import contextlib
import io
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from jixiao.cli.main import main
from jixiao.queries import load_query, run, write
from jixiao.stores.loading import read_ntriples, store_graph_file
from jixiao.stores.oxigraph import OxigraphBackend
from servers import running_oxigraph, running_virtuoso

JX = "https://w3id.org/jixiao/ontology#"
EX = "https://example.org/doubles/"
XSD = "http://www.w3.org/2001/XMLSchema#"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

# Each agency's budgets (N-Triples objects; None: the project-year states none), and its sum in 元 as money.
EXACT = {
    "甲": ([f'"0.1"^^<{XSD}double>', f'"0.2"^^<{XSD}double>'], Decimal("0.3")),
    "乙": ([f'"{value}"^^<{XSD}double>' for value in ("0.1", "0.2", "0.3", "0.7", "1.1", "2.2", "3.3", "0.01")]
           + [f'"0.5"^^<{XSD}float>', f'"2"^^<{XSD}decimal>'], Decimal("10.41")),
    "丙": ([f'"1.5E3"^^<{XSD}double>', f'"0.25"^^<{XSD}decimal>', f'"-0.0"^^<{XSD}double>'], Decimal("1500.25")),
}
# Doubles with no decimal every engine takes (INF, NaN, 10^15 or more, under a fen) count as no budget: 丁's answer is
# 戊's, whose project-years state none, on each engine (Oxigraph leaves a sum with a missing budget unbound; rdflib
# sums the others).
NO_DECIMAL = [f'"{value}"^^<{XSD}double>' for value in ("INF", "-INF", "NaN", "1e15", "0.001", "1e-7")]
# Virtuoso 7 refuses to store NaN beside other doubles ("Insert stopped because out of seg data ... RDF_QUAD_OP"): a load
# it does not take, so no answer of ours to check there.
STORED_BY_VIRTUOSO = [value for value in NO_DECIMAL if '"NaN"' not in value]


def _table(agency: str, n: int, budgets: list[str | None]) -> Iterator[str]:
    """Agency `agency` (unit u{n}) declaring one project with a project-year of 2024 per budget."""
    unit = f"<{EX}u{n}>"
    yield f'{unit} <{LABEL}> "{agency}" .\n'
    for k, budget in enumerate(budgets):
        py, project = f"<{EX}py{n}x{k}>", f"<{EX}p{n}x{k}>"
        yield from (f"{py} <{TYPE}> <{JX}ProjectYear> .\n", f"{py} <{JX}yearOf> {project} .\n",
                    f"{project} <{JX}declaredBy> {unit} .\n", f'{py} <{JX}fiscalYear> "2024"^^<{XSD}gYear> .\n')
        if budget is not None:
            yield f"{py} <{JX}budget> {budget} .\n"


def _write_data(path: Path, no_decimal: list[str]) -> Path:
    """The agencies of EXACT, and 丁 with the budgets `no_decimal` (and 5 元) beside 戊 with none (and 5 元)."""
    as_none = {"丁": [*no_decimal, f'"5"^^<{XSD}decimal>'], "戊": [*([None] * len(no_decimal)), f'"5"^^<{XSD}decimal>']}
    agencies = {**{agency: budgets for agency, (budgets, _) in EXACT.items()}, **as_none}
    path.write_text("".join(line for n, (agency, budgets) in enumerate(agencies.items()) for line in _table(agency, n, budgets)),
                    encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _write_data(tmp_path_factory.mktemp("doubles") / "budgets.nt", NO_DECIMAL)


def _cli(*args: str | Path) -> Any:
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


@contextlib.contextmanager
def loaded_on(server: str, data: Path, tmp_path: Path) -> Iterator[list[str]]:
    """A server of its own ("oxigraph" or "virtuoso") with `data` loaded by `jixiao load`; the command line's place
    arguments that ask it."""
    running = running_oxigraph if server == "oxigraph" else running_virtuoso
    with running(tmp_path / server) as endpoint:
        credentials = ["--user", endpoint.user, "--password", endpoint.password] if endpoint.user else []
        _cli("load", data, "--endpoint", endpoint.query_url, *credentials)
        yield ["--endpoint", endpoint.query_url]


# Where a named query is asked, as `answered_in` takes it: the servers are slow (each starts its own).
EVERYWHERE = ["memory", "embedded", pytest.param("oxigraph", marks=pytest.mark.slow), pytest.param("virtuoso", marks=pytest.mark.slow)]


@contextlib.contextmanager
def answered_in(where: str, data: Path, tmp_path: Path) -> Iterator[Any]:
    """The named queries asked of `data` through the command line `where` (one of EVERYWHERE): in memory, in an embedded
    store it was loaded into as `jixiao load` puts a file (with the ontology graph), or on a server of its own."""
    if where == "memory":
        yield _answer_by_cli([str(data)])
    elif where == "embedded":
        store = tmp_path / "store"
        with OxigraphBackend(store) as backend:
            store_graph_file(backend, EX + "graph", read_ntriples(data), str(data))
        yield _answer_by_cli(["--store", str(store)])
    else:
        with loaded_on(where, data, tmp_path) as place:
            yield _answer_by_cli(place)


def _answers(place: list[str], agency: str) -> dict[str, list[dict[str, Any]]]:
    """budget-by-unit's row of the agency and budget-by-year's rows for it, numbers read as decimals."""
    unit = json.loads(_cli("query", "budget-by-unit", *place, "--format", "json").stdout, parse_float=Decimal)
    by_year = _cli("query", "budget-by-year", *place, "--param", f"agency={agency}", "--format", "json").stdout
    return {"budget-by-unit": [row for row in unit if row["agency"] == agency],
            "budget-by-year": json.loads(by_year, parse_float=Decimal)}


def _check(place: list[str]) -> None:
    for agency, (_, total) in EXACT.items():
        answers = _answers(place, agency)
        assert [row["budget"] for row in answers["budget-by-unit"]] == [total], agency
        assert [row["budget"] for row in answers["budget-by-year"]] == [total], agency
    without = {name: [{**row, "agency": "戊"} for row in rows] for name, rows in _answers(place, "丁").items()}
    assert without == _answers(place, "戊")


def test_double_budgets_are_summed_as_decimals_in_memory(data: Path) -> None:
    _check([str(data)])


def test_double_budgets_are_summed_as_decimals_in_the_embedded_store(data: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    with OxigraphBackend(store) as backend:  # the file as one graph of loose RDF; the writer keeps the views it reads
        backend.replace_graph(EX + "graph", data)
        assert {"budget-by-unit", "budget-by-year"} <= backend.current_views()
    _check(["--store", str(store)])


@pytest.mark.slow
@pytest.mark.parametrize("server", ["oxigraph", "virtuoso"])
def test_double_budgets_are_summed_as_decimals_on_servers(tmp_path: Path, server: str) -> None:
    data = _write_data(tmp_path / "budgets.nt", NO_DECIMAL if server == "oxigraph" else STORED_BY_VIRTUOSO)
    with loaded_on(server, data, tmp_path) as place:
        _check(place)


# Missing budgets. A unit's (a year's) budget is the sum of the budgets its project-years state; those that state none,
# or one that counts as none (above, or no number at all), add nothing, and the sum is empty only where none states
# one. SPARQL's SUM over a group holding an unbound value is an error: Oxigraph left such a unit's sum empty, rdflib
# summed the rest (and gave 0 where none was stated), Virtuoso summed the rest: the same data, three answers.
# Each agency's project-years: (fiscal year, budget as an N-Triples object or None for none stated).
MISSING: dict[str, list[tuple[str, str | None]]] = {
    "甲": [("2023", None), ("2023", None), ("2024", f'"1.50"^^<{XSD}decimal>'), ("2024", None), ("2024", f'"2.5"^^<{XSD}decimal>')],
    "乙": [("2024", None), ("2024", None)],
    "丙": [("2024", f'"0.1"^^<{XSD}double>'), ("2024", None), ("2024", f'"0.2"^^<{XSD}double>'), ("2024", f'"INF"^^<{XSD}double>')],
    "丁": [("2024", '"未定"'), ("2024", f'"5"^^<{XSD}integer>'), ("2024", None), ("2024", f'"2"^^<{XSD}integer>')],
}
# What every engine answers: budget-by-unit's budget per agency, budget-by-year's (year, budget) rows per agency, and
# budget-share's (project, budget, agencyBudget, share) rows per agency (a project whose budget counts as none is not
# listed, as one that states none).
BY_UNIT = {"甲": Decimal("4"), "乙": None, "丙": Decimal("0.3"), "丁": Decimal("7")}
BY_YEAR = {"甲": [("2023", None), ("2024", Decimal("4"))], "乙": [("2024", None)], "丙": [("2024", Decimal("0.3"))],
           "丁": [("2024", Decimal("7"))]}
SHARE = {
    "甲": [("甲4", Decimal("2.5"), Decimal("4"), Decimal("62.5")), ("甲2", Decimal("1.5"), Decimal("4"), Decimal("37.5"))],
    "乙": [],
    "丙": [("丙2", Decimal("0.2"), Decimal("0.3"), Decimal("66.67")), ("丙0", Decimal("0.1"), Decimal("0.3"), Decimal("33.33"))],
    "丁": [("丁1", Decimal("5"), Decimal("7"), Decimal("71.43")), ("丁3", Decimal("2"), Decimal("7"), Decimal("28.57"))],
}


def _missing_lines() -> Iterator[str]:
    """MISSING as N-Triples: agency n is unit m{n}; its k-th project-year declares project 〈agency〉〈k〉."""
    for n, (agency, years) in enumerate(MISSING.items()):
        unit = f"<{EX}m{n}>"
        yield f'{unit} <{LABEL}> "{agency}" .\n'
        for k, (year, budget) in enumerate(years):
            py, project = f"<{EX}mpy{n}x{k}>", f"<{EX}mp{n}x{k}>"
            yield from (f"{py} <{TYPE}> <{JX}ProjectYear> .\n", f"{py} <{JX}yearOf> {project} .\n",
                        f"{project} <{JX}declaredBy> {unit} .\n", f'{project} <{LABEL}> "{agency}{k}" .\n',
                        f'{py} <{JX}fiscalYear> "{year}"^^<{XSD}gYear> .\n')
            if budget is not None:
                yield f"{py} <{JX}budget> {budget} .\n"


@pytest.fixture(scope="module")
def missing_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("missing") / "budgets.nt"
    path.write_text("".join(_missing_lines()), encoding="utf-8")
    return path


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _missing_answers(answer: Any) -> dict[str, Any]:
    """The three budget queries' answers for MISSING's agencies, as BY_UNIT, BY_YEAR and SHARE hold them; `answer(name,
    params)` gives a query's rows as its JSON reads."""
    unit = {row["agency"]: _decimal(row["budget"]) for row in answer("budget-by-unit", {}) if row["agency"] in MISSING}
    by_year = {agency: [(row["year"], _decimal(row["budget"])) for row in answer("budget-by-year", {"agency": agency})]
               for agency in MISSING}
    share = {agency: [(row["project"], _decimal(row["budget"]), _decimal(row["agencyBudget"]), _decimal(row["share"]))
                      for row in answer("budget-share", {"agency": agency})] for agency in MISSING}
    return {"budget-by-unit": unit, "budget-by-year": by_year, "budget-share": share}


def _answer_by_cli(place: list[str]) -> Any:
    def answer(name: str, params: dict[str, str]) -> list[dict[str, Any]]:
        given = [arg for key, value in params.items() for arg in ("--param", f"{key}={value}")]
        return json.loads(_cli("query", name, *place, *given, "--format", "json").stdout, parse_float=Decimal)  # type: ignore[no-any-return]
    return answer


def _check_missing(answer: Any) -> None:
    assert _missing_answers(answer) == {"budget-by-unit": BY_UNIT, "budget-by-year": BY_YEAR, "budget-share": SHARE}


def test_missing_budgets_add_nothing_in_memory(missing_data: Path) -> None:
    _check_missing(_answer_by_cli([str(missing_data)]))


@pytest.mark.parametrize("views", [True, False], ids=["view", "union"])
def test_missing_budgets_add_nothing_in_the_embedded_store(missing_data: Path, tmp_path: Path, views: bool) -> None:
    store = tmp_path / "store"
    with OxigraphBackend(store) as backend:
        backend.replace_graph(EX + "graph", missing_data)
        assert {"budget-by-unit", "budget-by-year"} <= backend.current_views()

    def answer(name: str, params: dict[str, str]) -> list[dict[str, Any]]:
        out = io.StringIO()
        with OxigraphBackend(store, read_only=True) as backend:
            named = load_query(name)
            write("json", run(named, backend, params, check=False, own_terms=True, views=views), out)  # type: ignore[arg-type]
        return json.loads(out.getvalue(), parse_float=Decimal)  # type: ignore[no-any-return]
    _check_missing(answer)


@pytest.mark.slow
@pytest.mark.parametrize("server", ["oxigraph", "virtuoso"])
def test_missing_budgets_add_nothing_on_servers(missing_data: Path, tmp_path: Path, server: str) -> None:
    with loaded_on(server, missing_data, tmp_path) as place:
        _check_missing(_answer_by_cli(place))
