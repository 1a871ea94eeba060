"""The county's rules as the app applies them: its policy profile, every threshold with its unit and
the document it comes from (``/policy/``, read by all staff of the county)."""

from __future__ import annotations

from decimal import Decimal

from django.apps import apps
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from core.choices import STAFF_ROLES, RegionLevel
from core.models import PolicyProfile, Region
from core.policies import policy_for
from core.views.mixins import RoleRequiredMixin

# the profile's fields by the part of DOMAIN.md §1 they come from, in the order a reader checks them
SECTIONS = [
    (
        gettext_lazy("Share structure (DOMAIN.md 1.1, seeds 001 and 002)"),
        [
            "collective_min",
            "collective_min_enforcement",
            "collective_band_low",
            "collective_band_high",
            "collective_band_enforcement",
            "party_branch_min",
            "party_branch_min_enforcement",
            "party_members_min",
            "party_members_min_enforcement",
            "single_member_max",
            "single_member_max_enforcement",
            "households_min",
            "households_min_enforcement",
            "social_capital_majority",
            "social_capital_majority_enforcement",
        ],
    ),
    (
        gettext_lazy("Members (the cooperative law, Art. 20)"),
        [
            "farmer_members_min",
            "farmer_members_min_enforcement",
            "org_members_small_max",
            "org_members_large_max",
            "org_members_enforcement",
        ],
    ),
    (
        gettext_lazy("Expenditure (DOMAIN.md 1.4, seed 004)"),
        ["expenditure_approval_threshold", "payee_window_days"],
    ),
    (
        gettext_lazy("Surplus distribution (DOMAIN.md 1.3)"),
        ["default_distribution_policy", "joint_stock_distribution_policy", "reserve_cap"],
    ),
    (
        gettext_lazy("Awards (DOMAIN.md 1.5, seed 002 §24)"),
        [
            "award_national",
            "award_provincial",
            "award_municipal",
            "award_district",
            "award_pollution_free",
            "award_green_food",
            "award_organic",
            "award_geographical_indication",
        ],
    ),
    (
        gettext_lazy("Oversight (DOMAIN.md 1.4 and 1.5)"),
        [
            "disclosure_deadline_days",
            "loan_alert_limit",
            "withdrawal_alert_rate",
            "spot_check_size",
            "weight_scale",
            "weight_income",
            "weight_models",
            "weight_innovation",
        ],
    ),
]
RATIO_FIELDS = {f.name for f in PolicyProfile._meta.concrete_fields if getattr(f, "decimal_places", None) == 8}
MONEY_FIELDS = {f.name for f in PolicyProfile._meta.concrete_fields if getattr(f, "decimal_places", None) == 2}
DAY_FIELDS = {"payee_window_days", "disclosure_deadline_days"}
POLICY_FIELDS = {"default_distribution_policy", "joint_stock_distribution_policy"}


def percent(value: Decimal) -> str:
    """0.25 → 25%, 0.055 → 5.5% (no trailing zeros)."""
    text = f"{value * 100:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}%"


def shown_value(profile: PolicyProfile, name: str, policy_names: dict[str, str]) -> str:
    """A field's value as the county reads it: rates as percentages, amounts in yuan with
    separators, days as days, rules' enforcement and policies by their names."""
    value = getattr(profile, name)
    if value is None or value == "":
        return _("not set")
    if name in RATIO_FIELDS:
        return percent(value)
    if name in MONEY_FIELDS:
        return _("%(amount)s yuan") % {"amount": f"{value:,.2f}"}
    if name in DAY_FIELDS:
        return _("%(n)s days") % {"n": value}
    if name in POLICY_FIELDS:
        return policy_names.get(value, value)
    display = getattr(profile, f"get_{name}_display", None)
    return str(display()) if display else str(value)


class PolicyProfileView(RoleRequiredMixin, TemplateView):
    """``/policy/[?county=<code>]``: the profile in force in one county of the reader's jurisdiction."""

    allowed_roles = STAFF_ROLES
    template_name = "core/policy_profile.html"

    def counties(self) -> list[Region]:
        user = self.request.user
        counties = Region.objects.filter(level=RegionLevel.COUNTY).order_by("code")
        if user.is_superuser:
            return list(counties)
        prefixes = user.jurisdiction.prefixes(STAFF_ROLES)
        wanted = {p[:6] for p in prefixes if len(p) >= 6}
        wider = [p for p in prefixes if len(p) < 6]  # a prefecture: its counties
        return [c for c in counties if c.code in wanted or any(c.code.startswith(p) for p in wider)]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        counties = self.counties()
        if not counties:
            raise Http404(_("County"))
        asked = self.request.GET.get("county", "")
        county = next((c for c in counties if c.code == asked), counties[0])
        profile = policy_for(county.code)
        policy_model = apps.get_model("dividends", "DistributionPolicy")
        policy_names = dict(policy_model.objects.values_list("code", "name"))
        fields = {f.name: f for f in PolicyProfile._meta.concrete_fields}
        ctx.update(
            county=county,
            counties=counties,
            profile=profile,
            sections=[
                (
                    title,
                    [
                        (fields[name].verbose_name, shown_value(profile, name, policy_names), fields[name].help_text)
                        for name in names
                    ],
                )
                for title, names in SECTIONS
            ],
        )
        return ctx
