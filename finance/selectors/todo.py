"""What waits for the village accountant in the books: draft vouchers and past months still open."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet

from core.choices import ApprovalState, Role
from core.models import ApprovalRequest, User
from core.todo import within
from finance.choices import PeriodStatus, VoucherStatus
from finance.models import Period, Voucher

KEEPERS = frozenset({Role.VILLAGE_ACCOUNTANT})
VOUCHER_APPROVALS = ("expenditure", "expenditure_small")


def voucher_drafts(user: User) -> QuerySet[Voucher]:
    """Draft vouchers of the user's books, oldest first; a payment the approver returned is listed
    with the returned requests, not here (one query)."""
    return (
        Voucher.objects.for_user(user, "change")
        .filter(within(user, KEEPERS), status=VoucherStatus.DRAFT)
        .exclude(
            pk__in=ApprovalRequest.objects.filter(kind__in=VOUCHER_APPROVALS, state=ApprovalState.RETURNED).values(
                "subject_id"
            )
        )
        .select_related("cooperative__village")
        .order_by("created_at", "pk")
    )


def months_to_close(user: User, today: datetime.date) -> QuerySet[Period]:
    """Months of the user's books that ended before ``today`` and are still open, oldest first (one query)."""
    return (
        Period.objects.for_user(user, "close")
        .filter(within(user, KEEPERS), status=PeriodStatus.OPEN, end_date__lt=today)
        .select_related("cooperative__village")
        .order_by("start_date", "cooperative_id")
    )
