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


def register() -> None:
    navigation.register(navigation.NavItem("finance", _("Finance"), "finance:home", STAFF_ROLES, "journal-text", 40))
    panels.register(
        "cooperative_detail",
        Panel("finance_books", "finance/panels/books.html", STAFF_ROLES, _books_panel, 40),
    )
    home.register(
        Panel("finance_payments", "finance/panels/payments.html", frozenset({Role.COOP_CHAIR}), _chair_inbox, 6)
    )
