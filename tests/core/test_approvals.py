"""The approval engine: allowed and refused transitions, who may decide, history kept."""

from decimal import Decimal

import pytest

from core.choices import ApprovalAction, ApprovalState
from core.exceptions import BusinessError, NotPermitted, StateConflict
from core.models import ApprovalRequest
from core.selectors import approval_inbox
from core.services.approvals import (
    approval_approve,
    approval_reject,
    approval_request_create,
    approval_return,
    approval_submit,
    approval_withdraw,
    can_decide,
)
from tests.conftest import fresh
from tests.factories import DocumentFactory


@pytest.fixture
def doc(world):
    return DocumentFactory(title="修路合同", region_code=world.v11.code, amount=Decimal("12000.00"))


def _open(world, doc, kind="test_document"):
    return approval_request_create(
        actor=fresh(world.acc_v11),
        subject=doc,
        kind=kind,
        title=doc.title,
        region_code=doc.region_code,
        amount=doc.amount,
    )


def _actions(request):
    return list(request.steps.order_by("pk").values_list("action", "from_state", "to_state", "actor__username"))


def test_full_path_draft_submit_return_resubmit_approve(world, doc):
    req = _open(world, doc)
    assert req.state == ApprovalState.DRAFT
    assert req.decider_role == "township_official" and req.decider_prefix == "371323104"

    approval_submit(actor=fresh(world.acc_v11), request=req)
    approval_return(actor=fresh(world.twp_t1), request=req, comment="第三条写明付款时间")
    req.refresh_from_db()
    assert req.state == ApprovalState.RETURNED
    approval_submit(actor=fresh(world.acc_v11), request=req, comment="已补充")
    approval_approve(actor=fresh(world.twp_t1), request=req, comment="同意")

    req.refresh_from_db()
    doc.refresh_from_db()
    assert req.state == ApprovalState.APPROVED
    assert req.decided_at is not None
    assert doc.decisions == ["submitted", "returned", "submitted", "approved"]
    assert _actions(req) == [
        ("create", "", "draft", "acc_v11"),
        ("submit", "draft", "submitted", "acc_v11"),
        ("return", "submitted", "returned", "twp_t1"),
        ("submit", "returned", "submitted", "acc_v11"),
        ("approve", "submitted", "approved", "twp_t1"),
    ]
    steps = list(req.steps.order_by("pk"))
    assert steps[2].comment == "第三条写明付款时间" and steps[2].actor_role == "township_official"


def test_reject_is_final(world, doc):
    req = _open(world, doc)
    approval_submit(actor=fresh(world.acc_v11), request=req)
    approval_reject(actor=fresh(world.twp_t1), request=req, comment="高风险项目")
    doc.refresh_from_db()
    assert doc.status == "rejected"
    for service in (approval_approve, approval_submit):
        with pytest.raises(StateConflict):
            kwargs = {"comment": "x"}
            actor = world.twp_t1 if service is approval_approve else world.acc_v11
            service(actor=fresh(actor), request=req, **kwargs)


@pytest.mark.parametrize("service", [approval_approve, approval_return, approval_reject])
def test_a_draft_cannot_be_decided(world, doc, service):
    req = _open(world, doc)
    with pytest.raises(StateConflict):
        service(actor=fresh(world.twp_t1), request=req, comment="x")
    assert req.steps.count() == 1


def test_approved_cannot_be_approved_again(world, doc):
    req = _open(world, doc)
    approval_submit(actor=fresh(world.acc_v11), request=req)
    approval_approve(actor=fresh(world.twp_t1), request=req)
    with pytest.raises(StateConflict):
        approval_approve(actor=fresh(world.twp_t1), request=req)
    assert req.steps.filter(action=ApprovalAction.APPROVE).count() == 1


@pytest.mark.parametrize("who", ["twp_t2", "twp_t3", "county_a_off", "acc_v11", "chair_v11", "acc_v12"])
def test_only_the_township_of_the_subject_decides(world, doc, who):
    req = _open(world, doc)
    approval_submit(actor=fresh(world.acc_v11), request=req)
    with pytest.raises(NotPermitted):
        approval_approve(actor=fresh(getattr(world, who)), request=req)
    req.refresh_from_db()
    assert req.state == ApprovalState.SUBMITTED


def test_return_and_reject_need_a_reason(world, doc):
    req = _open(world, doc)
    approval_submit(actor=fresh(world.acc_v11), request=req)
    with pytest.raises(BusinessError) as exc:
        approval_return(actor=fresh(world.twp_t1), request=req, comment="  ")
    assert exc.value.code == "comment_required"
    with pytest.raises(BusinessError):
        approval_reject(actor=fresh(world.twp_t1), request=req, comment="")


def test_only_the_village_side_submits(world, doc):
    req = _open(world, doc)
    for who in ("acc_v12", "twp_t1", "member_v11"):
        with pytest.raises(NotPermitted):
            approval_submit(actor=fresh(getattr(world, who)), request=req)
    # the chair of the same village may submit
    approval_submit(actor=fresh(world.chair_v11), request=req)


def test_foreign_accountant_cannot_open_a_request(world, doc):
    with pytest.raises(NotPermitted):
        approval_request_create(
            actor=fresh(world.acc_v31), subject=doc, kind="test_document", title="x", region_code=doc.region_code
        )
    assert ApprovalRequest.objects.count() == 0


def test_one_open_request_per_subject(world, doc):
    _open(world, doc)
    with pytest.raises(StateConflict):
        _open(world, doc)


def test_two_stages_township_then_county(world, doc):
    req = _open(world, doc, kind="test_document_two_stage")
    approval_submit(actor=fresh(world.acc_v11), request=req)
    assert can_decide(fresh(world.county_a_off), req) is None
    approval_approve(actor=fresh(world.twp_t1), request=req, comment="乡镇同意")
    req.refresh_from_db()
    assert req.state == ApprovalState.SUBMITTED
    assert (req.stage_index, req.decider_role, req.decider_prefix) == (1, "county_official", "371323")
    assert list(approval_inbox(fresh(world.twp_t1))) == []
    assert list(approval_inbox(fresh(world.county_a_off))) == [req]
    with pytest.raises(NotPermitted):
        approval_approve(actor=fresh(world.county_b_off), request=req)
    approval_approve(actor=fresh(world.county_a_off), request=req, comment="县级备案")
    req.refresh_from_db()
    doc.refresh_from_db()
    assert req.state == ApprovalState.APPROVED and doc.status == "approved"
    # a return at stage 2 goes back to the village; resubmission starts again at stage 1
    doc2 = DocumentFactory(region_code=world.v11.code)
    req2 = _open(world, doc2, kind="test_document_two_stage")
    approval_submit(actor=fresh(world.acc_v11), request=req2)
    approval_approve(actor=fresh(world.twp_t1), request=req2)
    approval_return(actor=fresh(world.county_a_off), request=req2, comment="补充材料")
    approval_submit(actor=fresh(world.acc_v11), request=req2)
    req2.refresh_from_db()
    assert (req2.stage_index, req2.decider_role) == (0, "township_official")


def test_withdraw_frees_the_subject_for_a_new_request(world, doc):
    req = _open(world, doc)
    approval_submit(actor=fresh(world.acc_v11), request=req)
    approval_withdraw(actor=fresh(world.acc_v11), request=req, comment="合同作废")
    req.refresh_from_db()
    assert req.state == ApprovalState.WITHDRAWN
    assert list(approval_inbox(fresh(world.twp_t1))) == []
    assert _open(world, doc).state == ApprovalState.DRAFT


def test_inbox_lists_oldest_first_and_only_own_township(world):
    older = DocumentFactory(region_code=world.v11.code)
    newer = DocumentFactory(region_code=world.v12.code)
    other = DocumentFactory(region_code=world.v21.code)
    reqs = []
    for d, acc in ((older, world.acc_v11), (newer, world.acc_v12), (other, world.acc_v21)):
        r = approval_request_create(
            actor=fresh(acc), subject=d, kind="test_document", title=d.title, region_code=d.region_code
        )
        approval_submit(actor=fresh(acc), request=r)
        reqs.append(r)
    assert list(approval_inbox(fresh(world.twp_t1))) == reqs[:2]
    assert list(approval_inbox(fresh(world.twp_t2))) == reqs[2:]
    assert list(approval_inbox(fresh(world.acc_v11))) == []


def test_a_failing_hook_rolls_the_decision_back(world, doc, monkeypatch):
    from tests.testapp.approvals import DocumentApproval

    req = _open(world, doc)
    approval_submit(actor=fresh(world.acc_v11), request=req)

    def boom(self, request, step):
        raise BusinessError("subject refuses")

    monkeypatch.setattr(DocumentApproval, "on_approved", boom)
    with pytest.raises(BusinessError):
        approval_approve(actor=fresh(world.twp_t1), request=req)
    req.refresh_from_db()
    assert req.state == ApprovalState.SUBMITTED
    assert not req.steps.filter(action=ApprovalAction.APPROVE).exists()


# -- four eyes (issue: hardening, finding 4) ------------------------------------------------------------


def test_who_asks_never_decides_and_the_level_above_does(world, doc):
    from core.choices import Role
    from tests.factories import UserFactory

    # an accountant of 东安村 who is also an official of its township
    both = UserFactory(
        username="acc_and_twp", roles=[(Role.VILLAGE_ACCOUNTANT, world.v11), (Role.TOWNSHIP_OFFICIAL, world.t1)]
    )
    request = approval_request_create(
        actor=fresh(both), subject=doc, kind="test_document", title=doc.title, region_code=doc.region_code
    )
    approval_submit(actor=fresh(both), request=request)
    request.refresh_from_db()
    # test_document asks the township, then the county: the township stage is hers, so it is passed over
    assert (request.decider_role, request.decider_prefix) == ("county_official", "371323")
    assert request.steps.get(action=ApprovalAction.SUBMIT).details == {"escalated_from": ["township_official"]}
    assert can_decide(fresh(both), request) is None
    assert request not in approval_inbox(fresh(both))
    with pytest.raises(NotPermitted) as refused:
        approval_approve(actor=fresh(both), request=request)
    assert refused.value.code == "own_request"
    approval_approve(actor=fresh(world.county_a_off), request=request)
    request.refresh_from_db()
    assert request.state == ApprovalState.APPROVED


def _payment_submitted(world, actor, summary: str, amount: str, paid_to=None):
    """A draft payment of 东安村's cooperative entered by ``actor`` and sent for approval."""
    import datetime

    from finance.services.vouchers import voucher_submit
    from tests.factories import CooperativeFactory
    from tests.finance.factories import a_payee, open_books, voucher

    coop = CooperativeFactory(village=world.v11)
    open_books(world.acc_v11, coop, 2026)
    rows = (("523", amount, "0"), ("101", "0", amount))
    draft = voucher(actor, coop, datetime.date(2026, 1, 8), summary, *rows, post=False, paid_to=paid_to or a_payee())
    request = voucher_submit(actor=fresh(actor), voucher=draft)
    assert request.kind == "expenditure_small"
    request.refresh_from_db()
    return draft, request


def test_a_chairs_own_payment_goes_to_the_township(world):
    from core.choices import Role
    from finance.models import Voucher
    from tests.factories import UserFactory

    # 赵德明 keeps the books and chairs the cooperative: a 9,999.99 travel refund to himself
    chair = UserFactory(
        username="zhao_deming", roles=[(Role.VILLAGE_ACCOUNTANT, world.v11), (Role.COOP_CHAIR, world.v11)]
    )
    draft, request = _payment_submitted(world, chair, "赵德明报销差旅费", "9999.99")
    assert (request.decider_role, request.decider_prefix) == ("township_official", "371323104")
    with pytest.raises(NotPermitted):
        approval_approve(actor=fresh(chair), request=request)
    with pytest.raises(NotPermitted):  # nor does another chair of the village decide it now
        approval_approve(actor=fresh(world.chair_v11), request=request)
    approval_approve(actor=fresh(world.twp_t1), request=request)
    assert Voucher.objects.get(pk=draft.pk).status == "posted"


def test_the_chair_still_decides_what_the_accountant_asks(world):
    _draft, request = _payment_submitted(world, world.acc_v11, "购买农资", "800.00")
    assert request.decider_role == "coop_chair" and request.steps.get(action=ApprovalAction.SUBMIT).details == {}
    approval_approve(actor=fresh(world.chair_v11), request=request)
    request.refresh_from_db()
    assert request.state == ApprovalState.APPROVED


def test_whom_the_subject_benefits_never_decides_and_the_level_above_does(world, doc, monkeypatch):
    from core.services.approvals import interested
    from tests.testapp.approvals import DocumentApproval

    # the policy says the document pays the township official twp_t1 (a payment's payee, say)
    monkeypatch.setattr(DocumentApproval, "beneficiaries", lambda self, subject: {world.twp_t1.pk})
    request = approval_request_create(
        actor=fresh(world.acc_v11),
        subject=doc,
        kind="test_document",
        title=doc.title,
        region_code=doc.region_code,
        reason="付给乡镇干部",
    )
    assert request.reason == "付给乡镇干部"
    approval_submit(actor=fresh(world.acc_v11), request=request, reason="付给乡镇干部本人")
    request.refresh_from_db()
    assert request.reason == "付给乡镇干部本人"
    assert (request.decider_role, request.decider_prefix) == ("county_official", "371323")
    assert request.steps.get(action=ApprovalAction.SUBMIT).details == {"escalated_from": ["township_official"]}
    assert world.twp_t1.pk in interested(request)
    with pytest.raises(NotPermitted) as refused:
        approval_approve(actor=fresh(world.twp_t1), request=request)
    assert refused.value.code == "own_request"
    approval_approve(actor=fresh(world.county_a_off), request=request)
    request.refresh_from_db()
    assert request.state == ApprovalState.APPROVED
