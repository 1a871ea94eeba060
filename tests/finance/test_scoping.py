"""Scoping: foreign ids answer 404, roles that may not write get 403; query counts stay bounded."""

import datetime

import pytest

from finance.models import Voucher
from tests.finance.factories import voucher

JAN = datetime.date(2026, 1, 5)


@pytest.fixture
def posted(books, acc):
    return voucher(acc, books, JAN, "东安村销售", ("101", "10", 0), ("501", 0, "10"))


@pytest.mark.parametrize("outsider", ["acc_v12", "twp_t2", "county_b_off", "acc_v31"])
def test_foreign_books_are_404(world, login, books, posted, outsider):
    client = login(getattr(world, outsider))
    for url in (
        f"/finance/vouchers/{posted.pk}/",
        f"/finance/cooperatives/{books.pk}/balance-sheet/",
        f"/finance/cooperatives/{books.pk}/trial-balance/?format=xlsx",
        f"/finance/periods/{posted.period_id}/",
        f"/api/v1/finance/vouchers/{posted.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/finance/vouchers/{posted.pk}/reverse/").status_code == 404
    assert client.post(f"/finance/periods/{posted.period_id}/close/").status_code == 404
    assert "东安村销售" not in client.get("/finance/vouchers/").content.decode()
    assert client.get("/api/v1/finance/vouchers/").json()["count"] == 0


@pytest.mark.parametrize("reader", ["chair_v11", "twp_t1", "county_a_off"])
def test_readers_read_but_only_the_accountant_writes(world, login, books, posted, reader):
    client = login(getattr(world, reader))
    assert client.get(f"/finance/vouchers/{posted.pk}/").status_code == 200
    assert client.get(f"/finance/cooperatives/{books.pk}/balance-sheet/").status_code == 200
    assert client.get(f"/finance/cooperatives/{books.pk}/vouchers/new/").status_code == 403
    assert client.post(f"/finance/vouchers/{posted.pk}/reverse/").status_code == 403
    assert client.post(f"/finance/periods/{posted.period_id}/close/").status_code == 403
    response = client.post(
        "/api/v1/finance/vouchers/",
        {"cooperative": books.pk, "date": "2026-01-06", "summary": "x", "lines": []},
        content_type="application/json",
    )
    assert response.status_code in (400, 403)
    assert Voucher.objects.count() == 1


def test_member_sees_no_books(world, login, books, posted):
    client = login(world.member_v11)
    assert client.get("/finance/").status_code == 403
    assert client.get(f"/finance/vouchers/{posted.pk}/").status_code == 403


def _fill(acc, books, n):
    while Voucher.objects.filter(cooperative=books).count() < n:
        voucher(acc, books, JAN, "销售", ("101", "10", 0), ("501", 0, "10"))


@pytest.mark.parametrize(
    ("url", "bound"),
    [
        ("/finance/vouchers/", 12),
        ("/finance/cooperatives/{pk}/trial-balance/", 13),
        ("/finance/cooperatives/{pk}/balance-sheet/", 19),
        ("/api/v1/finance/vouchers/", 12),
    ],
)
def test_query_counts_do_not_grow_with_rows(world, login, books, acc, django_assert_max_num_queries, url, bound):
    client = login(world.acc_v11)
    for rows in (1, 40):
        _fill(acc, books, rows)
        with django_assert_max_num_queries(bound):
            assert client.get(url.format(pk=books.pk)).status_code == 200
