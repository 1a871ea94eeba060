"""The list page every app uses: scoped queryset, django-filter filters, pagination, xlsx export."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.utils import timezone
from django_filters.views import FilterView

from core.exports import xlsx_response
from core.views.mixins import ScopedQuerysetMixin


def _resolve(obj, accessor):
    if callable(accessor):
        return accessor(obj)
    value = obj
    for part in accessor.split("."):
        value = getattr(value, part, None)
        if value is None:
            return None
    display = getattr(obj, f"get_{accessor}_display", None) if "." not in accessor else None
    return display() if callable(display) else value


class ScopedListView(ScopedQuerysetMixin, FilterView):
    """``?format=xlsx`` downloads the filtered rows (all pages) with ``export_columns``.

    ``export_columns``: (header, accessor) pairs; an accessor is a dotted attribute path (choice
    fields export their label) or a callable taking the row.
    """

    paginate_by = 25
    export_columns: Sequence[tuple[str, str | Callable]] = ()
    export_name = "export"

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "xlsx" and self.export_columns:
            filterset = self.get_filterset(self.get_filterset_class())
            rows = filterset.qs if filterset.is_bound and filterset.is_valid() else self.get_queryset()
            headers = [str(h) for h, _ in self.export_columns]
            data = ([_resolve(obj, acc) for _, acc in self.export_columns] for obj in rows.iterator(chunk_size=2000))
            stamp = timezone.localdate().isoformat()
            return xlsx_response(f"{self.export_name}-{stamp}.xlsx", str(self.export_name), headers, data)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        query["format"] = "xlsx"
        ctx["export_query"] = query.urlencode()
        return ctx
