"""The asset register and its monthly depreciation, posted when a month closes.

Worked by hand:

* the cold store (冷库): bought on credit on 15 January 2026 for 120,000.00 (Dr 151 / Cr 211), ten
  years (120 months), residual value 5%: depreciable 120,000.00 × 95% = 114,000.00, a month
  114,000.00 ÷ 120 = 950.00, from February. Closing January books nothing; closing February books
  Dr 523 管理费用 950.00 / Cr 152 累计折旧 950.00, and 01表 shows 固定资产原值 120,000.00, 累计折旧
  950.00, 固定资产净值 119,050.00. Closing March: 1,900.00 in all, 净值 118,100.00.
* a herd of 16 breeding cattle (产畜), 48,000.00, five years (60 months), residual 10%: 43,200.00
  ÷ 60 = 720.00 a month from April (the herd first calved in March), charged to 401 生产成本: closing
  April books Dr 401 720.00 / Cr 143 生产性生物资产累计折旧 720.00.
* a sprayer of 1,000.00, three months, no residual value: 333.33, 333.33, then the rest 333.34,
  then nothing (fully depreciated).
* an asset taken over with the books, 10,000.00 over 10 months with 5% residual (950.00 a month),
  8 months and 7,600.00 already depreciated: 950.00 in its ninth month, the last 950.00 in its tenth.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from core.exceptions import BusinessError
from finance.models import DepreciationEntry, FixedAsset, Voucher
from finance.selectors.ledgers import resolve_range
from finance.selectors.statements import statement
from finance.services.assets import AssetInput, asset_register, depreciation_post
from tests.finance.factories import account, balance, close_months, period, voucher

pytestmark = pytest.mark.django_db
D = Decimal


def _card(acc, books, **changes) -> FixedAsset:
    data = {
        "number": "GD-001",
        "name": "冷库",
        "kind": "fixed",
        "category": "buildings",
        "source": "purchased",
        "acquired_on": datetime.date(2026, 1, 15),
        "original_value": D("120000.00"),
        "useful_life_months": 120,
        "residual_rate": D("5.00"),
    }
    data.update(changes)
    return asset_register(actor=acc, cooperative=books, data=AssetInput(**data))


def _depreciation(books, month: int) -> Voucher | None:
    return Voucher.objects.filter(period=period(books, 2026, month), kind="depreciation").first()


def test_the_cold_store_depreciates_950_a_month_from_the_month_after_purchase(books, acc):
    voucher(acc, books, datetime.date(2026, 1, 15), "赊购冷库", ("151", "120000.00", 0), ("211", 0, "120000.00"))
    store = _card(acc, books)
    assert (store.depreciable, store.monthly, store.depreciation_from) == (
        D("114000.00"),
        D("950.00"),
        datetime.date(2026, 2, 1),
    )
    close_months(acc, books, 2026, 1)
    assert _depreciation(books, 1) is None

    close_months(acc, books, 2026, 2)
    booked = _depreciation(books, 2)
    lines = {(line.account.code, line.debit, line.credit) for line in booked.lines.select_related("account")}
    assert lines == {("523", D("950.00"), D("0.00")), ("152", D("0.00"), D("950.00"))}
    assert booked.is_posted and booked.summary == "计提2026年2月折旧"
    bs = statement(books, "balance_sheet", resolve_range(books, year=2026, period_to=2))
    assert (bs.value(10), bs.value(11), bs.value(12)) == (D("120000.00"), D("950.00"), D("119050.00"))
    # the depreciation is an expense of February, transferred to 本年盈余 by the same close
    assert balance(books, "523", month=2) == 0

    close_months(acc, books, 2026, 3)
    assert balance(books, "152", month=3) == D("-1900.00")
    bs = statement(books, "balance_sheet", resolve_range(books, year=2026, period_to=3))
    assert bs.value(12) == D("118100.00")
    assert DepreciationEntry.objects.filter(asset=store).count() == 2


def test_a_cattle_herd_is_a_productive_biological_asset_charged_to_production_cost(books, acc):
    herd = _card(
        acc,
        books,
        number="SW-001",
        name="基础母牛16头",
        kind="biological",
        category="livestock",
        acquired_on=datetime.date(2026, 1, 20),
        depreciation_from=datetime.date(2026, 4, 1),  # first calved in March
        original_value=D("48000.00"),
        useful_life_months=60,
        residual_rate=D("10.00"),
        expense_account=account(books, "401"),
    )
    assert herd.monthly == D("720.00")
    close_months(acc, books, 2026, 1, 2, 3)
    assert not Voucher.objects.filter(cooperative=books, kind="depreciation").exists()
    close_months(acc, books, 2026, 4)
    lines = {(line.account.code, line.debit, line.credit) for line in _depreciation(books, 4).lines.all()}
    assert lines == {("401", D("720.00"), D("0.00")), ("143", D("0.00"), D("720.00"))}
    bs = statement(books, "balance_sheet", resolve_range(books, year=2026, period_to=4))
    assert bs.value(8) == D("720.00")  # 减：生产性生物资产累计折旧


def test_the_last_month_takes_the_rest_and_a_depreciated_asset_stops(books, acc):
    _card(
        acc,
        books,
        number="GD-002",
        name="喷雾机",
        category="machinery",
        acquired_on=datetime.date(2025, 12, 10),
        original_value=D("1000.00"),
        useful_life_months=3,
        residual_rate=D("0"),
    )
    close_months(acc, books, 2026, 1, 2, 3, 4)
    amounts = [_depreciation(books, m).total_debit for m in (1, 2, 3)]
    assert amounts == [D("333.33"), D("333.33"), D("333.34")]
    assert sum(amounts) == D("1000.00")
    assert _depreciation(books, 4) is None


def test_an_asset_taken_over_with_the_books_finishes_its_life(books, acc):
    _card(
        acc,
        books,
        number="GD-003",
        name="旧仓库",
        acquired_on=datetime.date(2025, 4, 1),
        depreciation_from=datetime.date(2025, 5, 1),
        original_value=D("10000.00"),
        useful_life_months=10,
        opening_depreciation=D("7600.00"),
        opening_months=8,
    )
    close_months(acc, books, 2026, 1, 2, 3)
    assert [_depreciation(books, m) and _depreciation(books, m).total_debit for m in (1, 2, 3)] == [
        D("950.00"),
        D("950.00"),
        None,
    ]


def test_depreciation_is_booked_once_a_month(books, acc):
    _card(acc, books, acquired_on=datetime.date(2025, 12, 1))
    january = period(books, 2026, 1)
    assert depreciation_post(actor=acc, period=january) is not None
    assert depreciation_post(actor=acc, period=january) is None
    close_months(acc, books, 2026, 1)
    assert Voucher.objects.filter(period=january, kind="depreciation").count() == 1


def test_a_card_is_refused_with_a_clear_reason(books, acc):
    with translation.override("zh-hans"):
        with pytest.raises(BusinessError) as wrong_account:
            _card(acc, books, expense_account=account(books, "101"))
        assert wrong_account.value.field == "expense_account"
        with pytest.raises(BusinessError) as too_early:
            _card(acc, books, depreciation_from=datetime.date(2026, 1, 1))
        assert too_early.value.code == "depreciation_from"
        _card(acc, books)
        with pytest.raises(BusinessError) as taken:
            _card(acc, books)
        assert taken.value.code == "number_taken" and "GD-001" in taken.value.message


def test_the_close_page_names_the_depreciation_first(books, acc, client):
    _card(acc, books, acquired_on=datetime.date(2025, 12, 1))
    client.force_login(acc)
    with translation.override("zh-hans"):
        page = client.get(f"/finance/periods/{period(books, 2026, 1).pk}/close/").content.decode()
    assert "计提本月固定资产" in page and "950.00" in page


def test_the_accountant_registers_a_subsidised_asset_on_the_page(books, acc, client, township):
    client.force_login(acc)
    with translation.override("zh-hans"):
        form = client.get(f"/finance/cooperatives/{books.pk}/assets/new/").content.decode()
        assert "新增资产卡片" in form and "523 管理费用" in form
        response = client.post(
            f"/finance/cooperatives/{books.pk}/assets/new/",
            {
                "number": "GD-001",
                "name": "冷库",
                "kind": "fixed",
                "category": "buildings",
                "source": "subsidy",
                "acquired_on": "2026-01-15",
                "original_value": "120000.00",
                "useful_life_months": "120",
                "residual_rate": "5",
                "expense_account": account(books, "523").pk,
            },
            follow=True,
        )
        page = response.content.decode()
    assert response.status_code == 200, page
    assert "冷库" in page and "950.00" in page and "国家财政直接补助" in page and "2026-02" in page
    with translation.override("zh-hans"):
        listing = client.get(f"/finance/assets/?cooperative={books.pk}").content.decode()
    assert "GD-001" in listing and "120,000.00" in listing
    # the township reads the register of its villages but enters nothing
    client.force_login(township)
    assert client.get(f"/finance/assets/?cooperative={books.pk}").status_code == 200
    assert client.get(f"/finance/cooperatives/{books.pk}/assets/new/").status_code == 403
