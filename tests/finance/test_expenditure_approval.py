"""Expenditure approval (DOMAIN.md 1.4; seed 004): from 10,000 yuan the township approves, below it the chair."""

import datetime

import pytest

from core.choices import ApprovalState
from core.exceptions import BusinessError, NotPermitted
from core.models import ApprovalRequest
from core.selectors import approval_inbox
from core.services.approvals import approval_approve, approval_return
from finance.services.vouchers import voucher_post, voucher_submit
from tests.finance.factories import a_payee, voucher

DAY = datetime.date(2026, 1, 20)


def _pay(acc, coop, amount):
    return voucher(
        acc, coop, DAY, f"支付{amount}", ("211", amount, 0), ("102", 0, amount), post=False, paid_to=a_payee()
    )


def test_ten_thousand_waits_for_the_township_while_9999_99_needs_only_the_chair(books, acc, chair, township, seed004):
    # seed 004: "any expenditure of 10,000 yuan or more needs township review and approval"
    big = _pay(acc, books, "10000.00")
    with pytest.raises(BusinessError) as err:
        voucher_post(actor=acc, voucher=big)
    assert err.value.code == "approval_required" and "10,000.00" in err.value.message
    request = voucher_submit(actor=acc, voucher=big)
    assert request.kind == "expenditure" and request.decider_role == "township_official"
    assert list(approval_inbox(township)) == [request]
    assert not approval_inbox(chair).exists()
    big.refresh_from_db()
    assert big.status == "pending" and big.number is None
    with pytest.raises(NotPermitted):  # the chair cannot decide it
        approval_approve(actor=chair, request=request)
    approval_approve(actor=township, request=ApprovalRequest.objects.get(pk=request.pk))
    big.refresh_from_db()
    assert big.status == "posted" and big.number == 1 and big.posted_by == township

    # 9,999.99 is below the threshold: the chair's approval suffices
    small = _pay(acc, books, "9999.99")
    request = voucher_submit(actor=acc, voucher=small)
    assert request.kind == "expenditure_small" and request.decider_role == "coop_chair"
    assert list(approval_inbox(chair)) == [request]
    assert not approval_inbox(township).filter(pk=request.pk).exists()
    approval_approve(actor=chair, request=ApprovalRequest.objects.get(pk=request.pk))
    small.refresh_from_db()
    assert small.status == "posted" and small.number == 2


def test_vouchers_paying_nothing_out_post_directly(books, acc, seed004):
    # a receipt, and cash deposited in the bank (both sides cash or bank), need no approval
    receipt = voucher(acc, books, DAY, "收款", ("102", "50000", 0), ("501", 0, "50000"))
    deposit = voucher(acc, books, DAY, "现金存银行", ("102", "20000", 0), ("101", 0, "20000"))
    assert receipt.status == deposit.status == "posted"
    # but a receipt booked with a payment does not hide the payment
    mixed = voucher(
        acc,
        books,
        DAY,
        "收付",
        ("102", "15000", 0),
        ("211", "12000", 0),
        ("501", 0, "15000"),
        ("102", 0, "12000"),
        post=False,
    )
    assert mixed.payment_amount == 12000
    with pytest.raises(BusinessError):
        voucher_post(actor=acc, voucher=mixed)


def test_returned_payment_is_a_draft_again(books, acc, township, seed004):
    v = _pay(acc, books, "12000.00")
    request = voucher_submit(actor=acc, voucher=v)
    approval_return(actor=township, request=ApprovalRequest.objects.get(pk=request.pk), comment="附上发票")
    v.refresh_from_db()
    assert v.status == "draft"
    request = voucher_submit(actor=acc, voucher=v, comment="已补发票")
    assert request.state == ApprovalState.SUBMITTED


def test_threshold_follows_the_county_profile(books, acc, seed004):
    from core.models import PolicyProfile

    profile = seed004.profile
    custom = PolicyProfile.objects.create(
        code="county-a", name="县定", county=seed004.county, based_on=profile, expenditure_approval_threshold=5000
    )
    seed004.profile = custom
    seed004.save()
    request = voucher_submit(actor=acc, voucher=_pay(acc, books, "6000.00"))
    assert request.kind == "expenditure"
