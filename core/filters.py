"""Filters shared by every app's lists."""

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from core.models import Region
from core.tenancy import prefix_q


@extend_schema_field(OpenApiTypes.INT)
class RegionPrefixFilter(django_filters.ModelChoiceFilter):
    """Rows under a region (by its id): ``region_code`` starts with the region's prefix.

    Its choices must be the caller's scoped regions, so a foreign region is an invalid value.
    """

    def __init__(self, *args, tenant_field: str = "region_code", **kwargs):
        kwargs.setdefault("queryset", Region.objects.none())
        super().__init__(*args, **kwargs)
        self.tenant_field = tenant_field

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(prefix_q(self.tenant_field, value.prefix))


class YearFilter(django_filters.NumberFilter):
    """A calendar year (1949–2100): anything else is a 400 with a message, never a database error."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1949)
        kwargs.setdefault("max_value", 2100)
        kwargs.setdefault("decimal_places", 0)
        super().__init__(*args, **kwargs)
