"""Classification history, demonstration titles and product certifications: lists with export, forms."""

from __future__ import annotations

from django.db.models import DecimalField, F, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cooperatives.filters import CertificationFilter, ClassificationChangeFilter, DemonstrationFilter
from cooperatives.forms import CertificationForm, ClassificationForm, DemonstrationForm
from cooperatives.models import ClassificationChange, Cooperative, DemonstrationAward, ProductCertification
from cooperatives.models.common import OVERSIGHT_EDITORS
from cooperatives.services.classification import certification_record, cooperative_classify, demonstration_grant
from cooperatives.views.common import ServiceFormView
from core.choices import STAFF_ROLES
from core.models import PolicyProfile
from core.money import MONEY
from core.views.lists import ScopedListView

COOP_COLUMNS = [
    (gettext_lazy("Township"), lambda r: r.cooperative.village.parent.name if r.cooperative.village.parent else ""),
    (gettext_lazy("Village"), "cooperative.village.name"),
    (gettext_lazy("Cooperative"), "cooperative.name"),
]


def _total(qs):
    return qs.aggregate(t=Coalesce(Sum("award_amount"), 0, output_field=DecimalField(**MONEY)))["t"]


class _AwardListView(ScopedListView):
    allowed_roles = STAFF_ROLES

    def get_queryset(self):
        # an award keeps the code of the profile it was computed from; the export names the profile
        profile = PolicyProfile.objects.filter(code=OuterRef("award_basis")).values("name")[:1]
        return (
            super()
            .get_queryset()
            .select_related("cooperative__village__parent")
            .annotate(award_basis_name=Coalesce(Subquery(profile), F("award_basis")))
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["award_total"] = _total(ctx["filter"].qs) if ctx.get("filter") is not None else None
        user = self.request.user
        ctx["can_add"] = user.is_superuser or bool(user.jurisdiction.roles & self.model.tenancy.roles_for("add"))
        return ctx


class ClassificationChangeListView(ScopedListView):
    model = ClassificationChange
    allowed_roles = STAFF_ROLES
    filterset_class = ClassificationChangeFilter
    template_name = "cooperatives/classificationchange_list.html"
    export_name = gettext_lazy("classification history")
    export_columns = [
        *COOP_COLUMNS,
        (gettext_lazy("Date"), "changed_on"),
        (gettext_lazy("Previous classification"), "previous"),
        (gettext_lazy("Classification"), "classification"),
        (gettext_lazy("Reason"), "reason"),
        (gettext_lazy("Changed by"), "changed_by.display_name"),
    ]

    def get_queryset(self):
        return super().get_queryset().select_related("cooperative__village__parent", "changed_by")


class DemonstrationListView(_AwardListView):
    model = DemonstrationAward
    filterset_class = DemonstrationFilter
    template_name = "cooperatives/demonstrationaward_list.html"
    export_name = gettext_lazy("demonstration cooperatives")
    export_columns = [
        *COOP_COLUMNS,
        (gettext_lazy("Level"), "level"),
        (gettext_lazy("Year granted"), "year"),
        (gettext_lazy("Document number"), "document_number"),
        (gettext_lazy("Award amount"), "award_amount"),
        (gettext_lazy("Award basis"), "award_basis_name"),
    ]


class CertificationListView(_AwardListView):
    model = ProductCertification
    filterset_class = CertificationFilter
    template_name = "cooperatives/productcertification_list.html"
    export_name = gettext_lazy("product certifications")
    export_columns = [
        *COOP_COLUMNS,
        (gettext_lazy("Certification"), "kind"),
        (gettext_lazy("Product"), "product"),
        (gettext_lazy("Certificate number"), "certificate_number"),
        (gettext_lazy("Certified on"), "certified_on"),
        (gettext_lazy("Award amount"), "award_amount"),
        (gettext_lazy("Award basis"), "award_basis_name"),
    ]


class ClassificationCreateView(ServiceFormView):
    """Give or change a cooperative's type, with the date and the reason."""

    model = ClassificationChange
    scope_action = "add"
    allowed_roles = OVERSIGHT_EDITORS
    form_class = ClassificationForm
    object_model = Cooperative
    object_action = "view"
    pass_user = False

    def get_page_title(self):
        return _("Classify %(name)s") % {"name": self.object.name}

    def get_initial(self):
        return {"classification": self.object.classification}

    def perform(self, form):
        cooperative_classify(actor=self.request.user, cooperative=self.object, **form.cleaned_data)
        return self.object


class _CooperativePreselectMixin:
    def get_initial(self):
        initial = super().get_initial()
        if self.request.GET.get("cooperative", "").isdigit():
            initial["cooperative"] = int(self.request.GET["cooperative"])
        return initial


class DemonstrationCreateView(_CooperativePreselectMixin, ServiceFormView):
    model = DemonstrationAward
    scope_action = "add"
    allowed_roles = DemonstrationAward.tenancy.roles_for("add")
    form_class = DemonstrationForm
    page_title = gettext_lazy("Record a demonstration cooperative title")
    cancel_url_name = "cooperatives:demonstrationaward_list"

    def perform(self, form):
        data = form.cleaned_data
        award = demonstration_grant(
            actor=self.request.user,
            cooperative=data["cooperative"],
            level=data["level"],
            year=data["year"],
            document_number=data["document_number"],
        )
        return award.cooperative

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["intro"] = _("The one-off award is read from the county's policy profile when the title is recorded.")
        return ctx


class CertificationCreateView(_CooperativePreselectMixin, ServiceFormView):
    model = ProductCertification
    scope_action = "add"
    allowed_roles = ProductCertification.tenancy.roles_for("add")
    form_class = CertificationForm
    page_title = gettext_lazy("Record a product certification")
    cancel_url_name = "cooperatives:productcertification_list"

    def perform(self, form):
        certification = certification_record(actor=self.request.user, **form.cleaned_data)
        return certification.cooperative
