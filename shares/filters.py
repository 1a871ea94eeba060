"""Filters of the shares lists, shared by the pages and the API."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cooperatives.filters import CooperativeChoiceFilter
from shares.choices import CertificateState, ContributionKind, ContributionState, EntryType, ShareClass, WithdrawalState
from shares.models import Contribution, Holding, ShareCertificate, ShareEntry, ShareWithdrawal


class _CooperativeScoped(django_filters.FilterSet):
    cooperative = CooperativeChoiceFilter()
    q = django_filters.CharFilter(label=_("Member"), method="search_member")

    def search_member(self, queryset, name, value):
        value = value.strip()
        condition = Q(member__name__icontains=value)
        if value.isdigit():
            condition |= Q(member__number=int(value))
        return queryset.filter(condition)


class ContributionFilter(_CooperativeScoped):
    state = django_filters.ChoiceFilter(label=_("State"), choices=ContributionState.choices)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=ContributionKind.choices)
    share_class = django_filters.ChoiceFilter(label=_("Share class"), choices=ShareClass.choices)

    class Meta:
        model = Contribution
        fields = ["cooperative", "q", "state", "kind", "share_class"]


class HoldingFilter(_CooperativeScoped):
    share_class = django_filters.ChoiceFilter(label=_("Share class"), choices=ShareClass.choices)

    class Meta:
        model = Holding
        fields = ["cooperative", "q", "share_class"]


class EntryFilter(_CooperativeScoped):
    entry_type = django_filters.ChoiceFilter(label=_("Type"), choices=EntryType.choices)
    share_class = django_filters.ChoiceFilter(label=_("Share class"), choices=ShareClass.choices)
    effective_after = django_filters.DateFilter(
        label=_("From"), field_name="effective_on", lookup_expr="gte", widget=forms.DateInput(attrs={"type": "date"})
    )
    effective_before = django_filters.DateFilter(
        label=_("To"), field_name="effective_on", lookup_expr="lte", widget=forms.DateInput(attrs={"type": "date"})
    )
    operation = django_filters.UUIDFilter(label=_("Operation id"))

    class Meta:
        model = ShareEntry
        fields = ["cooperative", "q", "entry_type", "share_class", "effective_after", "effective_before", "operation"]


class WithdrawalFilter(_CooperativeScoped):
    state = django_filters.ChoiceFilter(label=_("State"), choices=WithdrawalState.choices)

    class Meta:
        model = ShareWithdrawal
        fields = ["cooperative", "q", "state"]


class CertificateFilter(_CooperativeScoped):
    state = django_filters.ChoiceFilter(label=_("State"), choices=CertificateState.choices)

    class Meta:
        model = ShareCertificate
        fields = ["cooperative", "q", "state"]
