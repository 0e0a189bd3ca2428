"""Every named query's answers, exactly, on the seed and on the multi-unit, multi-year fixture.

The fixture (tests/fixtures/queries/{2023,2024}.md, written by tests/fixtures/make_queries_fixture.py)
has three agencies and two years, with planted answers: 职业技能培训 in 2023 and 2024 with targets
changed, added and removed; ≥100% and ≥105% targets; a qualitative and a name-repeating value;
专家评委成本 at 800 and 1000 元/人/天; a project with no 效益指标 and an annual goal with no 满意度指标.

Besides the answers on rdflib (the reference route), each query must answer the same on Oxigraph
(parameters as a VALUES block, as remote stores get them) and on the graph reasoned by either
engine: queries must not depend on whether `jixiao reason` ran first.
"""

from __future__ import annotations

import re
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef

from jixiao.errors import UsageError
from jixiao.graph.build import load_graph
from jixiao.graph.reason import fast_closure, owlrl_closure
from jixiao.queries.formats import plain_value
from jixiao.queries.library import PARAM_TYPES, NamedQuery, bind, known_values, library, listing, load_query, run
from jixiao.stores import MemoryBackend, inject_values
from jixiao.stores.base import SelectResult

FIXTURE_DIR = Path(__file__).resolve().parent / "fixtures" / "queries"
Row = tuple[Any, ...]

EZ = "鄂州市人力资源和社会保障局本级"
HR, FIN, CA = "黄石市人力资源和社会保障局", "黄石市财政局", "黄石市民政局"
INJURY = "劳动能力鉴定、工伤认定经费"
WINDOW_GOAL = ("以公正、规范、廉洁、高效为原则，内强素质、外树形象，进一步改善服务态度，提高办事效率，提升窗口文明程度，"
               "将人社经办大厅建设成为“便民、规范、高效、廉洁”的阳光窗口，为人民群众提供优质、高效、便捷的人力资源和社会保障服务。")
# The parameters each query runs with below (search needs its text).
PARAMS = {"seed": {"search": {"text": "窗口"}}, "fixture": {"search": {"text": "培训"}}}
SEED: dict[str, list[Row]] = {
    "department-plans": [],  # the seed has projects only
    "budget-by-unit": [
        (EZ, 7, 3752600),
    ],
    "budget-by-year": [
        (None, EZ, 7, 3752600),
    ],
    "budget-share": [
        (EZ, None, '事业单位人才招聘', 1500000, 3752600, D("39.97")),
        (EZ, None, '业务运行保障', 1300000, 3752600, D("34.64")),
        (EZ, None, INJURY, 448000, 3752600, D("11.94")),
        (EZ, None, '信息化运行经费', 270600, 3752600, D("7.21")),
        (EZ, None, '企业薪酬调查', 150000, 3752600, 4),
        (EZ, None, '事业单位人员管理', 44000, 3752600, D("1.17")),
        (EZ, None, '法律服务', 40000, 3752600, D("1.07")),
    ],
    "budget-per-output": [
        (EZ, None, '业务运行保障', 1300000, '接待群众数量', 200000, '人', D("6.5")),
        (EZ, None, '业务运行保障', 1300000, '业务办件数量', 160000, '人', D("8.13")),
        (EZ, None, '事业单位人员管理', 44000, '评审专家', 17, '人', D("2588.24")),
        (EZ, None, '事业单位人才招聘', 1500000, '招聘人才数量', 300, '人', 5000),
        (EZ, None, '企业薪酬调查', 150000, '调查企业薪酬单位数量', 240, '家', 625),
        (EZ, None, '信息化运行经费', 270600, '计算机', 48, '台', D("5637.5")),
        (EZ, None, INJURY, 448000, '申报劳动能力鉴定人次', 1500, '人', D("298.67")),
        (EZ, None, INJURY, 448000, '申报工伤认定案件数量', 600, '人', D("746.67")),
        (EZ, None, '法律服务', 40000, '法律咨询', 40, '次', 1000),
    ],
    "category-counts-by-agency": [
        (EZ, '产出指标', '数量指标', 7, 11),
        (EZ, '产出指标', '时效指标', 4, 4),
        (EZ, '产出指标', '质量指标', 6, 7),
        (EZ, '成本指标', '经济成本指标', 7, 10),
        (EZ, '效益指标', '社会效益指标', 7, 7),
        (EZ, '满意度指标', '服务对象满意度指标', 7, 7),
    ],
    "indicators-by-basis": [
        (EZ, None, '产出指标', 1, 1),
        (EZ, '其他标准', '产出指标', 6, 17),
        (EZ, '其他标准', '效益指标', 6, 6),
        (EZ, '其他标准', '满意度指标', 7, 7),
        (EZ, '历史标准', '产出指标', 1, 1),
        (EZ, '计划标准', '产出指标', 1, 3),
        (EZ, '计划标准', '成本指标', 1, 1),
        (EZ, '计划标准', '效益指标', 1, 1),
        (EZ, '预算支出标准', '成本指标', 6, 9),
    ],
    "measurability": [
        (EZ, None, '业务运行保障', 9, 8, 1, D("88.89")),
        (EZ, None, '事业单位人员管理', 6, 5, 1, D("83.33")),
        (EZ, None, '事业单位人才招聘', 7, 6, 1, D("85.71")),
        (EZ, None, '企业薪酬调查', 5, 4, 1, 80),
        (EZ, None, '信息化运行经费', 6, 5, 1, D("83.33")),
        (EZ, None, INJURY, 8, 6, 2, 75),
        (EZ, None, '法律服务', 5, 5, 0, 100),
    ],
    "measurability-by-agency": [
        (EZ, 7, 46, 39, 7, D("84.78")),
    ],
    "missing-level1": [
    ],
    "non-measurable": [
        (EZ, None, '业务运行保障', 'long-term', '效益指标', '社会效益指标', '民生服务流程', '进一步优化', 'qualitative'),
        (EZ, None, '业务运行保障', 'annual', '效益指标', '社会效益指标', '民生服务流程', '进一步优化', 'qualitative'),
        (EZ, None, '事业单位人员管理', 'long-term', '效益指标', '社会效益指标', '规范事业单位人员聘用', '规范事业单位人员聘用', 'repeats-name'),
        (EZ, None, '事业单位人员管理', 'annual', '效益指标', '社会效益指标', '规范事业单位人员聘用', '规范事业单位人员聘用', 'repeats-name'),
        (EZ, None, '事业单位人才招聘', 'long-term', '效益指标', '社会效益指标', '优化事业单位人才结构', '优化事业单位人才结构', 'repeats-name'),
        (EZ, None, '事业单位人才招聘', 'annual', '效益指标', '社会效益指标', '优化事业单位人才结构', '优化事业单位人才结构', 'repeats-name'),
        (EZ, None, '企业薪酬调查', 'long-term', '效益指标', '社会效益指标', '人力资源市场公共信息服务人数', '增加', 'qualitative'),
        (EZ, None, '企业薪酬调查', 'annual', '效益指标', '社会效益指标', '人力资源市场公共信息服务人数', '增加', 'qualitative'),
        (EZ, None, '信息化运行经费', 'long-term', '效益指标', '社会效益指标', '提高信息化运行效率', '有效提高', 'qualitative'),
        (EZ, None, '信息化运行经费', 'annual', '效益指标', '社会效益指标', '提高信息化运行效率', '有效提高', 'qualitative'),
        (EZ, None, INJURY, 'long-term', '产出指标', '时效指标', '鉴定完成及时率', '鉴定及时完成', 'qualitative'),
        (EZ, None, INJURY, 'long-term', '效益指标', '社会效益指标', '高校完成工伤鉴定', '高校完成工伤鉴定', 'repeats-name'),
        (EZ, None, INJURY, 'annual', '产出指标', '时效指标', '鉴定完成及时率', '鉴定及时完成', 'qualitative'),
        (EZ, None, INJURY, 'annual', '效益指标', '社会效益指标', '高校完成工伤鉴定', '高校完成工伤鉴定', 'repeats-name'),
    ],
    "same-name-different-targets": [
    ],
    "cost-standards": [
    ],
    "unit-costs": [
        ('元/人/天', '专家评委成本', 1000, EZ, None, '事业单位人员管理', '=1000元/人/天', '预算支出标准', 2, 500, 1000),
        ('元/人/天', '专家评委成本', 1000, EZ, None, '事业单位人才招聘', '=1000元/人/天', '预算支出标准', 2, 500, 1000),
        ('元/人/天', '工作人员成本', 500, EZ, None, '事业单位人才招聘', '=500元/人/天', '预算支出标准', 2, 500, 1000),
        ('元/家', '薪酬调查成本', 625, EZ, None, '企业薪酬调查', '=625元/家', '预算支出标准', 1, 625, 625),
    ],
    "satisfaction": [
        (EZ, None, '业务运行保障', 'long-term', '群众对服务工作的满意度', '>=', 95, '%', '≥95%'),
        (EZ, None, '业务运行保障', 'annual', '群众对服务工作的满意度', '>=', 95, '%', '≥95%'),
        (EZ, None, '事业单位人员管理', 'long-term', '人员满意度', '>=', 98, '%', '≥98%'),
        (EZ, None, '事业单位人员管理', 'annual', '人员满意度', '>=', 98, '%', '≥98%'),
        (EZ, None, '事业单位人才招聘', 'long-term', '招聘人才满意度', '>=', 98, '%', '≥98%'),
        (EZ, None, '事业单位人才招聘', 'annual', '招聘人才满意度', '>=', 98, '%', '≥98%'),
        (EZ, None, '企业薪酬调查', 'long-term', '企业对调查工作的满意度', '=', 100, '%', '=100%'),
        (EZ, None, '企业薪酬调查', 'annual', '企业对调查工作的满意度', '=', 100, '%', '=100%'),
        (EZ, None, '信息化运行经费', 'long-term', '使用人员满意度', '>=', 98, '%', '≥98%'),
        (EZ, None, '信息化运行经费', 'annual', '使用人员满意度', '>=', 98, '%', '≥98%'),
        (EZ, None, INJURY, 'long-term', '群众对鉴定工作的满意度', '>=', 95, '%', '≥95%'),
        (EZ, None, INJURY, 'annual', '群众对鉴定工作的满意度', '>=', 95, '%', '≥95%'),
        (EZ, None, '法律服务', 'long-term', '群众对宣传工作的满意度', '>=', 100, '%', '≥100%'),
        (EZ, None, '法律服务', 'annual', '群众对宣传工作的满意度', '>=', 100, '%', '≥100%'),
    ],
    "target-range": [
        (EZ, None, '信息化运行经费', 'long-term', '设备质量合格率', '≥100%', '>=', 100, '%', 'cannot-exceed'),
        (EZ, None, '信息化运行经费', 'annual', '设备质量合格率', '≥100%', '>=', 100, '%', 'cannot-exceed'),
        (EZ, None, INJURY, 'long-term', '受理劳动能力鉴定案件登记率', '≥100%', '>=', 100, '%', 'cannot-exceed'),
        (EZ, None, INJURY, 'annual', '受理劳动能力鉴定案件登记率', '≥100%', '>=', 100, '%', 'cannot-exceed'),
        (EZ, None, '法律服务', 'long-term', '群众对宣传工作的满意度', '≥100%', '>=', 100, '%', 'cannot-exceed'),
        (EZ, None, '法律服务', 'annual', '群众对宣传工作的满意度', '≥100%', '>=', 100, '%', 'cannot-exceed'),
    ],
    "year-over-year": [
    ],
    "search": [
        (EZ, None, '业务运行保障', 'long-term', 'goal', '长期目标1', WINDOW_GOAL),
        (EZ, None, '业务运行保障', 'long-term', 'indicator', '窗口效能提升工程费用', '窗口效能提升工程费用'),
        (EZ, None, '业务运行保障', 'long-term', 'indicator', '窗口业务服务覆盖面', '窗口业务服务覆盖面'),
        (EZ, None, '业务运行保障', 'annual', 'goal', '年度目标1', WINDOW_GOAL),
        (EZ, None, '业务运行保障', 'annual', 'indicator', '窗口效能提升工程费用', '窗口效能提升工程费用'),
        (EZ, None, '业务运行保障', 'annual', 'indicator', '窗口业务服务覆盖面', '窗口业务服务覆盖面'),
    ],
    "projects": [
        (EZ, '业务运行保障', 1300000, 6, 8, 2, 2, 18),
        (EZ, '事业单位人员管理', 44000, 2, 6, 2, 2, 12),
        (EZ, '事业单位人才招聘', 1500000, 4, 6, 2, 2, 14),
        (EZ, '企业薪酬调查', 150000, 2, 4, 2, 2, 10),
        (EZ, '信息化运行经费', 270600, 2, 6, 2, 2, 12),
        (EZ, INJURY, 448000, 2, 10, 2, 2, 16),
        (EZ, '法律服务', 40000, 2, 4, 2, 2, 10),
    ],
}

FIXTURE: dict[str, list[Row]] = {
    "department-plans": [],  # the fixture has projects only
    "budget-by-unit": [
        (CA, 1, 3000000),
        (HR, 3, 2350000),
        (FIN, 2, 580000),
    ],
    "budget-by-year": [
        ('2023', HR, 1, 1000000),
        ('2023', FIN, 1, 80000),
        ('2024', HR, 2, 1350000),
        ('2024', CA, 1, 3000000),
        ('2024', FIN, 1, 500000),
    ],
    "budget-share": [
        (HR, '2023', '职业技能培训', 1000000, 1000000, 100),
        (HR, '2024', '职业技能培训', 1200000, 1350000, D("88.89")),
        (HR, '2024', '企业薪酬调查', 150000, 1350000, D("11.11")),
        (CA, '2024', '困难群众救助', 3000000, 3000000, 100),
        (FIN, '2023', '财政政策宣传', 80000, 80000, 100),
        (FIN, '2024', '预算评审', 500000, 500000, 100),
    ],
    "budget-per-output": [
        (HR, '2024', '企业薪酬调查', 150000, '调查企业数量', 240, '家', 625),
        (HR, '2023', '职业技能培训', 1000000, '培训人数', 1000, '人', 1000),
        (HR, '2024', '职业技能培训', 1200000, '培训人数', 1200, '人', 1000),
        (CA, '2024', '困难群众救助', 3000000, '救助人数', 1200, '人', 2500),
        (FIN, '2023', '财政政策宣传', 80000, '宣传场次', 10, '场', 8000),
        (FIN, '2024', '预算评审', 500000, '评审项目数量', 200, '项', 2500),
    ],
    "category-counts": [
        (HR, '2024', '企业薪酬调查', '产出指标', '数量指标', 1),
        (HR, '2024', '企业薪酬调查', '产出指标', '质量指标', 1),
        (HR, '2024', '企业薪酬调查', '成本指标', '经济成本指标', 1),
        (HR, '2024', '企业薪酬调查', '满意度指标', '服务对象满意度指标', 1),
        (HR, '2023', '职业技能培训', '产出指标', '数量指标', 1),
        (HR, '2023', '职业技能培训', '产出指标', '时效指标', 1),
        (HR, '2023', '职业技能培训', '产出指标', '质量指标', 1),
        (HR, '2023', '职业技能培训', '成本指标', '经济成本指标', 1),
        (HR, '2023', '职业技能培训', '效益指标', '社会效益指标', 1),
        (HR, '2023', '职业技能培训', '满意度指标', '服务对象满意度指标', 1),
        (HR, '2024', '职业技能培训', '产出指标', '数量指标', 1),
        (HR, '2024', '职业技能培训', '产出指标', '质量指标', 1),
        (HR, '2024', '职业技能培训', '成本指标', '经济成本指标', 2),
        (HR, '2024', '职业技能培训', '效益指标', '可持续影响指标', 1),
        (HR, '2024', '职业技能培训', '效益指标', '社会效益指标', 1),
        (HR, '2024', '职业技能培训', '满意度指标', '服务对象满意度指标', 1),
        (CA, '2024', '困难群众救助', '产出指标', '数量指标', 1),
        (CA, '2024', '困难群众救助', '产出指标', '时效指标', 1),
        (CA, '2024', '困难群众救助', '产出指标', '质量指标', 1),
        (CA, '2024', '困难群众救助', '成本指标', '经济成本指标', 1),
        (CA, '2024', '困难群众救助', '效益指标', '社会效益指标', 1),
        (FIN, '2023', '财政政策宣传', '产出指标', '数量指标', 1),
        (FIN, '2023', '财政政策宣传', '成本指标', '经济成本指标', 1),
        (FIN, '2023', '财政政策宣传', '效益指标', '社会效益指标', 1),
        (FIN, '2023', '财政政策宣传', '满意度指标', '服务对象满意度指标', 1),
        (FIN, '2024', '预算评审', '产出指标', '数量指标', 1),
        (FIN, '2024', '预算评审', '产出指标', '质量指标', 1),
        (FIN, '2024', '预算评审', '成本指标', '经济成本指标', 1),
        (FIN, '2024', '预算评审', '效益指标', '经济效益指标', 1),
        (FIN, '2024', '预算评审', '满意度指标', '服务对象满意度指标', 1),
    ],
    "category-counts-by-agency": [
        (HR, '产出指标', '数量指标', 3, 3),
        (HR, '产出指标', '时效指标', 1, 1),
        (HR, '产出指标', '质量指标', 3, 3),
        (HR, '成本指标', '经济成本指标', 3, 4),
        (HR, '效益指标', '可持续影响指标', 1, 1),
        (HR, '效益指标', '社会效益指标', 2, 2),
        (HR, '满意度指标', '服务对象满意度指标', 3, 3),
        (CA, '产出指标', '数量指标', 1, 1),
        (CA, '产出指标', '时效指标', 1, 1),
        (CA, '产出指标', '质量指标', 1, 1),
        (CA, '成本指标', '经济成本指标', 1, 1),
        (CA, '效益指标', '社会效益指标', 1, 1),
        (FIN, '产出指标', '数量指标', 2, 2),
        (FIN, '产出指标', '质量指标', 1, 1),
        (FIN, '成本指标', '经济成本指标', 2, 2),
        (FIN, '效益指标', '社会效益指标', 1, 1),
        (FIN, '效益指标', '经济效益指标', 1, 1),
        (FIN, '满意度指标', '服务对象满意度指标', 2, 2),
    ],
    "indicators-by-basis": [
        (HR, '其他标准', '满意度指标', 3, 3),
        (HR, '历史标准', '效益指标', 2, 2),
        (HR, '行业标准', '产出指标', 3, 3),
        (HR, '计划标准', '产出指标', 3, 4),
        (HR, '计划标准', '效益指标', 1, 1),
        (HR, '预算支出标准', '成本指标', 3, 4),
        (CA, '其他标准', '效益指标', 1, 1),
        (CA, '行业标准', '产出指标', 1, 1),
        (CA, '计划标准', '产出指标', 1, 2),
        (CA, '预算支出标准', '成本指标', 1, 1),
        (FIN, '其他标准', '效益指标', 1, 1),
        (FIN, '其他标准', '满意度指标', 2, 2),
        (FIN, '历史标准', '效益指标', 1, 1),
        (FIN, '行业标准', '产出指标', 1, 1),
        (FIN, '计划标准', '产出指标', 2, 2),
        (FIN, '预算支出标准', '成本指标', 2, 2),
    ],
    "measurability": [
        (HR, '2024', '企业薪酬调查', 4, 4, 0, 100),
        (HR, '2023', '职业技能培训', 6, 6, 0, 100),
        (HR, '2024', '职业技能培训', 7, 6, 1, D("85.71")),
        (CA, '2024', '困难群众救助', 5, 4, 1, 80),
        (FIN, '2023', '财政政策宣传', 4, 3, 1, 75),
        (FIN, '2024', '预算评审', 5, 5, 0, 100),
    ],
    "measurability-by-agency": [
        (HR, 3, 17, 16, 1, D("94.12")),
        (CA, 1, 5, 4, 1, 80),
        (FIN, 2, 9, 8, 1, D("88.89")),
    ],
    "missing-level1": [
        (HR, '2024', '企业薪酬调查', 'long-term', '效益指标'),
        (HR, '2024', '企业薪酬调查', 'annual', '效益指标'),
        (CA, '2024', '困难群众救助', 'annual', '满意度指标'),
    ],
    "non-measurable": [
        (HR, '2024', '职业技能培训', 'long-term', '效益指标', '可持续影响指标', '技能人才储备', '有效提高', 'qualitative'),
        (HR, '2024', '职业技能培训', 'annual', '效益指标', '可持续影响指标', '技能人才储备', '有效提高', 'qualitative'),
        (CA, '2024', '困难群众救助', 'long-term', '效益指标', '社会效益指标', '困难群众基本生活保障', '困难群众基本生活保障', 'repeats-name'),
        (CA, '2024', '困难群众救助', 'annual', '效益指标', '社会效益指标', '困难群众基本生活保障', '困难群众基本生活保障', 'repeats-name'),
        (FIN, '2023', '财政政策宣传', 'long-term', '效益指标', '社会效益指标', '政策知晓率', '进一步提高', 'qualitative'),
        (FIN, '2023', '财政政策宣传', 'annual', '效益指标', '社会效益指标', '政策知晓率', '进一步提高', 'qualitative'),
    ],
    "same-name-different-targets": [
        ('专家评委成本', HR, '2024', '职业技能培训', '=', 800, '元/人/天', '=800元/人/天'),
        ('专家评委成本', FIN, '2024', '预算评审', '=', 1000, '元/人/天', '=1000元/人/天'),
        ('培训人数', HR, '2023', '职业技能培训', '>=', 1000, '人', '≥1000人'),
        ('培训人数', HR, '2024', '职业技能培训', '>=', 1200, '人', '≥1200人'),
        ('培训合格率', HR, '2023', '职业技能培训', '>=', 90, '%', '≥90%'),
        ('培训合格率', HR, '2024', '职业技能培训', '>=', 95, '%', '≥95%'),
        ('服务对象满意度', HR, '2024', '企业薪酬调查', '=', 100, '%', '=100%'),
        ('服务对象满意度', HR, '2023', '职业技能培训', '>=', 95, '%', '≥95%'),
        ('服务对象满意度', HR, '2024', '职业技能培训', '>=', 100, '%', '≥100%'),
        ('服务对象满意度', FIN, '2023', '财政政策宣传', '>=', 90, '%', '≥90%'),
        ('服务对象满意度', FIN, '2024', '预算评审', '>=', 90, '%', '≥90%'),
    ],
    "cost-standards": [
        ('专家评委成本', '元/人/天', 1000, FIN, '2024', '预算评审', '预算支出标准', 800, 1000),
        ('专家评委成本', '元/人/天', 800, HR, '2024', '职业技能培训', '预算支出标准', 800, 1000),
    ],
    "unit-costs": [
        ('元/人', '救助人均成本', 2500, CA, '2024', '困难群众救助', '=2500元/人', '预算支出标准', 3, 1000, 2500),
        ('元/人', '培训人均成本', 1000, HR, '2023', '职业技能培训', '=1000元/人', '预算支出标准', 3, 1000, 2500),
        ('元/人', '培训人均成本', 1000, HR, '2024', '职业技能培训', '=1000元/人', '预算支出标准', 3, 1000, 2500),
        ('元/人/天', '专家评委成本', 1000, FIN, '2024', '预算评审', '=1000元/人/天', '预算支出标准', 2, 800, 1000),
        ('元/人/天', '专家评委成本', 800, HR, '2024', '职业技能培训', '=800元/人/天', '预算支出标准', 2, 800, 1000),
        ('元/家', '薪酬调查成本', 625, HR, '2024', '企业薪酬调查', '=625元/家', '预算支出标准', 1, 625, 625),
    ],
    "satisfaction": [
        (HR, '2024', '企业薪酬调查', 'long-term', '服务对象满意度', '=', 100, '%', '=100%'),
        (HR, '2024', '企业薪酬调查', 'annual', '服务对象满意度', '=', 100, '%', '=100%'),
        (HR, '2023', '职业技能培训', 'long-term', '服务对象满意度', '>=', 95, '%', '≥95%'),
        (HR, '2023', '职业技能培训', 'annual', '服务对象满意度', '>=', 95, '%', '≥95%'),
        (HR, '2024', '职业技能培训', 'long-term', '服务对象满意度', '>=', 100, '%', '≥100%'),
        (HR, '2024', '职业技能培训', 'annual', '服务对象满意度', '>=', 100, '%', '≥100%'),
        (CA, '2024', '困难群众救助', 'long-term', '救助对象满意度', '>=', 95, '%', '≥95%'),
        (FIN, '2023', '财政政策宣传', 'long-term', '服务对象满意度', '>=', 90, '%', '≥90%'),
        (FIN, '2023', '财政政策宣传', 'annual', '服务对象满意度', '>=', 90, '%', '≥90%'),
        (FIN, '2024', '预算评审', 'long-term', '服务对象满意度', '>=', 90, '%', '≥90%'),
        (FIN, '2024', '预算评审', 'annual', '服务对象满意度', '>=', 90, '%', '≥90%'),
    ],
    "target-range": [
        (HR, '2024', '职业技能培训', 'long-term', '服务对象满意度', '≥100%', '>=', 100, '%', 'cannot-exceed'),
        (HR, '2024', '职业技能培训', 'annual', '服务对象满意度', '≥100%', '>=', 100, '%', 'cannot-exceed'),
        (CA, '2024', '困难群众救助', 'long-term', '救助资金发放准确率', '≥105%', '>=', 105, '%', 'out-of-range'),
        (CA, '2024', '困难群众救助', 'annual', '救助资金发放准确率', '≥105%', '>=', 105, '%', 'out-of-range'),
    ],
    "year-over-year": [
        (HR, '职业技能培训', '2023', '2024', 'long-term', '专家评委成本', 'added', None, '=800元/人/天'),
        (HR, '职业技能培训', '2023', '2024', 'long-term', '技能人才储备', 'added', None, '有效提高'),
        (HR, '职业技能培训', '2023', '2024', 'long-term', '培训人数', 'changed', '≥1000人', '≥1200人'),
        (HR, '职业技能培训', '2023', '2024', 'long-term', '培训合格率', 'changed', '≥90%', '≥95%'),
        (HR, '职业技能培训', '2023', '2024', 'long-term', '服务对象满意度', 'changed', '≥95%', '≥100%'),
        (HR, '职业技能培训', '2023', '2024', 'long-term', '培训完成时间', 'removed', '≤12个月', None),
        (HR, '职业技能培训', '2023', '2024', 'annual', '专家评委成本', 'added', None, '=800元/人/天'),
        (HR, '职业技能培训', '2023', '2024', 'annual', '技能人才储备', 'added', None, '有效提高'),
        (HR, '职业技能培训', '2023', '2024', 'annual', '培训人数', 'changed', '≥1000人', '≥1200人'),
        (HR, '职业技能培训', '2023', '2024', 'annual', '培训合格率', 'changed', '≥90%', '≥95%'),
        (HR, '职业技能培训', '2023', '2024', 'annual', '服务对象满意度', 'changed', '≥95%', '≥100%'),
        (HR, '职业技能培训', '2023', '2024', 'annual', '培训完成时间', 'removed', '≤12个月', None),
    ],
    "search": [
        (HR, '2023', '职业技能培训', 'long-term', 'goal', '长期目标1', '开展职业技能培训，提升劳动者就业能力。'),
        (HR, '2023', '职业技能培训', 'long-term', 'indicator', '培训人均成本', '培训人均成本'),
        (HR, '2023', '职业技能培训', 'long-term', 'indicator', '培训人数', '培训人数'),
        (HR, '2023', '职业技能培训', 'long-term', 'indicator', '培训合格率', '培训合格率'),
        (HR, '2023', '职业技能培训', 'long-term', 'indicator', '培训完成时间', '培训完成时间'),
        (HR, '2023', '职业技能培训', 'long-term', 'indicator', '培训后就业率', '培训后就业率'),
        (HR, '2023', '职业技能培训', 'annual', 'goal', '年度目标1', '开展职业技能培训，提升劳动者就业能力。'),
        (HR, '2023', '职业技能培训', 'annual', 'indicator', '培训人均成本', '培训人均成本'),
        (HR, '2023', '职业技能培训', 'annual', 'indicator', '培训人数', '培训人数'),
        (HR, '2023', '职业技能培训', 'annual', 'indicator', '培训合格率', '培训合格率'),
        (HR, '2023', '职业技能培训', 'annual', 'indicator', '培训完成时间', '培训完成时间'),
        (HR, '2023', '职业技能培训', 'annual', 'indicator', '培训后就业率', '培训后就业率'),
        (HR, '2024', '职业技能培训', 'long-term', 'goal', '长期目标1', '开展职业技能培训，提升劳动者就业能力，扩大技能人才储备。'),
        (HR, '2024', '职业技能培训', 'long-term', 'indicator', '培训人均成本', '培训人均成本'),
        (HR, '2024', '职业技能培训', 'long-term', 'indicator', '培训人数', '培训人数'),
        (HR, '2024', '职业技能培训', 'long-term', 'indicator', '培训合格率', '培训合格率'),
        (HR, '2024', '职业技能培训', 'long-term', 'indicator', '培训后就业率', '培训后就业率'),
        (HR, '2024', '职业技能培训', 'annual', 'goal', '年度目标1', '开展职业技能培训，提升劳动者就业能力，扩大技能人才储备。'),
        (HR, '2024', '职业技能培训', 'annual', 'indicator', '培训人均成本', '培训人均成本'),
        (HR, '2024', '职业技能培训', 'annual', 'indicator', '培训人数', '培训人数'),
        (HR, '2024', '职业技能培训', 'annual', 'indicator', '培训合格率', '培训合格率'),
        (HR, '2024', '职业技能培训', 'annual', 'indicator', '培训后就业率', '培训后就业率'),
    ],
    "projects": [
        (HR, '企业薪酬调查', 150000, 2, 4, 0, 2, 8),
        (HR, '职业技能培训', 1000000, 2, 6, 2, 2, 12),
        (HR, '职业技能培训', 1200000, 4, 4, 4, 2, 14),
        (CA, '困难群众救助', 3000000, 2, 6, 2, 1, 11),
        (FIN, '财政政策宣传', 80000, 2, 2, 2, 2, 8),
        (FIN, '预算评审', 500000, 2, 4, 2, 2, 10),
    ],
}

# The self-evaluation queries find nothing in target tables alone; tests/test_selfeval_queries.py pins their answers on evaluations.
_EVALUATION_QUERIES = ("completion-by-indicator", "completion-by-project", "completion-by-unit", "completion-by-year",
                       "score-completion-disagree", "never-met", "execution-by-unit")
SEED.update({name: [] for name in _EVALUATION_QUERIES})
FIXTURE.update({name: [] for name in _EVALUATION_QUERIES})


@pytest.fixture(scope="module")
def graphs(seed_graph: Graph) -> dict[str, Graph]:
    return {"seed": seed_graph, "fixture": load_graph([FIXTURE_DIR])}


def rows(graph: Graph, name: str, /, **params: str) -> list[Row]:
    """A named query's answer on rdflib, as tuples of plain values (None for unbound)."""
    query = library()[name]
    result = MemoryBackend(graph).select(query.text, bind(query, params))
    assert result.variables == query.columns
    return [tuple(plain_value(row.get(v)) for v in result.variables) for row in result.rows]


def _rdflib_term(term: Any) -> Any:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def oxigraph_rows(store: ox.Store, name: str, /, **params: str) -> list[Row]:
    """The same query on Oxigraph, with the parameters in a VALUES block."""
    query = library()[name]
    solutions = store.query(inject_values(query.text, bind(query, params)))
    assert isinstance(solutions, ox.QuerySolutions)
    names = [v.value for v in solutions.variables]
    return [tuple(plain_value(_rdflib_term(solution[v])) for v in names) for solution in solutions]


def oxigraph_store(graph: Graph) -> ox.Store:
    store = ox.Store()
    store.load(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return store


def test_a_parameter_is_bound_inside_a_subselect_on_every_backend(tmp_path: Path) -> None:
    """rdflib binds a parameter everywhere; the VALUES backends bind it in each sub-SELECT that names
    it too, so a query filtering on it inside a sub-SELECT (as search does in its UNION's branches)
    answers the same. Before, Oxigraph saw the parameter unbound there and answered nothing."""
    graph = Graph()
    for number, text in enumerate(["培训人次", "满意度", "培训天数"]):
        graph.add((URIRef(f"http://example.org/i{number}"), URIRef("http://www.w3.org/2000/01/rdf-schema#label"), Literal(text)))
    query_path = tmp_path / "inside.rq"
    query_path.write_text(
        "# title: t\n# param text: literal required — the text\n"
        "SELECT ?i ?name WHERE { { SELECT ?i ?name WHERE { ?i <http://www.w3.org/2000/01/rdf-schema#label> ?name "
        "FILTER(CONTAINS(?name, ?param_text)) } } } ORDER BY ?name\n", encoding="utf-8")
    query = load_query(str(query_path))
    in_memory = run(query, MemoryBackend(graph), {"text": "培训"}, check=False)
    assert isinstance(in_memory, SelectResult)
    expected = [tuple(plain_value(row[name]) for name in in_memory.variables) for row in in_memory.rows]
    assert expected == [("http://example.org/i0", "培训人次"), ("http://example.org/i2", "培训天数")]
    solutions = oxigraph_store(graph).query(inject_values(query.text, bind(query, {"text": "培训"})))
    assert isinstance(solutions, ox.QuerySolutions)
    assert [tuple(plain_value(_rdflib_term(term)) for term in solution) for solution in solutions] == expected


CASES = [(name, "seed") for name in sorted(SEED)] + [(name, "fixture") for name in sorted(FIXTURE)]


@pytest.mark.parametrize(("name", "dataset"), CASES)
def test_answers(graphs: dict[str, Graph], name: str, dataset: str) -> None:
    expected = (SEED if dataset == "seed" else FIXTURE)[name]
    assert rows(graphs[dataset], name, **PARAMS[dataset].get(name, {})) == expected


def test_every_library_query_has_expected_answers() -> None:
    assert set(library()) - {"indicators", "category-counts"} == set(SEED)
    assert set(library()) - {"indicators"} == set(FIXTURE)


def test_indicators(graphs: dict[str, Graph]) -> None:
    seed = rows(graphs["seed"], "indicators")
    assert len(seed) == 92
    assert seed[0] == (EZ, "业务运行保障", "long-term", "成本指标", "经济成本指标", "窗口效能提升工程费用", "=", 480000, "元", "=48万元", "预算支出标准")
    assert (EZ, "信息化运行经费", "annual", "产出指标", "时效指标", "项目完成时间", "<=", 1, "年", "≤1年", "计划标准") in seed
    fixture = rows(graphs["fixture"], "indicators", project="职业技能培训", year="2024")
    assert [r[5] for r in fixture if r[2] == "annual"] == [
        "培训人均成本", "专家评委成本", "培训人数", "培训合格率", "培训后就业率", "技能人才储备", "服务对象满意度"]
    assert rows(graphs["fixture"], "indicators", basis="历史标准") == [
        (HR, "职业技能培训", g, "效益指标", "社会效益指标", "培训后就业率", ">=", 80, "%", "≥80%", "历史标准")
        for g in ("long-term", "annual", "long-term", "annual")
    ] + [(FIN, "预算评审", g, "效益指标", "经济效益指标", "节约财政资金", ">=", 5000000, "元", "≥500万元", "历史标准") for g in ("long-term", "annual")]


def test_category_counts_on_the_seed(graphs: dict[str, Graph]) -> None:
    counts = rows(graphs["seed"], "category-counts")
    assert len(counts) == 38
    assert sum(r[5] for r in counts) == 46  # the annual goals' indicators
    assert [r[3:] for r in counts if r[2] == "业务运行保障"] == [
        ("产出指标", "数量指标", 2), ("产出指标", "时效指标", 1), ("产出指标", "质量指标", 1),
        ("成本指标", "经济成本指标", 3), ("效益指标", "社会效益指标", 1), ("满意度指标", "服务对象满意度指标", 1)]
    both = rows(graphs["seed"], "category-counts", goal="all")
    assert sum(r[5] for r in both) == 92
    assert rows(graphs["seed"], "category-counts", goal="long-term") == counts  # the seed repeats its tables


@pytest.mark.parametrize(("name", "params", "expected"), [
    ("budget-by-year", {"year": "2024"}, [("2024", HR, 2, 1350000), ("2024", CA, 1, 3000000), ("2024", FIN, 1, 500000)]),
    ("budget-by-year", {"agency": FIN}, [("2023", FIN, 1, 80000), ("2024", FIN, 1, 500000)]),
    ("budget-by-unit", {"year": "2023"}, [(HR, 1, 1000000), (FIN, 1, 80000)]),
    ("budget-share", {"agency": HR, "year": "2024"}, [(HR, "2024", "职业技能培训", 1200000, 1350000, D("88.89")),
                                                      (HR, "2024", "企业薪酬调查", 150000, 1350000, D("11.11"))]),
    ("measurability-by-agency", {"goal": "all"}, [(HR, 3, 34, 32, 2, D("94.12")), (CA, 1, 11, 9, 2, D("81.82")), (FIN, 2, 18, 16, 2, D("88.89"))]),
    ("missing-level1", {"goal": "long-term"}, [(HR, "2024", "企业薪酬调查", "long-term", "效益指标")]),
    ("year-over-year", {"year": "2023"}, []),
    ("year-over-year", {"project": "预算评审"}, []),
    ("unit-costs", {"unit": "元/人/天"}, [
        ("元/人/天", "专家评委成本", 1000, FIN, "2024", "预算评审", "=1000元/人/天", "预算支出标准", 2, 800, 1000),
        ("元/人/天", "专家评委成本", 800, HR, "2024", "职业技能培训", "=800元/人/天", "预算支出标准", 2, 800, 1000)]),
    ("cost-standards", {"name": "培训人均成本"}, []),
    ("same-name-different-targets", {"name": "培训人数", "year": "2024"}, [("培训人数", HR, "2024", "职业技能培训", ">=", 1200, "人", "≥1200人")]),
    ("search", {"text": "满意度", "agency": CA}, [(CA, "2024", "困难群众救助", "long-term", "indicator", "救助对象满意度", "救助对象满意度")]),
    ("search", {"text": "no such text"}, []),
    ("satisfaction", {"goal": "annual", "agency": CA}, []),
    ("target-range", {"goal": "annual", "year": "2024", "agency": CA}, [
        (CA, "2024", "困难群众救助", "annual", "救助资金发放准确率", "≥105%", ">=", 105, "%", "out-of-range")]),
    ("indicators-by-basis", {"agency": CA, "goal": "all"}, [(CA, "其他标准", "效益指标", 1, 2), (CA, "其他标准", "满意度指标", 1, 1),
                                                          (CA, "行业标准", "产出指标", 1, 2), (CA, "计划标准", "产出指标", 1, 4),
                                                          (CA, "预算支出标准", "成本指标", 1, 2)]),
    ("non-measurable", {"goal": "annual", "year": "2023"}, [
        (FIN, "2023", "财政政策宣传", "annual", "效益指标", "社会效益指标", "政策知晓率", "进一步提高", "qualitative")]),
    ("projects", {"agency": HR, "year": "2023"}, [(HR, "职业技能培训", 1000000, 2, 6, 2, 2, 12)]),
])
def test_parameters_narrow_the_answers(graphs: dict[str, Graph], name: str, params: dict[str, str], expected: list[Row]) -> None:
    assert rows(graphs["fixture"], name, **params) == expected


def test_cost_standards_count_only_project_years(graphs: dict[str, Graph]) -> None:
    """cost-standards walks from the unit-cost units up to the indicators and tests the year's class in
    a FILTER: a department's plan-year (jx:PlanYear) that uses the same cost standard at another value
    is neither listed nor counted in the lowest and highest, on either engine; a project-year with a
    second type is listed once."""
    graph = Graph()
    for triple in graphs["fixture"]:
        graph.add(triple)
    jx, rdfs = "https://w3id.org/jixiao/ontology#", "http://www.w3.org/2000/01/rdf-schema#"
    unit = graph.value(predicate=URIRef(rdfs + "label"), object=Literal("元/人/天", lang="zh"))
    assert unit is not None
    plan_year, goal, indicator, target = (URIRef(f"urn:test:plan-{part}") for part in ("year", "goal", "indicator", "target"))
    for triple in [(plan_year, URIRef(jx + "hasGoal"), goal), (goal, URIRef(jx + "hasIndicator"), indicator),
                   (indicator, URIRef(rdfs + "label"), Literal("专家评委成本")), (indicator, URIRef(jx + "target"), target),
                   (target, URIRef(jx + "unit"), unit), (target, URIRef(jx + "numericValue"), Literal(5000))]:
        graph.add(triple)
    graph.add((plan_year, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), URIRef(jx + "PlanYear")))
    expected = FIXTURE["cost-standards"]
    assert rows(graph, "cost-standards") == expected
    assert oxigraph_rows(oxigraph_store(graph), "cost-standards") == expected
    # A project-year typed twice still matches its class once.
    for project_year in set(graph.subjects(URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), URIRef(jx + "ProjectYear"))):
        graph.add((project_year, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), URIRef(jx + "PerformanceYear")))
    assert rows(graph, "cost-standards") == expected
    assert oxigraph_rows(oxigraph_store(graph), "cost-standards") == expected


@pytest.mark.parametrize("dataset", ["seed", "fixture"])
def test_oxigraph_gives_the_same_answers(graphs: dict[str, Graph], dataset: str) -> None:
    store = oxigraph_store(graphs[dataset])
    for name in library():
        params = PARAMS[dataset].get(name, {})
        assert oxigraph_rows(store, name, **params) == rows(graphs[dataset], name, **params), name
    # Parameters reach Oxigraph as a VALUES block and narrow the same way.
    if dataset == "fixture":
        for name, params in [("budget-share", {"agency": HR, "year": "2024"}), ("unit-costs", {"unit": "元/人"}),
                             ("year-over-year", {"agency": HR}), ("category-counts", {"goal": "all", "year": "2023"})]:
            assert oxigraph_rows(store, name, **params) == rows(graphs[dataset], name, **params), name


# Virtuoso and the Oxigraph server: tests/test_backends_agree.py runs every named query there.


@pytest.mark.parametrize("dataset", ["seed", "fixture"])
def test_answers_do_not_depend_on_reasoning(graphs: dict[str, Graph], dataset: str) -> None:
    asserted = graphs[dataset]
    # owlrl's closure on the seed only: its many extra triples make every rdflib query slower.
    engines = (fast_closure, owlrl_closure) if dataset == "seed" else (fast_closure,)
    for reasoned in (engine(asserted) for engine in engines):
        for name in library():
            params = PARAMS[dataset].get(name, {})
            assert rows(reasoned, name, **params) == rows(asserted, name, **params), name


# ---- the library itself ---------------------------------------------------------------------

ISSUE_QUERIES = {"budget-by-unit", "budget-by-year", "budget-share", "category-counts", "category-counts-by-agency",
                 "missing-level1", "measurability", "measurability-by-agency", "non-measurable", "unit-costs",
                 "cost-standards", "budget-per-output", "satisfaction", "same-name-different-targets", "target-range",
                 "year-over-year", "indicators-by-basis", "search", "indicators", "projects"}


def _select_variables(query: NamedQuery) -> list[str]:
    """The outermost SELECT's result variables, in order: bare ?x, and `(... AS ?x)`."""
    head = re.search(r"^SELECT\s+(?:DISTINCT\s+)?(.*?)\s*\nWHERE", query.text, re.S | re.M)
    assert head is not None, query.name
    variables, depth = [], 0
    for token in re.findall(r"\(|\)|AS\s+\?\w+|\?\w+", head.group(1)):
        if token in "()":
            depth += 1 if token == "(" else -1
        elif token.startswith("AS"):
            variables.append(token.split("?")[1])
        elif depth == 0:
            variables.append(token[1:])
    return variables


def test_the_library_has_the_issue_s_queries() -> None:
    assert set(library()) >= ISSUE_QUERIES
    assert len(library()) >= 12


@pytest.mark.parametrize("name", sorted(library()))
def test_header(name: str) -> None:
    query = library()[name]
    zh, _, en = query.title.partition(" / ")
    assert re.search(r"[\u4e00-\u9fff]", zh) and re.search(r"[A-Za-z]", en), query.title
    assert len(query.description) > 40
    assert query.columns == _select_variables(query)
    assert query.reasoning == "none" and not query.needs_reasoning
    assert all(p.type in PARAM_TYPES and p.doc for p in query.params.values())
    used = set(re.findall(r"\?param_(\w+)", query.text))
    assert used == set(query.params), "every parameter declared is used, and every one used is declared"
    assert "unit" not in query.params or "agency" in query.params or name == "cost-standards", "unit is a unit of measure"
    order = re.search(r"^ORDER BY (.*)$", query.text, re.M)
    assert order, "results must come in a stated order"
    if re.search(r"^GROUP BY ", query.text, re.M):
        # rdflib forgets grouped variables that are not projected: ordering by one is no order.
        assert set(re.findall(r"\?(\w+)", order.group(1))) <= set(query.columns), order.group(1)


@pytest.mark.parametrize("name", sorted(library()))
def test_parameters_named_in_a_sub_select_are_bound_there(name: str) -> None:
    """rdflib binds a parameter inside a sub-SELECT too; a VALUES block only at the outermost group
    would not, and the answers would differ. inject_values binds every parameter a sub-SELECT names
    at the start of its group."""
    query = library()[name]
    text = inject_values(query.text, {f"param_{param}": Literal("x") for param in query.params})
    for match in re.finditer(r"\{\s*(?:#[^\n]*\n\s*)*SELECT", text):
        depth, end = 0, match.start()
        for end in range(match.start(), len(text)):
            depth += {"{": 1, "}": -1}.get(text[end], 0)
            if depth == 0:
                break
        group = text[match.start():end]
        named = set(re.findall(r"\?(param_\w+)", group))
        if named:
            block = re.search(r"\{\n  VALUES \(([^)]*)\)", group)
            assert block and set(re.findall(r"\?(\w+)", block.group(1))) == named, (name, group[:200])


def test_unknown_query_lists_the_library() -> None:
    with pytest.raises(UsageError) as error:
        load_query("budget-by-county")
    for name in ("budget-by-unit", "year-over-year", "search"):
        assert name in str(error.value)


def test_unknown_parameter_lists_the_query_s_parameters() -> None:
    query = library()["budget-share"]
    with pytest.raises(UsageError) as error:
        bind(query, {"unit": "鄂州市人力资源和社会保障局本级"})
    assert "agency (literal)" in str(error.value) and "year (year)" in str(error.value)


def test_required_parameter_and_defaults() -> None:
    with pytest.raises(UsageError, match="needs --param text"):
        bind(library()["search"], {})
    assert bind(library()["measurability"], {}) == {"param_goal": Literal("annual")}
    assert bind(library()["measurability"], {"goal": "all"}) == {"param_goal": Literal("all")}


@pytest.mark.parametrize(("name", "params", "message"), [
    ("budget-by-year", {"year": "24"}, "expects a year"),
    ("budget-by-year", {"year": "2024; DROP ALL"}, "expects a year"),
])
def test_parameter_values_are_checked(name: str, params: dict[str, str], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        bind(library()[name], params)


def test_parameters_are_terms_never_query_text(graphs: dict[str, Graph]) -> None:
    """A value that would break out of a string in pasted SPARQL is just a literal that matches nothing."""
    hostile = '" ) } } SELECT * WHERE { ?s ?p ?o } #'
    assert rows(graphs["fixture"], "budget-by-year", agency=hostile) == []
    assert bind(library()["budget-by-year"], {"agency": hostile})["param_agency"] == Literal(hostile)


def test_listing_shows_titles_and_parameters() -> None:
    text = listing()
    for name, query in library().items():
        assert name in text and query.title in text
    assert "text (literal, required)" in text and "goal (literal, default: annual)" in text


def test_a_query_file_by_path_is_assumed_to_need_reasoning(tmp_path: Path) -> None:
    path = tmp_path / "mine.rq"
    path.write_text("# title: 我的 / Mine\n# param n: integer = 3 — how many\n# param g: literal = long-term - which goal\n"
                    "SELECT ?s WHERE { ?s a ?c } LIMIT 3\n", encoding="utf-8")
    query = load_query(str(path))
    assert query.needs_reasoning
    assert bind(query, {}) == {"param_n": Literal(3), "param_g": Literal("long-term")}
    assert query.params["g"].doc == "which goal"


def test_a_bad_default_is_reported_at_load_time(tmp_path: Path) -> None:
    path = tmp_path / "bad.rq"
    path.write_text("# param y: year = soon — which year\nSELECT ?s WHERE { ?s ?p ?o }\n", encoding="utf-8")
    with pytest.raises(UsageError, match="expects a year"):
        load_query(str(path))


# ---- where each parameter's values come from ------------------------------------------------------

FREE_TEXT = {"text"}  # a search text is free: it matches by containment, not against known values


@pytest.mark.parametrize("name", sorted(library()))
def test_every_parameter_says_where_its_values_come_from(graphs: dict[str, Graph], name: str) -> None:
    query = library()[name]
    assert set(query.values) == set(query.params) - FREE_TEXT
    backend = MemoryBackend(graphs["fixture"])
    for parameter, spec in query.values.items():
        values = known_values(query, parameter, backend)
        assert values, f"{name}: no value of {parameter} in the fixture ({spec})"
        default = query.params[parameter].default
        assert default is None or default in values, f"{name}: the default {parameter}={default} is not among {values}"


def test_run_refuses_a_value_the_data_do_not_have_and_takes_one_they_have(graphs: dict[str, Graph]) -> None:
    backend = MemoryBackend(graphs["fixture"])
    with pytest.raises(UsageError, match=r"goal=年度 matches nothing in the data; values: .*annual") as error:
        run(library()["satisfaction"], backend, {"goal": "年度"})
    assert "long-term" in str(error.value) and "all" not in str(error.value).split("values: ")[1].split(", ")
    answer = run(library()["satisfaction"], backend, {"goal": "annual"})
    assert isinstance(answer, SelectResult) and list(answer.rows)
    # A caller that wants the empty answer asks for no check.
    empty = run(library()["satisfaction"], backend, {"goal": "年度"}, check=False)
    assert isinstance(empty, SelectResult) and not list(empty.rows)
