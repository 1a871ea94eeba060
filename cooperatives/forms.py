"""Forms of the cooperatives app: they collect input; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cooperatives.choices import POSITIONS_BY_BODY, BoardPosition, CharterReviewItem, OperatingMode, ReviewResult
from cooperatives.models import BoardMember, BoardTerm, Charter, Cooperative
from cooperatives.models.charters import SECTION_FIELDS
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
            "classification",
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


# -- board, supervisory board and cross-serving ------------------------------------------------------------

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ServiceModelForm(forms.ModelForm):
    """A ModelForm that only collects and type-checks input: the service applies the rules (and the
    messages) of the model, so the form does not validate or touch the instance itself."""

    def _post_clean(self):
        pass


class BoardTermForm(ServiceModelForm):
    class Meta:
        model = BoardTerm
        fields = ["body", "number", "elected_on", "start_date", "end_date", "note"]
        widgets = {
            "elected_on": DATE_WIDGET,
            "start_date": DATE_WIDGET,
            "end_date": DATE_WIDGET,
            "note": forms.Textarea(attrs={"rows": 2}),
        }


class BoardMemberForm(ServiceModelForm):
    """Positions offered are those of the term's body (the service checks it again)."""

    class Meta:
        model = BoardMember
        fields = ["name", "id_number", "position", "party_role", "committee_role", "phone"]

    def __init__(self, *args, term: BoardTerm, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = POSITIONS_BY_BODY[term.body]
        self.fields["position"].choices = [c for c in BoardPosition.choices if c[0] in allowed]
        self.fields["id_number"].help_text = _(
            "Optional. With it, the same person is recognised on both bodies even when names repeat."
        )
        self.fields["party_role"].help_text = _(
            "Cross-serving: the post this person holds in the village party branch."
        )
        self.fields["committee_role"].help_text = _(
            "Cross-serving: the post this person holds in the villagers' committee."
        )


# -- charters ------------------------------------------------------------------------------------------------

TEXTAREA = {"rows": 4}


class CharterForm(ServiceModelForm):
    """The sections of a charter version. A draft may be saved incomplete; submitting needs them all."""

    class Meta:
        model = Charter
        fields = [*SECTION_FIELDS, "amendment_note"]
        widgets = {
            name: forms.Textarea(attrs=TEXTAREA)
            for name in (
                "business_scope",
                "organisation",
                "share_structure",
                "operating_mechanism",
                "surplus_distribution",
                "party_building",
                "collective_veto_matters",
                "other_provisions",
                "amendment_note",
            )
        }

    def __init__(self, *args, amendment: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not amendment:
            del self.fields["amendment_note"]
        self.fields["distribution_policy"].help_text = _(
            "The code of the distribution policy, e.g. “law”, “217” or “reserve-cap-15”. "
            "The county's default is filled in."
        )


class CharterReviewForm(forms.Form):
    """The township's checklist: each of the six items passed or returned, with a comment."""

    comment = forms.CharField(
        label=_("Overall comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Optional. When an item is returned, the item comments are sent if this is empty."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for item in CharterReviewItem:
            self.fields[f"{item.value}_result"] = forms.ChoiceField(
                label=item.label, choices=ReviewResult.choices, widget=forms.RadioSelect
            )
            self.fields[f"{item.value}_comment"] = forms.CharField(
                label=_("Comment on “%(item)s”") % {"item": item.label},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def items(self):
        """(item, result field, comment field) for the template."""
        return [(item, self[f"{item.value}_result"], self[f"{item.value}_comment"]) for item in CharterReviewItem]

    def checklist(self) -> dict:
        data = self.cleaned_data
        return {
            item.value: {"result": data[f"{item.value}_result"], "comment": data.get(f"{item.value}_comment", "")}
            for item in CharterReviewItem
        }


class CharterVoteForm(forms.Form):
    vote_date = forms.DateField(label=_("Date of the vote"), widget=DATE_WIDGET)
    members_total = forms.IntegerField(label=_("Members in total"), min_value=1)
    members_present = forms.IntegerField(label=_("Members present"), min_value=0)
    votes_for = forms.IntegerField(label=_("Votes for"), min_value=0)
    votes_against = forms.IntegerField(label=_("Votes against"), min_value=0, initial=0)
    votes_abstain = forms.IntegerField(label=_("Abstentions"), min_value=0, initial=0)


class CharterFileForm(forms.Form):
    filed_on = forms.DateField(label=_("Filed on"), widget=DATE_WIDGET)
    filing_number = forms.CharField(label=_("Filing number"), max_length=40, required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CharterAmendForm(forms.Form):
    amendment_note = forms.CharField(
        label=_("What the amendment changes and why"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class CharterAttachmentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=100, required=False)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, JPG, PNG or DOCX; at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx"}),
    )
