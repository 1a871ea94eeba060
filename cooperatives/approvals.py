"""The charter's township review, plugged into the approval engine.

Design: the engine carries exactly one stage for a charter — the township official of the
cooperative's township, who reviews the six items of seed 002 §5 one by one. The later steps are the
charter's own states with their own services, not further approval stages:

* the member assembly votes *after* the township has approved (seed 002 §5: "通过后召开社员大会表决").
  Engine stages run back to back, so a county stage would ask the county to decide before the
  members had voted;
* the county's filing (备案) is a record-keeping act by the organisation department / agriculture
  bureau on an adopted charter, not a decision with return and reject: it has no checklist, no
  "return for changes", and what it produces (a filing number, the effective date, the previous
  version superseded) belongs to the charter. ``services.charters.charter_file`` does it, and the
  county finds what waits for it on the charter list (state "adopted") and on its home page.

The hooks keep the charter's state in step with the engine whichever door the decision came through
(the charter's review page, the generic approval page, ``/api/v1/approvals/…``): approval and
return need the item-by-item checklist in the step's ``details``; without it they are refused and
the engine's transaction rolls back.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.approvals import ApprovalPolicy, Stage, approval_policies
from core.choices import RegionLevel, Role

CHARTER_KIND = "charter"


@approval_policies.register
class CharterApproval(ApprovalPolicy):
    kind = CHARTER_KIND
    verbose_name = _("Charter")
    on_approval_label = _("the charter is on file with the township and takes effect")
    # the village accountant drafts and submits (DESIGN.md: roles)
    submitter_roles = frozenset({Role.VILLAGE_ACCOUNTANT, Role.SYSTEM_ADMIN})

    def stages(self, subject) -> list[Stage]:
        return [Stage(Role.TOWNSHIP_OFFICIAL, RegionLevel.TOWNSHIP)]

    def subject_url(self, subject) -> str | None:
        return subject.get_absolute_url()

    def on_submitted(self, request, step) -> None:
        from cooperatives.services.charters import charter_on_submitted

        charter_on_submitted(request=request, step=step)

    def on_approved(self, request, step) -> None:
        from cooperatives.services.charters import charter_on_reviewed

        charter_on_reviewed(request=request, step=step, approved=True)

    def on_returned(self, request, step) -> None:
        from cooperatives.services.charters import charter_on_reviewed

        charter_on_reviewed(request=request, step=step, approved=False)

    def on_rejected(self, request, step) -> None:
        from cooperatives.services.charters import charter_on_closed

        charter_on_closed(request=request, step=step, rejected=True)

    def on_withdrawn(self, request, step) -> None:
        from cooperatives.services.charters import charter_on_closed

        charter_on_closed(request=request, step=step, rejected=False)


@approval_policies.register
class ProjectProposalApproval(ApprovalPolicy):
    """The township decides a project after its expert review (seed 002 §6).

    The hooks repeat the rules of ``cooperatives.services.projects`` so that a decision taken from
    the generic approval page is held to them too: approval needs every assigned review recorded,
    refusal needs a reason from the policy's list (``details["reasons"]``).
    """

    kind = "project_proposal"
    verbose_name = _("Project proposal")
    on_approval_label = _("the project is approved and may start")
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
