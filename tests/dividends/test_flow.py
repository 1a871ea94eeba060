"""The issue's done-when, through the services and the pages: an accountant drafts the year's plan
under the charter's policy, the chair checks it, the member assembly's resolution is recorded, the
township files it, executing posts the vouchers (once), and a member reads their own statement."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from core.exceptions import BusinessError, StateConflict
from core.models import ApprovalRequest
from core.services.approvals import approval_approve
from dividends.models import DistributionPlan, DistributionPolicy, Payout
from dividends.services.execution import plan_execute
from dividends.services.plans import plan_check, plan_create, plan_file, plan_input, plan_revise, plan_submit
from finance.models import CollectiveIncome, MemberAccountEntry, Voucher, VoucherLine
from tests.conftest import fresh
from tests.cooperatives.factories import CharterFactory
from tests.dividends.factories import assembly, cooperative, file_plan, worked_members
from tests.finance.factories import close_months, open_books, voucher

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_2025(world):
    """东安村's cooperative: charter applying "217", the eight members of the worked example, books of
    2025 with 50,000.00 of income closed, 2026 open."""
    coop = cooperative(world)
    acc = fresh(world.acc_v11)
    CharterFactory(cooperative=coop, state="effective", distribution_policy="217")
    members = worked_members(world, coop, acc)
    open_books(acc, coop, 2025)
    voucher(acc, coop, datetime.date(2025, 6, 30), "销售苹果", ("101", "50000.00", 0), ("501", 0, "50000.00"))
    from finance.services.members import patronage_create

    for number, amount in ((2, "3000.00"), (3, "1000.00")):  # apples delivered in 2025
        patronage_create(
            actor=acc,
            member=members[number],
            date=datetime.date(2025, 9, 1),
            product="苹果",
            quantity=D("500"),
            amount=D(amount),
        )
    close_months(acc, coop, 2025, *range(1, 13))
    from finance.models import FiscalYear
    from finance.services.closing import fiscal_year_close

    fiscal_year_close(actor=acc, fiscal_year=FiscalYear.objects.get(cooperative=coop, year=2025))
    return coop, members


def test_draft_resolve_file_execute_and_read_the_statement(world, closed_2025, client):
    coop, members = closed_2025
    acc, chair, township = fresh(world.acc_v11), fresh(world.chair_v11), fresh(world.twp_t1)
    # given the member 周大山 (no. 4, 10,000.00 of 100,000.00 capital) logs in as member_v11
    member = members[4]
    member.user = world.member_v11
    member.save(update_fields=["user"])

    # the accountant drafts 2025 under the charter's policy, from the closed books
    plan = plan_create(actor=acc, data=plan_input(cooperative=coop, year=2025))
    assert plan.policy.code == "217" and plan.surplus == D("50000.00") and plan.surplus_source == "books"
    # 217 by hand: 20% × 50,000 = 10,000.00 fund; 10% = 5,000.00 reward; 35,000.00 by shares
    assert [D(s["amount"]) for s in plan.steps] == [D("10000.00"), D("5000.00"), D("35000.00")]

    plan = plan_submit(actor=acc, plan=plan)
    with pytest.raises(BusinessError):
        plan_check(actor=acc, plan=plan)  # the chair checks, not the accountant
    plan = plan_check(actor=chair, plan=plan)
    with pytest.raises(BusinessError) as err:
        plan_file(actor=acc, plan=plan)
    assert err.value.code == "no_resolution"
    assembly(acc, plan)
    plan = plan_file(actor=acc, plan=plan)
    assert plan.state == "filing"
    request = ApprovalRequest.objects.get(kind="distribution_plan", subject_id=plan.pk)
    approval_approve(actor=township, request=request, comment="准予备案")
    plan.refresh_from_db()
    assert plan.state == "filed"

    # execution posts three vouchers: fund and reward; the distribution by shares (no patronage step)
    result = plan_execute(actor=acc, plan=plan, on=datetime.date(2026, 3, 10))
    assert result.executed and len(result.vouchers) == 2
    posted = Voucher.objects.filter(pk__in=result.plan.voucher_ids, status="posted")
    assert posted.count() == 2
    lines = VoucherLine.objects.filter(voucher__in=posted)
    assert sum(x.debit for x in lines) == sum(x.credit for x in lines) == D("50000.00")
    # member 4: 10% of 35,000.00 = 3,500.00 payable on 222 in their name
    assert lines.get(account__code="222", member=member).credit == D("3500.00")
    assert lines.get(account__code="322").credit == D("10000.00")
    assert lines.get(account__code="212").credit == D("5000.00")
    assert Payout.objects.filter(plan=plan).count() == 8
    assert MemberAccountEntry.objects.get(member=member, kind="surplus_distribution").amount == D("3500.00")
    # the collective's 30% (10,500.00) is the village collective's operating income
    income = CollectiveIncome.objects.get(cooperative=coop)
    assert (income.amount, income.year, income.village_id) == (D("10500.00"), 2025, world.v11.pk)

    # executing twice posts once, and says so
    again = plan_execute(actor=acc, plan=plan)
    assert not again.executed and "未重复记账" in again.message
    assert Voucher.objects.filter(cooperative=coop, date=datetime.date(2026, 3, 10)).count() == 2
    assert Payout.objects.filter(plan=plan).count() == 8
    client.force_login(acc)
    response = client.post(f"/dividends/plans/{plan.pk}/action/", {"action": "execute"}, follow=True)
    assert "未重复记账" in response.content.decode()

    # the member reads their own statement: 3,500.00; another member's is 404
    client.force_login(world.member_v11)
    mine = plan.allocations.get(member=member)
    page = client.get(f"/dividends/statements/{mine.pk}/")
    assert page.status_code == 200 and "3,500.00" in page.content.decode()
    other = plan.allocations.get(member=members[2])
    assert client.get(f"/dividends/statements/{other.pk}/").status_code == 404
    assert client.get(f"/dividends/plans/{plan.pk}/").status_code == 403
    assert "3,500.00" in client.get("/dividends/mine/").content.decode()


def test_a_submitted_plan_is_frozen_and_a_change_is_a_new_version(world, closed_2025):
    coop, _members = closed_2025
    acc = fresh(world.acc_v11)
    plan = plan_submit(actor=acc, plan=plan_create(actor=acc, data=plan_input(cooperative=coop, year=2025)))
    from dividends.services.plans import plan_update

    with pytest.raises(StateConflict) as err:
        plan_update(actor=acc, plan=plan, data=plan_input(cooperative=coop, year=2025, surplus=D("1.00")))
    assert err.value.code == "plan_frozen"
    with pytest.raises(StateConflict):
        plan_create(actor=acc, data=plan_input(cooperative=coop, year=2025))
    new = plan_revise(actor=acc, plan=plan)
    plan.refresh_from_db()
    assert (plan.state, new.state, new.version, new.previous_id) == ("superseded", "draft", 2, plan.pk)
    with pytest.raises(StateConflict):
        plan_execute(actor=acc, plan=new)


def test_unclosed_books_and_a_loss_give_clear_messages(world):
    coop = cooperative(world)
    acc = fresh(world.acc_v11)
    worked_members(world, coop, acc)
    open_books(acc, coop, 2026)
    with pytest.raises(BusinessError) as err:
        plan_input(cooperative=coop, year=2026)
    assert err.value.code == "books_not_closed"
    with pytest.raises(BusinessError) as err:
        plan_create(actor=acc, data=plan_input(cooperative=coop, year=2026, surplus=D("-1200.00")))
    assert err.value.code == "no_surplus" and "-1,200.00" in err.value.message
    assert not DistributionPlan.objects.exists()


def test_reserve_converted_into_capital_goes_through_the_share_ledger(world, closed_2025):
    from shares.models import Holding, ShareEntry

    coop, members = closed_2025
    acc = fresh(world.acc_v11)
    plan = plan_create(actor=acc, data=plan_input(cooperative=coop, year=2025, reserve_to_capital=D("1000.00")))
    # 1,000.00 by capital (100,000.00): collective 30% = 300.00 (kept as collective shares),
    # member 4 10% = 100.00, member 8 (3,000 + 2,000 poverty) 5% = 50.00 as ordinary shares
    plan = file_plan(world, plan)
    plan_execute(actor=acc, plan=plan, on=datetime.date(2026, 3, 10))
    conversions = ShareEntry.objects.filter(cooperative=coop, entry_type="conversion")
    assert {(e.member.number, e.share_class, e.amount) for e in conversions if e.member.number in (1, 4, 8)} == {
        (1, "collective", D("300.00")),
        (4, "ordinary", D("100.00")),
        (8, "ordinary", D("50.00")),
    }
    assert sum(e.amount for e in conversions) == D("1000.00")
    assert Holding.objects.get(member=members[4], share_class="ordinary").amount == D("10100.00")
    capital = VoucherLine.objects.filter(
        voucher__cooperative=coop, account__code="301", voucher__date=datetime.date(2026, 3, 10)
    )
    assert sum(x.credit for x in capital) == D("1000.00")
    assert VoucherLine.objects.get(voucher__in=capital.values("voucher"), account__code="322").debit == D("1000.00")


def test_law_scheme_posts_patronage_refunds_and_distribution_per_member(world, closed_2025):
    coop, members = closed_2025
    acc = fresh(world.acc_v11)
    policy = DistributionPolicy.objects.get(code="law")
    plan = file_plan(world, plan_create(actor=acc, data=plan_input(cooperative=coop, year=2025, policy=policy)))
    result = plan_execute(actor=acc, plan=plan, on=datetime.date(2026, 3, 12))
    # reserve 10% × 50,000.00 = 5,000.00; distributable 45,000.00; refund 60% = 27,000.00 by the 2025
    # transaction amounts 3,000 : 1,000 → member 2 20,250.00, member 3 6,750.00; the rest 18,000.00
    # by capital (100,000.00): member 4 10% → 1,800.00
    lines = VoucherLine.objects.filter(voucher__in=result.vouchers)
    assert lines.get(account__code="322").credit == D("5000.00")
    assert lines.get(account__code="221", member=members[2]).credit == D("20250.00")
    assert lines.get(account__code="221", member=members[3]).credit == D("6750.00")
    assert lines.get(account__code="222", member=members[4]).credit == D("1800.00")
    assert sum(x.credit for x in lines.filter(account__code="221")) == D("27000.00")
    assert sum(x.credit for x in lines.filter(account__code="222")) == D("18000.00")
    refund = MemberAccountEntry.objects.get(member=members[2], kind="patronage_refund")
    assert refund.amount == D("20250.00")


def test_member_lines_go_into_numbered_parts_each_line_written_once(world, closed_2025, monkeypatch):
    from django.apps import apps

    from dividends.services import execution

    coop, _members = closed_2025
    acc = fresh(world.acc_v11)
    monkeypatch.setattr(execution, "LINES_PER_VOUCHER", 3)
    plan = file_plan(world, plan_create(actor=acc, data=plan_input(cooperative=coop, year=2025)))
    result = plan_execute(actor=acc, plan=plan, on=datetime.date(2026, 3, 10))
    # 217: the fund and reward voucher, then the eight members' distribution in parts of three
    summaries = [v.summary for v in result.vouchers]
    assert summaries[1:] == [f"2025年剩余盈余按股分配（{n}/3）" for n in (1, 2, 3)]
    assert [v.number for v in result.vouchers] == [1, 2, 3, 4]
    lines = VoucherLine.objects.filter(voucher__in=result.vouchers)
    assert lines.filter(account__code="222").count() == 8 and all(line.is_posted for line in lines)
    for v in result.vouchers:
        assert v.status == "posted" and v.posted_by == acc
        assert sum(x.debit for x in v.lines.all()) == sum(x.credit for x in v.lines.all()) == v.total_debit
    # written posted: one history event per line, its insert, already posted
    events = apps.get_model("finance", "VoucherLineEvent").objects.filter(pgh_obj__in=lines)
    assert sorted(events.values_list("pgh_label", "is_posted").distinct()) == [("insert", True)]
    assert events.count() == lines.count()


def test_payouts_are_recorded_paid_in_cash_or_to_a_bank_account_with_a_signature(world, closed_2025, client):
    coop, members = closed_2025
    acc = fresh(world.acc_v11)
    plan = file_plan(world, plan_create(actor=acc, data=plan_input(cooperative=coop, year=2025)))
    plan_execute(actor=acc, plan=plan, on=datetime.date(2026, 3, 10))
    # 217 on 35,000.00 by shares: member 4 holds 10% → 3,500.00 listed, unpaid, in cash by default
    payout = Payout.objects.get(plan=plan, member=members[4])
    assert (payout.amount, payout.method, payout.status) == (D("3500.00"), "cash", "unpaid")
    client.force_login(acc)
    listing = client.get(f"/dividends/plans/{plan.pk}/payouts/").content.decode()
    assert "发放方式" in listing and "现金" in listing and "未发放" in listing

    url = f"/dividends/payouts/{payout.pk}/"
    # to the bank without an account, or with nobody signing: refused, with the reason on the field
    page = client.post(url, {"method": "bank", "bank_account": "", "paid_on": "2026-03-15", "signed_by": "周大山"})
    assert page.status_code == 200 and "请填写收款银行账号" in page.content.decode()
    page = client.post(url, {"method": "cash", "paid_on": "2026-03-15", "signed_by": "  "})
    assert page.status_code == 200
    payout.refresh_from_db()
    assert payout.status == "unpaid"

    page = client.post(
        url, {"method": "bank", "bank_account": "6228480000000000018", "paid_on": "2026-03-15", "signed_by": "周大山"}
    )
    assert page.status_code == 302
    payout.refresh_from_db()
    assert (payout.status, payout.method, payout.bank_account, payout.paid_on, payout.signed_by) == (
        "paid",
        "bank",
        "6228480000000000018",
        datetime.date(2026, 3, 15),
        "周大山",
    )
    # paid once: a second record is refused and changes nothing
    page = client.post(url, {"method": "cash", "paid_on": "2026-03-16", "signed_by": "周大山"})
    assert page.status_code == 200 and "已登记为已发放" in page.content.decode()
    payout.refresh_from_db()
    assert payout.paid_on == datetime.date(2026, 3, 15)

    # the member's statement shows it paid, by bank, on the day
    member = members[4]
    member.user = world.member_v11
    member.save(update_fields=["user"])
    client.force_login(world.member_v11)
    statement = client.get(f"/dividends/statements/{plan.allocations.get(member=member).pk}/").content.decode()
    assert "已发放" in statement and "2026-03-15" in statement
