"""Federations (联合社): registering one with its members, adding and removing members.

Law Art. 56 and seed 002 §22: three or more cooperatives found a federation, so a federation is
registered together with at least three members and no removal may leave it with fewer.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperatives.choices import FEDERATION_KINDS, CooperativeKind, CooperativeStatus
from cooperatives.models import Cooperative, FederationMembership
from cooperatives.services.registry import register_cooperative
from core.exceptions import BusinessError, StateConflict
from core.models import Region, User
from core.tenancy import assert_in_scope

logger = logging.getLogger(__name__)

MIN_FEDERATION_MEMBERS = 3  # law Art. 56; seed 002 §22


@dataclass(frozen=True)
class MemberEntry:
    """A member cooperative joining a federation, with its contribution (出资)."""

    cooperative: Cooperative
    contribution: Decimal = Decimal("0.00")


def _too_few(count: int) -> BusinessError:
    return BusinessError(
        _("A federation needs at least %(min)s member cooperatives; it would have %(count)s.")
        % {"min": MIN_FEDERATION_MEMBERS, "count": count},
        code="federation_too_few_members",
        field="members",
    )


def _check_member(*, actor: User, federation: Cooperative | None, member: Cooperative, contribution: Decimal) -> None:
    if not Cooperative.objects.for_user(actor, "view").filter(pk=member.pk).exists():
        raise BusinessError(
            _("%(name)s is not a cooperative you may see.") % {"name": member.name},
            code="member_out_of_jurisdiction",
            field="members",
        )
    if member.kind in FEDERATION_KINDS:
        raise BusinessError(
            _("%(name)s is itself a federation; the members of a federation are cooperatives.") % {"name": member.name},
            code="member_is_federation",
            field="members",
        )
    if federation is not None and member.pk == federation.pk:
        raise BusinessError(_("A federation cannot be its own member."), code="member_is_self", field="members")
    if member.status == CooperativeStatus.DEREGISTERED:
        raise BusinessError(
            _("%(name)s is deregistered and cannot join a federation.") % {"name": member.name},
            code="member_deregistered",
            field="members",
        )
    if contribution is None or contribution < 0:
        raise BusinessError(_("A contribution cannot be negative."), code="negative_contribution", field="contribution")


def _check_joined_on(joined_on: date) -> None:
    if joined_on is None:
        raise BusinessError(_("Give the date of joining."), code="joined_on_required", field="joined_on")
    if joined_on > timezone.localdate():
        raise BusinessError(_("The date cannot be in the future."), code="date_in_future", field="joined_on")


@transaction.atomic
def federation_create(
    *,
    actor: User,
    village: Region,
    members: Sequence[MemberEntry],
    joined_on: date,
    **data,
) -> Cooperative:
    """Register a federation (a cooperative of a federation kind) with its initial members.

    Fewer than three distinct member cooperatives are refused; every member must be within the
    actor's view, not itself a federation, and not deregistered.
    """
    data.setdefault("kind", CooperativeKind.FEDERATION)
    if data["kind"] not in FEDERATION_KINDS:
        raise BusinessError(_("Choose a federation kind."), code="not_a_federation_kind", field="kind")
    distinct = {m.cooperative.pk: m for m in members}
    if len(distinct) < MIN_FEDERATION_MEMBERS:
        raise _too_few(len(distinct))
    _check_joined_on(joined_on)
    for entry in distinct.values():
        _check_member(actor=actor, federation=None, member=entry.cooperative, contribution=entry.contribution)
    federation = register_cooperative(actor=actor, village=village, **data)
    for pk in sorted(distinct):
        entry = distinct[pk]
        membership = FederationMembership.objects.create(
            federation=federation,
            member=entry.cooperative,
            region_code=federation.region_code,
            member_region_code=entry.cooperative.region_code,
            joined_on=joined_on,
            contribution=entry.contribution,
        )
        assert_in_scope(actor, membership, "add")
    logger.info("cooperatives.federation.created", extra={"cooperative_id": federation.pk, "members": len(distinct)})
    return federation


def _lock_federation(federation: Cooperative) -> Cooperative:
    locked = Cooperative.objects.select_for_update().get(pk=federation.pk)
    if locked.kind not in FEDERATION_KINDS:
        raise BusinessError(
            _("%(name)s is not a federation.") % {"name": locked.name}, code="not_a_federation", field="federation"
        )
    return locked


@transaction.atomic
def federation_member_add(
    *,
    actor: User,
    federation: Cooperative,
    member: Cooperative,
    joined_on: date,
    contribution: Decimal = Decimal("0.00"),
    note: str = "",
) -> FederationMembership:
    """Admit one more member cooperative to a federation."""
    federation = _lock_federation(federation)
    _check_joined_on(joined_on)
    _check_member(actor=actor, federation=federation, member=member, contribution=contribution)
    if FederationMembership.objects.filter(federation=federation, member=member, left_on__isnull=True).exists():
        raise StateConflict(
            _("%(name)s is already a member of this federation.") % {"name": member.name},
            code="already_member",
        )
    membership = FederationMembership.objects.create(
        federation=federation,
        member=member,
        region_code=federation.region_code,
        member_region_code=member.region_code,
        joined_on=joined_on,
        contribution=contribution,
        note=note,
    )
    assert_in_scope(actor, membership, "add")
    return membership


@transaction.atomic
def federation_member_update(
    *, actor: User, membership: FederationMembership, contribution: Decimal, note: str = ""
) -> FederationMembership:
    """Change a member's contribution or note."""
    membership = FederationMembership.objects.select_for_update().get(pk=membership.pk)
    if contribution is None or contribution < 0:
        raise BusinessError(_("A contribution cannot be negative."), code="negative_contribution", field="contribution")
    membership.contribution = contribution
    membership.note = note
    membership.save(update_fields=["contribution", "note", "updated_at"])
    assert_in_scope(actor, membership, "change")
    return membership


@transaction.atomic
def federation_member_remove(*, actor: User, membership: FederationMembership, left_on: date) -> FederationMembership:
    """Record a member's leaving; refused if the federation would keep fewer than three members.

    The row stays (with ``left_on``) so the federation's history is kept.
    """
    federation = _lock_federation(membership.federation)  # serialises concurrent removals
    membership = FederationMembership.objects.select_for_update().get(pk=membership.pk)
    if membership.left_on is not None:
        raise StateConflict(_("This member has already left."), code="already_left")
    if left_on is None:
        raise BusinessError(_("Give the date of leaving."), code="left_on_required", field="left_on")
    if left_on < membership.joined_on:
        raise BusinessError(
            _("The date of leaving cannot be before the date of joining (%(date)s).")
            % {"date": membership.joined_on.isoformat()},
            code="left_before_joined",
            field="left_on",
        )
    if left_on > timezone.localdate():
        raise BusinessError(_("The date cannot be in the future."), code="date_in_future", field="left_on")
    remaining = (
        FederationMembership.objects.filter(federation=federation, left_on__isnull=True)
        .exclude(pk=membership.pk)
        .count()
    )
    if remaining < MIN_FEDERATION_MEMBERS:
        raise _too_few(remaining)
    membership.left_on = left_on
    membership.save(update_fields=["left_on", "updated_at"])
    assert_in_scope(actor, membership, "change")
    logger.info("cooperatives.federation.member_left", extra={"membership_id": membership.pk})
    return membership
