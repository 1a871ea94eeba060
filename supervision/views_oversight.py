"""Pages of disclosures, audits, spot checks and risk alerts. Thin: scope, form, service, redirect."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView

from core.choices import STAFF_ROLES, RegionLevel, Role
from core.exceptions import BusinessError
from core.exports import xlsx_response
from core.models import Region
from core.views.lists import ScopedListView
from core.views.mixins import ScopedQuerysetMixin
from finance.views.base import can
from supervision import forms_oversight as f
from supervision.choices_oversight import CADRE_AUDITS, AlertStatus, AuditKind, AuditStatus, FindingStatus
from supervision.filters_oversight import AlertFilter, AuditFilter, DisclosureFilter, SpotCheckFilter
from supervision.models import Alert, Audit, AuditFinding, Disclosure, RectificationEvidence, SpotCheckDraw
from supervision.models.audits import AUDITORS, COUNTY_AUDITORS
from supervision.services import alerts as alert_services
from supervision.services import audits as audit_services
from supervision.services import disclosures as disclosure_services

READERS = STAFF_ROLES | {Role.MEMBER}


class ObjectActionView(ScopedQuerysetMixin, View):
    """POST on one object: find it in the user's scope (else 404), check ``permission`` (else 403),
    call ``perform``; a refused rule comes back as a message on the object's page."""

    allowed_roles = STAFF_ROLES
    permission = "change"
    success = ""

    def perform(self, request, obj):
        raise NotImplementedError

    def permitted(self, user, obj) -> bool:
        return can(user, self.model, self.permission, obj.region_code)

    def success_message(self, result) -> str:
        return str(self.success)

    def redirect_to(self, obj) -> str:
        return obj.get_absolute_url()

    def post(self, request, pk):
        obj = get_object_or_404(self.get_queryset(), pk=pk)
        if not self.permitted(request.user, obj):
            raise PermissionDenied
        try:
            result = self.perform(request, obj)
        except BusinessError as exc:
            messages.error(request, exc.message)
        else:
            if result is not False:
                messages.success(request, self.success_message(result))
        return HttpResponseRedirect(self.redirect_to(obj))


def _invalid(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))


# -- disclosures -------------------------------------------------------------------------------


class DisclosureListView(ScopedListView):
    model = Disclosure
    allowed_roles = READERS
    filterset_class = DisclosureFilter
    template_name = "supervision/disclosure_list.html"
    export_name = gettext_lazy("disclosures")
    export_columns = [
        (gettext_lazy("Cooperative"), "cooperative.name"),
        (gettext_lazy("Year"), "year"),
        (gettext_lazy("Quarter"), "quarter"),
        (gettext_lazy("Status"), "status"),
        (gettext_lazy("Income"), "income_total"),
        (gettext_lazy("Expenditure"), "expenditure_total"),
        (gettext_lazy("Publish by"), "deadline"),
        (gettext_lazy("Published at"), "published_at"),
    ]

    def get_queryset(self):
        return super().get_queryset().select_related("cooperative").defer("content")


class DisclosureDetailView(ScopedQuerysetMixin, DetailView):
    """The disclosure as posted on the notice board (A4 print), ``?format=xlsx`` the itemised sheet."""

    model = Disclosure
    allowed_roles = READERS
    template_name = "supervision/disclosure_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("cooperative__village__parent", "published_by")

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "xlsx":
            disclosure = self.get_object()
            headers, rows = disclosure_services.disclosure_rows(disclosure)
            name = f"{disclosure.cooperative.name}-{disclosure.year}Q{disclosure.quarter}.xlsx"
            return xlsx_response(name, disclosure.period_label, headers, rows)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        d, user = self.object, self.request.user
        draft = not d.is_published
        ctx["can_edit"] = draft and can(user, Disclosure, "change", d.region_code)
        ctx["can_publish"] = draft and can(user, Disclosure, "publish", d.region_code)
        ctx["form"] = f.DisclosureForm(
            initial={"plan_summary": d.plan_summary, "operations_summary": d.operations_summary}
        )
        ctx["overdue"] = draft and d.deadline < timezone.localdate()
        return ctx


class DisclosureEditView(ObjectActionView):
    model = Disclosure
    success = gettext_lazy("Disclosure saved.")

    def perform(self, request, obj):
        form = f.DisclosureForm(request.POST)
        if not form.is_valid():
            _invalid(request, form)
            return False
        disclosure_services.disclosure_update(actor=request.user, disclosure=obj, **form.cleaned_data)


class DisclosureRefreshView(ObjectActionView):
    model = Disclosure
    success = gettext_lazy("Figures taken again from the books.")

    def perform(self, request, obj):
        disclosure_services.disclosure_refresh(actor=request.user, disclosure=obj)


class DisclosurePublishView(ObjectActionView):
    model = Disclosure
    permission = "publish"
    success = gettext_lazy("Disclosure published.")

    def perform(self, request, obj):
        disclosure_services.disclosure_publish(actor=request.user, disclosure=obj)


# -- audits ------------------------------------------------------------------------------------


class AuditListView(ScopedListView):
    model = Audit
    allowed_roles = STAFF_ROLES
    filterset_class = AuditFilter
    template_name = "supervision/audit_list.html"
    export_name = gettext_lazy("audits")
    export_columns = [
        (gettext_lazy("Cooperative"), "cooperative.name"),
        (gettext_lazy("Year"), "year"),
        (gettext_lazy("Kind"), "kind"),
        (gettext_lazy("Status"), "status"),
        (gettext_lazy("Audited by"), "auditor_region.name"),
        (gettext_lazy("Cadre audited"), "cadre_name"),
        (gettext_lazy("Started on"), "started_on"),
        (gettext_lazy("Report date"), "reported_on"),
        (gettext_lazy("Reported to the member assembly on"), "assembly_reported_on"),
    ]

    def get_queryset(self):
        return super().get_queryset().select_related("cooperative", "auditor_region")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["can_add"] = user.is_superuser or user.jurisdiction.has_role(*AUDITORS)
        ctx["can_draw"] = user.is_superuser or user.jurisdiction.has_role(*COUNTY_AUDITORS)
        year = timezone.localdate().year
        ctx["annual_forms"] = [
            (grant, f.AnnualAuditsForm(initial={"year": year}, auto_id=f"annual-{grant.region_id}-%s"))
            for grant in user.jurisdiction.grants_for(Role.TOWNSHIP_OFFICIAL)
        ]
        return ctx


class AnnualAuditsOpenView(ObjectActionView):
    """POST on a township: open the year's annual audit of each of its operating cooperatives that
    has none yet (the service skips those that have one, so a second POST opens nothing twice)."""

    model = Region
    allowed_roles = AUDITORS

    def get_queryset(self):
        return super().get_queryset().filter(level=RegionLevel.TOWNSHIP)

    def permitted(self, user, obj) -> bool:
        return can(user, Audit, "add", obj.code)

    def perform(self, request, obj):
        form = f.AnnualAuditsForm(request.POST)
        if not form.is_valid():
            _invalid(request, form)
            return False
        year = form.cleaned_data["year"]
        already = (
            Audit.objects.for_user(request.user).in_region(obj.code).filter(kind=AuditKind.ANNUAL, year=year).count()
        )
        opened = audit_services.annual_audits_open(actor=request.user, region=obj, **form.cleaned_data)
        return year, len(opened), already

    def success_message(self, result) -> str:
        year, opened, already = result
        return _("Annual audits of %(year)s: %(opened)s opened, %(already)s there already.") % {
            "year": year,
            "opened": opened,
            "already": already,
        }

    def redirect_to(self, obj) -> str:
        return f"{reverse('oversight:audit_list')}?township={obj.pk}&kind={AuditKind.ANNUAL}"


class AuditCreateView(ScopedQuerysetMixin, View):
    model = Audit
    allowed_roles = AUDITORS
    template_name = "supervision/audit_form.html"

    def get(self, request):
        form = f.AuditForm(user=request.user, initial={"year": timezone.localdate().year})
        return render(request, self.template_name, {"form": form})

    def post(self, request):
        form = f.AuditForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                audit = audit_services.audit_create(actor=request.user, **form.cleaned_data)
            except BusinessError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("Audit opened."))
                return HttpResponseRedirect(audit.get_absolute_url())
        return render(request, self.template_name, {"form": form}, status=400)


class AuditDetailView(ScopedQuerysetMixin, DetailView):
    model = Audit
    allowed_roles = STAFF_ROLES
    template_name = "supervision/audit_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("cooperative__village", "auditor_region", "spot_check")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        audit, user = self.object, self.request.user
        findings = list(audit.findings.prefetch_related("evidence").order_by("pk"))
        is_open = audit.status != AuditStatus.CLOSED
        ctx.update(
            findings=findings,
            can_change=is_open and can(user, Audit, "change", audit.region_code),
            can_rectify=is_open and can(user, Audit, "rectify", audit.region_code),
            finding_form=f.FindingForm(),
            evidence_form=f.EvidenceForm(),
            rectified_form=f.RectifiedForm(),
            report_form=f.ReportForm(
                initial={
                    "conclusion": audit.conclusion,
                    "reported_on": audit.reported_on or timezone.localdate(),
                    "assembly_reported_on": audit.assembly_reported_on,
                    "assembly_minutes": audit.assembly_minutes,
                }
            ),
            open_status=FindingStatus.OPEN,
            rectified_status=FindingStatus.RECTIFIED,
        )
        if audit.kind in CADRE_AUDITS:
            ctx["items"] = audit_services.cadre_audit_items(audit)
        return ctx


class FindingAddView(ObjectActionView):
    model = Audit
    success = gettext_lazy("Finding recorded.")

    def perform(self, request, obj):
        form = f.FindingForm(request.POST)
        if not form.is_valid():
            _invalid(request, form)
            return False
        audit_services.finding_add(actor=request.user, audit=obj, **form.cleaned_data)


class AuditReportView(ObjectActionView):
    model = Audit
    success = gettext_lazy("Report recorded.")

    def perform(self, request, obj):
        form = f.ReportForm(request.POST)
        if not form.is_valid():
            _invalid(request, form)
            return False
        audit_services.audit_report(actor=request.user, audit=obj, **form.cleaned_data)


class AuditCloseView(ObjectActionView):
    model = Audit
    success = gettext_lazy("Audit closed.")

    def perform(self, request, obj):
        audit_services.audit_close(actor=request.user, audit=obj)


class _FindingAction(ObjectActionView):
    model = AuditFinding

    def redirect_to(self, obj) -> str:
        return reverse("oversight:audit_detail", args=[obj.audit_id])


class EvidenceAddView(_FindingAction):
    permission = "rectify"
    success = gettext_lazy("Evidence attached.")

    def perform(self, request, obj):
        form = f.EvidenceForm(request.POST, request.FILES)
        if not form.is_valid():
            _invalid(request, form)
            return False
        audit_services.evidence_add(actor=request.user, finding=obj, **form.cleaned_data)


class FindingRectifiedView(_FindingAction):
    permission = "rectify"
    success = gettext_lazy("Rectification reported.")

    def perform(self, request, obj):
        form = f.RectifiedForm(request.POST)
        if not form.is_valid():
            _invalid(request, form)
            return False
        audit_services.finding_rectified(actor=request.user, finding=obj, note=form.cleaned_data["note"])


class FindingCloseView(_FindingAction):
    success = gettext_lazy("Finding closed.")

    def perform(self, request, obj):
        audit_services.finding_close(actor=request.user, finding=obj)


class EvidenceDownloadView(ScopedQuerysetMixin, View):
    model = RectificationEvidence
    allowed_roles = STAFF_ROLES

    def get(self, request, pk):
        evidence = get_object_or_404(self.get_queryset(), pk=pk)
        try:
            handle = evidence.file.open("rb")
        except (FileNotFoundError, ValueError) as exc:
            raise Http404(_("The file is missing.")) from exc
        return FileResponse(handle, filename=evidence.original_name, content_type=evidence.content_type)


class SpotCheckListView(ScopedListView):
    """The county's draws; POST draws a new sample for the official's county."""

    model = SpotCheckDraw
    allowed_roles = COUNTY_AUDITORS
    filterset_class = SpotCheckFilter
    template_name = "supervision/spotcheck_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("county", "drawn_by")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["form"] = f.SpotCheckForm(initial={"year": timezone.localdate().year})
        return ctx

    def post(self, request):
        form = f.SpotCheckForm(request.POST)
        grants = request.user.jurisdiction.grants_for(Role.COUNTY_OFFICIAL, Role.SYSTEM_ADMIN)
        county = Region.objects.filter(pk__in=[g.region_id for g in grants], level="county").first()
        if county is None:
            messages.error(request, _("Spot checks are drawn by a county official."))
        elif not form.is_valid():
            _invalid(request, form)
        else:
            try:
                draw = audit_services.spot_check_draw(actor=request.user, county=county, **form.cleaned_data)
            except BusinessError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("%(n)s cooperatives drawn.") % {"n": len(draw.drawn)})
                return HttpResponseRedirect(draw.get_absolute_url())
        return HttpResponseRedirect(reverse("oversight:spotcheck_list"))


class SpotCheckDetailView(ScopedQuerysetMixin, DetailView):
    model = SpotCheckDraw
    allowed_roles = COUNTY_AUDITORS
    template_name = "supervision/spotcheck_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["verified"] = audit_services.spot_check_verify(self.object)
        ctx["audits"] = self.object.audits.select_related("cooperative").order_by("cooperative_id")
        return ctx


# -- alerts ------------------------------------------------------------------------------------


def _rule_label(code: str):
    rule = alert_services.RULES.get(code)
    return rule.label if rule else code


class AlertListView(ScopedListView):
    """The problem list (挂牌督办): open first, most recent first."""

    model = Alert
    allowed_roles = STAFF_ROLES
    filterset_class = AlertFilter
    template_name = "supervision/alert_list.html"
    export_name = gettext_lazy("problems")
    export_columns = [
        (gettext_lazy("Problem"), "title"),
        (gettext_lazy("Cooperative"), "cooperative.name"),
        (gettext_lazy("Rule"), lambda a: _rule_label(a.rule)),
        (gettext_lazy("Period"), "period"),
        (gettext_lazy("Severity"), "severity"),
        (gettext_lazy("Status"), "status"),
        (gettext_lazy("Assigned to"), "assignee.full_name"),
        (gettext_lazy("First seen"), "first_seen_at"),
        (gettext_lazy("Resolved at"), "resolved_at"),
    ]

    def get_queryset(self):
        return super().get_queryset().select_related("cooperative", "assignee")


class AlertDetailView(ScopedQuerysetMixin, DetailView):
    model = Alert
    allowed_roles = STAFF_ROLES
    template_name = "supervision/alert_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("cooperative", "assignee", "resolved_by")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        alert, user = self.object, self.request.user
        ctx["can_change"] = can(user, Alert, "change", alert.region_code)
        ctx["rule"] = alert_services.RULES.get(alert.rule)
        if alert.status != AlertStatus.RESOLVED and can(user, Alert, "assign", alert.region_code):
            ctx["assign_form"] = f.AlertAssignForm(
                people=alert_services.assignees(alert), initial={"assignee": alert.assignee_id}
            )
        return ctx


class AlertAssignView(ObjectActionView):
    """The township or county hands the alert to one of the people whose jurisdiction covers it."""

    model = Alert
    permission = "assign"

    def perform(self, request, obj):
        form = f.AlertAssignForm(request.POST, people=alert_services.assignees(obj))
        if not form.is_valid():
            _invalid(request, form)
            return False
        return alert_services.alert_assign(actor=request.user, alert=obj, assignee=form.cleaned_data["assignee"])

    def success_message(self, result) -> str:
        if result.assignee is None:
            return _("The alert is no longer assigned to anyone.")
        return _("Alert assigned to %(name)s.") % {"name": result.assignee.display_name}


class AlertAcknowledgeView(ObjectActionView):
    model = Alert
    success = gettext_lazy("Alert acknowledged.")

    def perform(self, request, obj):
        alert_services.alert_acknowledge(actor=request.user, alert=obj, note=request.POST.get("note", ""))


class AlertResolveView(ObjectActionView):
    model = Alert
    success = gettext_lazy("Alert resolved.")

    def perform(self, request, obj):
        alert_services.alert_resolve(actor=request.user, alert=obj, note=request.POST.get("note", ""))
