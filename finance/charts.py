"""The charts of accounts and the statement layouts that ship with Lingban, as data.

Two charts (DOMAIN.md §3.2, §4.2): the farmer cooperative chart of 财会〔2021〕37号 ("coop-2023", 48
accounts plus the optional 109 and 122) and the village collective chart of 财会〔2023〕14号
("village-collective-2023", 42 accounts) that joint-stock economic cooperatives keep. Each chart
names the accounts the closing services need (current-year surplus, undistributed surplus, the
"allocations" account cleared at year end) and carries its statement layouts: line number,
label, and a formula over account codes (``finance.formulas``). Nothing about a chart is written
into the code that posts or reports: ``ensure_chart_templates`` stores this data in the database
(also run by a data migration) and everything else reads it from there.

Formula functions (codes are prefixes: ``bal(5)`` is every 5xx account):

* ``bal(c)``: balance, debit positive, at the column's date; ``baldr(c)`` / ``balcr(c)``: the
  debit / credit parts of the balances of c's sub-ledgers (each leaf account × member), so 114
  成员往来 can show its debit balances under 应收款项 and its credit balances under 应付款项;
* ``open(c)``: balance at the start of the fiscal year;
* ``dr(c)`` / ``cr(c)``: debit / credit movements over the column's range, closing transfers
  excluded; ``#pc`` keeps only the period-end transfers; ``|dr321,cr301`` keeps vouchers that also
  have a debit line on 321 or a credit line on 301 (``|!…`` those that have none);
* ``L7``: line 7 of the same statement and column.
"""

from __future__ import annotations

from finance.choices import AccountCategory as C
from finance.choices import BalanceSide as S
from finance.choices import StatementBasis

COOP = "coop-2023"
COLLECTIVE = "village-collective-2023"

# code, name, category, normal balance, flags (c = cash or bank, m = sub-ledger per member,
# o = optional account of the standard), parent code for the standard's sub-accounts
COOP_ACCOUNTS = [
    # 一、资产类
    ("101", "库存现金", C.ASSET, S.DEBIT, "c"),
    ("102", "银行存款", C.ASSET, S.DEBIT, "c"),
    ("109", "其他货币资金", C.ASSET, S.DEBIT, "co"),
    ("113", "应收款", C.ASSET, S.DEBIT, ""),
    ("114", "成员往来", C.ASSET, S.EITHER, "m"),
    ("121", "产品物资", C.ASSET, S.DEBIT, ""),
    ("122", "包装物", C.ASSET, S.DEBIT, "o"),
    ("124", "委托加工物资", C.ASSET, S.DEBIT, ""),
    ("125", "委托代销商品", C.ASSET, S.DEBIT, ""),
    ("127", "受托代购商品", C.ASSET, S.DEBIT, ""),
    ("128", "受托代销商品", C.ASSET, S.DEBIT, ""),
    ("131", "对外投资", C.ASSET, S.DEBIT, ""),
    ("141", "消耗性生物资产", C.ASSET, S.DEBIT, ""),
    ("142", "生产性生物资产", C.ASSET, S.DEBIT, ""),
    ("143", "生产性生物资产累计折旧", C.ASSET, S.CREDIT, ""),
    ("144", "公益性生物资产", C.ASSET, S.DEBIT, ""),
    ("151", "固定资产", C.ASSET, S.DEBIT, ""),
    ("152", "累计折旧", C.ASSET, S.CREDIT, ""),
    ("153", "在建工程", C.ASSET, S.DEBIT, ""),
    ("154", "固定资产清理", C.ASSET, S.EITHER, ""),
    ("161", "无形资产", C.ASSET, S.DEBIT, ""),
    ("162", "累计摊销", C.ASSET, S.CREDIT, ""),
    ("171", "长期待摊费用", C.ASSET, S.DEBIT, ""),
    ("181", "待处理财产损溢", C.ASSET, S.NONE, ""),
    ("18101", "待处理流动资产损溢", C.ASSET, S.NONE, ""),
    ("18102", "待处理非流动资产损溢", C.ASSET, S.NONE, ""),
    # 二、负债类
    ("201", "短期借款", C.LIABILITY, S.CREDIT, ""),
    ("211", "应付款", C.LIABILITY, S.CREDIT, ""),
    ("212", "应付工资", C.LIABILITY, S.CREDIT, ""),
    ("213", "应付劳务费", C.LIABILITY, S.CREDIT, ""),
    ("214", "应交税费", C.LIABILITY, S.CREDIT, ""),
    ("215", "应付利息", C.LIABILITY, S.CREDIT, ""),
    ("221", "应付盈余返还", C.LIABILITY, S.CREDIT, "m"),
    ("222", "应付剩余盈余", C.LIABILITY, S.CREDIT, "m"),
    ("231", "长期借款", C.LIABILITY, S.CREDIT, ""),
    ("235", "专项应付款", C.LIABILITY, S.CREDIT, ""),
    # 三、所有者权益类
    ("301", "股金", C.EQUITY, S.CREDIT, "m"),
    # 311 kept by source (the standard's 按来源明细核算): 03表 tells subsidies from donations by it
    ("311", "专项基金", C.EQUITY, S.CREDIT, ""),
    ("31101", "国家财政直接补助", C.EQUITY, S.CREDIT, ""),
    ("31102", "他人捐赠", C.EQUITY, S.CREDIT, ""),
    ("321", "资本公积", C.EQUITY, S.CREDIT, ""),
    # each member's reserve share (公积金份额, law Arts. 6, 42, 43) is a sub-ledger of 322
    ("322", "盈余公积", C.EQUITY, S.CREDIT, "m"),
    ("331", "本年盈余", C.EQUITY, S.NONE, ""),
    ("332", "盈余分配", C.EQUITY, S.EITHER, ""),
    ("33201", "各项分配", C.EQUITY, S.NONE, ""),
    # third level: one per line of 会农社02表 that the distributions feed (lines 15, 17, 18, 19)
    ("3320101", "提取盈余公积", C.EQUITY, S.NONE, ""),
    ("3320102", "盈余返还", C.EQUITY, S.NONE, ""),
    ("3320103", "剩余盈余分配", C.EQUITY, S.NONE, ""),
    ("3320104", "转为成员出资", C.EQUITY, S.NONE, ""),
    ("33202", "未分配盈余", C.EQUITY, S.EITHER, ""),
    # 四、成本类
    ("401", "生产成本", C.COST, S.DEBIT, ""),
    # 五、损益类
    ("501", "经营收入", C.INCOME, S.CREDIT, ""),
    ("502", "其他收入", C.INCOME, S.CREDIT, ""),
    ("511", "投资收益", C.INCOME, S.CREDIT, ""),
    ("521", "经营支出", C.EXPENSE, S.DEBIT, ""),
    ("522", "税金及附加", C.EXPENSE, S.DEBIT, ""),
    ("523", "管理费用", C.EXPENSE, S.DEBIT, ""),
    ("524", "财务费用", C.EXPENSE, S.DEBIT, ""),
    ("529", "其他支出", C.EXPENSE, S.DEBIT, ""),
    ("531", "所得税费用", C.EXPENSE, S.DEBIT, ""),
]

COLLECTIVE_ACCOUNTS = [
    ("101", "库存现金", C.ASSET, S.DEBIT, "c"),
    ("102", "银行存款", C.ASSET, S.DEBIT, "c"),
    ("111", "短期投资", C.ASSET, S.DEBIT, ""),
    ("112", "应收款", C.ASSET, S.DEBIT, ""),
    ("113", "内部往来", C.ASSET, S.EITHER, "m"),
    ("121", "库存物资", C.ASSET, S.DEBIT, ""),
    ("131", "消耗性生物资产", C.ASSET, S.DEBIT, ""),
    ("132", "生产性生物资产", C.ASSET, S.DEBIT, ""),
    ("133", "生产性生物资产累计折旧", C.ASSET, S.CREDIT, ""),
    ("134", "公益性生物资产", C.ASSET, S.DEBIT, ""),
    ("141", "长期投资", C.ASSET, S.DEBIT, ""),
    ("151", "固定资产", C.ASSET, S.DEBIT, ""),
    ("152", "累计折旧", C.ASSET, S.CREDIT, ""),
    ("153", "在建工程", C.ASSET, S.DEBIT, ""),
    ("154", "固定资产清理", C.ASSET, S.EITHER, ""),
    ("161", "无形资产", C.ASSET, S.DEBIT, ""),
    ("162", "累计摊销", C.ASSET, S.CREDIT, ""),
    ("171", "长期待摊费用", C.ASSET, S.DEBIT, ""),
    ("181", "待处理财产损溢", C.ASSET, S.NONE, ""),
    ("201", "短期借款", C.LIABILITY, S.CREDIT, ""),
    ("211", "应付款", C.LIABILITY, S.CREDIT, ""),
    ("212", "应付工资", C.LIABILITY, S.CREDIT, ""),
    ("213", "应付劳务费", C.LIABILITY, S.CREDIT, ""),
    ("214", "应交税费", C.LIABILITY, S.CREDIT, ""),
    ("221", "长期借款及应付款", C.LIABILITY, S.CREDIT, ""),
    ("231", "一事一议资金", C.LIABILITY, S.CREDIT, ""),
    ("241", "专项应付款", C.LIABILITY, S.CREDIT, ""),
    ("301", "资本", C.EQUITY, S.CREDIT, "m"),
    ("311", "公积公益金", C.EQUITY, S.CREDIT, ""),
    ("321", "本年收益", C.EQUITY, S.NONE, ""),
    ("322", "收益分配", C.EQUITY, S.EITHER, ""),
    ("32201", "各项分配", C.EQUITY, S.NONE, ""),
    ("3220101", "提取公积公益金", C.EQUITY, S.NONE, ""),
    ("3220102", "向成员分配", C.EQUITY, S.NONE, ""),
    ("3220103", "其他", C.EQUITY, S.NONE, ""),
    ("32202", "未分配收益", C.EQUITY, S.EITHER, ""),
    ("401", "生产（劳务）成本", C.COST, S.DEBIT, ""),
    ("501", "经营收入", C.INCOME, S.CREDIT, ""),
    ("502", "投资收益", C.INCOME, S.CREDIT, ""),
    ("503", "补助收入", C.INCOME, S.CREDIT, ""),
    ("504", "其他收入", C.INCOME, S.CREDIT, ""),
    ("511", "经营支出", C.EXPENSE, S.DEBIT, ""),
    ("512", "税金及附加", C.EXPENSE, S.DEBIT, ""),
    ("513", "管理费用", C.EXPENSE, S.DEBIT, ""),
    ("514", "公益支出", C.EXPENSE, S.DEBIT, ""),
    ("515", "其他支出", C.EXPENSE, S.DEBIT, ""),
    ("521", "所得税费用", C.EXPENSE, S.DEBIT, ""),
]

# 资产负债表 会农社01表 (DOMAIN.md §3.5): (line, label, side, formula, style)
# side: "L" assets (left half), "R" liabilities and equity (right half); style: h = heading
# without a number, t = a total line. Line 40 adds any 5xx balance not yet transferred, so the
# sheet balances inside an open month too; after the period-end transfer those balances are nil
# and the line is the standard's 331 + 332.
COOP_BALANCE_SHEET = [
    (None, "流动资产：", "L", "", "h"),
    (1, "货币资金", "L", "bal(101)+bal(102)+bal(109)", ""),
    (2, "应收款项", "L", "bal(113)+baldr(114)", ""),
    (3, "存货", "L", "bal(121)+bal(122)+bal(124)+bal(125)+bal(127)+bal(128)+bal(401)", ""),
    (4, "消耗性生物资产", "L", "bal(141)", ""),
    (5, "流动资产合计", "L", "L1+L2+L3+L4", "t"),
    (None, "非流动资产：", "L", "", "h"),
    (6, "对外投资", "L", "bal(131)", ""),
    (7, "生产性生物资产原值", "L", "bal(142)", ""),
    (8, "减：生产性生物资产累计折旧", "L", "-bal(143)", ""),
    (9, "生产性生物资产净值", "L", "L7-L8", ""),
    (10, "固定资产原值", "L", "bal(151)", ""),
    (11, "减：累计折旧", "L", "-bal(152)", ""),
    (12, "固定资产净值", "L", "L10-L11", ""),
    (13, "在建工程", "L", "bal(153)", ""),
    (14, "固定资产清理", "L", "bal(154)", ""),
    (15, "固定资产小计", "L", "L12+L13+L14", ""),
    (16, "无形资产原值", "L", "bal(161)", ""),
    (17, "减：累计摊销", "L", "-bal(162)", ""),
    (18, "无形资产净值", "L", "L16-L17", ""),
    (19, "公益性生物资产", "L", "bal(144)", ""),
    (20, "长期待摊费用", "L", "bal(171)", ""),
    (21, "非流动资产合计", "L", "L6+L9+L15+L18+L19+L20", "t"),
    (22, "资产总计", "L", "L5+L21", "t"),
    (None, "流动负债：", "R", "", "h"),
    (23, "短期借款", "R", "-bal(201)", ""),
    (24, "应付款项", "R", "-bal(211)-balcr(114)", ""),
    (25, "应付工资", "R", "-bal(212)", ""),
    (26, "应付劳务费", "R", "-bal(213)", ""),
    (27, "应交税费", "R", "-bal(214)", ""),
    (28, "应付利息", "R", "-bal(215)", ""),
    (29, "应付盈余返还", "R", "-bal(221)", ""),
    (30, "应付剩余盈余", "R", "-bal(222)", ""),
    (31, "流动负债合计", "R", "L23+L24+L25+L26+L27+L28+L29+L30", "t"),
    (None, "非流动负债：", "R", "", "h"),
    (32, "长期借款", "R", "-bal(231)", ""),
    (33, "专项应付款", "R", "-bal(235)", ""),
    (34, "非流动负债合计", "R", "L32+L33", "t"),
    (35, "负债合计", "R", "L31+L34", "t"),
    (None, "所有者权益：", "R", "", "h"),
    (36, "股金", "R", "-bal(301)", ""),
    (37, "专项基金", "R", "-bal(311)", ""),
    (38, "资本公积", "R", "-bal(321)", ""),
    (39, "盈余公积", "R", "-bal(322)", ""),
    (40, "未分配盈余", "R", "-bal(331)-bal(332)-bal(5)", ""),
    (41, "所有者权益合计", "R", "L36+L37+L38+L39+L40", "t"),
    (42, "负债和所有者权益总计", "R", "L35+L41", "t"),
]

# 盈余及盈余分配表 会农社02表 (DOMAIN.md §3.5); the formulas of §3.4
COOP_SURPLUS_STATEMENT = [
    (1, "一、经营收入", "", "cr(501)-dr(501)", "t"),
    (2, "加：投资收益", "", "cr(511)-dr(511)", ""),
    (3, "减：经营支出", "", "dr(521)-cr(521)", ""),
    (4, "税金及附加", "", "dr(522)-cr(522)", ""),
    (5, "管理费用", "", "dr(523)-cr(523)", ""),
    (6, "财务费用", "", "dr(524)-cr(524)", ""),
    (7, "二、经营收益", "", "L1+L2-L3-L4-L5-L6", "t"),
    (8, "加：其他收入", "", "cr(502)-dr(502)", ""),
    (9, "减：其他支出", "", "dr(529)-cr(529)", ""),
    (10, "三、盈余总额", "", "L7+L8-L9", "t"),
    (11, "减：所得税费用", "", "dr(531)-cr(531)", ""),
    (12, "四、本年盈余", "", "L10-L11", "t"),
    (13, "加：年初未分配盈余", "", "-open(332)", ""),
    (14, "其他转入", "", "cr(33202)-dr(33202)", ""),
    (15, "减：提取盈余公积", "", "dr(3320101)-cr(3320101)", ""),
    (16, "五、可分配盈余", "", "L12+L13+L14-L15", "t"),
    (17, "减：盈余返还", "", "dr(3320102)-cr(3320102)", ""),
    (18, "剩余盈余分配", "", "dr(3320103)-cr(3320103)", ""),
    (19, "转为成员出资", "", "dr(3320104)-cr(3320104)", ""),
    (20, "六、年末未分配盈余", "", "L16-L17-L18-L19", "t"),
]

# 成员权益变动表 会农社03表: rows × columns 股金, 专项基金, 资本公积, 盈余公积, 未分配盈余 (合计 is the
# sum of the five). The "其中" rows follow the official form (DOMAIN.md §3.5), told apart by the
# other side of the voucher (e.g. 资本公积转增 = credit to 301 in a voucher that debits 321).
EQUITY_COLUMNS = [
    ("301", "股金"),
    ("311", "专项基金"),
    ("321", "资本公积"),
    ("322", "盈余公积"),
    ("undistributed", "未分配盈余"),
]
COOP_EQUITY_STATEMENT = [
    (
        1,
        "一、年初余额",
        {
            "301": "-open(301)",
            "311": "-open(311)",
            "321": "-open(321)",
            "322": "-open(322)",
            "undistributed": "-open(331)-open(332)",
        },
        "t",
    ),
    (
        2,
        "二、本年增加数",
        {"301": "cr(301)", "311": "cr(311)", "321": "cr(321)", "322": "cr(322)", "undistributed": "L11+L12"},
        "t",
    ),
    (3, "其中：资本公积转增", {"301": "cr(301|dr321)"}, ""),
    (4, "盈余公积转增", {"301": "cr(301|dr322)"}, ""),
    (5, "成员增加出资", {"301": "cr(301|!dr321,dr322)"}, ""),
    (6, "接受国家财政直接补助形成", {"311": "cr(31101)"}, ""),
    (7, "接受他人捐赠形成", {"311": "cr(31102)"}, ""),
    (8, "股金溢价", {"321": "cr(321|cr301)"}, ""),
    (9, "资产评估增值", {"321": "cr(321|!cr301)"}, ""),
    (10, "从盈余中提取", {"322": "cr(322|dr332)"}, ""),
    # the year's profit and loss (transferred to 331 at each month end, or not yet), and any entry
    # made to 331 directly: so the statement agrees with 01表 and 02表 in an open month too
    (11, "本年盈余", {"undistributed": "cr(5)-dr(5)+cr(331)-dr(331)"}, ""),
    (12, "其他转入", {"undistributed": "cr(33202)-dr(33202)"}, ""),
    (
        13,
        "三、本年减少数",
        {
            "301": "dr(301)",
            "311": "dr(311)",
            "321": "dr(321)",
            "322": "dr(322)",
            "undistributed": "L15+L17+L18+L19",
        },
        "t",
    ),
    (14, "其中：成员减少出资", {"301": "dr(301)"}, ""),
    (
        15,
        "转为成员出资",
        {"321": "dr(321|cr301)", "322": "dr(322|cr301)", "undistributed": "dr(3320104)-cr(3320104)"},
        "",
    ),
    (16, "弥补亏损", {"321": "dr(321|!cr301)", "322": "dr(322|!cr301)"}, ""),
    (17, "提取盈余公积", {"undistributed": "dr(3320101)-cr(3320101)"}, ""),
    (18, "盈余返还", {"undistributed": "dr(3320102)-cr(3320102)"}, ""),
    (19, "剩余盈余分配", {"undistributed": "dr(3320103)-cr(3320103)"}, ""),
    (
        20,
        "四、年末余额",
        dict.fromkeys(("301", "311", "321", "322", "undistributed"), "L1+L2-L13"),
        "t",
    ),
]

# The village collective chart's two statements. DOMAIN.md §4 lists the statements but not their
# lines: this layout follows the chart and the 2023 system's income formula (经营收益, 收益总额,
# 净收益) with line numbers of our own, to be checked against the official forms before production.
COLLECTIVE_BALANCE_SHEET = [
    (None, "流动资产：", "L", "", "h"),
    (1, "货币资金", "L", "bal(101)+bal(102)", ""),
    (2, "短期投资", "L", "bal(111)", ""),
    (3, "应收款项", "L", "bal(112)+baldr(113)", ""),
    (4, "存货", "L", "bal(121)+bal(401)", ""),
    (5, "消耗性生物资产", "L", "bal(131)", ""),
    (6, "流动资产合计", "L", "L1+L2+L3+L4+L5", "t"),
    (None, "非流动资产：", "L", "", "h"),
    (7, "长期投资", "L", "bal(141)", ""),
    (8, "生产性生物资产原值", "L", "bal(132)", ""),
    (9, "减：生产性生物资产累计折旧", "L", "-bal(133)", ""),
    (10, "生产性生物资产净值", "L", "L8-L9", ""),
    (11, "公益性生物资产", "L", "bal(134)", ""),
    (12, "固定资产原值", "L", "bal(151)", ""),
    (13, "减：累计折旧", "L", "-bal(152)", ""),
    (14, "固定资产净值", "L", "L12-L13", ""),
    (15, "在建工程", "L", "bal(153)", ""),
    (16, "固定资产清理", "L", "bal(154)", ""),
    (17, "固定资产小计", "L", "L14+L15+L16", ""),
    (18, "无形资产原值", "L", "bal(161)", ""),
    (19, "减：累计摊销", "L", "-bal(162)", ""),
    (20, "无形资产净值", "L", "L18-L19", ""),
    (21, "长期待摊费用", "L", "bal(171)", ""),
    (22, "非流动资产合计", "L", "L7+L10+L11+L17+L20+L21", "t"),
    (23, "资产总计", "L", "L6+L22", "t"),
    (None, "流动负债：", "R", "", "h"),
    (24, "短期借款", "R", "-bal(201)", ""),
    (25, "应付款项", "R", "-bal(211)-balcr(113)", ""),
    (26, "应付工资", "R", "-bal(212)", ""),
    (27, "应付劳务费", "R", "-bal(213)", ""),
    (28, "应交税费", "R", "-bal(214)", ""),
    (29, "流动负债合计", "R", "L24+L25+L26+L27+L28", "t"),
    (None, "非流动负债：", "R", "", "h"),
    (30, "长期借款及应付款", "R", "-bal(221)", ""),
    (31, "一事一议资金", "R", "-bal(231)", ""),
    (32, "专项应付款", "R", "-bal(241)", ""),
    (33, "非流动负债合计", "R", "L30+L31+L32", "t"),
    (34, "负债合计", "R", "L29+L33", "t"),
    (None, "所有者权益：", "R", "", "h"),
    (35, "资本", "R", "-bal(301)", ""),
    (36, "公积公益金", "R", "-bal(311)", ""),
    (37, "未分配收益", "R", "-bal(321)-bal(322)-bal(5)", ""),
    (38, "所有者权益合计", "R", "L35+L36+L37", "t"),
    (39, "负债和所有者权益总计", "R", "L34+L38", "t"),
]

COLLECTIVE_INCOME_STATEMENT = [
    (1, "一、经营收入", "", "cr(501)-dr(501)", "t"),
    (2, "加：投资收益", "", "cr(502)-dr(502)", ""),
    (3, "减：经营支出", "", "dr(511)-cr(511)", ""),
    (4, "税金及附加", "", "dr(512)-cr(512)", ""),
    (5, "管理费用", "", "dr(513)-cr(513)", ""),
    (6, "二、经营收益", "", "L1+L2-L3-L4-L5", "t"),
    (7, "加：补助收入", "", "cr(503)-dr(503)", ""),
    (8, "其他收入", "", "cr(504)-dr(504)", ""),
    (9, "减：公益支出", "", "dr(514)-cr(514)", ""),
    (10, "其他支出", "", "dr(515)-cr(515)", ""),
    (11, "三、收益总额", "", "L6+L7+L8-L9-L10", "t"),
    (12, "减：所得税费用", "", "dr(521)-cr(521)", ""),
    (13, "四、净收益", "", "L11-L12", "t"),
    (14, "加：年初未分配收益", "", "-open(322)", ""),
    (15, "其他转入", "", "cr(32202)-dr(32202)", ""),
    (16, "五、可分配收益", "", "L13+L14+L15", "t"),
    (17, "减：提取公积公益金", "", "dr(3220101)-cr(3220101)", ""),
    (18, "向成员分配", "", "dr(3220102)-cr(3220102)", ""),
    (19, "其他", "", "dr(3220103)-cr(3220103)", ""),
    (20, "六、年末未分配收益", "", "L16-L17-L18-L19", "t"),
]

BALANCE_COLUMNS = [("closing", "期末余额"), ("opening", "年初余额")]
MOVEMENT_COLUMNS = [("current", "本年金额"), ("previous", "上年金额")]

# key, title, form number, basis, columns, lines
COOP_STATEMENTS = [
    ("balance_sheet", "资产负债表", "会农社01表", StatementBasis.BALANCE, BALANCE_COLUMNS, COOP_BALANCE_SHEET),
    ("surplus", "盈余及盈余分配表", "会农社02表", StatementBasis.MOVEMENT, MOVEMENT_COLUMNS, COOP_SURPLUS_STATEMENT),
    ("equity_changes", "成员权益变动表", "会农社03表", StatementBasis.MATRIX, EQUITY_COLUMNS, COOP_EQUITY_STATEMENT),
]
COLLECTIVE_STATEMENTS = [
    ("balance_sheet", "资产负债表", "", StatementBasis.BALANCE, BALANCE_COLUMNS, COLLECTIVE_BALANCE_SHEET),
    ("surplus", "收益及收益分配表", "", StatementBasis.MOVEMENT, MOVEMENT_COLUMNS, COLLECTIVE_INCOME_STATEMENT),
]

# What each account does in the services that write vouchers for other modules (the share
# register, the distribution, payouts). Code that posts asks for a role, never for a code: 321 is
# 资本公积 on one chart and 本年收益 on the other, 222 exists on one chart only.
#   capital             股金 / 资本, one sub-ledger per member (the share register, by owner)
#   reserve             the reserve fund the plan extracts into (322 盈余公积 / 311 公积公益金)
#   subsidy_fund, donation_fund   专项基金 by source (quantified equally to members, law Art. 44)
#   cash, bank          where money comes in or goes out unless the accountant picks a sub-account
#   member_current      成员往来 / 内部往来: a refund owed to a member and not yet paid
#   patronage_payable, dividend_payable   what a plan owes each member until it is paid
#   wages_payable, admin_expense          rewards for management (seed 002: an expense of the year)
#   intangible, fixed_assets, inventory, biological   what a non-cash contribution becomes
#   alloc_*             the 各项分配 sub-accounts that the surplus statement shows line by line
COOP_ROLES = {
    "capital": "301",
    "capital_reserve": "321",
    "reserve": "322",
    "subsidy_fund": "31101",
    "donation_fund": "31102",
    "cash": "101",
    "bank": "102",
    "member_current": "114",
    "patronage_payable": "221",
    "dividend_payable": "222",
    "wages_payable": "212",
    "admin_expense": "523",
    "intangible": "161",
    "fixed_assets": "151",
    "fixed_depreciation": "152",
    "inventory": "121",
    "biological": "142",
    "biological_depreciation": "143",
    "alloc_reserve": "3320101",
    "alloc_patronage": "3320102",
    "alloc_dividend": "3320103",
    "alloc_capital": "3320104",
}
# 农村集体经济组织会计制度: the collective distributes to members through 322 收益分配—各项分配—
# 向成员分配 and owes it on 113 内部往来 (members and households), keeps 311 公积公益金 as its reserve
# (not quantified to members) and has no separate patronage refund.
COLLECTIVE_ROLES = {
    "capital": "301",
    "reserve": "311",
    "subsidy_fund": "311",
    "donation_fund": "311",
    "cash": "101",
    "bank": "102",
    "member_current": "113",
    "patronage_payable": "113",
    "dividend_payable": "113",
    "wages_payable": "212",
    "admin_expense": "513",
    "intangible": "161",
    "fixed_assets": "151",
    "fixed_depreciation": "152",
    "inventory": "121",
    "biological": "132",
    "biological_depreciation": "133",
    "alloc_reserve": "3220101",
    "alloc_patronage": "3220102",
    "alloc_dividend": "3220102",
    "alloc_capital": "3220103",
}

# code → chart facts. "kinds": the cooperative kinds that keep this chart. "quantifies_reserve": the
# reserve belongs to members share by share (law Arts. 42–43), so it is kept per member and ties out
# against the member accounts; a collective economic organisation keeps its reserve undivided.
CHARTS = {
    COOP: {
        "name": "农民专业合作社会计科目（2023）",
        "standard": "财会〔2021〕37号《农民专业合作社会计制度》",
        "kinds": ["farmer", "federation", "township_federation"],
        "surplus_code": "331",
        "distribution_code": "332",
        "allocation_code": "33201",
        "undistributed_code": "33202",
        "cash_code": "101",
        "bank_code": "102",
        "roles": COOP_ROLES,
        "quantifies_reserve": True,
        # the lines the tie-out compares: assets = liabilities + equity, and the undistributed
        # surplus at the year end on 01表 (line 40), 02表 (line 20) and 03表 (line 20)
        "agree": {"assets": 22, "claims": 42, "undistributed": 40, "surplus_end": 20, "equity_end": 20},
        "accounts": COOP_ACCOUNTS,
        "statements": COOP_STATEMENTS,
    },
    COLLECTIVE: {
        "name": "农村集体经济组织会计科目（2024）",
        "standard": "财会〔2023〕14号《农村集体经济组织会计制度》",
        "kinds": ["joint_stock"],
        "surplus_code": "321",
        "distribution_code": "322",
        "allocation_code": "32201",
        "undistributed_code": "32202",
        "cash_code": "101",
        "bank_code": "102",
        "roles": COLLECTIVE_ROLES,
        "quantifies_reserve": False,
        "agree": {"assets": 23, "claims": 39, "undistributed": 37, "surplus_end": 20},
        "accounts": COLLECTIVE_ACCOUNTS,
        "statements": COLLECTIVE_STATEMENTS,
    },
}


def parent_code(code: str) -> str | None:
    """101 → None; 10201 → 102; 3320101 → 33201 (three digits, then two per level)."""
    return code[:-2] if len(code) > 3 else None


def account_level(code: str) -> int:
    return 1 + (len(code) - 3) // 2


def ensure_chart_templates(template_model=None, account_model=None, statement_model=None, line_model=None) -> None:
    """Create or refresh the shipped charts and their statement layouts (idempotent).

    Called by the data migration (with historical models) and on demand by the service that opens
    a cooperative's books, so a flushed test database gets them back.
    """
    if template_model is None:
        from finance.models import ChartTemplate as template_model
        from finance.models import StatementLineTemplate as line_model
        from finance.models import StatementTemplate as statement_model
        from finance.models import TemplateAccount as account_model
    # a migration passes the model as it was then: only the fields it had
    known = {f.name for f in template_model._meta.get_fields()}
    for code, chart in CHARTS.items():
        fields = {k: v for k, v in chart.items() if k not in ("accounts", "statements", "agree") and k in known}
        template, _ = template_model.objects.update_or_create(code=code, defaults=fields)
        wanted = set()
        for order, (acode, name, category, side, flags) in enumerate(chart["accounts"]):
            wanted.add(acode)
            account_model.objects.update_or_create(
                template=template,
                code=acode,
                defaults={
                    "name": name,
                    "category": category,
                    "balance_side": side,
                    "is_cash": "c" in flags,
                    "tracks_members": "m" in flags,
                    "is_optional": "o" in flags,
                    "order": order,
                },
            )
        account_model.objects.filter(template=template).exclude(code__in=wanted).delete()
        for sorder, (key, title, form_no, basis, columns, lines) in enumerate(chart["statements"]):
            statement, _ = statement_model.objects.update_or_create(
                template=template,
                key=key,
                defaults={
                    "title": title,
                    "form_no": form_no,
                    "basis": basis,
                    "columns": [{"key": k, "label": label} for k, label in columns],
                    "order": sorder,
                },
            )
            statement.lines.all().delete()
            rows = []
            for lorder, line in enumerate(lines):
                if basis == StatementBasis.MATRIX:
                    number, label, cells, style = line
                    side, formula = "", ""
                else:
                    number, label, side, formula, style = line
                    cells = {}
                rows.append(
                    line_model(
                        statement=statement,
                        order=lorder,
                        number=number,
                        label=label,
                        side=side,
                        formula=formula,
                        cells=cells,
                        style=style,
                    )
                )
            line_model.objects.bulk_create(rows)
