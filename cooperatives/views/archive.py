"""The township archive (list per township, Excel export, scoped download) and the seal-use log."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView

from cooperatives.files import download_response
from cooperatives.filters import ArchivedDocumentFilter, SealUseFilter
from cooperatives.forms import ArchivedDocumentForm, SealUseForm
from cooperatives.models import ArchivedDocument, SealUse
from cooperatives.services.archive import (
    DOCUMENT_FIELDS,
    document_archive,
    document_update,
    is_chair_of,
    seal_use_confirm,
    seal_use_record,
)
from cooperatives.views.common import ServiceFormView
from core.choices import STAFF_ROLES
from core.exceptions import BusinessError
from core.views.lists import ScopedListView
from core.views.mixins import RoleRequiredMixin, ScopedQuerysetMixin

KEEPERS = ArchivedDocument.tenancy.roles_for("add")
SEAL_WRITERS = SealUse.tenancy.roles_for("add")


def _township(obj) -> str:
    village = obj.cooperative.village
    return village.parent.name if village.parent_id else village.name


class ArchivedDocumentListView(ScopedListView):
    model = ArchivedDocument
    allowed_roles = STAFF_ROLES
    filterset_class = ArchivedDocumentFilter
    template_name = "cooperatives/archiveddocument_list.html"
    export_name = gettext_lazy("archive")
    export_columns = [
        (gettext_lazy("Township"), _township),
        (gettext_lazy("Village"), "cooperative.village.name"),
        (gettext_lazy("Cooperative"), "cooperative.name"),
        (gettext_lazy("Document type"), "doc_type"),
        (gettext_lazy("Title"), "title"),
        (gettext_lazy("Document number"), "number"),
        (gettext_lazy("Document date"), "doc_date"),
        (gettext_lazy("Keeper"), "keeper"),
        (gettext_lazy("Storage location"), "location"),
        (gettext_lazy("File name"), "file_name"),
        (gettext_lazy("Archived by"), "archived_by.display_name"),
    ]

    def get_queryset(self):
        return super().get_queryset().select_related("cooperative__village__parent", "archived_by")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["can_add"] = user.is_superuser or bool(user.jurisdiction.roles & KEEPERS)
        return ctx


class ArchivedDocumentCreateView(ServiceFormView):
    model = ArchivedDocument
    scope_action = "add"
    allowed_roles = KEEPERS
    form_class = ArchivedDocumentForm
    page_title = gettext_lazy("Archive a document")
    cancel_url_name = "cooperatives:archiveddocument_list"

    def get_initial(self):
        initial = super().get_initial()
        if self.request.GET.get("cooperative", "").isdigit():
            initial["cooperative"] = int(self.request.GET["cooperative"])
        return initial

    def perform(self, form):
        data = {k: form.cleaned_data[k] for k in DOCUMENT_FIELDS}
        return document_archive(
            actor=self.request.user,
            cooperative=form.cleaned_data["cooperative"],
            file=form.cleaned_data["file"],
            **data,
        )


class ArchivedDocumentUpdateView(ArchivedDocumentCreateView):
    scope_action = "change"
    object_model = ArchivedDocument
    object_action = "change"
    page_title = gettext_lazy("Edit the archived document")

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"instance": self.object}

    def perform(self, form):
        data = {k: form.cleaned_data[k] for k in DOCUMENT_FIELDS}
        upload = form.cleaned_data.get("file")
        upload = upload if isinstance(upload, UploadedFile) else None
        return document_update(actor=self.request.user, document=self.object, file=upload, **data)


class ArchivedDocumentDetailView(ScopedQuerysetMixin, DetailView):
    model = ArchivedDocument
    allowed_roles = STAFF_ROLES
    template_name = "cooperatives/archiveddocument_detail.html"
    context_object_name = "document"

    def get_queryset(self):
        return super().get_queryset().select_related("cooperative__village__parent", "archived_by")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["can_change"] = ArchivedDocument.objects.for_user(user, "change").filter(pk=self.object.pk).exists()
        ctx["seal_uses"] = SealUse.objects.for_user(user).filter(document=self.object).select_related("handler")
        return ctx


class ArchivedDocumentDownloadView(RoleRequiredMixin, View):
    """The file, for those who may see the record; another township's file is 404."""

    allowed_roles = STAFF_ROLES

    def get(self, request, pk):
        document = get_object_or_404(ArchivedDocument.objects.for_user(request.user, "view"), pk=pk)
        return download_response(document.file, document.file_name)


# -- seal use -----------------------------------------------------------------------------------


class SealUseListView(ScopedListView):
    model = SealUse
    allowed_roles = STAFF_ROLES
    filterset_class = SealUseFilter
    template_name = "cooperatives/sealuse_list.html"
    export_name = gettext_lazy("seal-use log")
    export_columns = [
        (gettext_lazy("Date of use"), "used_on"),
        (gettext_lazy("Cooperative"), "cooperative.name"),
        (gettext_lazy("Purpose"), "purpose"),
        (gettext_lazy("Document sealed"), "document_title"),
        (gettext_lazy("Copies"), "copies"),
        (gettext_lazy("Used by"), "handler.display_name"),
        (gettext_lazy("Confirmed by the user at"), "handler_confirmed_at"),
        (gettext_lazy("Confirmed by the chair"), "chair_confirmed_by.display_name"),
        (gettext_lazy("Confirmed by the chair at"), "chair_confirmed_at"),
        (gettext_lazy("Status"), "status"),
    ]

    def get_queryset(self):
        return super().get_queryset().select_related("cooperative__village", "handler", "chair_confirmed_by")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["can_add"] = user.is_superuser or bool(user.jurisdiction.roles & SEAL_WRITERS)
        return ctx


class SealUseCreateView(ServiceFormView):
    model = SealUse
    scope_action = "add"
    allowed_roles = SEAL_WRITERS
    form_class = SealUseForm
    page_title = gettext_lazy("Log a use of the seal")
    cancel_url_name = "cooperatives:sealuse_list"
    success_message = gettext_lazy("Logged. It is pending until the user of the seal and the chair confirm it.")

    def perform(self, form):
        return seal_use_record(actor=self.request.user, **form.cleaned_data)


class SealUseDetailView(ScopedQuerysetMixin, DetailView):
    model = SealUse
    allowed_roles = STAFF_ROLES
    template_name = "cooperatives/sealuse_detail.html"
    context_object_name = "entry"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("cooperative__village", "handler", "chair_confirmed_by", "recorded_by", "document")
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        entry = self.object
        user = self.request.user
        may_confirm = SealUse.objects.for_user(user, "confirm").filter(pk=entry.pk).exists()
        ctx["can_confirm_as_handler"] = (
            may_confirm and entry.handler_id == user.pk and entry.handler_confirmed_at is None
        )
        ctx["can_confirm_as_chair"] = (
            may_confirm
            and entry.chair_confirmed_by_id is None
            and entry.handler_id != user.pk
            and is_chair_of(user, entry.cooperative)
        )
        return ctx


class SealUseConfirmView(ScopedQuerysetMixin, View):
    """POST ``as=handler`` or ``as=chair``; the service checks who may confirm."""

    model = SealUse
    allowed_roles = SEAL_WRITERS
    scope_action = "confirm"

    def post(self, request, pk):
        entry = get_object_or_404(self.get_queryset(), pk=pk)
        try:
            seal_use_confirm(actor=request.user, entry=entry, as_chair=request.POST.get("as") == "chair")
        except BusinessError as exc:
            if exc.status_code == 403:
                raise PermissionDenied(exc.message) from exc
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Confirmed."))
        return HttpResponseRedirect(entry.get_absolute_url())
