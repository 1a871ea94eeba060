"""The finance API: the same services, the error envelope, statements as JSON."""

import datetime

import pytest

from finance.models import CooperativeBooks, Period
from tests.finance.factories import MemberFactory, account, voucher


@pytest.fixture
def api(api_client, world):
    api_client.force_authenticate(world.acc_v11)
    return api_client


def _lines(coop, *rows):
    return [{"account": account(coop, c).pk, "debit": d, "credit": k} for c, d, k in rows]


def test_books_open_through_the_api(api, coop):
    response = api.post("/api/v1/finance/fiscal-years/", {"cooperative": coop.pk, "year": 2026}, format="json")
    assert response.status_code == 201 and response.json()["year"] == 2026
    books = api.get("/api/v1/finance/books/", {"cooperative": coop.pk}).json()["results"]
    assert books[0]["chart"] == "coop-2023" and books[0]["current_period"] == 1
    response = api.post("/api/v1/finance/fiscal-years/", {"cooperative": coop.pk, "year": 2028}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "year_sequence"


def test_voucher_lifecycle(api, books, world):
    url = "/api/v1/finance/vouchers/"
    lines = _lines(books, ("101", "100.00", "0"), ("501", "0", "99.99"))
    body = {"cooperative": books.pk, "date": "2026-01-05", "summary": "销售", "lines": lines}
    response = api.post(url, body, format="json")
    assert response.status_code == 400 and response.json()["code"] == "unbalanced", response.json()
    body["lines"] = _lines(books, ("101", "100.00", "0"), ("501", "0", "100.00"))
    created = api.post(url, body, format="json").json()
    assert created["status"] == "draft" and created["number"] is None and created["total_debit"] == "100.00"
    body["summary"] = "零售苹果"
    assert api.put(f"{url}{created['id']}/", body, format="json").json()["summary"] == "零售苹果"
    posted = api.post(f"{url}{created['id']}/post/").json()
    assert posted["status"] == "posted" and posted["display_number"] == "记-0001"
    assert api.put(f"{url}{created['id']}/", body, format="json").status_code == 409
    assert api.delete(f"{url}{created['id']}/").status_code == 409
    reversal = api.post(f"{url}{created['id']}/reverse/", {"date": "2026-01-06"}, format="json")
    assert reversal.status_code == 201 and reversal.json()["lines"][0]["debit"] == "-100.00"
    again = api.post(f"{url}{created['id']}/reverse/", {}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "already_reversed"
    # a payment asks for approval
    pay = api.post(
        url,
        {**body, "lines": _lines(books, ("523", "50", "0"), ("101", "0", "50")), "payee_name": "沂水农商银行"},
        format="json",
    ).json()
    assert api.post(f"{url}{pay['id']}/post/").json()["code"] == "approval_required"
    assert api.post(f"{url}{pay['id']}/submit/", {}, format="json").json()["status"] == "pending"
    # a foreign account id is not a valid choice for another village's accountant
    api.force_authenticate(world.acc_v12)
    assert api.get(f"{url}{created['id']}/").status_code == 404


def test_period_close_and_statements(api, books, acc):
    voucher(acc, books, datetime.date(2026, 1, 5), "销售", ("101", "500", 0), ("501", 0, "500"))
    draft = voucher(acc, books, datetime.date(2026, 1, 6), "草稿", ("121", "10", 0), ("211", 0, "10"), post=False)
    january = Period.objects.get(cooperative=books, number=1)
    refused = api.post(f"/api/v1/finance/periods/{january.pk}/close/")
    assert refused.status_code == 409 and refused.json()["code"] == "unposted_vouchers"
    assert api.delete(f"/api/v1/finance/vouchers/{draft.pk}/").status_code == 204
    assert api.post(f"/api/v1/finance/periods/{january.pk}/close/").json()["status"] == "closed"
    books_id = CooperativeBooks.objects.get(cooperative=books).pk
    bs = api.get(f"/api/v1/finance/books/{books_id}/balance-sheet/", {"year": 2026, "period_to": 1}).json()
    lines = {row["line"]: row["values"] for row in bs["lines"] if row["line"]}
    assert bs["form_no"] == "会农社01表" and lines[1]["closing"] == "500.00" and lines[40]["closing"] == "500.00"
    ss = api.get(f"/api/v1/finance/books/{books_id}/surplus-statement/", {"period_to": 1}).json()
    assert {row["line"]: row["values"]["current"] for row in ss["lines"]}[12] == "500.00"
    tb = api.get(f"/api/v1/finance/books/{books_id}/trial-balance/", {"period_to": 1}).json()
    assert tb["balanced"] and tb["totals"]["debit"] == tb["totals"]["credit"]
    bad = api.get(f"/api/v1/finance/books/{books_id}/balance-sheet/", {"period_from": 5, "period_to": 2})
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_range"
    ledger = api.get(f"/api/v1/finance/books/{books_id}/ledger/", {"account": "101"}).json()
    assert ledger["closing"] == "500.00" and ledger["lines"][0]["balance"] == "500.00"


def test_patronage_and_member_account(api, books):
    member = MemberFactory(cooperative=books, name="甲")
    url = "/api/v1/finance/patronage-transactions/"
    body = {"member": member.pk, "date": "2026-02-01", "product": "苹果", "quantity": "100", "amount": "300.00"}
    assert api.post(url, body, format="json").status_code == 201
    account = api.get(f"/api/v1/finance/member-accounts/{member.pk}/", {"year": 2026}).json()
    assert account["transaction_amount"] == "300.00"
    books_id = CooperativeBooks.objects.get(cooperative=books).pk
    rows = api.get(f"/api/v1/finance/books/{books_id}/member-accounts/", {"year": 2026}).json()
    assert rows[0]["transaction_amount"] == "300.00"
