"""Member accounts (成员账户, law Art. 43; DOMAIN.md §3.5): transactions and quantified shares."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import keys
from core.choices import STAFF_ROLES
from core.history import tracked, tracked_in_bulk
from core.models import TenantModel
from core.money import MONEY
from core.tenancy import VILLAGE_WRITERS, Tenancy
from finance.choices import MemberAccountEntryKind, TradeDirection


def _own_rows(user) -> Q:
    """A member reads the rows of their own member record(s)."""
    return Q(member__user=user)


MEMBER_ROWS_TENANCY = Tenancy(
    actions={"view": STAFF_ROLES, "add": VILLAGE_WRITERS, "change": VILLAGE_WRITERS, "delete": VILLAGE_WRITERS},
    member_filter=_own_rows,
)


@tracked()
class PatronageTransaction(TenantModel):
    """A member's transaction with the cooperative (交易量（额）): produce bought from the member or
    inputs and services sold to them. The basis of the patronage refund (law Art. 44)."""

    cooperative = models.ForeignKey(
        "cooperatives.Cooperative",
        verbose_name=_("cooperative"),
        on_delete=models.PROTECT,
        related_name="patronage_transactions",
    )
    member = models.ForeignKey(
        "members.Member", verbose_name=_("member"), on_delete=models.PROTECT, related_name="patronage_transactions"
    )
    date = models.DateField(_("date"))
    direction = models.CharField(
        _("direction"), max_length=10, choices=TradeDirection.choices, default=TradeDirection.PURCHASE
    )
    product = models.CharField(_("product"), max_length=60)
    unit = models.CharField(_("unit"), max_length=12, default="公斤")
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3)
    amount = models.DecimalField(_("amount"), **MONEY)
    voucher = models.ForeignKey(
        "finance.Voucher",
        verbose_name=_("voucher"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="patronage_transactions",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("entered by"), on_delete=models.PROTECT, null=True, related_name="+"
    )

    tenancy = MEMBER_ROWS_TENANCY

    class Meta:
        ordering = ["cooperative_id", "-date", "-pk"]
        verbose_name = _("member transaction")
        verbose_name_plural = _("member transactions")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=0), name="finance_patronage_quantity"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="finance_patronage_amount_positive"),
        ]
        indexes = [models.Index(fields=["cooperative", "date"], name="finance_patronage_coop_date")]

    def __str__(self) -> str:
        return f"{self.member} · {self.product} · {self.amount}"

    def get_absolute_url(self) -> str:
        return reverse("finance:patronage_edit", args=[self.pk])


@tracked_in_bulk()
class MemberAccountEntry(TenantModel):
    """A dated amount in a member's account that is not a contribution or a transaction: the
    quantified reserve, subsidy and donation shares, the patronage refund and remaining surplus
    paid (written by the dividends app through ``member_account_entry_create``).

    Its member is a member of its own cooperative (finance_macc_member_of_the_books), its voucher a
    voucher of the same books and its author a user, keys checked once per statement
    (``core.keys``): a plan writes 20,000 entries in two statements."""

    # indexed as the first column of finance_macc_coop_year
    cooperative = models.ForeignKey(
        "cooperatives.Cooperative",
        verbose_name=_("cooperative"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="account_entries",
        db_constraint=False,
    )
    year = models.PositiveSmallIntegerField(_("year"))
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=24, choices=MemberAccountEntryKind.choices)
    amount = models.DecimalField(_("amount"), **MONEY)
    summary = models.CharField(_("summary"), max_length=200, blank=True)
    voucher = models.ForeignKey(
        "finance.Voucher",
        verbose_name=_("voucher"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        db_constraint=False,
    )

    tenancy = MEMBER_ROWS_TENANCY

    class Meta:
        ordering = ["cooperative_id", "member_id", "date", "pk"]
        verbose_name = _("member account entry")
        verbose_name_plural = _("member account entries")
        indexes = [models.Index(fields=["cooperative", "year"], name="finance_macc_coop_year")]
        triggers = keys.child_triggers("macc", keys.MACC_MEMBER, keys.MACC_VOUCHER, keys.MACC_AUTHOR)

    def __str__(self) -> str:
        return f"{self.member} · {self.get_kind_display()} · {self.amount}"


class ShareBooking(TenantModel):
    """Which voucher booked a share-register operation (``shares.bookkeeping``): an auditor goes
    from any share entry to its entry in the books, and back. Operations dated before the books
    start are in the opening balances instead and have no row. Written once with its voucher and
    never changed (a voucher's own history says who posted it), so it keeps no history of its own."""

    # indexed as the first column of finance_sharebooking_unique
    cooperative = models.ForeignKey(
        "cooperatives.Cooperative",
        verbose_name=_("cooperative"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    operation = models.UUIDField(_("share operation"), db_index=True)
    voucher = models.ForeignKey(
        "finance.Voucher", verbose_name=_("voucher"), on_delete=models.PROTECT, related_name="share_bookings"
    )

    tenancy = Tenancy(
        actions={"view": STAFF_ROLES, "add": VILLAGE_WRITERS, "change": VILLAGE_WRITERS, "delete": VILLAGE_WRITERS}
    )

    class Meta:
        ordering = ["cooperative_id", "pk"]
        verbose_name = _("share booking")
        verbose_name_plural = _("share bookings")
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "operation", "voucher"], name="finance_sharebooking_unique")
        ]

    def __str__(self) -> str:
        return f"{self.operation} → {self.voucher_id}"
