"""Distribution policies (data), plans per cooperative and year, member allocations and payouts."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import keys
from core.choices import STAFF_ROLES, Role
from core.history import tracked, tracked_in_bulk
from core.models import TenantModel
from core.money import MONEY, RATIO
from core.tenancy import VILLAGE_WRITERS, Tenancy
from dividends.choices import PayoutMethod, PayoutStatus, PlanState, SurplusSource


class DistributionPolicy(models.Model):
    """A surplus-distribution scheme as data: an ordered list of steps, each a kind and its rate.

    ``steps`` is a list of ``{"kind", "rate", "mode", "base", "basis"}`` (see ``dividends.choices``),
    validated by ``dividends.services.policies.policy_validate``. A county names its default in its
    policy profile (``default_distribution_policy``); each charter names the one it applies."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    source = models.CharField(_("source"), max_length=200, blank=True)
    law_applies = models.BooleanField(
        _("written to the cooperative law"),
        default=False,
        help_text=_(
            # xgettext:no-python-format
            "The policy itself refunds at least 60% of the distributable surplus by transactions (law Art. 44). "
            "Whether a plan is lawful is checked by the cooperative's kind, not by this flag."
        ),
    )
    steps = models.JSONField(_("steps"), default=list)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("distribution policy")
        verbose_name_plural = _("distribution policies")

    def __str__(self) -> str:
        return self.name


PLAN_TENANCY = Tenancy(
    actions={
        "view": STAFF_ROLES,
        "add": VILLAGE_WRITERS,
        "change": VILLAGE_WRITERS,
        "delete": VILLAGE_WRITERS,
        "check": frozenset({Role.COOP_CHAIR, Role.SYSTEM_ADMIN}),
        "file": frozenset({Role.VILLAGE_ACCOUNTANT, Role.COOP_CHAIR, Role.SYSTEM_ADMIN}),
        "execute": VILLAGE_WRITERS,
    }
)


def _own_rows(user) -> Q:
    """A member reads their own allocation and payout rows."""
    return Q(member__user=user)


MEMBER_ROWS_TENANCY = Tenancy(
    actions={"view": STAFF_ROLES, "add": VILLAGE_WRITERS, "change": VILLAGE_WRITERS, "delete": VILLAGE_WRITERS},
    member_filter=_own_rows,
)


@tracked()
class DistributionPlan(TenantModel):
    """The surplus-distribution plan of one cooperative for one fiscal year (one version of it).

    The computed figures are stored when the plan is saved: every step's amount (``steps``) and one
    ``MemberAllocation`` per member. Once submitted the plan is frozen; a change makes a new version."""

    cooperative = models.ForeignKey(
        "cooperatives.Cooperative", verbose_name=_("cooperative"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("fiscal year"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    policy = models.ForeignKey(
        DistributionPolicy, verbose_name=_("distribution policy"), on_delete=models.PROTECT, related_name="plans"
    )
    policy_steps = models.JSONField(_("policy steps applied"), default=list)
    rate_overrides = models.JSONField(_("rates chosen"), default=dict, blank=True)
    state = models.CharField(_("state"), max_length=12, choices=PlanState.choices, default=PlanState.DRAFT)
    surplus_source = models.CharField(
        _("surplus from"), max_length=8, choices=SurplusSource.choices, default=SurplusSource.BOOKS
    )
    surplus = models.DecimalField(_("year's surplus"), **MONEY)
    prior_loss = models.DecimalField(_("prior losses to make up"), **MONEY, default=0)
    distributable = models.DecimalField(_("distributable surplus"), **MONEY, default=0)
    undistributed = models.DecimalField(_("left undistributed"), **MONEY, default=0)
    reserve_to_capital = models.DecimalField(
        _("reserve converted into member capital"),
        **MONEY,
        default=0,
        help_text=_("Needs the member assembly's approval (law Art. 42); split by capital on the record date."),
    )
    record_date = models.DateField(_("record date"))
    steps = models.JSONField(_("step amounts"), default=list)
    member_count = models.PositiveIntegerField(_("members"), default=0)
    no_transactions = models.BooleanField(
        _("no member traded in the year"),
        default=False,
        help_text=_("Nothing to refund by transactions; the member assembly's resolution records it."),
    )
    leaver_share = models.CharField(_("a leaving member's part of the year"), max_length=10, default="year_end")
    reserve_basis = models.CharField(
        _("reserve quantified"), max_length=12, blank=True, help_text=_("Empty: the books keep no reserve shares.")
    )
    note = models.TextField(_("note"), blank=True)
    previous = models.OneToOneField(
        "self", verbose_name=_("previous version"), on_delete=models.PROTECT, null=True, blank=True, related_name="next"
    )
    major_matter = models.ForeignKey(
        "cooperatives.MajorMatter",
        verbose_name=_("major matter"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("drafted by"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    check_comment = models.TextField(_("chair's comment"), blank=True)
    executed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("carried out by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    executed_at = models.DateTimeField(_("carried out at"), null=True, blank=True)
    executed_on = models.DateField(_("posting date"), null=True, blank=True)
    voucher_ids = models.JSONField(_("vouchers"), default=list, blank=True)

    tenancy = PLAN_TENANCY

    class Meta:
        ordering = ["-year", "cooperative_id", "-version"]
        verbose_name = _("distribution plan")
        verbose_name_plural = _("distribution plans")
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "year", "version"], name="dividends_plan_version_unique"),
            models.UniqueConstraint(
                fields=["cooperative", "year"],
                condition=Q(state="executed"),
                name="dividends_plan_one_executed",
            ),
            models.CheckConstraint(condition=Q(reserve_to_capital__gte=0), name="dividends_plan_conversion_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.year}年盈余分配方案（第{self.version}版）"

    def get_absolute_url(self) -> str:
        return reverse("dividends:plan_detail", args=[self.pk])


class MemberAllocation(TenantModel):
    """One member's share of a plan: holdings by class on the record date, the bases, the amounts."""

    plan = models.ForeignKey(
        DistributionPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="allocations"
    )
    member = models.ForeignKey(
        "members.Member", verbose_name=_("member"), on_delete=models.PROTECT, related_name="dividend_allocations"
    )
    ordinary = models.DecimalField(_("ordinary shares"), **MONEY, default=0)
    collective = models.DecimalField(_("collective shares"), **MONEY, default=0)
    poverty = models.DecimalField(_("poverty-alleviation shares"), **MONEY, default=0)
    share_weight = models.DecimalField(_("share basis"), **MONEY, default=0)
    share_ratio = models.DecimalField(_("share ratio"), **RATIO, default=0)
    patronage_basis = models.DecimalField(_("transactions"), max_digits=18, decimal_places=4, default=0)
    patronage_refund = models.DecimalField(_("patronage refund"), **MONEY, default=0)
    share_dividend = models.DecimalField(_("distribution by shares"), **MONEY, default=0)
    capital_conversion = models.DecimalField(_("reserve converted into capital"), **MONEY, default=0)
    reserve_share = models.DecimalField(_("reserve share quantified this year"), **MONEY, default=0)
    held_for_collective = models.DecimalField(
        _("collective shares held by a person on the collective's behalf"), **MONEY, default=0
    )
    total = models.DecimalField(_("amount"), **MONEY, default=0)

    tenancy = MEMBER_ROWS_TENANCY

    class Meta:
        ordering = ["plan_id", "member__number"]
        verbose_name = _("member allocation")
        verbose_name_plural = _("member allocations")
        constraints = [
            models.UniqueConstraint(fields=["plan", "member"], name="dividends_allocation_unique"),
            models.CheckConstraint(
                condition=Q(patronage_refund__gte=0) & Q(share_dividend__gte=0) & Q(total__gte=0),
                name="dividends_allocation_not_negative",
            ),
        ]
        triggers = keys.parent_triggers("allocation", keys.PAYOUT_ALLOCATION)

    def __str__(self) -> str:
        return f"{self.member} {self.total}"

    def get_absolute_url(self) -> str:
        return reverse("dividends:statement", args=[self.pk])


@tracked_in_bulk()
class Payout(TenantModel):
    """One line of the payout list made when a plan is carried out: paid in cash or to a bank account.

    Its key (allocation, plan, member) → the allocation's (id, plan, member) holds a payout to its
    allocation's plan and member (dividends_payout_of_its_allocation); that key and the voucher's are
    checked once per statement (``core.keys``): a plan writes its 10,000 payouts in one."""

    # indexed as the first column of dividends_payout_unique
    plan = models.ForeignKey(
        DistributionPlan,
        verbose_name=_("plan"),
        on_delete=models.PROTECT,
        related_name="payouts",
        db_index=False,
        db_constraint=False,
    )
    allocation = models.OneToOneField(
        MemberAllocation,
        verbose_name=_("allocation"),
        on_delete=models.PROTECT,
        related_name="payout",
        db_constraint=False,
    )
    member = models.ForeignKey(
        "members.Member", verbose_name=_("member"), on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    amount = models.DecimalField(_("amount"), **MONEY)
    method = models.CharField(_("paid by"), max_length=8, choices=PayoutMethod.choices, default=PayoutMethod.CASH)
    bank_account = models.CharField(_("bank account"), max_length=40, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=PayoutStatus.choices, default=PayoutStatus.UNPAID)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    signed_by = models.CharField(_("signed by"), max_length=50, blank=True)
    voucher = models.ForeignKey(
        "finance.Voucher",
        verbose_name=_("voucher"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The entry that booked the payment."),
        db_constraint=False,
    )

    tenancy = MEMBER_ROWS_TENANCY

    class Meta:
        ordering = ["plan_id", "member__number"]
        verbose_name = _("payout")
        verbose_name_plural = _("payouts")
        constraints = [
            models.UniqueConstraint(fields=["plan", "member"], name="dividends_payout_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="dividends_payout_not_negative"),
            models.CheckConstraint(
                condition=Q(status="unpaid") | (Q(paid_on__isnull=False) & ~Q(signed_by="")),
                name="dividends_payout_paid_signed",
            ),
        ]
        triggers = keys.child_triggers("payout", keys.PAYOUT_ALLOCATION, keys.PAYOUT_VOUCHER)

    def __str__(self) -> str:
        return f"{self.member} {self.amount}"

    def get_absolute_url(self) -> str:
        return reverse("dividends:payout_edit", args=[self.pk])
