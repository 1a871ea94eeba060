"""Forms of the supervision pages; choices come from the user's jurisdiction."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cooperatives.filters import CooperativeChoiceField
from cooperatives.models import Cooperative
from core.choices import RegionLevel
from core.filters import VillageChoiceField
from core.forms import PlainDecimalField
from core.scoping import regions_for_action
from supervision.choices import BulletinKind, PairingKind
from supervision.models import Pairing


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PairingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=PairingKind.choices)
    village = VillageChoiceField(label=_("Helped village"))
    cooperative = CooperativeChoiceField(label=_("Helped cooperative"), required=False)
    helper = forms.CharField(
        label=_("Helper"),
        max_length=100,
        required=False,
        help_text=_("The leader (name and post), department or enterprise."),
    )
    helper_cooperative = CooperativeChoiceField(label=_("Helping cooperative (1+N)"), required=False)
    started_on = forms.DateField(label=_("Started on"), widget=DateInput(), initial=timezone.localdate)
    goals = forms.CharField(label=_("Goals"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        villages = regions_for_action(user, Pairing, "add", levels=[RegionLevel.VILLAGE])
        self.fields["village"].queryset = villages.select_related("parent")
        coops = Cooperative.objects.for_user(user).select_related("village")
        self.fields["cooperative"].queryset = coops
        self.fields["helper_cooperative"].queryset = coops


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=_("Visited on"), widget=DateInput(), initial=timezone.localdate)
    visitor = forms.CharField(label=_("Visitor"), max_length=100)
    content = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}))
    outcome = forms.CharField(label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class PairingEndForm(forms.Form):
    ended_on = forms.DateField(label=_("Ended on"), widget=DateInput(), initial=timezone.localdate)


class BulletinGenerateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=BulletinKind.choices)


class WeightsForm(forms.Form):
    """The county's weights for the "四比四看" contest, in per cent (stored as fractions; only their
    proportions matter)."""

    scale = PlainDecimalField(label=_("Scale growth and atmosphere (%)"), min_value=0, max_value=100, decimal_places=2)
    income = PlainDecimalField(label=_("Income effect and quality (%)"), min_value=0, max_value=100, decimal_places=2)
    models = PlainDecimalField(label=_("Models and overall lift (%)"), min_value=0, max_value=100, decimal_places=2)
    innovation = PlainDecimalField(
        label=_("Highlights and innovation (%)"), min_value=0, max_value=100, decimal_places=2
    )

    @staticmethod
    def initial_from(weights: dict) -> dict:
        """Fractions (0.30000000) as the percentages the form shows (30)."""
        shown = {k: (v * 100).quantize(Decimal("0.01")) for k, v in weights.items()}
        return {k: v.to_integral() if v == v.to_integral() else v.normalize() for k, v in shown.items()}

    def fractions(self) -> dict:
        return {k: self.cleaned_data[k] / 100 for k in ("scale", "income", "models", "innovation")}
