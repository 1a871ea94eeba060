"""Supervision (see DESIGN.md: architecture)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = _("Supervision")

    def ready(self) -> None:
        from core import changes
        from supervision import navigation
        from supervision.tasks import on_cooperative_changed

        navigation.register()
        changes.register("supervision.statistics", on_cooperative_changed)
