"""A cooperative's books: its chart, accounts, projects, fiscal years, months and opening balances."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import keys
from core.choices import STAFF_ROLES
from core.history import tracked
from core.models import TenantModel
from core.money import MONEY
from core.tenancy import VILLAGE_WRITERS, Tenancy
from finance.choices import PROFIT_AND_LOSS, AccountCategory, BalanceSide, FiscalYearStatus, PeriodStatus


def bookkeeping_tenancy(**extra) -> Tenancy:
    """Staff of the jurisdiction read; the village accountant writes (DESIGN.md: who does what)."""
    return Tenancy(
        actions={"view": STAFF_ROLES, "add": VILLAGE_WRITERS, "change": VILLAGE_WRITERS, "delete": VILLAGE_WRITERS}
        | extra
    )


@tracked()
class CooperativeBooks(TenantModel):
    """The books of one cooperative: which chart they are kept on, opened when and by whom."""

    cooperative = models.OneToOneField(
        "cooperatives.Cooperative", verbose_name=_("cooperative"), on_delete=models.PROTECT, related_name="books"
    )
    chart = models.ForeignKey(
        "finance.ChartTemplate", verbose_name=_("chart of accounts"), on_delete=models.PROTECT, related_name="+"
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("opened by"), on_delete=models.PROTECT, null=True, related_name="+"
    )

    tenancy = bookkeeping_tenancy()

    class Meta:
        ordering = ["region_code", "cooperative_id"]
        verbose_name = _("books")
        verbose_name_plural = _("books")

    def __str__(self) -> str:
        return f"{self.cooperative} · {self.chart}"


@tracked()
class Account(TenantModel):
    """An account of one cooperative: a standard account copied from its chart, or a sub-account
    the cooperative added (10201 per bank account, 11401 per member). Vouchers post to leaves only.

    Codes nest: three digits, then two per level; ``code`` starts with the parent's code, so every
    roll-up is a prefix match (``code LIKE '102%'``).
    """

    cooperative = models.ForeignKey(
        "cooperatives.Cooperative", verbose_name=_("cooperative"), on_delete=models.PROTECT, related_name="accounts"
    )
    code = models.CharField(_("code"), max_length=12)
    name = models.CharField(_("name"), max_length=64)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent account"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    level = models.PositiveSmallIntegerField(_("level"), default=1)
    category = models.CharField(_("category"), max_length=12, choices=AccountCategory.choices)
    balance_side = models.CharField(_("normal balance"), max_length=8, choices=BalanceSide.choices)
    is_cash = models.BooleanField(_("cash or bank"), default=False)
    tracks_members = models.BooleanField(_("sub-ledger per member"), default=False)
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="finance_accounts",
        help_text=_("For a sub-account kept for one member (e.g. 114 成员往来 per member)."),
    )
    is_standard = models.BooleanField(_("from the standard chart"), default=False)
    is_optional = models.BooleanField(_("optional in the standard"), default=False)
    is_leaf = models.BooleanField(_("takes postings"), default=True)
    is_active = models.BooleanField(_("in use"), default=True)
    pinyin = models.CharField(_("pinyin initials"), max_length=64, blank=True, db_index=True)

    tenancy = bookkeeping_tenancy()

    class Meta:
        ordering = ["cooperative_id", "code"]
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "code"], name="finance_account_code_unique"),
            models.CheckConstraint(condition=Q(code__regex=r"^\d{3}(\d\d)*$"), name="finance_account_code_format"),
        ]
        triggers = keys.parent_triggers("account", keys.LINE_ACCOUNT)

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("finance:account_detail", args=[self.pk])

    @property
    def is_profit_and_loss(self) -> bool:
        return self.category in PROFIT_AND_LOSS


@tracked()
class Project(TenantModel):
    """A cost or income centre a voucher line may name (项目核算): an orchard, a cold store, a subsidy project."""

    cooperative = models.ForeignKey(
        "cooperatives.Cooperative", verbose_name=_("cooperative"), on_delete=models.PROTECT, related_name="projects"
    )
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=100)
    is_active = models.BooleanField(_("in use"), default=True)
    note = models.TextField(_("note"), blank=True)

    tenancy = bookkeeping_tenancy()

    class Meta:
        ordering = ["cooperative_id", "code"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [models.UniqueConstraint(fields=["cooperative", "code"], name="finance_project_code_unique")]
        triggers = keys.parent_triggers("project", keys.LINE_PROJECT)

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("finance:project_edit", args=[self.pk])


@tracked()
class FiscalYear(TenantModel):
    """A calendar accounting year (Art. 6 of the standard) with twelve monthly periods.

    ``carried_from`` is the year whose closing balances became this year's opening balances; a
    carried year's opening balances are fixed (a correction is a voucher).
    """

    cooperative = models.ForeignKey(
        "cooperatives.Cooperative",
        verbose_name=_("cooperative"),
        on_delete=models.PROTECT,
        related_name="fiscal_years",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(
        _("status"), max_length=8, choices=FiscalYearStatus.choices, default=FiscalYearStatus.OPEN
    )
    carried_from = models.OneToOneField(
        "self",
        verbose_name=_("balances carried from"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="carried_to",
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    tenancy = bookkeeping_tenancy(close=VILLAGE_WRITERS)

    class Meta:
        ordering = ["cooperative_id", "-year"]
        verbose_name = _("fiscal year")
        verbose_name_plural = _("fiscal years")
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "year"], name="finance_fiscalyear_unique"),
            models.CheckConstraint(
                condition=~Q(status=FiscalYearStatus.CLOSED) | Q(closed_at__isnull=False),
                name="finance_fiscalyear_closed_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}"

    def get_absolute_url(self) -> str:
        return reverse("finance:fiscalyear_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == FiscalYearStatus.OPEN


@tracked()
class Period(TenantModel):
    """A month of a fiscal year. ``last_voucher_number`` is the period's voucher counter: posting
    locks this row, takes the next number and writes it back, so numbers run 1, 2, 3… without gaps
    and a month cannot be closed while a voucher is being posted into it."""

    cooperative = models.ForeignKey(
        "cooperatives.Cooperative", verbose_name=_("cooperative"), on_delete=models.PROTECT, related_name="periods"
    )
    fiscal_year = models.ForeignKey(
        FiscalYear, verbose_name=_("fiscal year"), on_delete=models.PROTECT, related_name="periods"
    )
    number = models.PositiveSmallIntegerField(_("month"))
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    status = models.CharField(_("status"), max_length=8, choices=PeriodStatus.choices, default=PeriodStatus.OPEN)
    last_voucher_number = models.PositiveIntegerField(_("last voucher number"), default=0)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    tenancy = bookkeeping_tenancy(close=VILLAGE_WRITERS)

    class Meta:
        ordering = ["cooperative_id", "start_date"]
        verbose_name = _("period")
        verbose_name_plural = _("periods")
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "number"], name="finance_period_unique"),
            models.UniqueConstraint(fields=["cooperative", "start_date"], name="finance_period_start_unique"),
            models.CheckConstraint(condition=Q(number__gte=1) & Q(number__lte=12), name="finance_period_month"),
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="finance_period_dates"),
        ]

    def __str__(self) -> str:
        return f"{self.start_date:%Y-%m}"

    def get_absolute_url(self) -> str:
        return reverse("finance:period_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == PeriodStatus.OPEN

    @property
    def label(self) -> str:
        return f"{self.start_date.year}年{self.number}月"


@tracked()
class OpeningBalance(TenantModel):
    """A balance at the start of a fiscal year, debit positive, per leaf account (and member,
    project). Entered by the accountant for the first year; written by the year-end carry-forward
    for every later year."""

    cooperative = models.ForeignKey(
        "cooperatives.Cooperative", verbose_name=_("cooperative"), on_delete=models.PROTECT, related_name="+"
    )
    fiscal_year = models.ForeignKey(
        FiscalYear, verbose_name=_("fiscal year"), on_delete=models.PROTECT, related_name="opening_balances"
    )
    account = models.ForeignKey(Account, verbose_name=_("account"), on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(
        "members.Member", verbose_name=_("member"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    amount = models.DecimalField(_("balance (debit positive)"), **MONEY)

    tenancy = bookkeeping_tenancy()

    class Meta:
        ordering = ["fiscal_year_id", "account__code", "pk"]
        verbose_name = _("opening balance")
        verbose_name_plural = _("opening balances")
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "account", "member", "project"],
                nulls_distinct=False,
                name="finance_opening_unique",
            ),
            models.CheckConstraint(condition=~Q(amount=0), name="finance_opening_not_zero"),
        ]

    def __str__(self) -> str:
        return f"{self.fiscal_year} · {self.account} · {self.amount}"

    @property
    def debit(self):
        return self.amount if self.amount > 0 else None

    @property
    def credit(self):
        return -self.amount if self.amount < 0 else None


@tracked()
class TakeoverAdjustment(TenantModel):
    """A difference between the register and the books found when the books were taken over, and
    how it was booked: the opening balances rewritten (``voucher`` empty) or an adjusting entry."""

    class Subject(models.TextChoices):
        CAPITAL = "capital", _("Capital against the share register")  # 股金与股份登记簿
        RESERVE = "reserve", _("Reserve quantified to members")  # 公积金量化到成员

    cooperative = models.ForeignKey(
        "cooperatives.Cooperative", verbose_name=_("cooperative"), on_delete=models.PROTECT, related_name="+"
    )
    subject = models.CharField(_("what"), max_length=12, choices=Subject.choices)
    amount = models.DecimalField(_("amount"), **MONEY)
    offset_account = models.ForeignKey(
        Account, verbose_name=_("booked against"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"))
    voucher = models.ForeignKey(
        "finance.Voucher", verbose_name=_("voucher"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("booked by"), on_delete=models.PROTECT, related_name="+"
    )

    tenancy = bookkeeping_tenancy()

    class Meta:
        ordering = ["cooperative_id", "-created_at"]
        verbose_name = _("takeover adjustment")
        verbose_name_plural = _("takeover adjustments")

    def __str__(self) -> str:
        return f"{self.get_subject_display()} {self.amount}"
