"""The named queries that sum or divide give one answer on every engine where a number is a text or an integer (loose
RDF), or a total is 0: a text counts as none, division is decimal, a zero divisor leaves the quotient empty
(docs/queries.md, "Texts and integers among the numbers"). Before, rdflib failed on a text in SUM (or found `"三" > 0`
true), Oxigraph left the sum empty, Virtuoso answered HTTP 500 for a text or a division by zero and divided integers
as integers (a rate of 71.43 % became 71, a completion of 0.5 became 0), and wrote `met` as 1 and 0. Asked in memory
(rdflib), in the embedded store and (slow) on the Oxigraph server and Virtuoso, with the harness of
test_budget_doubles.py."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from test_budget_doubles import EVERYWHERE, answered_in

JX = "https://w3id.org/jixiao/ontology#"
EX = "https://example.org/numbers/"
XSD = "http://www.w3.org/2001/XMLSchema#"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def _integer(value: int) -> str:
    return f'"{value}"^^<{XSD}integer>'


def _decimal(value: str) -> str:
    return f'"{value}"^^<{XSD}decimal>'


# Self-evaluations: (name, unit, adjusted budget, amount executed, results), each amount an N-Triples object; a result
# is (indicator, achieved, target of ≥, score, weight).
EVALUATIONS = [
    ("e1", "甲", _integer(7), _integer(5), [
        ("met", _integer(5), _integer(3), _integer(8), _integer(10)),           # met, marks taken off: reducedButMet
        ("half", _integer(2), _integer(4), _integer(10), _integer(10)),         # missed with full marks; completion 0.5
        ("text score", _integer(6), _integer(3), '"满分"', _integer(10)),       # listed; no score: not summed
        ("text weight", _integer(1), _integer(3), _integer(5), '"十"'),         # listed; no weight: not summed
    ]),
    ("e2", "甲", '"未定"', _integer(3), []),            # a budget that is no number: counts as none
    ("e3", "乙", _decimal("10.5"), '"x"', []),          # an amount executed that is no number: counts as none
    ("e4", "乙", _decimal("4.0"), _decimal("3.0"), []),
    ("e5", "丙", _integer(0), _integer(0), []),         # a zero budget: no rate
]
# Project-years: (unit, project, budget, planned count of people or None); 戊's budgets total 0 (no share).
PROJECTS = [
    ("戊", "戊0", _integer(0), None), ("戊", "戊1", _decimal("0.0"), None),
    ("己", "己0", _integer(5), _integer(7)),            # 5 元 for 7 people: 0.71
    ("己", "己1", '"未定"', _integer(3)),               # a budget that is no number: not listed
    ("己", "己2", _integer(9), '"三"'),                 # a planned value that is no number: not listed
    ("己", "己3", _decimal("10.00"), _decimal("4")),
]

# What every engine answers.
EXECUTION = [
    {"agency": "丙", "evaluations": 1, "adjusted": 0, "spent": 0, "rate": None},
    {"agency": "乙", "evaluations": 1, "adjusted": 4, "spent": 3, "rate": 75},
    {"agency": "甲", "evaluations": 1, "adjusted": 7, "spent": 5, "rate": Decimal("71.428571")},
]
DISAGREE = [{"agency": "甲", "project": "e1项目", "year": "2024", "indicators": 2, "fullButMissed": 1, "reducedButMet": 1,
             "scoreShare": Decimal("0.9"), "meanCompletion": Decimal("0.75")}]
BY_UNIT = [{"agency": "甲", "evaluations": 1, "indicators": 4, "metCount": 2, "meanCompletion": Decimal("0.708333")}]
# completion-by-indicator: (indicator, comparator, met as written, completion, score, weight)
LISTED = [("half", ">=", "false", Decimal("0.5"), 10, 10), ("met", ">=", "true", 1, 8, 10),
          ("text score", ">=", "true", 1, "满分", 10), ("text weight", ">=", "false", Decimal("0.333333"), 5, "十")]
SHARE = [("戊0", 0, 0, None), ("戊1", 0, 0, None)]
PER_OUTPUT = [("己0", 5, 7, Decimal("0.71")), ("己3", 10, 4, Decimal("2.5"))]


def _evaluation_lines(name: str, unit: str, budget: str, executed: str, results: list[tuple[str, ...]]) -> Iterator[str]:
    evaluation = f"<{EX}{name}>"
    yield from (f"{evaluation} <{TYPE}> <{JX}Evaluation> .", f"{evaluation} <{JX}evaluatedUnit> <{EX}unit-{unit}> .",
                f'<{EX}unit-{unit}> <{LABEL}> "{unit}" .', f'{evaluation} <{JX}evaluatedProjectName> "{name}项目" .',
                f'{evaluation} <{JX}evaluationYear> "2024"^^<{XSD}gYear> .',
                f"{evaluation} <{JX}adjustedBudget> {budget} .", f"{evaluation} <{JX}executedAmount> {executed} .")
    for k, (indicator, achieved, target, score, weight) in enumerate(results):
        result, value, target_node = f"<{EX}{name}r{k}>", f"<{EX}{name}a{k}>", f"<{EX}{name}t{k}>"
        yield from (f"{evaluation} <{JX}hasResult> {result} .", f'{result} <{LABEL}> "{indicator}" .',
                    f"{result} <{JX}achieved> {value} .", f"{value} <{JX}numericValue> {achieved} .",
                    f"{result} <{JX}restatedTarget> {target_node} .", f"{target_node} <{JX}numericValue> {target} .",
                    f"{target_node} <{JX}comparator> <{JX}GreaterOrEqual> .",
                    f"{result} <{JX}score> {score} .", f"{result} <{JX}weight> {weight} .")


def _project_lines(k: int, unit: str, project: str, budget: str, people: str | None) -> Iterator[str]:
    """A project-year of 2024 with its budget and, given `people`, an annual goal's quantity indicator counting them."""
    py, p = f"<{EX}py{k}>", f"<{EX}p{k}>"
    yield from (f"{py} <{TYPE}> <{JX}ProjectYear> .", f"{py} <{JX}yearOf> {p} .", f"{p} <{JX}declaredBy> <{EX}unit-{unit}> .",
                f'<{EX}unit-{unit}> <{LABEL}> "{unit}" .', f'{p} <{LABEL}> "{project}" .',
                f'{py} <{JX}fiscalYear> "2024"^^<{XSD}gYear> .', f"{py} <{JX}budget> {budget} .")
    if people is not None:
        goal, indicator, target, person = f"<{EX}g{k}>", f"<{EX}i{k}>", f"<{EX}t{k}>", f"<{EX}person>"
        yield from (f"{py} <{JX}hasGoal> {goal} .", f"{goal} <{TYPE}> <{JX}AnnualGoal> .", f"{goal} <{JX}hasIndicator> {indicator} .",
                    f"{indicator} <{JX}category> <{JX}QuantityIndicator> .", f"{indicator} <{JX}position> {_integer(1)} .",
                    f'{indicator} <{LABEL}> "培训人数" .', f"{indicator} <{JX}target> {target} .",
                    f"{target} <{JX}numericValue> {people} .", f"{target} <{JX}unit> {person} .",
                    f"{person} <{JX}quantityKind> <{JX}Count> .", f'{person} <{LABEL}> "人"@zh .')


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    lines = [line for evaluation in EVALUATIONS for line in _evaluation_lines(*evaluation)]  # type: ignore[arg-type]
    lines += [line for k, project in enumerate(PROJECTS) for line in _project_lines(k, *project)]
    path = tmp_path_factory.mktemp("numbers") / "numbers.nt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _met(value: Any) -> str:
    """`met` as the answer writes it: JSON's true and false (1 and 0, equal to them in Python, are not)."""
    return {True: "true", False: "false"}[value] if isinstance(value, bool) else repr(value)


def _check(answer: Any) -> None:
    assert answer("execution-by-unit", {}) == EXECUTION
    assert answer("execution-by-unit", {"agency": "甲"}) == EXECUTION[2:]  # the parameter reaches the sums' sub-SELECT
    assert answer("score-completion-disagree", {}) == DISAGREE
    assert answer("completion-by-unit", {}) == BY_UNIT
    assert [(row["indicator"], row["comparator"], _met(row["met"]), row["completion"], row["score"], row["weight"])
            for row in answer("completion-by-indicator", {})] == LISTED
    assert [(row["project"], row["budget"], row["agencyBudget"], row["share"]) for row in answer("budget-share", {"agency": "戊"})] == SHARE
    assert [(row["project"], row["budget"], row["value"], row["perUnit"])
            for row in answer("budget-per-output", {"agency": "己"})] == PER_OUTPUT


@pytest.mark.parametrize("where", EVERYWHERE)
def test_texts_integers_and_zeros(data: Path, tmp_path: Path, where: str) -> None:
    with answered_in(where, data, tmp_path) as answer:
        _check(answer)
