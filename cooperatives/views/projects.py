"""Project proposals and expert review: the village drafts and submits, the township assigns experts,
records their reviews and decides; the expert pools of the county and townships."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView

from cooperatives.files import download_response
from cooperatives.filters import ExpertFilter, ProjectProposalFilter
from cooperatives.forms import (
    ExpertAssignForm,
    ExpertForm,
    ExpertReviewForm,
    ProjectProposalForm,
    ProposalDecisionForm,
)
from cooperatives.models import Expert, ExpertReview, ProjectProposal
from cooperatives.models.common import OVERSIGHT_VIEWERS, TOWNSHIP_EDITORS
from cooperatives.services.projects import (
    PROPOSAL_FIELDS,
    expert_create,
    expert_review_record,
    expert_update,
    experts_usable_for,
    project_experts_assign,
    project_proposal_approve,
    project_proposal_create,
    project_proposal_refuse,
    project_proposal_return,
    project_proposal_submit,
    project_proposal_update,
)
from cooperatives.views.common import ServiceFormView
from core.choices import STAFF_ROLES
from core.exceptions import BusinessError
from core.services.approvals import can_decide
from core.views.lists import ScopedListView
from core.views.mixins import RoleRequiredMixin, ScopedQuerysetMixin

VILLAGE_EDITORS = ProjectProposal.tenancy.roles_for("add")


# -- experts ------------------------------------------------------------------------------------


class ExpertListView(ScopedListView):
    model = Expert
    allowed_roles = OVERSIGHT_VIEWERS
    filterset_class = ExpertFilter
    template_name = "cooperatives/expert_list.html"
    export_name = gettext_lazy("experts")
    export_columns = [
        (gettext_lazy("Pool"), "region.name"),
        (gettext_lazy("Name"), "name"),
        (gettext_lazy("Field"), "field"),
        (gettext_lazy("Organisation"), "organisation"),
        (gettext_lazy("Position or title"), "title"),
        (gettext_lazy("Phone"), "phone"),
        (gettext_lazy("Active"), lambda e: _("yes") if e.is_active else _("no")),
    ]

    def get_queryset(self):
        return super().get_queryset().select_related("region")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["can_add"] = user.is_superuser or bool(user.jurisdiction.roles & Expert.tenancy.roles_for("add"))
        ctx["changeable"] = set(
            Expert.objects.for_user(user, "change")
            .filter(pk__in=[e.pk for e in ctx["object_list"]])
            .values_list("pk", flat=True)
        )
        return ctx


class ExpertCreateView(ServiceFormView):
    model = Expert
    scope_action = "add"
    allowed_roles = Expert.tenancy.roles_for("add")
    form_class = ExpertForm
    page_title = gettext_lazy("Add an expert")
    cancel_url_name = "cooperatives:expert_list"

    def perform(self, form):
        expert_create(actor=self.request.user, **form.cleaned_data)
        return None

    def get_success_url_for(self, obj):
        return reverse("cooperatives:expert_list")


class ExpertUpdateView(ExpertCreateView):
    scope_action = "change"
    object_model = Expert
    object_action = "change"
    page_title = gettext_lazy("Edit expert")

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"instance": self.object}

    def get_cancel_url(self):
        return reverse("cooperatives:expert_list")

    def perform(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k != "region"}
        expert_update(actor=self.request.user, expert=self.object, **data)
        return None


# -- proposals ----------------------------------------------------------------------------------


class ProjectProposalListView(ScopedListView):
    model = ProjectProposal
    allowed_roles = STAFF_ROLES
    filterset_class = ProjectProposalFilter
    template_name = "cooperatives/projectproposal_list.html"
    export_name = gettext_lazy("project proposals")
    export_columns = [
        (gettext_lazy("Project"), "title"),
        (gettext_lazy("Cooperative"), "cooperative.name"),
        (gettext_lazy("Village"), "cooperative.village.name"),
        (gettext_lazy("Total investment"), "total_investment"),
        (gettext_lazy("Borrowed (debt)"), "debt_amount"),
        (gettext_lazy("Expected annual return"), "expected_annual_return"),
        (gettext_lazy("Status"), "status"),
        (gettext_lazy("Refusal reasons"), lambda p: "、".join(str(x) for x in p.refusal_reason_labels())),
        (gettext_lazy("Decided at"), "decided_at"),
    ]

    def get_queryset(self):
        return super().get_queryset().select_related("cooperative__village")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["can_add"] = user.is_superuser or bool(user.jurisdiction.roles & VILLAGE_EDITORS)
        ctx["sees_experts"] = user.is_superuser or bool(user.jurisdiction.roles & OVERSIGHT_VIEWERS)
        return ctx


class ProjectProposalCreateView(ServiceFormView):
    model = ProjectProposal
    scope_action = "add"
    allowed_roles = VILLAGE_EDITORS
    form_class = ProjectProposalForm
    page_title = gettext_lazy("Propose a project")
    cancel_url_name = "cooperatives:projectproposal_list"
    success_message = gettext_lazy("Saved as a draft. Submit it to the township when it is complete.")

    def get_initial(self):
        initial = super().get_initial()
        if self.request.GET.get("cooperative", "").isdigit():
            initial["cooperative"] = int(self.request.GET["cooperative"])
        return initial

    def perform(self, form):
        data = {k: form.cleaned_data[k] for k in PROPOSAL_FIELDS}
        return project_proposal_create(
            actor=self.request.user,
            cooperative=form.cleaned_data["cooperative"],
            market_study_file=form.cleaned_data.get("market_study_file") or None,
            **data,
        )


class ProjectProposalUpdateView(ProjectProposalCreateView):
    scope_action = "change"
    object_model = ProjectProposal
    object_action = "change"
    page_title = gettext_lazy("Edit the project proposal")
    success_message = gettext_lazy("Saved.")

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"instance": self.object}

    def perform(self, form):
        data = {k: form.cleaned_data[k] for k in PROPOSAL_FIELDS}
        upload = form.cleaned_data.get("market_study_file")
        # the ModelForm hands back the stored file when nothing new is uploaded
        if not isinstance(upload, UploadedFile):
            upload = None
        return project_proposal_update(actor=self.request.user, proposal=self.object, market_study_file=upload, **data)


class ProjectProposalDetailView(ScopedQuerysetMixin, DetailView):
    """The proposal, its review panel and scores, and what the user may do next."""

    model = ProjectProposal
    allowed_roles = STAFF_ROLES
    template_name = "cooperatives/projectproposal_detail.html"
    context_object_name = "proposal"

    def get_queryset(self):
        return super().get_queryset().select_related("cooperative__village__parent", "approval", "created_by")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        proposal = self.object
        user = self.request.user
        reviews = list(proposal.reviews.select_related("expert__region", "recorded_by"))
        ctx["reviews"] = reviews
        ctx["recorded_count"] = sum(1 for r in reviews if r.is_recorded)
        can_change = ProjectProposal.objects.for_user(user, "change").filter(pk=proposal.pk).exists()
        ctx["can_edit"] = can_change and proposal.is_editable
        is_decider = proposal.approval is not None and can_decide(user, proposal.approval) is not None
        ctx["is_decider"] = is_decider
        if is_decider:
            ctx["decision_form"] = ProposalDecisionForm()
        ctx["history"] = (
            proposal.approval.steps.select_related("actor").order_by("created_at", "pk") if proposal.approval else []
        )
        return ctx


class _ProposalActionView(ScopedQuerysetMixin, View):
    model = ProjectProposal
    allowed_roles = STAFF_ROLES
    scope_action = "view"

    def post(self, request, pk):
        proposal = get_object_or_404(self.get_queryset(), pk=pk)
        try:
            message = self.act(proposal)
        except BusinessError as exc:
            if exc.status_code == 403:
                raise PermissionDenied(exc.message) from exc
            messages.error(request, exc.message)
        else:
            messages.success(request, message)
        return HttpResponseRedirect(proposal.get_absolute_url())


class ProjectProposalSubmitView(_ProposalActionView):
    allowed_roles = VILLAGE_EDITORS
    scope_action = "change"

    def act(self, proposal):
        project_proposal_submit(
            actor=self.request.user, proposal=proposal, comment=self.request.POST.get("comment", "")
        )
        return _("Submitted to the township.")


class ProjectProposalDecideView(_ProposalActionView):
    """Approve, refuse (with at least one reason from the list) or return for changes."""

    allowed_roles = TOWNSHIP_EDITORS

    def act(self, proposal):
        form = ProposalDecisionForm(self.request.POST)
        if not form.is_valid():
            raise BusinessError(_("Choose a decision."), code="decision_required")
        data = form.cleaned_data
        actor = self.request.user
        if data["decision"] == "approve":
            project_proposal_approve(actor=actor, proposal=proposal, comment=data["comment"])
            return _("The project is approved.")
        if data["decision"] == "refuse":
            project_proposal_refuse(actor=actor, proposal=proposal, reasons=data["reasons"], comment=data["comment"])
            return _("The project is refused.")
        project_proposal_return(actor=actor, proposal=proposal, comment=data["comment"])
        return _("The proposal is returned to the village for changes.")


class ProjectExpertsAssignView(ServiceFormView):
    """The township chooses the review panel (three or more) from the pools it may use."""

    model = ExpertReview
    scope_action = "add"
    allowed_roles = TOWNSHIP_EDITORS
    form_class = ExpertAssignForm
    template_name = "cooperatives/projectproposal_experts.html"
    object_model = ProjectProposal
    object_action = "view"
    pass_user = False
    submit_label = gettext_lazy("Assign")
    success_message = gettext_lazy("The review panel is set.")

    def get_page_title(self):
        return _("Review panel: %(title)s") % {"title": self.object.title}

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"experts": experts_usable_for(self.request.user, self.object)}

    def get_initial(self):
        return {"experts": list(self.object.reviews.values_list("expert_id", flat=True))}

    def perform(self, form):
        project_experts_assign(actor=self.request.user, proposal=self.object, experts=form.cleaned_data["experts"])
        return self.object


class ExpertReviewRecordView(ServiceFormView):
    """Record an expert's review on the expert's behalf."""

    model = ExpertReview
    scope_action = "change"
    allowed_roles = TOWNSHIP_EDITORS
    form_class = ExpertReviewForm
    object_model = ExpertReview
    object_action = "change"
    pass_user = False

    def object_queryset(self, qs):
        return qs.select_related("proposal", "expert")

    def get_page_title(self):
        return _("Review by %(expert)s: %(title)s") % {
            "expert": self.object.expert.name,
            "title": self.object.proposal.title,
        }

    def get_cancel_url(self):
        return self.object.proposal.get_absolute_url()

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"instance": self.object}

    def perform(self, form):
        expert_review_record(actor=self.request.user, review=self.object, **form.cleaned_data)
        return self.object.proposal


class ProjectProposalMarketStudyView(RoleRequiredMixin, View):
    """Download the market study attachment; a foreign one is 404."""

    allowed_roles = STAFF_ROLES

    def get(self, request, pk):
        proposal = get_object_or_404(
            ProjectProposal.objects.for_user(request.user, "view").exclude(market_study_file=""), pk=pk
        )
        return download_response(proposal.market_study_file, proposal.market_study_file_name)
