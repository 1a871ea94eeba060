"""No export carries a live formula (issue: hardening, finding 6).

A voucher summary starting with "=" became a formula in the ledger, cash journal and bank journal
workbooks. Every xlsx the site writes goes through ``core.exports.as_text``; this test asks every
export of a cooperative's books and every list export for its xlsx, as the accountant, and reads
every cell of every sheet.
"""

import datetime
from io import BytesIO

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from openpyxl import load_workbook

from core.exports import XLSX
from tests.conftest import fresh
from tests.factories import CooperativeFactory
from tests.finance.factories import open_books, voucher

FORMULA = '=HYPERLINK("http://attacker.invalid/","点此领取补贴")'


def _routes(resolver=None, prefix=""):
    for p in (resolver or get_resolver()).url_patterns:
        if isinstance(p, URLResolver):
            yield from _routes(p, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


def _cells(content: bytes):
    wb = load_workbook(BytesIO(content))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            yield from row


@pytest.fixture
def books(world):
    coop = CooperativeFactory(name="东安村富民果品种植专业合作社", village=world.v11)
    acc = fresh(world.acc_v11)
    open_books(acc, coop, 2026)
    voucher(acc, coop, datetime.date(2026, 1, 5), FORMULA, ("101", "100.00", "0"), ("501", "0", "100.00"))
    voucher(acc, coop, datetime.date(2026, 1, 6), FORMULA, ("102", "80.00", "0"), ("501", "0", "80.00"))
    return coop


def test_no_export_holds_a_live_formula(client, world, books):
    client.force_login(world.acc_v11)
    urls = []
    for route in _routes():
        if route.startswith("finance/cooperatives/<int:pk>/") and route.count("<") == 1:
            urls.append("/" + route.replace("<int:pk>", str(books.pk)))
        elif "<" not in route and not route.startswith(("admin/", "api/", "accounts/")) and route.endswith("/"):
            urls.append("/" + route)
    exported = {}
    for url in urls:
        for query in ({"format": "xlsx", "year": 2026, "period_from": 1, "period_to": 12}, {"format": "xlsx"}):
            response = client.get(url, query)
            if response.status_code == 200 and response.get("Content-Type") == XLSX:
                exported[url] = response.content
                break
    formulas = {url: [c.coordinate for c in _cells(content) if c.data_type == "f"] for url, content in exported.items()}
    assert {url: cells for url, cells in formulas.items() if cells} == {}
    # the test reads real exports: the books and the voucher list carry the summary, as text
    base = f"/finance/cooperatives/{books.pk}/"
    for url in (f"{base}ledger/", f"{base}cash-journal/", f"{base}bank-journal/", "/finance/vouchers/"):
        assert url in exported, sorted(exported)
        assert any(c.value == FORMULA and c.data_type == "s" for c in _cells(exported[url])), url
    assert len(exported) >= 12, sorted(exported)
