"""Text forms: every form a table arrives in becomes lines with cells and a form.

Unit tests per form (Markdown rows, bar rows, space-separated cells, one cell per line, cells run
together, CSV), the real tables' lines in the form their README names, and property tests over
generated tables: every text form gives the same cells as the Markdown form, and (once the
layout reads cell streams) the same records.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal

from jixiao.namespaces import JX
from jixiao.reading.forms import all_labels
from jixiao.reading.normalize import normalize
from jixiao.reading.readers import RawLine, read_bytes, read_file
from jixiao.reading.records import DocumentRecord
from jixiao.reading.segment import Lexicon, default_lexicon, framework_labels, segment
from jixiao.reading.textforms import read_lines
from jixiao.synthetic import FORMS, random_project, render
from jixiao.vocabulary import vocabulary

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "tests" / "fixtures" / "real"
SHARED_REAL = ROOT.parent / "shared" / "real-tables"

@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    """The ontology's labels: framework categories, bases, form fields and column roles (ontology/forms.ttl)."""
    return default_lexicon()


def lines_of(text: str, name: str = "t.md") -> list[RawLine]:
    return list(read_bytes(name, text.encode("utf-8")).lines)


def only(text: str) -> RawLine:
    (line,) = lines_of(text)
    return line


# ----- one form at a time ---------------------------------------------------------------------


def test_markdown_row_and_cut_off_row() -> None:
    row = only("| 产出指标 | 数量指标 | 培训人数 | ≥100人 |")
    assert (row.form, row.cells, row.complete) == ("markdown", ("产出指标", "数量指标", "培训人数", "≥100人"), True)
    cut = only("| 产出指标 | 数量指标 | 培训人")
    assert (cut.form, cut.complete) == ("markdown", False)


def test_markdown_rule_is_skipped_and_empty_header_row_kept() -> None:
    lines = lines_of("| | | |\n|---|---|---|\n| a | b | c |\n")
    assert [(line.number, line.form, line.cells) for line in lines] == [(1, "markdown", ("", "", "")), (3, "markdown", ("a", "b", "c"))]


def test_bar_rows_without_leading_bar_collapse_merged_cells() -> None:
    row = only("质量指标 | 培训完成率 | 100% | ||||")
    assert (row.form, row.cells) == ("bars", ("质量指标", "培训完成率", "100%"))
    assert only("效益指标 | | 可持续影响指标 | 消除安全隐患 |").cells == ("效益指标", "", "可持续影响指标", "消除安全隐患")
    assert only(r"名称 | a\|b |").cells == ("名称", "a|b")


def test_one_cell_per_line_bars_and_lone_bar_lines_take_their_neighbours_form() -> None:
    lines = lines_of("|\n项目支出名称 |\n雾炮车降尘抑尘服务 |\n|||\n|\n")
    assert [(line.form, line.cells) for line in lines] == [
        ("bars", ()), ("bars", ("项目支出名称",)), ("bars", ("雾炮车降尘抑尘服务",)), ("bars", ()), ("bars", ())]


def test_cells_separated_by_runs_of_spaces_or_tabs() -> None:
    assert only("项目名称  物业管理\t实施单位   开发区管委会").cells == ("项目名称", "物业管理", "实施单位", "开发区管委会")
    assert only("项目名称  物业管理").form == "spaces"
    # A single space is no separator where no line of the block is a row of labels.
    assert only("发布机构 教育局").form == "text"


def test_single_spaces_separate_cells_in_a_block_with_a_row_of_labels() -> None:
    block = "主管部门 县财政局 实施单位 开发区管委会\n产出指标 数量指标 安置小区物业费 8个\n"
    lines = lines_of(block)
    assert [line.form for line in lines] == ["spaces", "spaces"]
    assert lines[0].cells == ("主管部门", "县财政局", "实施单位", "开发区管委会")
    assert lines[1].cells == ("产出指标", "数量指标", "安置小区物业费", "8个")
    # The next block (after a blank line) is decided on its own: a row of the table goes on, …
    assert lines_of(block + "\n质量指标 服务质量 显著提升\n")[-1].cells == ("质量指标", "服务质量", "显著提升")
    # … page text after it does not, nor text before any row of labels.
    assert lines_of(block + "\n发布机构 教育局\n")[-1].form == "text"
    assert lines_of("质量指标 服务质量 显著提升\n\n" + block)[0].form == "text"


def test_space_inside_brackets_is_no_separator_and_a_bracket_token_annotates_its_cell() -> None:
    assert only("(   2023年度)").cells == ("(   2023年度)",)
    row = lines_of("产出指标 数量指标 x 1个\n项目资金    (万元) 年度资金总额: 1125\n")[1]
    assert row.cells == ("项目资金    (万元)", "年度资金总额:", "1125")


def test_a_line_without_separator_is_one_text_cell() -> None:
    line = only("鄂州市人力资源和社会保障局本级")
    assert (line.form, line.cells, line.text) == ("text", ("鄂州市人力资源和社会保障局本级",), "鄂州市人力资源和社会保障局本级")


def test_carriage_return_and_nul_never_break_a_cell() -> None:
    lines = lines_of("| 年度本级\r预算金额 | 25\x000万 |\r\n申报单位\r：测试局\r\n")
    assert [(line.number, line.cells) for line in lines] == [(1, ("年度本级预算金额", "250万")), (2, ("申报单位：测试局",))]


def test_csv_rows_and_a_section_row_of_the_standard_form() -> None:
    text = "申报单位：测试局\n长期绩效目标表,,,,,\n年度目标1,产出指标,数量指标,培训人数,≥100人,计划标准\n\"a\x00\rb\",c\n"
    lines = list(read_bytes("t.csv", text.encode("utf-8")).lines)
    assert [(line.number, line.form) for line in lines] == [(1, "text"), (2, "csv"), (3, "csv"), (4, "csv")]
    assert lines[1].cells == ("长期绩效目标表", "", "", "", "", "")
    assert lines[3].cells == ("ab", "c")


def test_utf16_text_reads_in_the_same_forms() -> None:
    text = "申报单位：测试局\n产出指标 | 数量指标 | 培训人数 | ≥100人 | ||\n"
    utf16 = read_bytes("t.md", "\ufeff".encode("utf-16-le") + text.encode("utf-16-le"))
    assert utf16.encoding == "utf-16"
    assert [(line.form, line.cells) for line in utf16.lines] == [(line.form, line.cells) for line in lines_of(text)]


# ----- run-together cells ---------------------------------------------------------------------


def test_run_together_row_from_the_issue() -> None:
    line = only("产出指标数量指标农村义务教育学校改造覆盖率100%")
    assert (line.form, line.cells) == ("run-together", ("产出指标", "数量指标", "农村义务教育学校改造覆盖率", "100%"))


def test_run_together_ocr_text_keeps_comparator_values_whole(lexicon: Lexicon) -> None:
    text = "一级指标二级指标三级指标指标目标值产出指标数量指标免费开放天数=300天质量指标博物馆绩效考核指标完成率=100百分比"
    found = segment(text, lexicon)
    assert found.is_row
    assert found.cells == ("一级指标", "二级指标", "三级指标", "指标目标值", "产出指标", "数量指标", "免费开放天数", "=300天",
                           "质量指标", "博物馆绩效考核指标完成率", "=100百分比")


def test_run_together_label_glued_to_percent_is_a_name_and_two_values_split(lexicon: Lexicon) -> None:
    assert segment("满意度指标服务对象满意度指标服务对象满意度指标%=99百分比", lexicon).cells == (
        "满意度指标", "服务对象满意度指标", "服务对象满意度指标%", "=99百分比")
    assert segment("成本指标经济成本指标成本控制率(%)≤100%100%", lexicon).cells == (
        "成本指标", "经济成本指标", "成本控制率(%)", "≤100%", "100%")
    assert segment("质量指标建档立卡学生全面覆盖100%10", lexicon).cells == ("质量指标", "建档立卡学生全面覆盖", "100%", "10")


def test_run_together_keeps_an_ocr_comparator_with_its_number() -> None:
    # `二` for `=` is an OCR form of a comparator in the ontology (jx:ocrForm, the values engineer's);
    # a vocabulary with it keeps `二100百分比` whole for the value parser to repair.
    vocab = vocabulary()
    graph = Graph()
    for triple in vocab.graph:
        graph.add(triple)
    graph.add((JX.Equal, JX.ocrForm, Literal("二", lang="zh")))
    with_ocr = replace(vocab, graph=graph)
    lexicon = Lexicon.build(framework_labels(with_ocr) + all_labels(), with_ocr)
    assert segment("经济成本指标资金使用效率二100百分比社会成本指标", lexicon).cells == (
        "经济成本指标", "资金使用效率", "二100百分比", "社会成本指标")
    # Never cut out of the middle of a text: 二 is an ordinary character too.
    assert segment("数量指标第二100米跑道", lexicon).cells == ("数量指标", "第二100米跑道")


def test_run_together_never_cuts_dates_years_titles_or_numbered_names(lexicon: Lexicon) -> None:
    found = segment("省级部门预算项目支出绩效目标表(2023年度)项目名称培训项目00012项目预算130", lexicon)
    assert found.cells == ("省级部门预算项目支出绩效目标表(2023年度)", "项目名称", "培训项目00012", "项目预算", "130")
    assert segment("时效指标完成日期2023-12-31", lexicon).cells == ("时效指标", "完成日期2023-12-31")
    assert segment("长期绩效目标1开展培训工作第3项，提升服务质量。", lexicon).cells == ("长期绩效目标1", "开展培训工作第3项，提升服务质量。")
    assert segment("成本指标(0-20)分经济成本指标项目建设成本≤65万元", lexicon).cells == (
        "成本指标(0-20)分", "经济成本指标", "项目建设成本", "≤65万元")


def test_a_qualitative_target_after_its_name_is_cut_off_between_categories(lexicon: Lexicon) -> None:
    found = segment("社会成本指标对当地文物保护、文化传承影响长远生态环境成本指标提升博物馆绿化水平提升效益指标"
                    "经济效益指标为当地提供就业岗位增加岗位社会效益指标", lexicon)
    assert found.cells == ("社会成本指标", "对当地文物保护、文化传承影响", "长远", "生态环境成本指标", "提升博物馆绿化水平", "提升",
                           "效益指标", "经济效益指标", "为当地提供就业岗位", "增加岗位", "社会效益指标")
    assert found.split_targets == ("长远", "提升", "增加岗位")
    # A direction word with its intensifier (from the shape jxs:DirectionWordOnly) comes off whole.
    assert segment("质量指标服务水平进一步提高时效指标", lexicon).cells == ("质量指标", "服务水平", "进一步提高", "时效指标")


def test_no_qualitative_cut_where_a_value_shape_is_or_no_category_follows(lexicon: Lexicon) -> None:
    # A value shape between the labels is the value; the word stays in the name.
    assert segment("数量指标培训人数增加100人质量指标", lexicon).cells == ("数量指标", "培训人数增加", "100人", "质量指标")
    # More than three characters after the word, or a name of fewer than two: no cut.
    assert segment("质量指标提高服务对象满意程度时效指标", lexicon).split_targets == ()
    assert segment("质量指标达标时效指标", lexicon).split_targets == ()
    # Only between two category labels: a trailing word at the end of the line is left to the layout.
    assert segment("产出指标质量指标服务水平提升", lexicon).split_targets == ()


def test_a_split_qualitative_target_is_a_repair_note_on_its_indicator() -> None:
    text = ("项目名称 | 某项目\n申报单位 | 某局\n"
            "一级指标二级指标三级指标指标值产出指标数量指标开放天数=300天质量指标服务水平提升时效指标完成及时率=100%\n")
    document = normalize(read_bytes("t.txt", text.encode("utf-8")))
    by_name = {i.name: i for p in document.projects for i in p.indicators()}
    quality = by_name["服务水平"]
    assert quality.value is not None and quality.value.stated == "提升" and quality.value.number is None
    assert [n.kind for n in quality.notes if n.kind == "QualitativeTargetSplit"] == ["QualitativeTargetSplit"]
    assert not any(n.kind == "QualitativeTargetSplit" for n in by_name["开放天数"].notes)


def test_sentences_stay_one_cell(lexicon: Lexicon) -> None:
    prose = "数量指标:★补助种植数量(≥**株)>=17600株;时效指标:完成及时率(≥**%)>=100%。"
    assert not segment(prose, lexicon).is_row
    statement = "提高产出指标完成质量，推动效益指标达成。"
    assert not segment(statement, lexicon).is_row
    assert [line.form for line in lines_of(prose + "\n\n" + statement + "\n")] == ["text", "text"]


def test_block_of_run_together_rows_takes_lines_with_one_label_or_a_final_value() -> None:
    lines = lines_of("质量指标建档立卡学生全面覆盖100%10\n资金支出率达到预期95%10\n总分\n")
    assert [line.form for line in lines] == ["run-together", "run-together", "text"]
    assert lines[1].cells == ("资金支出率达到预期", "95%", "10")


# ----- the real tables ------------------------------------------------------------------------

# The form each README names for the table's lines (README.md beside the files).
REAL_FORMS = {
    "huangshi-2022-party-school-main-class": "bars",
    "tianjin-hebei-2023-court": "bars",
    "wuhan-qingshan-2020-edu-infrastructure": "text",
    "jiayuguan-2023-museum-free-opening": "run-together",
    "anhui-jinzhai-2021-devzone-property": "spaces",
    "chongqing-fengjie-2023-processing-park": "spaces",
    "fujian-anxi-2022-small-water": "bars",
    "fujian-xiuyu-2025-flood-repair": "run-together",
    "hebei-ningjin-2019-high-school-grant": "run-together",
    "hubei-ezhou-2022-office-building": "run-together",
    "hunan-xiangtan-2023-fog-cannon": "bars",
    "hunan-yueyang-county-2022-farmland": "text",
    "hunan-yueyanglou-2023-price-center-overall": "bars",
    "neimenggu-wuhai-2021-recycling-market": "spaces",
    "ningxia-tongxin-2023-grape": "text",
    "shaanxi-chencang-2020-rural-water": "text",
    "sichuan-jingyan-2023-mata-town": "markdown",
}


def real_path(stem: str) -> Path:
    local = REAL / f"{stem}.md"
    return local if local.exists() else SHARED_REAL / f"{stem}.md"


def table_lines(stem: str) -> list[RawLine]:
    """The lines that hold an indicator of the answer key (its name or its stated value)."""
    key = json.loads(real_path(stem).with_suffix("").with_suffix(".expected.json").read_text(encoding="utf-8"))
    names = [i["name"] for p in key["projects"] for i in p["indicators"] if i.get("name")]
    lines = read_file(real_path(stem)).lines
    return [line for line in lines if any(name in line.text for name in names)]


@pytest.mark.parametrize("stem", sorted(REAL_FORMS))
def test_real_table_lines_come_in_the_form_their_readme_names(stem: str) -> None:
    path = real_path(stem)
    if not path.exists():
        pytest.skip(f"{path} not present")
    held = table_lines(stem)
    assert held, "no line holds an indicator of the answer key"
    assert Counter(line.form for line in held).most_common(1)[0][0] == REAL_FORMS[stem]
    assert all(line.form == REAL_FORMS[stem] for line in held), [(line.number, line.form) for line in held if line.form != REAL_FORMS[stem]]


def test_real_run_together_line_recovers_the_indicator_cells() -> None:
    path = SHARED_REAL / "jiayuguan-2023-museum-free-opening.md"
    if not path.exists():
        pytest.skip(f"{path} not present")
    cells = [cell for line in read_file(path).lines for cell in line.cells]
    for expected in ("产出指标", "数量指标", "免费开放天数", "=300天", "博物馆绩效考核指标完成率", "=100百分比", "经济成本指标",
                     "免费开放接待观众人数", "=30000人次", "=99百分比"):
        assert expected in cells


def test_every_nonempty_line_of_every_real_table_is_a_raw_line() -> None:
    for stem in REAL_FORMS:
        path = real_path(stem)
        if not path.exists():
            continue
        text = path.read_text(encoding="utf-8")
        numbers = {line.number for line in read_file(path).lines}
        filled = {n for n, line in enumerate(text.split("\n"), start=1) if line.strip() and not set(line.strip()) <= set("|-: ")}
        assert filled <= numbers, (stem, sorted(filled - numbers)[:5])


# ----- generated tables in every form ---------------------------------------------------------


def generated(seed: int, count: int, defects: float) -> list:
    rng = random.Random(seed)
    return [random_project(rng, f"测试{seed % 7}局", rng.choice([2023, 2024, None]), index, defects) for index in range(count)]


def cell_stream(lines: list[RawLine]) -> list[str]:
    return [cell for line in lines for cell in line.cells if cell]


PROJECTS = st.builds(generated, st.integers(0, 10_000), st.integers(1, 3), st.sampled_from([0.0, 0.5, 1.0]))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(projects=PROJECTS, form=st.sampled_from(["bars", "lines", "spaces"]))
def test_every_separated_form_gives_the_markdown_cells(projects: list, form: str) -> None:
    markdown = cell_stream(lines_of(render(projects)))
    assert cell_stream(lines_of(render(projects, form=form))) == markdown


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(projects=PROJECTS, separator=st.sampled_from([" ", "\t", "   ", "\u3000\u3000"]))
def test_spaces_of_any_width_give_the_markdown_cells(projects: list, separator: str) -> None:
    # One space between cells is read as a separator because the table's rows hold labels.
    spaced = render(projects, form="spaces").replace("  ", separator)
    assert cell_stream(lines_of(spaced)) == cell_stream(lines_of(render(projects)))


# The seed template's statement header `| 名称 | 目标说明 |` has no labels in ontology/forms.ttl yet,
# so `名称目标说明` cannot be cut; a stand-in for the two labels (tests only) shows the rest splits.
PENDING_FORM_LABELS = ["名称", "目标说明"]


def quantitative(projects: list) -> bool:
    """Every value starts with a comparator: a qualitative value written straight after its name
    (有效提高, or the name repeated) has no shape to cut at (see reading/segment.py)."""
    return all(row.value[:1] in "=≥≤<>" for p in projects for row in p.long_term + p.annual)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(projects=PROJECTS)
def test_run_together_form_gives_the_markdown_cells_with_the_pending_labels(projects: list) -> None:
    assume(quantitative(projects))
    vocab = vocabulary()
    labels = framework_labels(vocab) + all_labels() + PENDING_FORM_LABELS
    lexicon = Lexicon.build(labels, vocab, list(default_lexicon().numbered))
    markdown = [cell for line in read_lines(render(projects), lexicon) for cell in line.cells if cell]
    together = [cell for line in read_lines(render(projects, form="run-together"), lexicon) for cell in line.cells if cell]
    assert together == markdown


@settings(max_examples=5, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate], suppress_health_check=[HealthCheck.too_slow])
@given(projects=PROJECTS)
def test_run_together_form_gives_the_markdown_cells(projects: list) -> None:
    assume(quantitative(projects))
    assert cell_stream(lines_of(render(projects, form="run-together"))) == cell_stream(lines_of(render(projects)))


def content(document: DocumentRecord) -> list[tuple]:
    """What the records say, apart from source positions (line numbers, texts, repair notes)."""
    vocab = vocabulary()
    projects = []
    for project in document.projects:
        goals = []
        for goal in project.goals:
            indicators = [(vocab.label_zh.get(i.level1), vocab.label_zh.get(i.level2), i.name,
                           i.value.stated if i.value else None, i.value.number if i.value else None,
                           i.basis, i.basis_text, sorted(n.kind for n in i.notes if n.finding and n.kind != "ShiftedRow"))
                          for i in goal.indicators]
            goals.append((goal.kind, goal.number, goal.statement, indicators))
        projects.append((project.name, project.agency, project.budget, project.year, goals,
                         sorted(n.kind for n in project.notes if n.finding)))
    return projects


# Forms the layout does not yet read as the Markdown form is read (none today: the seed template
# written in order is read by reading/normalize.py's "cells in order" route).
LAYOUT_PENDING: dict[str, str] = {}


@pytest.mark.parametrize("form", [
    pytest.param(form, marks=pytest.mark.xfail(strict=True, reason=LAYOUT_PENDING[form])) if form in LAYOUT_PENDING else form
    for form in FORMS if form != "markdown"])
# No shrinking: a failing example is reported as found (shrinking re-reads many whole tables).
@settings(max_examples=10, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(projects=PROJECTS, damage=st.sampled_from([0.0, 0.3]), seed=st.integers(0, 1000))
def test_every_text_form_gives_the_records_of_the_markdown_form(tmp_path_factory, projects: list, damage: float, seed: int,
                                                                 form: str) -> None:
    # The Markdown form carries the seed's damage (rows shifted against the columns); the other
    # forms keep no positions, so the damage cannot show in them.
    if form == "run-together":
        assume(quantitative(projects))
    directory = tmp_path_factory.mktemp("forms")
    markdown, other = directory / "markdown.md", directory / f"{form}.md"
    markdown.write_text(render(projects, damage=damage, seed=seed), encoding="utf-8")
    other.write_text(render(projects, form=form), encoding="utf-8")
    assert content(normalize(read_file(other))) == content(normalize(read_file(markdown)))


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(projects=PROJECTS)
def test_every_form_without_positions_gives_the_same_records(tmp_path_factory, projects: list) -> None:
    """Bar rows, one cell per line, space-separated and run-together cells are read alike by the layout."""
    assume(quantitative(projects))
    directory = tmp_path_factory.mktemp("forms")
    read = []
    for form in ("bars", "lines", "spaces", "run-together"):
        path = directory / f"{form}.md"
        path.write_text(render(projects, form=form), encoding="utf-8")
        read.append(content(normalize(read_file(path))))
    assert all(records == read[0] for records in read[1:])
