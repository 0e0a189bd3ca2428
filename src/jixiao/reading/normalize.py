"""Turn a raw grid into project records, following the reading rules in docs/reading.md.

Cells are placed by what they are (a goal label, a level-1 or level-2 category, a value, a
basis), not only by their column, because converted tables shift rows and blank merged cells.
Every repair and every oddity becomes a Note attached to the record it concerns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rdflib import URIRef

from jixiao.errors import InputError
from jixiao.namespaces import JX
from jixiao.reading.readers import RawDocument, RawLine
from jixiao.reading.records import ANNUAL, LONG_TERM, DocumentRecord, GoalRecord, IndicatorRecord, Note, ProjectRecord
from jixiao.reading.values import parse_value, plain_decimal, resolve_unit
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

    # ----- document structure -------------------------------------------------------------

    def new_project(self) -> None:
        if self.project.name or self.project.goals:
            self.projects.append(self.project)
            self.project = ProjectRecord(agency=self.agency, agency_line=self.agency_line, year=self.year)
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
            if self.project.name:
                self.new_project()
            self.project.name, self.project.name_line = value, line
        elif field_name == "budget":
            self.set_budget(value, line)

    def set_budget(self, stated: str, line: int) -> None:
        project = self.project
        project.budget_stated, project.budget_line = stated, line
        parsed = parse_value(stated, self.vocab)
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
            new = _CategoryState(state.level1, state.level2, state.level1_text, state.level2_text)
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
        if state.level1 is None:
            return self.reconcile(vocab.parent[level2], level2, None, cell.text, line, notes)
        notes.append(Note("MergedCellInherited", line.text, f"level-1 inherited: {state.level1_text}", line.number))
        return self.reconcile(state.level1, level2, state.level1_text, cell.text, line, notes)

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
            return _CategoryState(parent, level2, level1_text, level2_text)
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
        value = parse_value(value_cell.text, self.vocab) if value_cell else None
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

    # ----- end of document ----------------------------------------------------------------

    def finish(self) -> list[ProjectRecord]:
        self.new_project()
        for project in self.projects:
            _merge_duplicate_rows(project)
            _check_complete(self.document.path, project)
            if project.year is None:
                project.notes.append(Note("FiscalYearNotStated", "", "no fiscal year recorded", project.name_line, True))
            if project.agency is None:
                project.notes.append(Note("MissingField", "申报单位", "no declaring unit found", project.name_line, True))
        return self.projects


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
    )


def _check_complete(path: str, project: ProjectRecord) -> None:
    """A project with a name but no indicator at all is a table cut off mid-way."""
    if not project.indicators():
        last = max(project.lines) if project.lines else project.name_line
        raise InputError(path, last, f"project {project.name or '?'} has no indicator rows: the table is cut off "
                         "(expected 目标名称 | 一级指标 | 二级指标 | 三级指标 | 指标值 | 指标值确定依据 rows) / 表格不完整")


def normalize(document: RawDocument, year: int | None = None) -> DocumentRecord:
    """Read the document's lines into project records; raise InputError if nothing usable is there."""
    state = _Reader(document, year)
    state.project.year = year
    for line in document.lines:
        if line.cells is None:
            state.read_text_line(line)
        else:
            state.read_table_row(line)
        state.project.lines.append(line.number)
    projects = state.finish()
    if not projects:
        first = document.lines[0].number if document.lines else None
        raise InputError(document.path, first, "no performance-target table found (expected a row "
                         "'| 项目名称 | … |' and an indicator table '| 目标名称 | 一级指标 | … |') / 未找到绩效目标表")
    texts = {line.number: line.text for line in document.lines}
    return DocumentRecord(document.path, document.name, document.encoding, document.content_hash, texts, projects)
