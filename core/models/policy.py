"""Policy profiles: the numbers a county sets (DOMAIN.md: "the number is a field of a policy profile").

Lingban ships one profile per policy document that sets thresholds (seeds 001, 002, 004) plus the
law's own rules; they are read-only templates. A county chooses one; editing it makes the county's
own copy (``county`` set, ``based_on`` pointing at the template), so the shipped numbers stay as the
documents wrote them. Each app reads the numbers it needs through ``policy_for(region_code)``.
"""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.choices import Enforcement
from core.history import tracked
from core.models.base import TimeStampedModel
from core.money import MONEY, RATIO


def _ratio(label, default=None, help_text=""):
    return models.DecimalField(label, **RATIO, null=True, blank=True, default=default, help_text=help_text)


def _enforcement(label):
    return models.CharField(label, max_length=8, choices=Enforcement.choices, default=Enforcement.OFF)


def _money(label, default):
    return models.DecimalField(label, **MONEY, default=Decimal(default))


@tracked()
class PolicyProfile(TimeStampedModel):
    """A named set of thresholds; ratios are fractions (0.20 = 20%)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    source = models.CharField(_("source"), max_length=200, blank=True)
    county = models.ForeignKey(
        "core.Region",
        verbose_name=_("county"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="policy_profiles",
        help_text=_("Empty for a shipped template."),
    )
    based_on = models.ForeignKey("self", verbose_name=_("based on"), on_delete=models.PROTECT, null=True, blank=True)

    # -- share structure (DOMAIN.md 1.1) ----------------------------------------------------
    collective_min = _ratio(_("collective stake, minimum"))
    collective_min_enforcement = _enforcement(_("collective minimum applies"))
    collective_band_low = _ratio(_("collective stake, recommended from"))
    collective_band_high = _ratio(_("collective stake, recommended up to"))
    collective_band_enforcement = _enforcement(_("collective band applies"))
    party_branch_min = _ratio(_("party branch stake, minimum"))
    party_branch_min_enforcement = _enforcement(_("party branch minimum applies"))
    party_members_min = _ratio(_("party branch members together, minimum"))
    party_members_min_enforcement = _enforcement(_("party members minimum applies"))
    single_member_max = _ratio(_("one member's stake, maximum"))
    single_member_max_enforcement = _enforcement(_("single-member maximum applies"))
    households_min = _ratio(_("member households, minimum share of the village's households"))
    households_min_enforcement = _enforcement(_("household minimum applies"))
    social_capital_majority = _ratio(_("collective and villagers together with social capital present, more than"))
    social_capital_majority_enforcement = _enforcement(_("social-capital majority applies"))
    # the law (Farmer Specialized Cooperatives Law Art. 20)
    farmer_members_min = _ratio(_("farmers among members, minimum"))
    farmer_members_min_enforcement = _enforcement(_("farmer minimum applies"))
    org_members_small_max = models.PositiveSmallIntegerField(
        _("organisation members allowed with 20 members or fewer"), null=True, blank=True
    )
    org_members_large_max = _ratio(_("organisation members, maximum share above 20 members"))
    org_members_enforcement = _enforcement(_("organisation-member cap applies"))

    # -- finance (DOMAIN.md 1.4) -----------------------------------------------------------
    expenditure_approval_threshold = _money(_("expenditure needing township approval, from"), "10000.00")
    payee_window_days = models.PositiveSmallIntegerField(
        _("days over which payments to one payee are added up"),
        default=30,
        help_text=_(
            "Payments to one payee within this many days are added up and compared with the threshold, so a "
            "payment split into smaller ones still goes to the township."
        ),
    )

    # -- awards (DOMAIN.md 1.5, seed 002 §24) ------------------------------------------------
    award_national = _money(_("award, national demonstration cooperative"), "100000.00")
    award_provincial = _money(_("award, provincial demonstration cooperative"), "50000.00")
    award_municipal = _money(_("award, municipal demonstration cooperative"), "30000.00")
    award_district = _money(_("award, county/district demonstration cooperative"), "10000.00")
    award_pollution_free = _money(_("award, pollution-free product certification"), "5000.00")
    award_green_food = _money(_("award, green food certification"), "10000.00")
    award_organic = _money(_("award, organic product certification"), "30000.00")
    award_geographical_indication = _money(_("award, geographical indication"), "100000.00")

    # -- oversight (DOMAIN.md 1.4, 1.5) ----------------------------------------------------
    disclosure_deadline_days = models.PositiveSmallIntegerField(
        _("days after quarter end to publish the disclosure"), default=15
    )
    loan_alert_limit = _money(_("new borrowing that raises an alert, from"), "200000.00")
    withdrawal_alert_rate = _ratio(_("share withdrawals in a year that raise an alert, from"), Decimal("0.10"))
    spot_check_size = models.PositiveSmallIntegerField(_("county spot checks per year"), default=5)
    weight_scale = _ratio(_("ranking weight: scale and atmosphere"), Decimal("0.25"))
    weight_income = _ratio(_("ranking weight: income effect and quality"), Decimal("0.25"))
    weight_models = _ratio(_("ranking weight: models and overall lift"), Decimal("0.25"))
    weight_innovation = _ratio(_("ranking weight: highlights and innovation"), Decimal("0.25"))

    # -- surplus distribution --------------------------------------------------------------
    default_distribution_policy = models.CharField(
        _("default distribution policy of farmer cooperatives and federations"),
        max_length=40,
        blank=True,
        help_text=_(
            # xgettext:no-python-format
            "Code of the policy a new charter of a cooperative bound by the cooperative law names unless it "
            "chooses another: it must return at least 60% of the distributable surplus by transactions (Art. 44)."
        ),
    )
    joint_stock_distribution_policy = models.CharField(
        _("default distribution policy of joint-stock economic cooperatives"),
        max_length=40,
        blank=True,
        help_text=_("Code of the policy a new charter of a joint-stock economic cooperative names by default."),
    )
    reserve_cap = _ratio(
        _("reserve, at most (share of the year's surplus)"),
        help_text=_(
            # xgettext:no-python-format
            "Seed 002 §7: the reserve fund at most 15% of the year's surplus. Empty: the charter decides."
        ),
    )

    class Meta:
        ordering = ["county_id", "code"]
        verbose_name = _("policy profile")
        verbose_name_plural = _("policy profiles")

    def __str__(self) -> str:
        return self.name

    @property
    def is_template(self) -> bool:
        return self.county_id is None

    def default_policy_for(self, kind: str) -> str:
        """The distribution policy a new charter of a cooperative of ``kind`` names by default."""
        if kind == "joint_stock" and self.joint_stock_distribution_policy:
            return self.joint_stock_distribution_policy
        return self.default_distribution_policy

    def clean(self) -> None:
        """The apps above the kernel check what they own (``core.policies.register_profile_check``):
        a default distribution policy must be lawful for the kinds it is the default of."""
        from core.policies import run_profile_checks

        super().clean()
        run_profile_checks(self)


@tracked()
class CountyPolicy(TimeStampedModel):
    """Which profile a county applies."""

    county = models.OneToOneField(
        "core.Region", verbose_name=_("county"), on_delete=models.PROTECT, related_name="policy"
    )
    profile = models.ForeignKey(PolicyProfile, verbose_name=_("profile"), on_delete=models.PROTECT)

    class Meta:
        ordering = ["county__code"]
        verbose_name = _("county policy")
        verbose_name_plural = _("county policies")

    def __str__(self) -> str:
        return f"{self.county.name} · {self.profile.name}"
