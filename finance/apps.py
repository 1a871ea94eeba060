from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "finance"
    verbose_name = _("Finance")

    def ready(self) -> None:
        from finance import approvals, navigation  # noqa: F401 - approvals registers its policies

        navigation.register()
        from core import ledger_checks
        from finance.ledger_checks import CHECKS

        for name, check in CHECKS.items():
            ledger_checks.register(name, check)
        from finance.services.share_books import ShareBooks
        from shares import bookkeeping

        bookkeeping.register(ShareBooks())
