"""The printed voucher (记账凭证): its total in Chinese capitals and the signature row of the form
(会计主管、记账、审核、出纳、制单), shown in print only."""

import datetime
import re

import pytest
from django.utils import translation

from tests.finance.factories import voucher

pytestmark = pytest.mark.django_db


def test_the_voucher_prints_its_capitals_and_signature_row(client, books, acc):
    # 3,560.00 of apples sold for cash: 叁仟伍佰陆拾元整 (worked by hand)
    sale = voucher(acc, books, datetime.date(2026, 3, 5), "销售苹果", ("101", "3560.00", 0), ("501", 0, "3560.00"))
    client.force_login(acc)
    with translation.override("zh-hans"):
        page = re.sub(r"\s+", " ", client.get(sale.get_absolute_url()).content.decode())
    assert '<td colspan="5" data-capitals>叁仟伍佰陆拾元整</td>' in page
    row = re.search(r'<div class="d-none d-print-flex[^"]*" data-signatures>(.*?)</div>', page).group(1)
    labels = re.findall(r"<span>([^<：]+)：", row)
    assert labels == ["会计主管", "记账", "审核", "出纳", "制单"]
    assert str(acc) in row  # 制单: who entered it


def test_a_months_vouchers_print_at_once_in_number_order(client, world, books, acc, django_assert_max_num_queries):
    from finance.models import Period
    from tests.conftest import fresh

    march = [datetime.date(2026, 3, d) for d in (2, 9, 16)]
    sales = [
        voucher(acc, books, day, f"销售苹果{i}", ("101", amount, 0), ("501", 0, amount))
        for i, (day, amount) in enumerate(zip(march, ("3560.00", "100.07", "1680.32"), strict=True), start=1)
    ]
    voucher(acc, books, march[0], "草稿不打印", ("101", "5.00", 0), ("501", 0, "5.00"), post=False)
    period = Period.objects.get(pk=sales[0].period_id)
    client.force_login(acc)
    with translation.override("zh-hans"), django_assert_max_num_queries(20):
        page = re.sub(r"\s+", " ", client.get(f"/finance/periods/{period.pk}/vouchers/print/").content.decode())
    printed = re.findall(r'data-voucher="(\d+)"', page)
    assert printed == [str(v.pk) for v in sorted(sales, key=lambda v: v.number)]
    assert "草稿不打印" not in page
    # each with its capitals, worked by hand
    for capitals in ("叁仟伍佰陆拾元整", "壹佰元零柒分", "壹仟陆佰捌拾元零叁角贰分"):
        assert capitals in page
    assert "已记账凭证3张，每张一页" in page
    # the month page links to it; another village's accountant finds nothing there
    assert (
        f"/finance/periods/{period.pk}/vouchers/print/" in client.get(f"/finance/periods/{period.pk}/").content.decode()
    )
    client.force_login(fresh(world.acc_v12))
    assert client.get(f"/finance/periods/{period.pk}/vouchers/print/").status_code == 404
