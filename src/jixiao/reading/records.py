"""Plain records between the normaliser and the mapper: what a table says, repaired, with notes."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from rdflib import URIRef

from jixiao.reading.values import ParsedValue

LONG_TERM = "long-term"
ANNUAL = "annual"
# What a table is about: one spending project, or a unit's whole spending (部门整体支出绩效目标表).
PROJECT = "project"
DEPARTMENT = "department"


@dataclass
class Note:
    """A repair (something changed) or a finding (something odd, kept as written).

    `kind` is the local name of a jx:NoteKind concept, whose definition says why in zh and en.
    """

    kind: str
    saw: str
    decision: str
    line: int | None
    finding: bool = False


@dataclass
class IndicatorRecord:
    """One level-3 indicator row, placed and repaired."""

    name: str | None
    level1: URIRef | None
    level2: URIRef | None
    level1_text: str | None
    level2_text: str | None
    value: ParsedValue | None
    basis: URIRef | None
    basis_text: str | None
    lines: list[int]
    notes: list[Note] = field(default_factory=list)
    position: int = 0
    inherited: int = 0  # how many category cells came from the row above
    # What else the row says, by the column it stands in.
    description: str | None = None  # 绩效指标描述 / 指标解释 when it is not a copy of the name
    previous: ParsedValue | None = None  # last year's actual value beside this year's target (2021年实际实现值)
    previous_year: int | None = None
    # Columns the ontology has no property for yet, kept as data: column-role local name
    # (a jx:ColumnRole concept, e.g. "ScoreColumn" for 分值) -> the cell's text.
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def line(self) -> int:
        return self.lines[0]


@dataclass
class GoalRecord:
    kind: str  # LONG_TERM or ANNUAL
    number: int
    label: str | None = None
    statement: str | None = None
    statement_line: int | None = None
    label_line: int | None = None
    indicators: list[IndicatorRecord] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)


@dataclass
class NamedUnit:
    """A unit the form names, in the role the form gives it (申报单位, 主管部门, 实施单位 …).

    `role` is the local name of a jx:UnitRole concept; `code` the budget code written with the
    name (`[015001]武汉市青山区教育局` → 015001).
    """

    role: str
    name: str
    code: str | None = None
    line: int | None = None


@dataclass
class BudgetPart:
    """A part of the budget the form lists (财政拨款, 其他资金, 当年市级财政资金 …), in 元."""

    label: str
    stated: str
    amount: Decimal | None
    line: int | None = None


@dataclass
class ProjectRecord:
    name: str | None = None
    name_line: int | None = None
    agency: str | None = None
    agency_line: int | None = None
    budget_stated: str | None = None
    budget: Decimal | None = None
    budget_unit: URIRef | None = None
    budget_line: int | None = None
    year: int | None = None
    goals: list[GoalRecord] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    kind: str = PROJECT  # PROJECT, or DEPARTMENT for a unit's whole-spending table (no project name)
    programme: str | None = None  # 一级项目名称: the programme this (二级) project belongs to
    agency_code: str | None = None  # the declaring unit's budget code, where written
    units: list[NamedUnit] = field(default_factory=list)  # every unit named, with its role
    budget_parts: list[BudgetPart] = field(default_factory=list)

    def goal(self, kind: str, number: int) -> GoalRecord:
        """The goal of that kind and number, created on first use."""
        for goal in self.goals:
            if goal.kind == kind and goal.number == number:
                return goal
        goal = GoalRecord(kind, number)
        self.goals.append(goal)
        return goal

    def indicators(self) -> list[IndicatorRecord]:
        return [indicator for goal in self.goals for indicator in goal.indicators]

    def all_notes(self) -> list[Note]:
        """The project's notes, then its goals', then its indicators'."""
        return self.notes + [n for g in self.goals for n in g.notes] + [n for i in self.indicators() for n in i.notes]


@dataclass
class ResultRecord:
    """One indicator row of a self-evaluation (reading/evaluation.py): the target it restates, the actual value,
    the weight (分值), the score (得分) and the deviation reason (偏差原因)."""

    name: str | None
    level1: URIRef | None
    level2: URIRef | None
    level1_text: str | None
    level2_text: str | None
    target: ParsedValue | None
    actual: ParsedValue | None
    weight: Decimal | None
    score: Decimal | None
    deviation: str | None
    lines: list[int]
    notes: list[Note] = field(default_factory=list)
    level1_weight: Decimal | None = None  # the weight written in the level-1 cell (产出指标(70分))
    restates_target: bool = False  # the actual copies the target (≥266米) or says only 完成
    position: int = 0

    @property
    def line(self) -> int:
        return self.lines[0]


@dataclass
class EvaluationRecord:
    """A year-end self-evaluation (项目支出绩效自评表, 部门整体支出绩效自评表) of one project-year or plan-year.

    Money is in 元; rates are percentages (100 = 100 %). `agency` is the unit the evaluation is declared for
    (the same choice as a target table's: declaring, else implementing, else supervising unit); `filer` the unit
    that filed it (implementing, else declaring, else supervising).
    """

    kind: str = PROJECT
    name: str | None = None
    name_line: int | None = None
    agency: str | None = None
    agency_code: str | None = None
    filer: str | None = None
    units: list[NamedUnit] = field(default_factory=list)
    year: int | None = None
    filed_on: str | None = None  # ISO date
    total_weight: Decimal | None = None
    total_score: Decimal | None = None
    grade: str | None = None
    initial_budget: Decimal | None = None
    adjusted_budget: Decimal | None = None
    executed: Decimal | None = None
    execution_rate: Decimal | None = None
    execution_weight: Decimal | None = None
    execution_score: Decimal | None = None
    budget_line: int | None = None
    expected_goal: str | None = None
    achieved_goal: str | None = None
    results: list[ResultRecord] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)

    def all_notes(self) -> list[Note]:
        return self.notes + [n for r in self.results for n in r.notes]


@dataclass
class DocumentRecord:
    path: str
    name: str
    encoding: str
    content_hash: str
    line_texts: dict[int, str]
    projects: list[ProjectRecord]
    notes: list[Note] = field(default_factory=list)
    evaluations: list[EvaluationRecord] = field(default_factory=list)  # self-evaluations (reading/evaluation.py)
