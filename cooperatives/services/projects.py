"""Project proposals and expert review (seed 002 §6).

The village proposes the main business, scale and expected return after a market study; the
township assigns three or more experts from the county and township pools, records each expert's
review on the expert's behalf, and approves (every assigned review recorded) or refuses (with at
least one of the policy's reasons: unreasonable, high risk, poor market, debt-driven). The decision
runs through the approval engine, kind ``project_proposal``, township stage; the policy hooks in
``cooperatives.approvals`` repeat the checks so the generic inbox cannot bypass them.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperatives.choices import ProposalStatus, Recommendation, RefusalReason
from cooperatives.files import check_upload, original_name
from cooperatives.models import Cooperative, Expert, ExpertReview, ProjectProposal
from core.exceptions import BusinessError, NotPermitted, StateConflict
from core.models import Region, User
from core.services import approvals as approval_services
from core.tenancy import assert_in_scope

logger = logging.getLogger(__name__)

APPROVAL_KIND = "project_proposal"
MIN_EXPERTS = 3  # seed 002 §6 convenes a review panel; the county's rule: three or more experts
TEXT_FIELDS = ["title", "main_business", "scale", "market_study", "risks"]
MONEY_FIELDS = ["total_investment", "own_funds", "fiscal_funds", "debt_amount", "other_funds", "expected_annual_return"]
PROPOSAL_FIELDS = [*TEXT_FIELDS, *MONEY_FIELDS, "financing_note"]
ZERO = Decimal("0.00")


# -- experts ------------------------------------------------------------------------------------


def _check_pool_region(region: Region) -> None:
    if region.level not in ("county", "township"):
        raise BusinessError(
            _("An expert pool belongs to a county or a township."), code="wrong_region_level", field="region"
        )


@transaction.atomic
def expert_create(*, actor: User, region: Region, name: str, field: str, **data) -> Expert:
    """Add an expert to the pool of a county or township."""
    _check_pool_region(region)
    if not (name or "").strip() or not (field or "").strip():
        raise BusinessError(_("Give the expert's name and field."), code="expert_incomplete", field="name")
    expert = Expert.objects.create(
        region=region,
        region_code=region.padded_code,
        pool_prefix=region.prefix,
        name=name.strip(),
        field=field.strip(),
        organisation=data.get("organisation", ""),
        title=data.get("title", ""),
        phone=data.get("phone", ""),
        is_active=data.get("is_active", True),
    )
    assert_in_scope(actor, expert, "add")
    return expert


@transaction.atomic
def expert_update(*, actor: User, expert: Expert, **data) -> Expert:
    """Change an expert's details or take them out of service (``is_active``); the pool stays."""
    expert = Expert.objects.select_for_update().get(pk=expert.pk)
    for key in ("name", "field", "organisation", "title", "phone", "is_active"):
        if key in data:
            setattr(expert, key, data[key])
    if not (expert.name or "").strip() or not (expert.field or "").strip():
        raise BusinessError(_("Give the expert's name and field."), code="expert_incomplete", field="name")
    expert.save()
    assert_in_scope(actor, expert, "change")
    return expert


def experts_usable_for(actor: User, proposal: ProjectProposal):
    """Active experts of the proposal's county and township pools that ``actor`` may see."""
    code = proposal.region_code
    return Expert.objects.for_user(actor, "view").filter(is_active=True, pool_prefix__in=[code[:6], code[:9]])


# -- proposals ----------------------------------------------------------------------------------


def _check_proposal(data: dict) -> None:
    for field in TEXT_FIELDS:
        if not (data.get(field) or "").strip():
            raise BusinessError(_("This field is required."), code="required", field=field)
    for field in MONEY_FIELDS:
        value = data.get(field)
        if value is None:
            data[field] = value = ZERO
        if value < 0:
            raise BusinessError(_("Amounts cannot be negative."), code="negative_amount", field=field)
    if data["total_investment"] <= 0:
        raise BusinessError(_("Give the total investment."), code="investment_required", field="total_investment")
    sources = data["own_funds"] + data["fiscal_funds"] + data["debt_amount"] + data["other_funds"]
    if sources != data["total_investment"]:
        raise BusinessError(
            _("The financing sources add up to %(sources)s but the total investment is %(total)s.")
            % {"sources": f"{sources:,.2f}", "total": f"{data['total_investment']:,.2f}"},
            code="financing_mismatch",
            field="own_funds",
        )


def _attach(proposal: ProjectProposal, upload) -> None:
    if upload is not None:
        check_upload(upload, field="market_study_file")
        proposal.market_study_file_name = original_name(upload)
        proposal.market_study_file = upload


@transaction.atomic
def project_proposal_create(
    *, actor: User, cooperative: Cooperative, market_study_file=None, **data
) -> ProjectProposal:
    """Draft a project proposal for ``cooperative``; the financing sources must add up to the investment."""
    data = {k: v for k, v in data.items() if k in PROPOSAL_FIELDS}
    _check_proposal(data)
    check_upload(market_study_file, field="market_study_file")
    proposal = ProjectProposal(cooperative=cooperative, region_code=cooperative.region_code, created_by=actor, **data)
    proposal.save()
    assert_in_scope(actor, proposal, "add")  # before the file is stored
    if market_study_file is not None:
        _attach(proposal, market_study_file)
        proposal.save(update_fields=["market_study_file", "market_study_file_name"])
    return proposal


@transaction.atomic
def project_proposal_update(
    *, actor: User, proposal: ProjectProposal, market_study_file=None, **data
) -> ProjectProposal:
    """Change a draft, or a proposal returned for changes."""
    proposal = ProjectProposal.objects.select_for_update().get(pk=proposal.pk)
    assert_in_scope(actor, proposal, "change")
    if not proposal.is_editable:
        raise StateConflict(
            _("A proposal that is “%(status)s” cannot be changed.") % {"status": proposal.get_status_display()},
            code="proposal_not_editable",
        )
    merged = {f: getattr(proposal, f) for f in PROPOSAL_FIELDS} | {
        k: v for k, v in data.items() if k in PROPOSAL_FIELDS
    }
    _check_proposal(merged)
    for field, value in merged.items():
        setattr(proposal, field, value)
    _attach(proposal, market_study_file)
    proposal.save()
    return proposal


@transaction.atomic
def project_proposal_submit(*, actor: User, proposal: ProjectProposal, comment: str = "") -> ProjectProposal:
    """Send the proposal to the township's inbox (a returned one goes back to the same request)."""
    proposal = ProjectProposal.objects.select_for_update().get(pk=proposal.pk)
    assert_in_scope(actor, proposal, "change")
    if not proposal.is_editable:
        raise StateConflict(
            _("A proposal that is “%(status)s” cannot be submitted.") % {"status": proposal.get_status_display()},
            code="proposal_not_submittable",
        )
    _check_proposal({f: getattr(proposal, f) for f in PROPOSAL_FIELDS})
    request = proposal.approval
    if request is None or not request.is_open:
        request = approval_services.approval_request_create(
            actor=actor,
            subject=proposal,
            kind=APPROVAL_KIND,
            title=_("Project: %(title)s") % {"title": proposal.title},
            region_code=proposal.region_code,
            amount=proposal.total_investment,
        )
        proposal.approval = request
        proposal.save(update_fields=["approval", "updated_at"])
    approval_services.approval_submit(actor=actor, request=request, comment=comment)
    proposal.refresh_from_db()
    return proposal


def _require_decider(actor: User, proposal: ProjectProposal) -> None:
    """Only the township that decides the proposal convenes and records its review."""
    if proposal.status != ProposalStatus.SUBMITTED or proposal.approval is None:
        raise StateConflict(_("This proposal is not under review."), code="proposal_not_under_review")
    if approval_services.can_decide(actor, proposal.approval) is None:
        raise NotPermitted(_("The review of this proposal is for its township."))


@transaction.atomic
def project_experts_assign(*, actor: User, proposal: ProjectProposal, experts: Iterable[Expert]) -> list[ExpertReview]:
    """Set the review panel: three or more experts from the pools the township may use.

    Experts already assigned stay; an expert whose review is recorded cannot be taken off the panel.
    """
    proposal = ProjectProposal.objects.select_for_update(of=("self",)).select_related("approval").get(pk=proposal.pk)
    _require_decider(actor, proposal)
    wanted = {e.pk for e in experts}
    if len(wanted) < MIN_EXPERTS:
        raise BusinessError(
            _("Assign at least %(min)s experts; %(count)s chosen.") % {"min": MIN_EXPERTS, "count": len(wanted)},
            code="experts_too_few",
            field="experts",
        )
    usable = set(experts_usable_for(actor, proposal).filter(pk__in=wanted).values_list("pk", flat=True))
    if usable != wanted:
        raise BusinessError(
            _("Choose experts from the active pools of this county and township."),
            code="expert_not_in_pool",
            field="experts",
        )
    current = {r.expert_id: r for r in ExpertReview.objects.select_for_update().filter(proposal=proposal)}
    for expert_id, review in current.items():
        if expert_id not in wanted:
            if review.is_recorded:
                raise BusinessError(
                    _("%(name)s has already reviewed this proposal and stays on the panel.")
                    % {"name": review.expert.name},
                    code="reviewed_expert_removed",
                    field="experts",
                )
            review.delete()
    for expert_id in sorted(wanted - set(current)):
        review = ExpertReview.objects.create(
            proposal=proposal, expert_id=expert_id, region_code=proposal.region_code, assigned_by=actor
        )
        assert_in_scope(actor, review, "add")
    return list(proposal.reviews.select_related("expert").order_by("pk"))


@transaction.atomic
def expert_review_record(
    *,
    actor: User,
    review: ExpertReview,
    feasibility: int,
    risk: int,
    expected_return: int,
    market: int,
    recommendation: str,
    opinion: str,
    reviewed_on: date,
) -> ExpertReview:
    """Record (or correct) an expert's review on the expert's behalf: four scores 1–5 and an opinion."""
    review = ExpertReview.objects.select_for_update(of=("self",)).select_related("proposal__approval").get(pk=review.pk)
    _require_decider(actor, review.proposal)
    scores = {"feasibility": feasibility, "risk": risk, "expected_return": expected_return, "market": market}
    for field, value in scores.items():
        if value is None or not 1 <= int(value) <= 5:
            raise BusinessError(_("Give a score from 1 to 5."), code="invalid_score", field=field)
    if recommendation not in Recommendation.values:
        raise BusinessError(_("Choose a recommendation."), code="invalid_recommendation", field="recommendation")
    if not (opinion or "").strip():
        raise BusinessError(_("Write the expert's opinion."), code="opinion_required", field="opinion")
    if reviewed_on is None:
        raise BusinessError(_("Give the date."), code="date_required", field="reviewed_on")
    if reviewed_on > timezone.localdate():
        raise BusinessError(_("The date cannot be in the future."), code="date_in_future", field="reviewed_on")
    for field, value in scores.items():
        setattr(review, field, int(value))
    review.recommendation = recommendation
    review.opinion = opinion.strip()
    review.reviewed_on = reviewed_on
    review.recorded_by = actor
    review.save()
    assert_in_scope(actor, review, "change")
    return review


def check_reviews_complete(proposal: ProjectProposal) -> None:
    """Approval needs three or more assigned experts, every review recorded."""
    reviews = list(proposal.reviews.all())
    if len(reviews) < MIN_EXPERTS:
        raise BusinessError(
            _("Assign at least %(min)s experts before deciding; %(count)s assigned.")
            % {"min": MIN_EXPERTS, "count": len(reviews)},
            code="experts_too_few",
        )
    missing = [r for r in reviews if not r.is_recorded]
    if missing:
        raise BusinessError(
            _("%(count)s expert review(s) are not recorded yet.") % {"count": len(missing)},
            code="reviews_incomplete",
        )


def clean_refusal_reasons(reasons: Sequence[str] | None) -> list[str]:
    """The refusal reasons, in the policy's order; at least one, each from the policy's list."""
    chosen = list(dict.fromkeys(reasons or []))
    if not chosen:
        raise BusinessError(
            _("Choose at least one refusal reason: unreasonable, high risk, poor market or debt-driven."),
            code="refusal_reason_required",
            field="reasons",
        )
    unknown = [r for r in chosen if r not in RefusalReason.values]
    if unknown:
        raise BusinessError(
            _("Unknown refusal reason: %(reason)s.") % {"reason": ", ".join(unknown)},
            code="invalid_refusal_reason",
            field="reasons",
        )
    return [r for r in RefusalReason.values if r in chosen]


def _locked_for_decision(actor: User, proposal: ProjectProposal) -> ProjectProposal:
    proposal = ProjectProposal.objects.select_for_update(of=("self",)).select_related("approval").get(pk=proposal.pk)
    _require_decider(actor, proposal)
    return proposal


@transaction.atomic
def project_proposal_approve(*, actor: User, proposal: ProjectProposal, comment: str = "") -> ProjectProposal:
    """Approve after every assigned review is recorded."""
    proposal = _locked_for_decision(actor, proposal)
    check_reviews_complete(proposal)
    approval_services.approval_approve(actor=actor, request=proposal.approval, comment=comment)
    proposal.refresh_from_db()
    return proposal


@transaction.atomic
def project_proposal_refuse(
    *, actor: User, proposal: ProjectProposal, reasons: Sequence[str], comment: str = ""
) -> ProjectProposal:
    """Refuse for good, with at least one reason from the policy's list."""
    proposal = _locked_for_decision(actor, proposal)
    chosen = clean_refusal_reasons(reasons)
    comment = (comment or "").strip() or "；".join(str(RefusalReason(r).label) for r in chosen)
    approval_services.approval_reject(
        actor=actor, request=proposal.approval, comment=comment, details={"reasons": chosen}
    )
    proposal.refresh_from_db()
    return proposal


@transaction.atomic
def project_proposal_return(*, actor: User, proposal: ProjectProposal, comment: str) -> ProjectProposal:
    """Send the proposal back to the village for changes (a reason is required)."""
    proposal = _locked_for_decision(actor, proposal)
    approval_services.approval_return(actor=actor, request=proposal.approval, comment=comment)
    proposal.refresh_from_db()
    return proposal
