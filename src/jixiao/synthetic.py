"""Synthetic performance-target tables, for tests and benchmarks.

Tables are written in the layout of real published ones (the seed's Markdown conversion):
a title, 申报单位 and 金额单位 lines, a project header, goal statements, and a long-term and an
annual indicator table with merged (blank) goal, level-1 and level-2 cells. `damage` shifts
rows and misplaces cells the way office-document conversions do; `defects` adds what a
reviewer would flag. Generation is deterministic for a given seed.

The same records can be written in every text form a table arrives in (`render(form=…)`, see
reading/textforms.py): `markdown` (`| a | b |` rows, the seed's), `bars` (`a | b | ||||`: no
leading bar, merged cells collapsed), `lines` (one cell per line, blank lines between, as pages
converted from Word are copied), `spaces` (cells separated by two spaces, empty cells dropped)
and `run-together` (each row's cells written with no separator). Only the Markdown form keeps
a row's column positions, so `damage` shows only there; the other forms drop empty cells.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

LEVELS: dict[str, list[str]] = {
    "成本指标": ["经济成本指标"],
    "产出指标": ["数量指标", "质量指标", "时效指标"],
    "效益指标": ["社会效益指标", "经济效益指标", "可持续影响指标"],
    "满意度指标": ["服务对象满意度指标"],
}
_TOPICS = ["培训", "宣传", "巡查", "维护", "调查", "评审", "招聘", "监测", "救助", "补贴", "咨询", "认证"]
_AGENCIES = ["市人力资源和社会保障局", "市财政局", "市教育局", "市卫生健康委员会", "市农业农村局", "市民政局",
             "市生态环境局", "市交通运输局", "市文化和旅游局", "市市场监督管理局"]
_CITIES = ["鄂州", "黄石", "孝感", "荆州", "宜昌", "襄阳", "十堰", "随州"]


@dataclass(frozen=True)
class Row:
    """One indicator as a table writes it."""

    level1: str
    level2: str
    name: str
    value: str
    basis: str


@dataclass
class Project:
    agency: str
    name: str
    budget: str  # in 万元
    year: int | None
    long_term: list[Row] = field(default_factory=list)
    annual: list[Row] = field(default_factory=list)
    statement_long: str = ""
    statement_annual: str = ""


def _rows(rng: random.Random, topic: str, budget_wan: int, defects: float) -> list[Row]:
    people = rng.choice([50, 120, 300, 800, 1500])
    rows = [
        Row("成本指标", "经济成本指标", f"{topic}人均成本", f"={max(1, budget_wan * 10000 // people)}元/人", "预算支出标准"),
        Row("产出指标", "数量指标", f"{topic}服务人数", f"≥{people}人", "计划标准"),
        Row("产出指标", "质量指标", f"{topic}合格率", f"≥{rng.choice([90, 95, 98])}%", "行业标准"),
        Row("产出指标", "时效指标", f"{topic}完成时间", f"≤{rng.choice([6, 12])}个月", "计划标准"),
        Row("效益指标", "社会效益指标", f"{topic}覆盖率", f"≥{rng.choice([80, 85, 90])}%", "历史标准"),
        Row("满意度指标", "服务对象满意度指标", f"{topic}对象满意度", f"≥{rng.choice([90, 95])}%", "其他标准"),
    ]
    if rng.random() < 0.5:
        rows.insert(1, Row("成本指标", "经济成本指标", f"{topic}总成本", f"≤{budget_wan}万元", "预算支出标准"))
    if rng.random() < defects:
        rows[2] = replace(rows[2], value=rng.choice(["≥100%", "有效提高", rows[2].name]))
    if rng.random() < defects:
        rows[0] = replace(rows[0], value=f"={people}人")
    if rng.random() < defects:
        rows[-1] = replace(rows[-1], basis="")
    return rows


def random_project(rng: random.Random, agency: str, year: int | None, index: int, defects: float = 0.0) -> Project:
    topic = rng.choice(_TOPICS)
    budget_wan = rng.choice([4, 15, 27, 45, 130, 150, 300])
    rows = _rows(rng, topic, budget_wan, defects)
    statement = f"开展{topic}工作第{index}项，提升公共服务质量和效率，完成年度{topic}任务。"
    annual_statement = statement if rng.random() < defects else f"本年度完成{topic}任务，服务对象满意。"
    return Project(agency, f"{topic}项目{index:05d}", str(budget_wan), year, list(rows), list(rows),
                   statement, annual_statement)


Cells = list[str]


def _table_rows(goal_label: str, rows: list[Row], rng: random.Random, damage: float) -> list[Cells]:
    table: list[Cells] = []
    previous = Row("", "", "", "", "")
    for position, row in enumerate(rows):
        goal = goal_label if position == 0 else ""
        level1 = "" if row.level1 == previous.level1 else row.level1
        level2 = "" if row.level2 == previous.level2 and not level1 else row.level2
        cells = [goal, level1, level2, row.name, row.value, row.basis]
        if rng.random() < damage:
            cells = _damage(cells, rng)
        table.append(cells)
        previous = row
    return table


def _damage(cells: list[str], rng: random.Random) -> list[str]:
    """Shift a row left or right, as converted merged cells do."""
    if not cells[0] and rng.random() < 0.5:
        return [*cells[1:], ""]  # shifted left into the blank goal cell
    at = rng.randrange(1, 4)
    return [*cells[:at], "", *cells[at:]]  # shifted right by an inserted blank


FORMS = ("markdown", "bars", "lines", "spaces", "run-together")
_RULE = "|---|---|---|---|---|---|"


class _FormRow(tuple[str, ...]):
    """A row of the form around the indicator table (written with one space in its empty cells)."""


def _form_row(*cells: str) -> _FormRow:
    return _FormRow(cells)


def _document(projects: list[Project], rng: random.Random, damage: float) -> list[str | Cells | _FormRow]:
    """The document as text lines (str), table rows (cells) and blank lines ("")."""
    out: list[str | Cells | _FormRow] = []
    for project in projects:
        title = f"{project.year}年项目支出绩效目标批复表" if project.year else "项目支出绩效目标批复表"
        out += ["", title, "", "申报单位：", "", project.agency, "", "金额单位：万元", "",
                _form_row("", "", "", "", "", ""), _RULE,
                _form_row("项目名称", project.name, "项目预算", project.budget, "", ""),
                _form_row("项目绩效总目标", "", "", "", "", ""), _form_row("名称", "目标说明", "", "", "", ""),
                _form_row("长期绩效目标1", project.statement_long, "", "", "", ""),
                _form_row("年度绩效目标1", project.statement_annual, "", "", "", "")]
        for section, label, rows in (("长期绩效目标表", "长期目标1", project.long_term), ("年度绩效目标表", "年度目标1", project.annual)):
            out += [_form_row(section, "", "", "", "", ""), _form_row("目标名称", "一级指标", "二级指标", "三级指标", "指标值", "指标值确定依据")]
            out += _table_rows(label, rows, rng, damage)
    return out


def _write_row(cells: Cells | _FormRow, form: str) -> list[str]:
    filled = [cell for cell in cells if cell]
    if form == "markdown" and isinstance(cells, _FormRow):
        return ["|" + "|".join(f" {cell} " if cell else " " for cell in cells) + "|"]
    if form == "markdown":
        return ["| " + " | ".join(cells) + " |"]
    if form == "bars":
        collapsed = "|" * (len(cells) - len(filled))
        return [" | ".join(filled) + (" | " + collapsed if filled and collapsed else collapsed)]
    if form == "lines":
        return [line for cell in filled for line in (cell, "")]
    if form == "spaces":
        return ["  ".join(filled)] if filled else []
    return ["".join(filled)] if filled else []


def render(projects: list[Project], damage: float = 0.0, seed: int = 0, form: str = "markdown") -> str:
    """The projects as one document in the seed's layout, written in the text form `form` (one of FORMS)."""
    if form not in FORMS:
        raise ValueError(f"unknown text form {form!r} (expected one of {', '.join(FORMS)})")
    rng = random.Random(seed)
    lines: list[str] = []
    for item in _document(projects, rng, damage):
        if isinstance(item, (list, _FormRow)):
            lines += _write_row(item, form)
        elif item != _RULE or form == "markdown":
            lines.append(item)
    return "\n".join(lines) + "\n"


def agencies(count: int) -> list[str]:
    names = [f"{city}{agency}" for city in _CITIES for agency in _AGENCIES]
    return names[:count] if count <= len(names) else names + [f"第{i}单位" for i in range(count - len(names))]


def corpus(n_projects: int, seed: int = 1, n_agencies: int = 20, years: tuple[int | None, ...] = (2024,),
           defects: float = 0.1) -> list[Project]:
    """`n_projects` project tables. With several `years`, each project is declared again in the next
    year (same unit and name, its budget and targets as drawn for it), as units do with recurring
    projects: tables i·k … i·k+k−1 are one project's k years, so year-over-year has pairs to find."""
    rng = random.Random(seed)
    units = agencies(n_agencies)
    per_project = len(years)
    drawn = [random_project(rng, units[i % len(units)], years[0], i, defects) for i in range(-(-n_projects // per_project))]
    return [_declared_again(drawn[i // per_project], years[i % per_project], i % per_project) for i in range(n_projects)]


def _declared_again(project: Project, year: int | None, repeat: int) -> Project:
    """The project as declared in `year`, its `repeat`-th year: every other year its deadline target
    (时效指标, ≤6 or ≤12 months) is the other one, so consecutive years differ by one target."""
    if repeat % 2 == 0:
        return replace(project, year=year)
    other = {"≤6个月": "≤12个月", "≤12个月": "≤6个月"}

    def changed(rows: list[Row]) -> list[Row]:
        return [replace(row, value=other.get(row.value, row.value)) if row.level2 == "时效指标" else row for row in rows]

    return replace(project, year=year, long_term=changed(project.long_term), annual=changed(project.annual))


def write_corpus(directory: Path, n_projects: int, seed: int = 1, per_file: int = 50, damage: float = 0.05,
                 form: str = "markdown", **options: object) -> list[Path]:
    """Write `n_projects` projects as text files of `per_file` projects each, in the text form `form`."""
    directory.mkdir(parents=True, exist_ok=True)
    projects = corpus(n_projects, seed, **options)  # type: ignore[arg-type]
    paths = []
    for start in range(0, len(projects), per_file):
        path = directory / f"corpus-{start // per_file:05d}.md"
        path.write_text(render(projects[start:start + per_file], damage, seed + start, form), encoding="utf-8")
        paths.append(path)
    return paths


# ----- self-evaluations (项目支出绩效自评表) of generated target tables --------------------------------
#
# Each generated target table's annual indicators are evaluated at year end in the national template
# (docs/selfeval.md): the restated target, an actual value, a weight (产出 50, 效益 30, 满意度 10 and
# budget execution 10, split evenly among a category's indicators), a score, a deviation reason, the
# funds block and the total. An `outcome` says what is wrong with it, if anything; `expected` lists the
# checks (shapes/evaluation.ttl) that must find it, by shape and position of the result (0: the
# evaluation itself), and `completions()` the completion rate of every comparable indicator, computed
# here from the numbers the generator chose.

OUTCOMES = ("met", "missed", "over-scored", "unexplained", "score-over-weight", "wrong-total", "wrong-rate", "retargeted",
            "other-unit", "bad-weights", "execution-over", "execution-weight")
# Which check must find each outcome, and on what: the evaluation (0) or the changed result (its position).
_EXPECTED = {
    "met": (), "missed": (),
    "over-scored": ("FullMarksWhileMissed",), "unexplained": ("ShortfallHasReason",), "score-over-weight": ("ScoreWithinWeight",),
    "wrong-total": ("EvaluationTotalIsSum",), "wrong-rate": ("ExecutionRateMatchesAmounts",), "retargeted": ("RestatedTargetIsApproved",),
    "other-unit": ("ActualInTargetUnit",), "bad-weights": ("Level1WeightsFollowFramework", "StatedLevel1WeightFollowsFramework"),
    "execution-over": ("ExecutionScoreWithinWeight",), "execution-weight": ("ExecutionWeightIsTen",),
}
_ON_EVALUATION = {"EvaluationTotalIsSum", "ExecutionRateMatchesAmounts", "Level1WeightsFollowFramework", "StatedLevel1WeightFollowsFramework",
                  "ExecutionScoreWithinWeight", "ExecutionWeightIsTen"}
# The framework's split of a self-evaluation's 100 points (docs/selfeval.md, "Weights").
FRAMEWORK_WEIGHTS = {"产出指标": 50, "效益指标": 30, "满意度指标": 10}
EXECUTION_WEIGHT = 10
_REASON = "受天气影响进度滞后，下年度加快实施"
_VALUE = re.compile(r"^(?P<cmp>[≥≤=]?)(?P<num>\d+(?:\.\d+)?)(?P<unit>.*)$")


@dataclass(frozen=True)
class ResultRow:
    """One indicator of a self-evaluation as the table writes it."""

    level1: str  # the evaluation template's block (成本 rows stand under 产出指标)
    level2: str
    name: str
    target: str  # as restated
    actual: str
    weight: int
    score: int
    reason: str = ""
    approved: str = ""  # the target table's value


@dataclass
class Evaluation:
    project: Project
    rows: list[ResultRow]
    adjusted_wan: str
    executed_wan: str
    rate: str  # as written, with %
    execution_weight: int
    execution_score: int
    total_score: int
    outcome: str
    level1_weights: dict[str, int]  # as written in the level-1 cells
    changed: int = 0  # the position (1-based) of the changed result, 0 when none

    @property
    def grade(self) -> str:
        """The grade the total gives: 优 90–100, 良 80–89, 中 60–79, 差 0–59 (docs/selfeval.md)."""
        return "优" if self.total_score >= 90 else "良" if self.total_score >= 80 else "中" if self.total_score >= 60 else "差"

    def expected(self) -> set[tuple[str, int]]:
        """(shape local name, 0 for the evaluation or the result's position) every check must find."""
        return {(shape, 0 if shape in _ON_EVALUATION else self.changed) for shape in _EXPECTED[self.outcome]}

    def completions(self) -> dict[str, tuple[float, bool]]:
        """Indicator name -> (completion rate, met), for every quantitative actual in its target's unit."""
        out = {}
        for row in self.rows:
            target, actual = _VALUE.match(row.approved or row.target), _VALUE.match(row.actual)
            if target is None or actual is None or _unit_key(target.group("unit")) != _unit_key(actual.group("unit")):
                continue
            out[row.name] = completion(target.group("cmp") or "=", float(target.group("num")), float(actual.group("num")))
        return out


def _unit_key(unit: str) -> str:
    return {"个月": "月"}.get(unit, unit)


def completion(comparator: str, target: float, actual: float) -> tuple[float, bool]:
    """The completion rate and whether it is met, by the target's direction (docs/selfeval.md, "Completion")."""
    met = {"≥": actual >= target, "≤": actual <= target}.get(comparator, actual == target)
    if met:
        return 1.0, True
    if comparator == "≥":
        return (actual / target if target > 0 else 0.0), False
    if comparator == "≤":
        return (target / actual if actual > 0 else 0.0), False
    low, high = min(actual, target), max(actual, target)
    return (low / high if high > 0 else 0.0), False


def _block(row: Row) -> str:
    return "产出指标" if row.level1 == "成本指标" else row.level1


def _level2(row: Row) -> str:
    return "成本指标" if row.level1 == "成本指标" else row.level2


def _weights(rows: list[Row]) -> list[int]:
    """The framework's points per level-1 block, split evenly among its indicators (the first get the remainder)."""
    counts: dict[str, int] = {}
    for row in rows:
        counts[_block(row)] = counts.get(_block(row), 0) + 1
    seen: dict[str, int] = {}
    weights = []
    for row in rows:
        block = _block(row)
        total, count, index = FRAMEWORK_WEIGHTS[block], counts[block], seen.get(block, 0)
        weights.append(total // count + (1 if index < total % count else 0))
        seen[block] = index + 1
    return weights


def _met_actual(value: str) -> str:
    match = _VALUE.match(value)
    assert match is not None, value
    return f"{match.group('num')}{match.group('unit')}"


def _missed_actual(value: str) -> tuple[str, float]:
    match = _VALUE.match(value)
    assert match is not None, value
    number = float(match.group("num"))
    worse = number * 1.25 if match.group("cmp") == "≤" else number * 0.8
    text = f"{worse:.2f}".rstrip("0").rstrip(".")
    return f"{text}{match.group('unit')}", completion(match.group("cmp") or "=", number, float(text))[0]


def evaluate(project: Project, outcome: str, rng: random.Random) -> Evaluation:
    """A self-evaluation of the project's annual targets with the given outcome (one of OUTCOMES)."""
    annual = [row for row in project.annual if _VALUE.match(row.value)]
    weights = _weights(annual)
    rows = [ResultRow(_block(r), _level2(r), r.name, r.value, _met_actual(r.value), w, w, approved=r.value) for r, w in zip(annual, weights, strict=True)]
    changed = rng.randrange(len(rows)) if outcome not in ("met", "wrong-total", "wrong-rate", "bad-weights", "execution-over", "execution-weight") else -1
    if outcome in ("missed", "over-scored", "unexplained"):
        actual, rate = _missed_actual(rows[changed].target)
        score = rows[changed].weight if outcome == "over-scored" else int(rows[changed].weight * rate)
        rows[changed] = replace(rows[changed], actual=actual, score=score, reason=_REASON if outcome == "missed" else "")
    elif outcome == "score-over-weight":
        rows[changed] = replace(rows[changed], score=rows[changed].weight + 2)
    elif outcome == "retargeted":
        # A looser target restated (≥ lowered, ≤ raised), the actual meeting the approved one, so only the retargeting is wrong.
        changed = rng.choice([i for i, r in enumerate(rows) if r.target[:1] in "≥≤"])
        match = _VALUE.match(rows[changed].target)
        assert match is not None
        lowered = f"{match.group('cmp')}{float(match.group('num')) * (1.25 if match.group('cmp') == '≤' else 0.8):.2f}".rstrip("0").rstrip(".")
        rows[changed] = replace(rows[changed], target=lowered + match.group("unit"))
    elif outcome == "other-unit":
        changed = next(i for i, r in enumerate(rows) if r.target.endswith("人") and not r.target.endswith("/人"))
        rows[changed] = replace(rows[changed], actual=rows[changed].actual[:-1] + "户")
    level1_weights = dict(FRAMEWORK_WEIGHTS)
    if outcome == "bad-weights":
        first_outcome = next(i for i, r in enumerate(rows) if r.level1 == "效益指标")
        first_output = next(i for i, r in enumerate(rows) if r.level1 == "产出指标")
        rows[first_output] = replace(rows[first_output], weight=rows[first_output].weight + 10, score=rows[first_output].score + 10)
        rows[first_outcome] = replace(rows[first_outcome], weight=rows[first_outcome].weight - 10, score=rows[first_outcome].score - 10)
        level1_weights.update({"产出指标": 60, "效益指标": 20})
    adjusted = float(project.budget)
    executed = round(adjusted * rng.choice([1.0, 0.98, 0.95]), 2)
    rate = f"{executed / adjusted * 100:.2f}%" if outcome != "wrong-rate" else f"{min(100.0, executed / adjusted * 100 + 7):.2f}%"
    if outcome == "wrong-rate" and executed == adjusted:
        executed = round(adjusted * 0.9, 2)
    execution_weight = EXECUTION_WEIGHT + (10 if outcome == "execution-weight" else 0)
    execution_score = execution_weight + (2 if outcome == "execution-over" else 0)
    total = sum(r.score for r in rows) + execution_score + (5 if outcome == "wrong-total" else 0)
    return Evaluation(project, rows, _wan(adjusted), _wan(executed), rate, execution_weight, execution_score, total, outcome,
                      level1_weights, changed + 1)


def _wan(amount: float) -> str:
    return f"{amount:.2f}".rstrip("0").rstrip(".")


def _evaluation_document(evaluations: list[Evaluation]) -> list[str | Cells | _FormRow]:
    out: list[str | Cells | _FormRow] = []
    for ev in evaluations:
        p = ev.project
        out += ["", "项目支出绩效自评表", "", f"({p.year}年度)", "",
                _form_row("项目名称", p.name, "", "", "", "", "", "", ""), "|---|---|---|---|---|---|---|---|---|",
                _form_row("主管部门", p.agency, "实施单位", p.agency, "", "", "", "", ""),
                _form_row("项目资金(万元)", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分", "", ""),
                _form_row("年度资金总额", p.budget, ev.adjusted_wan, ev.executed_wan, str(ev.execution_weight), ev.rate, str(ev.execution_score), "", ""),
                _form_row("其中:财政拨款", p.budget, ev.adjusted_wan, ev.executed_wan, "", "", "", "", ""),
                _form_row("年度总体目标", "预期目标", "实际完成情况", "", "", "", "", "", ""),
                _form_row(p.statement_annual, "已按计划完成年度任务。", "", "", "", "", "", "", ""),
                _form_row("绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施")]
        previous = ResultRow("", "", "", "", "", 0, 0)
        for row in ev.rows:
            level1 = f"{row.level1}({ev.level1_weights[row.level1]}分)" if row.level1 != previous.level1 else ""
            level2 = row.level2 if row.level2 != previous.level2 or level1 else ""
            out.append(["", level1, level2, row.name, row.target, row.actual, str(row.weight), str(row.score), row.reason])
            previous = row
        out += [_form_row("总分", "", "", "", "", "", str(100 + ev.execution_weight - EXECUTION_WEIGHT), str(ev.total_score), ""),
                _form_row("自评等级", ev.grade, "", "", "", "", "", "", "")]
    return out


def render_evaluations(evaluations: list[Evaluation], form: str = "markdown") -> str:
    """Self-evaluations as one document in the national template, written in the text form `form` (one of FORMS)."""
    if form not in FORMS:
        raise ValueError(f"unknown text form {form!r} (expected one of {', '.join(FORMS)})")
    lines: list[str] = []
    for item in _evaluation_document(evaluations):
        if isinstance(item, (list, _FormRow)):
            lines += _write_row(item, form)
        elif not item.startswith("|---") or form == "markdown":
            lines.append(item)
    return "\n".join(lines) + "\n"


def evaluation_corpus(projects: list[Project], seed: int = 1, outcomes: tuple[str, ...] = OUTCOMES) -> list[Evaluation]:
    """One self-evaluation per project, the outcomes taken in turn."""
    rng = random.Random(seed)
    return [evaluate(project, outcomes[i % len(outcomes)], rng) for i, project in enumerate(projects)]
