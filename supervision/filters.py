"""Filters of the supervision lists, shared by the pages and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import RegionPrefixFilter
from core.models import Region
from supervision.choices import BulletinKind, PairingKind, PairingStatus
from supervision.models import Bulletin, Pairing


class _RegionScoped(django_filters.FilterSet):
    region = RegionPrefixFilter(label=_("Region"), to_field_name="code")

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        self.filters["region"].queryset = Region.objects.for_user(user) if user is not None else Region.objects.none()


class PairingFilter(_RegionScoped):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=PairingKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=PairingStatus.choices)

    class Meta:
        model = Pairing
        fields = ["region", "kind", "status"]


class BulletinFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=BulletinKind.choices)

    class Meta:
        model = Bulletin
        fields = ["kind"]
