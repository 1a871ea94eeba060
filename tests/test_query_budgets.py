"""Query budgets: every list and dashboard page runs as many queries with 50 rows as with 1.

The table is built from the URL resolver, so a new app's pages join by themselves: every GET
collection route (pages and API) whose view names a model is measured with rows made by the
isolation matrix's factory for that model (``tests/test_isolation_matrix.py``: ``FACTORIES``, one
row in 东安村 per call). Pages whose rows are not the view's model are listed in ``PAGES`` with the
model whose rows they show; routes that list no rows are in ``NOT_LISTS`` with the reason.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.views.generic.list import MultipleObjectMixin

from tests.test_isolation_matrix import FACTORIES, LIST_ROUTES, _concrete, _methods, _model_of

FEW, MANY = 1, 50

# pages that show rows of another model than the view's (or name none): route → model label
PAGES = {
    "": "cooperatives.cooperative",  # home: the user's cooperatives and inbox
    "regions/": "core.region",
    "audit/": "cooperatives.cooperative",  # history rows of the changes made by the factories
    "finance/": "finance.cooperativebooks",
    "shares/register/": "shares.holding",
}
# collection routes that are not lists of rows
NOT_LISTS = {
    "api/v1/": "the API root",
    "api/v1/me/": "the user's own profile",
}


def _table() -> list[tuple[str, str]]:
    rows = []
    for route, pattern in LIST_ROUTES:
        if "get" not in _methods(pattern) or route in NOT_LISTS or "format" in route:
            continue
        actions = getattr(pattern.callback, "actions", None)
        if actions and actions.get("get") != "list":
            continue
        view = getattr(pattern.callback, "view_class", None)
        if not actions and route not in PAGES and not (view and issubclass(view, MultipleObjectMixin)):
            continue  # a form or an action page, not a list
        label = PAGES.get(route)
        if label is None:
            model = _model_of(pattern)
            label = model._meta.label_lower if model is not None else None
        if label in FACTORIES:
            rows.append((route, label))
    return rows


TABLE = _table()


def _count(client, path) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        status = client.get(path).status_code
    return status, len(queries)


@pytest.mark.parametrize(("route", "label"), TABLE, ids=[r or "/" for r, _ in TABLE])
def test_queries_do_not_grow_with_rows(client, world, route, label):
    make = FACTORIES[label]
    path = _concrete(route, {})
    make(world)
    for user in (world.acc_v11, world.twp_t1, world.county_a_off):
        client.force_login(user)
        status, few = _count(client, path)
        if status == 200:
            break
    else:
        pytest.skip(f"no insider may open {path} ({status})")
    for _ in range(MANY - FEW):
        make(world)
    status, many = _count(client, path)
    assert status == 200
    assert many == few, f"{path}: {few} queries with {FEW} row, {many} with {MANY}"


def test_the_table_covers_the_list_pages():
    routes = {r for r, _ in TABLE}
    for expected in ("cooperatives/", "members/", "shares/contributions/", "finance/vouchers/", ""):
        assert expected in routes, expected
