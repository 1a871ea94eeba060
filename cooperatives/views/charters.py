"""Charter pages: list, version history, a version with its review, the forms of each step, print, compare."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, TemplateView

from cooperatives.choices import OPEN_CHARTER_STATES, AssemblyMeeting, CharterReviewItem, CharterState
from cooperatives.diff import inline_diff
from cooperatives.filters import CharterFilter
from cooperatives.forms import (
    CharterAmendForm,
    CharterAttachmentForm,
    CharterFileForm,
    CharterForm,
    CharterReviewForm,
    CharterVoteForm,
)
from cooperatives.models import Charter, CharterAttachment, Cooperative
from cooperatives.models.charters import SECTIONS
from cooperatives.selectors import charter_actions, latest_reviews, may
from cooperatives.services import charters as services
from cooperatives.views.base import ScopedObjectMixin, ServiceActionView, ServiceFormView
from core.choices import STAFF_ROLES, Role
from core.exceptions import BusinessError
from core.policies import policy_for
from core.tenancy import VILLAGE_WRITERS
from core.views.lists import ScopedListView
from core.views.mixins import ScopedQuerysetMixin

READERS = STAFF_ROLES | {Role.MEMBER}
REVIEWERS = Charter.tenancy.roles_for("review")
FILERS = Charter.tenancy.roles_for("file")


def section_rows(charter: Charter, reviews: dict | None = None) -> list[dict]:
    """The charter's sections for a template: title, (label, value) pairs, the review of its item."""
    rows = []
    for section in SECTIONS:
        values = []
        for name in section.fields:
            field = Charter._meta.get_field(name)
            value = getattr(charter, name)
            if isinstance(value, bool):
                value = _("yes") if value else _("no")
            elif field.choices:  # a choice by its name, not its code (reserve basis, leaver's share)
                value = getattr(charter, f"get_{name}_display")()
            elif name == "reserve_rate" and value is not None:
                value = f"{(value * 100).normalize():f}%"
            values.append({"name": name, "label": field.verbose_name, "value": value})
        rows.append(
            {
                "section": section,
                "values": values,
                "review": (reviews or {}).get(section.review_item) if section.review_item else None,
            }
        )
    return rows


def compare_rows(old: Charter | None, new: Charter) -> list[dict]:
    rows = []
    for section in SECTIONS:
        new_text = new.section_text(section)
        old_text = old.section_text(section) if old is not None else ""
        rows.append(
            {
                "section": section,
                "old": old_text,
                "new": new_text,
                "changed": old is not None and old_text != new_text,
                "diff": inline_diff(old_text, new_text) if old is not None else None,
            }
        )
    return rows


class CharterListView(ScopedListView):
    """Every charter version within the jurisdiction; the county files those in state “adopted”."""

    model = Charter
    allowed_roles = STAFF_ROLES
    filterset_class = CharterFilter
    template_name = "cooperatives/charter_list.html"
    export_name = gettext_lazy("charters")
    export_columns = [
        (gettext_lazy("Cooperative"), "cooperative.name"),
        (gettext_lazy("Township"), "cooperative.village.parent.name"),
        (gettext_lazy("Village"), "cooperative.village.name"),
        (gettext_lazy("Version"), "version"),
        (gettext_lazy("State"), "state"),
        (
            gettext_lazy("Submitted at"),
            lambda c: timezone.localtime(c.submitted_at).replace(tzinfo=None) if c.submitted_at else None,
        ),
        (gettext_lazy("Date of the vote"), "vote_date"),
        (gettext_lazy("Filed on"), "filed_on"),
        (gettext_lazy("Filing number"), "filing_number"),
        (gettext_lazy("Distribution policy"), "distribution_policy"),
    ]

    def get_queryset(self):
        return super().get_queryset().select_related("cooperative__village__parent").order_by("region_code", "-version")


class CharterHistoryView(ScopedObjectMixin, TemplateView):
    """All versions of one cooperative's charter, newest first, each with a link to compare it with the one before."""

    model = Cooperative
    allowed_roles = READERS
    template_name = "cooperatives/charter_history.html"

    def get(self, request, *args, **kwargs):
        self._load()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        coop = self.object
        user = self.request.user
        versions = list(Charter.objects.for_user(user).filter(cooperative=coop).order_by("-version"))
        by_pk = {c.pk: c for c in versions}
        for c in versions:
            c.previous_visible = by_pk.get(c.based_on_id) or next((v for v in versions if v.version < c.version), None)
        ctx["cooperative"] = coop
        ctx["versions"] = versions
        has_open_or_effective = any(c.state in (CharterState.EFFECTIVE, *OPEN_CHARTER_STATES) for c in versions)
        ctx["can_draft"] = may(user, coop.region_code, "add") and not has_open_or_effective
        return ctx


class CharterCreateView(ServiceFormView):
    """Draft the first charter of a cooperative (an amendment starts from the effective version instead)."""

    model = Cooperative
    allowed_roles = VILLAGE_WRITERS
    form_class = CharterForm
    template_name = "cooperatives/charter_form.html"
    success_message = gettext_lazy("The draft was saved. Submit it to the township when it is complete.")

    def get(self, request, *args, **kwargs):
        coop = self._load()
        under_way = Charter.objects.for_user(request.user).filter(
            cooperative=coop, state__in=[CharterState.EFFECTIVE, *OPEN_CHARTER_STATES]
        )
        if under_way.exists():
            messages.info(
                request,
                _("This cooperative already has a charter in force or under way: amend it, or continue that version."),
            )
            return HttpResponseRedirect(reverse("cooperatives:charter_history", args=[coop.pk]))
        return super().get(request, *args, **kwargs)

    def get_initial(self):
        coop = self.object
        return {
            "registered_name": coop.name,
            "domicile": coop.address,
            "business_scope": coop.business_scope,
            "distribution_policy": policy_for(coop.region_code).default_policy_for(coop.kind),
        }

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "cooperative": self.object, "charter": None}

    def perform(self, form):
        return services.charter_create(actor=self.request.user, cooperative=self.object, **form.cleaned_data)


class CharterDetailView(ScopedQuerysetMixin, DetailView):
    """One version: its sections, the township's verdict per item, the vote, the filing, files and history."""

    model = Charter
    allowed_roles = READERS
    template_name = "cooperatives/charter_detail.html"
    context_object_name = "charter"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("cooperative__village__parent", "based_on", "filed_by", "created_by", "approval")
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        charter = self.object
        user = self.request.user
        reviews = latest_reviews(charter, user)
        ctx["cooperative"] = charter.cooperative
        ctx["sections"] = section_rows(charter, reviews)
        ctx["reviews"] = reviews
        ctx["returned_items"] = [r for r in reviews.values() if r.result == "return"]
        ctx["actions"] = charter_actions(user, charter)
        ctx["attachments"] = (
            CharterAttachment.objects.for_user(user).filter(charter=charter).select_related("uploaded_by")
        )
        ctx["steps"] = (
            charter.approval.steps.select_related("actor").order_by("created_at", "pk") if charter.approval else []
        )
        ctx["effective"] = (
            Charter.objects.for_user(user)
            .filter(cooperative_id=charter.cooperative_id, state=CharterState.EFFECTIVE)
            .exclude(pk=charter.pk)
            .first()
            if charter.is_open
            else None
        )
        ctx["attachment_form"] = CharterAttachmentForm()
        return ctx


class CharterUpdateView(ServiceFormView):
    model = Charter
    allowed_roles = VILLAGE_WRITERS
    form_class = CharterForm
    template_name = "cooperatives/charter_form.html"
    success_message = gettext_lazy("The charter was saved.")

    def get_queryset(self):
        return super().get_queryset().select_related("cooperative")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.object, "amendment": bool(self.object.based_on_id)}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        charter = self.object
        ctx["cooperative"] = charter.cooperative
        ctx["charter"] = charter
        reviews = latest_reviews(charter, self.request.user)
        ctx["returned_items"] = [r for r in reviews.values() if r.result == "return"]
        return ctx

    def perform(self, form):
        return services.charter_update(actor=self.request.user, charter=self.object, **form.cleaned_data)


class CharterSubmitView(ServiceActionView):
    model = Charter
    allowed_roles = VILLAGE_WRITERS

    def perform(self):
        services.charter_submit(
            actor=self.request.user, charter=self.object, comment=self.request.POST.get("comment", "")
        )
        self.success_message = _("Submitted to the township for review.")


class CharterWithdrawView(ServiceActionView):
    model = Charter
    allowed_roles = VILLAGE_WRITERS

    def perform(self):
        services.charter_withdraw(
            actor=self.request.user, charter=self.object, comment=self.request.POST.get("comment", "")
        )
        self.success_message = _("The version was withdrawn.")


class CharterReviewView(ServiceFormView):
    """The township's checklist: the six items side by side with the sections they cover."""

    model = Charter
    allowed_roles = REVIEWERS
    form_class = CharterReviewForm
    template_name = "cooperatives/charter_review.html"

    def get_queryset(self):
        return super().get_queryset().select_related("cooperative__village__parent", "based_on")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        charter = self.object
        form = ctx["form"]
        previous = latest_reviews(charter, self.request.user)
        sections = {row["section"].review_item: row for row in compare_rows(charter.based_on, charter)}
        ctx["charter"] = charter
        ctx["cooperative"] = charter.cooperative
        ctx["items"] = [
            {
                "item": item,
                "result": result,
                "comment": comment,
                "section": sections[item.value],
                "previous": previous.get(item.value),
            }
            for item, result, comment in form.items()
        ]
        ctx["waiting"] = charter.state == CharterState.SUBMITTED
        return ctx

    def perform(self, form):
        try:
            charter = services.charter_review(
                actor=self.request.user,
                charter=self.object,
                items=form.checklist(),
                comment=form.cleaned_data.get("comment", ""),
            )
        except BusinessError as exc:
            if exc.field in CharterReviewItem.values:
                suffix = "comment" if exc.code == "checklist_comment_required" else "result"
                exc.field = f"{exc.field}_{suffix}"
            raise
        if charter.state == CharterState.TOWNSHIP_APPROVED:
            self.success_message = _("All six items passed: the charter is approved.")
        else:
            self.success_message = _("The charter went back to the village with your comments.")
        return charter


class CharterVoteView(ServiceFormView):
    model = Charter
    allowed_roles = VILLAGE_WRITERS
    form_class = CharterVoteForm
    template_name = "cooperatives/charter_vote.html"
    success_message = gettext_lazy("The vote was recorded: the charter waits for the county's filing.")

    def get_queryset(self):
        return super().get_queryset().select_related("cooperative")

    def get_initial(self):
        return {"vote_date": timezone.localdate(), "votes_against": 0, "votes_abstain": 0}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["charter"] = self.object
        ctx["cooperative"] = self.object.cooperative
        ctx["founding"] = services.meeting_for(self.object) == AssemblyMeeting.FOUNDING
        return ctx

    def perform(self, form):
        return services.charter_record_vote(actor=self.request.user, charter=self.object, **form.cleaned_data)


class CharterFileView(ServiceFormView):
    model = Charter
    allowed_roles = FILERS
    form_class = CharterFileForm
    template_name = "cooperatives/charter_file.html"
    success_message = gettext_lazy("Filed: this version is now the charter in force.")

    def get_queryset(self):
        return super().get_queryset().select_related("cooperative")

    def get_initial(self):
        return {"filed_on": timezone.localdate()}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "charter": self.object, "cooperative": self.object.cooperative}

    def perform(self, form):
        return services.charter_file(actor=self.request.user, charter=self.object, **form.cleaned_data)


class CharterAmendView(ServiceFormView):
    model = Charter
    allowed_roles = VILLAGE_WRITERS
    form_class = CharterAmendForm
    template_name = "cooperatives/charter_amend.html"
    success_message = gettext_lazy("A new version was opened from the charter in force. Edit it, then submit it.")

    def get_queryset(self):
        return super().get_queryset().select_related("cooperative")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "charter": self.object, "cooperative": self.object.cooperative}

    def get_success_url_for(self, result) -> str:
        return reverse("cooperatives:charter_edit", args=[result.pk])

    def perform(self, form):
        return services.charter_amend(
            actor=self.request.user, charter=self.object, amendment_note=form.cleaned_data["amendment_note"]
        )


class CharterPrintView(ScopedQuerysetMixin, DetailView):
    """The charter as a document, on A4 (the browser's print dialog; the navigation is not printed)."""

    model = Charter
    allowed_roles = READERS
    template_name = "cooperatives/charter_print.html"
    context_object_name = "charter"

    def get_queryset(self):
        return super().get_queryset().select_related("cooperative", "filed_by")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["sections"] = [
            {"section": row["section"], "text": self.object.section_text(row["section"])}
            for row in section_rows(self.object)
        ]
        return ctx


class CharterCompareView(ScopedQuerysetMixin, DetailView):
    """Each section of a version beside another version's (``?with=<id>``; by default the one it amends)."""

    model = Charter
    allowed_roles = READERS
    template_name = "cooperatives/charter_compare.html"
    context_object_name = "charter"

    def get_queryset(self):
        return super().get_queryset().select_related("cooperative")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        charter = self.object
        others = list(
            Charter.objects.for_user(self.request.user)
            .filter(cooperative_id=charter.cooperative_id)
            .exclude(pk=charter.pk)
            .order_by("-version")
        )
        chosen = None
        wanted = self.request.GET.get("with", "")
        if wanted.isdigit():
            chosen = next((c for c in others if c.pk == int(wanted)), None)
            if chosen is None:
                raise Http404(str(Charter._meta.verbose_name))
        if chosen is None:
            chosen = next((c for c in others if c.pk == charter.based_on_id), None) or next(
                (c for c in others if c.version < charter.version), None
            )
        ctx["cooperative"] = charter.cooperative
        ctx["others"] = others
        ctx["other"] = chosen
        ctx["rows"] = compare_rows(chosen, charter)
        ctx["changed_count"] = sum(1 for r in ctx["rows"] if r["changed"])
        return ctx


class CharterAttachmentCreateView(ServiceFormView):
    model = Charter
    allowed_roles = VILLAGE_WRITERS
    form_class = CharterAttachmentForm
    template_name = "cooperatives/charterattachment_form.html"
    success_message = gettext_lazy("The file was attached.")

    def get_queryset(self):
        return super().get_queryset().select_related("cooperative")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "charter": self.object, "cooperative": self.object.cooperative}

    def get_success_url_for(self, result) -> str:
        return self.object.get_absolute_url()

    def perform(self, form):
        return services.charter_attachment_add(
            actor=self.request.user,
            charter=self.object,
            file=form.cleaned_data["file"],
            title=form.cleaned_data["title"],
        )


class CharterAttachmentDownloadView(ScopedQuerysetMixin, View):
    """The stored file, to those who may see its charter version (never a public media URL)."""

    model = CharterAttachment
    allowed_roles = READERS

    def get(self, request, pk):
        attachment = get_object_or_404(self.get_queryset(), pk=pk)
        try:
            handle = attachment.file.open("rb")
        except FileNotFoundError as exc:
            raise Http404(str(CharterAttachment._meta.verbose_name)) from exc
        return FileResponse(
            handle, as_attachment=True, filename=attachment.original_name, content_type=attachment.content_type
        )


class CharterAttachmentDeleteView(ServiceActionView):
    model = CharterAttachment
    allowed_roles = VILLAGE_WRITERS

    def get_queryset(self):
        return super().get_queryset().select_related("charter")

    def redirect_url(self) -> str:
        return self.object.charter.get_absolute_url()

    def perform(self):
        services.charter_attachment_remove(actor=self.request.user, attachment=self.object)
        self.success_message = _("The attachment was removed.")
