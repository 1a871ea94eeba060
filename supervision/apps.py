"""Supervision (see DESIGN.md: architecture)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = _("Supervision")

    def ready(self) -> None:
        from core import changes
        from supervision import navigation, navigation_oversight, oversight_figures
        from supervision.tasks import on_cooperative_changed

        navigation.register()
        navigation_oversight.register()
        oversight_figures.register()
        changes.register("supervision.statistics", on_cooperative_changed)
