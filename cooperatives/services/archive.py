"""The township's central archive and the seal-use log (seed 002 §10).

Charters and contracts are kept centrally by the township; each use of the seal is confirmed by the
person who used it and by the chair — two different people, the chair holding the cooperative
chair role for the village.
"""

from __future__ import annotations

import logging
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperatives.choices import DocumentType, SealUseStatus
from cooperatives.files import check_upload, original_name
from cooperatives.models import ArchivedDocument, Cooperative, SealUse
from cooperatives.models.common import may_act
from core.choices import VILLAGE_ROLES, Role
from core.exceptions import BusinessError, NotPermitted, StateConflict
from core.models import RoleAssignment, User
from core.tenancy import assert_in_scope

logger = logging.getLogger(__name__)

DOCUMENT_FIELDS = ["doc_type", "title", "number", "doc_date", "keeper", "location", "note"]


def _check_document(data: dict) -> None:
    if data.get("doc_type") not in DocumentType.values:
        raise BusinessError(_("Choose the document type."), code="invalid_document_type", field="doc_type")
    for field in ("title", "keeper"):
        if not (data.get(field) or "").strip():
            raise BusinessError(_("This field is required."), code="required", field=field)
    if data.get("doc_date") is None:
        raise BusinessError(_("Give the date."), code="date_required", field="doc_date")
    if data["doc_date"] > timezone.localdate():
        raise BusinessError(_("The date cannot be in the future."), code="date_in_future", field="doc_date")


@transaction.atomic
def document_archive(*, actor: User, cooperative: Cooperative, file, **data) -> ArchivedDocument:
    """Keep a cooperative's document (charter, contract, minutes…) in its township's archive."""
    data = {k: v for k, v in data.items() if k in DOCUMENT_FIELDS}
    _check_document(data)
    if file is None:
        raise BusinessError(_("Attach the file."), code="file_required", field="file")
    check_upload(file, field="file")
    document = ArchivedDocument(
        cooperative=cooperative,
        region_code=cooperative.region_code,
        archived_by=actor,
        file_name=original_name(file),
        file_size=file.size,
        **data,
    )
    # the archive is the township's: refuse before the file is stored
    if not may_act(actor, ArchivedDocument, "add", cooperative.region_code):
        raise NotPermitted(_("The township keeps the archive of this cooperative."), code="not_archive_keeper")
    document.file = file
    document.save()
    assert_in_scope(actor, document, "add")
    logger.info("cooperatives.archive.added", extra={"document_id": document.pk})
    return document


@transaction.atomic
def document_update(*, actor: User, document: ArchivedDocument, file=None, **data) -> ArchivedDocument:
    """Correct an archived document's details, or replace its file (the history keeps the old name)."""
    document = ArchivedDocument.objects.select_for_update().get(pk=document.pk)
    assert_in_scope(actor, document, "change")
    merged = {f: getattr(document, f) for f in DOCUMENT_FIELDS} | {
        k: v for k, v in data.items() if k in DOCUMENT_FIELDS
    }
    _check_document(merged)
    for field, value in merged.items():
        setattr(document, field, value)
    if file is not None:
        check_upload(file, field="file")
        document.file = file
        document.file_name = original_name(file)
        document.file_size = file.size
    document.save()
    return document


# -- seal use -----------------------------------------------------------------------------------


def village_staff(cooperative: Cooperative):
    """Users holding a village role (accountant, chair, supervisor) in the cooperative's village."""
    return (
        User.objects.filter(
            is_active=True,
            role_assignments__is_active=True,
            role_assignments__region_id=cooperative.village_id,
            role_assignments__role__in=VILLAGE_ROLES,
        )
        .distinct()
        .order_by("username")
    )


def is_chair_of(user: User, cooperative: Cooperative) -> bool:
    """Whether ``user`` holds the cooperative chair role for the cooperative's village."""
    return RoleAssignment.objects.filter(
        user=user, role=Role.COOP_CHAIR, region_id=cooperative.village_id, is_active=True
    ).exists()


@transaction.atomic
def seal_use_record(
    *,
    actor: User,
    cooperative: Cooperative,
    used_on: date,
    purpose: str,
    document_title: str,
    handler: User,
    copies: int = 1,
    document: ArchivedDocument | None = None,
) -> SealUse:
    """Log one use of the seal; it stays pending until the user of the seal and the chair confirm."""
    if used_on is None:
        raise BusinessError(_("Give the date."), code="date_required", field="used_on")
    if used_on > timezone.localdate():
        raise BusinessError(_("The date cannot be in the future."), code="date_in_future", field="used_on")
    if not (purpose or "").strip():
        raise BusinessError(_("Say what the seal was used for."), code="purpose_required", field="purpose")
    if not (document_title or "").strip():
        raise BusinessError(_("Name the document sealed."), code="document_required", field="document_title")
    if copies is None or copies < 1:
        raise BusinessError(_("At least one copy."), code="invalid_copies", field="copies")
    if handler is None or not village_staff(cooperative).filter(pk=handler.pk).exists():
        raise BusinessError(
            _("The user of the seal must hold a role in the cooperative's village."),
            code="handler_not_village_staff",
            field="handler",
        )
    if document is not None and document.cooperative_id != cooperative.pk:
        raise BusinessError(
            _("The archived document belongs to another cooperative."), code="document_mismatch", field="document"
        )
    entry = SealUse.objects.create(
        cooperative=cooperative,
        region_code=cooperative.region_code,
        used_on=used_on,
        purpose=purpose.strip(),
        document_title=document_title.strip(),
        document=document,
        copies=copies,
        handler=handler,
        recorded_by=actor,
    )
    assert_in_scope(actor, entry, "add")
    return entry


@transaction.atomic
def seal_use_confirm(*, actor: User, entry: SealUse, as_chair: bool) -> SealUse:
    """Confirm a seal use as the person who used it (``as_chair=False``) or as the chair.

    Two confirmations by two different users; the chair's by a holder of the cooperative chair role
    for the village. The entry is complete when both are in.
    """
    entry = SealUse.objects.select_for_update(of=("self",)).select_related("cooperative").get(pk=entry.pk)
    assert_in_scope(actor, entry, "confirm")
    now = timezone.now()
    if as_chair:
        if entry.chair_confirmed_by_id is not None:
            raise StateConflict(_("The chair has already confirmed this entry."), code="already_confirmed")
        if not is_chair_of(actor, entry.cooperative):
            raise NotPermitted(_("Only the cooperative's chair can confirm as chair."), code="not_the_chair")
        if actor.pk == entry.handler_id:
            raise BusinessError(
                _("The user of the seal and the chair must be two different people."),
                code="same_person",
            )
        entry.chair_confirmed_by = actor
        entry.chair_confirmed_at = now
    else:
        if entry.handler_confirmed_at is not None:
            raise StateConflict(_("The user of the seal has already confirmed this entry."), code="already_confirmed")
        if actor.pk != entry.handler_id:
            raise NotPermitted(
                _("Only %(name)s, who used the seal, can confirm as its user.") % {"name": entry.handler},
                code="not_the_handler",
            )
        if actor.pk == entry.chair_confirmed_by_id:
            raise BusinessError(
                _("The user of the seal and the chair must be two different people."),
                code="same_person",
            )
        entry.handler_confirmed_at = now
    if entry.handler_confirmed_at and entry.chair_confirmed_by_id:
        entry.status = SealUseStatus.COMPLETE
    entry.save()
    return entry
