"""The normaliser on the seed's damaged rows, on edge cases, and on randomly damaged tables."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.errors import InputError
from jixiao.reading.normalize import normalize
from jixiao.reading.readers import read_bytes, read_file
from jixiao.reading.records import ANNUAL, LONG_TERM, IndicatorRecord
from jixiao.synthetic import LEVELS, Project, Row, random_project, render
from jixiao.vocabulary import vocabulary


def labels(indicator: IndicatorRecord) -> tuple[str | None, str | None]:
    vocab = vocabulary()
    return (vocab.label_zh.get(indicator.level1) if indicator.level1 else None,
            vocab.label_zh.get(indicator.level2) if indicator.level2 else None)


def by_line(document, line: int) -> IndicatorRecord:
    return next(i for p in document.projects for i in p.indicators() if line in i.lines)


def kinds(indicator: IndicatorRecord) -> set[str]:
    return {note.kind for note in indicator.notes}


@pytest.fixture(scope="module")
def seed(seed_path):
    return normalize(read_file(seed_path))


def test_seed_counts(seed) -> None:
    assert len(seed.projects) == 7
    goals = [g for p in seed.projects for g in p.goals]
    assert len(goals) == 14
    assert sum(len(g.indicators) for g in goals if g.kind == LONG_TERM) == 46
    assert sum(len(g.indicators) for g in goals if g.kind == ANNUAL) == 46
    assert {p.agency for p in seed.projects} == {"鄂州市人力资源和社会保障局本级"}
    assert sum(p.budget for p in seed.projects) == Decimal("3752600")
    assert all(g.statement for g in goals)


def test_row_shifted_right_with_basis_missing(seed) -> None:
    # | | | | 质量指标 | 窗口业务服务覆盖面 | =100% |
    row = by_line(seed, 25)
    assert labels(row) == ("产出指标", "质量指标")
    assert row.name == "窗口业务服务覆盖面"
    assert row.value is not None and row.value.number == 100
    assert row.basis is None
    assert {"ShiftedRow", "MissingBasis"} <= kinds(row)


def test_level2_in_level1_column_with_conflict_recorded(seed) -> None:
    # | | 时效指标 | 社会效益指标 | 事件办结及时率 | =100% | 其他标准 |
    row = by_line(seed, 26)
    assert labels(row) == ("产出指标", "时效指标")
    assert row.name == "事件办结及时率"
    conflict = next(n for n in row.notes if n.kind == "ConflictingCategory")
    assert conflict.finding and conflict.saw == "社会效益指标"
    assert "Level2InLevel1Column" in kinds(row)


def test_duplicate_row_is_merged_keeping_written_categories(seed) -> None:
    row = by_line(seed, 27)
    assert row.lines == [27, 28]
    assert labels(row) == ("效益指标", "社会效益指标")
    assert row.value is not None and not row.value.quantitative
    assert "DuplicateRowMerged" in kinds(row)


def test_row_shifted_left_satisfaction_alias(seed) -> None:
    # | 满意度指标 | 满意度指标 | 群众对服务工作的满意度 | ≥95% | 其他标准 | |
    row = by_line(seed, 29)
    assert labels(row) == ("满意度指标", "服务对象满意度指标")
    assert row.name == "群众对服务工作的满意度"
    assert row.value is not None and row.value.number == 95
    assert vocabulary().label_zh[row.basis] == "其他标准"
    assert {"ShiftedRow", "AliasMapped"} <= kinds(row)


def test_seven_column_row_shifted_right(seed) -> None:
    # | | 产出指标 | | 数量指标 | 计算机 | =48台 | 计划标准 |
    row = by_line(seed, 61)
    assert labels(row) == ("产出指标", "数量指标")
    assert (row.name, row.value.number, row.value.unit.base_label) == ("计算机", 48, "台")
    assert vocabulary().label_zh[row.basis] == "计划标准"


def test_level2_name_in_level1_column_with_qualitative_value(seed) -> None:
    # | | 时效指标 | 鉴定完成及时率 | 鉴定及时完成 | 其他标准 | |
    row = by_line(seed, 193)
    assert labels(row) == ("产出指标", "时效指标")
    assert row.name == "鉴定完成及时率"
    assert row.value is not None and row.value.stated == "鉴定及时完成" and not row.value.quantitative
    assert "Level2InLevel1Column" in kinds(row)


def test_value_repeating_the_name_is_kept(seed) -> None:
    row = by_line(seed, 96)
    assert row.name == row.value.stated == "规范事业单位人员聘用"


def _table(rows: list[str], header: str = "| 项目名称 | 测试项目 | 项目预算 | 10 | | |") -> bytes:
    lines = ["申报单位：测试局", "金额单位：万元", header,
             "| 目标名称 | 一级指标 | 二级指标 | 三级指标 | 指标值 | 指标值确定依据 |", *rows]
    return "\n".join(lines).encode("utf-8")


def test_legacy_template_cost_under_output_is_accepted() -> None:
    document = normalize(read_bytes("legacy.md", _table([
        "| 年度目标1 | 产出指标 | 数量指标 | 培训人数 | ≥100人 | 计划标准 |",
        "| | | 成本指标 | 培训成本 | ≤10万元 | 预算支出标准 |",
    ])))
    cost = document.projects[0].indicators()[1]
    assert labels(cost) == ("成本指标", "经济成本指标")
    assert cost.level2_text == "成本指标"
    assert "LegacyTemplateForm" in kinds(cost)


def test_unknown_category_and_basis_are_recorded_not_dropped() -> None:
    document = normalize(read_bytes("odd.md", _table([
        "| 年度目标1 | 产出指标 | 神秘指标 | 培训人数 | ≥100人 | 拍脑袋 |",
    ])))
    row = document.projects[0].indicators()[0]
    assert row.level2 is None and row.level2_text == "神秘指标"
    assert row.basis is None and row.basis_text == "拍脑袋"
    unknown = {n.kind: n for n in row.notes}
    assert unknown["UnknownCategory"].finding and unknown["UnknownCategory"].line == 5
    assert unknown["UnknownBasis"].saw == "拍脑袋"


def test_unparseable_value_is_kept_as_qualitative() -> None:
    document = normalize(read_bytes("odd.md", _table(["| 年度目标1 | 产出指标 | 数量指标 | 培训人数 | ≥若干人 | 计划标准 |"])))
    row = document.projects[0].indicators()[0]
    assert not row.value.quantitative and row.value.stated == "≥若干人"
    assert "UnparseableValue" in kinds(row)


def test_file_without_table_is_an_error_naming_the_file() -> None:
    with pytest.raises(InputError) as error:
        normalize(read_bytes("prose.md", "这是一段说明文字。\n没有表格。\n".encode()))
    assert "prose.md" in str(error.value) and "no performance-target table" in str(error.value)


def test_table_cut_off_mid_row_names_the_line() -> None:
    data = _table(["| 年度目标1 | 产出指标 | 数量指标 | 培训人数 | ≥100人 | 计划标准 |", "| | | 质量指标 | 合格"])
    with pytest.raises(InputError) as error:
        normalize(read_bytes("cut.md", data))
    assert error.value.line == 6 and "cut off" in str(error.value)


def test_project_without_indicator_rows_is_cut_off() -> None:
    data = "\n".join(["申报单位：测试局", "| 项目名称 | 测试项目 | 项目预算 | 10 | | |", "| 长期绩效目标表 | | | | | |"]).encode()
    with pytest.raises(InputError, match="no indicator rows"):
        normalize(read_bytes("cut.md", data))


# ----- property: randomly damaged valid tables read back to the rows that were written -------


def _expected(row: Row) -> tuple:
    return (row.level1, row.level2, row.name, row.value, row.basis)


def _read_back(project: Project, damage: float, seed: int) -> list[tuple]:
    document = normalize(read_bytes("generated.md", render([project], damage, seed).encode("utf-8")))
    assert len(document.projects) == 1
    goals = {g.kind: g for g in document.projects[0].goals}
    out = []
    for kind in (LONG_TERM, ANNUAL):
        for indicator in goals[kind].indicators:
            level1, level2 = labels(indicator)
            out.append((level1, level2, indicator.name, indicator.value.stated if indicator.value else None,
                        vocabulary().label_zh[indicator.basis] if indicator.basis else ""))
    return out


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10_000), damage=st.sampled_from([0.0, 0.3, 0.7, 1.0]))
def test_damaged_generated_tables_read_back(seed: int, damage: float) -> None:
    project = random_project(random.Random(seed), "某市某局", 2024, seed % 1000, defects=0.3)
    expected = [_expected(r) for r in project.long_term + project.annual]
    assert _read_back(project, damage, seed) == expected


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_any_framework_category_pair_survives_shifts_and_blanks(data: st.DataObject) -> None:
    rows = []
    for index in range(data.draw(st.integers(1, 8))):
        level1 = data.draw(st.sampled_from(sorted(LEVELS)))
        level2 = data.draw(st.sampled_from(LEVELS[level1]))
        rows.append(Row(level1, level2, f"指标{index}", f"≥{index + 1}次", "计划标准"))
    project = Project("某局", "随机项目", "12", None, rows, rows, "目标", "年度目标")
    assert _read_back(project, data.draw(st.sampled_from([0.0, 0.5, 1.0])), data.draw(st.integers(0, 99))) == \
        [_expected(r) for r in rows + rows]
