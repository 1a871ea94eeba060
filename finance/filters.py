"""Filters of the finance lists, shared by the pages and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cooperatives.filters import CooperativeChoiceFilter
from core.choices import RegionLevel
from core.filters import RegionPrefixFilter, YearFilter
from core.models import Region
from finance.choices import (
    AccountCategory,
    AssetKind,
    AssetSource,
    AssetStatus,
    ContractDirection,
    ContractStatus,
    IncomeSource,
    PeriodStatus,
    TradeDirection,
    VoucherKind,
    VoucherStatus,
)
from finance.models import (
    Account,
    CollectiveIncome,
    Contract,
    FiscalYear,
    FixedAsset,
    PatronageTransaction,
    Period,
    Project,
    Voucher,
)


class _ScopedFilterSet(django_filters.FilterSet):
    """Choices of the cooperative (and region) filters come from the caller's jurisdiction."""

    cooperative = CooperativeChoiceFilter()

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        if "township" in self.filters:
            regions = Region.objects.for_user(user) if user is not None else Region.objects.none()
            self.filters["township"].queryset = regions.filter(level=RegionLevel.TOWNSHIP)


class AccountFilter(_ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Code, name or initials"), method="search")
    category = django_filters.ChoiceFilter(label=_("Category"), choices=AccountCategory.choices)
    is_active = django_filters.BooleanFilter(label=_("In use"))

    class Meta:
        model = Account
        fields = ["cooperative", "q", "category", "is_active"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(code__startswith=value) | Q(pinyin__startswith=value.upper()) | Q(name__icontains=value)
        )


class VoucherFilter(_ScopedFilterSet):
    township = RegionPrefixFilter(label=_("Township"))
    year = YearFilter(label=_("Year"), field_name="period__fiscal_year__year")
    month = django_filters.NumberFilter(label=_("Month"), field_name="period__number")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=VoucherStatus.choices)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=VoucherKind.choices)
    date_from = django_filters.DateFilter(label=_("From"), field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(label=_("To"), field_name="date", lookup_expr="lte")
    q = django_filters.CharFilter(label=_("Summary"), field_name="summary", lookup_expr="icontains")

    class Meta:
        model = Voucher
        fields = ["cooperative", "township", "year", "month", "status", "kind", "date_from", "date_to", "q"]


class PeriodFilter(_ScopedFilterSet):
    year = YearFilter(label=_("Year"), field_name="fiscal_year__year")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=PeriodStatus.choices)

    class Meta:
        model = Period
        fields = ["cooperative", "year", "status"]


class FiscalYearFilter(_ScopedFilterSet):
    class Meta:
        model = FiscalYear
        fields = ["cooperative", "year", "status"]


class ProjectFilter(_ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")

    class Meta:
        model = Project
        fields = ["cooperative", "q", "is_active"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value))


class ContractFilter(_ScopedFilterSet):
    township = RegionPrefixFilter(label=_("Township"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ContractStatus.choices)
    direction = django_filters.ChoiceFilter(label=_("Direction"), choices=ContractDirection.choices)
    ends_before = django_filters.DateFilter(label=_("Ends before"), field_name="end_date", lookup_expr="lte")
    q = django_filters.CharFilter(label=_("Search"), method="search")

    class Meta:
        model = Contract
        fields = ["cooperative", "township", "status", "direction", "ends_before", "q"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(number__icontains=value) | Q(subject__icontains=value) | Q(counterparty__icontains=value)
        )


class PatronageFilter(_ScopedFilterSet):
    year = YearFilter(label=_("Year"), field_name="date__year")
    direction = django_filters.ChoiceFilter(label=_("Direction"), choices=TradeDirection.choices)
    q = django_filters.CharFilter(label=_("Member or product"), method="search")

    class Meta:
        model = PatronageTransaction
        fields = ["cooperative", "year", "direction", "q"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(member__name__icontains=value) | Q(product__icontains=value))


class CollectiveIncomeFilter(_ScopedFilterSet):
    township = RegionPrefixFilter(label=_("Township"))
    year = YearFilter(label=_("Year"))
    source = django_filters.ChoiceFilter(label=_("Source"), choices=IncomeSource.choices)

    class Meta:
        model = CollectiveIncome
        fields = ["cooperative", "township", "year", "source"]


class AssetFilter(_ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Card number or name"), method="search")
    kind = django_filters.ChoiceFilter(label=_("Register"), choices=AssetKind.choices)
    source = django_filters.ChoiceFilter(label=_("Source"), choices=AssetSource.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=AssetStatus.choices)

    class Meta:
        model = FixedAsset
        fields = ["cooperative", "q", "kind", "source", "status"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(number__icontains=value) | Q(name__icontains=value))
