from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DividendsConfig(AppConfig):
    name = "dividends"
    verbose_name = _("Surplus distribution")

    def ready(self) -> None:
        from dividends import approvals, navigation  # noqa: F401 - approvals registers the plan policy

        navigation.register()
