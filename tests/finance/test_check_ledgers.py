"""``check_ledgers`` over the books: a year of vouchers, closed and carried forward, passes; each kind
of drift, put in on purpose with the immutability triggers switched off for the test's transaction
(``SET LOCAL session_replication_role = replica``, as a superuser), fails with a readable report."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from finance.models import FiscalYear, OpeningBalance, Voucher, VoucherLine
from finance.services.closing import fiscal_year_close
from tests.finance.factories import account, book, close_months, opening, period, voucher


@pytest.fixture
def year_closed(books, acc, chair):
    """2026 of 东安村's cooperative, closed and carried to 2027:
    opening 101 cash 5,000.00 / 201 short-term loan 5,000.00; Jan sales 1,200.00 and 300.00 (102 / 501);
    Feb expense 200.00 paid in cash (502 / 101, approved by the chair). Every month closed, the year closed.
    """
    opening(acc, books, 2026, ("101", "5000.00", 0), ("201", 0, "5000.00"))
    voucher(acc, books, datetime.date(2026, 1, 5), "销售", ("102", "1200.00", 0), ("501", 0, "1200.00"))
    voucher(acc, books, datetime.date(2026, 1, 9), "销售", ("102", "300.00", 0), ("501", 0, "300.00"))
    book(acc, books, datetime.date(2026, 2, 3), "办公费", ("502", "200.00", 0), ("101", 0, "200.00"), chair=chair)
    close_months(acc, books, 2026, *range(1, 13))
    fiscal_year_close(actor=acc, fiscal_year=FiscalYear.objects.get(cooperative=books, year=2026))
    return books


def run(capsys):
    with pytest.raises(CommandError) as info:
        call_command("check_ledgers")
    assert info.value.returncode == 1
    return capsys.readouterr().err


def corrupt(sql: str, params: list) -> None:
    with connection.cursor() as cursor:  # superuser: the triggers are off until the test's rollback
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)


def test_a_closed_and_carried_year_passes_every_check(year_closed, capsys):
    call_command("check_ledgers")
    out = capsys.readouterr().out
    for name in (
        "shares.holdings",
        "finance.vouchers_balanced",
        "finance.voucher_numbers",
        "finance.trial_balances",
        "finance.tie_out",
        "finance.statements",
    ):
        assert f"[{name}]" in out
    assert "[finance.carried_balances] opening balances of 1 carried-forward years equal the prior closing." in out
    # 2027 opens with 101 = 5,000 − 200 = 4,800.00 and 102 = 1,200 + 300 = 1,500.00
    carried = {o.account.code: o.amount for o in OpeningBalance.objects.filter(fiscal_year__year=2027)}
    assert carried["101"] == 4800 and carried["102"] == 1500


def test_an_unbalanced_posted_voucher_is_reported(year_closed, capsys):
    line = VoucherLine.objects.filter(voucher__summary="办公费", debit__gt=0).get()
    corrupt("UPDATE finance_voucherline SET debit = debit + 0.01 WHERE id = %s", [line.pk])
    err = run(capsys)
    # 200.01 against 200.00: the voucher and the 2026 trial balance both fail
    assert f"voucher {line.voucher_id} " in err and "debit 200.01, credit 200.00" in err
    assert "posted debits" in err and "[finance.trial_balances]" in err
    # put it back: the deferred balance trigger still checks the line when the test ends
    corrupt("UPDATE finance_voucherline SET debit = debit - 0.01 WHERE id = %s", [line.pk])


def test_a_gap_in_the_voucher_numbers_is_reported(year_closed, capsys):
    second = Voucher.objects.get(period=period(year_closed, 2026, 1), number=2)
    corrupt("UPDATE finance_voucher SET number = 9 WHERE id = %s", [second.pk])
    err = run(capsys)
    assert "[finance.voucher_numbers] 1 problem(s)" in err
    # January: two sales and the month-end transfer of 501 (numbers 1, 2, 3); number 2 became 9
    assert "3 posted voucher(s), 3 distinct number(s) from 1 to 9, counter at 3" in err


def test_a_draft_in_a_closed_month_is_reported(year_closed, acc, capsys):
    draft = voucher(
        acc, year_closed, datetime.date(2027, 1, 4), "草稿", ("101", "10.00", 0), ("501", 0, "10.00"), post=False
    )
    corrupt("UPDATE finance_period SET status = 'closed' WHERE id = %s", [draft.period_id])
    err = run(capsys)
    assert f"voucher {draft.pk} (cooperative {year_closed.pk}) is draft in the closed month 2027-01" in err


def test_an_opening_balance_that_differs_from_the_prior_closing_is_reported(year_closed, capsys):
    row = OpeningBalance.objects.get(fiscal_year__year=2027, account=account(year_closed, "101"))
    corrupt("UPDATE finance_openingbalance SET amount = amount + 1 WHERE id = %s", [row.pk])
    err = run(capsys)
    assert "fiscal year 2027 (cooperative" in err and "account 101: opening 4801.00, closing of 2026 4800.00" in err
    assert "opening balances net to 1.00, not 0.00" in err


def test_the_nightly_task_records_and_alerts_on_drift(year_closed, mailoutbox, settings):
    from django.core.cache import cache

    from core.tasks import LAST_LEDGER_CHECK, check_ledgers

    settings.ADMINS = [("ops", "ops@example.org")]
    assert check_ledgers.apply().get()["ok"] is True
    line = VoucherLine.objects.filter(voucher__summary="办公费", credit__gt=0).get()
    corrupt("UPDATE finance_voucherline SET credit = 199.99 WHERE id = %s", [line.pk])
    outcome = check_ledgers.apply().get()
    assert outcome["ok"] is False and cache.get(LAST_LEDGER_CHECK)["problems"] == outcome["problems"] >= 2
    assert len(mailoutbox) == 1 and "check_ledgers" in mailoutbox[0].subject
    corrupt("UPDATE finance_voucherline SET credit = 200.00 WHERE id = %s", [line.pk])  # see above


def test_check_ledgers_is_scheduled_nightly(settings):
    assert settings.CELERY_BEAT_SCHEDULE["core.check_ledgers"]["task"] == "core.check_ledgers"
