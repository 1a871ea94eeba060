"""Forms of the dividends pages: drafting a plan, comparing two policies, recording a payout."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import PlainDecimalField
from dividends.choices import PayoutMethod
from dividends.models import DistributionPolicy

PERCENT = {"max_digits": 7, "decimal_places": 4, "min_value": Decimal(0), "max_value": Decimal(100), "required": False}
RATE_FIELDS = {"rewards": "rewards_pct", "reserve": "reserve_pct", "patronage": "patronage_pct"}


class PlanForm(forms.Form):
    year = forms.IntegerField(label=_("Fiscal year"), min_value=2000, max_value=2100)
    policy = forms.ModelChoiceField(
        label=_("Distribution policy"),
        queryset=DistributionPolicy.objects.all(),
        required=False,
        help_text=_("Empty: the policy the charter names."),
    )
    surplus = PlainDecimalField(
        label=_("Year's surplus (yuan)"),
        max_digits=18,
        decimal_places=2,
        required=False,
        help_text=_("Empty: taken from the books once the twelve months of the year are closed."),
    )
    prior_loss = PlainDecimalField(
        label=_("Prior losses to make up (yuan)"), max_digits=18, decimal_places=2, required=False, min_value=0
    )
    record_date = forms.DateField(
        label=_("Record date"), required=False, help_text=_("Holdings on this day count; empty: 31 December.")
    )
    rewards_pct = PlainDecimalField(label=_("Rewards rate (%)"), **PERCENT)
    reserve_pct = PlainDecimalField(label=_("Reserve rate (%)"), **PERCENT)
    patronage_pct = PlainDecimalField(label=_("Patronage refund rate (%)"), **PERCENT)
    reserve_to_capital = PlainDecimalField(
        label=_("Reserve converted into capital (yuan)"), max_digits=18, decimal_places=2, required=False, min_value=0
    )
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def overrides(self) -> dict:
        data = self.cleaned_data
        return {kind: data[f] / 100 for kind, f in RATE_FIELDS.items() if data.get(f) is not None}


class CompareForm(forms.Form):
    year = forms.IntegerField(label=_("Fiscal year"), min_value=2000, max_value=2100)
    policy_a = forms.ModelChoiceField(label=_("Policy A"), queryset=DistributionPolicy.objects.all())
    policy_b = forms.ModelChoiceField(label=_("Policy B"), queryset=DistributionPolicy.objects.all())
    surplus = PlainDecimalField(
        label=_("Year's surplus (yuan)"),
        max_digits=18,
        decimal_places=2,
        required=False,
        help_text=_("Empty: taken from the books once the twelve months of the year are closed."),
    )


class PayoutForm(forms.Form):
    method = forms.ChoiceField(label=_("Paid by"), choices=PayoutMethod.choices)
    bank_account = forms.CharField(label=_("Bank account"), max_length=40, required=False)
    paid_on = forms.DateField(label=_("Paid on"))
    signed_by = forms.CharField(label=_("Signed by"), max_length=50)
    paid_from = forms.ChoiceField(
        label=_("Paid from account"),
        required=False,
        help_text=_("The cash or bank account of the books the money leaves; empty for the chart's cash or bank."),
    )

    def __init__(self, *args, cooperative=None, **kwargs):
        super().__init__(*args, **kwargs)
        from shares import bookkeeping

        choices = bookkeeping.choices(cooperative, "settlement") if cooperative is not None else []
        self.fields["paid_from"].choices = [("", _("By the method: 库存现金 or 银行存款")), *choices]
