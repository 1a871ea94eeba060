"""Private file storage: archived documents, minutes and market studies.

The files live next to MEDIA_ROOT, never under it: ``MEDIA_URL`` is served without any scope check
in development, and these files must only be reachable through the scoped download views (a foreign
file answers 404 like any foreign row).
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property


def private_root() -> Path:
    """``<MEDIA_ROOT>-private`` unless ``PRIVATE_MEDIA_ROOT`` is set."""
    configured = getattr(settings, "PRIVATE_MEDIA_ROOT", None)
    if configured:
        return Path(configured)
    media = Path(settings.MEDIA_ROOT)
    return media.with_name(f"{media.name}-private")


@deconstructible(path="cooperatives.storage.PrivateStorage")
class PrivateStorage(FileSystemStorage):
    """A file system storage without a public URL; its root follows the settings (tests override it)."""

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, str(private_root()))

    @cached_property
    def base_url(self):
        return None

    def url(self, name):
        raise ValueError("private files are served by the scoped download views only")


private_storage = PrivateStorage()
