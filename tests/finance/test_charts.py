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
