"""Month end as the accountant meets it: reports open on the latest month with postings, with the
months filled in; closing a month asks first and says what will happen; a closed month is reopened
only by the township, on a reasoned request, and only the last closed month of an open year.

The worked month: on 10 January 2026 a sale of 800.00 in cash (Dr 101 / Cr 501) and wages of
300.00 owed (Dr 521 / Cr 212); closing January transfers 501's 800.00 and 521's 300.00 to 本年盈余
(331: credit 800.00, debit 300.00, balance 500.00 Cr). January then reopens, a late cost of sales of
50.00 (Dr 502 / Cr 121) is posted as 记-0004 (after 记-0001, 记-0002 and the close's 记-0003), and
closing again transfers only that 50.00: 331 stands at 450.00 Cr.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from core.exceptions import BusinessError, NotPermitted, StateConflict
from core.models import ApprovalRequest
from core.services.approvals import approval_approve
from finance.models import Period, Voucher
from finance.selectors.ledgers import resolve_range
from finance.services.closing import period_close, period_reopen_request
from tests.finance.factories import balance, close_months, period, voucher

pytestmark = pytest.mark.django_db


def _january(acc, books):
    voucher(acc, books, datetime.date(2026, 1, 10), "销售", ("101", "800.00", 0), ("501", 0, "800.00"))
    voucher(acc, books, datetime.date(2026, 1, 10), "工资", ("521", "300.00", 0), ("212", 0, "300.00"))


def test_reports_open_on_the_latest_month_with_postings(books, acc):
    # January to November stay open, the accountant posts in December: the report reaches December
    voucher(acc, books, datetime.date(2026, 12, 5), "销售", ("101", "100.00", 0), ("501", 0, "100.00"))
    rng = resolve_range(books, year=2026)
    assert (rng.period_from, rng.period_to) == (1, 12)
    # nothing posted after the first open month: the report stops there, as before
    close_months(acc, books, 2026, 1, 2)
    other = resolve_range(books, year=2026)
    assert other.period_to == 12
    # an explicit choice always wins
    assert resolve_range(books, year=2026, period_to=3).period_to == 3


def test_a_new_year_with_nothing_posted_opens_on_its_first_open_month(books, acc):
    close_months(acc, books, 2026, 1, 2, 3)
    assert resolve_range(books, year=2026).period_to == 4


def test_the_report_form_shows_the_months_it_covers(books, acc, client):
    voucher(acc, books, datetime.date(2026, 12, 5), "销售", ("101", "100.00", 0), ("501", 0, "100.00"))
    client.force_login(acc)
    page = client.get(f"/finance/cooperatives/{books.pk}/trial-balance/").content.decode()
    assert 'name="year" value="2026"' in page
    assert 'name="period_from" value="1"' in page
    assert 'name="period_to" value="12"' in page


def test_closing_a_month_asks_first_and_says_what_will_happen(books, acc, client):
    _january(acc, books)
    january = period(books, 2026, 1)
    client.force_login(acc)
    with translation.override("zh-hans"):
        confirm = client.get(f"/finance/periods/{january.pk}/close/").content.decode()
    # the page names the transfer (income 800.00, expenses 300.00, surplus 500.00) and what follows
    assert "800.00" in confirm and "300.00" in confirm and "500.00" in confirm
    assert "结账后" in confirm and "反结账" in confirm
    january.refresh_from_db()
    assert january.is_open  # looking closes nothing
    client.post(f"/finance/periods/{january.pk}/close/")
    january.refresh_from_db()
    assert not january.is_open


def test_a_closed_month_reopens_only_through_the_township(books, acc, township, seed004):
    _january(acc, books)
    close_months(acc, books, 2026, 1)
    assert balance(books, "331", month=1) == -500  # 500.00 Cr
    january = period(books, 2026, 1)

    with translation.override("zh-hans"), pytest.raises(BusinessError) as empty:
        period_reopen_request(actor=acc, period=january, reason="  ")
    assert "原因" in empty.value.message

    request = period_reopen_request(actor=acc, period=january, reason="漏记1月销售成本")
    assert (request.kind, request.decider_role, request.state) == ("period_reopen", "township_official", "submitted")
    january.refresh_from_db()
    assert not january.is_open  # still closed until the township decides

    # the accountant cannot decide her own request
    with pytest.raises(NotPermitted):
        approval_approve(actor=acc, request=ApprovalRequest.objects.get(pk=request.pk))
    approval_approve(actor=township, request=ApprovalRequest.objects.get(pk=request.pk), comment="同意")
    january.refresh_from_db()
    assert january.is_open and january.closed_at is None

    late = voucher(acc, books, datetime.date(2026, 1, 31), "补记成本", ("502", "50.00", 0), ("121", 0, "50.00"))
    assert late.number == 4  # 记-0001, 记-0002, the close's 记-0003: numbering runs on without a gap
    period_close(actor=acc, period=Period.objects.get(pk=january.pk))
    closes = Voucher.objects.filter(period=january, kind="period_close").order_by("number")
    # the first transfer: Dr 501 800.00 and Dr 331 300.00 (against Cr 521) = 1,100.00 of debits;
    # the second only the late cost: Dr 331 50.00 / Cr 502 50.00
    assert [v.total_debit for v in closes] == [1100, 50]
    assert balance(books, "331", month=1) == -450


def test_only_the_last_closed_month_of_an_open_year_reopens(books, acc):
    close_months(acc, books, 2026, 1, 2)
    with translation.override("zh-hans"), pytest.raises(StateConflict) as earlier:
        period_reopen_request(actor=acc, period=period(books, 2026, 1), reason="补记")
    assert earlier.value.code == "reopen_not_last" and "2026年2月" in earlier.value.message
    with pytest.raises(StateConflict) as open_month:
        period_reopen_request(actor=acc, period=period(books, 2026, 3), reason="补记")
    assert open_month.value.code == "not_closed"


def test_the_reopen_request_page(books, acc, client, seed004):
    close_months(acc, books, 2026, 1)
    january = period(books, 2026, 1)
    client.force_login(acc)
    with translation.override("zh-hans"):
        detail = client.get(f"/finance/periods/{january.pk}/").content.decode()
        assert "申请反结账" in detail
        response = client.post(f"/finance/periods/{january.pk}/reopen/", {"reason": "漏记1月销售成本"}, follow=True)
    assert response.status_code == 200
    request = ApprovalRequest.objects.get(kind="period_reopen")
    assert request.steps.filter(action="submit", comment="漏记1月销售成本").exists()


def test_the_reopen_request_through_the_api(books, acc, township, seed004):
    from rest_framework.test import APIClient

    close_months(acc, books, 2026, 1)
    january = period(books, 2026, 1)
    api = APIClient()
    api.force_authenticate(acc)
    with translation.override("zh-hans"):
        refused = api.post(f"/api/v1/finance/periods/{january.pk}/reopen/", {"reason": ""}, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "reason_required"
    assert "原因" in refused.json()["detail"]
    asked = api.post(f"/api/v1/finance/periods/{january.pk}/reopen/", {"reason": "漏记成本"}, format="json")
    assert asked.status_code == 201 and asked.json()["kind"] == "period_reopen"
    # the township's decision goes through the approval API like any other
    api.force_authenticate(township)
    decided = api.post(f"/api/v1/approvals/{asked.json()['id']}/approve/", {"comment": "同意"}, format="json")
    assert decided.status_code == 200
    january.refresh_from_db()
    assert january.is_open
