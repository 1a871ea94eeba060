"""Filters of the cooperative list, shared by the page and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cooperatives.choices import (
    BoardBody,
    BoardPosition,
    CharterState,
    Classification,
    CooperativeKind,
    CooperativeStatus,
    Industry,
)
from cooperatives.models import BoardMember, BoardTerm, Charter, Cooperative
from core.choices import RegionLevel
from core.filters import RegionPrefixFilter
from core.models import Region


class CooperativeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    township = RegionPrefixFilter(label=_("Township"))
    village = django_filters.ModelChoiceFilter(label=_("Village"), queryset=Region.objects.none())
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
        self.filters["village"].queryset = regions.filter(level=RegionLevel.VILLAGE)

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(uscc__icontains=value) | Q(chair_name__icontains=value))


def _scoped_cooperatives(request):
    user = getattr(request, "user", None)
    return Cooperative.objects.for_user(user) if user is not None else Cooperative.objects.none()


class CharterFilter(django_filters.FilterSet):
    """Charter versions: by cooperative, township, state (the county's filing worklist is state=adopted)."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    township = RegionPrefixFilter(label=_("Township"))
    cooperative = django_filters.ModelChoiceFilter(label=_("Cooperative"), queryset=Cooperative.objects.none())
    state = django_filters.ChoiceFilter(label=_("State"), choices=CharterState.choices)

    class Meta:
        model = Charter
        fields = ["q", "township", "cooperative", "state"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        regions = Region.objects.for_user(user) if user is not None else Region.objects.none()
        self.filters["township"].queryset = regions.filter(level=RegionLevel.TOWNSHIP)
        self.filters["cooperative"].queryset = _scoped_cooperatives(request)

    def search(self, queryset, name, value):
        return queryset.filter(Q(cooperative__name__icontains=value) | Q(registered_name__icontains=value))


class BoardTermFilter(django_filters.FilterSet):
    cooperative = django_filters.ModelChoiceFilter(label=_("Cooperative"), queryset=Cooperative.objects.none())
    body = django_filters.ChoiceFilter(label=_("Body"), choices=BoardBody.choices)

    class Meta:
        model = BoardTerm
        fields = ["cooperative", "body"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.filters["cooperative"].queryset = _scoped_cooperatives(request)


class BoardMemberFilter(django_filters.FilterSet):
    cooperative = django_filters.ModelChoiceFilter(label=_("Cooperative"), queryset=Cooperative.objects.none())
    term = django_filters.ModelChoiceFilter(label=_("Term"), queryset=BoardTerm.objects.none())
    position = django_filters.ChoiceFilter(label=_("Position"), choices=BoardPosition.choices)

    class Meta:
        model = BoardMember
        fields = ["cooperative", "term", "position"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        self.filters["cooperative"].queryset = _scoped_cooperatives(request)
        self.filters["term"].queryset = BoardTerm.objects.for_user(user) if user else BoardTerm.objects.none()
