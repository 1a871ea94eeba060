"""Assistance pairings and their visits (DOMAIN.md 1.4, seed 004)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils.translation import gettext as _

from cooperatives.models import Cooperative
from core.choices import RegionLevel
from core.exceptions import BusinessError, StateConflict
from core.models import Region, User
from core.tenancy import assert_in_scope
from supervision.choices import PairingKind, PairingStatus
from supervision.models import Pairing, PairingVisit


@transaction.atomic
def pairing_create(
    *,
    actor: User,
    kind: str,
    village: Region,
    helper: str,
    started_on: datetime.date,
    cooperative: Cooperative | None = None,
    helper_cooperative: Cooperative | None = None,
    goals: str = "",
) -> Pairing:
    """Record who helps which village; "1+N" names the strong cooperative and the one it helps."""
    if kind not in PairingKind.values:
        raise BusinessError(_("Choose the kind of pairing."), code="invalid", field="kind")
    if village is None or village.level != RegionLevel.VILLAGE:
        raise BusinessError(_("Choose a village."), code="not_village", field="village")
    if cooperative is not None and cooperative.village_id != village.pk:
        raise BusinessError(
            _("The cooperative is in another village."), code="foreign_cooperative", field="cooperative"
        )
    helper = (helper or "").strip()
    if kind == PairingKind.STRONG_HELPS_WEAK:
        if helper_cooperative is None or cooperative is None:
            raise BusinessError(
                _("A 1+N pairing names the strong cooperative and the cooperative it helps."),
                code="required",
                field="helper_cooperative",
            )
        if helper_cooperative.pk == cooperative.pk:
            raise BusinessError(
                _("A cooperative cannot help itself."), code="same_cooperative", field="helper_cooperative"
            )
        helper = helper or helper_cooperative.name
    if not helper:
        raise BusinessError(_("Name the helper."), code="required", field="helper")
    if started_on is None:
        raise BusinessError(_("Give the date."), code="required", field="started_on")
    pairing = Pairing.objects.create(
        kind=kind,
        village=village,
        region_code=village.code,
        cooperative=cooperative,
        helper=helper[:100],
        helper_cooperative=helper_cooperative,
        started_on=started_on,
        goals=(goals or "").strip(),
        created_by=actor,
    )
    assert_in_scope(actor, pairing, "add")
    return pairing


@transaction.atomic
def pairing_end(*, actor: User, pairing: Pairing, ended_on: datetime.date) -> Pairing:
    pairing = Pairing.objects.select_for_update().get(pk=pairing.pk)
    if pairing.status == PairingStatus.ENDED:
        raise StateConflict(_("The pairing has already ended."), code="ended")
    if ended_on is None or ended_on < pairing.started_on:
        raise BusinessError(_("The end cannot be before the start."), code="invalid", field="ended_on")
    pairing.status = PairingStatus.ENDED
    pairing.ended_on = ended_on
    pairing.save(update_fields=["status", "ended_on", "updated_at"])
    assert_in_scope(actor, pairing, "change")
    return pairing


@transaction.atomic
def pairing_visit_record(
    *, actor: User, pairing: Pairing, visited_on: datetime.date, visitor: str, content: str, outcome: str = ""
) -> PairingVisit:
    """Record one visit of an active pairing: who came, what was done, what came of it."""
    if pairing.status != PairingStatus.ACTIVE:
        raise StateConflict(_("The pairing has ended."), code="ended")
    if visited_on is None or visited_on < pairing.started_on:
        raise BusinessError(_("The visit cannot be before the pairing started."), code="invalid", field="visited_on")
    if not (visitor or "").strip():
        raise BusinessError(_("Name the visitor."), code="required", field="visitor")
    if not (content or "").strip():
        raise BusinessError(_("Say what was done."), code="required", field="content")
    visit = PairingVisit.objects.create(
        pairing=pairing,
        region_code=pairing.region_code,
        visited_on=visited_on,
        visitor=visitor.strip()[:100],
        content=content.strip(),
        outcome=(outcome or "").strip(),
        recorded_by=actor,
    )
    assert_in_scope(actor, visit, "add")
    return visit


def pairing_summary(user, prefix: str) -> list[dict]:
    """Per kind: pairings, active ones, villages covered, visits and the last visit (one query)."""
    rows = (
        Pairing.objects.for_user(user)
        .filter(region_code__startswith=prefix)
        .values("kind")
        .annotate(
            n_pairings=Count("pk", distinct=True),
            n_active=Count("pk", filter=Q(status=PairingStatus.ACTIVE), distinct=True),
            n_villages=Count("village", distinct=True),
            n_visits=Count("visits", distinct=True),
            last_visit=Max("visits__visited_on"),
        )
        .order_by("kind")
    )
    labels = dict(PairingKind.choices)
    return [{**row, "label": labels.get(row["kind"], row["kind"])} for row in rows]
