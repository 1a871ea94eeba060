"""Forms of the cooperatives app: they collect input; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cooperatives.choices import FEDERATION_KINDS, CooperativeKind, OperatingMode
from cooperatives.models import Cooperative
from core.choices import RegionLevel
from core.scoping import regions_for_action


class CooperativeForm(forms.ModelForm):
    operating_modes = forms.MultipleChoiceField(
        label=_("Operating modes"),
        choices=OperatingMode.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Cooperative
        fields = [
            "name",
            "kind",
            "village",
            "uscc",
            "legal_representative",
            "chair_name",
            "chair_is_branch_secretary",
            "chair_exception_reason",
            "registered_capital",
            "business_scope",
            "main_industry",
            "business_type",
            "operating_modes",
            "founding_date",
            "status",
            "address",
            "phone",
        ]
        widgets = {
            "founding_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "business_scope": forms.Textarea(attrs={"rows": 3}),
            "chair_exception_reason": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        action = "change" if self.instance.pk else "add"
        # federations are registered with their members on the federation form, and a kind never
        # crosses between cooperative and federation by an edit
        federation = self.instance.pk is not None and self.instance.kind in FEDERATION_KINDS
        self.fields["kind"].choices = [
            (k, label) for k, label in CooperativeKind.choices if (k in FEDERATION_KINDS) == federation
        ]
        self.fields["village"].queryset = regions_for_action(
            user, Cooperative, action, levels=[RegionLevel.VILLAGE, RegionLevel.TOWNSHIP]
        ).select_related("parent")
        self.fields["village"].label_from_instance = lambda r: (
            f"{r.parent.name} · {r.name}" if r.parent_id and r.level == RegionLevel.VILLAGE else r.name
        )
        self.fields["uscc"].help_text = _("18 characters, as on the business licence. Leave empty while preparing.")
        self.fields["registered_capital"].widget.attrs.update({"class": "text-end", "inputmode": "decimal"})

    def clean_uscc(self):
        return (self.cleaned_data.get("uscc") or "").strip().upper()
