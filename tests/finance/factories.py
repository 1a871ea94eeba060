"""Factories and helpers for the finance tests: members, opened books, vouchers by account code."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from core.validators import id_check_character
from tests.factories import CooperativeFactory


def _id_number(n: int) -> str:
    first17 = f"371323{19600101 + (n % 28):08d}{n % 1000:03d}"
    return first17 + id_check_character(first17)


class MemberFactory(DjangoModelFactory):
    """A person member of a cooperative (members.Member as the members app defines it)."""

    class Meta:
        model = "members.Member"

    cooperative = factory.SubFactory(CooperativeFactory)
    number = factory.Sequence(lambda n: n + 1)
    kind = "person"
    name = factory.Sequence(lambda n: f"社员{n}")
    id_number = factory.Sequence(_id_number)
    region_code = factory.LazyAttribute(lambda o: o.cooperative.region_code)
    joined_on = datetime.date(2020, 1, 1)


def D(value) -> Decimal:
    return Decimal(str(value))


def open_books(actor, cooperative, year: int = 2026):
    from finance.services.books import books_open

    books_open(actor=actor, cooperative=cooperative, year=year)
    return cooperative


def account(cooperative, code: str):
    from finance.models import Account

    return Account.objects.get(cooperative=cooperative, code=code)


def lines(cooperative, *rows):
    """``lines(coop, ("101", "100.00", 0), ("501", 0, "100.00"))`` → LineInputs (member/project optional)."""
    from finance.services.vouchers import LineInput

    result = []
    for row in rows:
        code, debit, credit, *rest = row
        extra = rest[0] if rest else {}
        result.append(LineInput(account=account(cooperative, code), debit=D(debit), credit=D(credit), **extra))
    return result


_payees = itertools.count(1)


def payee(member=None, name: str = "", code: str = "", account: str = ""):
    """A payment's payee: a member, or a named party."""
    from finance.services.payees import PayeeInput

    return PayeeInput(member=member, name=name, code=code, account=account)


def a_payee():
    """A named payee of its own, so that payments of different tests' vouchers never add up."""
    return payee(name=f"收款单位{next(_payees)}")


def voucher(actor, cooperative, date, summary, *rows, post: bool = True, attachment_count: int = 0, paid_to=None):
    """Enter (and post, unless ``post=False``) a voucher from ``(code, debit, credit)`` rows;
    ``paid_to`` is the payee (``payee(...)``) of a payment."""
    from finance.services.vouchers import voucher_create, voucher_post

    v = voucher_create(
        actor=actor,
        cooperative=cooperative,
        date=date,
        summary=summary,
        lines=lines(cooperative, *rows),
        attachment_count=attachment_count,
        payee=paid_to,
    )
    if post:
        v = voucher_post(actor=actor, voucher=v)
    return v


def opening(actor, cooperative, year: int, *rows):
    """Set opening balances from ``(code, debit, credit[, {"member": m}])`` rows."""
    from finance.models import FiscalYear
    from finance.services.books import OpeningRow, opening_balances_set

    fy = FiscalYear.objects.get(cooperative=cooperative, year=year)
    items = []
    for row in rows:
        code, debit, credit, *rest = row
        extra = rest[0] if rest else {}
        items.append(OpeningRow(account=account(cooperative, code), debit=D(debit), credit=D(credit), **extra))
    return opening_balances_set(actor=actor, fiscal_year=fy, rows=items)


def period(cooperative, year: int, month: int):
    from finance.models import Period

    return Period.objects.get(cooperative=cooperative, fiscal_year__year=year, number=month)


def book(actor, cooperative, date, summary, *rows, chair=None, township=None, attachment_count: int = 0, paid_to=None):
    """Enter and post a voucher the way the rules allow: straight away when it pays nothing out,
    otherwise submitted and approved by the chair (below the threshold) or the township. A payment
    is paid to ``paid_to``, else to a payee of its own."""
    from core.models import ApprovalRequest
    from core.services.approvals import approval_approve
    from finance.services.vouchers import approval_kind_for, payment_amount, voucher_submit

    is_payment = payment_amount(lines(cooperative, *rows)) > 0
    v = voucher(
        actor,
        cooperative,
        date,
        summary,
        *rows,
        post=False,
        attachment_count=attachment_count,
        paid_to=paid_to or (a_payee() if is_payment else None),
    )
    kind = approval_kind_for(v)
    if kind is None:
        from finance.services.vouchers import voucher_post

        return voucher_post(actor=actor, voucher=v)
    request = voucher_submit(actor=actor, voucher=v)
    decider = township if kind == "expenditure" else chair
    approval_approve(actor=decider, request=ApprovalRequest.objects.get(pk=request.pk))
    v.refresh_from_db()
    return v


def close_months(actor, cooperative, year: int, *months):
    from finance.services.closing import period_close

    for month in months:
        period_close(actor=actor, period=period(cooperative, year, month))


def balance(cooperative, code: str, year: int = 2026, month: int = 12, member=None):
    """Debit-positive balance of an account (and its sub-accounts) at the end of ``month``."""
    from finance.models import Account
    from finance.selectors.ledgers import ledger_lines, resolve_range

    rng = resolve_range(cooperative, year=year, period_from=1, period_to=month)
    return ledger_lines(rng, Account.objects.get(cooperative=cooperative, code=code), member=member)["closing"]
