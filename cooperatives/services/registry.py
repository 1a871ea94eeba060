"""Registering and updating cooperatives."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cooperatives.choices import FEDERATION_KINDS, CooperativeKind
from cooperatives.models import Cooperative
from core.choices import RegionLevel
from core.exceptions import BusinessError
from core.models import Region, User
from core.scoping import regions_for_action
from core.tenancy import assert_in_scope
from core.validators import validate_uscc

logger = logging.getLogger(__name__)

FIELDS = [
    "name",
    "kind",
    "uscc",
    "legal_representative",
    "chair_name",
    "chair_is_branch_secretary",
    "chair_exception_reason",
    "registered_capital",
    "business_scope",
    "main_industry",
    "business_type",
    "operating_modes",
    "founding_date",
    "status",
    "address",
    "phone",
]
FLAG_CHAIR = "chair_not_branch_secretary"


def _check(*, actor: User, data: dict, village: Region, instance: Cooperative | None) -> None:
    kind = data.get("kind") or CooperativeKind.FARMER
    allowed_levels = {RegionLevel.VILLAGE}
    if kind == CooperativeKind.TOWNSHIP_FEDERATION:
        allowed_levels = {RegionLevel.TOWNSHIP}
    if village.level not in allowed_levels:
        raise BusinessError(
            _("A township-led federation belongs to a township; every other cooperative belongs to a village."),
            code="wrong_region_level",
            field="village",
        )
    if (
        not regions_for_action(actor, Cooperative, "add" if instance is None else "change")
        .filter(pk=village.pk)
        .exists()
    ):
        raise BusinessError(
            _("You may not register a cooperative in %(village)s.") % {"village": village.name},
            code="out_of_jurisdiction",
            field="village",
        )
    if data.get("uscc"):
        try:
            data["uscc"] = validate_uscc(data["uscc"])
        except ValidationError as exc:
            raise BusinessError(exc.messages[0], code=exc.code or "invalid_uscc", field="uscc") from exc
        clash = Cooperative.objects.filter(uscc=data["uscc"])
        if instance is not None:
            clash = clash.exclude(pk=instance.pk)
        if clash.exists():  # unscoped on purpose: a code is unique across the whole platform
            raise BusinessError(
                _("Another cooperative is already registered with this code."), code="uscc_taken", field="uscc"
            )
    if not data.get("chair_is_branch_secretary", True) and not (data.get("chair_exception_reason") or "").strip():
        raise BusinessError(
            _(
                "The chair should be the village party branch secretary. If not, say why; "
                "the cooperative will be flagged for the township to review."
            ),
            code="chair_reason_required",
            field="chair_exception_reason",
        )
    if data.get("registered_capital") is not None and data["registered_capital"] < 0:
        raise BusinessError(
            _("Registered capital cannot be negative."), code="negative_capital", field="registered_capital"
        )


def _apply_flags(coop: Cooperative) -> None:
    reasons = [r for r in coop.flag_reasons if r != FLAG_CHAIR]
    if not coop.chair_is_branch_secretary:
        reasons.append(FLAG_CHAIR)
    coop.flag_reasons = reasons
    coop.flagged = bool(reasons)


@transaction.atomic
def cooperative_create(*, actor: User, village: Region, **data) -> Cooperative:
    """Register a cooperative in ``village``; a chair who is not the branch secretary flags it.

    A federation is registered with its member cooperatives through
    ``cooperatives.services.federations.federation_create`` (three or more members, law Art. 56).
    """
    if data.get("kind") in FEDERATION_KINDS:
        raise BusinessError(
            _("A federation is registered together with its member cooperatives: use the federation form."),
            code="federation_needs_members",
            field="kind",
        )
    return register_cooperative(actor=actor, village=village, **data)


def register_cooperative(*, actor: User, village: Region, **data) -> Cooperative:
    """The registration itself (callers hold the transaction and check what is specific to them)."""
    _check(actor=actor, data=data, village=village, instance=None)
    coop = Cooperative(
        village=village, region_code=village.padded_code, **{k: v for k, v in data.items() if k in FIELDS}
    )
    if coop.chair_is_branch_secretary:
        coop.chair_exception_reason = ""
    _apply_flags(coop)
    coop.full_clean(exclude=["uscc"])
    coop.save()
    assert_in_scope(actor, coop, "add")
    logger.info("cooperatives.registered", extra={"cooperative_id": coop.pk})
    return coop


@transaction.atomic
def cooperative_update(*, actor: User, cooperative: Cooperative, village: Region | None = None, **data) -> Cooperative:
    """Change a cooperative's registration facts (it stays in its village unless moved within scope)."""
    coop = Cooperative.objects.select_for_update().get(pk=cooperative.pk)
    village = village or coop.village
    merged = {f: getattr(coop, f) for f in FIELDS} | data
    if (merged["kind"] in FEDERATION_KINDS) != (coop.kind in FEDERATION_KINDS):
        raise BusinessError(
            _("A cooperative cannot become a federation, or a federation a cooperative, by an edit."),
            code="kind_change",
            field="kind",
        )
    _check(actor=actor, data=merged, village=village, instance=coop)
    for field in FIELDS:
        setattr(coop, field, merged[field])
    if coop.chair_is_branch_secretary:
        coop.chair_exception_reason = ""
    coop.village = village
    coop.region_code = village.padded_code
    _apply_flags(coop)
    coop.full_clean(exclude=["uscc"])
    coop.save()
    assert_in_scope(actor, coop, "change")
    return coop
