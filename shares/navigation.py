"""Navigation entries and page sections of the shares app (cooperative page, member page, home)."""

from __future__ import annotations

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from core import home, navigation, panels
from core.choices import STAFF_ROLES, Role
from core.panels import Panel


def _writers():
    from shares.models import ShareEntry

    return ShareEntry.tenancy.roles_for("add")


def _structure_section(request, cooperative, **kwargs):
    from shares import selectors
    from shares.choices import ContributionState
    from shares.models import Contribution

    user = request.user
    ctx = selectors.structure(cooperative)
    ctx["cooperative"] = cooperative
    ctx["can_write"] = user.is_superuser or user.jurisdiction.covers(cooperative.region_code, _writers())
    if ctx["can_write"]:
        ctx["drafts"] = Contribution.objects.filter(cooperative=cooperative, state=ContributionState.DRAFT).count()
    return ctx


def _member_section(request, member, can_change=False, **kwargs):
    from shares import selectors
    from shares.choices import CertificateState, WithdrawalState
    from shares.models import Contribution, Holding, ShareCertificate, ShareEntry, ShareWithdrawal

    user = request.user
    held = list(Holding.objects.for_user(user).filter(member=member, amount__gt=0).order_by("share_class"))
    total = selectors.cooperative_totals([member.cooperative_id]).get(member.cooperative_id)
    # collective shares a person holds are the collective's (DOMAIN.md §1.3): shown apart, not theirs
    on_behalf = [h for h in held if h.share_class == "collective" and member.kind == "person"]
    holdings = [h for h in held if h not in on_behalf]
    own = sum((h.amount for h in holdings), 0)
    held_by_others = 0
    if member.kind == "collective":
        held_by_others = (
            Holding.objects.for_user(user)
            .filter(cooperative_id=member.cooperative_id, share_class="collective", amount__gt=0)
            .exclude(member=member)
            .aggregate(t=Sum("amount"))["t"]
            or 0
        )
        own += held_by_others
    return {
        "member": member,
        "holdings": holdings,
        "on_behalf": sum((h.amount for h in on_behalf), 0),
        "held_by_others": held_by_others,
        "own_total": own,
        "ratio": own / total if total else None,
        "entries": list(
            ShareEntry.objects.for_user(user).filter(member=member).select_related("counterparty", "reversed_by")[:20]
        ),
        "contributions": list(Contribution.objects.for_user(user).filter(member=member).order_by("-pk")[:20]),
        "certificate": ShareCertificate.objects.for_user(user)
        .filter(member=member, state=CertificateState.VALID)
        .first(),
        "withdrawals": list(
            ShareWithdrawal.objects.for_user(user).filter(member=member, state=WithdrawalState.PENDING)
        ),
        "can_write": can_change and member.left_on is None,
    }


def _my_shares(request, **kwargs):
    from shares import selectors
    from shares.models import Holding

    user = request.user
    holdings = list(
        Holding.objects.for_user(user)
        .filter(member__user=user, amount__gt=0)
        .select_related("member", "cooperative")
        .order_by("cooperative_id", "share_class")
    )
    totals = selectors.cooperative_totals({h.cooperative_id for h in holdings})
    for h in holdings:
        total = totals.get(h.cooperative_id)
        h.ratio = h.amount / total if total else None
    return {"holdings": holdings}


def register() -> None:
    navigation.register(
        navigation.NavItem("shares", _("Share register"), "shares:register", STAFF_ROLES, "pie-chart", 30)
    )
    panels.register(
        "cooperative_detail",
        Panel("share_structure", "shares/panels/structure.html", STAFF_ROLES, _structure_section, 30),
    )
    panels.register(
        "member_detail",
        Panel("member_shares", "shares/panels/member_shares.html", STAFF_ROLES | {Role.MEMBER}, _member_section, 10),
    )
    home.register(Panel("my_shares", "shares/panels/my_shares.html", frozenset({Role.MEMBER}), _my_shares, 5))
