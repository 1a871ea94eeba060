"""Member accounts (law Art. 43), patronage amounts for the dividends app, collective income."""

import datetime
from decimal import Decimal

import pytest

from core.exceptions import BusinessError, StateConflict
from finance.models import FiscalYear
from finance.selectors.collective import collective_income_by_village
from finance.selectors.members import member_account, patronage_amounts
from finance.services.collective import collective_income_record
from finance.services.members import member_account_entry_create, patronage_create, shares_quantify
from tests.factories import CooperativeFactory
from tests.finance.factories import MemberFactory

D = Decimal


@pytest.fixture
def members(books):
    return [MemberFactory(cooperative=books, name=n) for n in ("甲", "乙", "丙")]


def test_patronage_amounts_per_member_and_year(books, acc, members):
    a, b, _c = members
    for member, day, qty, amount in [(a, 5, "100", "300.00"), (a, 20, "50", "150.50"), (b, 7, "80", "240.00")]:
        patronage_create(actor=acc, member=member, date=datetime.date(2026, 1, day), product="苹果",
                         quantity=D(qty), amount=D(amount))  # fmt: skip
    patronage_create(actor=acc, member=b, date=datetime.date(2025, 12, 30), product="苹果", quantity=1, amount=D("9"))
    # 甲 300.00 + 150.50 = 450.50; 乙 240.00 (the 2025 delivery is another year)
    assert patronage_amounts(books, 2026) == {a.pk: D("450.50"), b.pk: D("240.00")}
    account = member_account(a, 2026)
    assert account["closing"]["amt:苹果"] == D("450.50") and account["closing"]["qty:苹果"] == D("150")
    assert [r["date"].day for r in account["rows"]] == [5, 20]


def test_quantified_shares_add_up_to_the_fen(books, acc, members):
    from tests.finance.factories import voucher

    # a donation of 100.00 in cash (Dr 101 / Cr 31102 他人捐赠), quantified equally over the three
    # members: 33.34 + 33.33 + 33.33 (largest remainder); no more than the fund can be quantified
    voucher(acc, books, datetime.date(2026, 6, 20), "收到捐款", ("101", "100.00", 0), ("31102", 0, "100.00"))
    with pytest.raises(BusinessError) as err:
        shares_quantify(actor=acc, cooperative=books, kind="donation_share", amount="100.01",
                        date=datetime.date(2026, 6, 30))  # fmt: skip
    assert err.value.code == "more_than_unquantified" and "100.00" in err.value.message
    entries = shares_quantify(actor=acc, cooperative=books, kind="donation_share", amount="100.00",
                              date=datetime.date(2026, 6, 30))  # fmt: skip
    assert sorted(e.amount for e in entries) == [D("33.33"), D("33.33"), D("33.34")]
    member_account_entry_create(actor=acc, member=members[0], kind="patronage_refund", amount="88.00",
                                date=datetime.date(2026, 12, 31))  # fmt: skip
    account = member_account(members[0], 2026)
    assert account["closing"]["donation_share"] == D("33.34") and account["closing"]["patronage_refund"] == D("88.00")
    # next year the quantified share is carried as the opening balance, the refund is not
    following = member_account(members[0], 2027)
    assert following["opening"]["donation_share"] == D("33.34")
    assert following["closing"]["patronage_refund"] == 0


def test_transactions_of_a_closed_year_do_not_change(books, acc, members):
    FiscalYear.objects.filter(cooperative=books, year=2026).update(status="closed", closed_at="2027-01-05T00:00Z")
    with pytest.raises(StateConflict):
        patronage_create(actor=acc, member=members[0], date=datetime.date(2026, 5, 1), product="苹果",
                         quantity=1, amount=D("3"))  # fmt: skip


def test_collective_income_per_village_and_year(world, books, acc):
    other = CooperativeFactory(village=world.v12)
    collective_income_record(actor=acc, village=world.v11, cooperative=books, received_on=datetime.date(2026, 12, 31),
                             amount=D("30000"))  # fmt: skip
    collective_income_record(actor=acc, village=world.v11, received_on=datetime.date(2026, 6, 1), amount=D("5000"),
                             source="rent")  # fmt: skip
    from tests.conftest import fresh

    collective_income_record(actor=fresh(world.acc_v12), village=world.v12, cooperative=other,
                             received_on=datetime.date(2026, 3, 1), amount=D("1000"))  # fmt: skip
    rows = collective_income_by_village(fresh(world.twp_t1), years=[2026])
    assert [(r["village__name"], r["total"]) for r in rows] == [("东安村", D("35000")), ("西岭村", D("1000"))]
    assert [r["total"] for r in collective_income_by_village(fresh(world.acc_v12))] == [D("1000")]
