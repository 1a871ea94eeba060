"""Contracts that need attention: about to expire, or with instalments past due and unpaid."""

from __future__ import annotations

import datetime

from django.db.models import DecimalField, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.money import MONEY, ZERO
from finance.choices import ContractStatus
from finance.models import Contract, ContractInstalment, ContractPayment

EXPIRY_DAYS = 30
_MONEY = DecimalField(**MONEY)


def with_payment_figures(qs, today: datetime.date | None = None):
    """Annotate ``paid`` (Σ payments), ``due_to_date`` (Σ instalments due before today) and
    ``outstanding``, as subqueries: one query however many contracts."""
    today = today or timezone.localdate()
    paid = (
        ContractPayment.objects.filter(contract=OuterRef("pk")).values("contract").annotate(t=Sum("amount")).values("t")
    )
    due = (
        ContractInstalment.objects.filter(contract=OuterRef("pk"), due_date__lt=today)
        .values("contract")
        .annotate(t=Sum("amount"))
        .values("t")
    )
    return qs.annotate(
        paid=Coalesce(Subquery(paid, output_field=_MONEY), Value(ZERO), output_field=_MONEY),
        due_to_date=Coalesce(Subquery(due, output_field=_MONEY), Value(ZERO), output_field=_MONEY),
    )


def contracts_needing_attention(user, *, today: datetime.date | None = None, days: int = EXPIRY_DAYS):
    """Effective contracts that end within ``days`` days, or whose instalments due before today
    exceed what has been paid (overdue), soonest end first."""
    today = today or timezone.localdate()
    qs = with_payment_figures(Contract.objects.for_user(user), today).filter(status=ContractStatus.EFFECTIVE)
    return (
        qs.filter(
            Q(end_date__gte=today, end_date__lte=today + datetime.timedelta(days=days)) | Q(due_to_date__gt=F("paid"))
        )
        .select_related("cooperative")
        .order_by("end_date", "pk")
    )


def overdue_instalments(contract: Contract, paid, today: datetime.date | None = None) -> list[dict]:
    """The schedule with each instalment's state: paid in order (first due, first covered)."""
    today = today or timezone.localdate()
    covered = paid
    rows = []
    for instalment in contract.instalments.order_by("sequence"):
        settled = min(covered, instalment.amount)
        covered -= settled
        rows.append(
            {
                "instalment": instalment,
                "paid": settled,
                "unpaid": instalment.amount - settled,
                "overdue": instalment.due_date < today and settled < instalment.amount,
            }
        )
    return rows
