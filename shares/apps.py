from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SharesConfig(AppConfig):
    name = "shares"
    verbose_name = _("Shares")

    def ready(self) -> None:
        from members.services import register_leave_check
        from shares import navigation
        from shares.services.withdrawals import leave_check

        register_leave_check(leave_check)
        from core import ledger_checks
        from shares.ledger_checks import holdings_check

        ledger_checks.register("shares.holdings", holdings_check)
        navigation.register()
