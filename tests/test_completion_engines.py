"""The completion queries give one answer on every engine where an achieved value or a target is no number (loose RDF):
such a result is compared with nothing, as one with no numeric value. Before, the comparison's error reached SUM and
AVG: Oxigraph left the unit's met count and mean completion empty, rdflib found `"x" >= 3` true and counted it met.
Asked in memory (rdflib), in the embedded store and (slow) on the Oxigraph server and Virtuoso, with the harness of
test_budget_doubles.py."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from test_budget_doubles import EVERYWHERE, answered_in

JX = "https://w3id.org/jixiao/ontology#"
EX = "https://example.org/completion/"
XSD = "http://www.w3.org/2001/XMLSchema#"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

# One evaluation's results against targets of ≥: (indicator, achieved, target), each an N-Triples object.
RESULTS = [
    ("met", f'"5"^^<{XSD}decimal>', f'"3"^^<{XSD}decimal>'),        # met, completion 1
    ("half", f'"2"^^<{XSD}decimal>', f'"4"^^<{XSD}decimal>'),       # not met, completion 0.5
    ("text achieved", '"x"', f'"3"^^<{XSD}decimal>'),               # no number: compared with nothing
    ("text target", f'"7"^^<{XSD}decimal>', '"三"'),                # no number: compared with nothing
]
# What every engine answers: the unit's row of completion-by-unit and the indicators completion-by-indicator lists.
BY_UNIT = {"agency": "甲", "evaluations": 1, "indicators": 2, "metCount": 1, "meanCompletion": Decimal("0.75")}
LISTED = [("half", False), ("met", True)]


def _lines() -> str:
    evaluation, unit = f"<{EX}evaluation>", f"<{EX}unit>"
    lines = [f"{evaluation} <{TYPE}> <{JX}Evaluation> .", f"{evaluation} <{JX}evaluatedUnit> {unit} .", f'{unit} <{LABEL}> "甲" .']
    for k, (indicator, achieved, target) in enumerate(RESULTS):
        result, value, target_node = f"<{EX}r{k}>", f"<{EX}a{k}>", f"<{EX}t{k}>"
        lines += [f"{evaluation} <{JX}hasResult> {result} .", f'{result} <{LABEL}> "{indicator}" .',
                  f"{result} <{JX}achieved> {value} .", f"{value} <{JX}numericValue> {achieved} .",
                  f"{result} <{JX}restatedTarget> {target_node} .", f"{target_node} <{JX}numericValue> {target} .",
                  f"{target_node} <{JX}comparator> <{JX}GreaterOrEqual> ."]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("completion") / "results.nt"
    path.write_text(_lines(), encoding="utf-8")
    return path


def _check(answer: Any) -> None:
    assert answer("completion-by-unit", {}) == [BY_UNIT]
    assert sorted((row["indicator"], row["met"]) for row in answer("completion-by-indicator", {})) == LISTED


@pytest.mark.parametrize("where", EVERYWHERE)
def test_incomparable_results_are_left_out(data: Path, tmp_path: Path, where: str) -> None:
    with answered_in(where, data, tmp_path) as answer:
        _check(answer)
