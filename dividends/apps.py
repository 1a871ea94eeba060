from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DividendsConfig(AppConfig):
    name = "dividends"
    verbose_name = _("Surplus distribution")
