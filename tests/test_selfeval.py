"""Self-evaluation tables (项目支出绩效自评表) read into evaluations: the real tables against their answer keys,
generated evaluations in every text form and file format, and how an evaluation's graph stands beside its
target table's (docs/selfeval.md).

The real tables live in ../shared/selfeval-tables/ (skipped only where that folder is absent, never
under CI=true) and tests/fixtures/selfeval/. An indicator is right when its category (older placements
accepted, as for target tables), name, restated target (comparator, number and unit in the base unit,
or the text of a qualitative one), actual (number and unit, or text), weight and score match the key.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from answer_keys import category_ok
from format_writers import converter, print_pdf, write_docx, write_html, write_xls, write_xlsx
from jixiao.cli import main
from jixiao.graph.mapping import document_chunks
from jixiao.reading import normalize, read_file
from jixiao.reading.records import EvaluationRecord, ResultRecord
from jixiao.synthetic import FORMS, corpus, evaluation_corpus, render, render_evaluations
from jixiao.vocabulary import canon, vocabulary

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "selfeval-tables"
FIXTURES = ROOT / "tests" / "fixtures" / "selfeval"


def _tables(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.md") if p.name != "README.md" and p.with_suffix(".expected.json").exists())


def _shared_tables() -> list[Path]:
    if not SHARED.is_dir():
        if os.environ.get("CI") == "true":
            raise RuntimeError(f"the shared self-evaluation tables are required under CI: {SHARED} is missing")
        return []
    return _tables(SHARED)


ALL = _shared_tables() + _tables(FIXTURES)


def _read(path: Path) -> EvaluationRecord:
    record = normalize(read_file(path))
    assert not record.projects, "a self-evaluation is no target table"
    assert len(record.evaluations) == 1
    return record.evaluations[0]


def _number_ok(expected: float | None, got: Decimal | None) -> bool:
    if expected is None:
        return got is None
    return got is not None and abs(float(got) - float(expected)) <= 1e-6 * max(1.0, abs(float(expected)))


def _value_ok(number: float | None, unit: str | None, text: str | None, value, comparator: str | None = None) -> bool:  # type: ignore[no-untyped-def]
    if value is None:
        return text is None
    if number is None:
        return value.number is None and re.sub(r"\s+", "", value.stated) == re.sub(r"\s+", "", text or "")
    if not _number_ok(number, value.number):
        return False
    got_unit = value.unit.base_label if value.unit is not None else value.unit_text or None
    if (unit or None) != got_unit:
        return False
    if comparator is not None:
        notation = vocabulary().notation.get(value.comparator) if value.comparator else None
        return {"≥": ">=", "≤": "<=", "=": "="}.get(comparator, comparator) == (notation or "=")
    return True


def _right(expected: dict, result: ResultRecord) -> bool:
    vocab = vocabulary()
    # The framework's categories of the row, as a target table's reading gives them (a legacy 成本指标 under 产出指标 is 成本指标).
    level1 = vocab.parent.get(result.level2, result.level1) if result.level2 is not None else result.level1
    got = (vocab.label_zh.get(level1) if level1 else None, vocab.label_zh.get(result.level2) if result.level2 else None)
    return (category_ok(expected, got) and canon(result.name or "") == canon(expected["name"])
            and _value_ok(expected["target_number"], expected["target_unit"], expected["target_text"], result.target, expected["target_comparator"])
            and _value_ok(expected["actual_number"], expected["actual_unit"], expected["actual_text"], result.actual)
            and _number_ok(expected["weight"], result.weight) and _number_ok(expected["score"], result.score)
            and (result.deviation or None) == expected["deviation_reason"])


@pytest.mark.parametrize("path", ALL, ids=[p.stem for p in ALL])
def test_real_self_evaluation_reads_as_its_answer_key(path: Path) -> None:
    key = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))
    evaluation = _read(path)
    assert evaluation.year == key["year"]
    assert canon(evaluation.name or "") == canon(key["project"])
    assert canon(key["unit"]).endswith(canon(evaluation.agency or "-"))
    wrong = [e["name"] for e in key["indicators"] if not any(_right(e, r) for r in evaluation.results)]
    assert not wrong, f"indicators not read as the key says: {wrong}"
    assert len(evaluation.results) == len(key["indicators"]), [r.name for r in evaluation.results]
    budget = key["budget"]
    figures = {"全年预算数": evaluation.adjusted_budget, "全年执行数": evaluation.executed}
    for label, got in figures.items():
        expected = budget.get(label) or budget.get("本年财政拨款", {}).get(f"{label}_yuan")
        assert _number_ok(expected, got), (label, expected, got)
    assert _number_ok(budget["分值"], evaluation.execution_weight)
    total = key.get("total") or {}
    assert _number_ok(total.get("得分"), evaluation.total_score)
    assert _number_ok(total.get("分值"), evaluation.total_weight)


def _generated(count: int = 11, seed: int = 5) -> tuple[list, list]:  # type: ignore[type-arg]
    projects = corpus(count, seed=seed, years=(2023,), defects=0.0)
    return projects, evaluation_corpus(projects, seed=seed)


def _rows_of(evaluation: EvaluationRecord) -> list[tuple[str, str, str, int, int, str]]:
    """What each result says (texts compared canonically: run-together text is split in its canonical form)."""
    return [(canon(r.name or ""), canon(r.target.stated) if r.target else "", canon(r.actual.stated) if r.actual else "", int(r.weight or -1),
             int(r.score or -1), canon(r.deviation or "")) for r in evaluation.results]


def _made(rows: list) -> list[tuple[str, str, str, int, int, str]]:  # type: ignore[type-arg]
    return [(canon(r.name), canon(r.target), canon(r.actual), r.weight, r.score, canon(r.reason)) for r in rows]


@pytest.mark.parametrize("form", FORMS)
def test_generated_evaluations_read_in_every_text_form(tmp_path: Path, form: str) -> None:
    _, evaluations = _generated()
    path = tmp_path / f"evaluations-{form}.txt"
    path.write_text(render_evaluations(evaluations, form), encoding="utf-8")
    read = normalize(read_file(path)).evaluations
    assert [e.name for e in read] == [e.project.name for e in evaluations]
    for got, made in zip(read, evaluations, strict=True):
        assert _rows_of(got) == _made(made.rows), (form, made.outcome)
        assert (got.year, got.agency, got.total_score, got.execution_weight, got.execution_score, got.grade) == (
            2023, made.project.agency, made.total_score, made.execution_weight, made.execution_score, made.grade)
        assert got.adjusted_budget == Decimal(made.adjusted_wan) * 10000 and got.executed == Decimal(made.executed_wan) * 10000
        assert got.execution_rate == Decimal(made.rate.rstrip("%"))


def _blocks(text: str) -> list[str | list[list[str]]]:
    """The Markdown rendering as blocks for the office writers: text lines, and each table's rows of cells."""
    blocks: list[str | list[list[str]]] = []
    for line in text.splitlines():
        if line.startswith("|---"):
            continue
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if blocks and isinstance(blocks[-1], list):
                blocks[-1].append(cells)
            else:
                blocks.append([cells])
        elif line.strip():
            blocks.append(line.strip())
    return blocks


def write_csv(blocks: list[str | list[list[str]]], target: Path) -> Path:
    """The blocks as one CSV sheet, as a spreadsheet exports it: a text line is a row of one cell."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for block in blocks:
        writer.writerows([[block]] if isinstance(block, str) else block)
    target.write_text(buffer.getvalue(), encoding="utf-8")
    return target


@pytest.mark.parametrize("writer", [write_docx, write_xlsx, write_xls, write_html, write_csv], ids=["docx", "xlsx", "xls", "html", "csv"])
def test_generated_evaluations_read_from_office_and_web_files(tmp_path: Path, writer) -> None:  # type: ignore[no-untyped-def]
    _, evaluations = _generated(4)
    suffix = {"write_docx": ".docx", "write_xlsx": ".xlsx", "write_xls": ".xls", "write_html": ".html", "write_csv": ".csv"}[writer.__name__]
    path = writer(_blocks(render_evaluations(evaluations)), tmp_path / f"evaluations{suffix}")
    read = normalize(read_file(path)).evaluations
    assert [_rows_of(e) for e in read] == [_made(e.rows) for e in evaluations]


@pytest.mark.slow
@pytest.mark.skipif(converter() is None, reason="LibreOffice prints the PDF")
def test_generated_evaluations_read_from_a_printed_pdf(tmp_path: Path) -> None:
    _, evaluations = _generated(2)
    docx = write_docx(_blocks(render_evaluations(evaluations)), tmp_path / "evaluations.docx")
    read = normalize(read_file(print_pdf(docx, tmp_path))).evaluations
    assert [_rows_of(e) for e in read] == [_made(e.rows) for e in evaluations]


def test_fill_in_instructions_read_as_empty(tmp_path: Path) -> None:
    text = render_evaluations(_generated(1)[1])
    # The last indicator row's actual cell holds the form's instruction instead of a result.
    filled = re.sub(r"\| ([^|]+) \| ([^|]+) \| (\d+) \| (\d+) \|  \|\n\| 总分", r"| \1 | 填写实际完成值 | \3 | \4 |  |\n| 总分", text)
    assert filled != text
    path = tmp_path / "form.md"
    path.write_text(filled, encoding="utf-8")
    evaluation = normalize(read_file(path)).evaluations[0]
    last = evaluation.results[-1]
    assert last.actual is None and last.weight == 10
    assert any(n.kind == "FillInInstruction" for n in evaluation.all_notes())


def test_an_evaluation_has_its_own_graph_beside_its_target_table(tmp_path: Path) -> None:
    projects, evaluations = _generated(1)
    (tmp_path / "targets.md").write_text(render(projects), encoding="utf-8")
    (tmp_path / "evaluation.md").write_text(render_evaluations(evaluations), encoding="utf-8")
    target_keys = [c.key for c in document_chunks(normalize(read_file(tmp_path / "targets.md")))]
    evaluation_keys = [c.key for c in document_chunks(normalize(read_file(tmp_path / "evaluation.md")))]
    assert target_keys[0][1:] == evaluation_keys[0][1:] and target_keys[0][0] == "project" and evaluation_keys[0][0] == "evaluation"
    result = CliRunner().invoke(main, ["ingest", str(tmp_path / "evaluation.md"), "-o", str(tmp_path / "out.ttl")], catch_exceptions=False)
    assert result.exit_code == 0
    # The summary counts the evaluation, not "0 projects" alone.
    assert "evaluation.md: 0 projects, 1 self-evaluations," in result.stderr and "total: 1 document(s), 0 projects, 1 self-evaluations," in result.stderr


def test_actuals_that_restate_the_target_or_say_only_completed_are_recorded(tmp_path: Path) -> None:
    text = render_evaluations(_generated(1)[1])
    path = tmp_path / "restated.md"
    restated = re.sub(r"\| ([≥≤=])(\d+)(%) \| \2% \|", r"| \1\2\3 | \1\2\3 |", text, count=1)
    path.write_text(re.sub(r"\| ≥(\d+)人 \| \1人 \|", r"| ≥\1人 | 完成 |", restated, count=1), encoding="utf-8")
    evaluation = normalize(read_file(path)).evaluations[0]
    kinds = {n.kind for n in evaluation.all_notes()}
    assert {"ActualRestatesTarget", "ActualOnlyCompleted"} <= kinds
    restated = [r for r in evaluation.results if r.restates_target]
    assert restated and all(r.actual is None or r.actual.comparator is None for r in restated)


def test_a_department_wide_self_evaluation_is_a_plan_evaluation(tmp_path: Path) -> None:
    text = render_evaluations(_generated(1)[1]).replace("项目支出绩效自评表", "部门整体支出绩效自评表")
    path = tmp_path / "department.md"
    path.write_text(text, encoding="utf-8")
    evaluation = normalize(read_file(path)).evaluations[0]
    assert evaluation.kind == "department"
    chunk = next(document_chunks(normalize(read_file(path))))
    assert chunk.key[0] == "plan-evaluation" and chunk.key[2] == ""
