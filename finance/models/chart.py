"""Chart templates and statement layouts: the standards as data (see ``finance.charts``)."""

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from finance.choices import AccountCategory, BalanceSide, StatementBasis


class ChartTemplate(TimeStampedModel):
    """A standard chart of accounts ("coop-2023", "village-collective-2023") and the accounts its
    closing entries use. ``kinds``: the cooperative kinds that keep books on this chart."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    standard = models.CharField(_("standard"), max_length=200, blank=True)
    kinds = ArrayField(models.CharField(max_length=24), verbose_name=_("cooperative kinds"), default=list)
    surplus_code = models.CharField(_("current-year surplus account"), max_length=12)
    distribution_code = models.CharField(_("surplus distribution account"), max_length=12)
    allocation_code = models.CharField(_("allocations account"), max_length=12)
    undistributed_code = models.CharField(_("undistributed surplus account"), max_length=12)
    cash_code = models.CharField(_("cash account"), max_length=12)
    bank_code = models.CharField(_("bank account"), max_length=12)
    roles = models.JSONField(
        _("accounts by role"),
        default=dict,
        help_text=_("The account each posting service uses: capital, reserve, payables, cash, bank… (finance.charts)."),
    )
    quantifies_reserve = models.BooleanField(
        _("the reserve is quantified to members"),
        default=False,
        help_text=_("Farmer cooperatives keep each member's reserve share (law Arts. 42–43)."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("chart of accounts")
        verbose_name_plural = _("charts of accounts")

    def __str__(self) -> str:
        return self.name


class TemplateAccount(models.Model):
    """One account of a standard chart (level 1 as numbered by the Ministry, or a standard sub-account)."""

    template = models.ForeignKey(ChartTemplate, on_delete=models.CASCADE, related_name="accounts")
    code = models.CharField(_("code"), max_length=12)
    name = models.CharField(_("name"), max_length=64)
    category = models.CharField(_("category"), max_length=12, choices=AccountCategory.choices)
    balance_side = models.CharField(_("normal balance"), max_length=8, choices=BalanceSide.choices)
    is_cash = models.BooleanField(_("cash or bank"), default=False)
    tracks_members = models.BooleanField(_("sub-ledger per member"), default=False)
    is_optional = models.BooleanField(_("optional"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["template_id", "order"]
        verbose_name = _("template account")
        verbose_name_plural = _("template accounts")
        constraints = [models.UniqueConstraint(fields=["template", "code"], name="finance_tplaccount_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class StatementTemplate(models.Model):
    """A statement of a chart: title, form number, columns and (through ``lines``) its layout."""

    template = models.ForeignKey(ChartTemplate, on_delete=models.CASCADE, related_name="statements")
    key = models.SlugField(_("key"), max_length=40)
    title = models.CharField(_("title"), max_length=100)
    form_no = models.CharField(_("form number"), max_length=40, blank=True)
    basis = models.CharField(_("basis"), max_length=12, choices=StatementBasis.choices)
    columns = models.JSONField(_("columns"), default=list)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["template_id", "order"]
        verbose_name = _("statement layout")
        verbose_name_plural = _("statement layouts")
        constraints = [models.UniqueConstraint(fields=["template", "key"], name="finance_statement_key_unique")]

    def __str__(self) -> str:
        return self.title


class StatementLineTemplate(models.Model):
    """One line of a statement: its number (行次), label, half of the page and formula."""

    statement = models.ForeignKey(StatementTemplate, on_delete=models.CASCADE, related_name="lines")
    order = models.PositiveSmallIntegerField(_("order"))
    number = models.PositiveSmallIntegerField(_("line"), null=True, blank=True)
    label = models.CharField(_("label"), max_length=100)
    side = models.CharField(_("side"), max_length=1, blank=True)
    formula = models.CharField(_("formula"), max_length=400, blank=True)
    cells = models.JSONField(_("formulas by column"), default=dict, blank=True)
    style = models.CharField(_("style"), max_length=2, blank=True)

    class Meta:
        ordering = ["statement_id", "order"]
        verbose_name = _("statement line")
        verbose_name_plural = _("statement lines")

    def __str__(self) -> str:
        return f"{self.number or ''} {self.label}"
