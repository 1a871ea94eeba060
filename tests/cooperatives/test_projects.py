"""Project proposals and expert review (seed 002 §6): 3+ experts from the pools the township may use,
every review recorded before approval, refusal with a reason from the list, township scoping."""

from datetime import date
from decimal import Decimal

import pytest

from cooperatives.models import Expert, ExpertReview, ProjectProposal
from cooperatives.services.projects import (
    expert_review_record,
    project_experts_assign,
    project_proposal_approve,
    project_proposal_create,
    project_proposal_refuse,
    project_proposal_return,
    project_proposal_submit,
    project_proposal_update,
)
from core.exceptions import BusinessError, NotPermitted
from core.selectors import approval_inbox
from core.services.approvals import approval_approve, approval_reject
from tests.conftest import fresh
from tests.factories import ExpertFactory, ProjectProposalFactory

CASE = {
    "title": "东安村苹果冷链仓储项目",
    "main_business": "苹果收储、分级和冷链销售",
    "scale": "新建300吨冷库一座",
    "total_investment": Decimal("500000.00"),
    "own_funds": Decimal("300000.00"),
    "fiscal_funds": Decimal("150000.00"),
    "debt_amount": Decimal("50000.00"),
    "other_funds": Decimal("0.00"),
    "expected_annual_return": Decimal("80000.00"),
    "market_study": "周边三县苹果收购价稳定，冷藏后春节前售价高出30%。",
    "risks": "价格波动：与超市签订订单。",
}
SCORES = {"feasibility": 4, "risk": 3, "expected_return": 4, "market": 5, "recommendation": "approve"}


@pytest.fixture
def pools(gov):
    gov.experts_county = [ExpertFactory(region=gov.county_a, name=n) for n in ("王教授", "刘研究员")]
    gov.experts_t1 = [ExpertFactory(region=gov.t1, name=n) for n in ("许镇农技站长", "许镇财政所长")]
    gov.expert_t2 = ExpertFactory(region=gov.t2, name="院东头农技员")
    gov.expert_b = ExpertFactory(region=gov.county_b, name="兰陵县专家")
    return gov


@pytest.fixture
def submitted(pools):
    proposal = project_proposal_create(actor=fresh(pools.acc_v11), cooperative=pools.coop11, **CASE)
    return project_proposal_submit(actor=fresh(pools.acc_v11), proposal=proposal)


def _panel(gov):
    return [*gov.experts_county, gov.experts_t1[0]]


def _review_all(gov, proposal):
    for review in ExpertReview.objects.filter(proposal=proposal):
        expert_review_record(
            actor=fresh(gov.twp_t1),
            review=review,
            opinion="市场可行，建议实施。",
            reviewed_on=date(2024, 4, 2),
            **SCORES,
        )


def test_county_pool_is_visible_to_its_townships_and_township_pools_only_to_their_own(pools):
    names = lambda user: set(Expert.objects.for_user(fresh(user)).values_list("name", flat=True))  # noqa: E731
    assert names(pools.twp_t1) == {"王教授", "刘研究员", "许镇农技站长", "许镇财政所长"}
    assert names(pools.twp_t2) == {"王教授", "刘研究员", "院东头农技员"}
    assert names(pools.county_a_off) == {"王教授", "刘研究员", "许镇农技站长", "许镇财政所长", "院东头农技员"}
    assert names(pools.twp_t3) == {"兰陵县专家"}
    assert names(pools.acc_v11) == set()  # experts' phones are for the officials


def test_financing_must_add_up_to_the_investment(gov):
    # 300,000 + 150,000 + 0 + 0 = 450,000 ≠ 500,000
    with pytest.raises(BusinessError) as exc:
        project_proposal_create(
            actor=fresh(gov.acc_v11), cooperative=gov.coop11, **(CASE | {"debt_amount": Decimal("0.00")})
        )
    assert exc.value.code == "financing_mismatch"
    assert "450,000.00" in exc.value.message and "500,000.00" in exc.value.message


def test_submitted_proposal_waits_in_the_townships_inbox(submitted, gov):
    assert submitted.status == "submitted"
    assert list(approval_inbox(fresh(gov.twp_t1))) == [submitted.approval]
    assert list(approval_inbox(fresh(gov.twp_t2))) == []


def test_fewer_than_three_experts_are_refused(submitted, gov):
    with pytest.raises(BusinessError) as exc:
        project_experts_assign(actor=fresh(gov.twp_t1), proposal=submitted, experts=gov.experts_county)
    assert exc.value.code == "experts_too_few"
    assert not ExpertReview.objects.exists()
    reviews = project_experts_assign(actor=fresh(gov.twp_t1), proposal=submitted, experts=_panel(gov))
    assert len(reviews) == 3


def test_experts_come_from_the_pools_the_township_may_use(submitted, gov):
    # 院东头镇's pool and 兰陵县's pool are not 许家湖镇's to use
    for outsider in (gov.expert_t2, gov.expert_b):
        with pytest.raises(BusinessError) as exc:
            project_experts_assign(actor=fresh(gov.twp_t1), proposal=submitted, experts=[*gov.experts_county, outsider])
        assert exc.value.code == "expert_not_in_pool"


def test_approval_needs_every_review_recorded(submitted, gov):
    twp = fresh(gov.twp_t1)
    with pytest.raises(BusinessError) as exc:
        project_proposal_approve(actor=twp, proposal=submitted)
    assert exc.value.code == "experts_too_few"
    project_experts_assign(actor=twp, proposal=submitted, experts=_panel(gov))
    first = ExpertReview.objects.filter(proposal=submitted).first()
    expert_review_record(actor=twp, review=first, opinion="可行", reviewed_on=date(2024, 4, 2), **SCORES)
    with pytest.raises(BusinessError) as exc:
        project_proposal_approve(actor=twp, proposal=submitted)
    assert exc.value.code == "reviews_incomplete" and "2" in exc.value.message  # 3 assigned − 1 recorded
    # the generic approval page is held to the same rule (the policy hook refuses)
    with pytest.raises(BusinessError):
        approval_approve(actor=twp, request=submitted.approval)
    submitted.refresh_from_db()
    assert submitted.status == "submitted" and submitted.approval.state == "submitted"
    _review_all(gov, submitted)
    proposal = project_proposal_approve(actor=twp, proposal=submitted, comment="同意实施")
    assert proposal.status == "approved" and proposal.approval.state == "approved"
    # total score of one review: 4 + 3 + 4 + 5 = 16 of 20
    assert ExpertReview.objects.filter(proposal=proposal).first().total_score == 16


def test_scores_are_from_one_to_five(submitted, gov):
    project_experts_assign(actor=fresh(gov.twp_t1), proposal=submitted, experts=_panel(gov))
    review = ExpertReview.objects.filter(proposal=submitted).first()
    with pytest.raises(BusinessError) as exc:
        expert_review_record(
            actor=fresh(gov.twp_t1), review=review, opinion="x", reviewed_on=date(2024, 4, 2), **(SCORES | {"risk": 6})
        )
    assert exc.value.field == "risk"


def test_refusal_needs_a_reason_from_the_list(submitted, gov):
    twp = fresh(gov.twp_t1)
    with pytest.raises(BusinessError) as exc:
        project_proposal_refuse(actor=twp, proposal=submitted, reasons=[])
    assert exc.value.code == "refusal_reason_required"
    with pytest.raises(BusinessError) as exc:
        project_proposal_refuse(actor=twp, proposal=submitted, reasons=["too_expensive"])
    assert exc.value.code == "invalid_refusal_reason"
    # the generic reject (comment but no reason) is refused by the policy hook
    with pytest.raises(BusinessError) as exc:
        approval_reject(actor=twp, request=submitted.approval, comment="不同意")
    assert exc.value.code == "refusal_reason_required"
    proposal = project_proposal_refuse(actor=twp, proposal=submitted, reasons=["debt_driven", "high_risk"])
    assert proposal.status == "rejected"
    assert proposal.refusal_reasons == ["high_risk", "debt_driven"]  # in the policy's order
    assert proposal.approval.state == "rejected"


def test_return_edit_and_resubmit(submitted, gov):
    with pytest.raises(BusinessError):
        project_proposal_return(actor=fresh(gov.twp_t1), proposal=submitted, comment="")
    proposal = project_proposal_return(actor=fresh(gov.twp_t1), proposal=submitted, comment="补充市场调研")
    assert proposal.status == "returned"
    proposal = project_proposal_update(
        actor=fresh(gov.acc_v11), proposal=proposal, market_study="补充：已与两家超市签订意向。"
    )
    proposal = project_proposal_submit(actor=fresh(gov.acc_v11), proposal=proposal)
    assert proposal.status == "submitted" and proposal.approval_id == submitted.approval_id


def test_another_township_cannot_see_or_act_on_the_proposal(client, api_client, submitted, gov):
    # service: 院东头镇's official is not the decider
    with pytest.raises(NotPermitted):
        project_experts_assign(actor=fresh(gov.twp_t2), proposal=submitted, experts=_panel(gov))
    # pages: 404
    client.force_login(gov.twp_t2)
    assert client.get(submitted.get_absolute_url()).status_code == 404
    assert client.get(f"/cooperatives/projects/{submitted.pk}/experts/").status_code == 404
    response = client.post(
        f"/cooperatives/projects/{submitted.pk}/decide/", {"decision": "refuse", "reasons": ["high_risk"]}
    )
    assert response.status_code == 404
    # API: 404
    api_client.force_authenticate(gov.twp_t2)
    assert api_client.get(f"/api/v1/project-proposals/{submitted.pk}/").status_code == 404
    response = api_client.post(f"/api/v1/project-proposals/{submitted.pk}/approve/", {}, format="json")
    assert response.status_code == 404
    submitted.refresh_from_db()
    assert submitted.status == "submitted"
    # the own township sees it
    client.force_login(gov.twp_t1)
    assert client.get(submitted.get_absolute_url()).status_code == 200


def test_decision_page_refuses_without_reason_then_with(client, submitted, gov):
    client.force_login(gov.twp_t1)
    response = client.post(f"/cooperatives/projects/{submitted.pk}/decide/", {"decision": "refuse"}, follow=True)
    submitted.refresh_from_db()
    assert submitted.status == "submitted"
    assert "alert-danger" in response.content.decode() or "alert-error" in response.content.decode()
    client.post(f"/cooperatives/projects/{submitted.pk}/decide/", {"decision": "refuse", "reasons": ["poor_market"]})
    submitted.refresh_from_db()
    assert submitted.status == "rejected" and submitted.refusal_reasons == ["poor_market"]


def test_review_panel_and_recording_through_the_pages(client, submitted, gov):
    client.force_login(gov.twp_t1)
    page = client.get(f"/cooperatives/projects/{submitted.pk}/experts/").content.decode()
    assert "王教授" in page and "院东头农技员" not in page
    response = client.post(
        f"/cooperatives/projects/{submitted.pk}/experts/", {"experts": [e.pk for e in gov.experts_county]}
    )
    assert response.status_code == 200 and not ExpertReview.objects.exists()  # two are too few
    client.post(f"/cooperatives/projects/{submitted.pk}/experts/", {"experts": [e.pk for e in _panel(gov)]})
    review = ExpertReview.objects.filter(proposal=submitted).first()
    response = client.post(
        f"/cooperatives/projects/reviews/{review.pk}/",
        {**SCORES, "opinion": "可行", "reviewed_on": "2024-04-02"},
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.is_recorded and review.recorded_by == gov.twp_t1
    # the county watches but does not decide (403), the village reads the scores
    client.force_login(gov.county_a_off)
    assert client.get(submitted.get_absolute_url()).status_code == 200
    assert client.post(f"/cooperatives/projects/{submitted.pk}/decide/", {"decision": "approve"}).status_code == 403
    client.force_login(gov.acc_v11)
    assert "<strong>16</strong>/20" in client.get(submitted.get_absolute_url()).content.decode()


def test_api_flow(api_client, pools):
    api_client.force_authenticate(pools.acc_v11)
    body = {k: str(v) for k, v in CASE.items()} | {"cooperative": pools.coop11.pk}
    response = api_client.post("/api/v1/project-proposals/", body, format="json")
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert api_client.post(f"/api/v1/project-proposals/{pk}/submit/", {}, format="json").status_code == 200
    api_client.force_authenticate(pools.twp_t1)
    response = api_client.post(
        f"/api/v1/project-proposals/{pk}/assign-experts/",
        {"experts": [e.pk for e in pools.experts_county]},
        format="json",
    )
    assert response.status_code == 400 and response.json()["code"] == "experts_too_few"
    response = api_client.post(
        f"/api/v1/project-proposals/{pk}/assign-experts/", {"experts": [e.pk for e in _panel(pools)]}, format="json"
    )
    assert response.status_code == 200 and len(response.json()["reviews"]) == 3
    response = api_client.post(f"/api/v1/project-proposals/{pk}/refuse/", {"reasons": []}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "refusal_reason_required"
    response = api_client.post(f"/api/v1/project-proposals/{pk}/approve/", {}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "reviews_incomplete"
    for review in ExpertReview.objects.filter(proposal_id=pk):
        r = api_client.put(
            f"/api/v1/expert-reviews/{review.pk}/",
            {**SCORES, "opinion": "可行", "reviewed_on": "2024-04-02"},
            format="json",
        )
        assert r.status_code == 200, r.json()
    response = api_client.post(f"/api/v1/project-proposals/{pk}/approve/", {"comment": "同意"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "approved"


@pytest.mark.parametrize("n", [1, 40])
def test_list_query_count_does_not_grow(client, gov, django_assert_max_num_queries, n):
    for _ in range(n):
        ProjectProposalFactory(cooperative=gov.coop11)
    client.force_login(gov.twp_t1)
    with django_assert_max_num_queries(10):
        assert client.get("/cooperatives/projects/").status_code == 200
    assert ProjectProposal.objects.count() == n


@pytest.mark.parametrize("n", [1, 40])
def test_expert_list_query_count_does_not_grow(client, gov, django_assert_max_num_queries, n):
    for _ in range(n):
        ExpertFactory(region=gov.t1)
    client.force_login(gov.twp_t1)
    with django_assert_max_num_queries(10):
        assert client.get("/cooperatives/experts/").status_code == 200
