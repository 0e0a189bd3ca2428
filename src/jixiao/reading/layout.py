"""Find an indicator table's columns and place cells by the column they stand in.

Rows whose merged cells were collapsed (``bars``, ``spaces``) keep their cells in column order
but not at column positions; cell streams (``text``, ``run-together``) do not even keep row
boundaries. Both are read the same way (docs/reading.md, "Alignment"): each (cell, column role)
pair has a fit, roles may be skipped (a merged cell, inherited from the row above), and a
dynamic-programming alignment picks the best assignment of the cells, in order, to the header's
columns — and, in a stream, where each row ends: a row ends where the next cell cannot continue
it in column order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rdflib import URIRef

from jixiao.reading.forms import column_role, form_field, goal_qualifier, split_unit_code, strip_score_range
from jixiao.reading.values import parse_value, resolve_unit
from jixiao.vocabulary import Vocabulary, canon

# Column roles whose cells carry an indicator's own properties; the others go to `extra`.
CATEGORY_ROLES = ("Level1Column", "Level2Column")
# Roles that are captions of the table, not data columns.
CAPTION_ROLES = ("IndicatorsCaption",)
# A column holding a form field's value on the row that starts each project: "Field:" + the jx:FormField's local name.
FIELD_ROLE_PREFIX = "Field:"
_GOAL_LABEL = re.compile(r"^(中长期|长期|年度)?(?:绩效)?目标(\d*)$")
_SCORE_SUFFIX = re.compile(r"[(（]\s*\d+(?:\.\d+)?\s*分?\s*[)）]$")
_NUMBER_ONLY = re.compile(r"^\d+(?:\.\d+)?分?$")
_ROW_START_COST = 2.0
_DROP_COST = 4.0
_VALUE_AFTER_NAME = 2.0
_TEXT_BEFORE_VALUE = ("Level3Column", "DescriptionColumn", "ExplanationColumn")
_REPEAT_AS_DESCRIPTION = 4.5
_REPEAT_AS_VALUE = -12.0


@dataclass(frozen=True)
class Column:
    """One column of an indicator table: its role, the goal kind it belongs to, its year."""

    role: str
    goal_kind: str | None = None
    year: int | None = None
    label: str = ""


@dataclass(frozen=True)
class Token:
    """A cell in reading order; `row` is its line's row key when row boundaries are known."""

    text: str
    line: int
    row: int | None  # None: a cell of a stream, whose row the alignment decides


@dataclass
class AlignedRow:
    """The cells of one table row, each with the index of the column it stands in."""

    cells: list[tuple[int, Token]] = field(default_factory=list)
    dropped: list[Token] = field(default_factory=list)

    @property
    def lines(self) -> list[int]:
        return sorted({token.line for _, token in self.cells} | {token.line for token in self.dropped})


def header_role(text: str) -> tuple[str, str | None, int | None] | None:
    """The column role a header cell names, with a goal kind written before or after it.

    `本年度 绩效指标` is the caption with the annual qualifier; `年度绩效目标(90分)` a goal caption
    with its score; `指标值(长期)` the value column of the long-term goal.
    """
    cleaned = _SCORE_SUFFIX.sub("", text.strip().lstrip("*＊"))
    match = column_role(cleaned)
    if match is not None:
        return match.role, match.goal_kind, match.year
    key = canon(cleaned)
    for cut in range(1, min(4, len(key))):
        kind = goal_qualifier(key[:cut])
        if kind is not None and (rest := column_role(key[cut:])) is not None:
            return rest.role, kind, rest.year
    field_match = form_field(cleaned)
    if field_match is not None:
        # A form field as a column of the indicator table (单位名称 | 项目名称 | 预算数 | 年度目标 | 一级指标 …).
        return FIELD_ROLE_PREFIX + field_match.field.name, None, None
    return None


def read_header(tokens: list[Token], start: int) -> tuple[list[Column], int, str | None] | None:
    """Columns of a header starting at tokens[start], the index after it, and the caption's goal kind.

    A header is a run of cells (on one row, or consecutive in a stream) that name column roles:
    at least three, including the level-1 or the level-3 name. A sub-header right under it (cells
    naming value or previous-actual columns, e.g. `2021年实际实现值 | 预期2022年实现值`) refines the
    value column.
    """
    columns: list[Column] = []
    caption_kind: str | None = None
    index = start
    row = tokens[start].row
    while index < len(tokens):
        token = tokens[index]
        if row is not None and token.row != row:
            break
        role = header_role(token.text)
        if role is None:
            break
        if role[0].startswith(FIELD_ROLE_PREFIX) and (row is None or (not columns and not _row_names_role(tokens, index, row))):
            break  # a field label before the header, not a column of it
        if role[0] in CAPTION_ROLES:
            caption_kind = role[1] or caption_kind
        else:
            columns.append(Column(role[0], role[1], role[2], token.text))
        index += 1
    roles = {c.role for c in columns}
    if len([c for c in columns if not c.role.startswith(FIELD_ROLE_PREFIX)]) < 3 or not roles & {"Level1Column", "Level3Column"}:
        return None
    if "ValueColumn" not in roles:
        targets, index = _read_target_columns(tokens, index, row)
        columns += targets
    sub, index = _read_subheader(tokens, index)
    if sub:
        columns = _refine(columns, sub)
    return columns, index, caption_kind


def _read_target_columns(tokens: list[Token], index: int, row: int | None) -> tuple[list[Column], int]:
    """A header with no value column names its target columns after the roles: one per place
    (`指标解释 | 西坪镇尧山村 | 桃舟乡吾培村 …`), up to the end of the row or, in a stream, the first category."""
    targets: list[Column] = []
    while index < len(tokens):
        token = tokens[index]
        if token.row != row:  # off the header's row, or a known row after a stream header
            break
        key = canon(strip_score_range(token.text))
        if row is None and (key.endswith("指标") or any(ch.isdigit() for ch in key) or len(key) > 20):
            break
        targets.append(Column("ValueColumn", None, None, token.text))
        index += 1
    return targets, index


def _row_names_role(tokens: list[Token], index: int, row: int) -> bool:
    """Whether the known row from `index` on names the level-1 or level-3 column (so its field labels are columns)."""
    for token in tokens[index:]:
        if token.row != row:
            return False
        role = column_role(token.text)
        if role is not None and role.role in ("Level1Column", "Level3Column"):
            return True
    return False


def _read_subheader(tokens: list[Token], index: int) -> tuple[list[Column], int]:
    sub: list[Column] = []
    row = tokens[index].row if index < len(tokens) else None
    while index < len(tokens):
        token = tokens[index]
        if row is not None and token.row != row:
            break
        role = header_role(token.text)
        if role is None or role[0] not in ("ValueColumn", "PreviousActualColumn"):
            break
        sub.append(Column(role[0], role[1], role[2], token.text))
        index += 1
    return sub, index


def _refine(columns: list[Column], sub: list[Column]) -> list[Column]:
    """The value column of the header, split into the sub-header's columns (last year's actual, this year's target)."""
    for position, column in enumerate(columns):
        if column.role == "ValueColumn":
            refined = [Column(s.role, s.goal_kind or column.goal_kind, s.year, s.label) for s in sub]
            return columns[:position] + refined + columns[position + 1:]
    return columns


@dataclass
class CellKind:
    """What a cell looks like, computed once per cell."""

    level1: URIRef | None
    level2: URIRef | None
    basis: URIRef | None
    valued: bool
    comparator_only: bool
    unit: bool
    number_only: bool
    goal_label: bool
    category_like: bool
    unit_code: bool


def classify(text: str, vocab: Vocabulary) -> CellKind:
    key = canon(strip_score_range(text))
    parsed = parse_value(text, vocab)
    return CellKind(
        level1=vocab.level1.get(key),
        level2=vocab.level2.get(key),
        basis=vocab.bases.get(canon(text)),
        valued=parsed.quantitative or bool(parsed.comparator),
        # A comparator with no number (`=`, `≥`): the cell of a direction column.
        comparator_only=parsed.comparator is not None and parsed.number is None,
        unit=canon(text) in vocab.units or (not parsed.quantitative and resolve_unit(text, vocab) is not None),
        number_only=bool(_NUMBER_ONLY.match(canon(text))),
        goal_label=bool(_GOAL_LABEL.match(canon(text))),
        category_like=key.endswith("指标") and len(key) <= 12,
        unit_code=split_unit_code(text)[0] is not None,
    )


def fit(kind: CellKind, role: str) -> float:
    """How well a cell fits a column role (higher is better; negative is a misfit)."""
    is_category = kind.level1 is not None or kind.level2 is not None
    if role.startswith(FIELD_ROLE_PREFIX):
        return _field_fit(kind, role[len(FIELD_ROLE_PREFIX):], is_category)
    if role == "GoalColumn":
        return 5.0 if kind.goal_label else -8.0
    if role == "Level1Column":
        return 5.0 if kind.level1 else 2.0 if kind.level2 else 1.0 if kind.category_like else -6.0
    if role == "Level2Column":
        return 5.0 if kind.level2 else 1.0 if kind.level1 else 2.0 if kind.category_like else -6.0
    if is_category:
        return -6.0 if role != "Level3Column" else -3.0
    if role == "Level3Column":
        return -3.0 if kind.basis else -2.0 if kind.valued else 3.0
    if role == "DirectionColumn":
        return 4.0 if kind.comparator_only else -2.0 if kind.valued else 0.5
    if role == "ValueColumn":
        return 1.0 if kind.comparator_only else 4.0 if kind.valued else -3.0 if kind.basis else 1.0
    if role == "PreviousActualColumn":
        return 1.0 if kind.valued else -6.0
    if role == "BasisColumn":
        return 5.0 if kind.basis else -3.0 if kind.valued else 0.5
    if role in ("DescriptionColumn", "ExplanationColumn"):
        return -2.0 if kind.valued else 1.5
    if role == "ScoreColumn":
        return 1.5 if kind.number_only else -4.0
    if role == "UnitOfMeasureColumn":
        return 3.0 if kind.unit else -3.0
    if role == "ValueTypeColumn":
        return -3.0 if kind.valued else 0.5
    return -2.0 if kind.valued else 0.5


def _field_fit(kind: CellKind, field_name: str, is_category: bool) -> float:
    """How well a cell fits a form-field column: a unit with its code the unit columns, an amount the budget, text the rest."""
    if is_category:
        return -6.0
    if field_name in ("BudgetField", "BudgetPartField"):
        return 3.0 if kind.valued else -4.0
    if kind.unit_code:
        return 4.0 if field_name.endswith("UnitField") or field_name.endswith("DepartmentField") else -1.0
    return -4.0 if kind.valued else 1.0 if field_name in ("ProjectNameField", "AnnualGoalField", "LongTermGoalField") else 0.5


def align(tokens: list[Token], columns: list[Column], vocab: Vocabulary) -> list[AlignedRow]:
    """Assign each token to a column (or drop it), in order, splitting the tokens into rows.

    State: (token index, column of the previous token). A token continues the row when its column
    comes after the previous token's and both are on the same known row or in a stream; it starts
    a new row otherwise (a known row's first cell always does, a stream's cell must, when its column
    does not come later). Dropping a token costs more than any misfit that keeps the row's order.
    """
    if not tokens:
        return []
    kinds = [classify(t.text, vocab) for t in tokens]
    width = len(columns)
    has_description = any(c.role in ("DescriptionColumn", "ExplanationColumn") for c in columns)
    # best[t][j]: best score with token t placed in column j (j == width: dropped, row unchanged)
    minus = float("-inf")
    best = [[minus] * (width + 1) for _ in tokens]
    back: list[list[tuple[int, int, bool]]] = [[(-1, -1, False)] * (width + 1) for _ in tokens]
    last_column: list[list[int]] = [[-1] * (width + 1) for _ in tokens]
    for t, token in enumerate(tokens):
        same = t > 0 and canon(tokens[t - 1].text) == canon(token.text)
        fits = [fit(kinds[t], c.role) for c in columns]
        if t == 0:
            for j in range(width):
                best[0][j], back[0][j] = fits[j] - _ROW_START_COST, (-1, -1, True)
                last_column[0][j] = j
            best[0][width], last_column[0][width] = -_DROP_COST, -1
            continue
        previous = tokens[t - 1]
        for p in range(width + 1):
            if best[t - 1][p] == minus:
                continue
            prev_col = last_column[t - 1][p]
            same_row = previous.row is not None and previous.row == token.row
            new_known_row = previous.row is not None and token.row is not None and previous.row != token.row
            for j in range(width):
                if new_known_row or (not same_row and j <= prev_col) or prev_col < 0:
                    score, starts = best[t - 1][p] + fits[j] - _ROW_START_COST, True
                elif j > prev_col:
                    score, starts = best[t - 1][p] + fits[j], False
                    if columns[j].role == "ValueColumn" and p < width and columns[p].role in _TEXT_BEFORE_VALUE and fits[j] > 0:
                        score += _VALUE_AFTER_NAME  # the usual shape: a name (and its description), then its value
                else:
                    continue
                if same and p < width and columns[p].role == "Level3Column":
                    # A cell repeating the name beside it is its description, never its value.
                    score += _REPEAT_AS_DESCRIPTION if columns[j].role in ("DescriptionColumn", "ExplanationColumn") else 0.0
                    # With no description column it stays the value, as written (a reviewer's finding).
                    score += _REPEAT_AS_VALUE if columns[j].role == "ValueColumn" and has_description else 0.0
                if score > best[t][j]:
                    best[t][j], back[t][j], last_column[t][j] = score, (p, j, starts), j
            drop = best[t - 1][p] - _DROP_COST
            if new_known_row:
                drop -= _ROW_START_COST
            if drop > best[t][width]:
                best[t][width], back[t][width] = drop, (p, width, new_known_row)
                last_column[t][width] = -1 if new_known_row else prev_col
    return _trace(tokens, best, back, width)


def _trace(tokens: list[Token], best: list[list[float]], back: list[list[tuple[int, int, bool]]], width: int) -> list[AlignedRow]:
    last = len(tokens) - 1
    state = max(range(width + 1), key=lambda j: best[last][j])
    placed: list[tuple[int, int, bool]] = []
    for t in range(last, -1, -1):
        previous, column, starts = back[t][state]
        placed.append((t, state, starts))
        state = previous
    placed.reverse()
    rows: list[AlignedRow] = []
    for t, column, starts in placed:
        if starts or not rows:
            rows.append(AlignedRow())
        if column == width:
            rows[-1].dropped.append(tokens[t])
        else:
            rows[-1].cells.append((column, tokens[t]))
    return [row for row in rows if row.cells or row.dropped]
