"""Upload checks shared by every service that stores a file: extension and size."""

from __future__ import annotations

import os

from django.http import FileResponse
from django.utils.translation import gettext as _

from core.exceptions import BusinessError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # 10 MB
ALLOWED_EXTENSIONS = ("pdf", "ofd", "doc", "docx", "xls", "xlsx", "wps", "jpg", "jpeg", "png")


def check_upload(upload, *, field: str) -> None:
    """Refuse a file whose extension is not a document or image type, or that is larger than 10 MB."""
    if upload is None:
        return
    name = os.path.basename(getattr(upload, "name", "") or "")
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ALLOWED_EXTENSIONS:
        raise BusinessError(
            _("Files of this type cannot be uploaded. Allowed: %(allowed)s.")
            % {"allowed": ", ".join(ALLOWED_EXTENSIONS)},
            code="file_type",
            field=field,
        )
    if (upload.size or 0) > MAX_UPLOAD_BYTES:
        raise BusinessError(
            _("The file is larger than %(limit)s MB.") % {"limit": MAX_UPLOAD_BYTES // (1024 * 1024)},
            code="file_too_large",
            field=field,
        )
    if not upload.size:
        raise BusinessError(_("The file is empty."), code="file_empty", field=field)


def original_name(upload) -> str:
    return os.path.basename(getattr(upload, "name", "") or "")[:200]


def download_response(field_file, filename: str) -> FileResponse:
    """Send a stored file as an attachment under its original name."""
    return FileResponse(
        field_file.open("rb"), as_attachment=True, filename=filename or os.path.basename(field_file.name)
    )
