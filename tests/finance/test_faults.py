"""The database connection dropped in the middle of a request: nothing of its transaction survives.

A real API request creates a voucher (the voucher row, then its lines) on its own connection; once
the rows are written, but before the transaction commits, a second connection kills that backend
with ``pg_terminate_backend``. The request fails, and no voucher and no line is visible afterwards.
"""

import threading

import pytest
from django.db import connection, connections
from rest_framework.test import APIClient

from finance.models import Voucher, VoucherLine
from finance.services import vouchers
from tests.conftest import fresh
from tests.finance.factories import account

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_connection_killed_mid_request_leaves_no_partial_write(books, world, monkeypatch):
    written = threading.Event()
    killed = threading.Event()
    backend = {}
    real_write_lines = vouchers._write_lines

    def write_lines_then_wait(voucher, lines, **kwargs):
        real_write_lines(voucher, lines, **kwargs)  # the voucher and its two lines are written, uncommitted
        backend["pid"] = connection.connection.info.backend_pid
        written.set()
        killed.wait(timeout=30)

    monkeypatch.setattr(vouchers, "_write_lines", write_lines_then_wait)
    body = {
        "cooperative": books.pk,
        "date": "2026-01-05",
        "summary": "断线测试",
        "lines": [
            {"account": account(books, "101").pk, "debit": "100.00", "credit": "0"},
            {"account": account(books, "501").pk, "debit": "0", "credit": "100.00"},
        ],
    }
    failure = {}

    def request():
        client = APIClient()
        client.force_authenticate(fresh(world.acc_v11))
        try:
            failure["status"] = client.post("/api/v1/finance/vouchers/", body, format="json").status_code
        except Exception as exc:  # the test client re-raises what the request raised
            failure["error"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=request)
    thread.start()
    assert written.wait(timeout=30), "the request never reached the lines"

    # the rows exist only inside the request's transaction
    assert not Voucher.objects.filter(summary="断线测试").exists()
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [backend["pid"]])
        assert cursor.fetchone() == (True,)
    killed.set()
    thread.join(timeout=30)

    assert "error" in failure or failure.get("status", 0) >= 500, failure
    assert not Voucher.objects.filter(summary="断线测试").exists()
    assert not VoucherLine.objects.filter(summary="断线测试").exists()
    assert not Voucher.objects.filter(cooperative=books).exists()
