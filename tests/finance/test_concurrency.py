"""Vouchers under concurrent writers, on the real PostgreSQL with threads and their own connections:
postings into one month take distinct gap-free numbers and lose no line; the same posting submitted
twice (a double click, a retried request) posts once."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import Sum

from finance.choices import VoucherStatus
from finance.models import Period, Voucher, VoucherLine
from finance.services.vouchers import voucher_post
from tests.concurrency import run_at_once
from tests.conftest import fresh
from tests.factories import CooperativeFactory, RegionFactory, UserFactory
from tests.finance.factories import open_books, voucher

pytestmark = pytest.mark.django_db(transaction=True)


def _books(code: str):
    village = RegionFactory(code=code, level="village", name="并发村")
    actor = UserFactory(username=f"acc_{code}", roles=[("village_accountant", village)])
    return actor, open_books(fresh(actor), CooperativeFactory(village=village), 2026)


def _draft(actor, coop, day: int, amount: str) -> Voucher:
    return voucher(
        fresh(actor),
        coop,
        datetime.date(2026, 5, day),
        f"销售{day}",
        ("102", amount, 0),
        ("501", 0, amount),
        post=False,
    )


def test_the_same_posting_submitted_at_once_by_six_requests_posts_once():
    # given one draft of 150.00 in May
    actor, coop = _books("371323104298")
    draft = _draft(actor, coop, 3, "150.00")

    # when six requests post it at the same moment
    outcomes = run_at_once(lambda: voucher_post(actor=fresh(actor), voucher=Voucher.objects.get(pk=draft.pk)), [()] * 6)

    # then one posted it (number 1) and five were told it is already posted; the month's counter is 1
    assert outcomes == ["already_posted"] * 5 + ["ok"]
    posted = Voucher.objects.get(pk=draft.pk)
    assert (posted.status, posted.number) == (VoucherStatus.POSTED, 1)
    assert Period.objects.get(pk=posted.period_id).last_voucher_number == 1
    assert VoucherLine.objects.filter(voucher=posted, is_posted=True).count() == 2


def test_postings_and_a_double_submit_mixed_in_one_month_lose_nothing():
    # given five drafts of May: 10, 20, 30, 40, 50 (total 150.00), the first one submitted three times
    actor, coop = _books("371323104297")
    drafts = [_draft(actor, coop, i + 1, f"{10 * (i + 1)}.00") for i in range(5)]
    calls = [(drafts[0].pk,)] * 3 + [(d.pk,) for d in drafts[1:]]

    outcomes = run_at_once(lambda pk: voucher_post(actor=fresh(actor), voucher=Voucher.objects.get(pk=pk)), calls)

    # then five postings, two refusals; numbers 1..5 with no gap or repeat; every line posted
    assert outcomes == ["already_posted"] * 2 + ["ok"] * 5
    posted = Voucher.objects.filter(cooperative=coop, status=VoucherStatus.POSTED)
    assert sorted(posted.values_list("number", flat=True)) == [1, 2, 3, 4, 5]
    lines = VoucherLine.objects.filter(cooperative=coop, is_posted=True)
    # 10 + 20 + 30 + 40 + 50 = 150.00 on each side
    assert lines.aggregate(d=Sum("debit"), c=Sum("credit")) == {"d": Decimal("150.00"), "c": Decimal("150.00")}
    assert lines.count() == 10


def test_two_parts_to_one_payee_submitted_at_once_add_up():
    # given two drafts of 6,000.00 to one supplier: 6,000.00 + 6,000.00 = 12,000.00 ≥ 10,000.00
    from core.models import ApprovalRequest
    from finance.services.vouchers import voucher_submit
    from tests.finance.factories import payee

    actor, coop = _books("371323104296")
    drafts = [
        voucher(
            fresh(actor),
            coop,
            datetime.date(2026, 5, day),
            "支付化肥款",
            ("211", "6000.00", 0),
            ("102", 0, "6000.00"),
            post=False,
            paid_to=payee(name="沂水县农资公司"),
        )
        for day in (4, 5)
    ]

    # when both are submitted at the same moment
    outcomes = run_at_once(
        lambda pk: voucher_submit(actor=fresh(actor), voucher=Voucher.objects.get(pk=pk)), [(d.pk,) for d in drafts]
    )

    # then the second to get through saw the first: one goes to the chair, the other to the township
    assert outcomes == ["ok", "ok"]
    kinds = ApprovalRequest.objects.filter(subject_id__in=[d.pk for d in drafts]).values_list("kind", flat=True)
    assert sorted(kinds) == ["expenditure", "expenditure_small"]
