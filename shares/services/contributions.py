"""Contributions (入股, DOMAIN.md 1.2): entered as drafts, confirmed into the share ledger, or cancelled.

Confirming writes the subscription entries in the same transaction. Contributions confirmed
together (``contributions_confirm``) are evaluated once, on the structure they leave together: a
cooperative's founding subscriptions can only meet the share-structure rules as a whole.
"""

from __future__ import annotations

import logging
import uuid
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperatives.models import Cooperative
from core import changes
from core.exceptions import BusinessError, StateConflict
from core.models import User
from core.money import money, plain_decimal
from core.tenancy import assert_in_scope
from members.choices import MemberKind
from members.models import Member
from members.services import lock_cooperative
from shares.choices import APPRAISED_KINDS, ContributionKind, ContributionState, EntryType, ShareClass
from shares.models import Contribution
from shares.services.ledger import Line, PostResult, check_active, check_class_holder, post_lines
from shares.validators import validate_evidence

logger = logging.getLogger(__name__)

FIELDS = [
    "kind",
    "amount",
    "contributed_on",
    "area_mu",
    "location",
    "term_years",
    "value_per_mu",
    "appraiser",
    "appraisal_date",
    "evidence",
    "description",
    "booked_to",
]
KIND_VALUES = frozenset(ContributionKind.values)
LAND_FIELDS = ["area_mu", "location", "term_years", "value_per_mu"]


def share_class_for(kind: str, member: Member) -> str:
    """The class a contribution buys: the collective's contributions and the collective's assets →
    collective shares; quantified fiscal poverty-alleviation funds → poverty-alleviation shares."""
    if member.kind == MemberKind.COLLECTIVE or kind == ContributionKind.COLLECTIVE_ASSETS:
        return ShareClass.COLLECTIVE
    if kind == ContributionKind.FISCAL_FUNDS:
        return ShareClass.POVERTY
    return ShareClass.ORDINARY


def land_value(area_mu: Decimal, value_per_mu: Decimal) -> Decimal:
    """Area × value per mu, rounded half up to the fen (the database checks the same)."""
    return money(Decimal(area_mu) * Decimal(value_per_mu))


def _decimal(value, field: str, places: int) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, float):
        raise TypeError("amounts must not be floats")
    try:
        # the pages and the API hand over Decimals; the roster import hands over the cell's text
        number = plain_decimal(value, grouped=True)
    except ValidationError as exc:
        raise BusinessError(exc.messages[0], code="invalid_number", field=field) from None
    if number != number.quantize(Decimal(1).scaleb(-places)):
        raise BusinessError(
            _("At most %(places)d decimal places.") % {"places": places}, code="too_many_places", field=field
        )
    return number


def contribution_clean(data: dict, *, member: Member) -> dict:
    """Check and complete one contribution's data (no database access; the import calls it per row)."""
    data = {k: v for k, v in data.items() if k in FIELDS}
    kind = data.get("kind") or ContributionKind.CASH
    if kind not in KIND_VALUES:
        raise BusinessError(_("Choose how the member contributes."), code="invalid_kind", field="kind")
    data["kind"] = kind
    amount = _decimal(data.get("amount"), "amount", 2)
    if kind == ContributionKind.LAND:
        area = _decimal(data.get("area_mu"), "area_mu", 4)
        per_mu = _decimal(data.get("value_per_mu"), "value_per_mu", 2)
        if not area or area <= 0:
            raise BusinessError(_("Enter the land area in mu."), code="area_required", field="area_mu")
        if not per_mu or per_mu <= 0:
            raise BusinessError(_("Enter the value per mu."), code="value_per_mu_required", field="value_per_mu")
        if not (data.get("location") or "").strip():
            raise BusinessError(_("Enter where the land lies."), code="location_required", field="location")
        if not data.get("term_years"):
            raise BusinessError(
                _("Enter for how many years the land is contributed."), code="term_required", field="term_years"
            )
        value = land_value(area, per_mu)
        if amount is not None and amount != value:
            raise BusinessError(
                _("The value of %(area)s mu at %(per_mu)s yuan per mu is %(value)s yuan, not %(amount)s.")
                % {"area": area, "per_mu": f"{per_mu:,.2f}", "value": f"{value:,.2f}", "amount": f"{amount:,.2f}"},
                code="land_value_mismatch",
                field="amount",
            )
        data.update(area_mu=area, value_per_mu=per_mu, amount=value, location=data["location"].strip())
    else:
        for f in LAND_FIELDS:
            data[f] = "" if f == "location" else None
        if amount is None or amount <= 0:
            raise BusinessError(_("Enter the value of the contribution."), code="amount_required", field="amount")
        data["amount"] = amount
    if data["amount"] <= 0:
        raise BusinessError(_("The value must be more than zero."), code="amount_not_positive", field="amount")
    if kind in APPRAISED_KINDS:
        if not (data.get("appraiser") or "").strip():
            raise BusinessError(
                _("A non-cash contribution needs the appraiser's name."), code="appraiser_required", field="appraiser"
            )
        if not data.get("appraisal_date"):
            raise BusinessError(
                _("A non-cash contribution needs the appraisal date."),
                code="appraisal_date_required",
                field="appraisal_date",
            )
        if data["appraisal_date"] > timezone.localdate():
            raise BusinessError(
                _("The appraisal date cannot be in the future."), code="appraisal_in_future", field="appraisal_date"
            )
    elif kind == ContributionKind.CASH:
        data["appraiser"] = ""
        data["appraisal_date"] = None
    if data.get("evidence"):
        try:
            validate_evidence(data["evidence"])
        except ValidationError as exc:
            raise BusinessError(exc.messages[0], code=exc.code or "invalid_evidence", field="evidence") from exc
    contributed_on = data.get("contributed_on") or timezone.localdate()
    if contributed_on > timezone.localdate():
        raise BusinessError(
            _("The contribution date cannot be in the future."), code="date_in_future", field="contributed_on"
        )
    if contributed_on < member.joined_on:
        raise BusinessError(
            _("The contribution date is before the member joined (%(date)s).") % {"date": member.joined_on},
            code="before_joining",
            field="contributed_on",
        )
    data["contributed_on"] = contributed_on
    data["booked_to"] = (data.get("booked_to") or "").strip()
    data["share_class"] = share_class_for(kind, member)
    try:
        check_class_holder(member, data["share_class"])
    except BusinessError as exc:
        exc.field = "kind" if kind in (ContributionKind.FISCAL_FUNDS, ContributionKind.COLLECTIVE_ASSETS) else "member"
        raise
    return data


@transaction.atomic
def contribution_create(*, actor: User, member: Member, import_batch=None, **data) -> Contribution:
    """Enter a contribution as a draft; nothing reaches the ledger until it is confirmed."""
    lock_cooperative(member.cooperative)
    member = Member.objects.select_related("cooperative").get(pk=member.pk)
    check_active(member, data.get("contributed_on") or timezone.localdate())
    cleaned = contribution_clean(data, member=member)
    contribution = Contribution.objects.create(
        cooperative=member.cooperative,
        region_code=member.region_code,
        member=member,
        created_by=actor,
        import_batch=import_batch,
        **cleaned,
    )
    assert_in_scope(actor, contribution, "add")
    return contribution


def _lock_drafts(contributions) -> list[Contribution]:
    pks = sorted({c.pk for c in contributions})
    rows = list(
        Contribution.objects.select_for_update(of=("self",)).filter(pk__in=pks).select_related("member").order_by("pk")
    )
    for c in rows:
        if c.state != ContributionState.DRAFT:
            raise StateConflict(
                _("Contribution of %(name)s is %(state)s; only a draft can be changed, confirmed or cancelled.")
                % {"name": c.member.name, "state": c.get_state_display()},
                code="not_draft",
            )
    return rows


@transaction.atomic
def contribution_update(*, actor: User, contribution: Contribution, **data) -> Contribution:
    """Change a draft contribution."""
    lock_cooperative(contribution.cooperative)
    (contribution,) = _lock_drafts([contribution])
    merged = {f: getattr(contribution, f) for f in FIELDS} | {k: v for k, v in data.items() if k in FIELDS}
    if merged.get("kind") == ContributionKind.LAND and "amount" not in data:
        merged["amount"] = None  # recomputed from area × value per mu
    cleaned = contribution_clean(merged, member=contribution.member)
    for field, value in cleaned.items():
        setattr(contribution, field, value)
    contribution.save()
    assert_in_scope(actor, contribution, "change")
    return contribution


@transaction.atomic
def contributions_confirm(
    *, actor: User, cooperative: Cooperative, contributions: list[Contribution] | None = None
) -> PostResult:
    """Confirm draft contributions together: one subscription entry each (each its own operation,
    so one can later be reversed alone), and one compliance evaluation of the structure they leave.

    ``contributions`` None confirms every draft of the cooperative.
    """
    cooperative = lock_cooperative(cooperative)
    if contributions is None:
        contributions = list(Contribution.objects.filter(cooperative=cooperative, state=ContributionState.DRAFT))
    if not contributions:
        raise BusinessError(_("There is no draft contribution to confirm."), code="nothing_to_confirm")
    rows = _lock_drafts(contributions)
    for c in rows:
        if c.cooperative_id != cooperative.pk:
            raise BusinessError(_("A contribution of another cooperative was chosen."), code="foreign_contribution")
        if c.kind in APPRAISED_KINDS and not (c.appraiser and c.appraisal_date):
            raise BusinessError(
                _("The contribution of %(name)s has no appraisal yet.") % {"name": c.member.name},
                code="appraisal_required",
            )
    lines = [
        Line(
            member=c.member,
            share_class=c.share_class,
            amount=c.amount,
            contribution=c,
            note=c.get_kind_display(),
            operation=uuid.uuid4(),
            effective_on=c.contributed_on,
            account=c.booked_to,
        )
        for c in rows
    ]
    result = post_lines(actor=actor, cooperative=cooperative, entry_type=EntryType.SUBSCRIBE, lines=lines)
    now = timezone.now()
    Contribution.objects.filter(pk__in=[c.pk for c in rows]).update(
        state=ContributionState.CONFIRMED, confirmed_at=now, confirmed_by=actor, updated_at=now
    )
    for c in rows:
        c.state, c.confirmed_at, c.confirmed_by, c.updated_at = ContributionState.CONFIRMED, now, actor, now
    assert_in_scope(actor, rows[0], "change")
    changes.cooperative_changed(cooperative.pk)
    logger.info("shares.contributions.confirmed", extra={"cooperative_id": cooperative.pk, "count": len(rows)})
    return result


def contribution_confirm(*, actor: User, contribution: Contribution) -> PostResult:
    """Confirm one draft contribution: its subscription entry is written in the same transaction."""
    return contributions_confirm(actor=actor, cooperative=contribution.cooperative, contributions=[contribution])


@transaction.atomic
def contribution_cancel(*, actor: User, contribution: Contribution, reason: str) -> Contribution:
    """Cancel a draft (a confirmed contribution is corrected by reversing its ledger entry)."""
    if not (reason or "").strip():
        raise BusinessError(_("Say why the contribution is cancelled."), code="reason_required", field="reason")
    lock_cooperative(contribution.cooperative)
    (contribution,) = _lock_drafts([contribution])
    contribution.state = ContributionState.CANCELLED
    contribution.cancelled_at = timezone.now()
    contribution.cancel_reason = reason.strip()
    contribution.save(update_fields=["state", "cancelled_at", "cancel_reason", "updated_at"])
    assert_in_scope(actor, contribution, "change")
    return contribution


def is_reversed(contribution: Contribution) -> bool:
    return contribution.entries.filter(reversed_by__isnull=False).exists()


__all__ = [
    "FIELDS",
    "contribution_cancel",
    "contribution_clean",
    "contribution_confirm",
    "contribution_create",
    "contribution_update",
    "contributions_confirm",
    "land_value",
    "share_class_for",
]
