"""Forms of the shares app: they collect input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import PlainDecimalField
from members.forms import DATE, ServiceModelForm
from members.models import Member
from shares.choices import ShareClass
from shares.models import Contribution

MONEY_ATTRS = {"class": "text-end", "inputmode": "decimal"}


def member_label(m: Member) -> str:
    return f"{m.number} {m.name}"


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return member_label(obj)


def active_members(cooperative):
    return (
        Member.objects.filter(cooperative=cooperative, left_on__isnull=True)
        .only("pk", "number", "name", "cooperative_id")
        .order_by("number")
    )


class ContributionForm(ServiceModelForm):
    member = MemberChoiceField(label=_("Member"), queryset=Member.objects.none())

    class Meta:
        model = Contribution
        fields = [
            "member",
            "kind",
            "amount",
            "contributed_on",
            "area_mu",
            "location",
            "term_years",
            "value_per_mu",
            "appraiser",
            "appraisal_date",
            "evidence",
            "description",
            "booked_to",
        ]
        widgets = {
            "contributed_on": DATE,
            "appraisal_date": DATE,
            "description": forms.Textarea(attrs={"rows": 2}),
            "evidence": forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
        }

    def __init__(self, *args, cooperative, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = active_members(cooperative)
        self.fields["amount"].required = False
        self.fields["amount"].help_text = _(
            "In yuan; one share is one yuan of capital. For land it is computed as area × value per mu."
        )
        self.fields["amount"].widget.attrs.update(MONEY_ATTRS)
        self.fields["value_per_mu"].widget.attrs.update(MONEY_ATTRS)
        self.fields["contributed_on"].required = False
        self.fields["evidence"].help_text = _("Appraisal report or contract: PDF, JPG or PNG, at most 10 MB.")
        if self.instance.pk:
            self.fields.pop("member")
        _booking_field(
            self,
            "booked_to",
            cooperative,
            "asset",
            label=_("Booked to"),
            help_text=_(
                "Where the contribution goes in the books when it is confirmed: the cash or bank account that received "
                "the money, or the asset the property becomes (by default 库存现金 for cash, 无形资产 for land or "
                "forest rights, 固定资产 for goods)."
            ),
        )


class _MovementForm(forms.Form):
    source = MemberChoiceField(label=_("From member"), queryset=Member.objects.none())
    target = MemberChoiceField(label=_("To member"), queryset=Member.objects.none())
    share_class = forms.ChoiceField(label=_("Share class"), choices=ShareClass.choices, initial=ShareClass.ORDINARY)
    amount = PlainDecimalField(label=_("Amount (yuan)"), max_digits=18, decimal_places=2, min_value=0.01)
    effective_on = forms.DateField(label=_("Effective on"), required=False, widget=DATE)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, cooperative, **kwargs):
        super().__init__(*args, **kwargs)
        members = active_members(cooperative)
        self.fields["source"].queryset = members
        self.fields["target"].queryset = members
        self.fields["amount"].widget.attrs.update(MONEY_ATTRS)


class TransferForm(_MovementForm):
    pass


class GiftForm(_MovementForm):
    def __init__(self, *args, cooperative, **kwargs):
        super().__init__(*args, cooperative=cooperative, **kwargs)
        self.fields["target"].label = _("To a poor or vulnerable member")
        self.fields["target"].queryset = (
            active_members(cooperative).filter(kind="person").exclude(is_poverty_registered=False, vulnerability="")
        )


class ConversionForm(forms.Form):
    member = MemberChoiceField(label=_("Member"), queryset=Member.objects.none())
    amount = PlainDecimalField(
        label=_("Reserve share converted (yuan)"), max_digits=18, decimal_places=2, min_value=0.01
    )
    effective_on = forms.DateField(label=_("Effective on"), required=False, widget=DATE)
    note = forms.CharField(
        label=_("Member assembly resolution"), widget=forms.Textarea(attrs={"rows": 2}), help_text=_("Required.")
    )

    def __init__(self, *args, cooperative, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = active_members(cooperative)
        self.fields["amount"].widget.attrs.update(MONEY_ATTRS)


class WithdrawalForm(forms.Form):
    member = MemberChoiceField(label=_("Member"), queryset=Member.objects.none())
    amount = PlainDecimalField(label=_("Amount (yuan)"), max_digits=18, decimal_places=2, min_value=0.01)
    applied_on = forms.DateField(label=_("Date of the written application"), widget=DATE)
    leaves_cooperative = forms.BooleanField(label=_("The member leaves the cooperative"), required=False)
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, cooperative, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = active_members(cooperative)
        self.fields["amount"].widget.attrs.update(MONEY_ATTRS)
        self.fields["applied_on"].help_text = _(
            "At least three months before the year end (six for an organisation): the withdrawal takes effect "
            "on 31 December; later applications at the end of the next year."
        )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


def _booking_field(form, name: str, cooperative, purpose: str, *, label, help_text, default_prefix: str = "") -> None:
    """An account of the cooperative's books to post to (``shares.bookkeeping``); no field without books."""
    from shares import bookkeeping

    choices = bookkeeping.choices(cooperative, purpose) if cooperative is not None else []
    if not choices:
        form.fields.pop(name, None)
        return
    required = purpose != "asset"
    form.fields[name] = forms.ChoiceField(
        label=label,
        choices=choices if required else [("", _("The chart's account for this kind of contribution")), *choices],
        required=required,
        help_text=help_text,
    )
    if default_prefix:
        form.fields[name].initial = next((c for c, _l in choices if c.startswith(default_prefix)), choices[0][0])


class RefundForm(forms.Form):
    refund_account = forms.CharField(required=False)
    refund_note = forms.CharField(
        label=_("Refund note"), required=False, help_text=_("How and when the money was paid back.")
    )

    def __init__(self, *args, cooperative=None, **kwargs):
        super().__init__(*args, **kwargs)
        _booking_field(
            self,
            "refund_account",
            cooperative,
            "refund",
            label=_("Refunded through"),
            help_text=_(
                "The cash or bank account the refund is paid from, or 成员往来 when it is owed to the member for now. "
                "The entry is posted with the refund."
            ),
            default_prefix="102",
        )


class ImportForm(forms.Form):
    cooperative = forms.ModelChoiceField(label=_("Cooperative"), queryset=None)
    file = forms.FileField(
        label=_("Filled-in template (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )
    confirm = forms.BooleanField(
        label=_("Confirm the contributions at once (write them into the share ledger)"), required=False
    )

    def __init__(self, *args, cooperatives, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cooperative"].queryset = cooperatives
