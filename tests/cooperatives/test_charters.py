"""Charters: every state of the flow, who may do each step, the assembly's thresholds, the version in force.

Assertions read the database, URLs and the data typed in, not translated labels, so they hold
whatever the Chinese catalogue says.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from cooperatives.choices import CharterReviewItem
from cooperatives.models import Charter, CharterAttachment, CharterItemReview
from cooperatives.services.charters import (
    charter_amend,
    charter_attachment_add,
    charter_create,
    charter_file,
    charter_record_vote,
    charter_review,
    charter_submit,
    charter_update,
    charter_withdraw,
    two_thirds_of,
)
from core.exceptions import BusinessError, NotPermitted, StateConflict
from core.models import ApprovalRequest
from core.selectors import approval_inbox
from tests.conftest import COOPERATIVE_PAGE_MAX_QUERIES, fresh
from tests.cooperatives.factories import SECTIONS, BoardMemberFactory, BoardTermFactory, CharterFactory
from tests.factories import CooperativeFactory, RegionFactory

ALL_PASS = {item: {"result": "pass", "comment": ""} for item in CharterReviewItem.values}


def returning(item: str, comment: str) -> dict:
    return {**ALL_PASS, item: {"result": "return", "comment": comment}}


def vote(**overrides) -> dict:
    # 30 members; 25 present (≥ 20); 22 for (≥ 20 = ⅔ × 30)
    data = {
        "vote_date": timezone.localdate(),
        "members_total": 30,
        "members_present": 25,
        "votes_for": 22,
        "votes_against": 2,
        "votes_abstain": 1,
    }
    return {**data, **overrides}


@pytest.fixture
def coop(world):
    return CooperativeFactory(
        name="东安村富民果品专业合作社",
        village=world.v11,
        status="operating",
        address="东安村村委大院",
        business_scope="果品种植",
    )


def draft(world, coop, **overrides) -> Charter:
    return charter_create(actor=fresh(world.acc_v11), cooperative=coop, **{**SECTIONS, **overrides})


def at_state(world, coop, state: str) -> Charter:
    """A version of ``coop`` brought through the services to ``state``."""
    charter = draft(world, coop)
    steps = [
        ("submitted", lambda c: charter_submit(actor=fresh(world.acc_v11), charter=c)),
        ("township_approved", lambda c: charter_review(actor=fresh(world.twp_t1), charter=c, items=ALL_PASS)),
        ("adopted", lambda c: charter_record_vote(actor=fresh(world.acc_v11), charter=c, **vote())),
        (
            "effective",
            lambda c: charter_file(actor=fresh(world.county_a_off), charter=c, filed_on=timezone.localdate()),
        ),
    ]
    for reached, step in steps:
        if charter.state == state:
            break
        charter = step(charter)
        assert charter.state == reached
    return charter


# -- the flow ---------------------------------------------------------------------------------------------


def test_flow_through_every_state_with_a_returned_item_and_an_amendment(world, coop):
    acc, twp, county = fresh(world.acc_v11), fresh(world.twp_t1), fresh(world.county_a_off)
    today = timezone.localdate()

    v1 = draft(world, coop)
    assert (v1.version, v1.state, v1.region_code) == (1, "draft", "371323104201")
    # name and domicile come from the registry; the distribution policy from the county's profile (law)
    assert (v1.registered_name, v1.domicile, v1.distribution_policy) == (coop.name, "东安村村委大院", "law")

    v1 = charter_submit(actor=acc, charter=v1)
    assert (v1.state, v1.review_round) == ("submitted", 1)
    assert approval_inbox(twp).filter(pk=v1.approval_id).exists()

    # the township returns one item of six, with a comment the village sees
    v1 = charter_review(actor=twp, charter=v1, items=returning("share_structure", "写明集体股的具体比例"))
    assert v1.state == "returned"
    round1 = {r.item: (r.result, r.comment) for r in CharterItemReview.objects.filter(charter=v1, round=1)}
    assert len(round1) == 6
    assert round1["share_structure"] == ("return", "写明集体股的具体比例")
    assert all(result == "pass" for item, (result, _c) in round1.items() if item != "share_structure")
    step = v1.approval.steps.get(action="return")
    assert step.details["checklist"]["share_structure"] == {"result": "return", "comment": "写明集体股的具体比例"}
    assert "写明集体股的具体比例" in step.comment

    v1 = charter_update(actor=acc, charter=v1, share_structure="村集体股占30%，单个成员不超过20%。")
    v1 = charter_submit(actor=acc, charter=v1, comment="已按意见修改")
    assert (v1.state, v1.review_round) == ("submitted", 2)
    v1 = charter_review(actor=twp, charter=v1, items=ALL_PASS, comment="同意")
    assert v1.state == "township_approved"
    assert CharterItemReview.objects.filter(charter=v1, round=2, result="pass").count() == 6

    v1 = charter_record_vote(actor=acc, charter=v1, **vote())
    assert (v1.state, v1.meeting, v1.votes_for) == ("adopted", "member_assembly", 22)
    v1 = charter_file(actor=county, charter=v1, filed_on=today, filing_number="沂组备〔2026〕7号")
    assert (v1.state, v1.filed_by_id, v1.filing_number) == ("effective", world.county_a_off.pk, "沂组备〔2026〕7号")
    assert list(v1.approval.steps.order_by("pk").values_list("action", flat=True)) == [
        "create",
        "submit",
        "return",
        "submit",
        "approve",
    ]

    # an amendment opens version 2 as a copy of the version in force, and goes through the same steps
    v2 = charter_amend(actor=acc, charter=v1, amendment_note="增加乡村旅游业务")
    assert (v2.version, v2.state, v2.based_on_id) == (2, "draft", v1.pk)
    assert v2.share_structure == "村集体股占30%，单个成员不超过20%。"
    v2 = charter_update(actor=acc, charter=v2, business_scope="果品种植；乡村采摘旅游。")
    v2 = charter_submit(actor=acc, charter=v2)
    assert v2.approval_id != v1.approval_id
    v2 = charter_review(actor=twp, charter=v2, items=ALL_PASS)
    v2 = charter_record_vote(actor=acc, charter=v2, **vote())
    v1.refresh_from_db()
    assert v1.state == "effective"  # still in force until the county files version 2
    v2 = charter_file(actor=county, charter=v2, filed_on=today)
    v1.refresh_from_db()
    assert (v1.state, v2.state) == ("superseded", "effective")
    assert v1.superseded_at is not None


def test_effective_version_stays_in_force_while_v2_is_under_review(client, world, coop):
    v1 = at_state(world, coop, "effective")
    acc = fresh(world.acc_v11)
    v2 = charter_amend(actor=acc, charter=v1)
    v2 = charter_submit(actor=acc, charter=v2)
    client.force_login(world.twp_t1)
    page = client.get(coop.get_absolute_url()).content.decode()
    # the charter section links the version in force and the amendment under way
    assert f'href="{v1.get_absolute_url()}"' in page and f'href="{v2.get_absolute_url()}"' in page
    assert Charter.objects.get(pk=v1.pk).state == "effective"
    # the township returns it: version 1 is still in force
    charter_review(actor=fresh(world.twp_t1), charter=v2, items=returning("organisation", "监事会人数写清楚"))
    assert Charter.objects.get(pk=v1.pk).state == "effective"
    v2 = charter_submit(actor=acc, charter=v2)
    v2 = charter_review(actor=fresh(world.twp_t1), charter=v2, items=ALL_PASS)
    v2 = charter_record_vote(actor=acc, charter=v2, **vote())
    assert Charter.objects.get(pk=v1.pk).state == "effective"
    charter_file(actor=fresh(world.county_a_off), charter=v2, filed_on=timezone.localdate())
    assert dict(Charter.objects.filter(cooperative=coop).values_list("version", "state")) == {
        1: "superseded",
        2: "effective",
    }
    page = client.get(coop.get_absolute_url()).content.decode()
    assert f'href="{v2.get_absolute_url()}"' in page
    assert f'href="{v1.get_absolute_url()}"' not in page


# -- who does each step -------------------------------------------------------------------------------------


def _today():
    return timezone.localdate()


STEPS = {
    "edit": ("draft", lambda a, c: charter_update(actor=a, charter=c, business_scope="改")),
    "submit": ("draft", lambda a, c: charter_submit(actor=a, charter=c)),
    "withdraw": ("draft", lambda a, c: charter_withdraw(actor=a, charter=c)),
    "review": ("submitted", lambda a, c: charter_review(actor=a, charter=c, items=ALL_PASS)),
    "vote": ("township_approved", lambda a, c: charter_record_vote(actor=a, charter=c, **vote())),
    "file": ("adopted", lambda a, c: charter_file(actor=a, charter=c, filed_on=_today())),
    "amend": ("effective", lambda a, c: charter_amend(actor=a, charter=c)),
}


@pytest.mark.parametrize(
    ("step", "who", "refusal"),
    [
        ("edit", "twp_t1", NotPermitted),
        ("edit", "county_a_off", NotPermitted),
        ("edit", "chair_v11", NotPermitted),
        ("edit", "acc_v12", Http404),
        ("edit", "member_v11", Http404),
        ("submit", "twp_t1", NotPermitted),
        ("submit", "chair_v11", NotPermitted),
        ("submit", "county_a_off", NotPermitted),
        ("withdraw", "twp_t1", NotPermitted),
        ("review", "acc_v11", NotPermitted),
        ("review", "chair_v11", NotPermitted),
        ("review", "county_a_off", NotPermitted),
        ("review", "twp_t2", Http404),
        ("review", "twp_t3", Http404),
        ("vote", "twp_t1", NotPermitted),
        ("vote", "county_a_off", NotPermitted),
        ("vote", "chair_v11", NotPermitted),
        ("file", "acc_v11", NotPermitted),
        ("file", "twp_t1", NotPermitted),
        ("file", "chair_v11", NotPermitted),
        ("file", "county_b_off", Http404),
        ("amend", "twp_t1", NotPermitted),
        ("amend", "county_a_off", NotPermitted),
        ("amend", "acc_v21", Http404),
    ],
)
def test_each_step_is_refused_to_the_wrong_role(world, coop, step, who, refusal):
    state, perform = STEPS[step]
    charter = at_state(world, coop, state)
    versions_before = Charter.objects.count()
    with pytest.raises(refusal):
        perform(fresh(getattr(world, who)), charter)
    charter.refresh_from_db()
    assert charter.state == state
    assert Charter.objects.count() == versions_before


@pytest.mark.parametrize(
    ("who", "refusal"), [("twp_t1", NotPermitted), ("chair_v11", NotPermitted), ("acc_v12", Http404)]
)
def test_only_the_village_accountant_drafts(world, coop, who, refusal):
    with pytest.raises(refusal):
        charter_create(actor=fresh(getattr(world, who)), cooperative=coop, **SECTIONS)
    assert Charter.objects.count() == 0


@pytest.mark.parametrize(
    ("who", "url_name", "expected"),
    [
        ("acc_v11", "charter_review", 403),
        ("county_a_off", "charter_review", 403),
        ("twp_t1", "charter_edit", 403),
        ("county_a_off", "charter_vote", 403),
        ("acc_v11", "charter_file", 403),
        ("twp_t1", "charter_file", 403),
        ("twp_t2", "charter_detail", 404),
        ("acc_v12", "charter_edit", 404),
    ],
)
def test_pages_of_each_step_refuse_other_roles(client, world, coop, who, url_name, expected):
    charter = at_state(world, coop, "submitted")
    client.force_login(getattr(world, who))
    assert client.get(reverse(f"cooperatives:{url_name}", args=[charter.pk])).status_code == expected


@pytest.mark.parametrize(
    ("who", "action", "payload", "expected"),
    [
        ("acc_v11", "review", {"items": [{"item": k, "result": "pass"} for k in CharterReviewItem.values]}, 403),
        ("county_a_off", "review", {"items": [{"item": k, "result": "pass"} for k in CharterReviewItem.values]}, 403),
        ("twp_t1", "file", {"filed_on": "2026-01-01"}, 403),
        ("twp_t1", "submit", {}, 403),
        ("acc_v12", "submit", {}, 404),
    ],
)
def test_api_refuses_each_step_to_other_roles(api_client, world, coop, who, action, payload, expected):
    charter = at_state(world, coop, "submitted" if action != "submit" else "draft")
    state = charter.state
    api_client.force_authenticate(getattr(world, who))
    response = api_client.post(f"/api/v1/charters/{charter.pk}/{action}/", payload, format="json")
    assert response.status_code == expected
    assert "code" in response.json()
    charter.refresh_from_db()
    assert charter.state == state


def test_a_township_official_cannot_review_another_townships_charter(client, api_client, world, coop):
    charter = at_state(world, coop, "submitted")
    client.force_login(world.twp_t2)
    url = reverse("cooperatives:charter_review", args=[charter.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {f"{k}_result": "pass" for k in CharterReviewItem.values}).status_code == 404
    assert client.get(charter.get_absolute_url()).status_code == 404
    assert client.get(reverse("core:approval_detail", args=[charter.approval_id])).status_code == 404
    api_client.force_authenticate(world.twp_t2)
    items = [{"item": k, "result": "pass"} for k in CharterReviewItem.values]
    assert api_client.post(f"/api/v1/charters/{charter.pk}/review/", {"items": items}, format="json").status_code == 404
    assert api_client.get(f"/api/v1/charters/{charter.pk}/").status_code == 404
    assert api_client.post(f"/api/v1/approvals/{charter.approval_id}/approve/", {}, format="json").status_code == 404
    charter.refresh_from_db()
    assert charter.state == "submitted"
    assert not CharterItemReview.objects.exists()


# -- the member assembly's vote (law Arts. 14, 30) ------------------------------------------------------------


def test_two_thirds_rounds_up():
    # ⅔ × 30 = 20; ⅔ × 31 = 20.67 → 21; ⅔ × 10 = 6.67 → 7; ⅔ × 3 = 2
    assert [two_thirds_of(n) for n in (30, 31, 10, 3)] == [20, 21, 7, 2]


@pytest.mark.parametrize(
    ("total", "present", "votes_for", "against", "abstain", "code"),
    [
        # 30 members: the quorum is 20 present (20 × 3 = 60 = 30 × 2); 19 present: 57 < 60
        (30, 19, 19, 0, 0, "quorum_not_met"),
        (30, 20, 20, 0, 0, None),
        # 20 present and 19 of them for: 19 of 20 present, but 19 × 3 = 57 < 60 of all 30 members' votes
        (30, 20, 19, 1, 0, "two_thirds_not_reached"),
        (30, 30, 19, 11, 0, "two_thirds_not_reached"),
        (30, 30, 20, 10, 0, None),
        # 31 members: ⅔ × 31 = 20.67, so 21 are needed; 20 present: 60 < 62
        (31, 20, 20, 0, 0, "quorum_not_met"),
        (31, 21, 21, 0, 0, None),
        (31, 31, 20, 11, 0, "two_thirds_not_reached"),
        # counts that cannot be
        (30, 31, 25, 0, 0, "present_exceeds_total"),
        (30, 20, 20, 1, 0, "votes_exceed_present"),
    ],
)
def test_member_assembly_thresholds(world, coop, total, present, votes_for, against, abstain, code):
    charter = at_state(world, coop, "township_approved")
    numbers = vote(
        members_total=total,
        members_present=present,
        votes_for=votes_for,
        votes_against=against,
        votes_abstain=abstain,
    )
    if code is None:
        charter = charter_record_vote(actor=fresh(world.acc_v11), charter=charter, **numbers)
        assert (charter.state, charter.meeting) == ("adopted", "member_assembly")
        return
    with pytest.raises(BusinessError) as exc:
        charter_record_vote(actor=fresh(world.acc_v11), charter=charter, **numbers)
    assert exc.value.code == code
    charter.refresh_from_db()
    assert (charter.state, charter.votes_for) == ("township_approved", None)


def test_quorum_message_gives_the_numbers(world, coop):
    charter = at_state(world, coop, "township_approved")
    with pytest.raises(BusinessError) as exc:
        charter_record_vote(
            actor=fresh(world.acc_v11),
            charter=charter,
            **vote(members_present=19, votes_for=19, votes_against=0, votes_abstain=0),
        )
    # needed 20 of 30, 19 attended
    assert all(n in exc.value.message for n in ("20", "30", "19"))
    assert exc.value.field == "members_present"


@pytest.mark.parametrize(
    ("present", "votes_for", "code"),
    [
        (9, 9, "founding_not_all_present"),  # 9 of 10 founders attended
        (10, 9, "founding_not_unanimous"),  # 9 of 10 voted for: 90% is not unanimous
        (10, 10, None),
    ],
)
def test_first_charter_of_a_cooperative_being_founded_is_adopted_unanimously(world, present, votes_for, code):
    coop = CooperativeFactory(village=world.v11, status="preparing", address="东安村")
    charter = at_state(world, coop, "township_approved")
    numbers = vote(members_total=10, members_present=present, votes_for=votes_for, votes_against=0, votes_abstain=0)
    if code is None:
        charter = charter_record_vote(actor=fresh(world.acc_v11), charter=charter, **numbers)
        assert (charter.state, charter.meeting) == ("adopted", "founding")
        return
    with pytest.raises(BusinessError) as exc:
        charter_record_vote(actor=fresh(world.acc_v11), charter=charter, **numbers)
    assert exc.value.code == code


def test_vote_waits_for_the_township_and_filing_for_the_vote(world, coop):
    charter = at_state(world, coop, "submitted")
    with pytest.raises(StateConflict) as exc:
        charter_record_vote(actor=fresh(world.acc_v11), charter=charter, **vote())
    assert exc.value.code == "not_township_approved"
    charter = charter_review(actor=fresh(world.twp_t1), charter=charter, items=ALL_PASS)
    with pytest.raises(StateConflict) as exc:
        charter_file(actor=fresh(world.county_a_off), charter=charter, filed_on=timezone.localdate())
    assert exc.value.code == "not_adopted"
    tomorrow = timezone.localdate() + timezone.timedelta(days=1)
    with pytest.raises(BusinessError) as exc:
        charter_record_vote(actor=fresh(world.acc_v11), charter=charter, **vote(vote_date=tomorrow))
    assert exc.value.code == "vote_in_future"


# -- section and checklist rules -----------------------------------------------------------------------------


def test_submission_needs_every_reviewed_section_and_writes_nothing_otherwise(world, coop):
    charter = draft(world, coop, organisation="")
    with pytest.raises(BusinessError) as exc:
        charter_submit(actor=fresh(world.acc_v11), charter=charter)
    assert (exc.value.code, exc.value.field) == ("section_required", "organisation")
    charter.refresh_from_db()
    assert charter.state == "draft" and charter.approval_id is None
    assert ApprovalRequest.objects.count() == 0


def test_distribution_policy_defaults_from_the_county_and_must_not_be_empty(world, coop):
    from core.models import CountyPolicy, PolicyProfile

    CountyPolicy.objects.create(county=world.county_a, profile=PolicyProfile.objects.get(code="seed-004"))
    charter = draft(world, coop)
    # seed 004's default for a farmer cooperative: 217 inside the cooperative law (DOMAIN.md §1.3)
    assert charter.distribution_policy == "217-law"
    with pytest.raises(BusinessError) as exc:
        charter_update(actor=fresh(world.acc_v11), charter=charter, distribution_policy="  ")
    assert exc.value.code == "distribution_policy_required"
    # any code is accepted: the dividends app owns the list of policies
    assert charter_update(actor=fresh(world.acc_v11), charter=charter, distribution_policy="reserve-cap-15")


def test_collective_veto_names_its_matters(world, coop):
    with pytest.raises(BusinessError) as exc:
        draft(world, coop, collective_veto=True, collective_veto_matters="")
    assert exc.value.code == "collective_veto_matters_required"
    charter = draft(world, coop, collective_veto=True, collective_veto_matters="合并、分立、解散；对外担保")
    assert charter.collective_veto


@pytest.mark.parametrize(
    ("items", "code"),
    [
        ({k: v for k, v in ALL_PASS.items() if k != "organisation"}, "checklist_incomplete"),
        (returning("business_scope", ""), "checklist_comment_required"),
        ({**ALL_PASS, "name_address": {"result": "maybe"}}, "checklist_bad_result"),
        ({**ALL_PASS, "seal": {"result": "pass"}}, "checklist_unknown_item"),
        ({}, "checklist_required"),
    ],
)
def test_checklist_must_cover_six_items_with_reasons(world, coop, items, code):
    charter = at_state(world, coop, "submitted")
    with pytest.raises(BusinessError) as exc:
        charter_review(actor=fresh(world.twp_t1), charter=charter, items=items)
    assert exc.value.code == code
    charter.refresh_from_db()
    assert charter.state == "submitted"


def test_the_generic_approval_door_needs_the_checklist(client, api_client, world, coop):
    charter = at_state(world, coop, "submitted")
    client.force_login(world.twp_t1)
    client.post(reverse("core:approval_act", args=[charter.approval_id]), {"action": "approve"})
    charter.refresh_from_db()
    assert charter.state == "submitted" and charter.approval.state == "submitted"
    api_client.force_authenticate(world.twp_t1)
    url = f"/api/v1/approvals/{charter.approval_id}/approve/"
    response = api_client.post(url, {}, format="json")
    assert (response.status_code, response.json()["code"]) == (400, "checklist_required")
    # the same door works with the checklist in the step details
    response = api_client.post(url, {"details": {"checklist": ALL_PASS}}, format="json")
    assert response.status_code == 200
    charter.refresh_from_db()
    assert charter.state == "township_approved"
    assert CharterItemReview.objects.filter(charter=charter).count() == 6


def test_rejection_and_withdrawal_close_the_version(client, world, coop):
    charter = at_state(world, coop, "submitted")
    client.force_login(world.twp_t1)
    client.post(reverse("core:approval_act", args=[charter.approval_id]), {"action": "reject", "comment": "不具备条件"})
    charter.refresh_from_db()
    assert charter.state == "rejected"
    # a new version can be drafted; it gets the next number
    again = draft(world, coop)
    assert again.version == 2
    again = charter_submit(actor=fresh(world.acc_v11), charter=again)
    again = charter_withdraw(actor=fresh(world.acc_v11), charter=again)
    assert again.state == "withdrawn" and again.approval.state == "withdrawn"


def test_one_version_open_at_a_time(world, coop):
    v1 = at_state(world, coop, "effective")
    with pytest.raises(StateConflict) as exc:
        draft(world, coop)
    assert exc.value.code == "use_amendment"
    charter_amend(actor=fresh(world.acc_v11), charter=v1)
    with pytest.raises(StateConflict) as exc:
        charter_amend(actor=fresh(world.acc_v11), charter=v1)
    assert exc.value.code == "open_version_exists"


def test_a_submitted_version_cannot_be_edited(world, coop):
    charter = at_state(world, coop, "submitted")
    with pytest.raises(StateConflict) as exc:
        charter_update(actor=fresh(world.acc_v11), charter=charter, business_scope="改")
    assert exc.value.code == "not_editable"


# -- attachments -----------------------------------------------------------------------------------------------

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_attachments_type_size_content_and_scope(client, world, coop, media):
    charter = draft(world, coop)
    acc = fresh(world.acc_v11)
    att = charter_attachment_add(
        actor=acc, charter=charter, file=SimpleUploadedFile("章程签字版.pdf", PDF), title="签字版"
    )
    assert (att.content_type, att.size, att.original_name) == ("application/pdf", len(PDF), "章程签字版.pdf")
    assert att.file.name.startswith("charters/371323104201/") and "章程" not in att.file.name
    refused = [
        (SimpleUploadedFile("run.exe", b"MZ\x90\x00"), "attachment_type"),
        (SimpleUploadedFile("fake.png", PDF), "attachment_content"),
        (SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024)), "attachment_too_large"),
        (SimpleUploadedFile("empty.pdf", b""), "attachment_empty"),
    ]
    for upload, code in refused:
        with pytest.raises(BusinessError) as exc:
            charter_attachment_add(actor=acc, charter=charter, file=upload)
        assert exc.value.code == code
    # exactly 10 MB is allowed: 10 × 1024 × 1024 bytes
    ten = b"\x89PNG\r\n\x1a\n" + b"0" * (10 * 1024 * 1024 - 8)
    charter_attachment_add(actor=acc, charter=charter, file=SimpleUploadedFile("scan.png", ten))
    assert CharterAttachment.objects.filter(charter=charter).count() == 2

    client.force_login(world.acc_v11)
    response = client.get(reverse("cooperatives:charter_attachment", args=[att.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    client.force_login(world.acc_v12)
    assert client.get(reverse("cooperatives:charter_attachment", args=[att.pk])).status_code == 404

    charter = charter_submit(actor=acc, charter=charter)
    with pytest.raises(StateConflict):  # not while the township reviews
        charter_attachment_add(actor=acc, charter=charter, file=SimpleUploadedFile("x.png", PNG))


def test_attachment_form_shows_the_error_next_to_the_field(client, world, coop, media):
    charter = draft(world, coop)
    client.force_login(world.acc_v11)
    url = reverse("cooperatives:charter_attach", args=[charter.pk])
    response = client.post(url, {"title": "病毒", "file": SimpleUploadedFile("x.exe", b"MZ")})
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()
    response = client.post(url, {"title": "会议纪要", "file": SimpleUploadedFile("minutes.png", PNG)})
    assert response.status_code == 302
    assert CharterAttachment.objects.get().title == "会议纪要"


# -- pages: history, compare, print, members -------------------------------------------------------------


def test_history_compare_and_print(client, world, coop):
    v1 = at_state(world, coop, "effective")
    v2 = charter_amend(actor=fresh(world.acc_v11), charter=v1)
    charter_update(actor=fresh(world.acc_v11), charter=v2, business_scope="果品种植；乡村旅游")
    client.force_login(world.county_a_off)
    history = client.get(reverse("cooperatives:charter_history", args=[coop.pk])).content.decode()
    assert f'href="{v1.get_absolute_url()}"' in history and f'href="{v2.get_absolute_url()}"' in history
    assert f"?with={v1.pk}" in history
    compare = client.get(reverse("cooperatives:charter_compare", args=[v2.pk]), {"with": v1.pk}).content.decode()
    # "果品种植" kept, "；乡村旅游" added
    assert '<ins class="bg-success-subtle">；乡村旅游</ins>' in compare
    foreign = CharterFactory(cooperative=CooperativeFactory(village=world.v31), state="effective")
    response = client.get(reverse("cooperatives:charter_compare", args=[v2.pk]), {"with": foreign.pk})
    assert response.status_code == 404
    printed = client.get(reverse("cooperatives:charter_print", args=[v1.pk])).content.decode()
    assert coop.name in printed and SECTIONS["party_building"] in printed and "data-print" in printed


def test_member_reads_only_the_published_versions(client, world, coop):
    v1 = at_state(world, coop, "effective")
    v2 = charter_amend(actor=fresh(world.acc_v11), charter=v1)
    client.force_login(world.member_v11)
    assert client.get(v1.get_absolute_url()).status_code == 200
    assert client.get(v2.get_absolute_url()).status_code == 404
    assert client.get(reverse("cooperatives:charter_print", args=[v1.pk])).status_code == 200


# -- query counts -------------------------------------------------------------------------------------------


def _many_cooperatives_with_charters(world, n):
    from core.choices import RegionLevel

    for i in range(n):
        village = RegionFactory(code=f"371323104{500 + i}", level=RegionLevel.VILLAGE, parent=world.t1)
        CharterFactory(cooperative=CooperativeFactory(village=village), state="effective")


@pytest.mark.parametrize("n", [1, 30])
def test_charter_list_query_count_does_not_grow(client, world, django_assert_max_num_queries, n):
    _many_cooperatives_with_charters(world, n)
    client.force_login(world.county_a_off)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("cooperatives:charter_list"))
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == n


@pytest.mark.parametrize("n", [1, 25])
def test_cooperative_page_and_history_query_count_does_not_grow(client, world, coop, django_assert_max_num_queries, n):
    for version in range(1, n + 1):
        CharterFactory(cooperative=coop, version=version, state="effective" if version == n else "superseded")
    term = BoardTermFactory(cooperative=coop)
    supervisory = BoardTermFactory(cooperative=coop, body="supervisory")
    for i in range(n):
        BoardMemberFactory(term=term, name=f"理事{i}", party_role="committee_member" if i % 2 else "")
        BoardMemberFactory(term=supervisory, name=f"监事{i}", position="supervisor")
    client.force_login(world.acc_v11)
    with django_assert_max_num_queries(COOPERATIVE_PAGE_MAX_QUERIES):
        assert client.get(coop.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(reverse("cooperatives:charter_history", args=[coop.pk])).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("cooperatives:board", args=[coop.pk])).status_code == 200


# -- Done-when: end to end in the browser, and through the API ----------------------------------------------------


def _form_sections(**overrides):
    data = {
        **SECTIONS,
        "registered_name": "东安村富民果品专业合作社",
        "domicile": "东安村村委大院",
        "distribution_policy": "law",
        "collective_veto": "on",
        "collective_veto_matters": "合并、分立、解散；对外担保",
        "other_provisions": "",
    }
    return {**data, **overrides}


def test_end_to_end_in_the_browser(client, world, coop):
    # the village accountant drafts the charter from the cooperative page
    client.force_login(world.acc_v11)
    page = client.get(coop.get_absolute_url()).content.decode()
    add_url = reverse("cooperatives:charter_add", args=[coop.pk])
    assert f'href="{add_url}"' in page
    form_page = client.get(add_url).content.decode()
    for name in ("registered_name", "organisation", "share_structure", "distribution_policy", "party_building"):
        assert f'for="id_{name}"' in form_page  # every field has its label
    response = client.post(add_url, _form_sections())
    charter = Charter.objects.get()
    assert response.status_code == 302 and response["Location"] == charter.get_absolute_url()
    detail = client.get(charter.get_absolute_url()).content.decode()
    submit_url = reverse("cooperatives:charter_submit", args=[charter.pk])
    assert f'action="{submit_url}"' in detail
    assert client.post(submit_url).status_code == 302

    # the township official finds it in the inbox and returns one item with a comment
    client.force_login(world.twp_t1)
    charter.refresh_from_db()
    inbox = client.get(reverse("core:approval_list")).content.decode()
    assert reverse("core:approval_detail", args=[charter.approval_id]) in inbox
    review_url = reverse("cooperatives:charter_review", args=[charter.pk])
    assert f'href="{review_url}"' in client.get(charter.get_absolute_url()).content.decode()
    review_page = client.get(review_url).content.decode()
    assert 'name="share_structure_result"' in review_page and 'for="id_share_structure_comment"' in review_page
    checklist = {f"{k}_result": "pass" for k in CharterReviewItem.values}
    # a returned item without a comment: the error stays next to the item
    response = client.post(review_url, {**checklist, "share_structure_result": "return"})
    assert response.status_code == 200 and "invalid-feedback" in response.content.decode()
    response = client.post(
        review_url,
        {**checklist, "share_structure_result": "return", "share_structure_comment": "写明集体股的具体比例"},
    )
    assert response.status_code == 302
    charter.refresh_from_db()
    assert charter.state == "returned"

    # the village sees the comment, edits and resubmits
    client.force_login(world.acc_v11)
    assert "写明集体股的具体比例" in client.get(charter.get_absolute_url()).content.decode()
    edit_url = reverse("cooperatives:charter_edit", args=[charter.pk])
    assert "写明集体股的具体比例" in client.get(edit_url).content.decode()
    assert client.post(edit_url, _form_sections(share_structure="村集体股占30%。")).status_code == 302
    assert client.post(submit_url).status_code == 302

    # the township approves all six items
    client.force_login(world.twp_t1)
    assert client.post(review_url, checklist).status_code == 302
    charter.refresh_from_db()
    assert charter.state == "township_approved"

    # the village records the member assembly's vote: 19 of 30 present is refused, 24 of 30 adopts it
    client.force_login(world.acc_v11)
    vote_url = reverse("cooperatives:charter_vote", args=[charter.pk])
    assert f'href="{vote_url}"' in client.get(charter.get_absolute_url()).content.decode()
    today = timezone.localdate().isoformat()
    numbers = {"vote_date": today, "members_total": 30, "votes_against": 0, "votes_abstain": 0}
    response = client.post(vote_url, {**numbers, "members_present": 19, "votes_for": 19})
    assert response.status_code == 200 and "invalid-feedback" in response.content.decode()
    charter.refresh_from_db()
    assert charter.state == "township_approved"
    assert client.post(vote_url, {**numbers, "members_present": 24, "votes_for": 23}).status_code == 302

    # the county files it from its home page
    client.force_login(world.county_a_off)
    home = client.get("/").content.decode()
    assert f'href="{charter.get_absolute_url()}"' in home
    file_url = reverse("cooperatives:charter_file", args=[charter.pk])
    assert client.get(file_url).status_code == 200
    response = client.post(file_url, {"filed_on": today, "filing_number": "沂组备〔2026〕12号", "note": ""})
    assert response.status_code == 302
    charter.refresh_from_db()
    assert charter.state == "effective"

    # the cooperative page shows the version in force
    page = client.get(coop.get_absolute_url()).content.decode()
    assert f'href="{charter.get_absolute_url()}"' in page and "沂组备〔2026〕12号" in page


def test_end_to_end_through_the_api(api_client, world, coop):
    acc, twp, county = world.acc_v11, world.twp_t1, world.county_a_off
    api_client.force_authenticate(acc)
    body = {**SECTIONS, "cooperative": coop.pk, "collective_veto": True, "collective_veto_matters": "对外担保"}
    response = api_client.post("/api/v1/charters/", body, format="json")
    assert response.status_code == 201, response.json()
    charter_id = response.json()["id"]
    assert response.json()["version"] == 1 and response.json()["distribution_policy"] == "law"
    response = api_client.patch(f"/api/v1/charters/{charter_id}/", {"domicile": "东安村1号"}, format="json")
    assert response.status_code == 200 and response.json()["domicile"] == "东安村1号"
    response = api_client.post(f"/api/v1/charters/{charter_id}/submit/", {}, format="json")
    assert response.json()["state"] == "submitted"

    api_client.force_authenticate(twp)
    inbox = api_client.get("/api/v1/approvals/inbox/").json()["results"]
    assert [a["subject_id"] for a in inbox] == [charter_id]
    items = [{"item": k, "result": "pass", "comment": ""} for k in CharterReviewItem.values]
    returned = [
        {**i, "result": "return", "comment": "经营范围过宽"} if i["item"] == "business_scope" else i for i in items
    ]
    response = api_client.post(f"/api/v1/charters/{charter_id}/review/", {"items": returned}, format="json")
    assert response.status_code == 200 and response.json()["state"] == "returned"
    assert {r["item"]: r["result"] for r in response.json()["reviews"]}["business_scope"] == "return"

    api_client.force_authenticate(acc)
    api_client.patch(f"/api/v1/charters/{charter_id}/", {"business_scope": "果品种植、销售"}, format="json")
    assert api_client.post(f"/api/v1/charters/{charter_id}/submit/", {}, format="json").json()["state"] == "submitted"

    api_client.force_authenticate(twp)
    response = api_client.post(f"/api/v1/charters/{charter_id}/review/", {"items": items}, format="json")
    assert response.json()["state"] == "township_approved"

    api_client.force_authenticate(acc)
    today = timezone.localdate().isoformat()
    numbers = {"vote_date": today, "members_total": 30, "members_present": 19, "votes_for": 19}
    response = api_client.post(f"/api/v1/charters/{charter_id}/vote/", numbers, format="json")
    assert (response.status_code, response.json()["code"]) == (400, "quorum_not_met")
    numbers.update(members_present=21, votes_for=20, votes_against=1)
    response = api_client.post(f"/api/v1/charters/{charter_id}/vote/", numbers, format="json")
    assert response.status_code == 200 and response.json()["state"] == "adopted"

    api_client.force_authenticate(county)
    response = api_client.post(
        f"/api/v1/charters/{charter_id}/file/", {"filed_on": today, "filing_number": "沂组备〔2026〕3号"}, format="json"
    )
    assert response.status_code == 200 and response.json()["state"] == "effective"
    listed = api_client.get("/api/v1/charters/", {"cooperative": coop.pk, "state": "effective"}).json()["results"]
    assert [c["id"] for c in listed] == [charter_id]

    api_client.force_authenticate(acc)
    response = api_client.post(f"/api/v1/charters/{charter_id}/amend/", {"amendment_note": "增加旅游"}, format="json")
    assert response.status_code == 201 and response.json()["version"] == 2
    versions = api_client.get(f"/api/v1/charters/{charter_id}/versions/").json()
    assert [(v["version"], v["state"]) for v in versions] == [(2, "draft"), (1, "effective")]
    # a foreign cooperative is not a valid choice, a foreign version is 404
    foreign = CharterFactory(cooperative=CooperativeFactory(village=world.v21), state="effective")
    assert api_client.get(f"/api/v1/charters/{foreign.pk}/").status_code == 404
    response = api_client.post("/api/v1/charters/", {**SECTIONS, "cooperative": foreign.cooperative_id}, format="json")
    assert response.status_code == 400


def test_api_attachment_upload_and_download(api_client, world, coop, media):
    charter = draft(world, coop)
    api_client.force_authenticate(world.acc_v11)
    response = api_client.post(
        f"/api/v1/charters/{charter.pk}/attachments/",
        {"file": SimpleUploadedFile("minutes.pdf", PDF), "title": "会议纪要"},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    download = api_client.get(response.json()["download_url"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    response = api_client.post(
        f"/api/v1/charters/{charter.pk}/attachments/",
        {"file": SimpleUploadedFile("minutes.exe", b"MZ")},
        format="multipart",
    )
    assert (response.status_code, response.json()["code"]) == (400, "attachment_type")


# -- demo ----------------------------------------------------------------------------------------------------


def test_demo_has_effective_charters_and_an_amendment_in_the_township_inbox(db):
    from core import demo
    from core.models import User

    demo.run()
    states = dict(Charter.objects.filter(cooperative__village__code="371323104201").values_list("version", "state"))
    assert states == {1: "effective", 2: "submitted"}
    others = Charter.objects.exclude(cooperative__village__code="371323104201")
    # 西岭村's amendment, adopted by its member assembly, waits for the county's filing
    assert sorted(others.values_list("state", flat=True)) == ["adopted"] + ["effective"] * 5
    assert others.get(state="adopted").cooperative.village.code == "371323104202"
    township = User.objects.get(username="demo-township")
    v2 = Charter.objects.get(cooperative__village__code="371323104201", version=2)
    assert v2.approval_id in set(approval_inbox(township).values_list("pk", flat=True))
    assert demo.run().changes == []  # a second run changes nothing


def test_a_docx_must_really_be_a_word_document(world, coop, media):
    import io
    import zipfile

    def zipped(*names):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for name in names:
                archive.writestr(name, "<xml/>")
        return buffer.getvalue()

    charter = draft(world, coop)
    acc = fresh(world.acc_v11)
    with pytest.raises(BusinessError) as exc:
        charter_attachment_add(actor=acc, charter=charter, file=SimpleUploadedFile("a.docx", zipped("evil.sh")))
    assert exc.value.code == "attachment_content"
    word = zipped("[Content_Types].xml", "word/document.xml")
    att = charter_attachment_add(actor=acc, charter=charter, file=SimpleUploadedFile("章程.docx", word))
    assert att.content_type.endswith("wordprocessingml.document") and att.size == len(word)


def test_the_draft_form_sends_a_cooperative_with_a_charter_to_its_versions(client, world, coop):
    v1 = at_state(world, coop, "effective")
    client.force_login(world.acc_v11)
    response = client.get(reverse("cooperatives:charter_add", args=[coop.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("cooperatives:charter_history", args=[coop.pk])
    # posting anyway is refused by the service, above the form
    response = client.post(reverse("cooperatives:charter_add", args=[coop.pk]), _form_sections())
    assert response.status_code == 200 and "alert-danger" in response.content.decode()
    assert list(Charter.objects.values_list("pk", flat=True)) == [v1.pk]
