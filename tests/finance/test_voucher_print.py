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
