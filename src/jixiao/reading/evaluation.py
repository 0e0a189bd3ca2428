"""Read year-end self-evaluation tables (项目支出绩效自评表, 部门整体支出绩效自评表) into EvaluationRecords.

A self-evaluation is recognised by its indicator header: the column roles of a target table's
header (一级指标, 三级指标, 年度指标值 …) with an actual-value or score-obtained column (实际完成值,
全年实际值, 得分 …). Every name is a SKOS label of ontology/forms.ttl (column roles, form fields),
read through `jixiao.reading.forms`; docs/selfeval.md has the rules. The document's cells come from
the same readers and text forms as a target table's; here they are read as one stream of cells:

- form fields (项目名称, 主管部门, 实施单位 …) by the generic label-then-value rule, several labels
  then their values paired from the right (年度总体目标 | 预期目标 | 实际完成情况 | A | B);
- the funds block: a run of budget column roles (年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分),
  then rows led by a budget field (年度资金总额, 其中:财政拨款 …) and their figures;
- the indicator table: category cells set the level-1 (with its stated weight, 产出指标(50分)) and the
  level-2; the cells between them are aligned to the header's other columns by a dynamic programme
  over (cell, column), each row starting at a name; cells that ran together with no separator are
  split by the header's column order and the shape of each value (a number, a value with its
  comparator and unit, a qualitative text);
- the total row (总分 | 100 | 100) and the grade.

A cell still holding the form's fill-in instruction (填写…) reads as empty. An actual that copies its
target (`≥266米`) or says only 完成 / 达成预期指标 is read as written and recorded.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from functools import cache

from rdflib import URIRef
from rdflib.namespace import SKOS

from jixiao.errors import InputError
from jixiao.namespaces import JX
from jixiao.reading import forms
from jixiao.reading.layout import CAPTION_ROLES, FIELD_ROLE_PREFIX, classify, fit, header_role
from jixiao.reading.readers import RawDocument
from jixiao.reading.records import DEPARTMENT, DocumentRecord, EvaluationRecord, NamedUnit, Note, ResultRecord
from jixiao.reading.values import ParsedValue, parse_value, plain_decimal, resolve_unit
from jixiao.vocabulary import Vocabulary, canon, vocabulary

# Column roles only a self-evaluation has: a header naming one of them is an evaluation's.
EVALUATION_ROLES = ("ActualColumn", "ObtainedScoreColumn", "DeviationReasonColumn")
# The funds block's columns (年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分).
BUDGET_ROLES = ("InitialBudgetColumn", "AdjustedBudgetColumn", "ExecutedColumn", "ExecutionRateColumn", "ScoreColumn", "ObtainedScoreColumn")
_FUNDS_ONLY_ROLES = BUDGET_ROLES[:4]  # roles only the funds block has: a header cell naming one is no indicator column
_MONEY_ROLES = ("InitialBudgetColumn", "AdjustedBudgetColumn", "ExecutedColumn")
_AGENCY_ROLES = ("DeclaringUnit", "ImplementingUnit", "SupervisingDepartment")  # as a target table's agency
_FILER_ROLES = ("ImplementingUnit", "DeclaringUnit", "SupervisingDepartment")
_DATE = re.compile(r"((?:19|20)\d{2})年(\d{1,2})月(\d{1,2})日")
_YEAR = re.compile(r"((?:19|20)\d{2})年")
_YEAR_CELL = re.compile(r"^[(（]?((?:19|20)\d{2})年度?[)）]?$")
_WEIGHT_IN_CATEGORY = re.compile(r"[(（]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]")
_NUMBER = r"(?:0|[1-9]\d*)(?:\.\d+)?"
_SMALL_NUMBER = r"(?:100|[1-9]?\d)(?:\.\d{1,2})?"  # a weight or a score: at most 100, at most two decimals
_LEADING_FIGURES = re.compile(r"^([\d.,%]+)(.*)$")
# A department-wide self-evaluation's title says so (部门整体支出绩效自评表).
_DEPARTMENT_WIDE = "整体"
_ROW_START = 4.0
# Columns whose fit this module decides (the evaluation's own, and the text and value columns it reads differently).
_OWN_FITS = ("Level3Column", "ScoreColumn", "ObtainedScoreColumn", "ValueColumn", "ActualColumn", "DeviationReasonColumn")
_DROP = 4.0
_SPLIT_ROW_START = 6.0
_VALUE_AFTER = 2.5


@dataclass(frozen=True)
class _Cell:
    text: str
    line: int
    row: int | None  # the line's row when the cells keep their rows; None in a stream
    run_together: bool = False


# ----- recognising an evaluation -------------------------------------------------------------


def _header_at(cells: list[_Cell], start: int) -> tuple[list[str], int] | None:
    """The indicator header's column roles starting at `start` and the index after it, if it is an evaluation's."""
    roles: list[str] = []
    index = start
    while index < len(cells):
        found = header_role(cells[index].text)
        if found is None or found[0].startswith(FIELD_ROLE_PREFIX) or found[0] in _FUNDS_ONLY_ROLES:
            break
        if found[0] not in CAPTION_ROLES:
            roles.append(found[0])
        index += 1
    if len(roles) < 4 or not {"Level1Column", "Level3Column"} & set(roles) or not set(EVALUATION_ROLES) & set(roles):
        return None
    return roles, index


def _cells(document: RawDocument) -> list[_Cell]:
    """The document's cells in order; in a stream, a header or category name broken over two lines
    (年度 / 指标值, 实际 / 完成值, 经济效益 / 指标) is joined."""
    cells: list[_Cell] = []
    for line in document.lines:
        texts = [c.strip() for c in (line.cells or (line.text,)) if c and c.strip() and c.strip() != "|"]
        form = line.form
        row = line.number if form not in ("text", "run-together") and len(texts) > 1 else None
        for text in texts:
            previous = cells[-1] if cells else None
            if previous is not None and previous.row is None and row is None and _joins(previous.text, text):
                cells[-1] = replace(previous, text=previous.text + text)
            else:
                cells.append(_Cell(text, line.number, row, form == "run-together"))
    return cells


def _joins(previous: str, text: str) -> bool:
    """Whether two cells of a stream are one name broken over two lines: together they name a column, a category or a
    form field, and they are not two such names side by side."""
    joined = previous + text
    if _names_column(joined):
        return not (_names_column(previous) and _names_column(text))
    return forms.form_field(joined) is not None and forms.form_field(text) is None and not _names_column(text) and len(text) <= 6


def _names_evaluation_column(text: str) -> bool:
    role = forms.column_role(text) if text and len(text) <= 30 else None
    return role is not None and role.role in EVALUATION_ROLES


def _names_column(text: str) -> bool:
    """Whether the text names a column role or a framework category (a name a header or a category cell holds)."""
    key = canon(forms.strip_score_range(text))
    vocab = vocabulary()
    return forms.column_role(text) is not None or key in vocab.level1 or key in vocab.level2


def is_evaluation(document: RawDocument) -> bool:
    """Whether the document holds a self-evaluation's indicator table (its header names an actual or score column)."""
    if not any(_names_evaluation_column(cell) for line in document.lines for cell in (line.cells or (line.text,))):
        return False  # the usual case, a target table: no cell names an evaluation's column (checked cheaply first)
    cells = _cells(document)
    return any(_header_at(cells, i) is not None for i in range(len(cells)) if forms.column_role(cells[i].text) is not None)


# ----- splitting cells that ran together ------------------------------------------------------


@cache
def _value_pattern() -> str:
    """A quantitative value's shape: an optional comparator, a number, an optional unit (the vocabulary's)."""
    vocab = vocabulary()
    comparators = sorted({form for form, _ in vocab.comparator_prefixes if form}, key=len, reverse=True)
    units = sorted({key for key in vocab.units if key and not any(ch.isdigit() for ch in key)} | {"%"}, key=len, reverse=True)
    return (f"(?:{'|'.join(re.escape(c) for c in comparators)})?{_NUMBER}(?:{'|'.join(re.escape(u) for u in units)})?")


_KIND_PATTERNS = {
    "name": r"[^\d≥≤<>=]{2,60}",
    "number": _SMALL_NUMBER,
    "money": _NUMBER,
    "rate": rf"{_NUMBER}%",
}


def _kind_of(role: str) -> str:
    return {"Level3Column": "name", "ScoreColumn": "number", "ObtainedScoreColumn": "number", "ValueColumn": "value",
            "ActualColumn": "value", "ExecutionRateColumn": "rate", "DeviationReasonColumn": "text"}.get(
        role, "money" if role in _MONEY_ROLES else "text")


def _piece_fits(kind: str, piece: str) -> float | None:
    """How well a piece of run-together text fits a kind of cell (None: it does not)."""
    if kind == "value":
        if re.fullmatch(_value_pattern(), piece):
            # A value with its comparator or unit fits best; a bare number may be a cut of figures run together.
            return 0.2 if re.fullmatch(_NUMBER, piece) else 3.0
        if re.fullmatch(rf"[≥≤<>=]{_NUMBER}[\u3400-\u9fff]{{1,2}}", piece):
            return 2.0  # a unit the vocabulary does not know
        return 0.5 if re.fullmatch(r"[^\d≥≤<>=]{2,20}", piece) else None
    if kind == "name" and canon(piece) in vocabulary().units:
        return None  # a unit alone is no indicator's name
    if kind == "text":  # a deviation reason in run-together text: words; a figure there starts the next row
        return 0.1 if re.fullmatch(r"[^\d≥≤<>=]{2,80}", piece) else None
    return 2.0 if re.fullmatch(_KIND_PATTERNS[kind], piece) else None


def split_run_together(text: str, kinds: list[str], cyclic: bool) -> list[list[str]] | None:
    """Split text whose cells ran together into rows of cells of the given kinds, in order; None if it cannot be.

    With `cyclic`, rows repeat (a name starts each); a trailing text kind (the deviation reason) may be left out.
    Two qualitative cells side by side (target, then actual) are cut where they repeat each other (显著提升显著提升).
    """
    text = canon(text)
    n, width = len(text), len(kinds)
    best: dict[tuple[int, int], tuple[float, list[list[str]]] | None] = {}

    def solve(pos: int, k: int) -> tuple[float, list[list[str]]] | None:
        if pos == n:
            return (0.0, [[]]) if k == 0 or (k == width - 1 and kinds[k] == "text") or k == width else None
        if k == width:
            return solve(pos, 0) if cyclic else None
        if (pos, k) in best:
            return best[(pos, k)]
        found: tuple[float, list[list[str]]] | None = None
        options = [(k + 1, None)] if kinds[k] == "text" else []
        for end in range(pos + 1, min(n, pos + 80) + 1):
            if kinds[k] != "text" or end == n:  # a deviation reason only at the end: inside, words start the next row
                options.append((k + 1, end))
        for next_k, end in options:
            if end is None:
                rest = solve(pos, next_k)
                fit = 0.0
                piece = ""
            else:
                piece = text[pos:end]
                fitted = _piece_fits(kinds[k], piece)
                if fitted is None:
                    continue
                rest = solve(end, next_k)
                fit = fitted
            if rest is None:
                continue
            rows = [list(row) for row in rest[1]]
            if next_k == width or (k == width - 1):
                rows.insert(0, [])
            rows[0].insert(0, piece)
            # Each row costs a little, so a text is not cut into more rows than its figures need.
            candidate = (fit + rest[0] - (_SPLIT_ROW_START if k == 0 else 0.0), rows)
            if found is None or candidate[0] > found[0]:
                found = candidate
        best[(pos, k)] = found
        return found

    result = solve(0, 0)
    if result is None:
        return None
    rows = [row for row in result[1] if row]
    return [_split_repeated_pair(row, kinds) for row in rows]


def _split_repeated_pair(row: list[str], kinds: list[str]) -> list[str]:
    """Target then actual, both qualitative and run together, were cut anywhere: cut them where they repeat."""
    for k in range(len(kinds) - 1):
        if kinds[k] == kinds[k + 1] == "value" and k + 1 < len(row):
            joined = row[k] + row[k + 1]
            half = len(joined) // 2
            if len(joined) % 2 == 0 and joined[:half] == joined[half:]:
                row[k], row[k + 1] = joined[:half], joined[half:]
    return row


# ----- the reader ----------------------------------------------------------------------------


@dataclass
class _Funds:
    roles: list[str]
    rows: list[tuple[str, list[str], int, bool]]  # (label, figures, line, whether its cells ran together)


def _decimal(text: str | None) -> Decimal | None:
    if text is None:
        return None
    cleaned = canon(text).replace(",", "").rstrip("%分")
    try:
        return plain_decimal(Decimal(cleaned))
    except InvalidOperation:
        return None


class _EvaluationReader:
    def __init__(self, document: RawDocument, year: int | None) -> None:
        self.document = document
        self.vocab: Vocabulary = vocabulary()
        self.cells = _cells(document)
        self.year = year
        self.notes: list[Note] = []  # about the document, not one evaluation
        self.record = EvaluationRecord(year=year)
        self.money_unit: str | None = None
        self.written_year: int | None = None

    # form part ---------------------------------------------------------------

    def read_all(self) -> list[EvaluationRecord]:
        """Every self-evaluation in the document, one after another (each from its form fields to its total)."""
        records: list[EvaluationRecord] = []
        index = 0
        while index < len(self.cells):
            self.record, self.money_unit, self.written_year = EvaluationRecord(year=self.year), None, None
            start = index
            header: tuple[list[str], int] | None = None
            while index < len(self.cells):
                header = _header_at(self.cells, index) if forms.column_role(self.cells[index].text) else None
                if header is not None:
                    break
                index = self.read_form_cell(index)
            if header is None:
                break
            roles, index = header
            index = self.read_table(roles, index)
            index = self.read_tail(index)
            record = self.finish(start, index)
            if record.name is None and not record.units:
                # A table whose form part is not in the file (the copy starts inside it): nothing says what it evaluates.
                self.notes.append(Note("TableCutOff", "", "an evaluation table with no project name or unit before it; not read",
                                       self.cells[start].line, True))
                continue
            records.append(record)
        if not records:
            raise InputError(self.document.path, self.cells[0].line if self.cells else None, "no self-evaluation table found / 未找到自评表")
        return records

    def finish(self, start: int, end: int) -> EvaluationRecord:
        record = self.record
        if self.written_year is not None:
            if record.year is not None and record.year != self.written_year:
                record.notes.append(Note("YearConflict", str(self.written_year), f"the table says {self.written_year}; --year {record.year} not used",
                                         None, True))
            record.year = self.written_year
        if record.year is None:
            record.notes.append(Note("FiscalYearNotStated", "", "no fiscal year recorded", record.name_line, True))
        self.choose_units()
        record.lines = sorted({c.line for c in self.cells[start:end]})
        for position, result in enumerate(record.results, start=1):
            result.position = position
        return record

    def read_form_cell(self, index: int) -> int:
        cell = self.cells[index]
        text = cell.text
        self.note_title(text)
        if self.funds_header(index) is not None:
            return self.read_funds(index)
        match = forms.form_field(text)
        value = ""
        if match is None:
            split = re.match(r"^([^:：]{1,16})[:：](.*)$", text)
            if split is not None and (match := forms.form_field(split.group(1))) is not None:
                value = split.group(2).strip()
        if match is None:
            return index + 1
        if match.money_unit:
            self.money_unit = match.money_unit
        if value:
            self.set_field(match, value, cell.line)
            return index + 1
        if cell.run_together and index + 1 < len(self.cells) and self.cells[index + 1].line == cell.line and self.is_value(self.cells[index + 1]):
            # Cells run together: the value is the rest of the line up to the next label (补贴项目 | 00000 is one name).
            end = index + 1
            while end < len(self.cells) and self.cells[end].line == cell.line and self.is_value(self.cells[end]):
                end += 1
            self.set_field(match, "".join(c.text for c in self.cells[index + 1:end]), cell.line)
            return end
        # Labels one after another, then their values: paired from the right (a caption at the left has none).
        labels = [match]
        end = index + 1
        while end < len(self.cells) and (more := forms.form_field(self.cells[end].text)) is not None and self.funds_header(end) is None:
            labels.append(more)
            end += 1
        values = end
        while values < len(self.cells) and self.is_value(self.cells[values]) and values - end < len(labels):
            values += 1
        texts = self.cells[end:values]
        for label in labels:
            if label.money_unit:
                self.money_unit = label.money_unit
        paired = min(len(labels), len(texts))
        for field_match, value_cell in zip(labels[len(labels) - paired:], texts[:paired], strict=True):
            self.set_field(field_match, value_cell.text, value_cell.line)
        return max(values, index + 1)

    def is_value(self, cell: _Cell) -> bool:
        """Whether a cell can be a field's value: no label, header, title or page furniture (an instruction left in a
        box is the box's value, read as empty by set_field)."""
        text = cell.text
        marker = forms.non_indicator_marker(text)
        return not (forms.form_field(text) or forms.column_role(text) or self.is_title(text) or (marker and marker != "FillInInstructionMarker"))

    def is_title(self, text: str) -> bool:
        return "自评" in canon(text) and canon(text).endswith(("表", ")", "）"))

    def note_title(self, text: str) -> None:
        key = canon(text)
        if (year_cell := _YEAR_CELL.match(key)) and self.written_year is None:
            self.written_year = int(year_cell.group(1))
        if "自评" in key and (year := _YEAR.search(key)) and self.written_year is None and "表" in key:
            self.written_year = int(year.group(1))
        if "自评" in key and _DEPARTMENT_WIDE in key:
            self.record.kind = DEPARTMENT

    def set_field(self, match: forms.FieldMatch, value: str, line: int) -> None:
        record, name = self.record, match.field.name
        if forms.non_indicator_marker(value) == "FillInInstructionMarker":
            record.notes.append(Note("FillInInstruction", value, f"{match.field.label}: read as empty", line, True))
            return
        if match.field.unit_role is not None:
            code, unit_name = forms.split_unit_code(value)
            record.units.append(NamedUnit(match.field.unit_role, unit_name, code, line))
        elif name == "ProjectNameField" and record.name is None:
            record.name, record.name_line = value, line
        elif name == "YearField" and (year := _YEAR.search(value + "年")):
            self.written_year = int(year.group(1))
        elif name in ("ExpectedGoalField", "AnnualGoalField") and record.name is not None and (
                record.expected_goal is None or name == "ExpectedGoalField"):
            record.expected_goal = value  # goal fields after the project's name; 预期目标 over 年度总体目标
        elif name == "AchievedGoalField" and record.name is not None and record.achieved_goal is None:
            record.achieved_goal = value
        elif name == "GradeField":
            record.grade = value
        elif name == "FilingDateField" and (date := _DATE.search(canon(value))):
            record.filed_on = _iso(date)

    def choose_units(self) -> None:
        record = self.record
        for wanted in _AGENCY_ROLES:
            unit = next((u for u in record.units if u.role == wanted), None)
            if unit is not None:
                record.agency, record.agency_code = unit.name, unit.code
                break
        for wanted in _FILER_ROLES:
            unit = next((u for u in record.units if u.role == wanted), None)
            if unit is not None:
                record.filer = unit.name
                break
        if record.agency is None:
            record.notes.append(Note("MissingField", "实施单位", "no unit named", record.name_line, True))

    # funds block -------------------------------------------------------------

    def funds_header(self, index: int) -> list[str] | None:
        roles: list[str] = []
        while index + len(roles) < len(self.cells):
            role = forms.column_role(self.cells[index + len(roles)].text)
            if role is None or role.role not in BUDGET_ROLES:
                break
            roles.append(role.role)
        return roles if len(roles) >= 3 and {"AdjustedBudgetColumn", "ExecutedColumn"} & set(roles) else None

    def read_funds(self, index: int) -> int:
        roles = self.funds_header(index)
        assert roles is not None
        index += len(roles)
        rows: list[tuple[str, list[str], int, bool]] = []
        skipped = 0
        while index < len(self.cells):
            cell = self.cells[index]
            match = forms.form_field(cell.text) or forms.form_field(cell.text.rstrip(":："))
            if match is None and not rows and skipped < 2 and not _LEADING_FIGURES.match(canon(cell.text)):
                skipped, index = skipped + 1, index + 1  # a header cell of no budget role (原因) before the first row
                continue
            if match is None or match.field.name not in ("BudgetField", "BudgetPartField"):
                break
            index += 1
            figures: list[str] = []
            while index < len(self.cells):
                text = canon(self.cells[index].text)
                leading = _LEADING_FIGURES.match(text)
                if leading is None or (leading.group(2) and not self.cells[index].run_together):
                    break  # a cell that only starts with a figure (1.预算执行率=…) is a note, not a figure
                figures.append(leading.group(1))
                if leading.group(2):
                    # Figures run together with the next row's label (10其中:本年): the rest is the next cell.
                    self.cells[index] = replace(self.cells[index], text=leading.group(2))
                    break
                index += 1
            rows.append((cell.text.rstrip(":："), figures, cell.line, cell.run_together))
        self.set_funds(_Funds(roles, rows))
        return index

    def set_funds(self, funds: _Funds) -> None:
        record = self.record
        kinds = [_kind_of(role) for role in funds.roles]
        read: list[tuple[str, dict[str, Decimal | None], int]] = []
        for label, figures, line, run_together in funds.rows:
            cells = figures
            if (len(figures) == 1 or run_together) and len(funds.roles) > 1 and len(figures) < len(funds.roles):
                split = self.split_funds("".join(figures), kinds, funds.roles)
                if split is not None:
                    cells = split
                    record.notes.append(Note("RunTogetherEvaluationRow", "".join(figures), " | ".join(split), line))
            values = {role: _decimal(text) for role, text in zip(funds.roles, cells, strict=False)}
            read.append((label, values, line))
        if not read:
            return
        unit = resolve_unit(self.money_unit or "元", self.vocab)
        factor = unit.factor if unit is not None else Decimal(1)
        if self.money_unit is None:
            record.notes.append(Note("MissingField", "金额单位", "no money unit stated; 元 assumed", read[0][2], True))
        label, total, line = read[0]
        money = [total.get(role) for role in _MONEY_ROLES]
        parts = [values for _, values, _ in read[1:] if any(values.get(role) for role in _MONEY_ROLES)]
        if not any(money) and len(parts) == 1:
            # The total row was never summed (all zero) and one part has the figures: they are the budget's.
            record.notes.append(Note("TotalsNotSummed", label, "the total row reads 0; the figures of its only part are used", line, True))
            total = {**total, **{role: parts[0].get(role) for role in _MONEY_ROLES}}
        scale = {role: (total[role] * factor if total.get(role) is not None else None) for role in _MONEY_ROLES}
        record.initial_budget = plain_decimal(scale["InitialBudgetColumn"]) if scale["InitialBudgetColumn"] is not None else None
        record.adjusted_budget = plain_decimal(scale["AdjustedBudgetColumn"]) if scale["AdjustedBudgetColumn"] is not None else None
        record.executed = plain_decimal(scale["ExecutedColumn"]) if scale["ExecutedColumn"] is not None else None
        record.execution_rate = total.get("ExecutionRateColumn")
        record.execution_weight = total.get("ScoreColumn")
        record.execution_score = total.get("ObtainedScoreColumn")
        record.budget_line = line

    def split_funds(self, text: str, kinds: list[str], roles: list[str]) -> list[str] | None:
        """Figures run together (202010100.00%10): the split whose rate agrees with its amounts and whose initial and
        adjusted budgets are closest (a budget is adjusted by a little, not by orders of magnitude)."""
        candidates = _all_splits(text, kinds)
        if not candidates:
            return None
        return max(candidates, key=lambda cells: _funds_plausibility(dict(zip(roles, (_decimal(c) for c in cells), strict=True))))

    # indicator table ----------------------------------------------------------

    def read_table(self, roles: list[str], index: int) -> int:
        data_roles = [r for r in roles if r not in ("Level1Column", "Level2Column", "GoalColumn")]
        level1: URIRef | None = None
        level1_text: str | None = None
        level1_weight: Decimal | None = None
        level2: URIRef | None = None
        level2_text: str | None = None
        chunk: list[_Cell] = []

        def flush() -> None:
            if chunk:
                for result in self.read_rows(list(chunk), data_roles):
                    if _name_only(result) and index < len(self.cells):
                        # A row with a name and nothing else (the template's 指标2 / …… left empty) is no result.
                        self.record.notes.append(Note("NotAnIndicatorRow", result.name or "", "a name with no value, actual, weight or score",
                                                      result.line))
                        continue
                    result.level1, result.level1_text, result.level1_weight = level1, level1_text, level1_weight
                    result.level2, result.level2_text = level2, level2_text
                    parent = self.vocab.parent.get(level2) if level2 is not None else None
                    if parent is not None and level1 is None:
                        result.level1 = parent
                    elif parent is not None and parent != level1 and self.vocab.legacy_broader.get(level2) != level1:
                        result.notes.append(Note("CategoryMismatch", f"{level1_text} / {level2_text}", "kept as written", result.line, True))
                    self.record.results.append(result)
                chunk.clear()

        while index < len(self.cells):
            cell = self.cells[index]
            text = cell.text
            key = canon(forms.strip_score_range(text))
            weight = _WEIGHT_IN_CATEGORY.search(canon(text))
            if self.ends_table(text):
                break
            marker = forms.non_indicator_marker(text)
            if key in self.vocab.level1 and (key not in self.vocab.level2 or level1 is None or weight is not None):
                flush()
                level1, level1_text, level2, level2_text = self.vocab.level1[key], forms.strip_score_range(text), None, None
                level1_weight = _decimal(weight.group(1)) if weight else None
                if weight:
                    self.record.notes.append(Note("Level1WeightStated", text, f"{level1_text}: {level1_weight}", cell.line))
            elif key in self.vocab.level2:
                flush()
                level2, level2_text = self.vocab.level2[key], forms.strip_score_range(text)
                if level1 is None:
                    level1 = self.vocab.parent.get(level2)
            elif marker == "FillInInstructionMarker":
                # The box is empty (its instruction or the template's placeholder is no result); the alignment skips it.
                self.record.notes.append(Note("FillInInstruction", text, "read as empty, not as a result", cell.line, True))
            elif marker is not None:
                self.record.notes.append(Note("NotAnIndicatorRow", text, f"{marker}; not an indicator", cell.line))
            else:
                chunk.append(cell)
            index += 1
        flush()
        results = self.record.results
        if index == len(self.cells) and results and _name_only(results[-1]):
            # The file ends inside the last row (the copy was cut): a name with nothing after it is no result.
            cut = results.pop()
            self.record.notes.append(Note("TableCutOff", cut.name or "", "the file ends inside this row; not read as a result", cut.line, True))
        return index

    def ends_table(self, text: str) -> bool:
        match = forms.form_field(text) or forms.form_field(re.sub(r"[\d.]+.*$", "", canon(text)))
        marker = forms.non_indicator_marker(text)
        return ((match is not None and match.field.name in ("TotalScoreField", "GradeField")) or marker in ("Footnote", "SignOffRow")
                or self.starts_evaluation(text))

    def read_rows(self, chunk: list[_Cell], roles: list[str]) -> list[ResultRecord]:
        if any(c.run_together for c in chunk):
            return self.read_run_together(chunk, roles)
        if (all(c.row is not None for c in chunk) and len({c.row for c in chunk}) > 1) or \
                (chunk and chunk[0].row is not None and all(c.row == chunk[0].row for c in chunk) and len(chunk) <= len(roles)):
            rows: dict[int, list[_Cell]] = {}
            for c in chunk:
                rows.setdefault(c.row or 0, []).append(c)
            return [r for cells in rows.values() for r in self.align(cells, roles)]
        return self.align(chunk, roles)

    def read_run_together(self, chunk: list[_Cell], roles: list[str]) -> list[ResultRecord]:
        text = canon("".join(c.text for c in chunk))
        # A total row or a footnote run into the last row (…总分100100注:1.) ends the table.
        cut = _tail_start(text)
        tail = text[cut:] if cut is not None else ""
        text = text[:cut] if cut is not None else text
        text = text.rstrip("…. ")
        kinds = [_kind_of(r) for r in roles]
        rows = split_run_together(text, kinds, cyclic=True)
        line = chunk[0].line
        if tail:
            self.read_total_text(tail, line)
        if rows is None:
            self.record.notes.append(Note("ExtraCells", text, "run-together cells no column order fits; kept in the source row", line, True))
            return []
        results = []
        for row in rows:
            cells = [_Cell(t, line, line) for t in row]
            result = self.result(dict(zip(roles, cells, strict=False)), [line])
            result.notes.append(Note("RunTogetherEvaluationRow", "".join(row), " | ".join(row), line))
            results.append(result)
        return results

    def read_tail(self, index: int) -> int:
        """After the table: the total row (总分 | 100 | 100), the grade, a filing date, notes — up to the next
        evaluation's title or project name; returns where that starts."""
        while index < len(self.cells):
            cell = self.cells[index]
            key = canon(cell.text)
            if self.starts_evaluation(cell.text):
                break
            if (start := _tail_start(key)) is not None and start == 0:
                self.read_total_cells(index)
            match = forms.form_field(cell.text)
            if match is not None and match.field.name == "GradeField" and index + 1 < len(self.cells):
                grade = self.cells[index + 1].text.strip()
                if 0 < len(canon(grade)) <= 4 and not any(ch.isdigit() for ch in grade) and self.is_value(self.cells[index + 1]):
                    self.record.grade = grade  # a grade is a word (优, 良好 …), not a label or a figure
            if (date := _DATE.search(key)) and self.record.filed_on is None:
                self.record.filed_on = _iso(date)
            index += 1
        if self.record.filed_on is None:
            joined = "".join(canon(c.text) for c in self.cells[:index])
            if (date := _DATE.search(joined)) is not None:
                self.record.filed_on = _iso(date)
        return index

    def starts_evaluation(self, text: str) -> bool:
        """A title (…自评表) or a project-name field: the next evaluation begins."""
        match = forms.form_field(text)
        return self.is_title(text) or (match is not None and match.field.name == "ProjectNameField")

    def read_total_text(self, text: str, line: int) -> None:
        """`总分100100` run together (after the last row, or in one cell): the full marks and the total score."""
        start = _tail_start(canon(text))
        if self.record.total_score is None and self.record.total_weight is None and start is not None:
            figures = re.match(r"^[^\d]*([\d.]+)", canon(text)[start:])
            self.set_total([figures.group(1)] if figures else [], True, text, line)

    def read_total_cells(self, index: int) -> None:
        """`总分 | 100 | 100` (or `合计 | 100 |` with the score left empty): the figures in the cells after the label."""
        cell = self.cells[index]
        if self.record.total_score is not None or self.record.total_weight is not None:
            return
        after = re.sub(r"^[^\d]*", "", canon(cell.text))  # 总分100100 in one cell
        figures = [after] if after else []
        for following in self.cells[index + 1:index + 3]:
            if not re.fullmatch(r"\d+(?:\.\d+)?", canon(following.text)) or (cell.row is not None and following.row != cell.row):
                break
            figures.append(canon(following.text))
        self.set_total(figures, cell.run_together or (len(figures) == 1 and bool(after)), cell.text, cell.line)

    def set_total(self, figures: list[str], run_together: bool, text: str, line: int) -> None:
        record = self.record
        if len(figures) >= 2:
            record.total_weight, record.total_score = _decimal(figures[0]), _decimal(figures[1])
        elif figures and run_together:
            # Full marks and the total run together (100102): the split whose two figures are nearest in size.
            splits = [(_decimal(a), _decimal(b)) for a, b in _all_splits(figures[0], ["money", "money"])]
            plausible = [(a, b) for a, b in splits if a and b]
            if plausible:
                record.total_weight, record.total_score = min(plausible, key=lambda pair: abs(math.log(float(pair[0]) / float(pair[1]))))
        elif figures:
            record.total_weight = _decimal(figures[0])  # full marks written, the total score left empty
        record.notes.append(Note("NotAnIndicatorRow", text, "the total row; read as the evaluation's total", line))

    # one row ---------------------------------------------------------------------

    def align(self, chunk: list[_Cell], roles: list[str]) -> list[ResultRecord]:
        """Cells in order -> rows: a dynamic programme over (cell, column); each row starts at a name."""
        if not chunk:
            return []
        width = len(roles)
        fits = [[_fit(c.text, r, self.vocab) for r in roles] for c in chunk]
        name_col = roles.index("Level3Column") if "Level3Column" in roles else 0
        minus = float("-inf")
        best = [[minus] * (width + 1) for _ in chunk]
        back: list[list[tuple[int, bool]]] = [[(-1, False)] * (width + 1) for _ in chunk]
        for t in range(len(chunk)):
            for j in range(width + 1):
                options: list[tuple[float, int, bool]] = []
                if t == 0:
                    if j == name_col:
                        options.append((fits[0][j] - _ROW_START, -1, True))
                    elif j == width:
                        options.append((-_DROP, -1, True))
                else:
                    for p in range(width + 1):
                        if best[t - 1][p] == minus:
                            continue
                        previous = _last_column(back, t - 1, p, width)
                        if j == width:
                            options.append((best[t - 1][p] - _DROP, p, False))
                        elif j > previous:
                            # A value right after its name or its direction (= | 100) is the usual shape, not a weight.
                            bonus = _VALUE_AFTER if roles[j] == "ValueColumn" and previous >= 0 and roles[previous] in (
                                "Level3Column", "DirectionColumn") and fits[t][j] > 0 else 0.0
                            options.append((best[t - 1][p] + fits[t][j] + bonus, p, False))
                        if j == name_col and j != width:
                            options.append((best[t - 1][p] + fits[t][j] - _ROW_START, p, True))
                for score, p, starts in options:
                    if score > best[t][j]:
                        best[t][j], back[t][j] = score, (p, starts)
        state = max(range(width + 1), key=lambda j: best[-1][j])
        placed: list[tuple[int, int, bool]] = []
        for t in range(len(chunk) - 1, -1, -1):
            p, starts = back[t][state]
            placed.append((t, state, starts))
            state = p
        placed.reverse()
        rows: list[dict[str, _Cell]] = []
        lines: list[list[int]] = []
        dropped: list[_Cell] = []
        for t, j, starts in placed:
            if starts and j != width:
                rows.append({})
                lines.append([])
            if j == width or not rows:
                dropped.append(chunk[t])
                continue
            rows[-1][roles[j]] = chunk[t]
            lines[-1].append(chunk[t].line)
        results = [self.result(row, sorted(set(ls))) for row, ls in zip(rows, lines, strict=True)]
        if dropped and results:
            results[-1].notes.append(Note("ExtraCells", " | ".join(c.text for c in dropped), "fits no column; kept in the source row", dropped[0].line, True))
        return results

    def result(self, cells: dict[str, _Cell], lines: list[int]) -> ResultRecord:
        notes: list[Note] = []
        text = {role: cell.text.strip() for role, cell in cells.items() if cell.text.strip()}
        line = lines[0] if lines else 0
        # A direction column (指标性质 =) and a unit column (度量单位 %) complete a value that writes neither.
        direction = text.get("DirectionColumn")
        direction = direction if direction and any(canon(direction) == form for form, _ in self.vocab.comparator_prefixes) else None
        unit = text.get("UnitOfMeasureColumn")
        unit = unit if unit and not any(ch.isdigit() for ch in unit) else None
        target = parse_value(text["ValueColumn"], self.vocab, unit_column=unit, direction_column=direction) if "ValueColumn" in text else None
        if target is not None and (direction or unit) and target.quantitative:
            own = parse_value(text["ValueColumn"], self.vocab)
            target = replace(target, stated=f"{direction if direction and not own.comparator_stated else ''}{text['ValueColumn']}"
                                            f"{unit if unit and not own.unit_text else ''}")
        actual, restates = self.actual(text.get("ActualColumn"), target, line, notes)
        weight, score = _decimal(text.get("ScoreColumn")), _decimal(text.get("ObtainedScoreColumn"))
        if "ValueColumn" not in text:
            notes.append(Note("MissingValue", text.get("Level3Column", ""), "no target value restated", line, True))
        return ResultRecord(text.get("Level3Column"), None, None, None, None, target, actual, weight, score,
                            text.get("DeviationReasonColumn"), lines or [line], notes, restates_target=restates)

    def actual(self, text: str | None, target: ParsedValue | None, line: int, notes: list[Note]) -> tuple[ParsedValue | None, bool]:
        """The actual value: comparator-free; a bare number takes the target's unit; a copy of the target or 完成 is recorded."""
        if text is None:
            return None, False
        parsed = parse_value(text, self.vocab)
        restates = False
        if canon(text) in _met_without_figure():
            notes.append(Note("ActualOnlyCompleted", text, "read as qualitative: says the target was met, gives no figure", line, True))
            return replace(parsed, comparator=None), True
        if target is not None and canon(text) == canon(target.stated) and parsed.comparator_stated:
            notes.append(Note("ActualRestatesTarget", text, "the actual copies the target; read as its number", line, True))
            restates = True
        if parsed.quantitative and parsed.unit is None and not parsed.unit_text and target is not None and target.quantitative \
                and (target.stated_unit is not None or target.unit_text):
            unit_text = target.unit_text or (self.vocab.label_zh.get(target.stated_unit, "") if target.stated_unit else "")
            if unit_text:
                reparsed = parse_value(f"{text}{unit_text}", self.vocab)
                if reparsed.quantitative:
                    parsed = replace(reparsed, stated=text)
                    notes.append(Note("ActualUnitInherited", text, f"unit {unit_text} from the target", line))
        return replace(parsed, comparator=None, comparator_stated=False), restates


def _funds_plausibility(values: dict[str, Decimal | None]) -> tuple[bool, bool, bool, float]:
    """How plausible a split of run-together figures is: its rate agrees with executed / adjusted, something was spent
    where the rate says so, and the initial budget is near the adjusted one."""
    budget, executed, rate = values.get("AdjustedBudgetColumn"), values.get("ExecutedColumn"), values.get("ExecutionRateColumn")
    initial = values.get("InitialBudgetColumn")
    # Agreement within the rounding of a rate written to two decimals; a zero spent at 0 % agrees trivially and says nothing.
    agrees = bool(budget) and bool(executed) and rate is not None and abs(executed / budget * 100 - rate) <= Decimal("0.05")  # type: ignore[operator]
    spent = executed is not None and rate is not None and (executed > 0) == (rate > 0)
    closeness = 0.0
    if not budget:
        closeness = -50.0  # a zero budget beside figures is a cut in the wrong place
    elif initial is not None:
        closeness = -abs(math.log(float(initial) / float(budget))) if initial else -50.0
    # Spending within the budget and a rate of at most 100 % are the usual case.
    within = bool(budget) and executed is not None and rate is not None and executed <= budget and rate <= 100  # type: ignore[operator]
    return agrees and spent, spent, within, closeness


def _name_only(result: ResultRecord) -> bool:
    return result.target is None and result.actual is None and result.weight is None and result.score is None


def _last_column(back: list[list[tuple[int, bool]]], t: int, state: int, width: int) -> int:
    """The column of the last placed cell of the current row up to token t (dropped cells keep the row's column)."""
    while t >= 0:
        if state != width:
            return state
        p, starts = back[t][state]
        if starts:
            return -1
        t, state = t - 1, p
    return -1


def _fit(text: str, role: str, vocab: Vocabulary) -> float:
    """How well a cell fits a column of an evaluation's table; the columns target tables have too (指标性质, 度量单位 …)
    fit as the target-table layout says (jixiao.reading.layout.fit)."""
    key = canon(text)
    if key and role not in _OWN_FITS:
        return fit(classify(text, vocab), role)
    if not key:  # an emptied fill-in box: it keeps its column, any data column
        return 0.5 if role not in ("Level3Column",) else -6.0
    number = re.fullmatch(_SMALL_NUMBER, key) is not None
    parsed = parse_value(text, vocab)
    valued = parsed.quantitative or parsed.comparator is not None
    if role == "Level3Column":
        return -5.0 if number else -3.0 if valued else 3.0
    if role in ("ScoreColumn", "ObtainedScoreColumn"):
        return 3.0 if number else -6.0
    if role == "ValueColumn":
        if parsed.comparator is not None and parsed.number is None:
            return 0.5  # a comparator alone is a direction column's cell
        return 3.0 if valued and not number else 1.0 if number else 1.5
    if role == "ActualColumn":
        return 2.5 if valued else 1.0
    if role == "DeviationReasonColumn":
        return 0.2 if number else -2.0 if valued else 0.5  # a bare 0 there says "no deviation"
    return -2.0 if valued else 0.3


def _tail_start(text: str) -> int | None:
    """Where a total row (总分) or a footnote (注:) starts in run-together text."""
    key = canon(text)
    positions = [key.find(label) for label in _total_labels() if label in key]
    note = re.search(r"注[:：]", key)
    if note:
        positions.append(note.start())
    return min(positions) if positions else None


@cache
def _total_labels() -> tuple[str, ...]:
    graph = vocabulary().graph
    labels = [canon(str(o)) for p in (SKOS.prefLabel, SKOS.altLabel) for o in graph.objects(JX.TotalScoreField, p)]
    return tuple(sorted(labels, key=len, reverse=True))


@cache
def _met_without_figure() -> frozenset[str]:
    """The wordings of an actual that says only the target was met (jx:MetWithoutFigure in ontology/evaluation.ttl)."""
    graph = vocabulary().graph
    return frozenset(canon(str(label)) for p in (SKOS.prefLabel, SKOS.altLabel) for label in graph.objects(JX.MetWithoutFigure, p))


def _iso(date: re.Match[str]) -> str:
    return f"{int(date.group(1)):04d}-{int(date.group(2)):02d}-{int(date.group(3)):02d}"


def _all_splits(text: str, kinds: list[str], limit: int = 20000) -> list[list[str]]:
    """Every way to cut `text` into cells of `kinds`, in order (at most `limit`)."""
    out: list[list[str]] = []

    def walk(pos: int, k: int, cells: list[str]) -> None:
        if len(out) >= limit:
            return
        if k == len(kinds):
            if pos == len(text):
                out.append(list(cells))
            return
        for end in range(pos + 1, len(text) + 1):
            if _piece_fits(kinds[k], text[pos:end]) is not None:
                walk(end, k + 1, [*cells, text[pos:end]])

    walk(0, 0, [])
    return out


def read_evaluation(document: RawDocument, year: int | None = None) -> DocumentRecord:
    """A self-evaluation document -> a DocumentRecord whose `evaluations` hold it (no target projects: its graph is its own)."""
    reader = _EvaluationReader(document, year)
    records = reader.read_all()
    texts = {line.number: line.text for line in document.lines}
    return DocumentRecord(document.path, document.name, document.encoding, document.content_hash, texts, [], reader.notes, records)


__all__ = ["BUDGET_ROLES", "EVALUATION_ROLES", "is_evaluation", "read_evaluation", "split_run_together"]
