"""Forms of the members app: they collect input; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import ModelForm
from members.choices import LeaveReason
from members.models import Household, Member
from members.selectors import linkable_users

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ServiceModelForm(ModelForm):
    """A ModelForm for labels and widgets only: the service validates and saves, so the model's own
    validation (which needs fields the form does not carry) is skipped."""

    def _post_clean(self):
        pass


class MemberForm(ServiceModelForm):
    new_household_number = forms.CharField(label=_("or a new household: number"), max_length=32, required=False)
    new_household_head = forms.CharField(label=_("head of the new household"), max_length=32, required=False)
    new_household_size = forms.IntegerField(label=_("size of the new household"), min_value=1, required=False)

    class Meta:
        model = Member
        fields = [
            "kind",
            "name",
            "id_number",
            "uscc",
            "legal_representative",
            "household",
            "new_household_number",
            "new_household_head",
            "new_household_size",
            "phone",
            "address",
            "is_party_member",
            "is_branch_member",
            "is_village_cadre",
            "is_poverty_registered",
            "vulnerability",
            "is_farmer",
            "joined_on",
            "number",
            "user",
            "note",
        ]
        widgets = {"joined_on": DATE, "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, cooperative, **kwargs):
        super().__init__(*args, **kwargs)
        self.cooperative = cooperative
        self.fields["household"].queryset = Household.objects.filter(village_id=cooperative.village_id).order_by(
            "number"
        )
        self.fields["household"].required = False
        self.fields["household"].help_text = _("A person member belongs to a household.")
        self.fields["user"].queryset = linkable_users(cooperative)
        self.fields["user"].required = False
        self.fields["number"].required = False
        self.fields["number"].help_text = _("Leave empty for the next free number.")
        self.fields["id_number"].help_text = _("18 characters; gender and birth date are read from it.")
        self.fields["id_number"].widget.attrs.update({"autocomplete": "off", "inputmode": "text"})
        self.fields["uscc"].help_text = _("For the village collective, an enterprise or an organisation.")
        self.fields["joined_on"].required = False

    def new_household(self) -> dict | None:
        number = (self.cleaned_data.get("new_household_number") or "").strip()
        if not number:
            return None
        return {
            "number": number,
            "head_name": (self.cleaned_data.get("new_household_head") or "").strip() or self.cleaned_data.get("name"),
            "size": self.cleaned_data.get("new_household_size") or 1,
        }

    def member_data(self) -> dict:
        skip = {"new_household_number", "new_household_head", "new_household_size"}
        return {k: v for k, v in self.cleaned_data.items() if k not in skip}


class MemberLeaveForm(forms.Form):
    left_on = forms.DateField(label=_("Leaving date"), widget=DATE)
    leave_reason = forms.ChoiceField(label=_("Reason"), choices=LeaveReason.choices)
    leave_note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class HouseholdForm(ServiceModelForm):
    class Meta:
        model = Household
        fields = ["village", "number", "head_name", "size", "address"]

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages
        if self.instance.pk:
            self.fields.pop("village")
