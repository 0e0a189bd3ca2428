"""The self-evaluation queries (queries/completion-*.rq, score-completion-disagree, never-met,
execution-by-unit), pinned byte for byte on a generated corpus of target tables and their
self-evaluations over two years, and on the real self-evaluation fixtures; the embedded Oxigraph
store gives the same answers as rdflib.

The golden files are tests/fixtures/selfeval/golden/NAME.json, written by this module's `_answer`
(`jixiao query NAME <corpus> --format json`). A deliberate change of an answer is made by running
`JIXIAO_REGENERATE_SELFEVAL_GOLDEN=1 pytest tests/test_selfeval_queries.py` and saying why in the commit.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from jixiao.cli import main
from jixiao.synthetic import OUTCOMES, corpus, evaluation_corpus, render, render_evaluations

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "fixtures" / "selfeval" / "golden"
FIXTURES = ROOT / "tests" / "fixtures" / "selfeval"
QUERIES = ("completion-by-indicator", "completion-by-project", "completion-by-unit", "completion-by-year",
           "score-completion-disagree", "never-met", "execution-by-unit")
REGENERATE = os.environ.get("JIXIAO_REGENERATE_SELFEVAL_GOLDEN") == "1"


def write_corpus(folder: Path) -> list[str]:
    """Two years of three projects missing the same target both years, and one year of every outcome."""
    folder.mkdir(parents=True, exist_ok=True)
    repeated = corpus(3, seed=21, years=(2022,), defects=0.0)
    later = [type(p)(p.agency, p.name, p.budget, 2023, p.long_term, p.annual, p.statement_long, p.statement_annual) for p in repeated]
    others = corpus(len(OUTCOMES), seed=22, years=(2023,), n_agencies=4, defects=0.0)
    others = [type(p)(p.agency, f"{p.name}-乙", p.budget, p.year, p.long_term, p.annual, p.statement_long, p.statement_annual) for p in others]
    parts = {
        "targets-2022.md": render(repeated), "targets-2023.md": render(later + others),
        "evaluations-2022.md": render_evaluations(evaluation_corpus(repeated, seed=5, outcomes=("missed",))),
        "evaluations-2023.md": render_evaluations(evaluation_corpus(later, seed=5, outcomes=("missed",)) + evaluation_corpus(others, seed=6)),
    }
    for name, text in parts.items():
        (folder / name).write_text(text, encoding="utf-8")
    return [str(folder / name) for name in parts]


def _answer(*args: str) -> str:
    result = CliRunner().invoke(main, ["query", *args, "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    tables = sorted(str(p) for p in FIXTURES.glob("*.md") if p.name != "README.md")
    return [*write_corpus(tmp_path_factory.mktemp("corpus")), *tables]


@pytest.mark.parametrize("name", QUERIES)
def test_evaluation_query_answer_unchanged(data: list[str], name: str) -> None:
    answer = _answer(name, *data)
    golden = GOLDEN / f"{name}.json"
    if REGENERATE:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        golden.write_text(answer, encoding="utf-8")
    assert answer == golden.read_text(encoding="utf-8")
    assert json.loads(answer), f"{name} answers nothing on the corpus: the pin checks nothing"


def test_the_pins_cover_every_evaluation_query() -> None:
    assert {p.stem for p in GOLDEN.glob("*.json")} == set(QUERIES)
    assert set(QUERIES) <= {p.stem for p in (ROOT / "queries").glob("*.rq")}


def test_parameters_narrow_the_answers(data: list[str]) -> None:
    everything = json.loads(_answer("completion-by-project", *data))
    one_year = json.loads(_answer("completion-by-project", *data, "--param", "year=2022"))
    assert one_year and {row["year"] for row in one_year} == {"2022"} and len(one_year) < len(everything)
    agency = everything[0]["agency"]
    assert {row["agency"] for row in json.loads(_answer("completion-by-unit", *data, "--param", f"agency={agency}"))} == {agency}
    assert {row["year"] for row in json.loads(_answer("score-completion-disagree", *data, "--param", "year=2022"))} <= {"2022"}


def test_the_embedded_store_gives_the_same_answers(tmp_path: Path, data: list[str]) -> None:
    store = tmp_path / "kg"
    result = CliRunner().invoke(main, ["ingest", *data, "--store", str(store), "-o", str(tmp_path / "all.ttl"), "--quiet"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    for name in QUERIES:
        assert _answer(name, "--store", str(store)) == _answer(name, *data), name
