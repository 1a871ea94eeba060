"""One ledger: every share event posts its entry in the books in the same transaction, member by
member, and the tie-out finds any difference between the register, the member accounts and the
books. Figures worked out by hand in the comments.

The cooperative: 东安村's farmer cooperative, books open from 2026 on the cooperative chart, the
county's share rules off; members 1 the village collective, 2 赵德明 (party branch secretary), 3 孙丽华,
4 钱永福.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.exceptions import BusinessError, StateConflict
from finance.models import MemberAccountEntry, ShareBooking, Voucher, VoucherLine
from finance.selectors.tieout import cooperative_tie_out, tie_out
from finance.services.vouchers import LineInput, voucher_create
from shares.models import ShareEntry
from shares.services import (
    contribution_confirm,
    contribution_create,
    entry_reverse,
    share_transfer,
    share_withdrawal_apply,
    share_withdrawal_execute,
)
from tests.conftest import fresh
from tests.dividends.factories import cooperative
from tests.finance.factories import account, close_months, open_books, opening
from tests.members.factories import CollectiveFactory, MemberFactory

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger(world):
    coop = cooperative(world)
    acc = fresh(world.acc_v11)
    open_books(acc, coop, 2026)
    members = {
        1: CollectiveFactory(cooperative=coop, number=1, name="东安村股份经济合作社"),
        2: MemberFactory(cooperative=coop, number=2, name="赵德明", is_branch_member=True, is_party_member=True),
        3: MemberFactory(cooperative=coop, number=3, name="孙丽华"),
        4: MemberFactory(cooperative=coop, number=4, name="钱永福"),
    }
    return coop, acc, members


def contribute(acc, member, day, **data):
    data = {"kind": "cash", **data}
    contribution = contribution_create(actor=acc, member=member, contributed_on=day, **data)
    return contribution_confirm(actor=acc, contribution=contribution)


def lines_of(voucher) -> set[tuple]:
    """(code, member number or None, debit, credit) of each line."""
    return {
        (x.account.code, x.member.number if x.member else None, x.debit, x.credit)
        for x in voucher.lines.select_related("account", "member")
    }


def assert_ties_out(coop):
    result = cooperative_tie_out(coop)
    assert result.ok, [d.describe() for d in result.differences] + result.notes
    return result


def test_a_cash_contribution_posts_cash_against_the_members_capital(ledger):
    coop, acc, m = ledger
    # 孙丽华 pays in 3,000.00 in cash on 10 January: Dr 101 3,000.00 / Cr 301 (孙丽华) 3,000.00
    result = contribute(acc, m[3], datetime.date(2026, 1, 10), amount=D("3000.00"))
    (voucher,) = result.vouchers
    assert (voucher.kind, voucher.date, voucher.status, voucher.number) == (
        "shares",
        datetime.date(2026, 1, 10),
        "posted",
        1,
    )
    assert lines_of(voucher) == {("101", None, D("3000.00"), 0), ("301", 3, 0, D("3000.00"))}
    assert ShareBooking.objects.get(voucher=voucher).operation == result.entries[0].operation
    tie = assert_ties_out(coop)
    assert tie.totals["capital"].register == tie.totals["capital"].books == D("3000.00")


def test_land_rights_are_booked_as_an_intangible_asset(ledger):
    coop, acc, m = ledger
    # 4 mu at 800.00 a mu = 3,200.00: Dr 161 无形资产 / Cr 301 (钱永福)
    result = contribute(
        acc,
        m[4],
        datetime.date(2026, 2, 3),
        kind="land",
        area_mu=D("4"),
        value_per_mu=D("800.00"),
        location="东安村东洼",
        term_years=10,
        appraiser="沂水县农村经营管理站",
        appraisal_date=datetime.date(2026, 2, 1),
    )
    assert lines_of(result.vouchers[0]) == {("161", None, D("3200.00"), 0), ("301", 4, 0, D("3200.00"))}
    assert_ties_out(coop)


def test_a_contribution_goes_to_the_account_the_accountant_names(ledger):
    from finance.services.books import account_create

    coop, acc, m = ledger
    account_create(actor=acc, parent=account(coop, "102"), code="10201", name="农商银行")
    result = contribute(acc, m[3], datetime.date(2026, 1, 12), amount=D("5000.00"), booked_to="10201")
    assert lines_of(result.vouchers[0]) == {("10201", None, D("5000.00"), 0), ("301", 3, 0, D("5000.00"))}
    # a liability is not where money paid in goes: refused, and nothing is recorded
    draft = contribution_create(actor=acc, member=m[4], kind="cash", amount=D("10.00"), booked_to="211")
    with pytest.raises(BusinessError) as err:
        contribution_confirm(actor=acc, contribution=draft)
    assert (err.value.code, err.value.field) == ("wrong_account", "booked_to")
    draft.refresh_from_db()
    assert draft.state == "draft" and not ShareEntry.objects.filter(member=m[4]).exists()


def test_collective_shares_are_the_collectives_whoever_holds_them(ledger):
    coop, acc, m = ledger
    # 赵德明 holds 60,000.00 of the collective's assets on its behalf: 股金 of the collective
    result = contribute(
        acc,
        m[2],
        datetime.date(2026, 1, 15),
        kind="collective_assets",
        amount=D("60000.00"),
        appraiser="沂水县农村经营管理站",
        appraisal_date=datetime.date(2026, 1, 14),
    )
    assert lines_of(result.vouchers[0]) == {("151", None, D("60000.00"), 0), ("301", 1, 0, D("60000.00"))}
    assert_ties_out(coop)


def test_a_transfer_moves_capital_between_the_two_members(ledger):
    coop, acc, m = ledger
    contribute(acc, m[4], datetime.date(2026, 1, 5), amount=D("8000.00"))
    result = share_transfer(
        actor=acc,
        source=m[4],
        target=m[3],
        share_class="ordinary",
        amount=D("2000.00"),
        effective_on=datetime.date(2026, 3, 1),
    )
    # Dr 301 (钱永福) 2,000.00 / Cr 301 (孙丽华) 2,000.00
    assert lines_of(result.vouchers[0]) == {("301", 4, D("2000.00"), 0), ("301", 3, 0, D("2000.00"))}
    assert_ties_out(coop)


def test_a_reversal_posts_the_entry_again_in_red_ink(ledger):
    coop, acc, m = ledger
    result = contribute(acc, m[3], datetime.date(2026, 1, 10), amount=D("3000.00"))
    reversal = entry_reverse(actor=acc, entry=result.entries[0], reason="重复录入", on=datetime.date(2026, 1, 20))
    (voucher,) = reversal.vouchers
    # the same lines with the amounts negated: cash and capital back to nil
    assert lines_of(voucher) == {("101", None, D("-3000.00"), 0), ("301", 3, 0, D("-3000.00"))}
    assert voucher.summary.startswith("冲正")
    assert_ties_out(coop)


def test_leaving_refunds_capital_and_reserve_share_and_a_former_member_gets_nothing(world, ledger):
    from dividends.selectors import holders_on
    from finance.services.books import fiscal_year_open
    from finance.services.members import shares_quantify

    coop, acc, m = ledger
    # capital: 钱永福 5,000.00, 孙丽华 3,000.00; the old books' 1,000.00 reserve quantified by
    # contribution: 5,000 : 3,000 → 钱永福 625.00, 孙丽华 375.00
    opening(acc, coop, 2026, ("101", "1000.00", 0), ("322", 0, "1000.00"))
    contribute(acc, m[4], datetime.date(2026, 1, 5), amount=D("5000.00"))
    contribute(acc, m[3], datetime.date(2026, 1, 5), amount=D("3000.00"))
    shares_quantify(actor=acc, cooperative=coop, kind="reserve_share", amount="1000.00", date=datetime.date(2026, 2, 1))
    assert_ties_out(coop)
    # he applies on 1 March 2026 to leave: it takes effect on 31 December 2026 (law Art. 25)
    withdrawal = share_withdrawal_apply(
        actor=acc, member=m[4], amount=D("5000.00"), applied_on=datetime.date(2026, 3, 1), leaves_cooperative=True
    )
    assert withdrawal.effective_on == datetime.date(2026, 12, 31)
    with pytest.raises(StateConflict):
        share_withdrawal_execute(actor=acc, withdrawal=withdrawal, on=datetime.date(2026, 12, 30))
    # he takes part in 2026: the refund at the year end comes after the year's distribution
    holders = {h.member_id: h for h in holders_on(coop, datetime.date(2026, 12, 31), 2026)}
    assert holders[m[4].pk].capital == D("5000.00") and holders[m[4].pk].reserve == D("625.00")
    # refunded on 8 January 2027 from cash: Dr 301 5,000.00 and Dr 322 625.00 / Cr 101 5,625.00
    fiscal_year_open(actor=acc, cooperative=coop, year=2027)
    result = share_withdrawal_execute(actor=acc, withdrawal=withdrawal, on=datetime.date(2027, 1, 8))
    (voucher,) = result.vouchers
    assert voucher.date == datetime.date(2027, 1, 8)
    assert lines_of(voucher) == {
        ("301", 4, D("5000.00"), 0),
        ("322", 4, D("625.00"), 0),
        ("101", None, 0, D("5625.00")),
    }
    reserve = MemberAccountEntry.objects.filter(member=m[4], kind="reserve_share").values_list("amount", flat=True)
    assert sum(reserve) == 0 and D("-625.00") in reserve
    m[4].refresh_from_db()
    assert m[4].left_on == datetime.date(2026, 12, 31)
    # the 2026 distribution still counts him; 2027's does not know him
    holders_2026 = {h.member_id: h for h in holders_on(coop, datetime.date(2026, 12, 31), 2026)}
    assert holders_2026[m[4].pk].capital == D("5000.00")
    assert m[4].pk not in {h.member_id for h in holders_on(coop, datetime.date(2027, 12, 31), 2027)}
    assert_ties_out(coop)


def test_a_refund_owed_is_kept_on_the_members_current_account(ledger):
    from finance.services.books import fiscal_year_open

    coop, acc, m = ledger
    contribute(acc, m[3], datetime.date(2026, 1, 5), amount=D("3000.00"))
    withdrawal = share_withdrawal_apply(
        actor=acc, member=m[3], amount=D("1000.00"), applied_on=datetime.date(2026, 2, 1)
    )
    fiscal_year_open(actor=acc, cooperative=coop, year=2027)
    result = share_withdrawal_execute(
        actor=acc, withdrawal=withdrawal, on=datetime.date(2027, 1, 4), refund_account="114"
    )
    # not paid yet: Dr 301 (孙丽华) 1,000.00 / Cr 114 成员往来 (孙丽华) 1,000.00
    assert lines_of(result.vouchers[0]) == {("301", 3, D("1000.00"), 0), ("114", 3, 0, D("1000.00"))}
    assert_ties_out(coop)


def test_journal_vouchers_keep_off_the_register_and_name_the_member(ledger):
    coop, acc, m = ledger
    for rows, code in (
        ([("101", "100.00", 0, None), ("301", 0, "100.00", m[3])], "account_kept_elsewhere"),
        ([("101", "100.00", 0, None), ("114", 0, "100.00", None)], "member_required"),
        ([("101", "100.00", 0, None), ("331", 0, "100.00", None)], "account_kept_elsewhere"),
    ):
        with pytest.raises(BusinessError) as err:
            voucher_create(
                actor=acc,
                cooperative=coop,
                date=datetime.date(2026, 1, 8),
                summary="手工凭证",
                lines=[
                    LineInput(account=account(coop, c), debit=D(d), credit=D(k), member=who) for c, d, k, who in rows
                ],
            )
        assert err.value.code == code
    # the message names the account (114 成员往来 is kept per member)
    assert "114" in err.value.message or "331" in err.value.message
    assert not Voucher.objects.filter(cooperative=coop).exists()


def test_a_share_event_in_a_closed_month_is_refused_and_records_nothing(ledger):
    coop, acc, m = ledger
    close_months(acc, coop, 2026, 1)
    draft = contribution_create(
        actor=acc, member=m[3], kind="cash", amount=D("500.00"), contributed_on=datetime.date(2026, 1, 20)
    )
    with pytest.raises(StateConflict) as err:
        contribution_confirm(actor=acc, contribution=draft)
    assert err.value.code == "period_closed"
    draft.refresh_from_db()
    assert draft.state == "draft" and not ShareEntry.objects.filter(cooperative=coop).exists()


def test_the_register_before_the_books_is_tied_out_at_takeover(world):
    from finance.services.takeover import capital_takeover
    from tests.dividends.factories import hold

    coop = cooperative(world)
    acc = fresh(world.acc_v11)
    a = MemberFactory(cooperative=coop, name="甲")
    b = MemberFactory(cooperative=coop, name="乙")
    hold(acc, coop, [(a, "ordinary", "6000.00"), (b, "ordinary", "4000.00")], on=datetime.date(2024, 5, 1))
    open_books(acc, coop, 2026)
    # the old books kept 8,000.00 of capital in one figure
    opening(acc, coop, 2026, ("102", "8000.00", 0), ("301", 0, "8000.00"))
    assert not ShareBooking.objects.exists()  # subscribed before the books: in the opening balances
    tie = tie_out([coop.pk])[coop.pk]
    # register 甲 6,000 and 乙 4,000 against 8,000.00 that names no member
    assert {(d.member_name, d.register, d.books) for d in tie.differences} == {
        ("甲", D("6000.00"), D("0")),
        ("乙", D("4000.00"), D("0")),
        ("", D("0"), D("8000.00")),
    }
    with pytest.raises(BusinessError):
        capital_takeover(actor=acc, cooperative=coop, offset_code="161", reason="  ")
    adjustment = capital_takeover(actor=acc, cooperative=coop, offset_code="161", reason="土地入股未入账")
    # the 2,000.00 the old books never had goes to 161, with the reason on record
    assert (adjustment.amount, adjustment.offset_account.code, adjustment.voucher) == (D("2000.00"), "161", None)
    assert_ties_out(coop)


@settings(max_examples=12, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(
    events=st.lists(
        st.tuples(
            st.sampled_from(["cash", "land", "transfer", "withdraw", "reverse", "collective"]),
            st.integers(min_value=2, max_value=4),  # a member
            st.integers(min_value=2, max_value=4),  # another
            st.integers(min_value=1, max_value=900_000),  # fen
            st.integers(min_value=1, max_value=12),  # month
        ),
        min_size=1,
        max_size=8,
    )
)
def test_the_register_and_the_books_tie_out_after_every_share_event(world, events):
    """Whatever the accountant records, in whatever order, both sides move together: after each
    event (or its refusal) the tie-out is green."""
    from django.db import transaction

    class Rollback(Exception):
        pass

    try:
        with transaction.atomic():
            coop = cooperative(world)
            acc = fresh(world.acc_v11)
            open_books(acc, coop, 2026)
            m = {
                1: CollectiveFactory(cooperative=coop, number=1),
                2: MemberFactory(cooperative=coop, number=2, is_branch_member=True, is_party_member=True),
                3: MemberFactory(cooperative=coop, number=3),
                4: MemberFactory(cooperative=coop, number=4),
            }
            for kind, who, other, fen, month in events:
                amount = D(fen) / 100
                day = datetime.date(2026, month, 5)
                try:
                    with transaction.atomic():
                        if kind == "cash":
                            contribute(acc, m[who], day, amount=amount)
                        elif kind == "land":
                            area = D(max(fen // 1000, 1)) / 100
                            contribute(
                                acc,
                                m[who],
                                day,
                                kind="land",
                                area_mu=area,
                                value_per_mu=D("800.00"),
                                location="东洼",
                                term_years=5,
                                appraiser="经管站",
                                appraisal_date=datetime.date(2026, 1, 1),
                            )
                        elif kind == "collective":
                            contribute(
                                acc,
                                m[2],
                                day,
                                kind="collective_assets",
                                amount=amount,
                                appraiser="经管站",
                                appraisal_date=datetime.date(2026, 1, 1),
                            )
                        elif kind == "transfer" and who != other:
                            share_transfer(
                                actor=acc,
                                source=m[who],
                                target=m[other],
                                share_class="ordinary",
                                amount=amount,
                                effective_on=day,
                            )
                        elif kind == "withdraw":
                            w = share_withdrawal_apply(
                                actor=acc, member=m[who], amount=amount, applied_on=datetime.date(2025, 6, 1)
                            )
                            share_withdrawal_execute(actor=acc, withdrawal=w, on=day)
                        elif kind == "reverse":
                            entry = (
                                ShareEntry.objects.filter(cooperative=coop, reversed_by__isnull=True)
                                .exclude(entry_type="reversal")
                                .order_by("-pk")
                                .first()
                            )
                            if entry is not None:
                                entry_reverse(actor=acc, entry=entry, reason="更正", on=day)
                except BusinessError:
                    pass  # refused (not enough held, a rule): nothing written on either side
                assert_ties_out(coop)
            assert VoucherLine.objects.filter(cooperative=coop, account__code="301", member__isnull=True).count() == 0
            raise Rollback
    except Rollback:
        pass
