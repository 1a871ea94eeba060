"""Voucher numbers have no gaps when several accountants post into one month at the same time."""

import datetime
import threading

import pytest
from django.db import connection

from finance.models import Voucher
from finance.services.vouchers import voucher_post
from tests.conftest import fresh
from tests.factories import CooperativeFactory, RegionFactory, UserFactory
from tests.finance.factories import open_books, voucher

THREADS = 8


@pytest.mark.django_db(transaction=True)
def test_concurrent_posting_numbers_without_gaps():
    # given eight drafts of one month, committed
    village = RegionFactory(code="371323104299", level="village", name="并发村")
    actor = UserFactory(username="acc_concurrent", roles=[("village_accountant", village)])
    coop = open_books(fresh(actor), CooperativeFactory(village=village), 2026)
    drafts = [
        voucher(
            fresh(actor),
            coop,
            datetime.date(2026, 3, 1 + i),
            f"销售{i}",
            ("102", "10", 0),
            ("501", 0, "10"),
            post=False,
        )
        for i in range(THREADS)
    ]
    barrier = threading.Barrier(THREADS)
    errors = []

    def post(draft):
        try:
            barrier.wait(timeout=10)
            voucher_post(actor=fresh(actor), voucher=draft)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    # when eight threads post them at once, each on its own connection
    threads = [threading.Thread(target=post, args=(d,)) for d in drafts]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    # then every voucher got a number, and the numbers are exactly 1..8
    assert errors == []
    numbers = sorted(Voucher.objects.filter(cooperative=coop).values_list("number", flat=True))
    assert numbers == list(range(1, THREADS + 1))
    assert Voucher.objects.get(number=THREADS).period.last_voucher_number == THREADS
