"""Checks on uploaded files: contribution evidence (import workbooks: core.spreadsheets)."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

EVIDENCE_MAX_BYTES = 10 * 1024 * 1024  # 10 MB: a scanned appraisal report or a photographed contract
# extension → the bytes such a file starts with
EVIDENCE_SIGNATURES = {
    ".pdf": (b"%PDF",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
}


def _head(upload, n: int = 8) -> bytes:
    upload.seek(0)
    head = upload.read(n)
    upload.seek(0)
    return head


def validate_evidence(upload) -> None:
    """PDF, JPEG or PNG up to 10 MB, and the content must be what the extension says."""
    if not upload:
        return
    ext = Path(upload.name).suffix.lower()
    if ext not in EVIDENCE_SIGNATURES:
        raise ValidationError(
            _("Attach a PDF, JPG or PNG file (this one is “%(ext)s”).") % {"ext": ext or "?"}, code="evidence_type"
        )
    if upload.size > EVIDENCE_MAX_BYTES:
        raise ValidationError(
            _("The attachment is larger than %(mb)d MB.") % {"mb": EVIDENCE_MAX_BYTES // (1024 * 1024)},
            code="evidence_size",
        )
    if not any(_head(upload).startswith(sig) for sig in EVIDENCE_SIGNATURES[ext]):
        raise ValidationError(
            _("The attachment's content is not a %(ext)s file.") % {"ext": ext.lstrip(".").upper()},
            code="evidence_content",
        )
