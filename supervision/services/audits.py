"""Audits (seed 002 §8): the township audits every cooperative once a year, the county spot-checks
a random sample whose seed is recorded, and term and departure audits of village cadres list the
cooperative's items. Findings carry a severity and, when rectification is required, a deadline;
evidence (checked like voucher attachments) proves the rectification; the auditor closes each
finding, the result is reported to the member assembly, and then the audit closes."""

from __future__ import annotations

import datetime
import logging
import random
import secrets

from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cooperatives.choices import CooperativeStatus
from cooperatives.models import Cooperative
from core.choices import NotificationKind, RegionLevel, Role
from core.exceptions import BusinessError, NotPermitted, StateConflict
from core.models import Region
from core.money import ZERO
from core.policies import policy_for
from core.services.notifications import chinese, notify, village_people
from core.tenancy import assert_in_scope
from supervision.choices_oversight import CADRE_AUDITS, AuditKind, AuditStatus, FindingStatus, Severity
from supervision.models import Audit, AuditFinding, RectificationEvidence, SpotCheckDraw

logger = logging.getLogger(__name__)


def _text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise BusinessError(message, code="required", field=field)
    return value


def _auditor_region(actor, cooperative: Cooperative) -> Region:
    """The township (or county) of the auditor that covers the cooperative."""
    code = cooperative.region_code
    for grant in sorted(actor.jurisdiction.grants, key=lambda g: -len(g.prefix)):
        if code.startswith(grant.prefix) and grant.level in (RegionLevel.TOWNSHIP, RegionLevel.COUNTY):
            return Region.objects.get(pk=grant.region_id)
    return cooperative.village.parent


@transaction.atomic
def audit_create(
    *,
    actor,
    cooperative: Cooperative,
    kind: str,
    year: int,
    scope: str,
    started_on: datetime.date | None = None,
    cadre_name: str = "",
    office_from: datetime.date | None = None,
    office_to: datetime.date | None = None,
    spot_check: SpotCheckDraw | None = None,
) -> Audit:
    """Open an audit of ``cooperative``. One annual audit per cooperative and year; a cadre audit
    names the cadre and the period of office."""
    if not Cooperative.objects.for_user(actor).filter(pk=cooperative.pk).exists():
        raise NotPermitted(_("You may not do this with this cooperative."))
    if kind not in AuditKind.values:
        raise BusinessError(_("Choose the kind of audit."), code="invalid", field="kind")
    scope = _text(scope, "scope", _("Describe what the audit covers."))
    if kind in CADRE_AUDITS:
        cadre_name = _text(cadre_name, "cadre_name", _("Name the cadre audited."))
        if office_from is None or office_to is None or office_from > office_to:
            raise BusinessError(
                _("Give the period of office, the first day not after the last."), code="invalid", field="office_from"
            )
    if kind == AuditKind.ANNUAL and Audit.objects.filter(cooperative=cooperative, kind=kind, year=year).exists():
        raise StateConflict(
            _("This cooperative has its annual audit for %(year)s already.") % {"year": year},
            code="exists",
            field="year",
        )
    audit = Audit.objects.create(
        cooperative=cooperative,
        region_code=cooperative.region_code,
        kind=kind,
        year=year,
        scope=scope,
        started_on=started_on or timezone.localdate(),
        auditor_region=_auditor_region(actor, cooperative),
        cadre_name=cadre_name if kind in CADRE_AUDITS else "",
        office_from=office_from if kind in CADRE_AUDITS else None,
        office_to=office_to if kind in CADRE_AUDITS else None,
        spot_check=spot_check,
        created_by=actor,
    )
    assert_in_scope(actor, audit, "add")
    return audit


ANNUAL_SCOPE = "财务收支、资产资源、股权结构、合同管理、社务公开"


@transaction.atomic
def annual_audits_open(*, actor, region: Region, year: int, scope: str = ANNUAL_SCOPE) -> list[Audit]:
    """Open the year's annual audit of every operating cooperative under ``region`` that has none."""
    coops = (
        Cooperative.objects.for_user(actor)
        .filter(region_code__startswith=region.code, status=CooperativeStatus.OPERATING)
        .exclude(audits__kind=AuditKind.ANNUAL, audits__year=year)
        .select_related("village__parent")
        .order_by("region_code", "pk")
    )
    return [audit_create(actor=actor, cooperative=c, kind=AuditKind.ANNUAL, year=year, scope=scope) for c in coops]


def draw_sample(population: list[int], size: int, seed: int) -> list[int]:
    """The sample the seed gives: ``random.Random(seed).sample`` of the sorted ids, sorted."""
    return sorted(random.Random(seed).sample(sorted(population), min(size, len(population))))  # noqa: S311


@transaction.atomic
def spot_check_draw(
    *, actor, county: Region, year: int, size: int | None = None, seed: int | None = None, scope: str = ""
) -> SpotCheckDraw:
    """Draw the county's spot checks for ``year`` (size from the county's profile unless given),
    record the seed and the population, and open a spot-check audit for each cooperative drawn."""
    if county.level != RegionLevel.COUNTY:
        raise BusinessError(_("Spot checks are drawn for a county."), code="invalid", field="county")
    size = size if size is not None else policy_for(county.code).spot_check_size
    if size < 1:
        raise BusinessError(_("Draw at least one cooperative."), code="invalid", field="size")
    seed = seed if seed is not None else secrets.randbits(48)
    population = list(
        Cooperative.objects.for_user(actor)
        .filter(region_code__startswith=county.code, status=CooperativeStatus.OPERATING)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not population:
        raise BusinessError(_("No operating cooperative to draw from."), code="empty")
    draw = SpotCheckDraw.objects.create(
        county=county,
        region_code=county.code.ljust(12, "0"),
        year=year,
        seed=seed,
        sample_size=size,
        population=population,
        drawn=draw_sample(population, size, seed),
        drawn_by=actor,
    )
    assert_in_scope(actor, draw, "add")
    scope = scope or ANNUAL_SCOPE
    for coop in Cooperative.objects.filter(pk__in=draw.drawn).select_related("village__parent").order_by("pk"):
        audit_create(actor=actor, cooperative=coop, kind=AuditKind.SPOT_CHECK, year=year, scope=scope, spot_check=draw)
    logger.info("supervision.spot_check.drawn", extra={"draw_id": draw.pk, "seed": seed, "drawn": draw.drawn})
    return draw


def spot_check_verify(draw: SpotCheckDraw) -> bool:
    """Does the recorded seed give the recorded sample?"""
    return draw_sample(draw.population, draw.sample_size, draw.seed) == draw.drawn


def _locked_audit(actor, audit: Audit, action: str = "change") -> Audit:
    if not Audit.objects.for_user(actor, action).filter(pk=audit.pk).exists():
        raise NotPermitted(_("You may not do this with this audit."))
    audit = Audit.objects.select_for_update().get(pk=audit.pk)
    if audit.status == AuditStatus.CLOSED:
        raise StateConflict(_("This audit is closed."), code="closed")
    return audit


FINDING_TEXT = gettext_lazy("The audit of %(coop)s found: %(title)s. Rectify it by %(deadline)s.")


@transaction.atomic
def finding_add(
    *,
    actor,
    audit: Audit,
    title: str,
    description: str = "",
    severity: str = Severity.MEDIUM,
    rectification_required: bool = True,
    rectification_deadline: datetime.date | None = None,
) -> AuditFinding:
    """Record a finding; a required rectification needs a deadline."""
    audit = _locked_audit(actor, audit)
    title = _text(title, "title", _("Say what was found."))
    if severity not in Severity.values:
        raise BusinessError(_("Choose a severity."), code="invalid", field="severity")
    if rectification_required and rectification_deadline is None:
        raise BusinessError(_("A rectification needs a deadline."), code="required", field="rectification_deadline")
    finding = AuditFinding.objects.create(
        audit=audit,
        region_code=audit.region_code,
        title=title,
        description=(description or "").strip(),
        severity=severity,
        rectification_required=rectification_required,
        rectification_deadline=rectification_deadline if rectification_required else None,
        status=FindingStatus.OPEN if rectification_required else FindingStatus.CLOSED,
        closed_at=None if rectification_required else timezone.now(),
        closed_by=None if rectification_required else actor,
    )
    assert_in_scope(actor, finding, "add")
    if rectification_required:
        notify(
            recipients=village_people(finding.region_code, Role.VILLAGE_ACCOUNTANT, Role.COOP_CHAIR),
            kind=NotificationKind.FINDING_OPENED,
            text=chinese(
                FINDING_TEXT,
                coop=audit.cooperative.name,
                title=finding.title,
                deadline=finding.rectification_deadline.isoformat(),
            ),
            link=finding.get_absolute_url(),
            event_key=f"finding:{finding.pk}:opened",
            region_code=finding.region_code,
        )
    return finding


def _locked_finding(actor, finding: AuditFinding, action: str) -> AuditFinding:
    if not AuditFinding.objects.for_user(actor, action).filter(pk=finding.pk).exists():
        raise NotPermitted(_("You may not do this with this finding."))
    finding = AuditFinding.objects.select_for_update().select_related("audit").get(pk=finding.pk)
    if finding.status == FindingStatus.CLOSED:
        raise StateConflict(_("This finding is closed."), code="closed")
    return finding


@transaction.atomic
def evidence_add(*, actor, finding: AuditFinding, file, note: str = "") -> RectificationEvidence:
    """Attach evidence of rectification: PDF, JPEG or PNG, 10 MB at most, the content decides
    (the same check as voucher attachments)."""
    from finance.services.contracts import _check_file
    from finance.services.vouchers import _sniff

    finding = _locked_finding(actor, finding, "rectify")
    if file is None:
        raise BusinessError(_("Choose a file."), code="required", field="file")
    _check_file(file)  # the size and the content, as for contracts and voucher attachments
    content_type = _sniff(file.read(16), file.name or "")
    file.seek(0)
    evidence = RectificationEvidence(
        finding=finding,
        region_code=finding.region_code,
        original_name=(file.name or "")[-200:],
        size=file.size,
        content_type=content_type,
        note=(note or "").strip()[:200],
        uploaded_by=actor,
    )
    evidence.file.save(file.name, file, save=False)
    evidence.save()
    assert_in_scope(actor, evidence, "rectify")
    return evidence


@transaction.atomic
def finding_rectified(*, actor, finding: AuditFinding, note: str) -> AuditFinding:
    """The cooperative reports the rectification done, with at least one piece of evidence."""
    finding = _locked_finding(actor, finding, "rectify")
    note = _text(note, "rectification_note", _("Describe the rectification."))
    if not finding.evidence.exists():
        raise BusinessError(_("Attach evidence of the rectification first."), code="no_evidence", field="file")
    finding.rectification_note = note
    finding.status = FindingStatus.RECTIFIED
    finding.save(update_fields=["rectification_note", "status", "updated_at"])
    return finding


@transaction.atomic
def finding_close(*, actor, finding: AuditFinding) -> AuditFinding:
    """The auditor accepts the rectification and closes the finding."""
    finding = _locked_finding(actor, finding, "change")
    if finding.rectification_required and finding.status != FindingStatus.RECTIFIED:
        raise StateConflict(
            _("The cooperative has not reported the rectification with evidence yet."), code="not_rectified"
        )
    finding.status, finding.closed_at, finding.closed_by = FindingStatus.CLOSED, timezone.now(), actor
    finding.save(update_fields=["status", "closed_at", "closed_by", "updated_at"])
    return finding


@transaction.atomic
def audit_report(
    *,
    actor,
    audit: Audit,
    conclusion: str,
    reported_on: datetime.date,
    assembly_reported_on: datetime.date | None = None,
    assembly_minutes: str = "",
) -> Audit:
    """Record the audit's conclusion and, once done, its report to the member assembly."""
    audit = _locked_audit(actor, audit)
    audit.conclusion = _text(conclusion, "conclusion", _("Write the audit's conclusion."))
    audit.reported_on = reported_on
    if assembly_reported_on is not None:
        if assembly_reported_on < reported_on:
            raise BusinessError(
                _("The member assembly hears the report after it is made."),
                code="invalid",
                field="assembly_reported_on",
            )
        audit.assembly_reported_on = assembly_reported_on
        audit.assembly_minutes = _text(
            assembly_minutes, "assembly_minutes", _("Record what the member assembly was told.")
        )
    audit.status = AuditStatus.REPORTED
    audit.save(
        update_fields=[
            "conclusion",
            "reported_on",
            "assembly_reported_on",
            "assembly_minutes",
            "status",
            "updated_at",
        ]
    )
    return audit


@transaction.atomic
def audit_close(*, actor, audit: Audit) -> Audit:
    """Close an audit whose findings are all closed and whose result the member assembly heard."""
    audit = _locked_audit(actor, audit)
    if audit.status != AuditStatus.REPORTED or audit.assembly_reported_on is None:
        raise StateConflict(
            _("Report the result to the member assembly before closing the audit."), code="not_reported"
        )
    if audit.findings.exclude(status=FindingStatus.CLOSED).exists():
        raise StateConflict(_("Some findings are still open."), code="open_findings")
    audit.status, audit.closed_at = AuditStatus.CLOSED, timezone.now()
    audit.save(update_fields=["status", "closed_at", "updated_at"])
    return audit


def cadre_audit_items(audit: Audit) -> dict:
    """What a term or departure audit of a village cadre looks at in the cooperative during the
    period of office: contracts signed, payments from the township threshold up, disclosures,
    audit findings and alerts, and the share capital. A handful of queries."""
    from finance.choices import VoucherStatus
    from finance.models import Contract, Voucher
    from shares.selectors import cooperative_totals
    from supervision.models import Alert, Disclosure

    coop = audit.cooperative
    start, end = audit.office_from or datetime.date(audit.year, 1, 1), audit.office_to or timezone.localdate()
    threshold = policy_for(coop.region_code).expenditure_approval_threshold
    payments = Voucher.objects.filter(
        cooperative=coop, status=VoucherStatus.POSTED, date__range=(start, end), payment_amount__gte=threshold
    )
    return {
        "start": start,
        "end": end,
        "contracts": list(
            Contract.objects.filter(cooperative=coop)
            .filter(Q(signed_on__range=(start, end)) | Q(signed_on__isnull=True, start_date__range=(start, end)))
            .order_by("start_date", "pk")
        ),
        "payments": list(payments.order_by("date", "pk")[:200]),
        "payments_total": payments.aggregate(t=Sum("payment_amount"))["t"] or ZERO,
        "threshold": threshold,
        "disclosures": list(
            Disclosure.objects.filter(cooperative=coop, deadline__range=(start, end + datetime.timedelta(days=120)))
            .only("year", "quarter", "status", "deadline", "published_at", "cooperative_id")
            .order_by("year", "quarter")
        ),
        "findings": list(
            AuditFinding.objects.filter(audit__cooperative=coop)
            .exclude(audit=audit)
            .select_related("audit")
            .order_by("-audit__year", "pk")[:100]
        ),
        "alerts": list(Alert.objects.filter(cooperative=coop).order_by("status", "-first_seen_at")[:100]),
        "share_capital": cooperative_totals([coop.pk]).get(coop.pk, ZERO),
    }
