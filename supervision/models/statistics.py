"""Statistics snapshots: the figures dashboards, rankings and bulletins read (never the raw ledgers).

One row per cooperative and period, and one per village and period (a village's collective income
and household coverage span all its cooperatives). A period is a quarter (``quarter`` 1–4, figures
as of the quarter's last day, year to date) or a whole year (``quarter`` 0). Rows are written only
by ``supervision.services.statistics`` (nightly, and after a ledger changes).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.choices import STAFF_ROLES
from core.models import TenantModel
from core.money import MONEY, money
from core.tenancy import ADMIN_ONLY, Tenancy
from supervision.choices import IncomeTier

SNAPSHOT_TENANCY = Tenancy(actions={"view": STAFF_ROLES, "add": ADMIN_ONLY, "change": ADMIN_ONLY, "delete": ADMIN_ONLY})


class PeriodFields(TenantModel):
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), help_text=_("1 to 4; 0 for the whole year."))
    period_end = models.DateField(_("as of"))
    dirty = models.BooleanField(_("needs recomputing"), default=False)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)

    tenancy = SNAPSHOT_TENANCY

    class Meta:
        abstract = True

    @property
    def period_label(self) -> str:
        return f"{self.year}" if self.quarter == 0 else f"{self.year}Q{self.quarter}"


class StatisticsSnapshot(PeriodFields):
    """One cooperative's figures for one period."""

    cooperative = models.ForeignKey(
        "cooperatives.Cooperative",
        verbose_name=_("cooperative"),
        on_delete=models.PROTECT,
        related_name="statistics_snapshots",
    )
    is_branch_led = models.BooleanField(_("branch-led and operating"), default=False)
    members = models.PositiveIntegerField(_("members"), default=0)
    member_households = models.PositiveIntegerField(_("member households"), default=0)
    village_households = models.PositiveIntegerField(_("households of the village"), default=0)
    share_total = models.DecimalField(_("share capital"), **MONEY, default=0)
    share_ordinary = models.DecimalField(_("ordinary shares"), **MONEY, default=0)
    share_collective = models.DecimalField(_("collective shares"), **MONEY, default=0)
    share_poverty = models.DecimalField(_("poverty-alleviation shares"), **MONEY, default=0)
    collective_income = models.DecimalField(_("collective income from the cooperative"), **MONEY, default=0)
    operating_income = models.DecimalField(_("operating income"), **MONEY, default=0)
    member_distributions = models.DecimalField(_("surplus returned to members"), **MONEY, default=0)
    contracts = models.PositiveIntegerField(_("contracts"), default=0)
    approvals_waiting = models.PositiveIntegerField(_("approvals waiting"), default=0)
    demonstration_level = models.CharField(_("highest demonstration title"), max_length=12, blank=True)
    demonstration_awards = models.DecimalField(_("demonstration awards"), **MONEY, default=0)
    certifications = models.PositiveIntegerField(_("product certifications"), default=0)
    certification_awards = models.DecimalField(_("certification awards"), **MONEY, default=0)
    model_points = models.PositiveIntegerField(_("points: models and overall lift"), default=0)
    innovation_points = models.PositiveIntegerField(_("points: highlights and innovation"), default=0)
    # the tie-out when the snapshot was computed (finance.selectors.tieout): books kept in Lingban,
    # and how many differences between the register, member accounts, payouts and books
    books_kept = models.BooleanField(_("books kept in Lingban"), default=False)
    ledger_differences = models.PositiveIntegerField(_("differences between the register and the books"), default=0)

    class Meta:
        ordering = ["region_code", "cooperative_id", "-year", "-quarter"]
        verbose_name = _("statistics snapshot")
        verbose_name_plural = _("statistics snapshots")
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "year", "quarter"], name="sup_snapshot_once_per_period"),
            models.CheckConstraint(condition=Q(quarter__gte=0, quarter__lte=4), name="sup_snapshot_quarter_range"),
        ]
        indexes = [models.Index(fields=["year", "quarter", "region_code"], name="sup_snapshot_period")]

    def __str__(self) -> str:
        return f"{self.cooperative} · {self.period_label}"

    @property
    def income_per_member_household(self):
        return money(self.member_distributions / self.member_households) if self.member_households else None


class VillageSnapshot(PeriodFields):
    """One village's figures for one period: collective income with its tier, household coverage."""

    village = models.ForeignKey(
        "core.Region", verbose_name=_("village"), on_delete=models.PROTECT, related_name="statistics_snapshots"
    )
    households = models.PositiveIntegerField(_("households"), default=0)
    cooperatives = models.PositiveIntegerField(_("branch-led cooperatives"), default=0)
    member_households = models.PositiveIntegerField(_("member households"), default=0)
    collective_income = models.DecimalField(_("collective income"), **MONEY, default=0)
    collective_income_prev = models.DecimalField(_("collective income of the previous year"), **MONEY, default=0)
    tier = models.CharField(_("income tier"), max_length=12, choices=IncomeTier.choices, default=IncomeTier.WEAK)
    reward_eligible = models.BooleanField(_("eligible for the reward"), default=False)

    class Meta:
        ordering = ["region_code", "-year", "-quarter"]
        verbose_name = _("village statistics snapshot")
        verbose_name_plural = _("village statistics snapshots")
        constraints = [
            models.UniqueConstraint(fields=["village", "year", "quarter"], name="sup_village_snapshot_once"),
            models.CheckConstraint(condition=Q(quarter__gte=0, quarter__lte=4), name="sup_village_quarter_range"),
        ]
        indexes = [models.Index(fields=["year", "quarter", "region_code"], name="sup_village_snapshot_period")]

    def __str__(self) -> str:
        return f"{self.village.name} · {self.period_label}"
