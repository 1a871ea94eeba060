"""Forms of the finance pages. They parse and present; the services hold every rule."""

from __future__ import annotations

import datetime
import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.forms import PlainDecimalField
from finance.choices import (
    AssetCategory,
    AssetKind,
    AssetSource,
    ContractDirection,
    IncomeSource,
    MemberAccountEntryKind,
    TradeDirection,
)

MONEY_FIELD = {"max_digits": 18, "decimal_places": 2}
CODE_AT_START = re.compile(r"^\s*(\d{3,7})")


def member_choices(members) -> list[tuple]:
    return [("", "—")] + [(m.pk, f"{m.number} {m.name}") for m in members]


def project_choices(projects) -> list[tuple]:
    return [("", "—")] + [(p.pk, f"{p.code} {p.name}") for p in projects]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("Fiscal year"), min_value=2000, max_value=2100)


class AccountCreateForm(forms.Form):
    parent = forms.TypedChoiceField(label=_("Parent account"), coerce=int)
    code = forms.CharField(label=_("Code"), max_length=7, help_text=_("The parent's code followed by two digits."))
    name = forms.CharField(label=_("Name"), max_length=64)
    member = forms.TypedChoiceField(label=_("Member"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, accounts, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [(a.pk, f"{a.code} {a.name}") for a in accounts if a.level < 3]
        self.fields["member"].choices = member_choices(members)


class AccountEditForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=64)
    is_active = forms.BooleanField(label=_("In use"), required=False)


class ProjectForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=20)
    name = forms.CharField(label=_("Name"), max_length=100)
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class VoucherForm(forms.Form):
    """The voucher's header, and below the grid who a payment pays: a member or a named payee."""

    date = forms.DateField(label=_("Date"), widget=DateInput())
    summary = forms.CharField(label=_("Summary"), max_length=200)
    attachment_count = forms.IntegerField(label=_("Attachments (sheets)"), min_value=0, max_value=999, initial=0)
    payee_member = forms.TypedChoiceField(
        label=_("Payee: a member"),
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.Select(attrs={"data-payee": ""}),
    )
    payee_name = forms.CharField(
        label=_("or the payee's name"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"data-payee": "", "autocomplete": "off"}),
    )
    payee_code = forms.CharField(
        label=_("Payee's ID number or credit code"),
        max_length=18,
        required=False,
        widget=forms.TextInput(attrs={"data-payee": "", "autocomplete": "off"}),
    )
    payee_account = forms.CharField(
        label=_("Payee's account"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"data-payee": "", "autocomplete": "off"}),
    )

    def __init__(self, *args, member_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["payee_member"].choices = member_choices


class LineForm(forms.Form):
    """One line of the entry grid: the account by code (or "code name" from the autocomplete)."""

    account = forms.CharField(
        label=_("Account"),
        max_length=100,
        required=False,
        widget=forms.TextInput(
            attrs={
                "class": "form-control-sm",
                "data-account": "",
                "autocomplete": "off",
                "role": "combobox",
                "aria-autocomplete": "list",
                "aria-expanded": "false",
                "placeholder": "101 / KCXJ",
            }
        ),
    )
    summary = forms.CharField(
        label=_("Line summary"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control-sm", "data-summary": ""}),
    )
    debit = PlainDecimalField(
        label=_("Debit"),
        required=False,
        min_value=0,
        widget=forms.TextInput(
            attrs={"class": "form-control-sm text-end", "data-amount": "debit", "inputmode": "decimal"}
        ),
        **MONEY_FIELD,
    )
    credit = PlainDecimalField(
        label=_("Credit"),
        required=False,
        min_value=0,
        widget=forms.TextInput(
            attrs={"class": "form-control-sm text-end", "data-amount": "credit", "inputmode": "decimal"}
        ),
        **MONEY_FIELD,
    )
    member = forms.TypedChoiceField(
        label=_("Member"),
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.Select(attrs={"class": "form-select-sm"}),
    )
    project = forms.TypedChoiceField(
        label=_("Project"),
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.Select(attrs={"class": "form-select-sm"}),
    )

    def __init__(self, *args, accounts_by_code=None, member_choices=(), project_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.accounts_by_code = accounts_by_code or {}
        self.fields["member"].choices = member_choices
        self.fields["project"].choices = project_choices

    def clean_account(self):
        raw = self.cleaned_data.get("account") or ""
        if not raw.strip():
            return None
        match = CODE_AT_START.match(raw)
        account = self.accounts_by_code.get(match.group(1)) if match else None
        if account is None:
            raise forms.ValidationError(_("No account with this code."))
        return account

    @property
    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not data.get("account") and not data.get("debit") and not data.get("credit")


class BaseLineFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if data and not data.get("account") and (data.get("debit") or data.get("credit")):
                form.add_error("account", _("Choose an account."))


LineFormSet = forms.formset_factory(LineForm, formset=BaseLineFormSet, extra=0, min_num=0, max_num=200)


class ReverseForm(forms.Form):
    date = forms.DateField(
        label=_("Date of the reversal"),
        required=False,
        widget=DateInput(),
        help_text=_("Empty: today, or the original's date if today's month is closed."),
    )
    summary = forms.CharField(label=_("Summary"), max_length=200, required=False)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Attachment (PDF, JPEG or PNG, at most 10 MB)"))


class ContractForm(forms.Form):
    number = forms.CharField(label=_("Contract number"), max_length=40)
    subject = forms.CharField(label=pgettext_lazy("contract", "Subject"), max_length=200)
    counterparty = forms.CharField(label=_("Counterparty"), max_length=100)
    counterparty_code = forms.CharField(label=_("Counterparty ID or credit code"), max_length=18, required=False)
    direction = forms.ChoiceField(label=_("Direction"), choices=ContractDirection.choices)
    amount = PlainDecimalField(label=_("Amount"), min_value=0, **MONEY_FIELD)
    signed_on = forms.DateField(label=_("Signed on"), required=False, widget=DateInput())
    start_date = forms.DateField(label=_("Term from"), widget=DateInput())
    end_date = forms.DateField(label=_("Term to"), widget=DateInput())
    file = forms.FileField(label=_("Contract file"), required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class InstalmentForm(forms.Form):
    due_date = forms.DateField(label=_("Due date"), required=False, widget=DateInput())
    amount = PlainDecimalField(label=_("Amount"), required=False, min_value=0, **MONEY_FIELD)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


InstalmentFormSet = forms.formset_factory(InstalmentForm, extra=0, min_num=0, max_num=60)


class ContractPaymentForm(forms.Form):
    voucher = forms.TypedChoiceField(label=_("Posted voucher"), coerce=int)
    amount = PlainDecimalField(label=_("Amount"), min_value=0, **MONEY_FIELD)
    paid_on = forms.DateField(label=_("Date"), required=False, widget=DateInput())
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, vouchers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["voucher"].choices = [
            (v.pk, f"{v.period.label} {v.display_number} {v.summary} ¥{v.total_debit:,.2f}") for v in vouchers
        ]


class ContractFileForm(forms.Form):
    filing_number = forms.CharField(label=_("Filing number"), max_length=40, required=False)


class PatronageForm(forms.Form):
    member = forms.TypedChoiceField(label=_("Member"), coerce=int)
    date = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    direction = forms.ChoiceField(label=_("Direction"), choices=TradeDirection.choices)
    product = forms.CharField(label=_("Product or service"), max_length=60)
    unit = forms.CharField(label=_("Unit"), max_length=12, initial="公斤")
    quantity = PlainDecimalField(label=_("Quantity"), min_value=0, max_digits=14, decimal_places=3)
    amount = PlainDecimalField(label=_("Amount"), min_value=0, **MONEY_FIELD)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [(m.pk, f"{m.number} {m.name}") for m in members]


class CollectiveIncomeForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    received_on = forms.DateField(label=_("Received on"), widget=DateInput())
    amount = PlainDecimalField(label=_("Amount"), min_value=0, **MONEY_FIELD)
    source = forms.ChoiceField(label=_("Source"), choices=IncomeSource.choices)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class QuantifyForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What to quantify"),
        choices=[
            (MemberAccountEntryKind.RESERVE_SHARE, MemberAccountEntryKind.RESERVE_SHARE.label),
            (MemberAccountEntryKind.SUBSIDY_SHARE, MemberAccountEntryKind.SUBSIDY_SHARE.label),
            (MemberAccountEntryKind.DONATION_SHARE, MemberAccountEntryKind.DONATION_SHARE.label),
        ],
    )
    amount = PlainDecimalField(label=_("Amount"), min_value=0, **MONEY_FIELD)
    date = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    summary = forms.CharField(label=_("Summary"), max_length=200, required=False)


class RangeForm(forms.Form):
    """The months a report covers; empty fields take the defaults of ``resolve_range``."""

    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    period_from = forms.IntegerField(label=_("From month"), required=False, min_value=1, max_value=12)
    period_to = forms.IntegerField(label=_("To month"), required=False, min_value=1, max_value=12)


def today_in(periods) -> datetime.date:
    """Today if its month is open, else the last day of the first open month."""
    today = timezone.localdate()
    for p in periods:
        if p.start_date <= today <= p.end_date and p.is_open:
            return today
    for p in periods:
        if p.is_open:
            return p.end_date
    return today


class AssetForm(forms.Form):
    """An asset card (固定资产卡片 / 生产性生物资产卡片); the account charged is chosen from the
    cooperative's expense and cost accounts (``expense_account`` choices set by the view)."""

    number = forms.CharField(label=_("Card number"), max_length=20)
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Register"), choices=AssetKind.choices)
    category = forms.ChoiceField(label=_("Category"), choices=AssetCategory.choices)
    source = forms.ChoiceField(label=_("Source"), choices=AssetSource.choices)
    project = forms.TypedChoiceField(label=_("Project"), required=False, coerce=int, empty_value=None)
    acquired_on = forms.DateField(label=_("Acquired on"), widget=DateInput())
    depreciation_from = forms.DateField(
        label=_("Depreciation from"),
        required=False,
        widget=DateInput(),
        help_text=_("Empty: the month after acquisition. A biological asset: the month after it first produces."),
    )
    original_value = PlainDecimalField(label=_("Original value"), min_value=0.01, **MONEY_FIELD)
    useful_life_months = forms.IntegerField(label=_("Useful life (months)"), min_value=1, max_value=1200)
    residual_rate = PlainDecimalField(
        label=_("Residual value rate (%)"), min_value=0, max_value=100, max_digits=5, decimal_places=2, initial=5
    )
    expense_account = forms.TypedChoiceField(label=_("Depreciation charged to"), coerce=int)
    location = forms.CharField(label=_("Location"), max_length=100, required=False)
    custodian = forms.CharField(label=_("Custodian"), max_length=50, required=False)
    opening_depreciation = PlainDecimalField(
        label=_("Depreciation before the books"), min_value=0, initial=0, required=False, **MONEY_FIELD
    )
    opening_months = forms.IntegerField(
        label=_("Months depreciated before the books"), min_value=0, initial=0, required=False
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
