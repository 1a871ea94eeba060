"""Row-level security: a deliberately unscoped ORM query inside a request returns no foreign rows."""

import pytest
from django.db import connection
from django.http import JsonResponse
from django.test import override_settings
from django.urls import path
from rest_framework.decorators import api_view
from rest_framework.response import Response

from core import rls
from tests.factories import CooperativeFactory, DocumentFactory, UserFactory
from tests.testapp.models import Document


def unscoped_titles(request):
    # deliberately WITHOUT for_user: only the database stands between this and other villages
    return JsonResponse({"titles": sorted(Document.objects.values_list("title", flat=True))})


def unscoped_write(request):
    Document.objects.create(title="越界", region_code=request.GET["code"])
    return JsonResponse({"ok": True})


@api_view(["GET"])
def unscoped_titles_api(request):
    return Response({"titles": sorted(Document.objects.values_list("title", flat=True))})


urlpatterns = [
    path("unscoped/", unscoped_titles),
    path("api-unscoped/", unscoped_titles_api),
    path("unscoped-write/", unscoped_write),
]


@pytest.fixture
def docs(world):
    for title, village in (("东安", world.v11), ("西岭", world.v12), ("北岭", world.v21), ("杨庄", world.v31)):
        DocumentFactory(title=title, region_code=village.code)


@override_settings(ROOT_URLCONF=__name__)
@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("acc_v11", ["东安"]),
        ("twp_t1", ["东安", "西岭"]),
        ("county_a_off", ["东安", "北岭", "西岭"]),
        ("county_b_off", ["杨庄"]),
        ("nobody", []),
    ],
)
def test_unscoped_query_in_a_request_sees_only_the_users_prefixes(client, world, docs, who, expected):
    client.force_login(getattr(world, who))
    assert client.get("/unscoped/").json()["titles"] == expected


@override_settings(ROOT_URLCONF=__name__)
def test_anonymous_and_superuser(client, world, docs):
    assert client.get("/unscoped/").json()["titles"] == []
    client.force_login(UserFactory(username="root", is_superuser=True))
    assert len(client.get("/unscoped/").json()["titles"]) == 4


@override_settings(ROOT_URLCONF=__name__)
def test_api_token_user_gets_its_own_scope(api_client, world, docs):
    from knox.models import AuthToken

    _instance, token = AuthToken.objects.create(user=world.acc_v21)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api_client.get("/api-unscoped/").json()["titles"] == ["北岭"]
    api_client.credentials()
    api_client.force_authenticate(world.twp_t1)
    assert api_client.get("/api-unscoped/").json()["titles"] == ["东安", "西岭"]


@override_settings(ROOT_URLCONF=__name__)
def test_writing_into_another_village_is_refused_by_the_database(client, world):
    from django.db import ProgrammingError

    client.force_login(world.acc_v11)
    client.raise_request_exception = True
    with pytest.raises(ProgrammingError, match="row-level security"):
        client.get("/unscoped-write/", {"code": world.v31.code})


@override_settings(ROOT_URLCONF=__name__)
def test_scope_is_back_to_system_after_the_request(client, world, docs):
    client.force_login(world.acc_v11)
    client.get("/unscoped/")
    with connection.cursor() as cur:
        cur.execute("SELECT current_setting('lingban.scope', true), current_user")
        scope, role = cur.fetchone()
    assert scope == "*" and role != "lingban_app"
    assert Document.objects.count() == 4


def test_padded_county_and_township_rows_are_visible_below_them(world):
    # a county-level row (371323000000) is visible to a township of that county, not to another county
    with connection.cursor() as cur:
        cur.execute("SELECT set_config('lingban.scope', '371323104', false)")
        cur.execute(
            "SELECT lingban_row_visible('371323000000'), lingban_row_visible('371323104000'), "
            "lingban_row_visible('371323104201'), lingban_row_visible('371323105000'), "
            "lingban_row_visible('371324000000'), lingban_row_visible('371323105201')"
        )
        row = cur.fetchone()
        cur.execute("SELECT set_config('lingban.scope', '*', false)")
    assert row == (True, True, True, False, False, False)


def test_every_tenant_table_has_forced_rls(db):
    tables = rls.tenant_tables()
    assert "cooperatives_cooperative" in tables and "core_approvalrequest" in tables
    with connection.cursor() as cur:
        cur.execute(
            "SELECT relname FROM pg_class WHERE relname = ANY(%s) AND relrowsecurity AND relforcerowsecurity", [tables]
        )
        secured = {r[0] for r in cur.fetchall()}
    assert secured == set(tables)


@override_settings(ROOT_URLCONF=__name__)
def test_object_grant_opens_exactly_that_village_in_the_database(client, world, docs):
    from guardian.shortcuts import assign_perm

    coop = CooperativeFactory(village=world.v31)
    assign_perm("view_cooperative", world.acc_v11, coop)
    client.force_login(world.acc_v11)
    assert client.get("/unscoped/").json()["titles"] == ["东安", "杨庄"]


def test_a_request_cannot_switch_off_the_immutability_triggers(world):
    # (hardening, finding 10) any session may set pgtrigger.ignore; the app's role may not use it
    import datetime

    from django.db import DatabaseError, transaction

    from tests.finance.factories import open_books, voucher

    coop = CooperativeFactory(village=world.v11)
    open_books(world.acc_v11, coop, 2026)
    posted = voucher(
        world.acc_v11, coop, datetime.date(2026, 1, 5), "销售", ("101", "100.00", "0"), ("501", "0", "100.00")
    )
    switch_off = "SELECT set_config('pgtrigger.ignore', '{pgtrigger_voucher_posted_immutable_e4385}', true)"
    change = "UPDATE finance_voucher SET summary = %s WHERE id = %s"
    rls.enter_request_scope(rls.scope_for(world.acc_v11))
    try:
        with pytest.raises(DatabaseError, match="Cannot update"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(switch_off)
            cursor.execute(change, ["改过的摘要", posted.pk])
    finally:
        rls.leave_request_scope()
    posted.refresh_from_db()
    assert posted.summary == "销售"
    # the owner (migrations, maintenance) still can, e.g. to repair with the triggers named
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(switch_off)
        cursor.execute(change, ["维护", posted.pk])
        cursor.execute("SELECT summary FROM finance_voucher WHERE id = %s", [posted.pk])
        assert cursor.fetchone()[0] == "维护"
        transaction.set_rollback(True)
