"""Major matters (四议两公开, DOMAIN.md §5): six steps in order, dates never before the previous step,
votes at steps 2–4 with quorum and majority, a failed vote rejects, the resolution for a subject."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from cooperatives.choices import MatterStep
from cooperatives.models import MajorMatter, MajorMatterStep
from cooperatives.selectors import major_matter_for_subject, major_matter_resolution
from cooperatives.services.major_matters import major_matter_open, major_matter_record_step
from core.choices import Role
from core.exceptions import BusinessError, StateConflict
from tests.conftest import fresh
from tests.factories import DocumentFactory, MajorMatterFactory, UserFactory

# step 2: 7 committee members, 6 present (6 × 2 = 12 > 7), 5 for (5 × 2 = 10 > 6 present): carried
DISCUSSION = {"expected_attendance": 7, "present": 6, "votes_for": 5, "votes_against": 1, "votes_abstain": 0}
# step 3: 30 party members due, 24 present (24 × 3 = 72 ≥ 60), 20 for (20 × 2 = 40 > 30 due): carried
REVIEW = {"expected_attendance": 30, "present": 24, "votes_for": 20, "votes_against": 3, "votes_abstain": 1}
# step 4: 150 members, 120 present (360 ≥ 300), 100 for (200 > 150): carried
RESOLUTION = {"expected_attendance": 150, "present": 120, "votes_for": 100, "votes_against": 15, "votes_abstain": 5}


@pytest.fixture
def matter(gov):
    return major_matter_open(
        actor=fresh(gov.acc_v11),
        cooperative=gov.coop11,
        title="新建300吨苹果冷库",
        category="project",
        amount=Decimal("860000.00"),
    )


def _record(gov, matter, step, day, actor=None, **kwargs):
    """Record a step as the accountant, the assembly's resolution as the chair (who recorded none of
    the party organisation's steps)."""
    kwargs.setdefault("minutes", "会议记录：与会人员讨论并表决。")
    if step >= MatterStep.RESOLUTION_PUBLISHED:
        kwargs.setdefault("outcome", "在村务公开栏张贴7日")
    if actor is None:
        actor = gov.chair_v11 if step == MatterStep.RESOLUTION else gov.acc_v11
    return major_matter_record_step(actor=fresh(actor), matter=matter, step=step, held_on=day, **kwargs)


def test_six_steps_in_order_complete_the_matter(gov, matter):
    _record(gov, matter, 1, date(2024, 3, 1))
    assert _record(gov, matter, 2, date(2024, 3, 5), **DISCUSSION).passed is True
    assert _record(gov, matter, 3, date(2024, 3, 8), **REVIEW).passed is True
    assert _record(gov, matter, 4, date(2024, 3, 8), **RESOLUTION).passed is True  # same day is allowed
    _record(gov, matter, 5, date(2024, 3, 9))
    _record(gov, matter, 6, date(2024, 9, 30), outcome="冷库建成投用，结果在村务公开栏公示")
    matter.refresh_from_db()
    assert matter.status == "completed" and matter.current_step == 6
    assert list(matter.steps.values_list("step", flat=True)) == [1, 2, 3, 4, 5, 6]
    with pytest.raises(StateConflict):
        _record(gov, matter, 6, date(2024, 10, 1))


def test_who_recorded_the_party_steps_does_not_record_the_assembly_vote(gov, matter):
    # the accountant records the branch's proposal, the two committees and the party members' review
    _record(gov, matter, 1, date(2024, 3, 1))
    _record(gov, matter, 2, date(2024, 3, 5), **DISCUSSION)
    _record(gov, matter, 3, date(2024, 3, 8), **REVIEW)
    # ... and may not record the member assembly's vote as well
    with translation.override("zh-hans"), pytest.raises(BusinessError) as refused:
        _record(gov, matter, 4, date(2024, 3, 9), actor=gov.acc_v11, **RESOLUTION)
    assert refused.value.code == "same_recorder"
    assert refused.value.message == (
        "您记录了本事项的“党支部提议”，“成员（代表）大会决议”须由另一人记录："
        "党组织议事各步与成员大会决议由不同的人记录。"
    )
    matter.refresh_from_db()
    assert matter.current_step == 3 and not matter.steps.filter(step=4).exists()
    # the chair, who recorded none of steps 1–3, records it; publication is anyone's
    assert _record(gov, matter, 4, date(2024, 3, 9), actor=gov.chair_v11, **RESOLUTION).passed is True
    _record(gov, matter, 5, date(2024, 3, 10), actor=gov.chair_v11)
    _record(gov, matter, 6, date(2024, 3, 11), actor=gov.acc_v11)
    assert list(matter.steps.values_list("step", "recorded_by__username")) == [
        (1, "acc_v11"),
        (2, "acc_v11"),
        (3, "acc_v11"),
        (4, "chair_v11"),
        (5, "chair_v11"),
        (6, "acc_v11"),
    ]


def test_one_party_step_is_enough_to_keep_its_recorder_from_the_vote(gov, matter):
    # the chair proposes (step 1), the accountant records steps 2 and 3: neither records step 4
    _record(gov, matter, 1, date(2024, 3, 1), actor=gov.chair_v11)
    _record(gov, matter, 2, date(2024, 3, 5), **DISCUSSION)
    _record(gov, matter, 3, date(2024, 3, 8), **REVIEW)
    for user, mine in ((gov.chair_v11, MatterStep.PROPOSAL), (gov.acc_v11, MatterStep.DISCUSSION)):
        with translation.override("zh-hans"), pytest.raises(BusinessError) as refused:
            _record(gov, matter, 4, date(2024, 3, 9), actor=user, **RESOLUTION)
        assert refused.value.code == "same_recorder" and f"“{mine.label}”" in refused.value.message
    # a second accountant of the village does
    other = UserFactory(username="acc2_v11", roles=[(Role.VILLAGE_ACCOUNTANT, gov.v11)])
    assert _record(gov, matter, 4, date(2024, 3, 9), actor=other, **RESOLUTION).passed is True


def test_the_page_and_the_api_refuse_the_same_recorder(client, api_client, gov, matter):
    for step, day, votes in ((1, 1, {}), (2, 5, DISCUSSION), (3, 8, REVIEW)):
        _record(gov, matter, step, date(2024, 3, day), **votes)
    client.force_login(gov.acc_v11)
    url = f"/cooperatives/major-matters/{matter.pk}/steps/4/"
    assert "党组织议事各步" in client.get(url).content.decode()  # the page says so before
    response = client.post(url, {"held_on": "2024-03-09", "minutes": "成员大会表决", **RESOLUTION})
    assert response.status_code == 200 and "须由另一人记录" in response.content.decode()
    api_client.force_authenticate(gov.acc_v11)
    body = {"step": 4, "held_on": "2024-03-09", "minutes": "成员大会表决", **RESOLUTION}
    refused = api_client.post(f"/api/v1/major-matters/{matter.pk}/steps/", body, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "same_recorder"
    assert "须由另一人记录" in refused.json()["detail"]
    matter.refresh_from_db()
    assert matter.current_step == 3
    client.force_login(gov.chair_v11)
    response = client.post(url, {"held_on": "2024-03-09", "minutes": "成员大会表决", **RESOLUTION})
    assert response.status_code == 302
    matter.refresh_from_db()
    assert matter.current_step == 4


def test_step_three_before_step_two_is_refused_naming_the_missing_step(gov, matter):
    _record(gov, matter, 1, date(2024, 3, 1))
    with pytest.raises(BusinessError) as exc:
        _record(gov, matter, 3, date(2024, 3, 8), **REVIEW)
    assert exc.value.code == "step_out_of_order"
    assert str(MatterStep.DISCUSSION.label) in exc.value.message
    assert MajorMatterStep.objects.filter(matter=matter).count() == 1
    # and nothing before step 1
    other = MajorMatterFactory(cooperative=gov.coop11)
    with pytest.raises(BusinessError) as exc:
        _record(gov, other, 2, date(2024, 3, 8), **DISCUSSION)
    assert str(MatterStep.PROPOSAL.label) in exc.value.message


def test_a_date_before_the_previous_step_is_refused(gov, matter):
    _record(gov, matter, 1, date(2024, 3, 10))
    with pytest.raises(BusinessError) as exc:
        _record(gov, matter, 2, date(2024, 3, 9), **DISCUSSION)  # one day before step 1
    assert exc.value.code == "date_before_previous_step" and exc.value.field == "held_on"
    assert "2024-03-10" in exc.value.message
    with pytest.raises(BusinessError) as exc:
        _record(gov, matter, 2, date(2999, 1, 1), **DISCUSSION)
    assert exc.value.code == "date_in_future"


def test_a_failed_vote_rejects_the_matter(gov, matter):
    _record(gov, matter, 1, date(2024, 3, 1))
    _record(gov, matter, 2, date(2024, 3, 5), **DISCUSSION)
    # 30 due, 21 present (63 ≥ 60: quorum), 15 for: 15 × 2 = 30 is not more than 30 → not carried
    row = _record(
        gov,
        matter,
        3,
        date(2024, 3, 8),
        expected_attendance=30,
        present=21,
        votes_for=15,
        votes_against=6,
        votes_abstain=0,
    )
    assert row.passed is False
    matter.refresh_from_db()
    assert matter.status == "rejected" and matter.current_step == 3
    with pytest.raises(StateConflict) as exc:
        _record(gov, matter, 4, date(2024, 3, 9), **RESOLUTION)
    assert exc.value.code == "matter_rejected"


def test_a_meeting_without_quorum_is_not_recorded(gov, matter):
    _record(gov, matter, 1, date(2024, 3, 1))
    _record(gov, matter, 2, date(2024, 3, 5), **DISCUSSION)
    # 30 due, 19 present: 19 × 3 = 57 < 60 → no quorum, nothing written
    with pytest.raises(BusinessError) as exc:
        _record(
            gov,
            matter,
            3,
            date(2024, 3, 8),
            **(REVIEW | {"present": 19, "votes_for": 19, "votes_against": 0, "votes_abstain": 0}),
        )
    assert exc.value.code == "no_quorum"
    matter.refresh_from_db()
    assert matter.current_step == 2 and matter.status == "in_progress"


def test_votes_are_required_and_consistent(gov, matter):
    _record(gov, matter, 1, date(2024, 3, 1))
    with pytest.raises(BusinessError) as exc:
        _record(gov, matter, 2, date(2024, 3, 5))
    assert exc.value.code == "votes_required"
    with pytest.raises(BusinessError) as exc:
        _record(gov, matter, 2, date(2024, 3, 5), **(DISCUSSION | {"votes_for": 6, "votes_against": 1}))
    assert exc.value.code == "votes_above_present"  # 6 + 1 + 0 = 7 votes, 6 present
    with pytest.raises(BusinessError) as exc:
        _record(gov, matter, 2, date(2024, 3, 5), **(DISCUSSION | {"present": 8}))
    assert exc.value.code == "present_above_expected"


def test_charter_amendment_needs_two_thirds_of_all_votes(gov):
    charter = major_matter_open(actor=fresh(gov.acc_v11), cooperative=gov.coop11, title="修改章程", category="charter")
    _record(gov, charter, 1, date(2024, 3, 1))
    _record(gov, charter, 2, date(2024, 3, 2), **DISCUSSION)
    _record(gov, charter, 3, date(2024, 3, 3), **REVIEW)
    # 150 members, 99 for: a majority (99 > 75) but 99 × 3 = 297 < 300 → not carried (law Art. 30)
    row = _record(gov, charter, 4, date(2024, 3, 4), **(RESOLUTION | {"votes_for": 99, "votes_against": 16}))
    assert row.passed is False
    charter2 = major_matter_open(
        actor=fresh(gov.acc_v11), cooperative=gov.coop11, title="修改章程2", category="charter"
    )
    for step, day, votes in ((1, 1, {}), (2, 2, DISCUSSION), (3, 3, REVIEW)):
        _record(gov, charter2, step, date(2024, 4, day), **votes)
    # 100 for: 100 × 3 = 300 ≥ 300 → carried
    assert _record(gov, charter2, 4, date(2024, 4, 4), **RESOLUTION).passed is True


def test_the_resolution_of_a_subject(gov):
    plan = DocumentFactory(title="2024年度盈余分配方案")  # stands for a later app's distribution plan
    matter = major_matter_open(
        actor=fresh(gov.acc_v11),
        cooperative=gov.coop11,
        title="2024年度盈余分配",
        category="distribution",
        subject=plan,
    )
    assert major_matter_for_subject(plan) == matter
    assert major_matter_resolution(subject=plan) is None
    _record(gov, matter, 1, date(2024, 12, 1))
    _record(gov, matter, 2, date(2024, 12, 2), **DISCUSSION)
    _record(gov, matter, 3, date(2024, 12, 3), **REVIEW)
    assert major_matter_resolution(subject=plan) is None
    _record(gov, matter, 4, date(2024, 12, 5), **RESOLUTION)
    resolution = major_matter_resolution(subject=plan)
    assert resolution.adopted and resolution.held_on == date(2024, 12, 5)
    assert (resolution.votes_for, resolution.present, resolution.expected_attendance) == (100, 120, 150)
    assert resolution.published_on is None
    _record(gov, matter, 5, date(2024, 12, 6))
    assert major_matter_resolution(subject=plan).published_on == date(2024, 12, 6)


def test_publication_steps_say_where(gov, matter):
    for step, day, votes in ((1, 1, {}), (2, 2, DISCUSSION), (3, 3, REVIEW), (4, 4, RESOLUTION)):
        _record(gov, matter, step, date(2024, 5, day), **votes)
    with pytest.raises(BusinessError) as exc:
        _record(gov, matter, 5, date(2024, 5, 5), outcome="")
    assert exc.value.code == "publication_required"


def test_attachments_are_checked_and_downloads_scoped(client, gov, matter, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path)
    exe = SimpleUploadedFile("minutes.exe", b"MZ...", content_type="application/octet-stream")
    with pytest.raises(BusinessError) as exc:
        _record(gov, matter, 1, date(2024, 3, 1), attachment=exe)
    assert exc.value.code == "file_type"
    big = SimpleUploadedFile("minutes.pdf", b"0" * (10 * 1024 * 1024 + 1), content_type="application/pdf")
    with pytest.raises(BusinessError) as exc:
        _record(gov, matter, 1, date(2024, 3, 1), attachment=big)
    assert exc.value.code == "file_too_large"  # 10 MB + 1 byte
    pdf = SimpleUploadedFile("会议记录.pdf", b"%PDF-1.4 minutes", content_type="application/pdf")
    row = _record(gov, matter, 1, date(2024, 3, 1), minutes="", attachment=pdf)
    assert row.attachment_name == "会议记录.pdf"
    client.force_login(gov.twp_t1)
    response = client.get(f"/cooperatives/major-matters/steps/{row.pk}/attachment/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 minutes"
    client.force_login(gov.twp_t2)
    assert client.get(f"/cooperatives/major-matters/steps/{row.pk}/attachment/").status_code == 404


def test_step_page_shows_the_missing_step_and_who_may_record(client, gov, matter):
    client.force_login(gov.acc_v11)
    response = client.post(
        f"/cooperatives/major-matters/{matter.pk}/steps/2/", {"held_on": "2024-03-05", "minutes": "x", **DISCUSSION}
    )
    assert response.status_code == 200
    assert str(MatterStep.PROPOSAL.label) in response.content.decode()
    response = client.post(
        f"/cooperatives/major-matters/{matter.pk}/steps/1/", {"held_on": "2024-03-01", "minutes": "提议"}
    )
    assert response.status_code == 302
    page = client.get(matter.get_absolute_url()).content.decode()
    assert "提议" in page and f"/cooperatives/major-matters/{matter.pk}/steps/2/" in page
    # the supervisory board reads but does not record; another village's accountant does not find it
    client.force_login(gov.supervisor_v11)
    assert client.get(matter.get_absolute_url()).status_code == 200
    assert client.get(f"/cooperatives/major-matters/{matter.pk}/steps/2/").status_code == 403
    client.force_login(gov.acc_v12)
    assert client.get(matter.get_absolute_url()).status_code == 404
    assert client.get(f"/cooperatives/major-matters/{matter.pk}/steps/2/").status_code == 404


def test_api_records_steps_and_refuses_out_of_order(api_client, gov, matter):
    api_client.force_authenticate(gov.acc_v11)
    url = f"/api/v1/major-matters/{matter.pk}/steps/"
    response = api_client.post(url, {"step": 2, "held_on": "2024-03-05", "minutes": "x", **DISCUSSION}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "step_out_of_order"
    response = api_client.post(url, {"step": 1, "held_on": "2024-03-01", "minutes": "提议"}, format="json")
    assert response.status_code == 201 and response.json()["current_step"] == 1
    api_client.force_authenticate(gov.acc_v12)
    assert api_client.post(url, {"step": 2, "held_on": "2024-03-05"}, format="json").status_code == 404


@pytest.mark.parametrize("n", [1, 40])
def test_list_query_count_does_not_grow(client, gov, django_assert_max_num_queries, n):
    for _ in range(n):
        MajorMatterFactory(cooperative=gov.coop11)
    client.force_login(gov.twp_t1)
    with django_assert_max_num_queries(10):
        response = client.get("/cooperatives/major-matters/")
    assert response.status_code == 200
    assert MajorMatter.objects.count() == n


def test_the_list_export_names_the_last_step(client, gov, matter):
    from io import BytesIO

    from openpyxl import load_workbook

    # the step's label is a lazy translation; the export wrote it into a cell and answered 500
    _record(gov, matter, 1, date(2024, 3, 1))
    client.force_login(gov.twp_t1)
    response = client.get("/cooperatives/major-matters/", {"format": "xlsx"})
    assert response.status_code == 200
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][0] == "新建300吨苹果冷库" and rows[1][6] == str(MatterStep.PROPOSAL.label)
