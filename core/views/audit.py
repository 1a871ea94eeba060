"""The audit trail: every change to a business row, with who, when, from where, before and after.

History is written by PostgreSQL triggers (django-pghistory) into one event table per model; this
page reads them through pghistory's aggregate ``Events`` view, filtered to one region (and
optionally one cooperative) inside the auditor's jurisdiction.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal, InvalidOperation

from django.apps import apps
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import ListView
from pghistory.models import Events

from core.choices import Role
from core.exports import xlsx_response
from core.models import Region, User
from core.privacy import full_id_checker, personal_value
from core.views.mixins import RoleRequiredMixin

AUDITORS = frozenset({Role.COUNTY_OFFICIAL, Role.TOWNSHIP_OFFICIAL, Role.SYSTEM_ADMIN})
LABELS = {"insert": gettext_lazy("Created"), "update": gettext_lazy("Changed"), "delete": gettext_lazy("Deleted")}
HIDDEN_FIELDS = {"password", "created_at", "updated_at"}


def _model(dotted: str):
    try:
        return apps.get_model(dotted)
    except (LookupError, ValueError):
        return None


# an amount inside a stored JSON value (a plan's steps): shown with separators like any other
AMOUNT_IN_TEXT = re.compile(r"(?<![\d.])-?\d{4,}\.\d{2}(?![\d])")


def _readable(model, name: str, value):
    """A stored value as the pages show it: a choice as its label (operating → 运营), an amount with
    separators and two places (the history keeps JSON numbers: 10000.0 → 10,000.00)."""
    if isinstance(value, dict | list):
        text = json.dumps(value, ensure_ascii=False)
        return AMOUNT_IN_TEXT.sub(lambda m: f"{Decimal(m.group(0)):,.2f}", text)
    if model is None or value is None:
        return value
    for field in model._meta.concrete_fields:
        if name not in (field.name, field.attname):
            continue
        if field.choices:
            label = dict(field.flatchoices).get(value)
            return value if label is None else str(label)
        if isinstance(field, models.DecimalField) and isinstance(value, int | float | str):
            try:
                number = Decimal(str(value))
            except InvalidOperation:
                return value
            return f"{number:,.2f}" if field.decimal_places == 2 else f"{number.normalize():f}"
    return value


def _field_label(model, name: str) -> str:
    if model is None:
        return name
    for field in model._meta.concrete_fields:
        if name in (field.name, field.attname):
            return str(field.verbose_name)
    return name


class _Person:
    """What ``core.privacy`` needs to know of the person a history row describes."""

    def __init__(self, region_code: str, user_id):
        self.region_code, self.user_id = region_code, user_id


class AuditTrailView(RoleRequiredMixin, ListView):
    """``/audit/?region=<code>[&cooperative=<id>]``: the changes under one region, newest first."""

    allowed_roles = AUDITORS
    template_name = "core/audit_trail.html"
    paginate_by = 50

    def _region(self) -> str:
        user = self.request.user
        # without a region, the widest one the reader audits (a township official: the township)
        default = next(iter(user.jurisdiction.prefixes(AUDITORS)), "")
        region = (self.request.GET.get("region") or default).strip()
        if not region.isdigit() or not (user.is_superuser or user.jurisdiction.covers(region, AUDITORS)):
            raise Http404(_("Region"))
        return region

    def get_queryset(self):
        region = self._region()
        qs = Events.objects.filter(pgh_data__region_code__startswith=region)
        cooperative = self.request.GET.get("cooperative", "")
        if cooperative.isdigit():
            qs = qs.filter(
                Q(pgh_data__cooperative_id=int(cooperative))
                | Q(pgh_obj_model="cooperatives.Cooperative", pgh_obj_id=cooperative)
            )
        return qs.order_by("-pgh_created_at", "-pgh_id")

    def _rows(self, events):
        user_ids = {e.pgh_context.get("user") for e in events if e.pgh_context}
        # who made the changes, by name: one query whatever the rows (also when no row names a user,
        # so a page costs the same queries with one row as with fifty)
        ids = [i for i in user_ids if i] or [0]
        users = {u.pk: u.display_name for u in User.objects.filter(pk__in=ids)}
        shows_full = full_id_checker(self.request.user)
        rows = []
        for e in events:
            context = e.pgh_context or {}
            model = _model(e.pgh_obj_model)
            data = e.pgh_data or {}
            # a person's ID number, phone and birth date, before and after, as the auditor may see them
            # (core.privacy)
            person = _Person(data.get("region_code") or "", data.get("user_id"))
            full = shows_full(person)

            def shown(key, value, full=full, model=model):
                return _readable(model, key, personal_value(key, value, full=full))

            if e.pgh_label == "update":
                changes = [
                    (_field_label(model, k), shown(k, v[0]), shown(k, v[1]))
                    for k, v in (e.pgh_diff or {}).items()
                    if k not in HIDDEN_FIELDS
                ]
            else:
                changes = [
                    (_field_label(model, k), None, shown(k, v))
                    if e.pgh_label == "insert"
                    else (_field_label(model, k), shown(k, v), None)
                    for k, v in data.items()
                    if k not in HIDDEN_FIELDS | {"id"}
                ]
            rows.append(
                {
                    "time": e.pgh_created_at,
                    "model": str(model._meta.verbose_name) if model else e.pgh_obj_model,
                    "object_id": e.pgh_obj_id,
                    "action": LABELS.get(e.pgh_label, e.pgh_label),
                    "user": users.get(context.get("user"), _("system") if not context.get("user") else context["user"]),
                    "ip": context.get("ip", ""),
                    "url": context.get("url", ""),
                    "changes": changes,
                }
            )
        return rows

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "xlsx":
            rows = self._rows(list(self.get_queryset()[:20000]))
            headers = [_("Time"), _("Record"), _("Id"), _("Action"), _("User"), _("IP address"), _("Changes")]
            data = (
                [
                    r["time"],
                    r["model"],
                    r["object_id"],
                    str(r["action"]),
                    r["user"],
                    r["ip"],
                    "; ".join(f"{k}: {b} → {a}" for k, b, a in r["changes"]),
                ]
                for r in rows
            )
            return xlsx_response(f"audit-{self._region()}.xlsx", _("Audit trail"), headers, data)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["rows"] = self._rows(ctx["object_list"])
        ctx["region"] = region = self._region()
        # the region by name (a prefix of 6, 9 or 12 digits is a county, township or village code)
        ctx["region_name"] = Region.objects.filter(code=region).values_list("name", flat=True).first() or region
        query = self.request.GET.copy()
        query.pop("page", None)
        query["region"] = region
        query["format"] = "xlsx"
        ctx["export_query"] = query.urlencode()
        return ctx
