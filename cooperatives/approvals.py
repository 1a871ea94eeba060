"""How cooperatives' subjects plug into the approval engine: project proposals (township stage)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.approvals import ApprovalPolicy, Stage, approval_policies
from core.choices import RegionLevel, Role


@approval_policies.register
class ProjectProposalApproval(ApprovalPolicy):
    """The township decides a project after its expert review (seed 002 §6).

    The hooks repeat the rules of ``cooperatives.services.projects`` so that a decision taken from
    the generic approval page is held to them too: approval needs every assigned review recorded,
    refusal needs a reason from the policy's list (``details["reasons"]``).
    """

    kind = "project_proposal"
    verbose_name = _("Project proposal")
    submitter_roles = frozenset({Role.VILLAGE_ACCOUNTANT, Role.COOP_CHAIR, Role.SYSTEM_ADMIN})

    def stages(self, subject):
        return [Stage(Role.TOWNSHIP_OFFICIAL, RegionLevel.TOWNSHIP)]

    def _proposal(self, request):
        from cooperatives.models import ProjectProposal

        return ProjectProposal.objects.select_for_update().get(pk=request.subject_id)

    def _set(self, proposal, **values):
        for key, value in values.items():
            setattr(proposal, key, value)
        proposal.save(update_fields=[*values, "updated_at"])

    def on_submitted(self, request, step):
        from cooperatives.choices import ProposalStatus

        proposal = self._proposal(request)
        self._set(
            proposal,
            status=ProposalStatus.SUBMITTED,
            approval=request,
            refusal_reasons=[],
            decision_comment="",
            decided_at=None,
        )

    def on_approved(self, request, step):
        from cooperatives.choices import ProposalStatus
        from cooperatives.services.projects import check_reviews_complete

        proposal = self._proposal(request)
        check_reviews_complete(proposal)  # raises: the decision is rolled back
        self._set(proposal, status=ProposalStatus.APPROVED, decision_comment=step.comment, decided_at=timezone.now())

    def on_rejected(self, request, step):
        from cooperatives.choices import ProposalStatus
        from cooperatives.services.projects import clean_refusal_reasons

        proposal = self._proposal(request)
        reasons = clean_refusal_reasons((step.details or {}).get("reasons"))  # raises without a reason
        self._set(
            proposal,
            status=ProposalStatus.REJECTED,
            refusal_reasons=reasons,
            decision_comment=step.comment,
            decided_at=timezone.now(),
        )

    def on_returned(self, request, step):
        from cooperatives.choices import ProposalStatus

        proposal = self._proposal(request)
        self._set(proposal, status=ProposalStatus.RETURNED, decision_comment=step.comment)

    def on_withdrawn(self, request, step):
        from cooperatives.choices import ProposalStatus

        proposal = self._proposal(request)
        self._set(proposal, status=ProposalStatus.DRAFT)
