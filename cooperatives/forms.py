"""Forms of the cooperatives app: they collect input; the services decide."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cooperatives.choices import (
    FEDERATION_KINDS,
    POSITIONS_BY_BODY,
    VOTING_STEPS,
    BoardPosition,
    CharterReviewItem,
    Classification,
    CooperativeKind,
    LeaverShare,
    MatterStep,
    OperatingMode,
    RefusalReason,
    ReserveBasis,
    ReviewResult,
)
from cooperatives.files import ALLOWED_EXTENSIONS
from cooperatives.filters import CooperativeChoiceField
from cooperatives.models import (
    ArchivedDocument,
    BoardMember,
    BoardTerm,
    Charter,
    Cooperative,
    DemonstrationAward,
    Expert,
    ExpertReview,
    MajorMatter,
    ProductCertification,
    ProjectProposal,
    SealUse,
)
from cooperatives.models.charters import SECTION_FIELDS
from core.choices import VILLAGE_ROLES, RegionLevel
from core.forms import ModelForm, PlainDecimalField
from core.models import User
from core.scoping import regions_for_action


class CooperativeForm(ModelForm):
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


# -- board, supervisory board and cross-serving ------------------------------------------------------------

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ServiceModelForm(ModelForm):
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
        self._policy_choices()
        # the charter's distribution terms keep their defaults when a form leaves them out
        for name in ("reserve_basis", "leaver_share"):
            self.fields[name].required = False

    def _policy_choices(self):
        """The distribution policy chosen by name (the charter keeps its code). The policies live in the
        dividends app, above this one, so the model is looked up by name at run time."""
        from django.apps import apps

        field = self.fields["distribution_policy"]
        field.help_text = _(
            # xgettext:no-python-format
            "The county's default for this kind of cooperative is filled in. A farmer cooperative's plan must "
            "return at least 60% of the distributable surplus by transactions (law Art. 44), whatever it names."
        )
        try:
            policies = apps.get_model("dividends", "DistributionPolicy")
        except LookupError:
            return
        choices = list(policies.objects.order_by("code").values_list("code", "name"))
        current = self.initial.get("distribution_policy") or getattr(self.instance, "distribution_policy", "")
        if current and current not in dict(choices):
            choices.append((current, current))
        self.fields["distribution_policy"] = forms.ChoiceField(
            label=field.label, help_text=field.help_text, required=field.required, choices=[("", "---------"), *choices]
        )

    def clean_reserve_basis(self):
        return self.cleaned_data.get("reserve_basis") or ReserveBasis.CAPITAL

    def clean_leaver_share(self):
        return self.cleaned_data.get("leaver_share") or LeaverShare.YEAR_END


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


# -- governance: federations, classification and awards, major matters, projects, archive ----------

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
UPLOAD_HELP = _("PDF, OFD, Word, Excel, WPS or an image; at most 10 MB.")  # files.MAX_UPLOAD_BYTES
UPLOAD_ACCEPT = ",".join(f".{e}" for e in ALLOWED_EXTENSIONS)


def cooperatives_for(user, model, action: str = "add"):
    """Cooperatives the user sees whose village grants ``action`` on ``model`` (form choices)."""
    qs = Cooperative.objects.for_user(user, "view").select_related("village__parent")
    if user.is_superuser:
        return qs
    prefixes = user.jurisdiction.prefixes(model.tenancy.roles_for(action))
    if not prefixes:
        return qs.none()
    condition = Q()
    for p in prefixes:
        condition |= Q(region_code__startswith=p)
    return qs.filter(condition)


def _money_widget(field):
    field.widget.attrs.update({"class": "text-end", "inputmode": "decimal"})


def _file_widget(field, current: str = ""):
    # a plain file input: the "currently" link of the clearable widget would need a public URL
    field.widget = forms.FileInput(attrs={"accept": UPLOAD_ACCEPT})
    field.help_text = UPLOAD_HELP
    if current:
        field.help_text = _("Now: %(name)s. Choose a file only to replace it.") % {"name": current}


class FederationForm(ModelForm):
    """A federation's registration facts; its initial members come in ``FederationMemberFormSet``."""

    joined_on = forms.DateField(label=_("Members joined on"), widget=DATE)

    class Meta:
        model = Cooperative
        fields = [
            "name",
            "kind",
            "village",
            "uscc",
            "legal_representative",
            "chair_name",
            "registered_capital",
            "business_scope",
            "main_industry",
            "founding_date",
            "status",
            "address",
            "phone",
        ]
        widgets = {"founding_date": DATE, "business_scope": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, label) for k, label in CooperativeKind.choices if k in FEDERATION_KINDS]
        self.fields["village"].label = _("Township or village")
        self.fields["village"].queryset = regions_for_action(
            user, Cooperative, "add", levels=[RegionLevel.VILLAGE, RegionLevel.TOWNSHIP]
        ).select_related("parent")
        self.fields["village"].label_from_instance = lambda r: (
            f"{r.parent.name} · {r.name}" if r.parent_id and r.level == RegionLevel.VILLAGE else r.name
        )
        self.fields["uscc"].help_text = _("18 characters, as on the business licence. Leave empty while preparing.")
        _money_widget(self.fields["registered_capital"])

    def clean_uscc(self):
        return (self.cleaned_data.get("uscc") or "").strip().upper()


class FederationMemberRowForm(forms.Form):
    cooperative = CooperativeChoiceField(label=_("Member cooperative"))
    contribution = PlainDecimalField(
        label=_("Contribution"), max_digits=18, decimal_places=2, min_value=0, required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cooperative"].queryset = (
            Cooperative.objects.for_user(user, "view")
            .exclude(kind__in=FEDERATION_KINDS)
            .select_related("village")
            .order_by("region_code", "name")
        )
        _money_widget(self.fields["contribution"])


FederationMemberFormSet = forms.formset_factory(FederationMemberRowForm, extra=5, max_num=50)


class FederationMemberAddForm(forms.Form):
    member = CooperativeChoiceField(label=_("Member cooperative"))
    joined_on = forms.DateField(label=_("Joined on"), widget=DATE)
    contribution = PlainDecimalField(label=_("Contribution"), max_digits=18, decimal_places=2, min_value=0, initial=0)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, user, federation, **kwargs):
        super().__init__(*args, **kwargs)
        current = federation.memberships.filter(left_on__isnull=True).values("member_id")
        self.fields["member"].queryset = (
            Cooperative.objects.for_user(user, "view")
            .exclude(kind__in=FEDERATION_KINDS)
            .exclude(pk__in=current)
            .select_related("village")
            .order_by("region_code", "name")
        )
        _money_widget(self.fields["contribution"])


class FederationMemberRemoveForm(forms.Form):
    left_on = forms.DateField(label=_("Left on"), widget=DATE)


class ClassificationForm(forms.Form):
    classification = forms.ChoiceField(label=_("Classification"), choices=Classification.choices)
    changed_on = forms.DateField(label=_("Date"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class _CooperativeChoiceMixin:
    cooperative_model = None

    def limit_cooperatives(self, user):
        """The cooperatives ``user`` may record this for, in the select every cooperative choice uses."""
        field = self.fields["cooperative"]
        self.fields["cooperative"] = CooperativeChoiceField(
            label=field.label,
            required=field.required,
            help_text=field.help_text,
            queryset=cooperatives_for(user, self.cooperative_model)
            .select_related("village")
            .order_by("region_code", "name"),
        )


class DemonstrationForm(_CooperativeChoiceMixin, ModelForm):
    cooperative_model = DemonstrationAward

    class Meta:
        model = DemonstrationAward
        fields = ["cooperative", "level", "year", "document_number"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_cooperatives(user)
        self.fields["level"].help_text = _("The one-off award is taken from the county's policy profile.")


class CertificationForm(_CooperativeChoiceMixin, ModelForm):
    cooperative_model = ProductCertification

    class Meta:
        model = ProductCertification
        fields = ["cooperative", "kind", "product", "certificate_number", "certified_on"]
        widgets = {"certified_on": DATE}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_cooperatives(user)
        self.fields["kind"].help_text = _("The one-off award is taken from the county's policy profile.")


class MajorMatterForm(_CooperativeChoiceMixin, ModelForm):
    cooperative_model = MajorMatter

    class Meta:
        model = MajorMatter
        fields = ["cooperative", "title", "category", "amount", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_cooperatives(user)
        _money_widget(self.fields["amount"])


class MajorMatterStepForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    minutes = forms.CharField(label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    attachment = forms.FileField(label=_("Attachment"), required=False)
    outcome = forms.CharField(label=_("Outcome"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    expected_attendance = forms.IntegerField(label=_("Due to attend"), min_value=0)
    present = forms.IntegerField(label=_("Present"), min_value=0)
    votes_for = forms.IntegerField(label=_("Votes for"), min_value=0)
    votes_against = forms.IntegerField(label=_("Votes against"), min_value=0, initial=0)
    votes_abstain = forms.IntegerField(label=_("Abstentions"), min_value=0, initial=0)

    def __init__(self, *args, step: MatterStep, **kwargs):
        super().__init__(*args, **kwargs)
        if step not in VOTING_STEPS:
            for name in ("expected_attendance", "present", "votes_for", "votes_against", "votes_abstain"):
                del self.fields[name]
        if step >= MatterStep.RESOLUTION_PUBLISHED:
            self.fields["outcome"].label = _("Where and how it was published")
            self.fields["outcome"].required = True
        _file_widget(self.fields["attachment"])


class ExpertForm(ModelForm):
    class Meta:
        model = Expert
        fields = ["region", "name", "field", "organisation", "title", "phone", "is_active"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        action = "change" if self.instance.pk else "add"
        self.fields["region"].queryset = regions_for_action(
            user, Expert, action, levels=[RegionLevel.COUNTY, RegionLevel.TOWNSHIP]
        )
        self.fields["region"].label_from_instance = lambda r: r.name
        if self.instance.pk:
            self.fields["region"].disabled = True


class ProjectProposalForm(_CooperativeChoiceMixin, ModelForm):
    cooperative_model = ProjectProposal

    class Meta:
        model = ProjectProposal
        fields = [
            "cooperative",
            "title",
            "main_business",
            "scale",
            "total_investment",
            "own_funds",
            "fiscal_funds",
            "debt_amount",
            "other_funds",
            "financing_note",
            "expected_annual_return",
            "market_study",
            "market_study_file",
            "risks",
        ]
        widgets = {
            "main_business": forms.Textarea(attrs={"rows": 2}),
            "scale": forms.Textarea(attrs={"rows": 2}),
            "financing_note": forms.Textarea(attrs={"rows": 2}),
            "market_study": forms.Textarea(attrs={"rows": 5}),
            "risks": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_cooperatives(user)
        if self.instance.pk:
            self.fields["cooperative"].disabled = True
        for name in ("total_investment", "own_funds", "fiscal_funds", "debt_amount", "other_funds"):
            _money_widget(self.fields[name])
        _money_widget(self.fields["expected_annual_return"])
        self.fields["own_funds"].help_text = _("Own, fiscal, borrowed and other funds add up to the total investment.")
        _file_widget(self.fields["market_study_file"], self.instance.market_study_file_name)


class ExpertAssignForm(forms.Form):
    experts = forms.ModelMultipleChoiceField(
        label=_("Experts (three or more)"), queryset=Expert.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, experts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["experts"].queryset = experts.select_related("region")
        self.fields["experts"].label_from_instance = lambda e: (
            f"{e.name} · {e.field} · {e.organisation} ({e.region.name})"
        )


class ExpertReviewForm(ModelForm):
    class Meta:
        model = ExpertReview
        fields = ["feasibility", "risk", "expected_return", "market", "recommendation", "opinion", "reviewed_on"]
        widgets = {"opinion": forms.Textarea(attrs={"rows": 4}), "reviewed_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("feasibility", "risk", "expected_return", "market", "recommendation", "opinion", "reviewed_on"):
            self.fields[name].required = True
        self.fields["risk"].help_text = _("Scores from 1 (poor) to 5 (good); for risk, 5 means the lowest risk.")


DECISIONS = [
    ("approve", _("Approve the project")),
    ("refuse", _("Refuse the project")),
    ("return", _("Return for changes")),
]


class ProposalDecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS, widget=forms.RadioSelect)
    reasons = forms.MultipleChoiceField(
        label=_("Refusal reasons"),
        choices=RefusalReason.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A refusal needs at least one reason."),
    )
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ArchivedDocumentForm(_CooperativeChoiceMixin, ModelForm):
    cooperative_model = ArchivedDocument

    class Meta:
        model = ArchivedDocument
        fields = ["cooperative", "doc_type", "title", "number", "doc_date", "keeper", "location", "file", "note"]
        widgets = {"doc_date": DATE, "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_cooperatives(user)
        if self.instance.pk:
            self.fields["cooperative"].disabled = True
            self.fields["file"].required = False
        _file_widget(self.fields["file"], self.instance.file_name)


class SealUseForm(_CooperativeChoiceMixin, ModelForm):
    cooperative_model = SealUse

    class Meta:
        model = SealUse
        fields = ["cooperative", "used_on", "purpose", "document_title", "document", "copies", "handler"]
        widgets = {"used_on": DATE}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_cooperatives(user)
        coops = self.fields["cooperative"].queryset
        self.fields["document"].queryset = ArchivedDocument.objects.for_user(user, "view").filter(cooperative__in=coops)
        self.fields["handler"].queryset = (
            User.objects.filter(
                is_active=True,
                role_assignments__is_active=True,
                role_assignments__role__in=VILLAGE_ROLES,
                role_assignments__region__cooperatives__in=coops,
            )
            .distinct()
            .order_by("username")
        )
        self.fields["handler"].initial = user.pk
        self.fields["handler"].help_text = _("The person who used the seal; they confirm the entry themselves.")
