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
    rng = random.Random(seed)
    units = agencies(n_agencies)
    return [random_project(rng, units[i % len(units)], years[i % len(years)], i, defects) for i in range(n_projects)]


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
