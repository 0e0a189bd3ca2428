"""Turn a raw grid into project records, following the reading rules of docs/reading.md.

Two routes share one reader state (the current project, its form fields, the categories above):

- rows whose form keeps positions (``markdown``, ``csv``, ``grid``) are read as the seed's template is
  (docs/reading.md, "Positional rows"): cells are placed by what they are (a goal label, a
  level-1 or level-2 category, a value, a basis), not only by their column, because converted
  tables shift rows and blank merged cells;
- everything else (rows with merged cells collapsed, cells one per line, run-together text) is a
  run of cells in order (docs/reading.md, "Cells in order"): form fields are found by their
  labels (ontology/forms.ttl), a table by a header of column roles, and each row's cells are
  aligned to the header's columns (`jixiao.reading.layout`).

Every repair and every oddity becomes a Note attached to the record it concerns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from rdflib import URIRef

from jixiao.errors import InputError
from jixiao.namespaces import JX
from jixiao.reading import evaluation, forms
from jixiao.reading.layout import FIELD_ROLE_PREFIX, AlignedRow, Column, Token, align, read_header
from jixiao.reading.readers import RawDocument, RawLine
from jixiao.reading.records import (
    ANNUAL,
    DEPARTMENT,
    LONG_TERM,
    BudgetPart,
    DocumentRecord,
    GoalRecord,
    IndicatorRecord,
    NamedUnit,
    Note,
    ProjectRecord,
)
from jixiao.reading.values import ParsedValue, parse_value, plain_decimal, resolve_unit
from jixiao.vocabulary import Vocabulary, canon, vocabulary

# The wording of the target-table template (not of the framework, which lives in ontology/).
_TITLE = re.compile(r"绩效目标.*表$")
_YEAR_IN_TITLE = re.compile(r"((?:19|20)\d{2})年")
_GOAL_LABEL = re.compile(r"^(中长期|长期|年度)?(?:绩效)?目标(\d*)$")
_SECTION = re.compile(r"^(中长期|长期|年度)(?:绩效)?目标表$")
_FIELD_LABELS = {
    "name": ("项目名称",),
    "budget": ("项目预算", "预算金额", "项目总预算", "资金总额", "年度预算", "项目资金", "预算资金"),
    "agency": ("申报单位", "预算单位", "单位名称", "部门名称"),
    "money_unit": ("金额单位",),
    "year": ("预算年度", "年度"),
}
_STRUCTURAL = ("项目绩效总目标", "名称", "目标说明", "总体目标", "绩效目标")
# Cells in order: a table's title (its trailing year or number in brackets aside), a bare year
# cell, a blank sign-off date, and the word that marks a unit's whole-spending table.
_ORDERED_TITLE = re.compile(r"绩效(?:目标|评价指标)[^，,。;；:：]{0,12}表\d*(?:[(（][^()（）]*[)）])?.{0,4}$")
_TITLE_TAIL = re.compile(r"[(（][^()（）]*[)）]$")
_YEAR_CELL = re.compile(r"^[(（]?((?:19|20)\d{2})年度?[)）]?$")
_BLANK_DATE = re.compile(r"年月日$")
_DEPARTMENT_WIDE = "整体"
_POSITIONAL_FORMS = ("markdown", "csv", "grid")
_BUDGET_BREAKDOWN = re.compile(r"[(（].*$")
_NAME_UNIT = re.compile(r"[(（]([^()（）]{1,4})[)）]$")
# The base money unit: a multiplier written alone in a money field (`250万`) multiplies it.
_BASE_MONEY_UNIT = "元"
_BARE_NUMBER = re.compile(r"^[+-]?\d+(?:,\d{3})*(?:\.\d+)?$")
# Which named unit is the project's agency: the declaring unit, else the one carrying it out,
# else its supervising department.
_AGENCY_ROLES = ("DeclaringUnit", "ImplementingUnit", "SupervisingDepartment")
# Column roles read into the indicator's own properties; any other column is kept in `extra`.
_OWN_ROLES = ("GoalColumn", "Level1Column", "Level2Column", "Level3Column", "ValueColumn", "BasisColumn",
              "DescriptionColumn", "PreviousActualColumn")
_CANONICAL_COLUMNS = {"goal": 0, "level1": 1, "level2": 2, "name": 3, "value": 4, "basis": 5}


def _field_of(label: str) -> str | None:
    key = canon(label).rstrip(":")
    for field_name, labels in _FIELD_LABELS.items():
        if key in labels:
            return field_name
    return None


def _goal_kind(prefix: str | None, default: str) -> str:
    if prefix in ("长期", "中长期"):
        return LONG_TERM
    if prefix == "年度":
        return ANNUAL
    return default


@dataclass
class _Cell:
    column: int
    text: str

    @property
    def key(self) -> str:
        return canon(self.text)


@dataclass
class _CategoryState:
    """The categories of the row above, which blank merged cells inherit."""

    level1: URIRef | None = None
    level2: URIRef | None = None
    level1_text: str | None = None
    level2_text: str | None = None
    # The level-1 the form's block states, where the row's framework level-1 differs from it (a legacy 成本指标
    # in the level-2 column under 产出指标 is the framework's level-1 成本指标, but the block is still 产出指标).
    block_level1: URIRef | None = None

    @property
    def inherited_level1(self) -> URIRef | None:
        """The level-1 the next row of the block inherits."""
        return self.block_level1 or self.level1


@dataclass
class _Reader:
    """The state of reading one document, line by line."""

    document: RawDocument
    year: int | None
    vocab: Vocabulary = field(default_factory=vocabulary)
    projects: list[ProjectRecord] = field(default_factory=list)
    project: ProjectRecord = field(default_factory=ProjectRecord)
    pending_field: str | None = None
    money_unit: str | None = None
    agency: str | None = None
    agency_line: int | None = None
    section: str | None = None
    goal: GoalRecord | None = None
    categories: _CategoryState = field(default_factory=_CategoryState)
    columns: dict[str, int] = field(default_factory=lambda: dict(_CANONICAL_COLUMNS))
    last_indicator_row: RawLine | None = None
    notes: list[Note] = field(default_factory=list)  # about the document, not one project
    written_year: int | None = None  # the year the document writes (title, year cell), for later projects
    ordered_projects: list[int] = field(default_factory=list)  # ids of projects read from cells in order

    def split_target(self, token: Token) -> bool:
        """Whether the cell is a qualitative target the segmenter cut off the end of a name (segment.py, rule 4)."""
        return any(line.number == token.line and token.text in line.split_targets for line in self.document.lines if line.split_targets)

    # ----- document structure -------------------------------------------------------------

    def new_project(self) -> None:
        if self.project.name or self.project.goals:
            self.projects.append(self.project)
            self.project = ProjectRecord(agency=self.agency, agency_line=self.agency_line, year=self.written_year or self.year)
        self.section, self.goal, self.categories = None, None, _CategoryState()

    def read_text_line(self, line: RawLine) -> None:
        text = line.text.strip()
        label, colon, value = _split_label(text)
        if _TITLE.search(canon(text)) and not colon:
            self.new_project()
            year = _YEAR_IN_TITLE.search(text)
            if year and self.project.year is None:
                self.project.year = int(year.group(1))
            return
        field_name = _field_of(label) if colon else None
        if field_name and value:
            self.set_field(field_name, value, line.number)
        elif field_name:
            self.pending_field = field_name  # the value follows on a later line
        elif self.pending_field:
            self.set_field(self.pending_field, text, line.number)
            self.pending_field = None

    def set_field(self, field_name: str, value: str, line: int) -> None:
        value = value.strip()
        if field_name == "agency":
            self.agency, self.agency_line = value, line
            self.project.agency, self.project.agency_line = value, line
        elif field_name == "money_unit":
            self.money_unit = value
        elif field_name == "year":
            match = re.search(r"(?:19|20)\d{2}", value)
            if match and self.year is None:
                self.project.year = int(match.group(0))
        elif field_name == "name":
            self.set_project_name(value, line)
        elif field_name == "budget":
            self.set_budget(value, line)

    def set_project_name(self, value: str, line: int) -> None:
        """A project-name field: a new project, or the programme when two names precede the table."""
        if self.project.name and self.project.programme is None and not self.project.goals:
            # Two project names before any indicator row: the first names the programme (一级/二级项目).
            self.project.programme = self.project.name
        elif self.project.name:
            self.new_project()
        self.project.name, self.project.name_line = value, line

    def set_budget(self, stated: str, line: int) -> None:
        project = self.project
        project.budget_stated, project.budget_line = stated, line
        parsed = _as_money(parse_value(stated, self.vocab), stated, self.vocab)
        if parsed.number is None:
            project.notes.append(Note("UnparseableValue", stated, "budget not understood as a number", line, True))
            return
        if parsed.unit is not None:
            unit = parsed.unit
            project.budget_unit = parsed.stated_unit
        else:
            unit = resolve_unit(self.money_unit or "元", self.vocab)
            if self.money_unit is None:
                project.notes.append(Note("MissingField", stated, "金额单位 not stated; 元 assumed", line, True))
            if unit is None:
                project.notes.append(Note("UnknownUnit", self.money_unit or "", "budget kept unconverted", line, True))
                project.budget = parsed.stated_number
                return
            project.budget_unit = unit.iri
        if unit.kind != JX.Money:
            project.notes.append(Note("UnknownUnit", stated, f"budget unit {unit.label} is not money", line, True))
        project.budget = plain_decimal(parsed.stated_number * unit.factor) if parsed.stated_number is not None else None

    def read_table_row(self, line: RawLine) -> None:
        cells = [_Cell(i, c.strip()) for i, c in enumerate(line.cells or ()) if c.strip()]
        if not cells:
            return
        if not line.complete:
            raise InputError(self.document.path, line.number,
                             "the table is cut off here: the row has no closing '|' (expected a complete row) / 表格在此中断")
        first = cells[0].key
        if _field_of(first) is not None:
            self.read_field_row(cells, line.number)
        elif section := _SECTION.match(first):
            self.section = _goal_kind(section.group(1), ANNUAL)
            self.goal, self.categories = None, _CategoryState()
        elif first == "目标名称" or any(c.key == "一级指标" for c in cells):
            self.read_header_row(cells)
            self.section = self.section or ANNUAL
        elif self.section is None and _GOAL_LABEL.match(first) and len(cells) >= 2:
            self.read_statement(cells, line.number)
        elif self.section is not None:
            self.read_indicator_row(line, cells)
        elif first in _STRUCTURAL:
            return

    def read_field_row(self, cells: list[_Cell], line: int) -> None:
        """A row of label/value pairs: | 项目名称 | X | 项目预算 | 130 |."""
        index = 0
        while index < len(cells):
            field_name = _field_of(cells[index].text)
            if field_name and index + 1 < len(cells) and _field_of(cells[index + 1].text) is None:
                self.set_field(field_name, cells[index + 1].text, line)
                index += 2
            else:
                index += 1

    def read_header_row(self, cells: list[_Cell]) -> None:
        names = {"目标名称": "goal", "一级指标": "level1", "二级指标": "level2", "三级指标": "name",
                 "指标值": "value", "指标值确定依据": "basis"}
        self.columns = dict(_CANONICAL_COLUMNS)
        for cell in cells:
            if cell.key in names:
                self.columns[names[cell.key]] = cell.column

    def read_statement(self, cells: list[_Cell], line: int) -> None:
        match = _GOAL_LABEL.match(cells[0].key)
        assert match is not None
        goal = self.project.goal(_goal_kind(match.group(1), ANNUAL), int(match.group(2) or 1))
        goal.statement = " ".join(c.text for c in cells[1:])
        goal.statement_line = line

    # ----- indicator rows -----------------------------------------------------------------

    def read_indicator_row(self, line: RawLine, cells: list[_Cell]) -> None:
        assert self.section is not None
        placed: dict[str, int] = {}
        notes: list[Note] = []
        goal_cell = cells[0] if _GOAL_LABEL.match(cells[0].key) else None
        if goal_cell is not None:
            match = _GOAL_LABEL.match(goal_cell.key)
            assert match is not None
            self.goal = self.project.goal(_goal_kind(match.group(1), self.section), int(match.group(2) or 1))
            self.goal.label, self.goal.label_line = goal_cell.text, line.number
            self.categories = _CategoryState()
            placed["goal"] = goal_cell.column
            cells = cells[1:]
        elif self.goal is None:
            self.goal = self.project.goal(self.section, 1)
            self.goal.notes.append(Note("MergedCellInherited", line.text, f"no goal label; goal 1 of the {self.section} table assumed", line.number))
        category_cells, rest = self.split_categories(cells)
        level = self.place_categories(category_cells, line, placed, notes)
        indicator = self.place_rest(rest, line, placed, notes, level)
        if indicator is None:
            self.goal.notes.append(Note("ExtraCells", line.text, "row with no indicator name or value; kept in the source rows", line.number, True))
            return
        self.note_shift(line, placed, notes)
        indicator.notes = notes
        self.goal.indicators.append(indicator)
        self.last_indicator_row = line

    def is_category(self, cell: _Cell) -> bool:
        return cell.key in self.vocab.level1 or cell.key in self.vocab.level2

    def split_categories(self, cells: list[_Cell]) -> tuple[list[_Cell], list[_Cell]]:
        """At most two leading cells that name categories (known, or unknown but ending in 指标)."""
        count = 0
        while count < min(2, len(cells)) and (
            self.is_category(cells[count])
            or (cells[count].key.endswith("指标") and len(cells) - count >= 3)
        ):
            count += 1
        return cells[:count], cells[count:]

    def place_categories(self, cells: list[_Cell], line: RawLine, placed: dict[str, int],
                         notes: list[Note]) -> _CategoryState:
        state = self.categories
        vocab = self.vocab
        known = [c for c in cells if self.is_category(c)]
        for cell in cells:
            if not self.is_category(cell):
                notes.append(Note("UnknownCategory", cell.text, "category not in the framework; wording kept", line.number, True))
        if not known:
            new = _CategoryState(state.level1, state.level2, state.level1_text, state.level2_text, state.block_level1)
            if cells:
                new.level2, new.level2_text = None, cells[-1].text
            elif state.level1 or state.level2:
                notes.append(Note("MergedCellInherited", line.text, f"categories inherited: {state.level1_text} / {state.level2_text}", line.number))
        elif len(known) == 2:
            new = self.two_categories(known[0], known[1], line, placed, notes)
        else:
            new = self.one_category(known[0], line, placed, notes)
        unknown = [c for c in cells if not self.is_category(c)]
        if unknown and known and new.level2 is None:
            # The unknown name stood where the level-2 goes: keep its wording as the level-2 text.
            new.level2_text = unknown[-1].text
            notes[:] = [n for n in notes if n.kind != "MissingLevel2"]
        if new.level2 is not None and new.level2_text and canon(new.level2_text) != canon(vocab.label_zh[new.level2]) \
                and any(c.text == new.level2_text for c in known):
            notes.append(Note("AliasMapped", new.level2_text, f"read as {vocab.label_zh[new.level2]}", line.number))
        self.categories = new
        return new

    def two_categories(self, first: _Cell, second: _Cell, line: RawLine, placed: dict[str, int],
                       notes: list[Note]) -> _CategoryState:
        vocab = self.vocab
        placed["level1"], placed["level2"] = first.column, second.column
        if first.key in vocab.level1:
            level1 = vocab.level1[first.key]
            level2 = vocab.level2.get(second.key)
            if level2 is None:
                notes.append(Note("MissingLevel2", second.text, "second category is a level-1 name; no level-2", line.number, True))
            return self.reconcile(level1, level2, first.text, second.text, line, notes)
        # A level-2 name in the level-1 column: its framework parent is the level-1; a
        # different level-2 beside it conflicts and is recorded, not used.
        level2 = vocab.level2[first.key]
        level1 = vocab.parent[level2]
        notes.append(Note("Level2InLevel1Column", first.text, f"level-1 = {vocab.label_zh[level1]}, level-2 = {vocab.label_zh[level2]}", line.number))
        if vocab.level2.get(second.key) != level2:
            notes.append(Note("ConflictingCategory", second.text, f"kept {first.text}; {second.text} beside it not used", line.number, True))
        return _CategoryState(level1, level2, first.text, first.text)

    def one_category(self, cell: _Cell, line: RawLine, placed: dict[str, int], notes: list[Note]) -> _CategoryState:
        vocab, state = self.vocab, self.categories
        in_level1_column = cell.column <= self.columns["level1"]
        if cell.key in vocab.level1 and (in_level1_column or cell.key not in vocab.level2):
            placed["level1"] = cell.column
            level1 = vocab.level1[cell.key]
            if state.level2 is not None and vocab.parent.get(state.level2) == level1:
                return _CategoryState(level1, state.level2, cell.text, state.level2_text)
            children = [c for c, p in vocab.parent.items() if p == level1]
            if len(children) == 1:
                notes.append(Note("MergedCellInherited", line.text, f"level-2 = {vocab.label_zh[children[0]]}, the only one under {cell.text}", line.number))
                return _CategoryState(level1, children[0], cell.text, None)
            notes.append(Note("MissingLevel2", line.text, f"level-1 {cell.text} given without a level-2", line.number, True))
            return _CategoryState(level1, None, cell.text, None)
        placed["level2"] = cell.column
        level2 = vocab.level2[cell.key]
        if in_level1_column:
            level1 = vocab.parent[level2]
            notes.append(Note("Level2InLevel1Column", cell.text, f"level-1 = {vocab.label_zh[level1]}, level-2 = {vocab.label_zh[level2]}", line.number))
            return _CategoryState(level1, level2, cell.text, cell.text)
        if state.inherited_level1 is None:
            return self.reconcile(vocab.parent[level2], level2, None, cell.text, line, notes)
        notes.append(Note("MergedCellInherited", line.text, f"level-1 inherited: {state.level1_text}", line.number))
        return self.reconcile(state.inherited_level1, level2, state.level1_text, cell.text, line, notes)

    def reconcile(self, level1: URIRef, level2: URIRef | None, level1_text: str | None,
                  level2_text: str | None, line: RawLine, notes: list[Note]) -> _CategoryState:
        """Accept the legacy template's form; record a level-2 filed under another level-1."""
        if level2 is None:
            return _CategoryState(level1, None, level1_text, level2_text)
        parent = self.vocab.parent[level2]
        if parent == level1:
            return _CategoryState(level1, level2, level1_text, level2_text)
        if self.vocab.legacy_broader.get(level2) == level1:
            notes.append(Note("LegacyTemplateForm", f"{level1_text} / {level2_text}",
                              f"read as {self.vocab.label_zh[parent]} / {self.vocab.label_zh[level2]}", line.number))
            return _CategoryState(parent, level2, level1_text, level2_text, block_level1=level1)
        notes.append(Note("CategoryMismatch", f"{level1_text} / {level2_text}",
                          f"{level2_text} belongs under {self.vocab.label_zh[parent]}; kept as written", line.number, True))
        return _CategoryState(level1, level2, level1_text, level2_text)

    def place_rest(self, rest: list[_Cell], line: RawLine, placed: dict[str, int], notes: list[Note],
                   level: _CategoryState) -> IndicatorRecord | None:
        basis: URIRef | None = None
        basis_text: str | None = None
        if rest and rest[-1].key in self.vocab.bases:
            basis_cell = rest.pop()
            basis, placed["basis"] = self.vocab.bases[basis_cell.key], basis_cell.column
            if not self.vocab.is_preferred(basis_cell.text):
                notes.append(Note("AliasMapped", basis_cell.text, f"read as {self.vocab.label_zh[basis]}", line.number))
        name_cell, value_cell = _name_and_value(rest, self.vocab)
        if name_cell is None and value_cell is None:
            return None
        extras = [c for c in rest if c is not name_cell and c is not value_cell]
        if extras and basis is None:
            basis_cell = extras.pop(0)
            basis_text, placed["basis"] = basis_cell.text, basis_cell.column
            notes.append(Note("UnknownBasis", basis_cell.text, "not one of the framework's bases; wording kept", line.number, True))
        if extras:
            notes.append(Note("ExtraCells", " | ".join(c.text for c in extras), "kept in the source row", line.number, True))
        if basis is None and basis_text is None:
            notes.append(Note("MissingBasis", line.text, "no basis given", line.number, True))
        value = target_value(value_cell.text, {}, "", level.level2, self.vocab) if value_cell else None
        if value_cell is None:
            notes.append(Note("MissingValue", line.text, "no target value given", line.number, True))
        else:
            placed["value"] = value_cell.column
            notes.extend(Note(n.kind, value_cell.text, n.decision, line.number, n.kind != "ImpliedComparator") for n in value.notes)  # type: ignore[union-attr]
        if name_cell is None:
            notes.append(Note("MissingName", line.text, "no indicator name given", line.number, True))
        else:
            placed["name"] = name_cell.column
        return IndicatorRecord(
            name=name_cell.text if name_cell else None,
            level1=level.level1, level2=level.level2,
            level1_text=level.level1_text, level2_text=level.level2_text,
            value=value, basis=basis, basis_text=basis_text, lines=[line.number],
            inherited=2 - sum(1 for k in ("level1", "level2") if k in placed),
        )

    def note_shift(self, line: RawLine, placed: dict[str, int], notes: list[Note]) -> None:
        moved = [f"{what} in column {column + 1} (expected {self.columns[what] + 1})"
                 for what, column in placed.items() if column != self.columns[what]]
        if moved:
            notes.append(Note("ShiftedRow", line.text, "; ".join(moved), line.number))


    # ----- cells in order (bars, spaces, text, run-together) ---------------------------------

    def read_ordered(self, tokens: list[Token], at_end: bool) -> None:
        """A run of cells in order: form fields, titles, and tables found by their headers."""
        index = 0
        while index < len(tokens):
            header = read_header(tokens, index)
            if header is None:
                index = self.read_form_cell(tokens, index)
                continue
            columns, index, caption_kind = header
            end = self.table_end(tokens, index, any(c.role.startswith(FIELD_ROLE_PREFIX) for c in columns))
            self.read_ordered_table(tokens[index:end], columns, caption_kind, at_end and end == len(tokens))
            index = end

    def mark_ordered(self) -> None:
        if id(self.project) not in self.ordered_projects:
            self.ordered_projects.append(id(self.project))

    def read_form_cell(self, tokens: list[Token], index: int) -> int:
        """Read the cell at `index` as a title, a year, a form field or a unit with its code; return the next index."""
        token = tokens[index]
        text = token.text.strip()
        if (marker := forms.non_indicator_marker(text)) is not None:
            self.project.notes.append(Note("NotAnIndicatorRow", text, f"{marker}; not an indicator", token.line))
            return index + 1
        match, label, colon, value = _field_in(text)
        if match is None and (section := _SECTION.match(canon(text))):
            # 长期绩效目标表 / 年度绩效目标表: the next table is of that goal, in the same project.
            self.section = _goal_kind(section.group(1), ANNUAL)
            return index + 1
        if match is None and (goal_label := _GOAL_LABEL.match(canon(text))) and index + 1 < len(tokens) \
                and _on_one_row(token, tokens[index + 1]) and _is_value_of_field(tokens[index + 1], token, self.vocab) \
                and read_header(tokens, index + 1) is None:
            # 长期绩效目标1 | statement: a goal's statement.
            goal = self.project.goal(_goal_kind(goal_label.group(1), ANNUAL), int(goal_label.group(2) or 1))
            goal.statement, goal.statement_line = tokens[index + 1].text.strip(), tokens[index + 1].line
            return index + 2
        if match is None and _is_title(text):
            self.read_title(text, token.line)
            return index + 1
        if match is None and (year := _YEAR_CELL.match(canon(text))):
            self.set_year(int(year.group(1)), token.line)
            return index + 1
        if match is None and (unit := _money_unit_in_label(text)):
            self.money_unit = unit
            return index + 1
        if match is None and len(pairs := _labelled_pairs(text)) > 1:
            for pair_match, pair_label, pair_value in pairs:
                if pair_match.money_unit:
                    self.money_unit = pair_match.money_unit
                if pair_value:
                    self.set_form_field(pair_match, pair_label, pair_value, token.line)
            return index + 1
        if match is None:
            code, name = forms.split_unit_code(text)
            if code is not None and _looks_like_unit_name(name, self.vocab):
                self.set_unit("DeclaringUnit", name, code, token.line)
            return index + 1
        index += 1
        if match.money_unit:
            self.money_unit = match.money_unit
        if not (colon and value) and index < len(tokens) and _is_field_label(tokens[index].text):
            return self.read_label_run(tokens, index - 1)
        if not (colon and value):
            # The label may be broken over two cells (主管部门 / 及编码), and its value follows.
            while index < len(tokens) and (longer := forms.form_field(label + tokens[index].text)) is not None:
                match, index = longer, index + 1
            value = ""
            if index < len(tokens) and _is_value_of_field(tokens[index], token, self.vocab):
                value, index = tokens[index].text.strip(), index + 1
        if value:
            self.set_form_field(match, label if colon else text, value, token.line)
        return index

    def read_label_run(self, tokens: list[Token], start: int) -> int:
        """Labels one after another, then their values: paired from the right (a caption at the left has no value).

        `项目主管部门 | 实施单位 | 中共黄石市委党校`, or in a stream `总体目标 / 中期目标 / 年度目标 / text / text`.
        """
        end = start
        while end < len(tokens) and _is_field_label(tokens[end].text) and _on_one_row(tokens[start], tokens[end]):
            end += 1
        values = end
        while values < len(tokens) and _on_one_row(tokens[start], tokens[values]) and _is_value_of_field(tokens[values], tokens[start], self.vocab):
            values += 1
        labels, texts = tokens[start:end], tokens[end:values]
        for label in labels:
            if (unit := _field_in(label.text)[0]) is not None and unit.money_unit:
                self.money_unit = unit.money_unit
        paired = min(len(labels), len(texts))
        for label, value in zip(labels[len(labels) - paired:], texts[len(texts) - paired:], strict=True):
            match = forms.form_field(label.text)
            if match is not None:
                if match.money_unit:
                    self.money_unit = match.money_unit
                self.set_form_field(match, label.text, value.text.strip(), value.line)
        return values

    def read_title(self, text: str, line: int) -> None:
        self.new_project()
        if _DEPARTMENT_WIDE in canon(text):
            self.project.kind = DEPARTMENT
        if year := _YEAR_IN_TITLE.search(text):
            self.set_year(int(year.group(1)), line)

    def set_year(self, year: int, line: int) -> None:
        self.written_year = year
        if self.year is not None and year != self.year and not any(n.kind == "YearConflict" for n in self.project.notes):
            self.project.notes.append(Note("YearConflict", str(year), f"the table says {year}; --year {self.year} not used", line, True))
        self.project.year = year

    def start_next_project_if_read(self) -> None:
        """A form field after indicator rows belongs to the next project."""
        if self.project.indicators():
            self.new_project()

    def set_form_field(self, match: forms.FieldMatch, label: str, value: str, line: int) -> None:
        name = match.field.name
        self.start_next_project_if_read()
        if match.field.unit_role is not None:
            code, unit_name = forms.split_unit_code(value)
            self.set_unit(match.field.unit_role, unit_name, code, line)
        elif name == "ProjectNameField":
            self.set_project_name(value, line)
        elif name == "ProgrammeField":
            self.project.programme = value
        elif name == "BudgetField" and self.project.budget_stated is None:
            self.set_budget(_BUDGET_BREAKDOWN.sub("", value).strip() or value, line)
            self.project.budget_stated = value
        elif name in ("BudgetField", "BudgetPartField"):
            self.add_budget_part(label, value, line)
        elif name == "MoneyUnitField" and forms.is_money_unit(value):
            self.money_unit = value
        elif name == "YearField" and (year := _YEAR_IN_TITLE.search(value + "年")):
            self.set_year(int(year.group(1)), line)
        elif match.field.goal_kind is not None:
            goal = self.project.goal(match.field.goal_kind, 1)
            if goal.statement is None:
                goal.statement, goal.statement_line = value, line

    def set_unit(self, role: str, name: str, code: str | None, line: int) -> None:
        self.start_next_project_if_read()
        project = self.project
        project.units.append(forms_unit(role, name, code, line))
        for wanted in _AGENCY_ROLES:
            chosen = next((u for u in project.units if u.role == wanted), None)
            if chosen is not None:
                project.agency, project.agency_line, project.agency_code = chosen.name, chosen.line, chosen.code
                self.agency, self.agency_line = chosen.name, chosen.line
                return

    def add_budget_part(self, label: str, stated: str, line: int) -> None:
        amount_text = _BUDGET_BREAKDOWN.sub("", stated).strip() or stated
        parsed = _as_money(parse_value(amount_text, self.vocab), amount_text, self.vocab)
        amount = None
        if parsed.number is not None and parsed.stated_number is not None:
            unit = parsed.unit if parsed.unit is not None else resolve_unit(self.money_unit or "元", self.vocab)
            if unit is not None and unit.kind == JX.Money:
                amount = plain_decimal(parsed.stated_number * unit.factor)
        self.project.budget_parts.append(BudgetPart(label, stated, amount, line))

    def table_end(self, tokens: list[Token], index: int, fields_in_columns: bool = False) -> int:
        """Where the table starting at `index` ends: at a title, a form field, a unit with its code, a new header or after a sign-off."""
        while index < len(tokens):
            text = tokens[index].text.strip()
            marker = forms.non_indicator_marker(text)
            if marker == "SignOffRow" or (marker is None and _BLANK_DATE.search(canon(text))):
                return index
            if marker is None and (_is_title(text) or _SECTION.match(canon(text)) or _field_in(text)[0] is not None
                                   or read_header(tokens, index) is not None):
                return index
            code, name = forms.split_unit_code(text)
            if code is not None and _looks_like_unit_name(name, self.vocab) and tokens[index].row is not None and not fields_in_columns:
                return index
            index += 1
        return index

    def read_ordered_table(self, tokens: list[Token], columns: list[Column], caption_kind: str | None, cut: bool) -> None:
        self.mark_ordered()
        self.categories = _CategoryState()
        project = self.project
        kept: list[Token] = []
        for token in tokens:
            if forms.non_indicator_marker(token.text) is not None:
                project.notes.append(Note("NotAnIndicatorRow", token.text, f"{forms.non_indicator_marker(token.text)}; not an indicator", token.line))
            else:
                kept.append(token)
        roles = {c.role for c in columns}
        if "BasisColumn" not in roles and not any(n.kind == "NoBasisColumn" for n in project.notes):
            project.notes.append(Note("NoBasisColumn", " | ".join(c.label for c in columns), "the table has no basis column",
                                      tokens[0].line if tokens else None))
        default_kind = caption_kind or self.section or ANNUAL
        self.goal = None
        reached_satisfaction = False
        for row in align(kept, columns, self.vocab):
            reached_satisfaction |= self.read_aligned_row(row, columns, default_kind, "BasisColumn" in roles) == JX.SatisfactionIndicator
        self.section = None
        if cut and not reached_satisfaction:
            line = tokens[-1].line if tokens else None
            project.notes.append(Note("TableCutOff", tokens[-1].text if tokens else "", "the file ends inside the table; the rows there were read", line, True))

    def read_aligned_row(self, row: AlignedRow, columns: list[Column], default_kind: str, has_basis: bool) -> URIRef | None:
        """One aligned row: an indicator for each goal whose columns hold a name or a value."""
        lines = row.lines
        text = " | ".join(token.text for _, token in row.cells)
        line = RawLine(lines[0], text)
        row = self.read_field_cells(row, columns)
        kinds = sorted({c.goal_kind for c in columns if c.goal_kind} or {default_kind}, key=lambda k: k != LONG_TERM)
        goal_cell = next((t for j, t in row.cells if columns[j].role == "GoalColumn"), None)
        produced = False
        states_category = any(columns[j].role in ("Level1Column", "Level2Column") for j, _ in row.cells)
        if not states_category and self.categories.level1 is None and self.categories.level2 is None:
            # Every indicator has a category: cells before the table's first category are no indicator row.
            self.project.notes.append(Note("NotAnIndicatorRow", text, "before the table's first category; not an indicator", lines[0]))
            return None
        for kind in kinds:
            cells = {columns[j].role: t for j, t in row.cells if columns[j].goal_kind in (None, kind)}
            if "Level3Column" not in cells and "ValueColumn" not in cells:
                continue
            goal = self.goal if self.goal is not None and self.goal.kind == kind else self.project.goal(kind, 1)
            if goal_cell is not None and (match := _GOAL_LABEL.match(canon(goal_cell.text))):
                goal = self.project.goal(_goal_kind(match.group(1), kind), int(match.group(2) or 1))
                goal.label, goal.label_line = goal_cell.text, goal_cell.line
                self.goal = goal
            extra: dict[str, str] = {}
            for j, t in row.cells:
                if columns[j].role not in _OWN_ROLES and columns[j].goal_kind in (None, kind):
                    # Two columns of one role (指标性质 and 指标方向性) keep both texts.
                    extra[columns[j].role] = f"{extra[columns[j].role]} | {t.text}" if columns[j].role in extra else t.text
            values = [(j, t) for j, t in row.cells if columns[j].role == "ValueColumn" and columns[j].goal_kind in (None, kind)]
            target_columns = [c for c in columns if c.role == "ValueColumn" and c.goal_kind in (None, kind)]
            for j, value in values if len(target_columns) > 1 else [(None, None)]:
                if value is not None and j is not None:
                    # One target column per place: an indicator per column, the column's label kept.
                    cells = {**cells, "ValueColumn": value}
                    extra = {**extra, "ValueColumnLabel": columns[j].label}
                goal.indicators.append(self.aligned_indicator(cells, line, lines, has_basis, extra, columns, row))
            produced = True
        if not produced:
            cells = {columns[j].role: t for j, t in row.cells}
            self.place_categories(self.category_cells(cells), line, {}, [])
            self.project.notes.append(Note("NotAnIndicatorRow", text or " | ".join(t.text for t in row.dropped),
                                           "no indicator name or value in the row; categories kept for the rows below", lines[0]))
        return self.categories.level1

    def read_field_cells(self, row: AlignedRow, columns: list[Column]) -> AlignedRow:
        """Cells of form-field columns set the project's fields (a new project name starts a new project);
        a row of fields with no project name and no indicator (a unit's total line) is recorded, not read."""
        fields = [(columns[j].role[len(FIELD_ROLE_PREFIX):], columns[j].label, t) for j, t in row.cells
                  if columns[j].role.startswith(FIELD_ROLE_PREFIX)]
        if not fields:
            return row
        rest = AlignedRow([(j, t) for j, t in row.cells if not columns[j].role.startswith(FIELD_ROLE_PREFIX)], row.dropped)
        if not any(name == "ProjectNameField" for name, _, _ in fields):
            self.project.notes.append(Note("NotAnIndicatorRow", " | ".join(t.text for _, _, t in fields),
                                           "form fields without a project name (a total line); not read", fields[0][2].line))
            return rest
        ordered = sorted(fields, key=lambda f: f[0] != "ProjectNameField")  # the name first: it may start the next project
        for _, label, token in ordered:
            match = forms.form_field(label)
            if match is not None:
                self.set_form_field(match, label, token.text, token.line)
        return rest

    def category_cells(self, cells: dict[str, Token]) -> list[_Cell]:
        """The row's category cells at the canonical columns; a level-1 cell that is also a level-2 name
        continuing the block above (成本指标 under 产出指标) is read as the level-2."""
        level1, level2 = cells.get("Level1Column"), cells.get("Level2Column")
        out: list[_Cell] = []
        if level1 is not None and level2 is None:
            key = canon(forms.strip_score_range(level1.text))
            as_level2 = self.vocab.level2.get(key)
            above = self.categories.inherited_level1
            if as_level2 is not None and above is not None and above in (self.vocab.parent.get(as_level2), self.vocab.legacy_broader.get(as_level2)):
                return [_Cell(_CANONICAL_COLUMNS["level2"], forms.strip_score_range(level1.text))]
        if level1 is not None:
            out.append(_Cell(_CANONICAL_COLUMNS["level1"], forms.strip_score_range(level1.text)))
        if level2 is not None:
            out.append(_Cell(_CANONICAL_COLUMNS["level2"], forms.strip_score_range(level2.text)))
        return out

    def aligned_indicator(self, cells: dict[str, Token], line: RawLine, lines: list[int], has_basis: bool,
                          extra: dict[str, str], columns: list[Column], row: AlignedRow) -> IndicatorRecord:
        notes: list[Note] = []
        category_cells = self.category_cells(cells)
        for cell_token in (cells.get("Level1Column"), cells.get("Level2Column")):
            if cell_token is not None and forms.strip_score_range(cell_token.text) != cell_token.text.strip():
                notes.append(Note("ScoreRangeStripped", cell_token.text, f"read as {forms.strip_score_range(cell_token.text)}", cell_token.line))
        level = self.place_categories(category_cells, line, {}, notes)
        name = cells.get("Level3Column")
        value_token = cells.get("ValueColumn")
        description = cells.get("DescriptionColumn")
        basis_token = cells.get("BasisColumn")
        basis, basis_text = None, None
        if basis_token is not None:
            basis = self.vocab.bases.get(canon(basis_token.text))
            if basis is None:
                basis_text = basis_token.text
                notes.append(Note("UnknownBasis", basis_token.text, "not one of the framework's bases; wording kept", basis_token.line, True))
            elif not self.vocab.is_preferred(basis_token.text):
                notes.append(Note("AliasMapped", basis_token.text, f"read as {self.vocab.label_zh[basis]}", basis_token.line))
        elif has_basis:
            notes.append(Note("MissingBasis", line.text, "no basis given", line.number, True))
        description_text = description.text if description is not None else None
        if description is not None and name is not None and canon(description.text) == canon(name.text):
            notes.append(Note("DescriptionRepeatsName", description.text, "a copy of the name; not read as the value", description.line))
            description_text = None
        value_text = value_token.text if value_token is not None else None
        value = target_value(value_text, extra, name.text if name else "", level.level2, self.vocab) if value_text is not None else None
        if value_token is None:
            notes.append(Note("MissingValue", line.text, "no target value given", line.number, True))
        else:
            if self.split_target(value_token):
                notes.append(Note("QualitativeTargetSplit", value_token.text,
                                  "a qualitative target word cut off the end of the run-together name / 名称末尾的定性指标值已切出", value_token.line))
            notes.extend(Note(n.kind, value_text or value_token.text, n.decision, value_token.line, n.kind != "ImpliedComparator") for n in value.notes)  # type: ignore[union-attr]
        if name is None:
            notes.append(Note("MissingName", line.text, "no indicator name given", line.number, True))
        if row.dropped:
            notes.append(Note("ExtraCells", " | ".join(t.text for t in row.dropped), "fits no column; kept in the source row", row.dropped[0].line, True))
        previous_token = cells.get("PreviousActualColumn")
        previous_column = next((c for c in columns if c.role == "PreviousActualColumn"), None)
        stated = {"Level1Column", "Level2Column"} & cells.keys()
        return IndicatorRecord(
            name=name.text if name else None,
            level1=level.level1, level2=level.level2, level1_text=level.level1_text, level2_text=level.level2_text,
            value=value, basis=basis, basis_text=basis_text, lines=lines, notes=notes,
            inherited=2 - len(stated), description=description_text,
            previous=parse_value(previous_token.text, self.vocab) if previous_token is not None else None,
            previous_year=previous_column.year if previous_token is not None and previous_column is not None else None,
            extra=extra,
        )

    # ----- end of document ----------------------------------------------------------------

    def finish(self) -> list[ProjectRecord]:
        self.new_project()
        # A document with a table read from cells in order may hold projects cut off before their
        # table: they are kept with a note, not refused (docs/reading.md, "Cut-off tables").
        ordered = any(id(p) in self.ordered_projects for p in self.projects)
        if ordered:
            for empty in [p for p in self.projects if not p.indicators()]:
                self.notes.append(Note("TableCutOff", empty.name or "", "form fields with no indicator table after them; no project made",
                                       empty.name_line, True))
            self.projects = [p for p in self.projects if p.indicators()]
        for project in self.projects:
            _merge_duplicate_rows(project)
            if ordered:
                _note_ordered_project(project)
            else:
                _check_complete(self.document.path, project)
            if project.year is None:
                project.notes.append(Note("FiscalYearNotStated", "", "no fiscal year recorded", project.name_line, True))
            if project.agency is None:
                project.notes.append(Note("MissingField", "申报单位", "no declaring unit found", project.name_line, True))
        return self.projects


def forms_unit(role: str, name: str, code: str | None, line: int) -> NamedUnit:
    return NamedUnit(role, name, code, line)


def _is_title(text: str) -> bool:
    key = canon(text)
    if _SECTION.match(key):
        return False
    while (tail := _TITLE_TAIL.search(key)) is not None:
        key = key[: tail.start()]
    return bool(_ORDERED_TITLE.search(key))


def _looks_like_unit_name(name: str, vocab: Vocabulary) -> bool:
    """A unit's name written after its budget code: words, no number, not a category or a label."""
    key = canon(name)
    return (len(key) >= 4 and not any(ch.isdigit() for ch in key) and key not in vocab.level1 and key not in vocab.level2
            and forms.form_field(key) is None and forms.column_role(key) is None)


_LABEL_BRACKET = re.compile(r"^(.{1,8}?)[(（]([^()（）]+)[)）]$")


def _money_unit_in_label(text: str) -> str | None:
    """`投入目标 (万元)`: a short label whose bracket names a money unit sets the unit of the amounts after it."""
    match = _LABEL_BRACKET.match(canon(text))
    return match.group(2) if match and forms.is_money_unit(match.group(2)) else None


def _labelled_pairs(text: str) -> list[tuple[forms.FieldMatch, str, str]]:
    """`填报单位:(盖章) 单位:万元`: several label:value pairs in one cell, separated by spaces."""
    pairs = []
    for part in text.split():
        match, label, colon, value = _field_in(part)
        if match is not None and colon:
            pairs.append((match, label, value))
    return pairs


def target_value(text: str, extra: dict[str, str], name: str, level2: URIRef | None, vocab: Vocabulary) -> ParsedValue:
    """One 指标值 cell read with the cells of its own 计量单位 and 指标方向 columns (`= | 8 | 人/次` is =8人/次): the
    value parser uses them where the value writes no unit or no comparator. With no unit cell, a unit in brackets at
    the end of the name (`开展修复工程(个)`) is the value's unit. A bare multiplier in an economic cost indicator
    (`250万`) is money: the framework states cost in money (jxs:CostInMoney), so 万 there means 万元."""
    unit = extra.get("UnitOfMeasureColumn", "")
    # A unit cell is the value's unit, known or not (the value parser records an unknown one); a number there is no unit.
    unit = "" if any(ch.isdigit() for ch in unit) else unit.strip()
    if not unit and (bracket := _NAME_UNIT.search(canon(name))) and bracket.group(1) in vocab.units:
        unit = bracket.group(1)
    cells = [cell.strip() for role, cell_text in extra.items() if role == "DirectionColumn" for cell in cell_text.split(" | ")]
    direction = next((cell for cell in cells if any(canon(cell) == form for form, _ in vocab.comparator_prefixes)), None)
    parsed = parse_value(text, vocab, unit_column=unit or None, direction_column=direction)
    if level2 == JX.EconomicCostIndicator:
        parsed = _as_money(parsed, text, vocab, unit_column=unit or None, direction_column=direction)
    if (unit or direction) and parsed.quantitative:
        # The stated value shows what the row states, the column cells the parser used included (`≥230人`).
        own = parse_value(text, vocab)
        prefix = direction if direction and not own.comparator_stated else ""
        suffix = unit if unit and not own.unit_text else ""
        parsed = replace(parsed, stated=f"{prefix}{text}{suffix}")
    return parsed


def _as_money(parsed: ParsedValue, text: str, vocab: Vocabulary, **columns: str | None) -> ParsedValue:
    """`250万` in a money field: the multiplier is of the base money unit (元), not a bare factor."""
    if not any(note.kind == "MultiplierWithoutUnit" for note in parsed.notes):
        return parsed
    return parse_value(text, vocab, default_unit=_BASE_MONEY_UNIT, **columns)  # type: ignore[arg-type]


def _is_field_label(text: str) -> bool:
    match, _, colon, value = _field_in(text)
    return match is not None and not (colon and value)


def _on_one_row(a: Token, b: Token) -> bool:
    return a.row is None or b.row is None or a.row == b.row


def _is_value_of_field(candidate: Token, label: Token, vocab: Vocabulary) -> bool:
    """Whether the cell after a field label is its value: not itself a label, a header cell, a title or furniture,
    and on the label's row when rows are known."""
    if label.row is not None and candidate.row is not None and candidate.row != label.row:
        return False
    text = candidate.text.strip()
    return not (_field_in(text)[0] or forms.column_role(text) or _is_title(text) or _GOAL_LABEL.match(canon(text))
                or forms.non_indicator_marker(text))


def _note_ordered_project(project: ProjectRecord) -> None:
    """Notes a project read from cells in order gets at the end: no indicator, no long-term goal."""
    if not project.indicators():
        project.notes.append(Note("TableCutOff", project.name or "", "the project's table has no indicator rows here", project.name_line, True))
    if not any(goal.kind == LONG_TERM for goal in project.goals):
        project.notes.append(Note("AnnualOnlyTable", project.name or "", "the form names only the annual goal", project.name_line))
    if project.budget is None and project.budget_parts and all(p.amount is not None for p in project.budget_parts[:1]):
        first = project.budget_parts[0]
        project.budget, project.budget_stated, project.budget_line = first.amount, first.stated, first.line
        project.notes.append(Note("MissingField", first.label, f"no total stated; the budget is the part {first.label}", first.line, True))


def _field_in(text: str) -> tuple[forms.FieldMatch | None, str, str, str]:
    """The form field a cell names: the whole cell as a label (其中:财政拨款), or the label before a colon
    with its value after it (申报单位：X). Returns (field, label, colon, value)."""
    text = text.strip()
    whole = forms.form_field(text)
    if whole is not None:
        return whole, text, "", ""
    label, colon, value = _split_label(text)
    return (forms.form_field(label) if colon else None), label, colon, value


def _split_label(text: str) -> tuple[str, str, str]:
    """'申报单位：X' → ('申报单位', '：', 'X'); text without a colon → (text, '', '')."""
    match = re.match(r"^([^:：]{1,12})([:：])(.*)$", text)
    if match is None:
        return text, "", ""
    return match.group(1), match.group(2), match.group(3).strip()


def _looks_quantitative(cell: _Cell, vocab: Vocabulary) -> bool:
    return parse_value(cell.text, vocab).quantitative


def _name_and_value(rest: list[_Cell], vocab: Vocabulary) -> tuple[_Cell | None, _Cell | None]:
    if not rest:
        return None, None
    if len(rest) == 1:
        return (None, rest[0]) if _looks_quantitative(rest[0], vocab) else (rest[0], None)
    return rest[0], rest[1]


def _merge_duplicate_rows(project: ProjectRecord) -> None:
    """Two rows of one goal with the same name, value and basis are one indicator.

    Conversions sometimes repeat a row with its category cells blanked; the row whose
    categories were written (not inherited) is kept, and both source lines stay attached.
    """
    for goal in project.goals:
        kept: list[IndicatorRecord] = []
        for indicator in goal.indicators:
            twin = next((k for k in kept if _same_row(k, indicator)), None)
            if twin is None:
                kept.append(indicator)
                continue
            winner, loser = (indicator, twin) if indicator.inherited < twin.inherited else (twin, indicator)
            kept_line = winner.line
            winner.lines = sorted(set(winner.lines + loser.lines))
            winner.notes.append(Note("DuplicateRowMerged", f"lines {', '.join(map(str, winner.lines))}",
                                     f"kept the categories of line {kept_line}", loser.line))
            kept[kept.index(twin)] = winner
        for position, indicator in enumerate(kept, start=1):
            indicator.position = position
        goal.indicators = kept


def _same_row(a: IndicatorRecord, b: IndicatorRecord) -> bool:
    return (
        a.name is not None
        and canon(a.name) == canon(b.name or "")
        and canon(a.value.stated if a.value else "") == canon(b.value.stated if b.value else "")
        and (a.basis, a.basis_text) == (b.basis, b.basis_text)
        and a.extra.get("ValueColumnLabel") == b.extra.get("ValueColumnLabel")  # one target per place is no duplicate
    )


def _check_complete(path: str, project: ProjectRecord) -> None:
    """A project with a name but no indicator at all is a table cut off mid-way."""
    if not project.indicators():
        last = max(project.lines) if project.lines else project.name_line
        raise InputError(path, last, f"project {project.name or '?'} has no indicator rows: the table is cut off "
                         "(expected 目标名称 | 一级指标 | 二级指标 | 三级指标 | 指标值 | 指标值确定依据 rows) / 表格不完整")


def _form_of(line: RawLine) -> str:
    """How the line's cells were found (RawLine.form where the reader says; else markdown or text)."""
    form = getattr(line, "form", None)
    if form:
        return str(form)
    return "markdown" if line.cells is not None else "text"


def _has_seed_header(lines: tuple[RawLine, ...]) -> bool:
    """Whether a positional row is the seed template's header (目标名称 | 一级指标 | … | 指标值确定依据)."""
    canonical = {"目标名称", "一级指标", "二级指标", "三级指标", "指标值", "指标值确定依据"}
    return any(_form_of(line) in _POSITIONAL_FORMS and "一级指标" in (keys := {canon(c) for c in line.cells or () if c.strip()})
               and keys <= canonical for line in lines)


def _has_other_header(lines: tuple[RawLine, ...]) -> bool:
    """Whether a positional row is a header of another template: then positions are not the seed's and cells are read in order."""
    for line in lines:
        if _form_of(line) in _POSITIONAL_FORMS:
            tokens = [Token(c.strip(), line.number, line.number) for c in line.cells or () if c.strip()]
            if any(read_header(tokens, start) is not None for start in range(len(tokens))):
                return True
    return False


def _tokens(lines: list[RawLine], vocab: Vocabulary) -> list[Token]:
    """The cells of lines read in order; a line with several cells is a known row, a single cell belongs to a stream.

    In a stream, a name broken over two lines (`经济效益` / `指标`) is joined when the two parts
    together, and not the first alone, are a category, a column role or a form field.
    """
    tokens: list[Token] = []
    for line in lines:
        form = _form_of(line)
        cells = [c.strip() for c in (line.cells if line.cells is not None else (line.text,)) if c and c.strip()]
        row = line.number if len(cells) > 1 and form in ("bars", "spaces", *_POSITIONAL_FORMS) else None
        for cell in cells:
            previous = tokens[-1] if tokens else None
            if previous is not None and previous.row is None and row is None and not _known_name(previous.text, vocab) \
                    and _known_name(previous.text + cell, vocab):
                tokens[-1] = Token(previous.text + cell, previous.line, None)
            else:
                tokens.append(Token(cell, line.number, row))
    return tokens


def _known_name(text: str, vocab: Vocabulary) -> bool:
    key = canon(text)
    return (key in vocab.level1 or key in vocab.level2 or forms.column_role(text) is not None
            or forms.form_field(text) is not None)


def normalize(document: RawDocument, year: int | None = None) -> DocumentRecord:
    """Read the document's lines into project records; raise InputError if nothing usable is there.

    A self-evaluation (its indicator header names an actual-value or score column) is read by
    `jixiao.reading.evaluation` into the record's `evaluations` instead.
    """
    if evaluation.is_evaluation(document):
        return evaluation.read_evaluation(document, year)
    state = _Reader(document, year)
    state.project.year = year
    lines = document.lines
    positional = _POSITIONAL_FORMS if _has_seed_header(lines) or not _has_other_header(lines) else ()
    index = 0
    while index < len(lines):
        if _form_of(lines[index]) in positional:
            state.read_table_row(lines[index])
            state.project.lines.append(lines[index].number)
            index += 1
            continue
        end = index
        while end < len(lines) and _form_of(lines[end]) not in positional:
            end += 1
        run = lines[index:end]
        state.read_ordered(_tokens(run, state.vocab), at_end=end == len(lines))
        state.project.lines.extend(line.number for line in run)
        index = end
    projects = state.finish()
    if not projects:
        first = document.lines[0].number if document.lines else None
        raise InputError(document.path, first, "no performance-target table found (expected an indicator table with a header "
                         "naming its columns, such as 一级指标 | 二级指标 | 三级指标 | 指标值, and the indicator rows under it) / "
                         "未找到绩效目标表（应有列名为一级指标、二级指标、三级指标、指标值等的表头及其下的指标行）")
    texts = {line.number: line.text for line in document.lines}
    return DocumentRecord(document.path, document.name, document.encoding, document.content_hash, texts, projects, state.notes)
