from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DividendsConfig(AppConfig):
    name = "dividends"
    verbose_name = _("Surplus distribution")

    def ready(self) -> None:
        from dividends import approvals, navigation  # noqa: F401 - approvals registers the plan policy

        navigation.register()
        from core.policies import register_profile_check
        from dividends.services.law import profile_policies_check
        from dividends.services.plans import plan_waits_year_close
        from finance.services.closing import register_year_close_check

        register_profile_check(profile_policies_check)
        from dividends.selectors import payouts_comparison
        from finance.selectors.tieout import register_comparison

        register_comparison("payouts", payouts_comparison)
        register_year_close_check(plan_waits_year_close)
