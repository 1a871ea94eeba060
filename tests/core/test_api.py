"""The API skeleton: token auth, me, regions, approvals, JSON errors, schema and docs."""

import pytest
from knox.models import AuthToken

from core import demo
from core.services.approvals import approval_request_create, approval_submit
from tests.conftest import fresh
from tests.factories import DocumentFactory


def test_token_from_username_and_password(api_client, db):
    demo.run()
    response = api_client.post("/api/v1/auth/token/", {"username": "demo-township", "password": demo.DEMO_PASSWORD})
    assert response.status_code == 200
    token = response.json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = api_client.get("/api/v1/me/").json()
    assert me["username"] == "demo-township"
    assert me["jurisdiction"] == ["371323104"]
    assert me["roles"][0]["role"] == "township_official"


def test_bad_credentials_give_a_coded_error(api_client, db):
    response = api_client.post("/api/v1/auth/token/", {"username": "x", "password": "y"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and body["detail"]


def test_unauthenticated_is_refused_with_code(api_client, db):
    response = api_client.get("/api/v1/me/")
    assert response.status_code in (401, 403)
    assert response.json()["code"] == "not_authenticated"


def test_regions_api_returns_the_tree_within_jurisdiction(api_client, world):
    api_client.force_authenticate(world.twp_t1)
    codes = {r["code"] for r in api_client.get("/api/v1/regions/").json()["results"]}
    assert codes == {"371323104", "371323104201", "371323104202"}
    assert api_client.get(f"/api/v1/regions/{world.v21.pk}/").status_code == 404
    villages = api_client.get("/api/v1/regions/", {"level": "village"}).json()["results"]
    assert {r["code"] for r in villages} == {"371323104201", "371323104202"}


def test_approval_api_scoping_and_decision(api_client, world):
    doc = DocumentFactory(region_code=world.v11.code)
    req = approval_request_create(
        actor=fresh(world.acc_v11), subject=doc, kind="test_document", title="道路", region_code=doc.region_code
    )
    approval_submit(actor=fresh(world.acc_v11), request=req)

    api_client.force_authenticate(world.twp_t2)
    assert api_client.get(f"/api/v1/approvals/{req.pk}/").status_code == 404
    response = api_client.post(f"/api/v1/approvals/{req.pk}/approve/", {"comment": "同意"}, format="json")
    assert response.status_code == 404

    api_client.force_authenticate(world.twp_t1)
    inbox = api_client.get("/api/v1/approvals/inbox/").json()
    assert [r["id"] for r in inbox["results"]] == [req.pk]
    response = api_client.post(f"/api/v1/approvals/{req.pk}/return/", {"comment": ""}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "comment_required"
    response = api_client.post(f"/api/v1/approvals/{req.pk}/approve/", {"comment": "同意"}, format="json")
    assert response.status_code == 200
    assert response.json()["state"] == "approved"
    response = api_client.post(f"/api/v1/approvals/{req.pk}/approve/", {}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "invalid_state"

    # the accountant sees it but may not decide: 403 with a code, not a 500
    api_client.force_authenticate(world.acc_v11)
    doc2 = DocumentFactory(region_code=world.v11.code)
    req2 = approval_request_create(
        actor=fresh(world.acc_v11), subject=doc2, kind="test_document", title="t", region_code=doc2.region_code
    )
    api_client.post(f"/api/v1/approvals/{req2.pk}/submit/", {}, format="json")
    response = api_client.post(f"/api/v1/approvals/{req2.pk}/approve/", {}, format="json")
    # (she asked for it, so the refusal says so: four eyes)
    assert response.status_code == 403 and response.json()["code"] == "own_request"


def test_schema_and_docs_are_served(client, world):
    client.force_login(world.acc_v11)
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/regions/" in schema.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"cdn" not in docs.content.lower()


def test_token_auth_works_on_scoped_lists(api_client, world):
    _instance, token = AuthToken.objects.create(user=world.acc_v31)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    codes = {r["code"] for r in api_client.get("/api/v1/regions/").json()["results"]}
    assert codes == {"371324101201"}


@pytest.mark.parametrize("n", [1, 30])
def test_regions_list_query_count_is_constant(api_client, world, django_assert_max_num_queries, n):
    from core.choices import RegionLevel
    from tests.factories import RegionFactory

    for i in range(n):
        RegionFactory(code=f"371323104{300 + i}", level=RegionLevel.VILLAGE, parent=world.t1)
    api_client.force_authenticate(world.county_a_off)
    # constant: session/auth, row-level-security scope (set twice for DRF auth), grants, page, count
    with django_assert_max_num_queries(9):
        assert api_client.get("/api/v1/regions/").status_code == 200
