"""Approval pages: the inbox, one request with its history, and the decision buttons."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView

from core.approvals import approval_policies
from core.choices import STAFF_ROLES, ApprovalAction, ApprovalState, Role
from core.exceptions import BusinessError
from core.forms import ApprovalActionForm
from core.models import ApprovalRequest
from core.selectors import approval_inbox, with_places
from core.services import approvals as approval_services
from core.todo import DECISION_DAYS
from core.views.mixins import ScopedQuerysetMixin


class ApprovalListView(ScopedQuerysetMixin, ListView):
    """Tab “waiting for me” (the inbox, oldest first) and tab “all” within the jurisdiction."""

    model = ApprovalRequest
    allowed_roles = STAFF_ROLES
    template_name = "core/approval_list.html"
    paginate_by = 25

    def get_queryset(self):
        tab = self.request.GET.get("tab", "inbox")
        if tab == "inbox":
            qs = approval_inbox(self.request.user)
        else:
            qs = with_places(
                super().get_queryset().select_related("requested_by", "subject_type").order_by("-updated_at")
            )
        state = self.request.GET.get("state")
        if state in ApprovalState.values:
            qs = qs.filter(state=state)
        kind = self.request.GET.get("kind")
        if kind:
            qs = qs.filter(kind=kind)
        return qs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["tab"] = self.request.GET.get("tab", "inbox")
        ctx["states"] = ApprovalState.choices
        ctx["kinds"] = approval_policies.kinds()
        ctx["inbox_count"] = approval_inbox(self.request.user).count()
        today = timezone.localdate()
        for a in ctx["object_list"]:
            # waiting days of an open request: since it was submitted (or returned to the village)
            since = a.submitted_at if a.state == ApprovalState.SUBMITTED else None
            a.waiting_days = (today - timezone.localdate(since)).days if since else None
            a.overdue = a.waiting_days is not None and a.waiting_days > DECISION_DAYS
        return ctx


class ApprovalDetailView(ScopedQuerysetMixin, DetailView):
    model = ApprovalRequest
    allowed_roles = STAFF_ROLES
    template_name = "core/approval_detail.html"
    context_object_name = "approval"

    def get_queryset(self):
        return with_places(super().get_queryset().select_related("requested_by", "subject_type"))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        approval = self.object
        user = self.request.user
        ctx["steps"] = approval.steps.select_related("actor").order_by("created_at", "pk")
        ctx["decider_role"] = approval_services.can_decide(user, approval)
        submit_role = approval_services.can_submit(user, approval)
        ctx["can_submit"] = submit_role and approval.state in (ApprovalState.DRAFT, ApprovalState.RETURNED)
        ctx["can_withdraw"] = submit_role and approval.is_open
        ctx["form"] = ApprovalActionForm()
        ctx["facts"], ctx["warnings"], policy = [], [], None
        try:
            policy = approval_policies.get(approval.kind)
        except LookupError:
            ctx["kind_label"] = approval.kind
        else:
            ctx["kind_label"] = policy.verbose_name
            subject = approval.subject
            ctx["cooperative"] = getattr(subject, "cooperative", None)
            if subject is not None:
                ctx["subject_url"] = policy.subject_url(subject)
                ctx["facts"] = policy.facts(subject, user)
                ctx["detail_template"] = policy.detail_template
                ctx["detail"] = policy.detail(subject, user)
                if approval.is_open:
                    ctx["warnings"] = policy.warnings(subject, approval)
        ctx["next_step"] = next_step(approval, policy)
        # four eyes: the stages passed over at the last submission, because who asked or whom the
        # subject benefits holds their role
        submitted = next((s for s in reversed(ctx["steps"]) if s.action == ApprovalAction.SUBMIT), None)
        passed = (submitted.details or {}).get("escalated_from", []) if submitted else []
        ctx["escalated_from"] = [str(Role(r).label) if r in Role.values else r for r in passed]
        return ctx


def next_step(approval: ApprovalRequest, policy) -> str:
    """What happens next, in words: who decides now (and what the last approval does), or that the
    requester changes and resubmits; empty once the request is settled."""
    after = policy.on_approval_label if policy is not None else ""
    if approval.state == ApprovalState.SUBMITTED and approval.current_stage:
        stage = approval.current_stage
        text = _("Next: %(role)s decides.") % {"role": Role(stage["role"]).label}
        if approval.stage_index == len(approval.stages) - 1 and after:
            text += " " + _("Once approved: %(after)s.") % {"after": after}
        return text
    if approval.state in (ApprovalState.DRAFT, ApprovalState.RETURNED):
        return _("Next: the requester changes it and submits it again.")
    if approval.state == ApprovalState.APPROVED and after:
        return _("Approved: %(after)s.") % {"after": after}
    return ""


ACTIONS = {
    ApprovalAction.SUBMIT: approval_services.approval_submit,
    ApprovalAction.APPROVE: approval_services.approval_approve,
    ApprovalAction.RETURN: approval_services.approval_return,
    ApprovalAction.REJECT: approval_services.approval_reject,
    ApprovalAction.WITHDRAW: approval_services.approval_withdraw,
}


class ApprovalActionView(ScopedQuerysetMixin, View):
    """POST a decision; the service enforces state and role, the page shows its message."""

    model = ApprovalRequest
    allowed_roles = STAFF_ROLES

    def post(self, request, pk):
        approval = get_object_or_404(self.get_queryset(), pk=pk)
        form = ApprovalActionForm(request.POST)
        detail_url = reverse("core:approval_detail", args=[approval.pk])
        if not form.is_valid():
            messages.error(request, _("Choose a decision."))
            return HttpResponseRedirect(detail_url)
        action = form.cleaned_data["action"]
        service = ACTIONS[ApprovalAction(action)]
        if action == ApprovalAction.SUBMIT:
            service = approval_policies.get(approval.kind).submit
        try:
            service(actor=request.user, request=approval, comment=form.cleaned_data["comment"])
        except BusinessError as exc:
            if exc.status_code == 403:
                raise PermissionDenied(exc.message) from exc
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Recorded: %(action)s.") % {"action": ApprovalAction(action).label})
        return HttpResponseRedirect(detail_url)
