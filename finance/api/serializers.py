"""Serializers of the finance API. Money is a string with two places (COERCE_DECIMAL_TO_STRING)."""

from __future__ import annotations

from rest_framework import serializers

from cooperatives.models import Cooperative
from core.api.fields import ModelSerializer, PlainDecimalField
from core.models import Region
from finance.choices import ContractDirection, IncomeSource, TradeDirection
from finance.models import (
    Account,
    CollectiveIncome,
    Contract,
    ContractInstalment,
    ContractPayment,
    FiscalYear,
    OpeningBalance,
    PatronageTransaction,
    Period,
    Project,
    Voucher,
    VoucherLine,
)

MONEY = {"max_digits": 18, "decimal_places": 2}


def _members():
    from members.models import Member

    return Member


class ScopedFieldsMixin:
    """Related-object choices come from the caller's jurisdiction, so a foreign id is invalid.

    Applied when the fields are built (not in ``__init__``), so a nested serializer — which is
    created without a context — reads the request from its root serializer.
    """

    scoped_fields: dict[str, tuple] = {}

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        user = getattr(request, "user", None)
        for name, (model_getter, action) in self.scoped_fields.items():
            field = fields.get(name)
            if field is None or getattr(field, "read_only", False):
                continue
            model = model_getter() if callable(model_getter) and not isinstance(model_getter, type) else model_getter
            qs = model.objects.for_user(user, action) if user is not None else model.objects.none()
            target = field.child_relation if isinstance(field, serializers.ManyRelatedField) else field
            target.queryset = qs
        return fields


class AccountSerializer(ModelSerializer):
    class Meta:
        model = Account
        fields = [
            "id",
            "cooperative",
            "code",
            "name",
            "parent",
            "level",
            "category",
            "balance_side",
            "is_cash",
            "tracks_members",
            "member",
            "is_standard",
            "is_optional",
            "is_leaf",
            "is_active",
            "pinyin",
        ]
        read_only_fields = fields


class AccountCreateSerializer(ScopedFieldsMixin, serializers.Serializer):
    scoped_fields = {"parent": (Account, "add"), "member": (_members, "view")}

    parent = serializers.PrimaryKeyRelatedField(queryset=Account.objects.none())
    code = serializers.CharField(max_length=7)
    name = serializers.CharField(max_length=64)
    member = serializers.PrimaryKeyRelatedField(queryset=Account.objects.none(), required=False, allow_null=True)


class AccountUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=64, required=False)
    is_active = serializers.BooleanField(required=False)


class PeriodSerializer(ModelSerializer):
    year = serializers.IntegerField(source="fiscal_year.year", read_only=True)

    class Meta:
        model = Period
        fields = [
            "id",
            "cooperative",
            "fiscal_year",
            "year",
            "number",
            "start_date",
            "end_date",
            "status",
            "last_voucher_number",
            "closed_at",
        ]
        read_only_fields = fields


class PeriodReopenSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, allow_blank=True)


class FiscalYearSerializer(ModelSerializer):
    class Meta:
        model = FiscalYear
        fields = ["id", "cooperative", "year", "status", "carried_from", "closed_at"]
        read_only_fields = fields


class FiscalYearCreateSerializer(ScopedFieldsMixin, serializers.Serializer):
    """Open the books (first year) or the next fiscal year of a cooperative."""

    scoped_fields = {"cooperative": (Cooperative, "view")}

    cooperative = serializers.PrimaryKeyRelatedField(queryset=Cooperative.objects.none())
    year = serializers.IntegerField(min_value=2000, max_value=2100)


class OpeningBalanceSerializer(ModelSerializer):
    account_code = serializers.CharField(source="account.code", read_only=True)
    debit = serializers.SerializerMethodField()
    credit = serializers.SerializerMethodField()

    class Meta:
        model = OpeningBalance
        fields = ["id", "account", "account_code", "member", "project", "amount", "debit", "credit"]
        read_only_fields = fields

    def get_debit(self, obj) -> str:
        return f"{max(obj.amount, 0):.2f}"

    def get_credit(self, obj) -> str:
        return f"{max(-obj.amount, 0):.2f}"


class OpeningRowSerializer(ScopedFieldsMixin, serializers.Serializer):
    scoped_fields = {"account": (Account, "view"), "member": (_members, "view"), "project": (Project, "view")}

    account = serializers.PrimaryKeyRelatedField(queryset=Account.objects.none())
    debit = PlainDecimalField(**MONEY, required=False, default=0, min_value=0)
    credit = PlainDecimalField(**MONEY, required=False, default=0, min_value=0)
    member = serializers.PrimaryKeyRelatedField(queryset=Account.objects.none(), required=False, allow_null=True)
    project = serializers.PrimaryKeyRelatedField(queryset=Project.objects.none(), required=False, allow_null=True)


class OpeningBalancesSerializer(serializers.Serializer):
    rows = OpeningRowSerializer(many=True)


class VoucherLineSerializer(ScopedFieldsMixin, ModelSerializer):
    scoped_fields = {"account": (Account, "view"), "member": (_members, "view"), "project": (Project, "view")}

    account_code = serializers.CharField(source="account.code", read_only=True)
    account_name = serializers.CharField(source="account.name", read_only=True)
    account = serializers.PrimaryKeyRelatedField(queryset=Account.objects.none())
    member = serializers.PrimaryKeyRelatedField(queryset=Account.objects.none(), required=False, allow_null=True)
    project = serializers.PrimaryKeyRelatedField(queryset=Project.objects.none(), required=False, allow_null=True)
    debit = PlainDecimalField(**MONEY, required=False, default=0)
    credit = PlainDecimalField(**MONEY, required=False, default=0)

    class Meta:
        model = VoucherLine
        fields = [
            "line_no",
            "account",
            "account_code",
            "account_name",
            "summary",
            "debit",
            "credit",
            "member",
            "project",
        ]
        read_only_fields = ["line_no"]


class VoucherSerializer(ModelSerializer):
    lines = VoucherLineSerializer(many=True, read_only=True)
    display_number = serializers.CharField(read_only=True)
    payee = serializers.CharField(source="payee_display", read_only=True)
    payee_code = serializers.SerializerMethodField()

    def get_payee_code(self, voucher) -> str:
        """A person's ID number masked but for the roster keepers (``core.privacy``)."""
        from finance.selectors.payees import payee_code_shown

        request = self.context.get("request")
        return payee_code_shown(voucher, getattr(request, "user", None))

    class Meta:
        model = Voucher
        fields = [
            "id",
            "cooperative",
            "period",
            "date",
            "number",
            "display_number",
            "kind",
            "status",
            "summary",
            "attachment_count",
            "total_debit",
            "payment_amount",
            "payee",
            "payee_member",
            "payee_name",
            "payee_code",
            "payee_account",
            "reverses",
            "lines",
            "created_at",
            "posted_at",
        ]
        read_only_fields = fields


class VoucherWriteSerializer(ScopedFieldsMixin, serializers.Serializer):
    """A draft voucher: debits must equal credits to the fen (the service refuses otherwise). A
    payment names its payee: ``payee_member``, or ``payee_name`` with the optional ``payee_code``
    (resident ID number or unified social credit code) and ``payee_account``."""

    scoped_fields = {"cooperative": (Cooperative, "view"), "payee_member": (_members, "view")}

    cooperative = serializers.PrimaryKeyRelatedField(queryset=Cooperative.objects.none(), required=False)
    date = serializers.DateField()
    summary = serializers.CharField(max_length=200)
    attachment_count = serializers.IntegerField(min_value=0, max_value=999, required=False, default=0)
    lines = VoucherLineSerializer(many=True)
    payee_member = serializers.PrimaryKeyRelatedField(
        queryset=Account.objects.none(), required=False, allow_null=True, default=None
    )
    payee_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    payee_code = serializers.CharField(max_length=18, required=False, allow_blank=True, default="")
    payee_account = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")


class VoucherReverseSerializer(serializers.Serializer):
    date = serializers.DateField(required=False, allow_null=True)
    summary = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class InstalmentSerializer(ModelSerializer):
    class Meta:
        model = ContractInstalment
        fields = ["sequence", "due_date", "amount", "note"]
        read_only_fields = ["sequence"]


class ContractPaymentSerializer(ModelSerializer):
    class Meta:
        model = ContractPayment
        fields = ["id", "contract", "voucher", "amount", "paid_on", "note", "created_at"]
        read_only_fields = fields


class ContractSerializer(ModelSerializer):
    instalments = InstalmentSerializer(many=True, read_only=True)
    paid = PlainDecimalField(**MONEY, read_only=True)
    outstanding = serializers.SerializerMethodField()

    class Meta:
        model = Contract
        fields = [
            "id",
            "cooperative",
            "number",
            "subject",
            "counterparty",
            "counterparty_code",
            "direction",
            "amount",
            "signed_on",
            "start_date",
            "end_date",
            "status",
            "filing_number",
            "filed_at",
            "note",
            "instalments",
            "paid",
            "outstanding",
            "created_at",
        ]
        read_only_fields = fields

    def get_outstanding(self, obj) -> str:
        return f"{obj.amount - (getattr(obj, 'paid', None) or 0):.2f}"


class ContractWriteSerializer(ScopedFieldsMixin, serializers.Serializer):
    scoped_fields = {"cooperative": (Cooperative, "view")}

    cooperative = serializers.PrimaryKeyRelatedField(queryset=Cooperative.objects.none(), required=False)
    number = serializers.CharField(max_length=40)
    subject = serializers.CharField(max_length=200)
    counterparty = serializers.CharField(max_length=100)
    counterparty_code = serializers.CharField(max_length=18, required=False, allow_blank=True, default="")
    direction = serializers.ChoiceField(choices=ContractDirection.choices, default=ContractDirection.PAYABLE)
    amount = PlainDecimalField(**MONEY)
    signed_on = serializers.DateField(required=False, allow_null=True)
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="")
    instalments = InstalmentSerializer(many=True, required=False, default=list)


class ContractPaymentWriteSerializer(ScopedFieldsMixin, serializers.Serializer):
    scoped_fields = {"voucher": (Voucher, "view")}

    voucher = serializers.PrimaryKeyRelatedField(queryset=Voucher.objects.none())
    amount = PlainDecimalField(**MONEY)
    paid_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class FileContractSerializer(serializers.Serializer):
    filing_number = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class PatronageSerializer(ScopedFieldsMixin, ModelSerializer):
    scoped_fields = {"member": (_members, "view"), "voucher": (Voucher, "view")}

    member = serializers.PrimaryKeyRelatedField(queryset=Account.objects.none())
    voucher = serializers.PrimaryKeyRelatedField(queryset=Voucher.objects.none(), required=False, allow_null=True)
    direction = serializers.ChoiceField(choices=TradeDirection.choices, default=TradeDirection.PURCHASE)
    quantity = PlainDecimalField(max_digits=14, decimal_places=3)
    amount = PlainDecimalField(**MONEY)

    class Meta:
        model = PatronageTransaction
        fields = [
            "id",
            "cooperative",
            "member",
            "date",
            "direction",
            "product",
            "unit",
            "quantity",
            "amount",
            "voucher",
            "note",
        ]
        read_only_fields = ["id", "cooperative"]


class ProjectSerializer(ScopedFieldsMixin, ModelSerializer):
    scoped_fields = {"cooperative": (Cooperative, "view")}

    cooperative = serializers.PrimaryKeyRelatedField(queryset=Cooperative.objects.none())

    class Meta:
        model = Project
        fields = ["id", "cooperative", "code", "name", "is_active", "note"]
        validators = []


class CollectiveIncomeSerializer(ScopedFieldsMixin, ModelSerializer):
    scoped_fields = {"village": (Region, "view"), "cooperative": (Cooperative, "view"), "voucher": (Voucher, "view")}

    village = serializers.PrimaryKeyRelatedField(queryset=Region.objects.none())
    cooperative = serializers.PrimaryKeyRelatedField(
        queryset=Cooperative.objects.none(), required=False, allow_null=True
    )
    voucher = serializers.PrimaryKeyRelatedField(queryset=Voucher.objects.none(), required=False, allow_null=True)
    source = serializers.ChoiceField(choices=IncomeSource.choices, default=IncomeSource.DIVIDEND)
    amount = PlainDecimalField(**MONEY)
    year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)

    class Meta:
        model = CollectiveIncome
        fields = ["id", "village", "cooperative", "year", "received_on", "amount", "source", "voucher", "note"]


class CollectiveIncomeByVillageSerializer(serializers.Serializer):
    village_id = serializers.IntegerField()
    village__code = serializers.CharField()
    village__name = serializers.CharField()
    year = serializers.IntegerField()
    total = PlainDecimalField(**MONEY)


# -- statements ---------------------------------------------------------------------------------


class RangeSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)
    period_from = serializers.IntegerField(min_value=1, max_value=12, required=False)
    period_to = serializers.IntegerField(min_value=1, max_value=12, required=False)


class RangeOutSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    period_from = serializers.IntegerField()
    period_to = serializers.IntegerField()


class ColumnSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()


class StatementLineSerializer(serializers.Serializer):
    line = serializers.IntegerField(allow_null=True)
    label = serializers.CharField()
    side = serializers.CharField(allow_blank=True)
    style = serializers.CharField(allow_blank=True)
    values = serializers.DictField(child=PlainDecimalField(**MONEY, allow_null=True))


class UnmappedSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    balance = PlainDecimalField(**MONEY)


class StatementSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    form_no = serializers.CharField(allow_blank=True)
    cooperative = serializers.CharField()
    unit = serializers.CharField()
    range = RangeOutSerializer()
    columns = ColumnSerializer(many=True)
    lines = StatementLineSerializer(many=True)
    unmapped = UnmappedSerializer(many=True)


class TrialBalanceRowSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.IntegerField()
    opening_debit = PlainDecimalField(**MONEY)
    opening_credit = PlainDecimalField(**MONEY)
    debit = PlainDecimalField(**MONEY)
    credit = PlainDecimalField(**MONEY)
    closing_debit = PlainDecimalField(**MONEY)
    closing_credit = PlainDecimalField(**MONEY)


class TrialBalanceTotalsSerializer(serializers.Serializer):
    opening_debit = PlainDecimalField(**MONEY)
    opening_credit = PlainDecimalField(**MONEY)
    debit = PlainDecimalField(**MONEY)
    credit = PlainDecimalField(**MONEY)
    closing_debit = PlainDecimalField(**MONEY)
    closing_credit = PlainDecimalField(**MONEY)


class TrialBalanceSerializer(serializers.Serializer):
    range = RangeOutSerializer()
    rows = TrialBalanceRowSerializer(many=True)
    totals = TrialBalanceTotalsSerializer()
    balanced = serializers.BooleanField()


class LedgerQuerySerializer(RangeSerializer):
    account = serializers.RegexField(r"^\d{3,7}$", required=False)
    member = serializers.IntegerField(min_value=1, required=False)


class LedgerLineSerializer(serializers.Serializer):
    date = serializers.DateField()
    voucher = serializers.IntegerField()
    number = serializers.CharField()
    account = serializers.CharField()
    summary = serializers.CharField(allow_blank=True)
    debit = PlainDecimalField(**MONEY)
    credit = PlainDecimalField(**MONEY)
    balance = PlainDecimalField(**MONEY)
    member = serializers.IntegerField(allow_null=True)


class LedgerSerializer(serializers.Serializer):
    range = RangeOutSerializer()
    account = serializers.CharField()
    opening = PlainDecimalField(**MONEY)
    debit = PlainDecimalField(**MONEY)
    credit = PlainDecimalField(**MONEY)
    closing = PlainDecimalField(**MONEY)
    lines = LedgerLineSerializer(many=True)


class GeneralLedgerMonthSerializer(serializers.Serializer):
    month = serializers.IntegerField()
    debit = PlainDecimalField(**MONEY)
    credit = PlainDecimalField(**MONEY)
    balance = PlainDecimalField(**MONEY)
    year_debit = PlainDecimalField(**MONEY)
    year_credit = PlainDecimalField(**MONEY)


class GeneralLedgerSerializer(serializers.Serializer):
    range = RangeOutSerializer()
    account = serializers.CharField()
    opening = PlainDecimalField(**MONEY)
    closing = PlainDecimalField(**MONEY)
    months = GeneralLedgerMonthSerializer(many=True)


class MemberAccountQuerySerializer(serializers.Serializer):
    member = serializers.IntegerField(min_value=1)
    year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)


class MemberAccountRowSerializer(serializers.Serializer):
    date = serializers.DateField()
    summary = serializers.CharField()
    values = serializers.DictField(child=PlainDecimalField(max_digits=18, decimal_places=3))


class MemberAccountSerializer(serializers.Serializer):
    member = serializers.IntegerField()
    name = serializers.CharField()
    year = serializers.IntegerField()
    columns = ColumnSerializer(many=True)
    opening = serializers.DictField(child=PlainDecimalField(max_digits=18, decimal_places=3))
    rows = MemberAccountRowSerializer(many=True)
    closing = serializers.DictField(child=PlainDecimalField(max_digits=18, decimal_places=3))
    transaction_amount = PlainDecimalField(**MONEY)


class YearSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)


class MemberAccountSummarySerializer(serializers.Serializer):
    member = serializers.IntegerField()
    number = serializers.IntegerField()
    name = serializers.CharField()
    year = serializers.IntegerField()
    contribution = PlainDecimalField(**MONEY)
    transaction_amount = PlainDecimalField(**MONEY)


class BooksSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    cooperative = serializers.IntegerField()
    name = serializers.CharField()
    chart = serializers.CharField()
    fiscal_years = FiscalYearSerializer(many=True)
    current_period = serializers.IntegerField(allow_null=True)
    cash = PlainDecimalField(**MONEY, allow_null=True)
    bank = PlainDecimalField(**MONEY, allow_null=True)
