"""Filters shared by every app's lists."""

import re

import django_filters
from django import forms
from django.db.models import Q
from django.urls import reverse_lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ModelChoiceField
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from core.choices import RegionLevel
from core.models import Region
from core.tenancy import prefix_q

# Up to this many choices a select lists them all; above it, the select is found by search.
SEARCH_THRESHOLD = 50
# Longest search term taken from a search box.
TERM_LENGTH = 40


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


def term_name(name: str) -> str:
    """The name of the search box beside the select called ``name`` (also the search endpoint's parameter)."""
    return f"{name}_q"


# what a search box may be called: a field's name (with a formset's prefix) and "_q"
SEARCH_BOX = re.compile(r"[\w-]{1,80}_q")


class SearchSelect(forms.Select):
    """A select that shows only the rows its field picked, with a search box beside it when searching.

    The box asks ``search_url`` (htmx) for matching ``<option>``s as the user types; the endpoint
    answers into the select and the ``<name>_q-status`` live region. Without JavaScript the box is a
    plain form field: submitting the form renders the select with the term's matches."""

    template_name = "core/widgets/search_select.html"

    def __init__(self, attrs=None, *, search_url, search_label, placeholder=""):
        super().__init__(attrs)
        self.search_url = search_url
        self.search_label = search_label
        self.placeholder = placeholder
        self.term = ""
        self.rows: list = []

    def value_from_datadict(self, data, files, name):
        self.term = (data.get(term_name(name)) or "").strip()[:TERM_LENGTH]
        return super().value_from_datadict(data, files, name)

    def get_context(self, name, value, attrs):
        searching, self.rows = self.choices.field.shown(self.term)
        context = super().get_context(name, value, attrs)
        context["widget"].update(
            searching=searching,
            term=self.term,
            term_name=term_name(name),
            search_url=str(self.search_url),
            search_label=self.search_label,
            placeholder=self.placeholder,
        )
        return context

    def optgroups(self, name, value, attrs=None):
        field = self.choices.field
        choices = [("", field.empty_label), *(self.choices.choice(row) for row in self.rows)]
        options = [
            self.create_option(name, choice, label, str(choice) in value, index, attrs=attrs)
            for index, (choice, label) in enumerate(choices)
        ]
        return [(None, options, 0)]


class SearchChoiceField(ModelChoiceField):
    """A model choice validated against its whole (scoped) queryset, shown as a :class:`SearchSelect`.

    A foreign id stays an invalid choice; only the rendering changes. Deciding whether to search
    reads ``threshold + 1`` rows in one query, as the full select read all of them in one."""

    def __init__(self, *args, search, threshold=SEARCH_THRESHOLD, label_from_instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.search = search
        self.threshold = threshold
        self.chosen = None
        if label_from_instance is not None:
            self.label_from_instance = label_from_instance

    def to_python(self, value):
        # kept so the select can show the chosen row without reading it again
        self.chosen = super().to_python(value)
        return self.chosen

    def shown(self, term: str) -> tuple[bool, list]:
        """Whether the select must be searched, and the rows it shows: all when few, else the
        chosen row and the term's matches (``search(queryset, term)``)."""
        rows = list(self.queryset[: self.threshold + 1])
        if len(rows) <= self.threshold:
            return False, rows
        found = list(self.search(self.queryset, term)) if term else []
        if self.chosen is not None and self.chosen not in found:
            found.insert(0, self.chosen)
        return True, found


@extend_schema_field(OpenApiTypes.INT)
class SearchChoiceFilter(django_filters.ModelChoiceFilter):
    """A model choice filter whose select lists its choices only when they are few (see :class:`SearchSelect`).

    Its queryset must be the caller's scoped rows (a callable of the request), so a foreign id is an
    invalid value; the API takes the id as before."""

    field_class = SearchChoiceField

    def __init__(self, *args, search, search_url, search_label, placeholder="", **kwargs):
        kwargs.setdefault(
            "widget", SearchSelect(search_url=search_url, search_label=search_label, placeholder=placeholder)
        )
        super().__init__(*args, search=search, **kwargs)


def region_search(queryset, term: str, *, limit: int = 20) -> list[Region]:
    """At most ``limit`` regions of ``queryset`` whose name contains ``term`` or whose code starts with
    it, by code; nothing for an empty term."""
    term = term.strip()
    if not term:
        return []
    condition = Q(name__icontains=term)
    if term.isdigit():
        condition |= Q(code__startswith=term)
    return list(queryset.filter(condition).select_related("parent").order_by("code")[:limit])


def region_label(region: Region) -> str:
    """How a village reads in a select: names repeat across townships, so the township first."""
    return f"{region.parent.name} · {region.name}" if region.parent_id else region.name


# the search box of every village select (``core:region_search`` answers it)
VILLAGE_SEARCH = {
    "search_url": format_lazy("{}?level={}", reverse_lazy("core:region_search"), RegionLevel.VILLAGE),
    "search_label": _("Find a village"),
    "placeholder": _("Village name or code"),
}


class VillageChoiceField(SearchChoiceField):
    """A form's choice of one village: listed when few, found by search when many. The form sets
    ``queryset`` to the villages the caller may choose; any other id is an invalid choice."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", Region.objects.none())
        kwargs.setdefault("widget", SearchSelect(**VILLAGE_SEARCH))
        super().__init__(*args, search=region_search, label_from_instance=region_label, **kwargs)


@extend_schema_field(OpenApiTypes.INT)
class VillageChoiceFilter(SearchChoiceFilter):
    """The village filter of a list: one of the caller's villages, by id. A city official has
    thousands, so above a few dozen the select is found by search (``core:region_search``). The
    filterset sets ``queryset`` to the caller's villages (with their townships, for the labels); a
    foreign id is invalid."""

    def __init__(self, *args, tenant_field: str | None = None, **kwargs):
        kwargs.setdefault("label", _("Village"))
        kwargs.setdefault("queryset", Region.objects.none())
        self.tenant_field = tenant_field
        super().__init__(
            *args,
            search=region_search,
            label_from_instance=region_label,
            **VILLAGE_SEARCH,
            **kwargs,
        )

    def filter(self, qs, value):
        """The village's rows: by ``field_name`` (a key to the village), or with ``tenant_field`` by
        the code the rows carry."""
        if value and self.tenant_field:
            return qs.filter(prefix_q(self.tenant_field, value.prefix))
        return super().filter(qs, value)
