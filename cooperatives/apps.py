from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperativesConfig(AppConfig):
    name = "cooperatives"
    verbose_name = _("Cooperatives")

    def ready(self) -> None:
        from cooperatives import approvals, navigation, panels  # noqa: F401 - approvals registers the charter and project policies

        navigation.register()
        panels.register()
