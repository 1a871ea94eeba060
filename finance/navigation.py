"""Navigation entry (财务), the cooperative-page panel and the accountant's to-do items."""

import datetime

from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from core import navigation, panels, todo
from core.choices import STAFF_ROLES, Role
from core.panels import Panel


def _books_panel(request, cooperative=None, **kwargs):
    from finance.choices import UNPOSTED
    from finance.models import Voucher
    from finance.selectors.ledgers import books_of, cash_and_bank
    from finance.views.base import can

    books = books_of(cooperative)
    status = cash_and_bank(cooperative, books) if books else None
    return {
        "cooperative": cooperative,
        "books": books,
        "status": status,
        "unposted": Voucher.objects.filter(cooperative=cooperative, status__in=UNPOSTED).count() if books else 0,
        "can_write": can(request.user, Voucher, "add", cooperative.region_code),
        "half": True,
    }


def _voucher_drafts(user, today):
    from finance.selectors.todo import voucher_drafts

    rows, total = todo.take(voucher_drafts(user))
    return [
        todo.Item(
            kind="voucher_drafts",
            label=gettext_now("Draft voucher"),
            subject=f"{v.date:%Y-%m-%d} {v.summary}",
            place=todo.coop_place(v.cooperative),
            village=v.cooperative.village.name,
            since=todo.local_date(v.created_at),
            url=v.get_absolute_url(),
            amount=v.total_debit or None,
        )
        for v in rows
    ], total


def _months_to_close(user, today):
    """One item per cooperative: its oldest open month that has ended, and how many are open."""
    from finance.selectors.todo import months_to_close

    rows, total = todo.take(months_to_close(user, today), limit=200)
    by_coop: dict[int, list] = {}
    for period in rows:
        by_coop.setdefault(period.cooperative_id, []).append(period)
    items = []
    for periods in by_coop.values():
        first, last = periods[0], periods[-1]
        coop = first.cooperative
        span = first.label if len(periods) == 1 else f"{first.label}–{last.label}"
        items.append(
            todo.Item(
                kind="months_to_close",
                label=gettext_now("Month to close"),
                subject=gettext_now("%(span)s still open (%(n)s months)") % {"span": span, "n": len(periods)}
                if len(periods) > 1
                else gettext_now("%(span)s still open") % {"span": span},
                place=todo.coop_place(coop),
                village=coop.village.name,
                since=first.end_date + datetime.timedelta(days=1),
                url=first.get_absolute_url(),
            )
        )
    return items, total


def _share_booking(request, *, operations, cooperative, **kwargs) -> dict | None:
    """On a contribution's or a withdrawal's page: the entries that booked it (or why none did)."""
    from finance.models import CooperativeBooks, ShareBooking
    from finance.services.share_books import books_start

    if not CooperativeBooks.objects.filter(cooperative=cooperative).exists():
        return {"no_books": True}
    bookings = list(
        ShareBooking.objects.for_user(request.user)
        .filter(cooperative=cooperative, operation__in=list(operations))
        .select_related("voucher__period")
        .order_by("voucher__date", "voucher_id")
    )
    vouchers = list({b.voucher_id: b.voucher for b in bookings}.values())
    return {"vouchers": vouchers, "books_start": books_start(cooperative.pk), "operations": operations}


def register() -> None:
    navigation.register(navigation.NavItem("finance", _("Finance"), "finance:home", STAFF_ROLES, "journal-text", 40))
    panels.register(
        "share_booking",
        Panel("finance_share_booking", "finance/panels/share_booking.html", STAFF_ROLES, _share_booking, 10),
    )
    panels.register(
        "cooperative_detail",
        Panel("finance_books", "finance/panels/books.html", STAFF_ROLES, _books_panel, 40),
    )
    accountant = frozenset({Role.VILLAGE_ACCOUNTANT})
    todo.register(
        todo.Source(
            "voucher_drafts",
            _("Draft vouchers"),
            accountant,
            _voucher_drafts,
            30,
            "finance:voucher_list",
            "status=draft",
        )
    )
    todo.register(
        todo.Source(
            "months_to_close",
            _("Months to close"),
            accountant,
            _months_to_close,
            60,
            "finance:period_list",
            "status=open",
        )
    )
