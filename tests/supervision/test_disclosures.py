"""Quarterly disclosures: the quarter-end job, idempotence and a killed worker, the figures entry by
entry, publishing by the supervisory board, immutability in the database, members reading."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal
from io import BytesIO

import pytest
from django.db import InternalError, connection, transaction
from django.utils import timezone

from core.exceptions import NotPermitted, StateConflict
from supervision.choices_oversight import DisclosureStatus
from supervision.models import Disclosure
from supervision.services import disclosures as svc
from supervision.tasks_oversight import disclosures_quarter_end
from tests.conftest import fresh
from tests.factories import CooperativeFactory
from tests.finance.factories import voucher

pytestmark = pytest.mark.django_db


_serial = itertools.count(1)


def _coops(world, n):
    villages = [world.v11, world.v12, world.v21]
    return [CooperativeFactory(name=f"合作社{next(_serial)}", village=villages[i % 3]) for i in range(n)]


def test_quarter_arithmetic():
    # Q3 2026 runs 07-01 .. 09-30; with 15 days the deadline is 10-15; the day after Q1 ends → Q1
    assert svc.quarter_bounds(2026, 3) == (datetime.date(2026, 7, 1), datetime.date(2026, 9, 30))
    assert svc.quarter_bounds(2026, 4) == (datetime.date(2026, 10, 1), datetime.date(2026, 12, 31))
    assert svc.previous_quarter(datetime.date(2026, 4, 1)) == (2026, 1)
    assert svc.previous_quarter(datetime.date(2026, 1, 1)) == (2025, 4)


def test_quarter_end_run_twice_makes_one_disclosure_each(world):
    coops = _coops(world, 5)
    # when
    assert disclosures_quarter_end(2026, 1) == 5
    assert disclosures_quarter_end(2026, 1) == 0
    # then: one per cooperative, drafts, deadline 2026-03-31 + 15 days (the law profile's default)
    assert Disclosure.objects.count() == 5
    assert set(Disclosure.objects.values_list("cooperative_id", flat=True)) == {c.pk for c in coops}
    assert set(Disclosure.objects.values_list("deadline", flat=True)) == {datetime.date(2026, 4, 15)}
    assert set(Disclosure.objects.values_list("status", flat=True)) == {DisclosureStatus.DRAFT}


def test_a_killed_run_retried_makes_exactly_one_each(world, monkeypatch):
    coops = _coops(world, 6)
    real = svc.disclosure_generate
    calls = {"n": 0}

    def dies_after_three(**kwargs):
        calls["n"] += 1
        if calls["n"] == 4:
            raise SystemExit("worker killed")
        return real(**kwargs)

    # given: the worker dies on the fourth cooperative (the first three are committed)
    monkeypatch.setattr(svc, "disclosure_generate", dies_after_three)
    with pytest.raises(SystemExit):
        disclosures_quarter_end(2026, 2)
    assert Disclosure.objects.count() == 3
    # when: the message is delivered again (acks_late) and the whole job runs once more
    monkeypatch.setattr(svc, "disclosure_generate", real)
    assert disclosures_quarter_end(2026, 2) == 3
    disclosures_quarter_end(2026, 2)
    # then: exactly one disclosure per cooperative
    counts = {c.pk: Disclosure.objects.filter(cooperative=c, year=2026, quarter=2).count() for c in coops}
    assert counts == dict.fromkeys(counts, 1)


def test_generate_twice_in_a_row_returns_the_same_row(coop):
    first, created = svc.disclosure_generate(cooperative=coop, year=2026, quarter=1)
    second, again = svc.disclosure_generate(cooperative=coop, year=2026, quarter=1)
    assert (created, again) == (True, False)
    assert first.pk == second.pk


def test_income_and_expenditure_entry_by_entry(world, books, acc, chair):
    from core.services.approvals import approval_approve
    from finance.services.vouchers import voucher_create, voucher_submit
    from tests.finance.factories import lines, payee

    coop = books
    # receipt: 3,000.00 of sales into cash (Q1)
    voucher(acc, coop, datetime.date(2026, 1, 10), "苹果销售收入", ("101", "3000.00", 0), ("501", 0, "3000.00"))
    # payment: 1,200.00 of labour out of cash, approved by the chair (below 10,000)
    pay = voucher_create(
        actor=acc,
        cooperative=coop,
        date=datetime.date(2026, 2, 5),
        summary="支付采摘人工费",
        lines=lines(coop, ("521", "1200.00", 0), ("101", 0, "1200.00")),
        payee=payee(name="采摘工（工资表）"),
    )
    approval_approve(actor=chair, request=voucher_submit(actor=acc, voucher=pay))
    # transfer cash → bank: no money in or out, left out
    voucher(acc, coop, datetime.date(2026, 3, 1), "现金存入银行", ("102", "500.00", 0), ("101", 0, "500.00"))
    # Q2: outside the quarter
    voucher(acc, coop, datetime.date(2026, 4, 2), "四月收入", ("101", "80.00", 0), ("501", 0, "80.00"))

    disclosure, _ = svc.disclosure_generate(cooperative=coop, year=2026, quarter=1)

    # income 3,000.00; expenditure 1,200.00; two entries in date order
    entries = disclosure.content["entries"]
    assert [(e["summary"], e["income"], e["expenditure"], e["account"]) for e in entries] == [
        ("苹果销售收入", "3000.00", "0.00", "经营收入"),
        ("支付采摘人工费", "0.00", "1200.00", "经营支出"),
    ]
    assert entries[0]["number"] == "记-0001"
    assert disclosure.income_total == Decimal("3000.00")
    assert disclosure.expenditure_total == Decimal("1200.00")


def test_a_section_hook_adds_the_distribution(coop):
    def distribution(cooperative, year, quarter):
        return {
            "key": "distribution",
            "title": "盈余分配",
            "headers": ["项目", "金额"],
            "rows": [["按股分红", "700.00"]],
        }

    svc.register_disclosure_section(distribution)
    try:
        disclosure, _ = svc.disclosure_generate(cooperative=coop, year=2026, quarter=1)
    finally:
        svc.unregister_disclosure_section(distribution)
    assert disclosure.content["sections"][0]["title"] == "盈余分配"


def test_only_the_supervisory_board_publishes_and_then_nothing_changes(world, coop, supervisor, acc):
    disclosure, _ = svc.disclosure_generate(cooperative=coop, year=2026, quarter=1)
    svc.disclosure_update(actor=acc, disclosure=disclosure, plan_summary="扩大种植", operations_summary="销售苹果")
    with pytest.raises(NotPermitted):
        svc.disclosure_publish(actor=acc, disclosure=disclosure)
    with pytest.raises(NotPermitted):
        svc.disclosure_publish(actor=fresh(world.twp_t1), disclosure=disclosure)
    published = svc.disclosure_publish(actor=fresh(supervisor), disclosure=disclosure)
    assert published.status == DisclosureStatus.PUBLISHED and published.published_by == supervisor
    with pytest.raises(StateConflict):
        svc.disclosure_update(actor=acc, disclosure=published, plan_summary="x", operations_summary="y")
    with pytest.raises(StateConflict):
        svc.disclosure_refresh(actor=acc, disclosure=published)


def test_publishing_needs_the_operations_text(coop, supervisor):
    from core.exceptions import BusinessError

    disclosure, _ = svc.disclosure_generate(cooperative=coop, year=2026, quarter=1)
    with pytest.raises(BusinessError) as exc:
        svc.disclosure_publish(actor=fresh(supervisor), disclosure=disclosure)
    assert exc.value.field == "operations_summary"


def test_the_database_refuses_to_change_or_delete_a_published_disclosure(coop, supervisor, acc):
    disclosure, _ = svc.disclosure_generate(cooperative=coop, year=2026, quarter=1)
    svc.disclosure_update(actor=acc, disclosure=disclosure, plan_summary="", operations_summary="销售苹果")
    svc.disclosure_publish(actor=fresh(supervisor), disclosure=disclosure)
    for statement in (
        "UPDATE supervision_disclosure SET operations_summary = 'changed' WHERE id = %s",
        "DELETE FROM supervision_disclosure WHERE id = %s",
    ):
        with pytest.raises(InternalError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [disclosure.pk])
    assert Disclosure.objects.get(pk=disclosure.pk).operations_summary == "销售苹果"


def test_members_read_published_disclosures_of_their_village_only(world, coop, supervisor, acc):
    _draft, _ = svc.disclosure_generate(cooperative=coop, year=2026, quarter=2)
    published, _ = svc.disclosure_generate(cooperative=coop, year=2026, quarter=1)
    svc.disclosure_update(actor=acc, disclosure=published, plan_summary="", operations_summary="销售苹果")
    svc.disclosure_publish(actor=fresh(supervisor), disclosure=published)
    other = CooperativeFactory(village=world.v12)
    foreign, _ = svc.disclosure_generate(cooperative=other, year=2026, quarter=1)
    Disclosure.objects.filter(pk=foreign.pk).update(status="published", published_at=timezone.now())
    member = fresh(world.member_v11)
    assert list(Disclosure.objects.for_user(member).values_list("pk", flat=True)) == [published.pk]


def test_journey_quarter_end_supervisor_publishes_member_reads(client, world, coop, supervisor):
    """Done when: a quarter-end run produces every cooperative's disclosure; the supervisory board
    publishes one; a member reads it (and its A4 page and xlsx)."""
    from openpyxl import load_workbook

    others = _coops(world, 2)
    disclosures_quarter_end(2026, 3)
    assert Disclosure.objects.filter(year=2026, quarter=3).count() == 1 + len(others)
    d = Disclosure.objects.get(cooperative=coop, year=2026, quarter=3)

    client.force_login(supervisor)
    client.post(
        f"/supervision/disclosures/{d.pk}/edit/", {"plan_summary": "扩种", "operations_summary": "销售苹果2万斤"}
    )
    response = client.post(f"/supervision/disclosures/{d.pk}/publish/")
    assert response.status_code == 302
    assert Disclosure.objects.get(pk=d.pk).status == DisclosureStatus.PUBLISHED

    client.force_login(world.member_v11)
    page = client.get(f"/supervision/disclosures/{d.pk}/")
    assert page.status_code == 200 and "销售苹果2万斤" in page.content.decode()
    listing = client.get("/supervision/disclosures/")
    assert d.cooperative.name in listing.content.decode()
    sheet = client.get(f"/supervision/disclosures/{d.pk}/", {"format": "xlsx"})
    wb = load_workbook(BytesIO(sheet.content), read_only=True)
    assert next(wb.active.iter_rows(values_only=True))[0] == "日期"
    # the member cannot publish or edit anything
    assert client.post(f"/supervision/disclosures/{d.pk}/publish/").status_code == 403


def test_list_page_query_count_does_not_grow(client, world, django_assert_max_num_queries):
    _coops(world, 1)
    disclosures_quarter_end(2026, 1)
    client.force_login(world.county_a_off)
    with django_assert_max_num_queries(12):
        client.get("/supervision/disclosures/")
    _coops(world, 8)
    disclosures_quarter_end(2026, 1)
    with django_assert_max_num_queries(12):
        assert client.get("/supervision/disclosures/").status_code == 200


def test_generating_one_disclosure_runs_a_bounded_number_of_queries(world, books, acc, django_assert_max_num_queries):
    from core.policies import policy_for

    coop = books
    profile = policy_for(coop.region_code)
    for day in range(1, 21):
        voucher(acc, coop, datetime.date(2026, 1, day), f"收入{day}", ("101", "10.00", 0), ("501", 0, "10.00"))
    # existence check, cash lines, counter-accounts, village households, holdings, insert (+ savepoints);
    # the notification of the accountant and the supervisory board: who they are, who of them covers
    # the village, who was told already, insert, read back, the group robots
    with django_assert_max_num_queries(16):
        disclosure, created = svc.disclosure_generate(cooperative=coop, year=2026, quarter=1, profile=profile)
    assert created and len(disclosure.content["entries"]) == 20


def test_publishing_takes_the_books_as_they_are_now(books, supervisor, acc):
    """A receipt of 2,000.00 posted after the draft was prepared: publishing stops, the draft takes
    the figures again (income 500.00 → 2,500.00), and the board publishes what it has now seen."""
    coop = books
    voucher(acc, coop, datetime.date(2026, 2, 3), "销售苹果", ("101", "500.00", 0), ("501", 0, "500.00"))
    disclosure, _ = svc.disclosure_generate(cooperative=coop, year=2026, quarter=1)
    svc.disclosure_update(actor=acc, disclosure=disclosure, plan_summary="扩大种植", operations_summary="销售苹果")
    assert disclosure.income_total == Decimal("500.00")
    voucher(acc, coop, datetime.date(2026, 3, 20), "销售苹果", ("101", "2000.00", 0), ("501", 0, "2000.00"))

    with pytest.raises(StateConflict) as exc:
        svc.disclosure_publish(actor=fresh(supervisor), disclosure=disclosure)
    assert exc.value.code == "figures_changed"
    disclosure.refresh_from_db()
    assert (disclosure.status, disclosure.income_total) == (DisclosureStatus.DRAFT, Decimal("2500.00"))

    published = svc.disclosure_publish(actor=fresh(supervisor), disclosure=disclosure)
    assert published.status == DisclosureStatus.PUBLISHED and published.income_total == Decimal("2500.00")
