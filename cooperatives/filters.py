"""Filters of the cooperative list, shared by the page and the API."""

import django_filters
from django import forms
from django.db.models import Q
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from cooperatives.choices import (
    FEDERATION_KINDS,
    BoardBody,
    BoardPosition,
    CertificationKind,
    CharterState,
    Classification,
    CooperativeKind,
    CooperativeStatus,
    DemonstrationLevel,
    DocumentType,
    Industry,
    MatterCategory,
    MatterStatus,
    MatterStep,
    ProposalStatus,
    SealUseStatus,
)
from cooperatives.models import (
    ArchivedDocument,
    BoardMember,
    BoardTerm,
    Charter,
    ClassificationChange,
    Cooperative,
    DemonstrationAward,
    Expert,
    FederationMembership,
    MajorMatter,
    ProductCertification,
    ProjectProposal,
    SealUse,
)
from cooperatives.selectors import cooperative_search
from core.choices import RegionLevel
from core.filters import (
    RegionPrefixFilter,
    SearchChoiceField,
    SearchChoiceFilter,
    SearchSelect,
    VillageChoiceFilter,
    YearFilter,
)
from core.models import Region


def _scoped_cooperatives(request):
    user = getattr(request, "user", None)
    return Cooperative.objects.for_user(user) if user is not None else Cooperative.objects.none()


def cooperative_choices(request):
    """The cooperatives a filter may take: the caller's, with their villages for the labels."""
    return _scoped_cooperatives(request).select_related("village")


def cooperative_label(cooperative: Cooperative) -> str:
    """How a cooperative reads in a filter's select: names repeat across villages, so the village first."""
    return f"{cooperative.village.name} · {cooperative.name}"


# the search box of every cooperative select (``cooperatives:cooperative_search`` answers it)
COOPERATIVE_SEARCH = {
    "search_url": reverse_lazy("cooperatives:cooperative_search"),
    "search_label": _("Find a cooperative"),
    "placeholder": _("Name, code or village"),
}


class CooperativeChoiceFilter(SearchChoiceFilter):
    """The cooperative filter of every list: one of the caller's cooperatives, by id.

    A county or city official may see thousands, so above a few dozen the select is found by search
    (``cooperatives:cooperative_search``) instead of listing them all; a foreign id is invalid."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Cooperative"))
        super().__init__(
            *args,
            queryset=cooperative_choices,
            search=cooperative_search,
            label_from_instance=cooperative_label,
            **COOPERATIVE_SEARCH,
            **kwargs,
        )


class CooperativeChoiceField(SearchChoiceField):
    """A form's choice of one cooperative, the same select as the lists' filter: listed when few,
    found by search when many. The form sets ``queryset`` to the rows the caller may choose; any
    other id is an invalid choice."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", Cooperative.objects.none())
        kwargs.setdefault("widget", SearchSelect(**COOPERATIVE_SEARCH))
        super().__init__(*args, search=cooperative_search, label_from_instance=cooperative_label, **kwargs)


class CooperativeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    township = RegionPrefixFilter(label=_("Township"))
    village = VillageChoiceFilter()
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=CooperativeKind.choices)
    main_industry = django_filters.ChoiceFilter(label=_("Main industry"), choices=Industry.choices)
    classification = django_filters.ChoiceFilter(label=_("Classification"), choices=Classification.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=CooperativeStatus.choices)
    flagged = django_filters.BooleanFilter(label=_("Flagged for review"))

    class Meta:
        model = Cooperative
        fields = ["q", "township", "village", "kind", "main_industry", "classification", "status", "flagged"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        regions = Region.objects.for_user(user) if user is not None else Region.objects.none()
        self.filters["township"].queryset = regions.filter(level=RegionLevel.TOWNSHIP)
        self.filters["village"].queryset = regions.filter(level=RegionLevel.VILLAGE).select_related("parent")

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(uscc__icontains=value) | Q(chair_name__icontains=value))


class CharterFilter(django_filters.FilterSet):
    """Charter versions: by cooperative, township, state (the county's filing worklist is state=adopted)."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    township = RegionPrefixFilter(label=_("Township"))
    cooperative = CooperativeChoiceFilter()
    state = django_filters.ChoiceFilter(label=_("State"), choices=CharterState.choices)

    class Meta:
        model = Charter
        fields = ["q", "township", "cooperative", "state"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        regions = Region.objects.for_user(user) if user is not None else Region.objects.none()
        self.filters["township"].queryset = regions.filter(level=RegionLevel.TOWNSHIP)

    def search(self, queryset, name, value):
        return queryset.filter(Q(cooperative__name__icontains=value) | Q(registered_name__icontains=value))


class BoardTermFilter(django_filters.FilterSet):
    cooperative = CooperativeChoiceFilter()
    body = django_filters.ChoiceFilter(label=_("Body"), choices=BoardBody.choices)

    class Meta:
        model = BoardTerm
        fields = ["cooperative", "body"]


class BoardMemberFilter(django_filters.FilterSet):
    cooperative = CooperativeChoiceFilter()
    term = django_filters.ModelChoiceFilter(label=_("Term"), queryset=BoardTerm.objects.none())
    position = django_filters.ChoiceFilter(label=_("Position"), choices=BoardPosition.choices)

    class Meta:
        model = BoardMember
        fields = ["cooperative", "term", "position"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        self.filters["term"].queryset = BoardTerm.objects.for_user(user) if user else BoardTerm.objects.none()


# -- governance -------------------------------------------------------------------------------------


class _RegionFilterSet(django_filters.FilterSet):
    """Township and village filters whose choices are the caller's own regions."""

    township = RegionPrefixFilter(label=_("Township"))
    village = VillageChoiceFilter(tenant_field="region_code")

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        regions = Region.objects.for_user(user) if user is not None else Region.objects.none()
        self.filters["township"].queryset = regions.filter(level=RegionLevel.TOWNSHIP)
        self.filters["village"].queryset = regions.filter(level=RegionLevel.VILLAGE).select_related("parent")


class FederationFilter(_RegionFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=[(k, v) for k, v in CooperativeKind.choices if k in FEDERATION_KINDS]
    )
    main_industry = django_filters.ChoiceFilter(label=_("Main industry"), choices=Industry.choices)

    class Meta:
        model = Cooperative
        fields = ["q", "township", "village", "kind", "main_industry"]

    def search(self, queryset, name, value):
        # a subquery, not a join: the list's member counts must not multiply
        members = FederationMembership.objects.filter(member__name__icontains=value, left_on__isnull=True)
        return queryset.filter(Q(name__icontains=value) | Q(pk__in=members.values("federation_id")))


class ClassificationChangeFilter(_RegionFilterSet):
    q = django_filters.CharFilter(label=_("Cooperative"), field_name="cooperative__name", lookup_expr="icontains")
    classification = django_filters.ChoiceFilter(label=_("Classification"), choices=Classification.choices)
    year = YearFilter(label=_("Year"), field_name="changed_on", lookup_expr="year")

    class Meta:
        model = ClassificationChange
        fields = ["q", "township", "village", "classification", "year"]


class DemonstrationFilter(_RegionFilterSet):
    q = django_filters.CharFilter(label=_("Cooperative"), field_name="cooperative__name", lookup_expr="icontains")
    level = django_filters.ChoiceFilter(label=_("Level"), choices=DemonstrationLevel.choices)
    year = YearFilter(label=_("Year granted"))

    class Meta:
        model = DemonstrationAward
        fields = ["q", "township", "village", "level", "year"]


class CertificationFilter(_RegionFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    kind = django_filters.ChoiceFilter(label=_("Certification"), choices=CertificationKind.choices)
    year = YearFilter(label=_("Year"), field_name="certified_on", lookup_expr="year")

    class Meta:
        model = ProductCertification
        fields = ["q", "township", "village", "kind", "year"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(product__icontains=value) | Q(certificate_number__icontains=value) | Q(cooperative__name__icontains=value)
        )


class MajorMatterFilter(_RegionFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    category = django_filters.ChoiceFilter(label=_("Category"), choices=MatterCategory.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=MatterStatus.choices)
    current_step = django_filters.ChoiceFilter(label=_("Last recorded step"), choices=MatterStep.choices)

    class Meta:
        model = MajorMatter
        fields = ["q", "township", "village", "category", "status", "current_step"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(cooperative__name__icontains=value))


class ExpertFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    region = django_filters.ModelChoiceFilter(label=_("Pool"), queryset=Region.objects.none())
    is_active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = Expert
        fields = ["q", "region", "is_active"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        pools = Expert.objects.for_user(user).values("region_id") if user is not None else []
        self.filters["region"].queryset = Region.objects.filter(pk__in=pools)

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(field__icontains=value) | Q(organisation__icontains=value))


class ProjectProposalFilter(_RegionFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ProposalStatus.choices)

    class Meta:
        model = ProjectProposal
        fields = ["q", "township", "village", "status"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(cooperative__name__icontains=value))


class ArchivedDocumentFilter(_RegionFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    doc_type = django_filters.ChoiceFilter(label=_("Document type"), choices=DocumentType.choices)
    date_from = django_filters.DateFilter(
        label=_("From"), field_name="doc_date", lookup_expr="gte", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = django_filters.DateFilter(
        label=_("To"), field_name="doc_date", lookup_expr="lte", widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = ArchivedDocument
        fields = ["q", "township", "village", "doc_type", "date_from", "date_to"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value)
            | Q(number__icontains=value)
            | Q(keeper__icontains=value)
            | Q(cooperative__name__icontains=value)
        )


class SealUseFilter(_RegionFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=SealUseStatus.choices)
    date_from = django_filters.DateFilter(
        label=_("From"), field_name="used_on", lookup_expr="gte", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = django_filters.DateFilter(
        label=_("To"), field_name="used_on", lookup_expr="lte", widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = SealUse
        fields = ["q", "township", "village", "status", "date_from", "date_to"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(purpose__icontains=value) | Q(document_title__icontains=value) | Q(cooperative__name__icontains=value)
        )
