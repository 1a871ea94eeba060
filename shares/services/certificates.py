"""Share certificates (股权证): numbered per cooperative and year, reissued when a holding changes."""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperatives.models import Cooperative
from core.exceptions import BusinessError
from core.models import User
from core.money import ZERO
from core.tenancy import assert_in_scope
from members.models import Member
from members.services import lock_cooperative
from shares.choices import CertificateState, ShareClass
from shares.models import Holding, ShareCertificate

logger = logging.getLogger(__name__)


def certificate_prefix(cooperative: Cooperative) -> str:
    """The short name numbers start with: the village's name without 村 (东安村 → 东安)."""
    name = cooperative.village.name
    return name[:-1] if name.endswith("村") and len(name) > 1 else name


def _holdings_by_member(cooperative: Cooperative, member_ids) -> dict[int, dict[str, Decimal]]:
    found: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for member_id, share_class, amount in Holding.objects.filter(
        cooperative=cooperative, member_id__in=member_ids
    ).values_list("member_id", "share_class", "amount"):
        found[member_id][share_class] = amount
    return found


def _issue(
    *,
    actor: User,
    cooperative: Cooperative,
    members: list[int],
    on: datetime.date,
    replacing: dict[int, ShareCertificate],
) -> list[ShareCertificate]:
    """Issue one certificate per member (the cooperative must be locked: numbers come from max + 1)."""
    holdings = _holdings_by_member(cooperative, members)
    coop_total = Holding.objects.filter(cooperative=cooperative).aggregate(t=Sum("amount"))["t"] or ZERO
    year = on.year
    top = ShareCertificate.objects.filter(cooperative=cooperative, year=year).aggregate(n=Max("sequence"))["n"] or 0
    prefix = certificate_prefix(cooperative)
    issued = []
    for member_id in members:
        amounts = holdings.get(member_id, {})
        total = sum(amounts.values(), ZERO)
        if total <= 0:
            continue
        top += 1
        issued.append(
            ShareCertificate(
                cooperative=cooperative,
                region_code=cooperative.region_code,
                member_id=member_id,
                number=f"{prefix}-{year}-{top:04d}",
                year=year,
                sequence=top,
                issued_on=on,
                ordinary_amount=amounts.get(ShareClass.ORDINARY, ZERO),
                collective_amount=amounts.get(ShareClass.COLLECTIVE, ZERO),
                poverty_amount=amounts.get(ShareClass.POVERTY, ZERO),
                total_amount=total,
                cooperative_total=coop_total,
                replaces=replacing.get(member_id),
                issued_by=actor,
            )
        )
    return ShareCertificate.objects.bulk_create(issued, batch_size=2000)


def reissue_after_change(*, actor: User, cooperative: Cooperative, member_ids, on: datetime.date) -> None:
    """Void the valid certificates of members whose holdings changed and issue new ones (same transaction)."""
    valid = list(
        ShareCertificate.objects.select_for_update()
        .filter(cooperative=cooperative, member_id__in=member_ids, state=CertificateState.VALID)
        .order_by("pk")
    )
    if not valid:
        return
    ShareCertificate.objects.filter(pk__in=[c.pk for c in valid]).update(
        state=CertificateState.VOID, voided_on=on, void_reason=_("Holding changed"), updated_at=timezone.now()
    )
    _issue(
        actor=actor,
        cooperative=cooperative,
        members=[c.member_id for c in valid],
        on=on,
        replacing={c.member_id: c for c in valid},
    )


@transaction.atomic
def certificates_issue(
    *, actor: User, cooperative: Cooperative, members: list[Member] | None = None, on: datetime.date | None = None
) -> list[ShareCertificate]:
    """Issue certificates to the members (default: every member holding shares) who have no valid one."""
    lock_cooperative(cooperative)
    cooperative = Cooperative.objects.select_related("village").get(pk=cooperative.pk)
    on = on or timezone.localdate()
    holders = (
        Holding.objects.filter(cooperative=cooperative, amount__gt=0)
        .exclude(member__certificates__state=CertificateState.VALID)
        .values_list("member_id", flat=True)
        .distinct()
    )
    if members is not None:
        holders = holders.filter(member_id__in=[m.pk for m in members])
    member_ids = sorted(set(holders))
    if not member_ids:
        raise BusinessError(_("Every member holding shares already has a valid certificate."), code="nothing_to_issue")
    issued = _issue(actor=actor, cooperative=cooperative, members=member_ids, on=on, replacing={})
    assert_in_scope(actor, issued[0], "add")
    logger.info("shares.certificates.issued", extra={"cooperative_id": cooperative.pk, "count": len(issued)})
    return issued
