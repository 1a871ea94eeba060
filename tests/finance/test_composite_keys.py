"""The books' composite foreign keys: a voucher line cannot name another cooperative or month than
its voucher's, a line's or a member-account entry's member belongs to the same cooperative, and a
payout is its allocation's plan and member. The keys are deferred to commit, as Django's are, so
each test asks PostgreSQL to check them at once with ``SET CONSTRAINTS ALL IMMEDIATE``."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from dividends.models import DistributionPolicy, Payout
from dividends.services.execution import plan_execute
from dividends.services.plans import plan_create, plan_input
from finance.models import MemberAccountEntry, VoucherLine
from tests.conftest import fresh
from tests.cooperatives.factories import CharterFactory
from tests.dividends.factories import cooperative, file_plan, worked_members
from tests.factories import CooperativeFactory
from tests.finance.factories import MemberFactory, close_months, open_books, period, voucher

pytestmark = pytest.mark.django_db


def _refused(constraint: str, change) -> None:
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        change()
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    assert constraint in str(error.value)


@pytest.fixture
def two_books(world, acc, books):
    """东安村's books with one draft voucher (cash sale of 100.00 on 10 March 2026, a member on 114's
    side), and 西岭村's cooperative with books and a member of its own."""
    other_acc = fresh(world.acc_v12)
    other = open_books(other_acc, CooperativeFactory(name="西岭村合作社", village=world.v12), 2026)
    mine = MemberFactory(cooperative=books, number=1)
    theirs = MemberFactory(cooperative=other, number=1)
    draft = voucher(
        acc,
        books,
        datetime.date(2026, 3, 10),
        "成员往来",
        ("101", "100.00", 0),
        ("114", 0, "100.00", {"member": mine}),
        post=False,
    )
    return books, other, draft, mine, theirs


def test_a_line_keeps_its_vouchers_cooperative_and_month(two_books):
    books, other, draft, _mine, _theirs = two_books
    line = draft.lines.get(line_no=1)
    # the line's facts are its voucher's, so the honest write passes the check
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    assert (line.cooperative_id, line.period_id) == (draft.cooperative_id, draft.period_id)

    _refused(
        "finance_line_in_its_voucher",
        lambda: VoucherLine.objects.filter(pk=line.pk).update(cooperative=other),
    )
    _refused(
        "finance_line_in_its_voucher",
        lambda: VoucherLine.objects.filter(pk=line.pk).update(period=period(books, 2026, 4)),
    )


def test_a_lines_member_is_a_member_of_the_same_cooperative(two_books):
    _books, _other, draft, _mine, theirs = two_books
    line = draft.lines.get(line_no=2)
    _refused(
        "finance_line_member_of_the_books",
        lambda: VoucherLine.objects.filter(pk=line.pk).update(member=theirs),
    )


def test_a_member_account_entry_names_a_member_of_its_cooperative(two_books, acc):
    books, other, _draft, mine, theirs = two_books
    entry = MemberAccountEntry.objects.create(
        cooperative=books,
        region_code=books.region_code,
        member=mine,
        year=2026,
        date=datetime.date(2026, 3, 10),
        kind="reserve_share",
        amount="12.34",
        created_by=acc,
    )
    _refused(
        "finance_macc_member_of_the_books",
        lambda: MemberAccountEntry.objects.filter(pk=entry.pk).update(member=theirs),
    )
    _refused(
        "finance_macc_member_of_the_books",
        lambda: MemberAccountEntry.objects.filter(pk=entry.pk).update(cooperative=other),
    )


def test_a_payout_is_its_allocations_plan_and_member(world):
    # the worked farmer cooperative of tests/dividends (eight members, 50,000.00 of sales in 2025)
    coop = cooperative(world)
    acc = fresh(world.acc_v11)
    CharterFactory(cooperative=coop, state="effective", distribution_policy="law")
    open_books(acc, coop, 2025)
    members = worked_members(world, coop, acc)
    voucher(acc, coop, datetime.date(2025, 6, 30), "销售苹果", ("101", "50000.00", 0), ("501", 0, "50000.00"))
    close_months(acc, coop, 2025, *range(1, 13))
    policy = DistributionPolicy.objects.get(code="law")
    plan = file_plan(world, plan_create(actor=acc, data=plan_input(cooperative=coop, year=2025, policy=policy)))
    plan_execute(actor=acc, plan=plan)

    payout = Payout.objects.get(plan=plan, member=members[4])
    newcomer = MemberFactory(cooperative=coop, number=99)  # joined after the plan: no allocation
    _refused(
        "dividends_payout_of_its_allocation",
        lambda: Payout.objects.filter(pk=payout.pk).update(member=newcomer),
    )


# --- the keys checked once per statement (core.keys) ---------------------------------------------


def test_a_lines_account_is_an_account_of_the_same_books(two_books):
    _books, other, draft, _mine, _theirs = two_books
    line = draft.lines.get(line_no=1)
    foreign = other.accounts.get(code="101")
    with pytest.raises(IntegrityError, match="finance_line_account_of_the_books"), transaction.atomic():
        VoucherLine.objects.filter(pk=line.pk).update(account=foreign)
    with pytest.raises(IntegrityError, match="finance_line_account_of_the_books"), transaction.atomic():
        VoucherLine.objects.filter(pk=line.pk).update(account_id=10**9)


def _sql(statement: str, *params) -> None:
    """A write straight to the database, past the ORM's own PROTECT."""
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_a_referenced_parent_can_be_neither_deleted_nor_rekeyed(two_books, acc):
    books, other, _draft, mine, _theirs = two_books
    # 东安村's member 1 is on the draft's 114 line; 101 is on its cash line
    with pytest.raises(IntegrityError, match="finance_line_member_of_the_books"), transaction.atomic():
        mine.__class__.objects.filter(pk=mine.pk).update(cooperative=other, number=77)
    with pytest.raises(IntegrityError, match="finance_line_member_of_the_books"), transaction.atomic():
        _sql("DELETE FROM members_member WHERE id = %s", mine.pk)
    cash = books.accounts.get(code="101")
    with pytest.raises(IntegrityError, match="finance_line_account_of_the_books"), transaction.atomic():
        _sql("DELETE FROM finance_account WHERE id = %s", cash.pk)
    # an account no line names goes quietly, and a change that keeps the key is no change of key
    books.accounts.filter(code="121").update(name="物资采购（改名）")
    mine.__class__.objects.filter(pk=mine.pk).update(name="改名")


def test_a_member_account_entry_names_its_voucher_and_author(world, two_books, acc):
    books, other, draft, mine, _theirs = two_books
    theirs_voucher = voucher(
        fresh(world.acc_v12),
        other,
        datetime.date(2026, 3, 11),
        "现金",
        ("101", "5.00", 0),
        ("501", 0, "5.00"),
        post=False,
    )
    entry = MemberAccountEntry.objects.create(
        cooperative=books,
        region_code=books.region_code,
        member=mine,
        year=2026,
        date=datetime.date(2026, 3, 10),
        kind="reserve_share",
        amount="12.34",
        voucher=draft,
        created_by=acc,
    )
    with pytest.raises(IntegrityError, match="finance_macc_voucher_of_the_books"), transaction.atomic():
        MemberAccountEntry.objects.filter(pk=entry.pk).update(voucher=theirs_voucher)
    with pytest.raises(IntegrityError, match="finance_macc_entered_by"), transaction.atomic():
        MemberAccountEntry.objects.filter(pk=entry.pk).update(created_by_id=10**9)
    with pytest.raises(IntegrityError, match="finance_macc_entered_by"), transaction.atomic():
        _sql("DELETE FROM core_user WHERE id = %s", acc.pk)
    # a NULL key is not checked (MATCH SIMPLE), as PostgreSQL's own keys
    MemberAccountEntry.objects.filter(pk=entry.pk).update(voucher=None, created_by=None)


def test_the_checks_look_across_tenants_and_put_the_scope_back(two_books, acc):
    """A writer inside its own scope: the check widens row-level security for its one query (as
    PostgreSQL's own key checks ignore it) and leaves the request's scope as it found it."""
    from core import rls

    books, _other, draft, mine, _theirs = two_books
    rls.enter_request_scope(rls.scope_for(acc))
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('lingban.scope')")
            before = cursor.fetchone()[0]
            MemberAccountEntry.objects.create(
                cooperative=books,
                region_code=books.region_code,
                member=mine,
                year=2026,
                date=datetime.date(2026, 3, 10),
                kind="reserve_share",
                amount="1.00",
                voucher=draft,
                created_by=acc,
            )
            cursor.execute("SELECT current_setting('lingban.scope')")
            assert cursor.fetchone()[0] == before != "*"
    finally:
        rls.leave_request_scope()


def test_a_voucher_cannot_move_from_under_its_lines(two_books, acc):
    """The draft's month changes only with its lines (the service replaces them); the voucher row
    moved alone would leave its lines in the old month."""
    from finance.models import Voucher
    from finance.services.vouchers import LineInput, voucher_update

    books, _other, draft, mine, _theirs = two_books
    with pytest.raises(IntegrityError, match="finance_line_in_its_voucher"), transaction.atomic():
        Voucher.objects.filter(pk=draft.pk).update(period=period(books, 2026, 4))
    with pytest.raises(IntegrityError, match="finance_line_in_its_voucher"), transaction.atomic():
        _sql("DELETE FROM finance_voucher WHERE id = %s", draft.pk)

    cash, members_114 = books.accounts.get(code="101"), books.accounts.get(code="114")
    moved = voucher_update(
        actor=acc,
        voucher=draft,
        date=datetime.date(2026, 4, 2),
        summary="成员往来",
        lines=[
            LineInput(account=cash, debit=Decimal("100.00")),
            LineInput(account=members_114, credit=Decimal("100.00"), member=mine),
        ],
    )
    assert set(moved.lines.values_list("period_id", flat=True)) == {period(books, 2026, 4).pk}


def test_lines_written_as_whole_posted_vouchers_are_balanced_by_their_statement(two_books):
    """With ``lingban.whole_vouchers`` on, posted lines skip the check at commit and their statement
    sums each voucher instead, after an update as after an insert: the setting left on cannot let
    an unbalanced voucher through."""
    _books, _other, draft, _mine, _theirs = two_books
    VoucherLine.objects.filter(voucher=draft, line_no=2).update(credit=Decimal("99.00"))  # a draft: not checked
    with pytest.raises(IntegrityError, match="does not balance"), transaction.atomic():
        _sql("SELECT set_config('lingban.whole_vouchers', 'on', true)")
        VoucherLine.objects.filter(voucher=draft).update(is_posted=True)
    with pytest.raises(IntegrityError, match="does not balance"), transaction.atomic():
        VoucherLine.objects.filter(voucher=draft).update(is_posted=True)
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
