"""Approval policy of the dividends app: the township files the plan the member assembly adopted."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.approvals import ApprovalPolicy, Stage, approval_policies
from core.choices import RegionLevel, Role


@approval_policies.register
class DistributionPlanApproval(ApprovalPolicy):
    """DOMAIN.md §1.3: the plan follows law and charter, is approved by the member assembly, and is
    filed with the township before it is carried out."""

    kind = "distribution_plan"
    verbose_name = _("Surplus distribution plan")
    on_approval_label = _("the plan is on file and the accountant may carry it out")
    submitter_roles = frozenset({Role.VILLAGE_ACCOUNTANT, Role.COOP_CHAIR, Role.SYSTEM_ADMIN})

    def stages(self, subject) -> list[Stage]:
        return [Stage(Role.TOWNSHIP_OFFICIAL, RegionLevel.TOWNSHIP)]

    def _decided(self, request, state) -> None:
        from dividends.services.plans import plan_decided

        if request.subject is not None:
            plan_decided(plan=request.subject, state=state)

    def on_approved(self, request, step) -> None:
        self._decided(request, "filed")

    def on_returned(self, request, step) -> None:
        self._decided(request, "returned")

    def on_rejected(self, request, step) -> None:
        self._decided(request, "rejected")

    def on_withdrawn(self, request, step) -> None:
        self._decided(request, "checked")
