"""Every named query's answer on the seed and the multi-year fixture, pinned byte for byte.

The golden files in tests/fixtures/golden/ were written by `jixiao query NAME examples/
tests/fixtures/queries/ --format json` (and `jixiao validate` on the seed) before the package was
split into subpackages; a refactoring, a faster route or a new reader must leave them unchanged.
A deliberate change of an answer is made by rewriting the file and saying why in the commit.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from jixiao.cli import main

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "fixtures" / "golden"
DATA = [str(ROOT / "examples"), str(ROOT / "tests" / "fixtures" / "queries")]
QUERY_PARAMS = {"search": ["--param", "text=窗口"]}
QUERIES = sorted(p.stem for p in GOLDEN.glob("*.json") if p.stem != "validate-seed")


def run_cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout


@pytest.mark.parametrize("name", QUERIES)
def test_named_query_answer_unchanged(name: str) -> None:
    code, out = run_cli("query", name, *DATA, "--format", "json", *QUERY_PARAMS.get(name, []))
    assert code == 0
    assert out == (GOLDEN / f"{name}.json").read_text(encoding="utf-8")


def test_seed_validation_report_unchanged() -> None:
    code, out = run_cli("validate", str(ROOT / "examples" / "000_34530bcdda777c34.txt"), "--format", "json")
    assert code == 1  # the seed has the reviewer's two violations
    assert out == (GOLDEN / "validate-seed.json").read_text(encoding="utf-8")


def test_every_named_query_is_pinned() -> None:
    assert set(QUERIES) == {p.stem for p in (ROOT / "queries").glob("*.rq")}
