"""Cooperative registration: USCC check, chair rule, scoping, filters, export, API."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from cooperatives.models import Cooperative
from cooperatives.services.registry import cooperative_create, cooperative_update
from core.exceptions import BusinessError
from tests.conftest import fresh
from tests.factories import CooperativeFactory

VALID_USCC = "93371323MA3C4D5E6X"  # recomputed below so the fixture stays honest


@pytest.fixture
def uscc():
    from core.validators import uscc_check_character

    first17 = "93371323MA0000010"
    return first17 + uscc_check_character(first17)


def _data(**overrides):
    data = {
        "name": "东安村富民专业合作社",
        "legal_representative": "赵德明",
        "chair_name": "赵德明",
        "registered_capital": Decimal("500000.00"),
        "main_industry": "fruit",
    }
    data.update(overrides)
    return data


def test_accountant_registers_in_own_village(world, uscc):
    coop = cooperative_create(actor=fresh(world.acc_v11), village=world.v11, **_data(uscc=uscc.lower()))
    assert coop.region_code == "371323104201"
    assert coop.uscc == uscc
    assert not coop.flagged


def test_wrong_check_character_is_refused_with_the_expected_one(world, uscc):
    wrong = uscc[:17] + ("0" if uscc[17] != "0" else "1")
    with pytest.raises(BusinessError) as exc:
        cooperative_create(actor=fresh(world.acc_v11), village=world.v11, **_data(uscc=wrong))
    assert exc.value.code == "uscc_check" and exc.value.field == "uscc"
    assert f"“{uscc[17]}”" in exc.value.message
    assert Cooperative.objects.count() == 0


def test_duplicate_uscc_is_refused(world, uscc):
    cooperative_create(actor=fresh(world.acc_v11), village=world.v11, **_data(uscc=uscc))
    with pytest.raises(BusinessError) as exc:
        cooperative_create(actor=fresh(world.acc_v21), village=world.v21, **_data(uscc=uscc, name="另一个"))
    assert exc.value.code == "uscc_taken"


def test_chair_who_is_not_secretary_needs_a_reason_and_flags(world):
    with pytest.raises(BusinessError) as exc:
        cooperative_create(actor=fresh(world.acc_v11), village=world.v11, **_data(chair_is_branch_secretary=False))
    assert exc.value.field == "chair_exception_reason"
    coop = cooperative_create(
        actor=fresh(world.acc_v11),
        village=world.v11,
        **_data(chair_is_branch_secretary=False, chair_exception_reason="书记年满65岁，经成员大会选举产生"),
    )
    assert coop.flagged and coop.flag_reasons == ["chair_not_branch_secretary"]
    # when the secretary takes over, the flag and the reason go
    coop = cooperative_update(
        actor=fresh(world.acc_v11), cooperative=coop, chair_is_branch_secretary=True, chair_name="赵德明"
    )
    assert not coop.flagged and coop.chair_exception_reason == ""


def test_accountant_cannot_register_in_another_village(world):
    with pytest.raises(BusinessError) as exc:
        cooperative_create(actor=fresh(world.acc_v11), village=world.v12, **_data())
    assert exc.value.code == "out_of_jurisdiction"


def test_township_federation_belongs_to_a_township(world):
    from cooperatives.services.federations import MemberEntry, federation_create

    members = [MemberEntry(CooperativeFactory(village=v)) for v in (world.v11, world.v12)]
    members.append(MemberEntry(CooperativeFactory()))  # a third village of 许家湖镇
    coop = federation_create(
        actor=fresh(world.twp_t1),
        village=world.t1,
        members=members,
        joined_on=date(2024, 1, 1),
        **_data(kind="township_federation", name="许家湖镇党委领导联合社"),
    )
    assert coop.region_code == "371323104000"
    assert Cooperative.objects.for_user(fresh(world.twp_t1)).filter(pk=coop.pk).exists()
    assert not Cooperative.objects.for_user(fresh(world.acc_v11)).filter(pk=coop.pk).exists()
    with pytest.raises(BusinessError):
        federation_create(
            actor=fresh(world.acc_v11),
            village=world.v11,
            members=members,
            joined_on=date(2024, 1, 1),
            **_data(kind="township_federation"),
        )


@pytest.fixture
def coops(world):
    return {
        "v11": CooperativeFactory(
            name="东安村果品合作社", village=world.v11, main_industry="fruit", status="operating"
        ),
        "v12": CooperativeFactory(name="西岭村土地合作社", village=world.v12, main_industry="crops"),
        "v21": CooperativeFactory(name="北岭村粮食合作社", village=world.v21, main_industry="crops"),
        "v31": CooperativeFactory(name="杨庄村合作社", village=world.v31),
    }


def test_list_is_scoped_and_filters(client, world, coops):
    client.force_login(world.county_a_off)
    page = client.get("/cooperatives/").content.decode()
    assert "东安村果品合作社" in page and "北岭村粮食合作社" in page and "杨庄村合作社" not in page
    page = client.get("/cooperatives/", {"township": world.t2.pk}).content.decode()
    assert "北岭村粮食合作社" in page and "东安村果品合作社" not in page
    page = client.get("/cooperatives/", {"main_industry": "crops"}).content.decode()
    assert "西岭村土地合作社" in page and "东安村果品合作社" not in page
    page = client.get("/cooperatives/", {"status": "operating"}).content.decode()
    assert "东安村果品合作社" in page and "西岭村土地合作社" not in page
    # a foreign township cannot be used as a filter value
    response = client.get("/cooperatives/", {"township": world.t3.pk})
    assert "杨庄村合作社" not in response.content.decode()


def test_township_official_cannot_open_another_townships_cooperative(client, world, coops):
    client.force_login(world.twp_t1)
    assert client.get(f"/cooperatives/{coops['v11'].pk}/").status_code == 200
    assert client.get(f"/cooperatives/{coops['v21'].pk}/").status_code == 404
    assert client.get(f"/cooperatives/{coops['v21'].pk}/edit/").status_code == 404


def test_excel_export_has_the_filtered_rows(client, world, coops):
    client.force_login(world.twp_t1)
    response = client.get("/cooperatives/", {"format": "xlsx", "main_industry": "fruit"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "名称"
    assert [r[0] for r in rows[1:]] == ["东安村果品合作社"]
    assert rows[1][9] == 100000  # registered capital as a number


@pytest.mark.parametrize("n", [1, 40])
def test_list_query_count_does_not_grow(client, world, django_assert_max_num_queries, n):
    from core.choices import RegionLevel
    from tests.factories import RegionFactory

    for i in range(n):
        village = RegionFactory(code=f"371323104{400 + i}", level=RegionLevel.VILLAGE, parent=world.t1)
        CooperativeFactory(village=village)
    client.force_login(world.county_a_off)
    with django_assert_max_num_queries(12):
        assert client.get("/cooperatives/").status_code == 200


def test_register_form_shows_the_uscc_error_next_to_the_field(client, world):
    client.force_login(world.acc_v11)
    response = client.post(
        "/cooperatives/new/",
        {
            "name": "测试社",
            "kind": "farmer",
            "village": world.v11.pk,
            "uscc": "91350100M000100Y44",
            "legal_representative": "赵",
            "chair_name": "赵",
            "chair_is_branch_secretary": "on",
            "registered_capital": "1000",
            "main_industry": "crops",
            "status": "preparing",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "校验码" in page or "check character" in page
    assert Cooperative.objects.count() == 0
    # the village choices hold only the accountant's own village
    assert f'value="{world.v12.pk}"' not in page


def test_register_form_saves_and_redirects(client, world, uscc):
    client.force_login(world.acc_v11)
    response = client.post(
        "/cooperatives/new/",
        {
            "name": "东安村新社",
            "kind": "farmer",
            "village": world.v11.pk,
            "uscc": uscc,
            "legal_representative": "赵德明",
            "chair_name": "赵德明",
            "chair_is_branch_secretary": "on",
            "registered_capital": "200000.00",
            "main_industry": "crops",
            "status": "preparing",
            "operating_modes": ["self_run", "order"],
        },
    )
    coop = Cooperative.objects.get()
    assert response.status_code == 302 and response["Location"] == coop.get_absolute_url()
    assert coop.operating_modes == ["self_run", "order"]
    page = client.get(coop.get_absolute_url()).content.decode()
    assert "东安村新社" in page and "200,000.00" in page


def test_api_create_refuses_bad_uscc_with_code_and_scopes_lists(api_client, world, coops, uscc):
    api_client.force_authenticate(world.acc_v11)
    body = {
        "name": "API社",
        "village": world.v11.pk,
        "legal_representative": "赵",
        "chair_name": "赵",
        "registered_capital": "1000.00",
        "main_industry": "crops",
        "uscc": uscc[:17] + "Z",
    }
    response = api_client.post("/api/v1/cooperatives/", body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] in ("uscc_characters", "uscc_check")
    body["uscc"] = uscc
    response = api_client.post("/api/v1/cooperatives/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["region_code"] == "371323104201"
    names = {c["name"] for c in api_client.get("/api/v1/cooperatives/").json()["results"]}
    assert names == {"东安村果品合作社", "API社"}
    assert api_client.get(f"/api/v1/cooperatives/{coops['v21'].pk}/").status_code == 404
    # a foreign village id is not even a valid choice
    body.update(name="越界", village=world.v21.pk, uscc="")
    response = api_client.post("/api/v1/cooperatives/", body, format="json")
    assert response.status_code == 400


def test_member_sees_own_village_cooperative_only(client, world, coops):
    client.force_login(world.member_v11)
    assert client.get(f"/cooperatives/{coops['v11'].pk}/").status_code == 200
    assert client.get(f"/cooperatives/{coops['v12'].pk}/").status_code == 404
    assert client.get("/cooperatives/").status_code == 403
