"""The isolation matrix: every page and API route, asked for another tenant's objects by every role.

Routes are enumerated from the URL resolver, so a new route is covered automatically — or the
test fails and names it until it is classified below. For each route that takes an object id, an
object is made in village 东安村 (county A, township 1) and requested by users of the other village
of that township, of the other township and of the other county: the answer must be 404 (or 403
for a role that may not use the page at all), never data, and a POST must change nothing. Someone
inside the jurisdiction must get the page, so the test cannot pass by refusing everybody. List pages
and exports must not show the object's marker text to outsiders.
"""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from django.urls import URLResolver, get_resolver
from pghistory.models import Events

from tests.conftest import fresh
from tests.factories import CooperativeFactory, DocumentFactory, UserFactory
from tests.finance.matrix import make_factories as make_finance_factories

MARKER = "甲村机密"

# Routes that hold no tenant data (auth, schema, the region switcher) — checked elsewhere.
SKIP = re.compile(r"^(admin/|accounts/|api/schema/|api/docs/|api/v1/auth/token/|scope/|\^media/)")


# -- how to make an object of each routed model inside village 东安村 ----------------------------
def _cooperative(world):
    return CooperativeFactory(name=f"{MARKER}合作社", village=world.v11)


def _approval(world):
    from core.services.approvals import approval_request_create, approval_submit

    doc = DocumentFactory(region_code=world.v11.code)
    req = approval_request_create(
        actor=fresh(world.acc_v11), subject=doc, kind="test_document", title=f"{MARKER}审批", region_code=world.v11.code
    )
    approval_submit(actor=fresh(world.acc_v11), request=req)
    return req


def _region(world):
    return world.v11


FACTORIES = {
    "cooperatives.cooperative": _cooperative,
    "core.approvalrequest": _approval,
    "core.region": _region,
    **make_finance_factories(MARKER),
}


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        else:
            yield prefix + str(p.pattern), p


def _model_of(pattern):
    callback = pattern.callback
    view = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    for attr in ("model", "queryset_model"):
        model = getattr(view, attr, None)
        if model is not None:
            return model
    queryset = getattr(view, "queryset", None)
    if queryset is not None:
        return queryset.model
    serializer = getattr(view, "serializer_class", None)
    meta = getattr(serializer, "Meta", None)
    return getattr(meta, "model", None)


def _id_kwargs(route: str) -> list[str]:
    names = re.findall(r"\(\?P<(\w+)>", route) + re.findall(r"(?<!\?P)<(?:\w+:)?(\w+)>", route)
    return list(dict.fromkeys(n for n in names if n not in ("format", "path")))


def _methods(pattern) -> list[str]:
    actions = getattr(pattern.callback, "actions", None)
    if actions:
        return sorted(actions)
    view = getattr(pattern.callback, "view_class", None)
    names = [m for m in ("get", "post") if view is not None and hasattr(view, m)]
    return names or ["get"]


def _concrete(route: str, values: dict[str, int]) -> str:
    path = route.replace("^", "").replace("$", "")
    for name, value in values.items():
        path = re.sub(rf"\(\?P<{name}>[^)]*\)", str(value), path)
        path = re.sub(rf"<(?:\w+:)?{name}>", str(value), path)
    return "/" + path


@pytest.fixture(params=[True, False], ids=["rls", "orm-only"])
def layers(request, settings):
    """Each layer must hold on its own: with row-level security, and with the ORM scope alone."""
    settings.LINGBAN_RLS = request.param
    return request.param


ROUTES = [(route, p) for route, p in _walk(get_resolver().url_patterns) if not SKIP.match(route)]
OBJECT_ROUTES = [(r, p) for r, p in ROUTES if _id_kwargs(r)]
LIST_ROUTES = [(r, p) for r, p in ROUTES if not _id_kwargs(r)]


def test_every_object_route_is_classified():
    unknown = []
    for route, pattern in OBJECT_ROUTES:
        model = _model_of(pattern)
        if model is None or model._meta.label_lower not in FACTORIES or len(_id_kwargs(route)) != 1:
            unknown.append(route)
    assert unknown == [], f"add these routes to the isolation matrix: {unknown}"


def _outsiders(world):
    return {
        "other village": world.acc_v12,
        "other township": world.twp_t2,
        "other county": world.county_b_off,
        "other county accountant": world.acc_v31,
    }


def _insiders(world):
    return [world.acc_v11, world.twp_t1, world.county_a_off, UserFactory(username="root", is_superuser=True)]


def _contains_marker(response) -> bool:
    content_type = response.get("Content-Type", "")
    if "spreadsheetml" in content_type:
        from openpyxl import load_workbook

        wb = load_workbook(BytesIO(response.content), read_only=True)
        return any(
            MARKER in str(c)
            for ws in wb.worksheets
            for row in ws.iter_rows(values_only=True)
            for c in row
            if c is not None
        )
    return MARKER in response.content.decode(errors="ignore")


@pytest.mark.parametrize(("route", "pattern"), OBJECT_ROUTES, ids=[r for r, _ in OBJECT_ROUTES])
def test_foreign_objects_answer_404_and_change_nothing(client, world, layers, route, pattern):
    model = _model_of(pattern)
    obj = FACTORIES[model._meta.label_lower](world)
    path = _concrete(route, {_id_kwargs(route)[0]: obj.pk})
    methods = _methods(pattern)

    for label, user in _outsiders(world).items():
        client.force_login(user)
        for method in methods:
            before = Events.objects.count()
            response = (
                getattr(client, method)(
                    path, **({"data": {}} if method != "get" else {}), content_type="application/json"
                )
                if method in ("put", "patch")
                else getattr(client, method)(path)
            )
            assert response.status_code in (403, 404), f"{label} {method.upper()} {path} → {response.status_code}"
            assert not _contains_marker(response), f"{label} saw the object at {path}"
            assert Events.objects.count() == before, f"{label} {method.upper()} {path} changed data"

    if "get" in methods:
        statuses = []
        for user in _insiders(world):
            client.force_login(user)
            statuses.append(client.get(path).status_code)
        assert 200 in statuses, f"nobody inside the jurisdiction can open {path}: {statuses}"


@pytest.mark.parametrize(("route", "pattern"), LIST_ROUTES, ids=[r or "/" for r, _ in LIST_ROUTES])
def test_lists_and_exports_show_nothing_foreign(client, world, layers, route, pattern):
    for make in FACTORIES.values():
        make(world)
    path = _concrete(route, {})
    if "get" not in _methods(pattern):
        pytest.skip("POST-only collection route: covered by its service tests")
    for label, user in _outsiders(world).items():
        client.force_login(user)
        for query in ({}, {"format": "xlsx"}, {"region": world.v11.code}):
            response = client.get(path, query)
            assert response.status_code in (200, 403, 404), f"{label} GET {path} {query} → {response.status_code}"
            assert not _contains_marker(response), f"{label} saw foreign data at {path} {query}"
