"""Classification (four types, seed 004), demonstration titles and product certifications with the
one-off awards of the county's policy profile (seed 002 §24)."""

from __future__ import annotations

import logging
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperatives.choices import CertificationKind, Classification, DemonstrationLevel
from cooperatives.models import ClassificationChange, Cooperative, DemonstrationAward, ProductCertification
from core.exceptions import BusinessError
from core.models import User
from core.policies import policy_for
from core.tenancy import assert_in_scope

logger = logging.getLogger(__name__)

# which policy-profile field holds the award of each level and certification
DEMONSTRATION_AWARD_FIELDS = {
    DemonstrationLevel.NATIONAL: "award_national",
    DemonstrationLevel.PROVINCIAL: "award_provincial",
    DemonstrationLevel.MUNICIPAL: "award_municipal",
    DemonstrationLevel.COUNTY: "award_district",
}
CERTIFICATION_AWARD_FIELDS = {
    CertificationKind.POLLUTION_FREE: "award_pollution_free",
    CertificationKind.GREEN_FOOD: "award_green_food",
    CertificationKind.ORGANIC: "award_organic",
    CertificationKind.GEOGRAPHICAL_INDICATION: "award_geographical_indication",
}


def demonstration_award_amount(region_code: str, level: str) -> tuple[Decimal, str]:
    """The award of ``level`` in the county of ``region_code`` today, and the profile it comes from."""
    profile = policy_for(region_code)
    return getattr(profile, DEMONSTRATION_AWARD_FIELDS[DemonstrationLevel(level)]), profile.code


def certification_award_amount(region_code: str, kind: str) -> tuple[Decimal, str]:
    """The award of a certification of ``kind`` in the county of ``region_code`` today, and its profile."""
    profile = policy_for(region_code)
    return getattr(profile, CERTIFICATION_AWARD_FIELDS[CertificationKind(kind)]), profile.code


def _not_in_future(value: date | None, field: str) -> None:
    if value is None:
        raise BusinessError(_("Give the date."), code="date_required", field=field)
    if value > timezone.localdate():
        raise BusinessError(_("The date cannot be in the future."), code="date_in_future", field=field)


@transaction.atomic
def cooperative_classify(
    *, actor: User, cooperative: Cooperative, classification: str, changed_on: date, reason: str
) -> ClassificationChange:
    """Put a cooperative into one of the four types; the change is dated, with who and why."""
    if classification not in Classification.values:
        raise BusinessError(_("Choose one of the four types."), code="invalid_classification", field="classification")
    if not (reason or "").strip():
        raise BusinessError(_("Say why the type is given or changed."), code="reason_required", field="reason")
    _not_in_future(changed_on, "changed_on")
    coop = Cooperative.objects.select_for_update().get(pk=cooperative.pk)
    if coop.classification == classification:
        raise BusinessError(
            _("The cooperative already has this type."), code="classification_unchanged", field="classification"
        )
    latest = coop.classification_changes.order_by("-changed_on", "-pk").first()
    if latest and changed_on < latest.changed_on:
        raise BusinessError(
            _("The date cannot be before the last change (%(date)s).") % {"date": latest.changed_on.isoformat()},
            code="date_before_last_change",
            field="changed_on",
        )
    change = ClassificationChange.objects.create(
        cooperative=coop,
        region_code=coop.region_code,
        previous=coop.classification,
        classification=classification,
        changed_on=changed_on,
        reason=reason.strip(),
        changed_by=actor,
    )
    coop.classification = classification
    coop.save(update_fields=["classification", "updated_at"])
    assert_in_scope(actor, change, "add")
    return change


@transaction.atomic
def demonstration_grant(
    *, actor: User, cooperative: Cooperative, level: str, year: int, document_number: str = ""
) -> DemonstrationAward:
    """Record a demonstration-cooperative title and its one-off award, read from the county profile now."""
    if level not in DemonstrationLevel.values:
        raise BusinessError(_("Choose a level."), code="invalid_level", field="level")
    this_year = timezone.localdate().year
    if year is None or not 2000 <= year <= this_year:
        raise BusinessError(
            _("The year must be between 2000 and %(year)s.") % {"year": this_year}, code="invalid_year", field="year"
        )
    coop = Cooperative.objects.select_for_update().get(pk=cooperative.pk)
    if DemonstrationAward.objects.filter(cooperative=coop, level=level).exists():
        raise BusinessError(
            _("This cooperative already holds the %(level)s title; its award is one-off.")
            % {"level": DemonstrationLevel(level).label},
            code="already_granted",
            field="level",
        )
    amount, basis = demonstration_award_amount(coop.region_code, level)
    award = DemonstrationAward.objects.create(
        cooperative=coop,
        region_code=coop.region_code,
        level=level,
        year=year,
        document_number=(document_number or "").strip(),
        award_amount=amount,
        award_basis=basis,
        recorded_by=actor,
    )
    assert_in_scope(actor, award, "add")
    logger.info("cooperatives.demonstration.granted", extra={"award_id": award.pk, "amount": str(amount)})
    return award


@transaction.atomic
def certification_record(
    *,
    actor: User,
    cooperative: Cooperative,
    kind: str,
    product: str,
    certificate_number: str,
    certified_on: date,
) -> ProductCertification:
    """Record a new product certification and its one-off award, read from the county profile now."""
    if kind not in CertificationKind.values:
        raise BusinessError(_("Choose a certification."), code="invalid_certification", field="kind")
    if not (product or "").strip():
        raise BusinessError(_("Name the product."), code="product_required", field="product")
    number = (certificate_number or "").strip()
    if not number:
        raise BusinessError(
            _("Give the certificate number."), code="certificate_number_required", field="certificate_number"
        )
    _not_in_future(certified_on, "certified_on")
    # unscoped on purpose: a certificate number is unique whoever recorded it
    if ProductCertification.objects.filter(kind=kind, certificate_number=number).exists():
        raise BusinessError(
            _("This certificate is already recorded."), code="certificate_taken", field="certificate_number"
        )
    coop = Cooperative.objects.get(pk=cooperative.pk)
    amount, basis = certification_award_amount(coop.region_code, kind)
    certification = ProductCertification.objects.create(
        cooperative=coop,
        region_code=coop.region_code,
        kind=kind,
        product=product.strip(),
        certificate_number=number,
        certified_on=certified_on,
        award_amount=amount,
        award_basis=basis,
        recorded_by=actor,
    )
    assert_in_scope(actor, certification, "add")
    return certification
