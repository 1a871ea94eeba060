"""Charts of accounts as data: the standard's codes and names, per-cooperative accounts, sub-accounts."""

import pytest

from core.exceptions import BusinessError, StateConflict
from finance import formulas
from finance.charts import CHARTS, COLLECTIVE, COOP, ensure_chart_templates
from finance.models import Account, ChartTemplate, CooperativeBooks, StatementLineTemplate, TemplateAccount
from finance.services.books import account_create, account_update, pinyin_initials
from tests.factories import CooperativeFactory
from tests.finance.factories import account, open_books, voucher


def test_shipped_charts_match_the_standards(db):
    # DOMAIN.md §3.2: 48 accounts plus the optional 109 and 122; §4.2: 42 accounts
    coop = ChartTemplate.objects.get(code=COOP)
    level1 = coop.accounts.filter(code__regex=r"^\d{3}$")
    assert level1.filter(is_optional=False).count() == 48
    assert set(level1.filter(is_optional=True).values_list("code", flat=True)) == {"109", "122"}
    collective = ChartTemplate.objects.get(code=COLLECTIVE)
    assert collective.accounts.filter(code__regex=r"^\d{3}$").count() == 42
    names = dict(coop.accounts.values_list("code", "name"))
    assert names["114"] == "成员往来" and names["331"] == "本年盈余" and names["523"] == "管理费用"
    assert names["522"] == "税金及附加"  # the 2023 code, not the 2007 one (管理费用)
    assert dict(collective.accounts.values_list("code", "name"))["321"] == "本年收益"
    assert coop.accounts.get(code="143").balance_side == "credit"
    assert set(coop.accounts.filter(is_cash=True).values_list("code", flat=True)) == {"101", "102", "109"}


def test_every_statement_formula_parses_and_templates_come_back_after_a_flush(db):
    for line in StatementLineTemplate.objects.all():
        formulas.parse(line.formula)
        for formula in line.cells.values():
            formulas.parse(formula)
    TemplateAccount.objects.all().delete()
    ChartTemplate.objects.all().delete()
    ensure_chart_templates()
    assert ChartTemplate.objects.count() == len(CHARTS)


def test_formula_language_refuses_typos():
    assert formulas.parse("bal(113)+baldr(114)")[1].fn == "baldr"
    assert formulas.parse("cr(301|!dr321,dr322)")[0].condition.negate
    for bad in ("bal(113)baldr(114)", "sum(101)", "bal(1x)", "bal(101|dr321)"):
        with pytest.raises(formulas.FormulaError):
            formulas.parse(bad)


def test_books_follow_the_cooperative_kind(world, acc):
    farmer = open_books(acc, CooperativeFactory(village=world.v11), 2026)
    joint = open_books(acc, CooperativeFactory(village=world.v11, kind="joint_stock"), 2026)
    assert CooperativeBooks.objects.get(cooperative=farmer).chart.code == COOP
    assert CooperativeBooks.objects.get(cooperative=joint).chart.code == COLLECTIVE
    assert account(joint, "321").name == "本年收益"
    assert Account.objects.filter(cooperative=farmer, code__regex=r"^\d{3}$").count() == 50
    # 332 has the standard's sub-accounts, so it takes no postings itself
    assert not account(farmer, "332").is_leaf and account(farmer, "3320101").is_leaf
    assert account(farmer, "3320101").parent == account(farmer, "33201")


def test_pinyin_initials():
    assert pinyin_initials("库存现金") == "KCXJ"
    assert pinyin_initials("银行存款") == "YHCK"
    assert pinyin_initials("生产（劳务）成本") == "SCLWCB"


def test_sub_accounts(books, acc):
    bank = account(books, "102")
    sub = account_create(actor=acc, parent=bank, code="10201", name="沂水农商银行")
    bank.refresh_from_db()
    assert not bank.is_leaf and sub.is_cash and sub.pinyin == "YSNSYH" and sub.level == 2
    with pytest.raises(BusinessError) as err:
        account_create(actor=acc, parent=bank, code="1031", name="错")
    assert err.value.code == "invalid_code"
    with pytest.raises(BusinessError) as err:
        account_create(actor=acc, parent=bank, code="10201", name="重复")
    assert err.value.code == "code_taken"
    # 113 has entries: it cannot get sub-accounts any more
    voucher(acc, books, "2026-01-05", "应收", ("113", "10", 0), ("501", 0, "10"))
    with pytest.raises(StateConflict):
        account_create(actor=acc, parent=account(books, "113"), code="11301", name="甲")
    with pytest.raises(BusinessError) as err:
        account_update(actor=acc, account=account(books, "101"), name="现金")
    assert err.value.code == "standard_name"


def test_account_search_by_code_pinyin_or_name(books, acc, login, world):
    client = login(world.acc_v11)
    url = "/finance/accounts/search/"
    found = client.get(url, {"cooperative": books.pk, "q": "kcxj"}).json()["results"]
    assert [r["code"] for r in found] == ["101"]
    assert [r["code"] for r in client.get(url, {"cooperative": books.pk, "q": "52"}).json()["results"]] == [
        "521",
        "522",
        "523",
        "524",
        "529",
    ]
    assert client.get(url, {"cooperative": books.pk, "q": "银行"}).json()["results"][0]["code"] == "102"
    # another village's accountant finds nothing of 东安村
    assert login(world.acc_v12).get(url, {"cooperative": books.pk, "q": "1"}).json()["results"] == []


def test_village_collective_books_close_to_321_and_322(world, acc):
    """A joint-stock economic cooperative keeps the 2024 village collective chart: its month close
    transfers to 321 本年收益 and its year close to 322 收益分配—未分配收益 (the same services, other data).

    Opening: 101 10,000 Dr / 301 资本 10,000 Cr. January: 经营收入 501 3,000 in cash, 管理费用 513 500 in
    cash (the chair approves). 净收益 = 3,000 − 500 = 2,500; cash 12,500 = 资产总计 = 资本 10,000 +
    未分配收益 2,500."""
    import datetime

    from finance.models import FiscalYear
    from finance.selectors.ledgers import resolve_range
    from finance.selectors.statements import statement
    from finance.services.closing import fiscal_year_close
    from tests.conftest import fresh
    from tests.finance.factories import D, balance, book, close_months, opening

    coop = open_books(acc, CooperativeFactory(village=world.v11, kind="joint_stock"), 2026)
    opening(acc, coop, 2026, ("101", "10000", 0), ("301", 0, "10000"))
    book(acc, coop, datetime.date(2026, 1, 5), "发包收入", ("101", "3000", 0), ("501", 0, "3000"))
    book(
        acc,
        coop,
        datetime.date(2026, 1, 9),
        "办公费",
        ("513", "500", 0),
        ("101", 0, "500"),
        chair=fresh(world.chair_v11),
    )
    close_months(acc, coop, 2026, 1)
    assert balance(coop, "321", month=1) == D("-2500")
    rng = resolve_range(coop, year=2026, period_to=1)
    income = statement(coop, "surplus", rng)
    assert income.title == "收益及收益分配表" and income.value(13) == D("2500") and income.value(20) == D("2500")
    bs = statement(coop, "balance_sheet", rng)
    assert bs.value(23) == bs.value(39) == D("12500") and bs.value(37) == D("2500")
    close_months(acc, coop, 2026, *range(2, 13))
    fiscal_year_close(actor=acc, fiscal_year=FiscalYear.objects.get(cooperative=coop, year=2026))
    assert balance(coop, "321") == 0 and balance(coop, "32202") == D("-2500")
