"""Privacy within a jurisdiction (issue: hardening, finding 1): what a role may read of other people.

On the demo, the member 周大山 could POST a plan preview and read all members' names, holdings and
payouts, and every role read the board members' full resident ID numbers and phones. The preview and
the comparison now need the plan-drafting role; a person's ID number and phone are masked by one rule
(``core.privacy``) for everyone but the roster keepers of the village and the person themself.
"""

import re
from io import BytesIO

import pytest
from openpyxl import load_workbook
from rest_framework.test import APIClient

from cooperatives.models import BoardMember, Cooperative
from core import demo
from core.models import User
from core.privacy import mask_id_number, mask_phone

FULL_ID = re.compile(r"\b\d{17}[\dX]\b")


@pytest.fixture
def demo_world(db):
    demo.run()
    coop = Cooperative.objects.get(name__contains="东安村富民")
    # the board members' own ID numbers and phones, as an accountant records them (two of the
    # cooperative's members sit on the board)
    for person, (number, phone) in zip(
        BoardMember.objects.filter(cooperative=coop).order_by("pk"),
        coop.members.exclude(id_number="").order_by("pk").values_list("id_number", "phone"),
        strict=False,
    ):
        BoardMember.objects.filter(pk=person.pk).update(id_number=number, phone=phone or "13805391234")
    return coop


def _api(username):
    client = APIClient()
    client.force_authenticate(User.objects.get(username=username))
    return client


BODY = {"year": 2024, "surplus": "100000.00"}


def test_a_member_cannot_preview_or_compare_the_plans_of_the_cooperative(demo_world):
    body = {**BODY, "cooperative": demo_world.pk, "policy": "law", "policy_b": "217-law"}
    for path in ("preview", "compare"):
        response = _api("demo-member").post(f"/api/v1/dividends/plans/{path}/", body, format="json")
        assert response.status_code == 403, response.content[:300]
        assert "周大山" not in response.content.decode()
        # the township reviews filed plans, it does not draft them
        township = _api("demo-township").post(f"/api/v1/dividends/plans/{path}/", body, format="json")
        assert township.status_code == 403
        # the accountant, who drafts the plans, gets every member's figures
        drafted = _api("demo-accountant").post(f"/api/v1/dividends/plans/{path}/", body, format="json")
        assert drafted.status_code == 200, drafted.content[:300]


def test_masks_keep_the_region_code_and_the_last_digits():
    # by hand: 18 characters → 6 kept, 8 masked, 4 kept; 11 digits → 3 kept, 4 masked, 4 kept
    assert mask_id_number("37132319650312001X") == "371323********001X"
    assert mask_phone("13805391234") == "138****1234"
    assert mask_phone("5391234") == "*******" and mask_phone("") == ""


ROLES = {
    "demo-accountant": True,  # keeps the roster of 东安村
    "demo-chair": False,
    "demo-supervisor": False,
    "demo-township": False,
    "demo-county": False,
    "demo-member": False,
}


def test_board_members_id_numbers_and_phones_by_role(demo_world):
    board = BoardMember.objects.filter(cooperative=demo_world).exclude(id_number="").exclude(phone="")
    assert board.count() >= 2
    for username, full in ROLES.items():
        response = _api(username).get("/api/v1/board-members/", {"cooperative": demo_world.pk, "page_size": 100})
        if response.status_code == 403:  # a role that may not list board members at all reads nothing
            assert not full, username
            continue
        assert response.status_code == 200, username
        rows = {row["id"]: row for row in response.json()["results"]}
        for person in board:
            row = rows[person.pk]
            if full:
                assert (row["id_number"], row["phone"]) == (person.id_number, person.phone), username
            else:
                assert row["id_number"] == mask_id_number(person.id_number), username
                assert row["id_number_masked"] is True and row["phone"] == mask_phone(person.phone), username
        if not full:
            assert not FULL_ID.search(response.content.decode()), username


def test_the_member_page_and_the_roster_export_mask_the_phone_for_the_township(client, demo_world):
    member = demo_world.members.exclude(id_number="").order_by("pk").first()
    if not member.phone:
        type(member).objects.filter(pk=member.pk).update(phone="13905391234")
        member.refresh_from_db()
    client.force_login(User.objects.get(username="demo-township"))
    page = client.get(f"/members/{member.pk}/").content.decode()
    assert mask_phone(member.phone) in page and member.phone not in page
    assert member.id_number not in page
    export = client.get("/members/", {"cooperative": demo_world.pk, "format": "xlsx"})
    cells = " ".join(str(c.value) for row in load_workbook(BytesIO(export.content)).active.iter_rows() for c in row)
    assert mask_phone(member.phone) in cells and member.phone not in cells and member.id_number not in cells
    client.force_login(User.objects.get(username="demo-accountant"))
    page = client.get(f"/members/{member.pk}/").content.decode()
    assert member.phone in page and member.id_number in page


# -- finding 2: the audit trail and the import report ------------------------------------------------


def test_the_audit_trail_masks_id_numbers_and_phones_for_the_auditors(client, world):
    from io import BytesIO

    from openpyxl import load_workbook

    from members.services import member_update
    from tests.conftest import fresh
    from tests.factories import CooperativeFactory
    from tests.members.factories import MemberFactory

    coop = CooperativeFactory(village=world.v11)
    member = MemberFactory(cooperative=coop, phone="13805391234")
    member_update(actor=fresh(world.acc_v11), member=member, phone="13905395678")
    for auditor in (world.county_a_off, world.twp_t1):
        client.force_login(auditor)
        page = client.get("/audit/", {"region": coop.region_code}).content.decode()
        assert mask_id_number(member.id_number) in page and member.id_number not in page
        assert "139****5678" in page and "13905395678" not in page and "13805391234" not in page
        export = client.get("/audit/", {"region": coop.region_code, "format": "xlsx"})
        sheet = load_workbook(BytesIO(export.content)).active
        text = " ".join(str(c.value) for row in sheet.iter_rows() for c in row)
        assert member.id_number not in text and "13905395678" not in text
        assert mask_id_number(member.id_number) in text


def test_the_raw_roster_of_a_failed_import_goes_only_to_who_imports(client, world):
    from io import BytesIO

    from django.core.files.base import ContentFile
    from openpyxl import Workbook

    from shares.models import ImportBatch
    from tests.factories import CooperativeFactory

    coop = CooperativeFactory(village=world.v11)
    wb, buffer = Workbook(), BytesIO()
    wb.active.append(["姓名", "身份证号码"])
    wb.active.append(["赵德明", "37132319650312001X"])
    wb.save(buffer)
    batch = ImportBatch(
        cooperative=coop,
        region_code=coop.region_code,
        original_name="花名册.xlsx",
        created_by=world.acc_v11,
        state="invalid",
        errors=[{"row": 2, "column": "身份证号码", "message": "校验位错误"}],
    )
    batch.file.save("roster.xlsx", ContentFile(buffer.getvalue()), save=False)
    batch.save()
    url = f"/shares/import/{batch.pk}/report.xlsx"
    for user in (world.chair_v11, world.twp_t1, world.county_a_off):
        client.force_login(user)
        assert client.get(url).status_code == 404
        detail = client.get(f"/shares/import/{batch.pk}/").content.decode()
        assert url not in detail and "校验位错误" in detail  # the reasons stay readable
    client.force_login(world.acc_v11)
    assert client.get(url).status_code == 200


# -- issue 17: the birth date is the masked part of the ID number --------------------------------------


def test_the_birth_date_is_masked_with_the_id_number(client, world):
    import datetime
    from io import BytesIO

    from openpyxl import load_workbook

    from core.privacy import personal_value
    from tests.factories import CooperativeFactory
    from tests.members.factories import MemberFactory

    # 371323 19760315 2466: the mask 371323********2466 hides the birth date, so a full birth date
    # shown next to it gives the number back; where the ID number is masked, the year alone is shown
    born = datetime.date(1976, 3, 15)
    assert personal_value("birth_date", born, full=False) == "1976"
    assert personal_value("birth_date", born, full=True) == born
    member = MemberFactory(
        cooperative=CooperativeFactory(village=world.v11), id_number="371323197603152466", gender="F", birth_date=born
    )
    api = APIClient()
    for user, shown in ((world.twp_t1, "1976"), (world.chair_v11, "1976"), (world.acc_v11, "1976-03-15")):
        api.force_authenticate(user)
        data = api.get(f"/api/v1/members/{member.pk}/").json()
        assert data["birth_date"] == shown, user
        client.force_login(user)
        page = client.get(f"/members/{member.pk}/").content.decode()
        assert shown in page and (shown == "1976-03-15") == ("1976-03-15" in page), user
        sheet = load_workbook(BytesIO(client.get("/members/", {"format": "xlsx"}).content)).active
        cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row]
        assert any(c.startswith("1976-03-15") for c in cells) == (shown == "1976-03-15"), user
    # the audit trail keeps the member's creation with its fields, as the auditor may see them
    client.force_login(world.county_a_off)
    export = client.get("/audit/", {"region": world.v11.code, "format": "xlsx"})
    text = " ".join(str(c.value) for row in load_workbook(BytesIO(export.content)).active.iter_rows() for c in row)
    assert "371323********2466" in text and "1976-03-15" not in text
