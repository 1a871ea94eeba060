"""Test policies: one stage (township) and two stages (township then county)."""

from core.approvals import ApprovalPolicy, Stage, approval_policies
from core.choices import RegionLevel, Role


class _RecordingPolicy(ApprovalPolicy):
    def _note(self, request, event):
        doc = request.subject
        doc.decisions = [*doc.decisions, event]
        doc.status = event
        doc.save(update_fields=["decisions", "status"])

    def on_submitted(self, request, step):
        self._note(request, "submitted")

    def on_approved(self, request, step):
        self._note(request, "approved")

    def on_returned(self, request, step):
        self._note(request, "returned")

    def on_rejected(self, request, step):
        self._note(request, "rejected")

    def on_withdrawn(self, request, step):
        self._note(request, "withdrawn")


@approval_policies.register
class DocumentApproval(_RecordingPolicy):
    kind = "test_document"


@approval_policies.register
class DocumentTwoStageApproval(_RecordingPolicy):
    kind = "test_document_two_stage"

    def stages(self, subject):
        return [Stage(Role.TOWNSHIP_OFFICIAL, RegionLevel.TOWNSHIP), Stage(Role.COUNTY_OFFICIAL, RegionLevel.COUNTY)]
