"""A plan from drafting to payment, through the services and the pages: the law by the
cooperative's kind, year N's plan booked in year N, the member accounts, the payout list and the
books telling one story. Every figure is worked out by hand in the comments.

The worked example (``tests.dividends.factories.WORKED``): eight members holding 100,000.00 —
the collective 30,000; member 2 20,000; 3 15,000; 4 10,000; 5 8,000; 6 5,000 (poverty shares);
7 7,000; 8 3,000 + 2,000 poverty. In 2025 the cooperative sells 50,000.00 of apples and buys
apples from member 2 (3,000.00) and member 3 (1,000.00).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from core.exceptions import BusinessError, StateConflict
from core.models import ApprovalRequest
from core.services.approvals import approval_approve
from dividends.models import DistributionPlan, DistributionPolicy, Payout
from dividends.services.execution import payout_mark_paid, plan_execute
from dividends.services.plans import plan_check, plan_create, plan_file, plan_input, plan_revise, plan_submit
from finance.models import CollectiveIncome, FiscalYear, MemberAccountEntry, Voucher, VoucherLine
from finance.selectors.ledgers import resolve_range
from finance.selectors.statements import statement
from finance.selectors.tieout import cooperative_tie_out
from finance.services.closing import fiscal_year_close
from tests.conftest import fresh
from tests.cooperatives.factories import CharterFactory
from tests.dividends.factories import assembly, cooperative, file_plan, worked_members
from tests.finance.factories import close_months, open_books, voucher

D = Decimal
pytestmark = pytest.mark.django_db
YEAR_END = datetime.date(2025, 12, 31)


def _sell_and_trade(acc, coop, members):
    from finance.services.members import patronage_create

    voucher(acc, coop, datetime.date(2025, 6, 30), "销售苹果", ("101", "50000.00", 0), ("501", 0, "50000.00"))
    for number, amount in ((2, "3000.00"), (3, "1000.00")):  # apples delivered in 2025
        patronage_create(
            actor=acc,
            member=members[number],
            date=datetime.date(2025, 9, 1),
            product="苹果",
            quantity=D("500"),
            amount=D(amount),
        )


@pytest.fixture
def december_2025(world):
    """东安村's farmer cooperative, charter applying "217-law": the books start in 2025 (the members'
    subscriptions of 1 January are booked), the year's twelve months are closed, the year is not."""
    coop = cooperative(world)
    acc = fresh(world.acc_v11)
    CharterFactory(cooperative=coop, state="effective", distribution_policy="217-law")
    open_books(acc, coop, 2025)
    members = worked_members(world, coop, acc)
    _sell_and_trade(acc, coop, members)
    close_months(acc, coop, 2025, *range(1, 13))
    return coop, members


def _year(coop, year):
    return FiscalYear.objects.get(cooperative=coop, year=year)


def test_217_as_written_is_refused_for_a_farmer_cooperative_whose_members_traded(world, december_2025):
    coop, _members = december_2025
    acc = fresh(world.acc_v11)
    policy = DistributionPolicy.objects.get(code="217")
    with pytest.raises(BusinessError) as err, translation.override("zh-hans"):
        plan_create(actor=acc, data=plan_input(cooperative=coop, year=2025, policy=policy))
    # 217 by hand: 20% × 50,000 = 10,000.00 fund; 10% = 5,000.00 reward; 35,000.00 left, all by
    # shares. Art. 44: at least 60% × 35,000.00 = 21,000.00 by transactions; 217 returns nothing
    assert err.value.code == "law_patronage_refund"
    assert "35,000.00" in err.value.message and "21,000.00" in err.value.message
    assert "《农民专业合作社法》第四十四条" in err.value.message  # the article, as the accountant reads it
    assert not DistributionPlan.objects.exists()


def test_year_2025_plan_is_booked_in_2025_and_the_statements_agree(world, december_2025, client):
    coop, members = december_2025
    acc, chair, township = fresh(world.acc_v11), fresh(world.chair_v11), fresh(world.twp_t1)

    plan = plan_create(actor=acc, data=plan_input(cooperative=coop, year=2025))
    assert plan.policy.code == "217-law" and plan.surplus == D("50000.00") and plan.surplus_source == "books"
    # 217 inside the law, by hand: losses 0; fund 20% = 10,000.00; manager reward 10% = 5,000.00 (an
    # expense of the year); distributable 35,000.00: refund 60% = 21,000.00 by transactions
    # (3,000 : 1,000 → member 2 15,750.00, member 3 5,250.00), the rest 14,000.00 by capital
    # (member 4 10% → 1,400.00; the collective 30% → 4,200.00)
    assert [(s["kind"], D(s["amount"])) for s in plan.steps] == [
        ("losses", D("0.00")),
        ("dev_fund", D("10000.00")),
        ("manager_reward", D("5000.00")),
        ("patronage", D("21000.00")),
        ("shares", D("14000.00")),
    ]
    assert plan.distributable == D("35000.00") and not plan.no_transactions
    mine = {a.member.number: a for a in plan.allocations.select_related("member")}
    assert (mine[2].patronage_refund, mine[2].share_dividend) == (D("15750.00"), D("2800.00"))
    assert (mine[4].share_dividend, mine[1].share_dividend) == (D("1400.00"), D("4200.00"))
    # the fund is quantified to the members by the charter's basis (by contribution): member 4 1,000.00
    assert (mine[4].reserve_share, mine[1].reserve_share) == (D("1000.00"), D("3000.00"))

    plan = plan_submit(actor=acc, plan=plan)
    with pytest.raises(BusinessError):
        plan_check(actor=acc, plan=plan)  # the chair checks, not the accountant
    plan = plan_check(actor=chair, plan=plan)
    with pytest.raises(BusinessError) as err:
        plan_file(actor=acc, plan=plan)
    assert err.value.code == "no_resolution"
    assembly(acc, plan)
    plan = plan_file(actor=acc, plan=plan)
    approval_approve(actor=township, request=ApprovalRequest.objects.get(kind="distribution_plan", subject_id=plan.pk))
    plan.refresh_from_db()
    assert plan.state == "filed"
    # the year waits for its plan
    with pytest.raises(StateConflict) as err:
        fiscal_year_close(actor=acc, fiscal_year=_year(coop, 2025))
    assert err.value.code == "plan_under_way"

    result = plan_execute(actor=acc, plan=plan, on=datetime.date(2026, 3, 10))
    # reward accrued and transferred, the fund, the refund, the distribution: five entries, all in
    # the closed December of 2025
    assert result.executed and len(result.vouchers) == 5
    assert {v.date for v in result.vouchers} == {YEAR_END} and result.plan.executed_on == YEAR_END
    lines = VoucherLine.objects.filter(voucher__in=result.vouchers)
    # the reward: Dr 管理费用 / Cr 应付工资, and 管理费用 transferred to 本年盈余 with the year's expenses
    assert lines.get(account__code="523", voucher__kind="distribution").debit == D("5000.00")
    assert lines.get(account__code="331", voucher__kind="period_close").debit == D("5000.00")
    assert lines.get(account__code="212").credit == D("5000.00")
    assert lines.get(account__code="322", member=members[4]).credit == D("1000.00")
    assert lines.get(account__code="221", member=members[2]).credit == D("15750.00")
    assert lines.get(account__code="222", member=members[4]).credit == D("1400.00")
    reserve_share = MemberAccountEntry.objects.get(member=members[4], kind="reserve_share")
    assert (reserve_share.amount, reserve_share.year) == (D("1000.00"), 2025)
    refund = MemberAccountEntry.objects.get(member=members[2], kind="patronage_refund")
    assert (refund.amount, refund.year) == (D("15750.00"), 2025)
    # the collective's 4,200.00 is the village collective's income of 2025
    income = CollectiveIncome.objects.get(cooperative=coop)
    assert (income.amount, income.year) == (D("4200.00"), 2025)

    # 2025's surplus statement shows 2025's distribution: 本年盈余 45,000.00 after the reward
    surplus = statement(coop, "surplus", resolve_range(coop, year=2025, period_from=1, period_to=12))
    figures = {n: surplus.value(n) for n in (5, 12, 15, 16, 17, 18, 20)}
    assert figures == {
        5: D("5000.00"),
        12: D("45000.00"),
        15: D("10000.00"),
        16: D("35000.00"),
        17: D("21000.00"),
        18: D("14000.00"),
        20: D("0.00"),
    }
    fiscal_year_close(actor=acc, fiscal_year=_year(coop, 2025))
    rng = resolve_range(coop, year=2025, period_from=1, period_to=12)
    assert statement(coop, "balance_sheet", rng).value(40) == D("0.00")
    tie = cooperative_tie_out(coop)
    assert tie.ok, [d.describe() for d in tie.differences] + tie.notes
    assert tie.totals["capital"].books == D("100000.00")
    assert tie.totals["payouts"].books == D("35000.00")  # 21,000.00 + 14,000.00 still owed

    # executing twice posts once, and says so
    with translation.override("zh-hans"):
        again = plan_execute(actor=acc, plan=plan)
    assert not again.executed and "未重复记账" in again.message
    assert Payout.objects.filter(plan=plan).count() == 8
    client.force_login(acc)
    response = client.post(f"/dividends/plans/{plan.pk}/action/", {"action": "execute"}, follow=True)
    assert "未重复记账" in response.content.decode()

    # the member reads their own statement: 1,400.00; another member's is 404
    member = members[4]
    member.user = world.member_v11
    member.save(update_fields=["user"])
    client.force_login(world.member_v11)
    page = client.get(f"/dividends/statements/{mine[4].pk}/")
    assert page.status_code == 200 and "1,400.00" in page.content.decode()
    assert client.get(f"/dividends/statements/{mine[2].pk}/").status_code == 404
    assert client.get(f"/dividends/plans/{plan.pk}/").status_code == 403


def test_a_plan_of_a_closed_year_is_booked_when_it_is_carried_out(world, december_2025):
    coop, _members = december_2025
    acc = fresh(world.acc_v11)
    fiscal_year_close(actor=acc, fiscal_year=_year(coop, 2025))  # 2026 opens with 50,000.00 undistributed
    plan = file_plan(world, plan_create(actor=acc, data=plan_input(cooperative=coop, year=2025)))
    result = plan_execute(actor=acc, plan=plan, on=datetime.date(2026, 3, 10))
    # the year closed first: the entries go into March 2026, and the reward, an expense of 2025
    # that 2025 can no longer take, comes off the undistributed surplus (Dr 33202 / Cr 212)
    assert {v.date for v in result.vouchers} == {datetime.date(2026, 3, 10)} and len(result.vouchers) == 4
    lines = VoucherLine.objects.filter(voucher__in=result.vouchers)
    assert lines.get(account__code="33202").debit == D("5000.00")
    # 2026's surplus statement: 50,000.00 carried in, 5,000.00 reward out (其他转入 −5,000.00), the
    # fund 10,000.00, refund 21,000.00, distribution 14,000.00: nothing left undistributed
    surplus = statement(coop, "surplus", resolve_range(coop, year=2026, period_from=1, period_to=3))
    assert [surplus.value(n) for n in (13, 14, 15, 16, 17, 18, 20)] == [
        D("50000.00"),
        D("-5000.00"),
        D("10000.00"),
        D("35000.00"),
        D("21000.00"),
        D("14000.00"),
        D("0.00"),
    ]
    tie = cooperative_tie_out(coop)
    assert tie.ok, [d.describe() for d in tie.differences] + tie.notes


def test_law_scheme_quantifies_the_reserve_and_pays_out(world, december_2025, client):
    coop, members = december_2025
    acc = fresh(world.acc_v11)
    policy = DistributionPolicy.objects.get(code="law")
    plan = file_plan(world, plan_create(actor=acc, data=plan_input(cooperative=coop, year=2025, policy=policy)))
    result = plan_execute(actor=acc, plan=plan)
    # the charter names no rate: the law policy's 10% × 50,000.00 = 5,000.00 reserve, quantified
    # by contribution (member 4 10% → 500.00); distributable 45,000.00; refund 60% = 27,000.00 by
    # 3,000 : 1,000 → member 2 20,250.00, member 3 6,750.00; the rest 18,000.00 by capital and
    # quantified shares (none yet) → member 4 1,800.00
    lines = VoucherLine.objects.filter(voucher__in=result.vouchers)
    assert sum(x.credit for x in lines.filter(account__code="322")) == D("5000.00")
    assert lines.get(account__code="322", member=members[4]).credit == D("500.00")
    assert lines.get(account__code="221", member=members[2]).credit == D("20250.00")
    assert lines.get(account__code="221", member=members[3]).credit == D("6750.00")
    assert lines.get(account__code="222", member=members[4]).credit == D("1800.00")

    # 2026 opens; member 4 is paid 1,800.00 in cash on 15 January: Dr 222 / Cr 101, in the books at once
    fiscal_year_close(actor=acc, fiscal_year=_year(coop, 2025))
    payout = Payout.objects.get(plan=plan, member=members[4])
    assert (payout.amount, payout.method, payout.status) == (D("1800.00"), "cash", "unpaid")
    client.force_login(acc)
    listing = client.get(f"/dividends/plans/{plan.pk}/payouts/").content.decode()
    assert "发放方式" in listing and "现金" in listing and "未发放" in listing
    url = f"/dividends/payouts/{payout.pk}/"
    # to the bank without an account, or with nobody signing: refused, with the reason on the field
    page = client.post(url, {"method": "bank", "bank_account": "", "paid_on": "2026-01-15", "signed_by": "周大山"})
    assert page.status_code == 200 and "请填写收款银行账号" in page.content.decode()
    page = client.post(url, {"method": "cash", "paid_on": "2026-01-15", "signed_by": "周大山"})
    assert page.status_code == 302
    payout.refresh_from_db()
    assert (payout.status, payout.paid_on, payout.voucher.kind) == ("paid", datetime.date(2026, 1, 15), "payout")
    paid = {(x.account.code, x.member_id): (x.debit, x.credit) for x in payout.voucher.lines.select_related("account")}
    assert paid == {("222", members[4].pk): (D("1800.00"), 0), ("101", None): (0, D("1800.00"))}
    # paid once: a second record is refused and changes nothing
    page = client.post(url, {"method": "cash", "paid_on": "2026-01-16", "signed_by": "周大山"})
    assert page.status_code == 200 and "已登记为已发放" in page.content.decode()
    # member 2's 20,250.00 + 20% × 18,000.00 = 3,600.00 to the bank: Dr 221, Dr 222 / Cr 102 23,850.00
    second = payout_mark_paid(
        actor=acc,
        payout=Payout.objects.get(plan=plan, member=members[2]),
        method="bank",
        paid_on=datetime.date(2026, 1, 20),
        signed_by="孙丽华",
        bank_account="6228480000000000018",
    )
    assert sorted((x.account.code, x.debit, x.credit) for x in second.voucher.lines.select_related("account")) == [
        ("102", 0, D("23850.00")),
        ("221", D("20250.00"), 0),
        ("222", D("3600.00"), 0),
    ]
    tie = cooperative_tie_out(coop)
    assert tie.ok, [d.describe() for d in tie.differences] + tie.notes
    # a payout in a month already closed is refused: the books would not show it
    close_months(acc, coop, 2026, 1)
    with pytest.raises(StateConflict):
        payout_mark_paid(
            actor=acc,
            payout=Payout.objects.get(plan=plan, member=members[3]),
            method="cash",
            paid_on=datetime.date(2026, 1, 30),
            signed_by="周大山",
        )


def test_member_lines_go_into_numbered_parts_each_line_written_once(world, december_2025, monkeypatch):
    from django.apps import apps

    from dividends.services import execution

    coop, _members = december_2025
    acc = fresh(world.acc_v11)
    monkeypatch.setattr(execution, "LINES_PER_VOUCHER", 3)
    plan = file_plan(world, plan_create(actor=acc, data=plan_input(cooperative=coop, year=2025)))
    result = plan_execute(actor=acc, plan=plan)
    # the reward (two entries), the fund, the refund of two members (one part), then the eight
    # members' distribution in parts of three
    summaries = [v.summary for v in result.vouchers]
    assert summaries[4:] == [f"2025年剩余盈余按股分配（{n}/3）" for n in (1, 2, 3)]
    lines = VoucherLine.objects.filter(voucher__in=result.vouchers)
    assert lines.filter(account__code="222").count() == 8 and all(line.is_posted for line in lines)
    for v in result.vouchers:
        assert v.status == "posted" and v.posted_by == acc
        assert sum(x.debit for x in v.lines.all()) == sum(x.credit for x in v.lines.all()) == v.total_debit
    # written posted: one history event per line, its insert, already posted
    events = apps.get_model("finance", "VoucherLineEvent").objects.filter(pgh_obj__in=lines)
    assert sorted(events.values_list("pgh_label", "is_posted").distinct()) == [("insert", True)]
    assert events.count() == lines.count()


def test_a_submitted_plan_is_frozen_and_a_change_is_a_new_version(world, december_2025):
    coop, _members = december_2025
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


def test_taken_over_books_a_prior_year_plan_and_reserve_converted_into_capital(world):
    """The demo's story: the books start in Lingban on 1 January 2026; the register (kept since
    2025) and the old books' opening balances are tied out at takeover; 2025's surplus, kept in the
    old books, is distributed from an entered figure; part of the reserve becomes capital."""
    from finance.services.takeover import capital_takeover, reserve_takeover
    from shares.models import Holding, ShareEntry
    from tests.finance.factories import opening

    coop = cooperative(world)
    acc = fresh(world.acc_v11)
    CharterFactory(cooperative=coop, state="effective", distribution_policy="217-law")
    members = worked_members(world, coop, acc)  # subscribed on 1 January 2025, before the books
    open_books(acc, coop, 2026)
    # the old books: 60,000 of cash and bank, capital kept as one figure of 55,000 (land never
    # booked), 5,000 of reserve, not quantified
    opening(acc, coop, 2026, ("101", "60000.00", 0), ("301", 0, "55000.00"), ("322", 0, "5000.00"))
    tie = cooperative_tie_out(coop)
    assert not tie.ok and tie.totals["capital"].register == D("100000.00")
    assert tie.totals["capital"].books == D("55000.00")
    # takeover: 股金 per member as the register says, the 45,000.00 more booked to 无形资产
    capital_takeover(actor=acc, cooperative=coop, offset_code="161", reason="土地经营权入股未入账，按登记簿补记")
    # and the 5,000.00 reserve quantified by contribution: the collective 1,500.00, member 4 500.00
    reserve_takeover(actor=acc, cooperative=coop, reason="建账时按出资额量化")
    tie = cooperative_tie_out(coop)
    assert tie.ok, [d.describe() for d in tie.differences] + tie.notes
    assert tie.totals["reserve"].register == D("5000.00")

    # 2025's surplus of 40,000.00 from the old books, 1,000.00 of reserve into capital. Nobody traded
    # in 2025. 217 inside the law: fund 20% 8,000.00; reward 10% 4,000.00; 28,000.00 by capital and
    # quantified shares (105,000 in the proportions of capital) → member 4 10% → 2,800.00
    plan = plan_create(
        actor=acc,
        data=plan_input(cooperative=coop, year=2025, surplus=D("40000.00"), reserve_to_capital=D("1000.00")),
    )
    assert plan.no_transactions
    mine = {a.member.number: a for a in plan.allocations.select_related("member")}
    assert mine[4].share_dividend == D("2800.00")
    # the 1,000.00 comes out of the reserve shares (5,000.00 in all): member 4 500/5,000 → 100.00,
    # the collective 300.00, member 8 (250.00 of reserve) 50.00
    assert (mine[4].capital_conversion, mine[1].capital_conversion, mine[8].capital_conversion) == (
        D("100.00"),
        D("300.00"),
        D("50.00"),
    )
    plan = file_plan(world, plan)
    result = plan_execute(actor=acc, plan=plan, on=datetime.date(2026, 3, 10))
    assert {v.date for v in result.vouchers} == {datetime.date(2026, 3, 10)}
    # the reward is a prior year's expense: Dr 33202 4,000.00 / Cr 212
    assert VoucherLine.objects.get(voucher__in=result.vouchers, account__code="33202").debit == D("4000.00")
    assert Holding.objects.get(member=members[4], share_class="ordinary").amount == D("10100.00")
    assert ShareEntry.objects.get(member=members[1], entry_type="conversion").share_class == "collective"
    # member 4's weight is unchanged in total: capital 10,000 → 10,100, reserve share 500 + 800 (this
    # year's fund, by contribution) − 100 converted = 1,200
    reserve = sum(e.amount for e in MemberAccountEntry.objects.filter(member=members[4], kind="reserve_share"))
    assert reserve == D("1200.00")
    tie = cooperative_tie_out(coop)
    assert tie.ok, [d.describe() for d in tie.differences] + tie.notes
    assert tie.totals["capital"].books == D("101000.00")
    # reward, fund, distribution by shares, conversion (nobody traded: no refund)
    assert Voucher.objects.filter(cooperative=coop, kind="distribution").count() == 4


def test_the_chair_returns_a_plan_with_a_comment_or_checks_it_with_one(world, december_2025, client):
    """The chair's check is a decision like the others: approve or send back, with a comment; the
    accountant who drafted it is told why."""
    from core.models import Notification

    coop, _members = december_2025
    acc, chair = fresh(world.acc_v11), fresh(world.chair_v11)
    plan = plan_submit(actor=acc, plan=plan_create(actor=acc, data=plan_input(cooperative=coop, year=2025)))
    client.force_login(chair)
    url = f"/dividends/plans/{plan.pk}/action/"
    with translation.override("zh-hans"):
        page = client.get(plan.get_absolute_url()).content.decode()
        assert "退回会计修改" in page and "意见（退回时必填）" in page
        refused = client.post(url, {"action": "return", "comment": "  "}, follow=True).content.decode()
    assert "退回前请写明需要修改的地方。" in refused
    plan.refresh_from_db()
    assert plan.state == "checking"

    comment = "经营者报酬比例请按章程第二十八条改为8%"
    client.post(url, {"action": "return", "comment": comment})
    plan.refresh_from_db()
    assert (plan.state, plan.check_comment) == ("draft", comment)
    told = Notification.objects.get(recipient=acc, kind="returned")
    assert comment in told.text and told.link == plan.get_absolute_url()
    client.force_login(acc)
    with translation.override("zh-hans"):
        assert comment in client.get(plan.get_absolute_url()).content.decode()

    plan = plan_submit(actor=acc, plan=plan)
    client.force_login(chair)
    client.post(url, {"action": "check", "comment": "已按章程修改，同意提交成员大会"})
    plan.refresh_from_db()
    assert (plan.state, plan.checked_by, plan.check_comment) == ("checked", chair, "已按章程修改，同意提交成员大会")
