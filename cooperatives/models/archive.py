"""The township's central archive of charters and contracts, and the seal-use log (seed 002 §10)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cooperatives.choices import DocumentType, SealUseStatus
from cooperatives.models.common import TOWNSHIP_EDITORS
from cooperatives.storage import private_storage
from core.choices import STAFF_ROLES, VILLAGE_ROLES, Role
from core.history import tracked
from core.models import TenantModel
from core.tenancy import Tenancy


def _archive_upload(instance, filename: str) -> str:
    return f"archive/{instance.region_code[:9]}/{instance.region_code}/{filename}"


@tracked()
class ArchivedDocument(TenantModel):
    """A document of a cooperative kept centrally by its township: charter, contract, minutes…

    The file is only reachable through the scoped download view.
    """

    cooperative = models.ForeignKey(
        "cooperatives.Cooperative",
        verbose_name=_("cooperative"),
        on_delete=models.PROTECT,
        related_name="archived_documents",
    )
    doc_type = models.CharField(_("document type"), max_length=12, choices=DocumentType.choices)
    title = models.CharField(_("title"), max_length=200)
    number = models.CharField(_("document number"), max_length=64, blank=True)
    doc_date = models.DateField(_("document date"))
    keeper = models.CharField(_("keeper"), max_length=32)
    location = models.CharField(_("storage location"), max_length=100, blank=True)
    file = models.FileField(_("file"), storage=private_storage, upload_to=_archive_upload, max_length=300)
    file_name = models.CharField(_("file name"), max_length=200)
    file_size = models.PositiveIntegerField(_("file size"), default=0)
    note = models.TextField(_("note"), blank=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("archived by"), on_delete=models.PROTECT, related_name="+"
    )

    tenancy = Tenancy(actions={"view": STAFF_ROLES, "add": TOWNSHIP_EDITORS, "change": TOWNSHIP_EDITORS})

    class Meta:
        ordering = ["-doc_date", "-pk"]
        verbose_name = _("archived document")
        verbose_name_plural = _("archived documents")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("cooperatives:archiveddocument_detail", args=[self.pk])


SEAL_WRITERS = frozenset({*VILLAGE_ROLES, Role.SYSTEM_ADMIN})


@tracked()
class SealUse(TenantModel):
    """One use of the cooperative's seal (kept with the village seals).

    Complete only when the person who used it (``handler``) and the chair have both confirmed,
    two different people (seed 002 §10: 经手人、理事长共同签字确认).
    """

    cooperative = models.ForeignKey(
        "cooperatives.Cooperative", verbose_name=_("cooperative"), on_delete=models.PROTECT, related_name="seal_uses"
    )
    used_on = models.DateField(_("date of use"))
    purpose = models.CharField(_("purpose"), max_length=200)
    document_title = models.CharField(_("document sealed"), max_length=200)
    document = models.ForeignKey(
        ArchivedDocument,
        verbose_name=_("archived document"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="seal_uses",
    )
    copies = models.PositiveSmallIntegerField(_("copies"), default=1)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("used by"), on_delete=models.PROTECT, related_name="+"
    )
    handler_confirmed_at = models.DateTimeField(_("confirmed by the user at"), null=True, blank=True)
    chair_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by the chair"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    chair_confirmed_at = models.DateTimeField(_("confirmed by the chair at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=SealUseStatus.choices, default=SealUseStatus.PENDING, db_index=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )

    tenancy = Tenancy(
        actions={"view": STAFF_ROLES, "add": SEAL_WRITERS, "change": SEAL_WRITERS, "confirm": SEAL_WRITERS}
    )

    class Meta:
        ordering = ["-used_on", "-pk"]
        verbose_name = _("seal use")
        verbose_name_plural = _("seal-use log")
        constraints = [
            models.CheckConstraint(
                condition=Q(chair_confirmed_by__isnull=True) | ~Q(chair_confirmed_by=models.F("handler")),
                name="coop_sealuse_two_different_people",
            ),
            models.CheckConstraint(
                condition=~Q(status="complete")
                | (Q(handler_confirmed_at__isnull=False) & Q(chair_confirmed_by__isnull=False)),
                name="coop_sealuse_complete_needs_both",
            ),
            models.CheckConstraint(condition=Q(copies__gte=1), name="coop_sealuse_copies_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.used_on} · {self.purpose}"

    def get_absolute_url(self) -> str:
        return reverse("cooperatives:sealuse_detail", args=[self.pk])
