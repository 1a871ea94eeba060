"""Forms of the disclosure, audit and alert pages (validation of shape only; rules are in services)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cooperatives.filters import CooperativeChoiceField
from cooperatives.models import Cooperative
from core.models import User
from supervision.choices_oversight import AuditKind, Severity
from supervision.services.audits import ANNUAL_SCOPE

DATE = forms.DateInput(attrs={"type": "date"})


class DisclosureForm(forms.Form):
    plan_summary = forms.CharField(label=_("Plan"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    operations_summary = forms.CharField(
        label=_("Operations"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )


class AuditForm(forms.Form):
    cooperative = CooperativeChoiceField(label=_("Cooperative"))
    kind = forms.ChoiceField(label=_("Kind"), choices=AuditKind.choices)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    scope = forms.CharField(label=_("Scope"), widget=forms.Textarea(attrs={"rows": 3}))
    started_on = forms.DateField(label=_("Started on"), widget=DATE, required=False)
    cadre_name = forms.CharField(label=_("Cadre audited"), max_length=32, required=False)
    office_from = forms.DateField(label=_("In office from"), widget=DATE, required=False)
    office_to = forms.DateField(label=_("In office to"), widget=DATE, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cooperative"].queryset = (
            Cooperative.objects.for_user(user, "view").select_related("village").order_by("region_code", "name")
        )


class AnnualAuditsForm(forms.Form):
    """The year's annual audits of every operating cooperative of a township."""

    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    scope = forms.CharField(label=_("Scope"), widget=forms.Textarea(attrs={"rows": 2}), initial=ANNUAL_SCOPE)


class FindingForm(forms.Form):
    title = forms.CharField(label=_("Finding"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices, initial=Severity.MEDIUM)
    rectification_required = forms.BooleanField(label=_("Rectification required"), required=False, initial=True)
    rectification_deadline = forms.DateField(label=_("Rectify by"), widget=DATE, required=False)


class ReportForm(forms.Form):
    conclusion = forms.CharField(label=_("Conclusion"), widget=forms.Textarea(attrs={"rows": 5}))
    reported_on = forms.DateField(label=_("Report date"), widget=DATE)
    assembly_reported_on = forms.DateField(label=_("Reported to the member assembly on"), widget=DATE, required=False)
    assembly_minutes = forms.CharField(
        label=_("Member assembly record"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Evidence (PDF, JPEG or PNG, at most 10 MB)"))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class RectifiedForm(forms.Form):
    note = forms.CharField(label=_("Rectification"), widget=forms.Textarea(attrs={"rows": 3}))


class SpotCheckForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    size = forms.IntegerField(label=_("Sample size"), min_value=1, max_value=1000, required=False)
    seed = forms.IntegerField(label=_("Seed (empty: a random one)"), min_value=0, required=False)


class AlertAssignForm(forms.Form):
    """Hand an alert to one of ``people`` (the service's ``assignees``); empty: nobody in particular."""

    assignee = forms.ModelChoiceField(
        label=_("Assign to"), queryset=User.objects.none(), required=False, empty_label=_("Nobody in particular")
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = people
