"""Board, supervisory board and cross-serving: terms, positions, law Art. 33, scoping, pages, API."""

from __future__ import annotations

import datetime

import pytest
from django.http import Http404
from django.urls import reverse

from cooperatives.models import BoardMember, BoardTerm
from cooperatives.services.board import (
    board_member_create,
    board_member_delete,
    board_member_update,
    board_term_create,
    board_term_delete,
    board_term_update,
)
from core.exceptions import BusinessError, NotPermitted
from core.validators import id_check_character
from tests.conftest import COOPERATIVE_PAGE_MAX_QUERIES, fresh
from tests.cooperatives.factories import BoardMemberFactory, BoardTermFactory
from tests.factories import CooperativeFactory

D = datetime.date


def resident_id(first17: str) -> str:
    return first17 + id_check_character(first17)


ZHANG_1 = resident_id("37132319700101001")
ZHANG_2 = resident_id("37132319820505002")


@pytest.fixture
def coop(world):
    return CooperativeFactory(name="东安村富民果品专业合作社", village=world.v11)


@pytest.fixture
def terms(world, coop):
    """The current board and supervisory terms (2023-03-18 – 2028-03-17), as the accountant records them."""
    acc = fresh(world.acc_v11)
    dates = {"elected_on": D(2023, 3, 18), "start_date": D(2023, 3, 18), "end_date": D(2028, 3, 17)}
    board = board_term_create(actor=acc, cooperative=coop, body="board", number=1, **dates)
    supervisory = board_term_create(actor=acc, cooperative=coop, body="supervisory", number=1, **dates)
    return board, supervisory


def add(world, term, name, position, **extra):
    return board_member_create(actor=fresh(world.acc_v11), term=term, name=name, position=position, **extra)


# -- law Art. 33 ----------------------------------------------------------------------------------------------


def test_the_manager_cannot_also_be_a_supervisor(world, terms):
    board, supervisory = terms
    add(world, board, "张伟", "manager")
    with pytest.raises(BusinessError) as exc:
        add(world, supervisory, "张伟", "supervisor")
    assert (exc.value.code, exc.value.field) == ("supervisor_conflict", "position")
    assert "张伟" in exc.value.message
    assert not BoardMember.objects.filter(term=supervisory).exists()


@pytest.mark.parametrize("board_position", ["chair", "vice_chair", "director", "manager", "finance"])
def test_a_supervisor_cannot_take_a_board_side_position(world, terms, board_position):
    board, supervisory = terms
    add(world, supervisory, "王芳", "supervisory_chair")
    with pytest.raises(BusinessError) as exc:
        add(world, board, "王芳", board_position)
    assert exc.value.code == "supervisor_conflict"


def test_the_same_name_with_different_id_numbers_is_two_people(world, terms):
    board, supervisory = terms
    add(world, board, "张伟", "manager", id_number=ZHANG_1)
    # another 张伟 (different ID number) may be a supervisor
    assert add(world, supervisory, "张伟", "supervisor", id_number=ZHANG_2).pk
    # the same ID number under the same name is the same person: refused
    with pytest.raises(BusinessError) as exc:
        add(world, supervisory, "张伟", "supervisor", id_number=ZHANG_1.lower())
    assert exc.value.code in ("supervisor_conflict", "already_in_position")


def test_a_former_manager_may_supervise_a_later_term(world, coop):
    acc = fresh(world.acc_v11)
    old_board = board_term_create(
        actor=acc, cooperative=coop, body="board", number=1,
        elected_on=D(2018, 3, 18), start_date=D(2018, 3, 18), end_date=D(2023, 3, 17),
    )  # fmt: skip
    new_supervisory = board_term_create(
        actor=acc, cooperative=coop, body="supervisory", number=2,
        elected_on=D(2023, 3, 18), start_date=D(2023, 3, 18), end_date=D(2028, 3, 17),
    )  # fmt: skip
    add(world, old_board, "李强", "manager")
    # the terms do not overlap (2023-03-17 < 2023-03-18): allowed
    assert add(world, new_supervisory, "李强", "supervisor").pk
    # moving the old term's end into the new one would make him both at once: refused
    with pytest.raises(BusinessError) as exc:
        board_term_update(actor=acc, term=old_board, end_date=D(2023, 6, 30))
    assert exc.value.code == "supervisor_conflict"


def test_the_chair_may_double_as_manager(world, terms):
    board, _ = terms
    add(world, board, "赵德明", "chair", party_role="secretary", committee_role="director")
    # law Art. 35: the chair or a director may double as manager
    assert add(world, board, "赵德明", "manager").pk


# -- positions and terms --------------------------------------------------------------------------------------


def test_positions_belong_to_their_body_and_some_are_single(world, terms):
    board, supervisory = terms
    with pytest.raises(BusinessError) as exc:
        add(world, board, "孙丽", "supervisor")
    assert exc.value.code == "position_wrong_body"
    add(world, board, "赵德明", "chair")
    with pytest.raises(BusinessError) as exc:
        add(world, board, "钱进", "chair")
    assert exc.value.code == "position_taken"
    with pytest.raises(BusinessError) as exc:
        add(world, board, "赵德明", "chair")
    assert exc.value.code in ("already_in_position", "position_taken")
    add(world, supervisory, "孙丽", "supervisor")
    # either one executive supervisor or a supervisory board
    with pytest.raises(BusinessError) as exc:
        add(world, supervisory, "周平", "executive_supervisor")
    assert exc.value.code == "executive_supervisor_alone"


def test_term_dates_and_overlap(world, coop, terms):
    acc = fresh(world.acc_v11)
    cases = [
        ({"start_date": D(2028, 3, 18), "end_date": D(2028, 3, 18)}, "term_dates"),
        (
            {"elected_on": D(2028, 4, 1), "start_date": D(2028, 3, 18), "end_date": D(2033, 3, 17)},
            "elected_after_start",
        ),
        ({"number": 1, "start_date": D(2028, 3, 18), "end_date": D(2033, 3, 17)}, "term_number_taken"),
        ({"start_date": D(2028, 3, 17), "end_date": D(2033, 3, 16)}, "term_overlap"),  # 2028-03-17 is in term 1
    ]
    for overrides, code in cases:
        data = {"body": "board", "number": 2, "elected_on": D(2028, 3, 1), **overrides}
        with pytest.raises(BusinessError) as exc:
            board_term_create(actor=acc, cooperative=coop, **data)
        assert exc.value.code == code, overrides
    term = board_term_create(
        actor=acc, cooperative=coop, body="board", number=2,
        elected_on=D(2028, 3, 1), start_date=D(2028, 3, 18), end_date=D(2033, 3, 17),
    )  # fmt: skip
    assert term.region_code == coop.region_code


def test_a_term_with_people_is_not_deleted(world, terms):
    board, _ = terms
    member = add(world, board, "赵德明", "chair")
    with pytest.raises(BusinessError) as exc:
        board_term_delete(actor=fresh(world.acc_v11), term=board)
    assert exc.value.code == "term_not_empty"
    board_member_delete(actor=fresh(world.acc_v11), member=member)
    board_term_delete(actor=fresh(world.acc_v11), term=board)
    assert not BoardTerm.objects.filter(pk=board.pk).exists()


def test_a_bad_id_number_is_refused_next_to_its_field(world, terms):
    board, _ = terms
    with pytest.raises(BusinessError) as exc:
        add(world, board, "赵德明", "chair", id_number=ZHANG_1[:17] + ("0" if ZHANG_1[17] != "0" else "1"))
    assert exc.value.field == "id_number"


# -- who may keep the records -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "refusal"),
    [("twp_t1", NotPermitted), ("county_a_off", NotPermitted), ("chair_v11", NotPermitted), ("acc_v12", Http404)],
)
def test_only_the_village_accountant_keeps_the_board(world, coop, terms, who, refusal):
    board, _ = terms
    member = add(world, board, "赵德明", "chair")
    actor = fresh(getattr(world, who))
    with pytest.raises(refusal):
        board_term_create(
            actor=actor, cooperative=coop, body="board", number=2,
            elected_on=D(2028, 3, 1), start_date=D(2028, 3, 18), end_date=D(2033, 3, 17),
        )  # fmt: skip
    with pytest.raises(refusal):
        board_member_create(actor=actor, term=board, name="钱进", position="director")
    with pytest.raises(refusal):
        board_member_update(actor=actor, member=member, committee_role="member")
    assert BoardTerm.objects.count() == 2 and BoardMember.objects.count() == 1


def test_pages_scope_and_roles(client, world, coop, terms):
    board, _ = terms
    member = add(world, board, "赵德明", "chair")
    client.force_login(world.twp_t1)
    assert client.get(reverse("cooperatives:board", args=[coop.pk])).status_code == 200
    assert client.get(reverse("cooperatives:boardmember_edit", args=[member.pk])).status_code == 403
    client.force_login(world.twp_t2)
    assert client.get(reverse("cooperatives:board", args=[coop.pk])).status_code == 404
    client.force_login(world.acc_v12)
    assert client.get(reverse("cooperatives:boardmember_edit", args=[member.pk])).status_code == 404
    response = client.post(reverse("cooperatives:boardmember_delete", args=[member.pk]))
    assert response.status_code == 404
    assert BoardMember.objects.filter(pk=member.pk).exists()
    client.force_login(world.member_v11)
    assert client.get(reverse("cooperatives:board", args=[coop.pk])).status_code == 200


# -- pages ---------------------------------------------------------------------------------------------------------


def test_cross_serving_table_on_the_cooperative_page(client, world, coop, terms):
    board, supervisory = terms
    add(world, board, "赵德明", "chair", party_role="secretary", committee_role="director")
    add(world, board, "赵德明", "manager")
    add(world, board, "钱秀兰", "director", party_role="committee_member")
    add(world, supervisory, "孙丽华", "supervisory_chair", committee_role="member")
    add(world, supervisory, "周大山", "supervisor")
    client.force_login(world.county_a_off)
    response = client.get(coop.get_absolute_url())
    section = next(s for s in response.context["sections"] if s["key"] == "board")
    rows = {r["name"]: r for r in section["people"]}
    # one row per person: the chair who is also the manager is one row with two posts
    assert list(rows) == ["赵德明", "钱秀兰", "孙丽华", "周大山"]
    assert len(rows["赵德明"]["positions"]) == 2
    assert section["cross_serving"] == 3  # 赵德明, 钱秀兰, 孙丽华 hold two-committee posts; 周大山 does not
    page = response.content.decode()
    for name in rows:
        assert name in page


def test_member_form_shows_the_article_33_refusal_next_to_the_field(client, world, terms):
    board, supervisory = terms
    add(world, board, "张伟", "finance")
    client.force_login(world.acc_v11)
    url = reverse("cooperatives:boardmember_add", args=[supervisory.pk])
    page = client.get(url).content.decode()
    for name in ("name", "id_number", "position", "party_role", "committee_role"):
        assert f'for="id_{name}"' in page
    assert 'value="manager"' not in page  # only supervisory positions are offered
    response = client.post(url, {"name": "张伟", "position": "supervisor"})
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()
    assert not BoardMember.objects.filter(term=supervisory).exists()
    response = client.post(url, {"name": "孙丽华", "position": "supervisor", "party_role": "committee_member"})
    assert response.status_code == 302 and response["Location"] == reverse(
        "cooperatives:board", args=[board.cooperative_id]
    )


def test_term_form_creates_and_edits(client, world, coop):
    client.force_login(world.acc_v11)
    url = reverse("cooperatives:boardterm_add", args=[coop.pk])
    data = {
        "body": "board",
        "number": 1,
        "elected_on": "2023-03-18",
        "start_date": "2023-03-18",
        "end_date": "2023-03-01",
    }
    response = client.post(url, data)
    assert response.status_code == 200 and "invalid-feedback" in response.content.decode()
    response = client.post(url, {**data, "end_date": "2028-03-17"})
    assert response.status_code == 302
    term = BoardTerm.objects.get()
    response = client.post(reverse("cooperatives:boardterm_edit", args=[term.pk]), {**data, "end_date": "2028-03-18"})
    assert response.status_code == 302
    term.refresh_from_db()
    assert term.end_date == D(2028, 3, 18)


# -- API -----------------------------------------------------------------------------------------------------------


def test_api_terms_and_members(api_client, world, coop):
    api_client.force_authenticate(world.acc_v11)
    term_body = {
        "cooperative": coop.pk,
        "body": "board",
        "number": 1,
        "elected_on": "2023-03-18",
        "start_date": "2023-03-18",
        "end_date": "2028-03-17",
    }
    board = api_client.post("/api/v1/board-terms/", term_body, format="json")
    assert board.status_code == 201, board.json()
    supervisory = api_client.post("/api/v1/board-terms/", {**term_body, "body": "supervisory"}, format="json")
    response = api_client.post(
        "/api/v1/board-members/",
        {"term": board.json()["id"], "name": "张伟", "position": "manager", "committee_role": "member"},
        format="json",
    )
    assert response.status_code == 201 and response.json()["cooperative"] == coop.pk
    response = api_client.post(
        "/api/v1/board-members/",
        {"term": supervisory.json()["id"], "name": "张伟", "position": "supervisor"},
        format="json",
    )
    assert (response.status_code, response.json()["code"]) == (400, "supervisor_conflict")
    assert response.json()["errors"] == {"position": [response.json()["detail"]]}
    listed = api_client.get("/api/v1/board-terms/", {"cooperative": coop.pk}).json()["results"]
    assert {t["body"]: len(t["members"]) for t in listed} == {"board": 1, "supervisory": 0}

    # another village's accountant sees nothing and cannot write into the term
    api_client.force_authenticate(world.acc_v21)
    assert api_client.get(f"/api/v1/board-terms/{board.json()['id']}/").status_code == 404
    response = api_client.post(
        "/api/v1/board-members/", {"term": board.json()["id"], "name": "越界", "position": "director"}, format="json"
    )
    assert response.status_code == 400  # not a valid term for this caller
    # the township sees it but may not change it
    api_client.force_authenticate(world.twp_t1)
    response = api_client.patch(f"/api/v1/board-terms/{board.json()['id']}/", {"note": "改"}, format="json")
    assert response.status_code == 403


@pytest.mark.parametrize("n", [1, 30])
def test_board_page_query_count_does_not_grow(client, world, coop, django_assert_max_num_queries, n):
    term = BoardTermFactory(cooperative=coop)
    for i in range(n):
        BoardMemberFactory(term=term, name=f"理事{i}")
    client.force_login(world.acc_v11)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("cooperatives:board", args=[coop.pk])).status_code == 200
    # the cooperative page: a fixed number of queries per section (charter, board, federation,
    # classification, matters, projects, archive, seal), the same for 1 member or many
    with django_assert_max_num_queries(COOPERATIVE_PAGE_MAX_QUERIES):
        assert client.get(coop.get_absolute_url()).status_code == 200
