"""The ontology's own terms as closed rdflib namespaces.

Generated from ontology/*.ttl by scripts/build-ontology: do not edit. An undeclared term
(JX.Undeclared, JX["Undeclared"]) raises AttributeError instead of minting an IRI the ontology does not define.
"""

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef


class JX(DefinedNamespace):
    """jx: https://w3id.org/jixiao/ontology#"""

    _NS = Namespace("https://w3id.org/jixiao/ontology#")
    _fail = True

    ActualValue: URIRef  # 实际实现值 / actual value
    AliasMapped: URIRef  # 别名映射 / alias mapped
    AnnualGoal: URIRef  # 年度绩效目标 / annual performance goal
    AnnualGoalField: URIRef  # 年度目标 / annual goal
    AnnualOnlyTable: URIRef  # 仅年度目标表 / annual-only table
    AnnualQualifier: URIRef  # 年度 / annual
    Area: URIRef  # 面积 / area
    BasisColumn: URIRef  # 指标值确定依据 / basis
    Between: URIRef  # 介于 / between
    BudgetExpenditureStandard: URIRef  # 预算支出标准 / budget expenditure standard
    BudgetField: URIRef  # 项目预算 / project budget
    BudgetPart: URIRef  # 预算资金来源 / budget part
    BudgetPartField: URIRef  # 其中：财政拨款 / budget part
    BudgetUnit: URIRef  # 预算单位 / budget unit
    CategoryMismatch: URIRef  # 二级指标挂错一级指标 / level-2 under wrong level-1
    ColumnRole: URIRef  # 列角色 / column role
    ColumnRoleScheme: URIRef  # 指标表列角色 / Column roles
    ColumnValue: URIRef  # 栏目内容 / column value
    Comparator: URIRef  # 比较符 / comparator
    ComparatorOcrRepaired: URIRef  # 比较符识别错误已修复 / OCR comparator repaired
    ComparatorScheme: URIRef  # 指标值比较符 / Target comparators
    ConflictingCategory: URIRef  # 类别名称冲突 / conflicting category
    CostIndicator: URIRef  # 成本指标 / cost indicator
    Count: URIRef  # 计数 / count
    DeclaringUnit: URIRef  # 申报单位 / declaring unit
    DeclaringUnitField: URIRef  # 申报单位 / declaring unit
    DepartmentPlan: URIRef  # 部门整体绩效目标 / department-wide plan
    DescriptionColumn: URIRef  # 绩效指标描述 / description
    DescriptionRepeatsName: URIRef  # 描述重复名称 / description repeats name
    DirectionColumn: URIRef  # 指标方向 / direction
    DuplicateRowMerged: URIRef  # 重复行合并 / duplicate row merged
    Duration: URIRef  # 时长 / duration
    EcologicalBenefitIndicator: URIRef  # 生态效益指标 / ecological benefit indicator
    EconomicBenefitIndicator: URIRef  # 经济效益指标 / economic benefit indicator
    EconomicCostIndicator: URIRef  # 经济成本指标 / economic cost indicator
    EnvironmentalCostIndicator: URIRef  # 生态环境成本指标 / environmental cost indicator
    Equal: URIRef  # 等于 / equal to
    ExplanationColumn: URIRef  # 指标解释 / explanation
    ExtraCells: URIRef  # 多余单元格 / extra cells
    FinanceDepartment: URIRef  # 财政部门 / finance department
    FinanceDepartmentField: URIRef  # 财政部门 / finance department
    Finding: URIRef  # 发现记录 / finding
    FiscalYearNotStated: URIRef  # 未注明预算年度 / fiscal year not stated
    Footnote: URIRef  # 表注 / footnote
    FormField: URIRef  # 表单字段 / form field
    FormFieldScheme: URIRef  # 表单字段 / Form fields
    Frequency: URIRef  # 频次 / frequency
    GoalColumn: URIRef  # 目标名称 / goal label
    GoalQualifier: URIRef  # 目标限定词 / goal qualifier
    GoalQualifierScheme: URIRef  # 目标限定词 / Goal qualifiers
    GoalTableCaptionField: URIRef  # 目标说明 / goal table caption
    Greater: URIRef  # 大于 / greater than
    GreaterOrEqual: URIRef  # 大于等于 / at least
    HistoricalStandard: URIRef  # 历史标准 / historical standard
    HundredMillion: URIRef  # 亿 / hundred million
    ImplementingUnit: URIRef  # 实施单位 / implementing unit
    ImplementingUnitField: URIRef  # 实施单位 / implementing unit
    ImpliedComparator: URIRef  # 省略比较符 / implied comparator
    Indicator: URIRef  # 绩效指标 / performance indicator
    IndicatorCategory: URIRef  # 指标类别 / indicator category
    IndicatorFramework: URIRef  # 项目支出绩效指标体系框架 / Project expenditure performance indicator framework
    IndicatorsCaption: URIRef  # 绩效指标 / indicators caption
    IndustryStandard: URIRef  # 行业标准 / industry standard
    InformationalField: URIRef  # 项目负责人 / informational field
    LegacyTemplateForm: URIRef  # 旧模板写法 / legacy template form
    Length: URIRef  # 长度 / length
    Less: URIRef  # 小于 / less than
    LessOrEqual: URIRef  # 小于等于 / at most
    Level1Category: URIRef  # 一级指标 / level-1 category
    Level1Column: URIRef  # 一级指标 / level-1 category
    Level2Category: URIRef  # 二级指标 / level-2 category
    Level2Column: URIRef  # 二级指标 / level-2 category
    Level2InLevel1Column: URIRef  # 二级指标写入一级指标列 / level-2 name in level-1 column
    Level3Column: URIRef  # 三级指标 / indicator name
    LongTermGoal: URIRef  # 长期绩效目标 / long-term performance goal
    LongTermGoalField: URIRef  # 长期目标 / long-term goal
    LongTermQualifier: URIRef  # 长期 / long-term
    Mass: URIRef  # 质量 / mass
    MergedCellInherited: URIRef  # 合并单元格继承 / merged cell inherited
    MissingBasis: URIRef  # 缺少指标值确定依据 / missing basis
    MissingField: URIRef  # 缺少表头信息 / missing field
    MissingLevel2: URIRef  # 缺少二级指标 / missing level-2 category
    MissingName: URIRef  # 缺少指标名称 / missing indicator name
    MissingValue: URIRef  # 缺少指标值 / missing value
    Money: URIRef  # 货币 / money
    MoneyUnitField: URIRef  # 金额单位 / money unit
    MultiplierScheme: URIRef  # 数量级词 / Number multipliers
    MultiplierWithoutUnit: URIRef  # 数量级词后无单位 / multiplier without unit
    NoBasisColumn: URIRef  # 无依据列 / no basis column
    NonIndicatorRowMarker: URIRef  # 非指标行标记 / non-indicator row marker
    NonIndicatorRowScheme: URIRef  # 非指标行 / Rows that are not indicators
    NotAnIndicatorRow: URIRef  # 非指标行 / not an indicator row
    NoteKind: URIRef  # 读取记录类型 / note kind
    NoteKindScheme: URIRef  # 读表记录类型 / Kinds of reading notes
    NumberMultiplier: URIRef  # 数量级词 / number multiplier
    OrganisingUnit: URIRef  # 组织实施单位 / organising unit
    OrganisingUnitField: URIRef  # 组织实施单位 / organising unit
    OtherStandard: URIRef  # 其他标准 / other standard
    OutcomeIndicator: URIRef  # 效益指标 / outcome indicator
    OutputIndicator: URIRef  # 产出指标 / output indicator
    OversightUnit: URIRef  # 监督管理单位 / oversight unit
    OversightUnitField: URIRef  # 监督管理单位 / oversight unit
    PageFurniture: URIRef  # 页面装饰 / page furniture
    PerformanceGoal: URIRef  # 绩效目标 / performance goal
    PerformanceObject: URIRef  # 绩效管理对象 / object of performance management
    PerformanceYear: URIRef  # 绩效年度 / performance year
    PeriodTarget: URIRef  # 期间指标值 / period target
    PeriodValue: URIRef  # 日期或期间 / date or period
    PlanStandard: URIRef  # 计划标准 / plan standard
    PlanYear: URIRef  # 部门整体年度 / plan-year
    PreviousActualColumn: URIRef  # 上年实际完成值 / previous year's actual
    Programme: URIRef  # 一级项目 / programme
    ProgrammeField: URIRef  # 一级项目名称 / programme name
    Project: URIRef  # 项目 / project
    ProjectNameField: URIRef  # 项目名称 / project name
    ProjectYear: URIRef  # 项目年度 / project-year
    QualitativeTarget: URIRef  # 定性指标值 / qualitative target
    QualitativeTargetSplit: URIRef  # 定性指标值已切出 / qualitative target split off
    QualityIndicator: URIRef  # 质量指标 / quality indicator
    QuantitativeTarget: URIRef  # 定量指标值 / quantitative target
    QuantityIndicator: URIRef  # 数量指标 / quantity indicator
    QuantityKind: URIRef  # 量的种类 / quantity kind
    QuantityKindScheme: URIRef  # 量的种类 / Quantity kinds
    Ratio: URIRef  # 比率 / ratio
    RatioDifference: URIRef  # 百分点差 / percentage-point difference
    ReadingNote: URIRef  # 读取记录 / reading note
    RemarkColumn: URIRef  # 备注 / remark
    Repair: URIRef  # 修复记录 / repair
    SatisfactionIndicator: URIRef  # 满意度指标 / satisfaction indicator
    ScoreColumn: URIRef  # 分值 / score
    ScoreRangeStripped: URIRef  # 去除分值范围 / score range stripped
    ScoringRuleColumn: URIRef  # 评(扣)分标准 / scoring rule
    ServiceRecipientSatisfactionIndicator: URIRef  # 服务对象满意度指标 / service recipient satisfaction indicator
    ShiftedRow: URIRef  # 错列行 / shifted row
    SignOffRow: URIRef  # 签章行 / sign-off row
    SocialBenefitIndicator: URIRef  # 社会效益指标 / social benefit indicator
    SocialCostIndicator: URIRef  # 社会成本指标 / social cost indicator
    SourceDocument: URIRef  # 来源文件 / source document
    SourceRow: URIRef  # 来源行 / source row
    SupervisingDepartment: URIRef  # 主管部门 / supervising department
    SupervisingDepartmentField: URIRef  # 主管部门 / supervising department
    SustainableImpactIndicator: URIRef  # 可持续影响指标 / sustained impact indicator
    TableCutOff: URIRef  # 表格被截断 / table cut off
    Target: URIRef  # 指标值 / target value
    TenThousand: URIRef  # 万 / ten thousand
    TimelinessIndicator: URIRef  # 时效指标 / timeliness indicator
    UnitCost: URIRef  # 单位成本 / unit cost
    UnitFromColumn: URIRef  # 单位或比较符取自单独列 / unit or comparator from its own column
    UnitOfMeasure: URIRef  # 计量单位 / unit of measure
    UnitOfMeasureColumn: URIRef  # 计量单位 / unit of measure
    UnitRole: URIRef  # 单位角色 / unit role
    UnitRoleScheme: URIRef  # 单位角色 / Unit roles
    UnitScheme: URIRef  # 计量单位 / Units of measure
    UnknownBasis: URIRef  # 未知依据 / unknown basis
    UnknownCategory: URIRef  # 未知指标类别 / unknown category
    UnknownUnit: URIRef  # 未知计量单位 / unknown unit
    UnparseableValue: URIRef  # 无法解析的指标值 / unparseable value
    ValueBasis: URIRef  # 指标值确定依据 / value basis
    ValueBasisScheme: URIRef  # 指标值确定依据 / Bases of target values
    ValueColumn: URIRef  # 指标值 / target value
    ValueColumnLabel: URIRef  # 目标值列名 / target column label
    ValueTypeColumn: URIRef  # 指标值类型 / value type
    YearConflict: URIRef  # 年度冲突 / year conflict
    YearField: URIRef  # 预算年度 / fiscal year
    amount: URIRef  # 金额（元） / amount (yuan)
    atRow: URIRef  # 所在行 / at row
    baseUnit: URIRef  # 基本单位 / base unit
    basis: URIRef  # 指标值依据 / basis
    basisText: URIRef  # 指标值确定依据原文 / basis as written
    budget: URIRef  # 项目预算（元） / budget (yuan)
    budgetPart: URIRef  # 预算资金组成 / budget part
    budgetStated: URIRef  # 项目预算原文 / budget as stated
    budgetStatedUnit: URIRef  # 金额单位 / stated budget unit
    category: URIRef  # 所属二级指标 / category
    cellText: URIRef  # 单元格原文 / cell text
    columnRole: URIRef  # 栏目角色 / column role
    columnValue: URIRef  # 其他栏目内容 / column value
    comparator: URIRef  # 采用比较符 / has comparator
    comparatorStated: URIRef  # 写明比较符 / comparator stated
    concerns: URIRef  # 所涉对象 / concerns
    contentHash: URIRef  # 内容哈希 / content hash
    conversionFactor: URIRef  # 换算系数 / conversion factor
    dateSuffixForm: URIRef  # 日期后置比较词 / date suffix comparator word
    decision: URIRef  # 处理结果 / decision
    declaredBy: URIRef  # 申报单位 / declared by
    declares: URIRef  # 申报项目 / declares
    description: URIRef  # 指标描述 / indicator description
    encoding: URIRef  # 字符编码 / encoding
    fileName: URIRef  # 文件名 / file name
    fiscalYear: URIRef  # 预算年度 / fiscal year
    goalKind: URIRef  # 目标类别 / goal kind
    goalOf: URIRef  # 所属年度 / goal of
    hasGoal: URIRef  # 包含绩效目标 / has goal
    hasIndicator: URIRef  # 包含绩效指标 / has indicator
    hasYear: URIRef  # 年度申报 / has year
    implementedBy: URIRef  # 实施单位 / implemented by
    inDocument: URIRef  # 所在文件 / in document
    indicatorOf: URIRef  # 所属绩效目标 / indicator of
    involvesUnit: URIRef  # 涉及单位 / involves unit
    legacyBroader: URIRef  # 旧模板上级类别 / legacy broader category
    lineNumber: URIRef  # 行号 / line number
    markerPrefix: URIRef  # 标记前缀 / marker prefix
    markerSubstring: URIRef  # 标记片段 / marker substring
    noteKind: URIRef  # 记录类型 / has note kind
    numericValue: URIRef  # 数值（基本单位） / numeric value
    ocrForm: URIRef  # 识别错误写法 / OCR form
    periodEnd: URIRef  # 期间终点 / period end
    periodStart: URIRef  # 期间起点 / period start
    position: URIRef  # 序号 / position
    previousActual: URIRef  # 往年实际值 / previous actual value
    programme: URIRef  # 所属一级项目 / programme
    qualitativeTargetForm: URIRef  # 定性指标值用词 / qualitative target word
    quantityKind: URIRef  # 所属量的种类 / has quantity kind
    rawText: URIRef  # 行原文 / raw text
    reason: URIRef  # 理由 / reason
    roleProperty: URIRef  # 角色对应属性 / role property
    saw: URIRef  # 所见内容 / saw
    sourceRow: URIRef  # 出自来源行 / from source row
    statedAmount: URIRef  # 金额原文 / amount as stated
    statedLevel1: URIRef  # 所填一级指标 / stated level-1 category
    statedLevel1Text: URIRef  # 一级指标原文 / level-1 category as written
    statedLevel2Text: URIRef  # 二级指标原文 / level-2 category as written
    statedNumber: URIRef  # 原文数值 / stated number
    statedUnit: URIRef  # 原文计量单位 / stated unit
    statedUpperNumber: URIRef  # 原文上限 / stated upper number
    statedValue: URIRef  # 指标值原文 / stated value
    statement: URIRef  # 目标说明 / goal statement
    suffixForm: URIRef  # 后置比较词 / suffix comparator word
    supervisedBy: URIRef  # 主管部门 / supervised by
    target: URIRef  # 设定指标值 / has target
    unit: URIRef  # 基本计量单位 / unit
    unitRole: URIRef  # 单位角色 / unit role
    upperValue: URIRef  # 上限（基本单位） / upper bound
    valueYear: URIRef  # 实现年度 / year of the value
    yearOf: URIRef  # 所属对象 / year of

class JXU(DefinedNamespace):
    """jxu: https://w3id.org/jixiao/unit/"""

    _NS = Namespace("https://w3id.org/jixiao/unit/")
    _fail = True

    Article: URIRef  # 篇 / article
    Batch: URIRef  # 期 / batch
    Case: URIRef  # 件 / case
    Copy: URIRef  # 份 / copy
    Day: URIRef  # 天 / day
    Enterprise: URIRef  # 家 / enterprise
    Hectare: URIRef  # 公顷 / hectare
    Hour: URIRef  # 小时 / hour
    Household: URIRef  # 户 / household
    Institution: URIRef  # 所 / institution
    Item: URIRef  # 项 / item
    Jin: URIRef  # 斤 / jin
    Kilogram: URIRef  # 公斤 / kilogram
    Kilometre: URIRef  # 公里 / kilometre
    Machine: URIRef  # 台 / machine
    Metre: URIRef  # 米 / metre
    Minute: URIRef  # 分钟 / minute
    Month: URIRef  # 月 / month
    Mu: URIRef  # 亩 / mu
    PerMille: URIRef  # ‰ / per mille
    Percent: URIRef  # % / percent
    PercentagePoint: URIRef  # 个百分点 / percentage point
    Person: URIRef  # 人 / person
    PersonTime: URIRef  # 人次 / person-time
    Piece: URIRef  # 个 / piece
    Plant: URIRef  # 株 / plant
    QianYuan: URIRef  # 千元 / thousand yuan
    Session: URIRef  # 场 / session
    Set: URIRef  # 套 / set
    Site: URIRef  # 处 / site
    SquareKilometre: URIRef  # 平方公里 / square kilometre
    SquareMetre: URIRef  # 平方米 / square metre
    Strip: URIRef  # 条 / strip
    Structure: URIRef  # 座 / structure
    Time: URIRef  # 次 / time
    Tonne: URIRef  # 吨 / tonne
    Vehicle: URIRef  # 辆 / vehicle
    Volume: URIRef  # 本 / volume
    WanCase: URIRef  # 万件 / ten thousand cases
    WanHousehold: URIRef  # 万户 / ten thousand households
    WanMu: URIRef  # 万亩 / ten thousand mu
    WanPerson: URIRef  # 万人 / ten thousand persons
    WanPersonTime: URIRef  # 万人次 / ten thousand person-times
    WanTime: URIRef  # 万次 / ten thousand times
    WanTonne: URIRef  # 万吨 / ten thousand tonnes
    WanYuan: URIRef  # 万元 / ten thousand yuan
    Week: URIRef  # 周 / week
    WorkingDay: URIRef  # 个工作日 / working day
    Year: URIRef  # 年 / year
    YiYuan: URIRef  # 亿元 / hundred million yuan
    Yuan: URIRef  # 元 / yuan
    YuanPerCase: URIRef  # 元/件 / yuan per case
    YuanPerDay: URIRef  # 元/天 / yuan per day
    YuanPerEnterprise: URIRef  # 元/家 / yuan per enterprise
    YuanPerHousehold: URIRef  # 元/户 / yuan per household
    YuanPerItem: URIRef  # 元/项 / yuan per item
    YuanPerKilometre: URIRef  # 元/公里 / yuan per kilometre
    YuanPerMachine: URIRef  # 元/台 / yuan per machine
    YuanPerMonth: URIRef  # 元/月 / yuan per month
    YuanPerMu: URIRef  # 元/亩 / yuan per mu
    YuanPerPerson: URIRef  # 元/人 / yuan per person
    YuanPerPersonDay: URIRef  # 元/人/天 / yuan per person per day
    YuanPerPersonMonth: URIRef  # 元/人/月 / yuan per person per month
    YuanPerPersonTime: URIRef  # 元/人次 / yuan per person-time
    YuanPerPersonYear: URIRef  # 元/人/年 / yuan per person per year
    YuanPerPiece: URIRef  # 元/个 / yuan per piece
    YuanPerPlant: URIRef  # 元/株 / yuan per plant
    YuanPerSquareMetre: URIRef  # 元/平方米 / yuan per square metre
    YuanPerTime: URIRef  # 元/次 / yuan per time
    YuanPerTonne: URIRef  # 元/吨 / yuan per tonne
    YuanPerYear: URIRef  # 元/年 / yuan per year
