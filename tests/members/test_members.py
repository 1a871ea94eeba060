"""Members: identity checks through the form and the API, uniqueness, masking, scoping, query counts."""

from io import BytesIO

import pytest
from django.db import IntegrityError, transaction
from openpyxl import load_workbook

from core.choices import Role
from core.exceptions import BusinessError
from members.models import Household, Member
from members.services import household_create, member_create, member_leave
from tests.conftest import fresh
from tests.factories import CooperativeFactory, UserFactory
from tests.members.factories import CollectiveFactory, HouseholdFactory, MemberFactory, resident_id

VALID_ID = "11010519491231002X"  # DOMAIN.md 6.1: S = 167, 167 mod 11 = 2 → "X"
VALID_USCC = "91350100M000100Y43"  # DOMAIN.md 6.2: S = 1640, 1640 mod 31 = 28 → 31 − 28 = 3


@pytest.fixture
def coop(world):
    return CooperativeFactory(name="东安村富民合作社", village=world.v11, status="operating")


@pytest.fixture
def household(world):
    return HouseholdFactory(village=world.v11, number="0001", head_name="张三")


def _form(**overrides):
    data = {
        "cooperative": "",
        "kind": "person",
        "name": "张三",
        "id_number": VALID_ID,
        "is_farmer": "on",
        "joined_on": "2024-03-01",
    }
    data.update(overrides)
    return data


def test_valid_id_through_the_form_stores_gender_and_birth_date(client, world, coop, household):
    client.force_login(world.acc_v11)
    response = client.post(f"/members/new/?cooperative={coop.pk}", _form(cooperative=coop.pk, household=household.pk))
    assert response.status_code == 302, response.content.decode()[:2000]
    member = Member.objects.get()
    # 11010519491231002X: birth 1949-12-31, sequence 002 is even → female
    assert member.id_number == VALID_ID and member.gender == "F" and str(member.birth_date) == "1949-12-31"
    assert member.number == 1 and member.region_code == coop.region_code


def test_lower_case_x_is_accepted_and_stored_upper_case(world, coop, household):
    member = member_create(
        actor=fresh(world.acc_v11), cooperative=coop, name="张三", id_number=VALID_ID.lower(), household=household
    )
    assert member.id_number == VALID_ID


def test_wrong_check_character_is_refused_naming_the_expected_one(client, world, coop, household):
    client.force_login(world.acc_v11)
    wrong = VALID_ID[:17] + "1"
    response = client.post(
        f"/members/new/?cooperative={coop.pk}",
        _form(cooperative=coop.pk, household=household.pk, id_number=wrong),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "“X”" in page  # the message names the expected check character, next to the field
    assert 'id="id_id_number"' in page and "is-invalid" in page
    assert not Member.objects.exists()


def test_api_refuses_a_wrong_id_with_a_code_and_accepts_the_right_one(api_client, world, coop, household):
    api_client.force_authenticate(world.acc_v11)
    body = {"cooperative": coop.pk, "kind": "person", "name": "张三", "household": household.pk}
    response = api_client.post("/api/v1/members/", {**body, "id_number": VALID_ID[:17] + "5"}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "id_check"
    assert "“X”" in response.json()["detail"] and response.json()["errors"] == {
        "id_number": [response.json()["detail"]]
    }
    response = api_client.post("/api/v1/members/", {**body, "id_number": VALID_ID}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["id_number"] == VALID_ID and response.json()["gender"] == "F"


def test_enterprise_credit_code_checked_through_the_api(api_client, world, coop):
    api_client.force_authenticate(world.acc_v11)
    body = {"cooperative": coop.pk, "kind": "enterprise", "name": "福州某农业公司", "is_farmer": False}
    response = api_client.post("/api/v1/members/", {**body, "uscc": VALID_USCC[:17] + "4"}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "uscc_check"
    assert "“3”" in response.json()["detail"]
    response = api_client.post("/api/v1/members/", {**body, "uscc": VALID_USCC}, format="json")
    assert response.status_code == 201, response.json()
    assert Member.objects.get().uscc == VALID_USCC


def test_credit_code_check_through_the_member_form(client, world, coop):
    client.force_login(world.acc_v11)
    data = {"cooperative": coop.pk, "kind": "enterprise", "name": "福州某农业公司", "joined_on": "2024-03-01"}
    response = client.post(f"/members/new/?cooperative={coop.pk}", {**data, "uscc": VALID_USCC[:17] + "Y"})
    assert response.status_code == 200 and "“3”" in response.content.decode()
    assert not Member.objects.exists()
    response = client.post(f"/members/new/?cooperative={coop.pk}", {**data, "uscc": VALID_USCC.lower()})
    assert response.status_code == 302
    member = Member.objects.get()
    assert member.uscc == VALID_USCC and not member.is_farmer and member.household is None


def test_same_person_twice_in_one_cooperative_is_refused_clearly(world, coop, household):
    acc = fresh(world.acc_v11)
    first = member_create(actor=acc, cooperative=coop, name="张三", id_number=VALID_ID, household=household)
    with pytest.raises(BusinessError) as exc:
        member_create(actor=acc, cooperative=coop, name="张三丰", id_number=VALID_ID, household=household)
    assert exc.value.code == "duplicate_member" and exc.value.field == "id_number"
    assert str(first.number) in exc.value.message
    # the database refuses it too, whatever writes the row
    with pytest.raises(IntegrityError), transaction.atomic():
        Member.objects.create(
            cooperative=coop, region_code=coop.region_code, number=99, name="x", id_number=VALID_ID, household=household
        )
    # the same person may belong to another cooperative
    other = CooperativeFactory(village=world.v11, name="东安村第二合作社")
    member_create(actor=acc, cooperative=other, name="张三", id_number=VALID_ID, household=household)


def test_a_person_needs_a_household_in_the_village(world, coop):
    acc = fresh(world.acc_v11)
    with pytest.raises(BusinessError) as exc:
        member_create(actor=acc, cooperative=coop, name="张三", id_number=VALID_ID)
    assert exc.value.field == "household"
    foreign = HouseholdFactory(village=world.v12)
    with pytest.raises(BusinessError) as exc:
        member_create(actor=acc, cooperative=coop, name="张三", id_number=VALID_ID, household=foreign)
    assert exc.value.code == "household_village"


def test_new_household_from_the_member_form(client, world, coop):
    client.force_login(world.acc_v11)
    response = client.post(
        f"/members/new/?cooperative={coop.pk}",
        _form(cooperative=coop.pk, new_household_number="0099", new_household_head="张大", new_household_size="4"),
    )
    assert response.status_code == 302
    member = Member.objects.get()
    assert member.household.number == "0099" and member.household.size == 4


def test_accountant_cannot_admit_into_another_village(world, coop, household):
    foreign = CooperativeFactory(village=world.v21, name="北岭村合作社")
    with pytest.raises(Exception):  # noqa: B017 - Http404 from assert_in_scope: the write rolls back
        member_create(
            actor=fresh(world.acc_v11),
            cooperative=foreign,
            name="张三",
            id_number=VALID_ID,
            household=HouseholdFactory(village=world.v21),
        )
    assert not Member.objects.exists()


def test_household_numbers_are_unique_per_village(world):
    acc = fresh(world.acc_v11)
    household_create(actor=acc, village=world.v11, number="0007", head_name="王五")
    with pytest.raises(BusinessError) as exc:
        household_create(actor=acc, village=world.v11, number="0007", head_name="赵六")
    assert exc.value.code == "duplicate_household"
    assert Household.objects.count() == 1


# -- masking ---------------------------------------------------------------------------------------
@pytest.fixture
def person(coop):
    return MemberFactory(cooperative=coop, name="李四", id_number="371323198001010011")


def test_township_sees_masked_ids_in_list_page_api_and_export(client, api_client, world, person):
    full, masked = person.id_number, "371323********0011"
    client.force_login(world.twp_t1)
    assert masked in client.get("/members/").content.decode()
    page = client.get(f"/members/{person.pk}/").content.decode()
    assert masked in page and full not in page
    ws = load_workbook(BytesIO(client.get("/members/", {"format": "xlsx"}).content)).active
    values = [c for row in ws.iter_rows(values_only=True) for c in row]
    assert masked in values and full not in values
    api_client.force_authenticate(world.county_a_off)
    data = api_client.get(f"/api/v1/members/{person.pk}/").json()
    assert data["id_number"] == masked and data["id_number_masked"] is True


def test_accountant_sees_the_full_id_on_the_member_page_and_in_the_export(client, world, person):
    client.force_login(world.acc_v11)
    assert person.id_number in client.get(f"/members/{person.pk}/").content.decode()
    # lists stay masked for everyone: a list is for finding people, not for reading ID numbers
    assert person.id_number not in client.get("/members/").content.decode()
    ws = load_workbook(BytesIO(client.get("/members/", {"format": "xlsx"}).content)).active
    assert person.id_number in [c for row in ws.iter_rows(values_only=True) for c in row]


# -- scoping ---------------------------------------------------------------------------------------
def test_foreign_members_are_404_on_pages_and_api(client, api_client, world, person):
    for user in (world.acc_v12, world.twp_t2, world.county_b_off):
        client.force_login(user)
        assert client.get(f"/members/{person.pk}/").status_code == 404
        api_client.force_authenticate(user)
        assert api_client.get(f"/api/v1/members/{person.pk}/").status_code == 404
    client.force_login(world.acc_v12)
    assert client.get(f"/members/{person.pk}/edit/").status_code == 404
    assert client.post(f"/members/{person.pk}/edit/", {"name": "改名"}).status_code == 404
    api_client.force_authenticate(world.acc_v12)
    assert api_client.patch(f"/api/v1/members/{person.pk}/", {"name": "改名"}, format="json").status_code == 404
    assert api_client.delete(f"/api/v1/members/{person.pk}/").status_code == 404
    person.refresh_from_db()
    assert person.name == "李四"
    # a foreign cooperative cannot be chosen to admit into
    coop_b = CooperativeFactory(village=world.v12, name="西岭村合作社")
    client.force_login(world.acc_v11)
    assert client.get(f"/members/new/?cooperative={coop_b.pk}").status_code == 404


def test_township_official_is_read_only(client, world, person):
    client.force_login(world.twp_t1)
    assert client.get(f"/members/{person.pk}/").status_code == 200
    assert client.get(f"/members/{person.pk}/edit/").status_code == 403
    assert client.get("/members/new/").status_code == 403


def test_a_member_sees_only_their_own_record(client, api_client, world, coop, person):
    me = MemberFactory(cooperative=coop, name="周大山", user=world.member_v11)
    client.force_login(world.member_v11)
    assert client.get(f"/members/{me.pk}/").status_code == 200
    assert client.get(f"/members/{person.pk}/").status_code == 404
    assert client.get("/members/").status_code == 403
    api_client.force_authenticate(world.member_v11)
    assert [m["id"] for m in api_client.get("/api/v1/members/").json()["results"]] == [me.pk]


def test_linking_a_login_needs_the_member_role_in_the_village(world, coop, household):
    acc = fresh(world.acc_v11)
    stranger = UserFactory(username="stranger", roles=[(Role.MEMBER, world.v12)])
    with pytest.raises(BusinessError) as exc:
        member_create(actor=acc, cooperative=coop, name="张三", id_number=VALID_ID, household=household, user=stranger)
    assert exc.value.code == "user_not_member_role"
    member = member_create(
        actor=acc, cooperative=coop, name="张三", id_number=VALID_ID, household=household, user=world.member_v11
    )
    assert member.user == world.member_v11


@pytest.mark.parametrize("n", [1, 30])
def test_member_list_query_count_does_not_grow(client, api_client, world, coop, django_assert_max_num_queries, n):
    CollectiveFactory(cooperative=coop)
    for i in range(n):
        MemberFactory(cooperative=coop, id_number=resident_id(700 + i))
    client.force_login(world.twp_t1)
    with django_assert_max_num_queries(10):
        assert client.get("/members/").status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get("/members/", {"format": "xlsx"}).status_code == 200
    api_client.force_authenticate(world.twp_t1)
    with django_assert_max_num_queries(8):
        assert api_client.get("/api/v1/members/").status_code == 200


def test_leaving_is_recorded_with_reason(world, coop, person):
    member = member_leave(actor=fresh(world.acc_v11), member=person, left_on=person.joined_on, reason="death")
    assert member.left_on == person.joined_on and not member.is_active
    with pytest.raises(BusinessError):
        member_leave(actor=fresh(world.acc_v11), member=member, left_on=person.joined_on, reason="death")
