"""Major-matter pages (四议两公开): list with export, opening a matter, its page with the six steps,
recording the next step, downloading a step's attachment."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView

from cooperatives.choices import MatterStatus, MatterStep
from cooperatives.files import download_response
from cooperatives.filters import MajorMatterFilter
from cooperatives.forms import MajorMatterForm, MajorMatterStepForm
from cooperatives.models import MajorMatter, MajorMatterStep
from cooperatives.services.major_matters import major_matter_open, major_matter_record_step
from cooperatives.views.common import ServiceFormView
from core.choices import STAFF_ROLES
from core.views.lists import ScopedListView
from core.views.mixins import RoleRequiredMixin, ScopedQuerysetMixin

EDITORS = MajorMatter.tenancy.roles_for("add")


class MajorMatterListView(ScopedListView):
    model = MajorMatter
    allowed_roles = STAFF_ROLES
    filterset_class = MajorMatterFilter
    template_name = "cooperatives/majormatter_list.html"
    export_name = gettext_lazy("major matters")
    export_columns = [
        (gettext_lazy("Title"), "title"),
        (gettext_lazy("Cooperative"), "cooperative.name"),
        (gettext_lazy("Village"), "cooperative.village.name"),
        (gettext_lazy("Category"), "category"),
        (gettext_lazy("Amount"), "amount"),
        (gettext_lazy("Status"), "status"),
        (
            gettext_lazy("Last recorded step"),
            lambda m: MatterStep(m.current_step).label if m.current_step else "",
        ),
        (gettext_lazy("Opened"), lambda m: m.created_at.date()),
    ]

    def get_queryset(self):
        return super().get_queryset().select_related("cooperative__village")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["can_add"] = user.is_superuser or bool(user.jurisdiction.roles & EDITORS)
        ctx["step_count"] = len(MatterStep)
        return ctx


class MajorMatterCreateView(ServiceFormView):
    model = MajorMatter
    scope_action = "add"
    allowed_roles = EDITORS
    form_class = MajorMatterForm
    page_title = gettext_lazy("Open a major matter")
    cancel_url_name = "cooperatives:majormatter_list"

    def get_initial(self):
        initial = super().get_initial()
        if self.request.GET.get("cooperative", "").isdigit():
            initial["cooperative"] = int(self.request.GET["cooperative"])
        return initial

    def perform(self, form):
        return major_matter_open(actor=self.request.user, **form.cleaned_data)


class MajorMatterDetailView(ScopedQuerysetMixin, DetailView):
    """The matter and its six steps: recorded ones with date, minutes and votes, the next one open."""

    model = MajorMatter
    allowed_roles = STAFF_ROLES
    template_name = "cooperatives/majormatter_detail.html"
    context_object_name = "matter"

    def get_queryset(self):
        return super().get_queryset().select_related("cooperative__village__parent", "created_by")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        matter = self.object
        recorded = {s.step: s for s in matter.steps.select_related("recorded_by")}
        ctx["steps"] = [{"number": int(step), "label": step.label, "row": recorded.get(step)} for step in MatterStep]
        ctx["can_change"] = MajorMatter.objects.for_user(self.request.user, "change").filter(pk=matter.pk).exists()
        ctx["next_step"] = matter.next_step
        ctx["is_rejected"] = matter.status == MatterStatus.REJECTED
        return ctx


class MajorMatterStepCreateView(ServiceFormView):
    """Record the next step; a step out of order is refused by the service, naming the missing one."""

    model = MajorMatterStep
    scope_action = "add"
    allowed_roles = EDITORS
    form_class = MajorMatterStepForm
    template_name = "cooperatives/majormatterstep_form.html"
    object_model = MajorMatter
    object_action = "change"
    pass_user = False

    @property
    def step(self) -> MatterStep:
        try:
            return MatterStep(int(self.kwargs["step"]))
        except ValueError:
            raise Http404 from None

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"step": self.step}

    def get_page_title(self):
        return _("Step %(number)s: %(step)s") % {"number": int(self.step), "step": self.step.label}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["matter"] = self.object
        ctx["step"] = self.step
        return ctx

    def perform(self, form):
        data = dict(form.cleaned_data)
        major_matter_record_step(actor=self.request.user, matter=self.object, step=self.step, **data)
        return self.object


class MajorMatterStepAttachmentView(RoleRequiredMixin, View):
    """Download a step's attachment; a foreign one is 404."""

    allowed_roles = STAFF_ROLES

    def get(self, request, pk):
        row = get_object_or_404(MajorMatterStep.objects.for_user(request.user, "view").exclude(attachment=""), pk=pk)
        return download_response(row.attachment, row.attachment_name)
