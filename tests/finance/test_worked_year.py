"""A worked year: opening balances, 25 vouchers, twelve month closes and the year close, checked
against the balance sheet (会农社01表), the surplus statement (会农社02表) and the equity
statement (会农社03表) worked out by hand below."""

import datetime

import pytest

from core.exceptions import StateConflict
from finance.models import FiscalYear, OpeningBalance, Voucher
from finance.selectors.ledgers import resolve_range, trial_balance
from finance.selectors.statements import statement
from finance.services.closing import fiscal_year_close
from finance.services.vouchers import voucher_reverse
from tests.finance.factories import D, MemberFactory, account, balance, book, close_months, opening, voucher

# Opening balances, 1 January 2026 (debit 357,000.00 = credit 357,000.00):
#   101 库存现金 5,000 Dr · 10201 银行 120,000 Dr · 114 成员往来 甲 2,000 Dr / 乙 3,000 Cr ·
#   121 产品物资 30,000 Dr · 151 固定资产 200,000 Dr · 152 累计折旧 40,000 Cr · 211 应付款 14,000 Cr ·
#   301 股金 250,000 Cr · 322 盈余公积 10,000 Cr · 33202 未分配盈余 40,000 Cr
#
# The year (payments from cash or bank are approved: the chair below 10,000, the township above):
#  1 01-10 Dr 10201 / Cr 501 50,000 sale          14 08-31 Dr 521 / Cr 121 10,000 cost
#  2 01-15 Dr 121 / Cr 211 8,000 fertiliser      15 09-05 Dr 522 / Cr 10201 600 tax
#  3 01-31 Dr 521 / Cr 121 20,000 cost            16 09-20 Dr 529 / Cr 101 1,000 donation
#  4 02-05 Dr 523 / Cr 101 3,000 wages            17 10-10 Dr 10201 / Cr 511 2,500 federation return
#  5 02-20 Dr 524 / Cr 10201 50 bank charge       18 10-25 Dr 114乙 / Cr 101 1,000 paid to member 乙
#  6 03-10 Dr 211 / Cr 10201 8,000 supplier       19 11-15 Dr 523 / Cr 10201 3,000 wages
#  7 03-25 Dr 101 / Cr 114甲 1,500 member 甲 pays 20 12-05 Dr 101 / Cr 501 999 (wrong) and its
#  8 04-10 Dr 10201 / Cr 501 30,000 sale          21 12-06 red-ink reversal
#  9 04-30 Dr 521 / Cr 121 12,000 cost            22 12-10 Dr 531 / Cr 214 500 income tax
# 10 05-15 Dr 101 / Cr 502 1,500 rent income      23 12-20 Dr 3320101 / Cr 322 5,000 reserve
# 11 06-30 Dr 523 / Cr 152 4,000 depreciation     24 12-22 Dr 3320102 / Cr 221 20,000 refund payable
# 12 07-08 Dr 121 / Cr 10201 6,000 packaging      25 07-20 Dr 151 / Cr 10201 15,000 machine (township)
# 13 08-12 Dr 10201 / Cr 501 40,000 sale
#
# Year-end balances:
#   101 = 5,000 − 3,000 + 1,500 + 1,500 − 1,000 − 1,000 = 3,000
#   10201 = 120,000 + 50,000 − 50 − 8,000 + 30,000 − 6,000 − 15,000 + 40,000 − 600 + 2,500 − 3,000 = 209,850
#   114 甲 = 2,000 − 1,500 = 500 Dr;  114 乙 = −3,000 + 1,000 = 2,000 Cr
#   121 = 30,000 + 8,000 − 20,000 − 12,000 + 6,000 − 10,000 = 2,000
#   151 = 215,000; 152 = 44,000 Cr; 211 = 14,000 Cr; 214 = 500 Cr; 221 = 20,000 Cr
#   301 = 250,000 Cr; 322 = 10,000 + 5,000 = 15,000 Cr
# Surplus (§3.4):
#   经营收入 501 = 50,000 + 30,000 + 40,000 (+999 − 999) = 120,000; 投资收益 511 = 2,500
#   经营支出 521 = 42,000; 税金及附加 522 = 600; 管理费用 523 = 10,000; 财务费用 524 = 50
#   经营收益 = 120,000 + 2,500 − 42,000 − 600 − 10,000 − 50 = 69,850
#   盈余总额 = 69,850 + 1,500 (502) − 1,000 (529) = 70,350;  本年盈余 = 70,350 − 500 (531) = 69,850
#   可分配盈余 = 69,850 + 40,000 − 5,000 = 104,850;  年末未分配盈余 = 104,850 − 20,000 = 84,850
# Balance sheet at 31 December:
#   货币资金 212,850 + 应收款项 500 + 存货 2,000 = 流动资产 215,350; 固定资产 215,000 − 44,000 = 171,000
#   资产总计 386,350
#   应付款项 14,000 + 2,000 (乙's credit balance) = 16,000; 应交税费 500; 应付盈余返还 20,000 → 负债 36,500
#   股金 250,000 + 盈余公积 15,000 + 未分配盈余 84,850 = 权益 349,850; 总计 386,350
# 年初余额 column: 货币资金 125,000; 应收款项 2,000; 存货 30,000; 固定资产净值 160,000; 资产总计 317,000;
#   应付款项 17,000; 股金 250,000; 盈余公积 10,000; 未分配盈余 40,000; 总计 317,000


def d(month, day):
    return datetime.date(2026, month, day)


@pytest.fixture
def year(books, acc, chair, township):
    coop = books
    a, b = MemberFactory(cooperative=coop, name="甲"), MemberFactory(cooperative=coop, name="乙")
    account_create_bank(acc, coop)
    opening(
        acc, coop, 2026,
        ("101", "5000", 0), ("10201", "120000", 0),
        ("114", "2000", 0, {"member": a}), ("114", 0, "3000", {"member": b}),
        ("121", "30000", 0), ("151", "200000", 0), ("152", 0, "40000"), ("211", 0, "14000"), ("301", 0, "250000"),
        ("322", 0, "10000"), ("33202", 0, "40000"),
    )  # fmt: skip

    def bk(date, summary, *rows):
        return book(acc, coop, date, summary, *rows, chair=chair, township=township)

    bk(d(1, 10), "销售苹果", ("10201", "50000", 0), ("501", 0, "50000"))
    bk(d(1, 15), "赊购化肥", ("121", "8000", 0), ("211", 0, "8000"))
    bk(d(1, 31), "结转销售成本", ("521", "20000", 0), ("121", 0, "20000"))
    close_months(acc, coop, 2026, 1)
    bk(d(2, 5), "发放工资", ("523", "3000", 0), ("101", 0, "3000"))
    bk(d(2, 20), "银行手续费", ("524", "50", 0), ("10201", 0, "50"))
    close_months(acc, coop, 2026, 2)
    bk(d(3, 10), "支付化肥款", ("211", "8000", 0), ("10201", 0, "8000"))
    bk(d(3, 25), "甲还款", ("101", "1500", 0), ("114", 0, "1500", {"member": a}))
    bk(d(4, 10), "销售苹果", ("10201", "30000", 0), ("501", 0, "30000"))
    bk(d(4, 30), "结转销售成本", ("521", "12000", 0), ("121", 0, "12000"))
    bk(d(5, 15), "冷库出租收入", ("101", "1500", 0), ("502", 0, "1500"))
    bk(d(6, 30), "计提折旧", ("523", "4000", 0), ("152", 0, "4000"))
    close_months(acc, coop, 2026, 3, 4, 5, 6)
    bk(d(7, 8), "购买包装物料", ("121", "6000", 0), ("10201", 0, "6000"))
    bk(d(7, 20), "购买分选机", ("151", "15000", 0), ("10201", 0, "15000"))
    bk(d(8, 12), "销售苹果", ("10201", "40000", 0), ("501", 0, "40000"))
    bk(d(8, 31), "结转销售成本", ("521", "10000", 0), ("121", 0, "10000"))
    bk(d(9, 5), "缴纳税费", ("522", "600", 0), ("10201", 0, "600"))
    bk(d(9, 20), "捐助村文艺活动", ("529", "1000", 0), ("101", 0, "1000"))
    bk(d(10, 10), "联合社盈余返还", ("10201", "2500", 0), ("511", 0, "2500"))
    bk(d(10, 25), "支付乙代销款", ("114", "1000", 0, {"member": b}), ("101", 0, "1000"))
    bk(d(11, 15), "发放工资", ("523", "3000", 0), ("10201", 0, "3000"))
    close_months(acc, coop, 2026, 7, 8, 9, 10, 11)
    wrong = bk(d(12, 5), "零售苹果（误记）", ("101", "999", 0), ("501", 0, "999"))
    voucher_reverse(actor=acc, voucher=wrong, date=d(12, 6))
    bk(d(12, 10), "计提所得税", ("531", "500", 0), ("214", 0, "500"))
    # the reserve and the refund are kept per member (甲 3,000 + 乙 2,000; 甲 12,000 + 乙 8,000)
    bk(
        d(12, 20),
        "提取盈余公积",
        ("3320101", "5000", 0),
        ("322", 0, "3000", {"member": a}),
        ("322", 0, "2000", {"member": b}),
    )
    bk(
        d(12, 22),
        "盈余返还",
        ("3320102", "20000", 0),
        ("221", 0, "12000", {"member": a}),
        ("221", 0, "8000", {"member": b}),
    )
    close_months(acc, coop, 2026, 12)
    fiscal_year_close(actor=acc, fiscal_year=FiscalYear.objects.get(cooperative=coop, year=2026))
    return coop, a, b


def account_create_bank(acc, coop):
    from finance.services.books import account_create

    account_create(actor=acc, parent=account(coop, "102"), code="10201", name="农商银行")


def test_worked_year(year):
    coop, a, b = year
    assert Voucher.objects.filter(cooperative=coop, kind__in=["manual", "reversal"]).count() == 25
    rng = resolve_range(coop, year=2026, period_from=1, period_to=12)

    bs = statement(coop, "balance_sheet", rng)
    closing = {n: bs.value(n, 0) for n in (1, 2, 3, 5, 10, 11, 12, 21, 22, 24, 27, 29, 31, 35, 36, 39, 40, 41, 42)}
    assert closing == {
        1: D("212850"), 2: D("500"), 3: D("2000"), 5: D("215350"), 10: D("215000"), 11: D("44000"),
        12: D("171000"), 21: D("171000"), 22: D("386350"), 24: D("16000"), 27: D("500"), 29: D("20000"),
        31: D("36500"), 35: D("36500"), 36: D("250000"), 39: D("15000"), 40: D("84850"), 41: D("349850"),
        42: D("386350"),
    }  # fmt: skip
    opening_column = {n: bs.value(n, 1) for n in (1, 2, 3, 12, 22, 24, 36, 39, 40, 42)}
    assert opening_column == {
        1: D("125000"), 2: D("2000"), 3: D("30000"), 12: D("160000"), 22: D("317000"), 24: D("17000"),
        36: D("250000"), 39: D("10000"), 40: D("40000"), 42: D("317000"),
    }  # fmt: skip
    assert bs.unmapped == []

    ss = statement(coop, "surplus", rng)
    assert {n: ss.value(n) for n in range(1, 21)} == {
        1: D("120000"), 2: D("2500"), 3: D("42000"), 4: D("600"), 5: D("10000"), 6: D("50"), 7: D("69850"),
        8: D("1500"), 9: D("1000"), 10: D("70350"), 11: D("500"), 12: D("69850"), 13: D("40000"), 14: D("0"),
        15: D("5000"), 16: D("104850"), 17: D("20000"), 18: D("0"), 19: D("0"), 20: D("84850"),
    }  # fmt: skip
    assert ss.value(1, 1) is None  # no 2025 books: 上年金额 stays empty

    # 会农社03表: 年初 300,000; 增加 股金 0, 盈余公积 5,000 (从盈余中提取), 未分配 69,850 (本年盈余);
    # 减少 未分配 5,000 + 20,000; 年末 股金 250,000, 盈余公积 15,000, 未分配 84,850, 合计 349,850
    eq = statement(coop, "equity_changes", rng)
    assert eq.line(1).values == [D("250000"), D("0"), D("0"), D("10000"), D("40000"), D("300000")]
    assert eq.line(10).values[3] == D("5000") and eq.line(11).values[4] == D("69850")
    assert eq.line(13).values[4] == D("25000")
    assert eq.line(20).values == [D("250000"), D("0"), D("0"), D("15000"), D("84850"), D("349850")]

    tb = trial_balance(rng)
    assert tb.is_balanced
    # the year-end transfer cleared 331 and 各项分配; P&L is nil after the closes
    assert balance(coop, "331") == 0 and balance(coop, "33201") == 0
    assert all(r.closing == 0 for r in tb.rows if r.account.code.startswith("5"))
    # member sub-ledger of 114 (成员往来)
    assert balance(coop, "114", member=a) == D("500") and balance(coop, "114", member=b) == D("-2000")

    # carried forward: 2027 opens with the 2026 closing balances, per member
    fy27 = FiscalYear.objects.get(cooperative=coop, year=2027)
    assert fy27.carried_from.year == 2026
    opening27 = {
        (o.account.code, o.member_id): o.amount
        for o in OpeningBalance.objects.filter(fiscal_year=fy27).select_related("account")
    }
    assert opening27[("33202", None)] == D("-84850") and opening27[("10201", None)] == D("209850")
    assert opening27[("114", a.pk)] == D("500") and opening27[("114", b.pk)] == D("-2000")
    assert sum(opening27.values()) == 0
    rng27 = resolve_range(coop, year=2027, period_to=1)
    assert statement(coop, "balance_sheet", rng27).value(42, 1) == D("386350")
    assert statement(coop, "surplus", rng27).value(13) == D("84850")  # 年初未分配盈余
    assert statement(coop, "surplus", rng27).value(12, 1) == D("69850")  # 上年金额


def test_month_close_transfers_profit_and_loss_and_lists_unposted(books, acc):
    coop = books
    voucher(acc, coop, d(1, 5), "销售", ("102", "50000", 0), ("501", 0, "50000"))
    voucher(acc, coop, d(1, 6), "成本", ("521", "20000", 0), ("121", 0, "20000"))
    draft = voucher(acc, coop, d(1, 7), "赊购化肥", ("121", "800", 0), ("211", 0, "800"), post=False)
    with pytest.raises(StateConflict) as err:
        close_months(acc, coop, 2026, 1)
    assert err.value.code == "unposted_vouchers" and "赊购化肥" in err.value.message
    assert err.value.params["vouchers"] == [draft.pk]
    with pytest.raises(StateConflict) as err:
        close_months(acc, coop, 2026, 2)
    assert err.value.code == "close_in_order"
    from finance.services.vouchers import voucher_post

    voucher_post(actor=acc, voucher=draft)
    close_months(acc, coop, 2026, 1)
    closing = Voucher.objects.get(cooperative=coop, kind="period_close")
    # Dr 501 50,000 / Cr 331 50,000 (income) and Dr 331 20,000 / Cr 521 20,000 (expenses): standard §3.3
    assert sorted(closing.lines.values_list("account__code", "debit", "credit")) == [
        ("331", D("0"), D("50000")), ("331", D("20000"), D("0")),
        ("501", D("50000"), D("0")), ("521", D("0"), D("20000")),
    ]  # fmt: skip
    assert closing.number == 4 and closing.date == d(1, 31)
    assert balance(coop, "331", month=1) == D("-30000") and balance(coop, "501", month=1) == 0
    # year close waits for December
    with pytest.raises(StateConflict) as err:
        fiscal_year_close(actor=acc, fiscal_year=FiscalYear.objects.get(cooperative=coop, year=2026))
    assert err.value.code == "months_open"
