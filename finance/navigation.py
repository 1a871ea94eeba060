"""Navigation entry (财务), the cooperative-page panel and the chair's home panel."""

from django.utils.translation import gettext_lazy as _

from core import home, navigation, panels
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


def _chair_inbox(request, **kwargs):
    from core.selectors import approval_inbox

    waiting = approval_inbox(request.user).filter(kind__in=["expenditure_small", "expenditure"])
    return {"payments": list(waiting[:10]), "payments_count": waiting.count()}


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
    home.register(
        Panel("finance_payments", "finance/panels/payments.html", frozenset({Role.COOP_CHAIR}), _chair_inbox, 6)
    )
