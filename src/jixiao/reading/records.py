"""Plain records between the normaliser and the mapper: what a table says, repaired, with notes."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from rdflib import URIRef

from jixiao.reading.values import ParsedValue

LONG_TERM = "long-term"
ANNUAL = "annual"


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


@dataclass
class DocumentRecord:
    path: str
    name: str
    encoding: str
    content_hash: str
    line_texts: dict[int, str]
    projects: list[ProjectRecord]
    notes: list[Note] = field(default_factory=list)
