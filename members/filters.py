"""Filters of the member and household lists, shared by the pages and the API."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cooperatives.filters import CooperativeChoiceFilter
from core.choices import RegionLevel
from core.filters import VillageChoiceFilter
from core.models import Region
from members.choices import MemberKind
from members.models import Household, Member


class MemberFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    cooperative = CooperativeChoiceFilter()
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=MemberKind.choices)
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=[("active", _("Active")), ("left", _("Left"))], method="filter_status"
    )
    is_party_member = django_filters.BooleanFilter(label=_("Party member"))
    is_branch_member = django_filters.BooleanFilter(label=_("Party branch member"))
    is_poverty_registered = django_filters.BooleanFilter(label=_("Poverty-registered"))
    vulnerable = django_filters.BooleanFilter(label=_("Vulnerable"), method="filter_vulnerable")
    is_farmer = django_filters.BooleanFilter(label=_("Farmer"))

    class Meta:
        model = Member
        fields = [
            "q",
            "cooperative",
            "kind",
            "status",
            "is_party_member",
            "is_branch_member",
            "is_poverty_registered",
            "vulnerable",
            "is_farmer",
        ]

    def search(self, queryset, name, value):
        value = value.strip()
        condition = Q(name__icontains=value) | Q(uscc__iexact=value) | Q(id_number__iexact=value)
        if value.isdigit():
            condition |= Q(number=int(value))
        return queryset.filter(condition)

    def filter_status(self, queryset, name, value):
        today = timezone.localdate()
        active = Q(left_on__isnull=True) | Q(left_on__gt=today)
        return queryset.filter(active) if value == "active" else queryset.exclude(active)

    def filter_vulnerable(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.exclude(vulnerability="") if value else queryset.filter(vulnerability="")


class HouseholdFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    village = VillageChoiceFilter()

    class Meta:
        model = Household
        fields = ["q", "village"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        regions = Region.objects.for_user(user) if user is not None else Region.objects.none()
        self.filters["village"].queryset = regions.filter(level=RegionLevel.VILLAGE).select_related("parent")

    def search(self, queryset, name, value):
        return queryset.filter(Q(number__icontains=value) | Q(head_name__icontains=value))
