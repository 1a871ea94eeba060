"""The audit trail reads as a page of the app: found in the menu, opened without typing a region
code, the region by name; and every export's times are the page's (Asia/Shanghai), not UTC."""

import datetime
from io import BytesIO

import pytest
from django.utils import translation
from openpyxl import load_workbook

from core.exports import xlsx_response

pytestmark = pytest.mark.django_db


def test_the_township_opens_its_audit_trail_from_the_menu(client, world):
    client.force_login(world.twp_t1)
    with translation.override("zh-hans"):
        home = client.get("/").content.decode()
        assert 'href="/audit/"' in home  # under 更多
        page = client.get("/audit/")
    assert page.status_code == 200
    assert '<small class="text-muted" data-region>许家湖镇</small>' in page.content.decode()
    # a village it does not audit stays out of reach, as before
    assert client.get("/audit/", {"region": world.v31.code}).status_code == 404
    client.force_login(world.acc_v11)
    assert 'href="/audit/"' not in client.get("/").content.decode()


def test_export_times_are_local_not_utc():
    # 00:30 UTC on 1 March is 08:30 in Shanghai, the time the page shows
    moment = datetime.datetime(2026, 3, 1, 0, 30, tzinfo=datetime.UTC)
    response = xlsx_response("t.xlsx", "表", ["时间"], [[moment]])
    sheet = load_workbook(BytesIO(response.content)).worksheets[0]
    values = [row[0] for row in sheet.iter_rows(values_only=True)]
    assert datetime.datetime(2026, 3, 1, 8, 30) in values


def test_changes_read_as_labels_not_stored_codes(client, world):
    """A cooperative deregistered reads 运营 → 注销 on the trail, not "operating → deregistered"."""
    from cooperatives.models import Cooperative
    from tests.factories import CooperativeFactory

    coop = CooperativeFactory(village=world.v11, status="operating")
    Cooperative.objects.filter(pk=coop.pk).update(status="deregistered")
    client.force_login(world.twp_t1)
    with translation.override("zh-hans"):
        page = client.get("/audit/", {"region": coop.region_code}).content.decode()
    assert "<del>运营</del> → <ins>注销</ins>" in page
    assert "deregistered" not in page


def test_amounts_read_as_on_the_pages(client, world):
    """The history keeps amounts as JSON numbers (10000.0); the trail shows 10,000.00."""
    from tests.factories import CooperativeFactory
    from tests.finance.factories import open_books, voucher

    coop = CooperativeFactory(village=world.v11)
    acc = world.acc_v11
    books = open_books(acc, coop, 2026)
    voucher(acc, books, datetime.date(2026, 3, 5), "销售苹果", ("101", "10000.00", 0), ("501", 0, "10000.00"))
    client.force_login(world.twp_t1)
    with translation.override("zh-hans"):
        export = client.get("/audit/", {"region": coop.region_code, "format": "xlsx"})
    sheet = load_workbook(BytesIO(export.content)).active
    text = " ".join(str(c.value) for row in sheet.iter_rows() for c in row)
    assert "10,000.00" in text and "10000.0" not in text
