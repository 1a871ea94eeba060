"""Property: whatever the year's business, its plan and its close, on either chart and under any
shipped policy, the statements agree — 01表 未分配盈余 = 02表 line 20 = 03表 year end, assets =
liabilities + equity — and the register, member accounts, payouts and books tie out.

Each example keeps two years of books from scratch: members subscribe (booked as they confirm),
the cooperative sells and spends, members trade with it, every month closes, the year's plan (the
charter's policy; a farmer cooperative's plan that the law refuses is redrafted under the law's)
goes through the chair, the assembly and the township and is carried out into December, and the
year closes. A loss is carried forward and made up from the next year's surplus first.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.exceptions import BusinessError
from dividends.models import DistributionPolicy
from dividends.services.execution import plan_execute
from dividends.services.plans import plan_create, plan_input
from finance.models import FiscalYear
from finance.selectors.tieout import cooperative_tie_out
from finance.services.books import fiscal_year_open
from finance.services.closing import fiscal_year_close
from finance.services.members import patronage_create
from finance.services.vouchers import LineInput, voucher_create, voucher_post
from shares.services import contribution_create, contributions_confirm
from tests.conftest import fresh
from tests.cooperatives.factories import CharterFactory
from tests.dividends.factories import file_plan, rules_off
from tests.factories import CooperativeFactory
from tests.finance.factories import account, close_months, open_books
from tests.members.factories import CollectiveFactory, MemberFactory

D = Decimal
pytestmark = pytest.mark.django_db

# the profit and loss accounts each chart books the year's business on
BUSINESS = {"farmer": ("501", "521", "523"), "joint_stock": ("501", "511", "513")}

year_strategy = st.tuples(
    st.integers(min_value=0, max_value=8_000_000),  # sales, fen
    st.integers(min_value=0, max_value=6_000_000),  # costs, fen
    st.lists(st.integers(min_value=0, max_value=300_000), min_size=3, max_size=3),  # each member's trade, fen
)


class _Rollback(Exception):
    pass


def _business(acc, coop, kind, year, sales, costs, trades, members):
    income, cost, admin = BUSINESS[kind]
    rows = []
    if sales:
        rows.append(("销售收入", [("102", sales, 0), (income, 0, sales)]))
    if costs:
        rows.append(("经营支出（应付）", [(cost, costs - costs // 4, 0), (admin, costs // 4, 0), ("211", 0, costs)]))
    for summary, lines in rows:
        v = voucher_create(
            actor=acc,
            cooperative=coop,
            date=datetime.date(year, 6, 15),
            summary=summary,
            lines=[
                LineInput(account=account(coop, c), debit=D(d) / 100, credit=D(k) / 100) for c, d, k in lines if d or k
            ],
        )
        voucher_post(actor=acc, voucher=v)
    if kind == "farmer":
        for member, fen in zip(members, trades, strict=True):
            if fen:
                patronage_create(
                    actor=acc,
                    member=member,
                    date=datetime.date(year, 8, 1),
                    product="苹果",
                    quantity=1,
                    amount=D(fen) / 100,
                )


def _plan_year(world, acc, coop, year):
    """The year's plan under the charter's policy, or the law's where the law refuses it; carried
    out into December. Nothing to distribute in a year of loss."""
    try:
        plan = plan_create(actor=acc, data=plan_input(cooperative=coop, year=year))
    except BusinessError as exc:
        if exc.code == "no_surplus":
            return None
        assert exc.code == "law_patronage_refund" and coop.kind == "farmer"
        plan = plan_create(
            actor=acc,
            data=plan_input(cooperative=coop, year=year, policy=DistributionPolicy.objects.get(code="law")),
        )
    plan = file_plan(world, plan)
    plan_execute(actor=acc, plan=plan)
    return plan


@settings(max_examples=6, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(
    kind=st.sampled_from(["farmer", "joint_stock"]),
    policy=st.sampled_from(["217", "217-law", "law", "reserve-cap-15"]),
    years=st.lists(year_strategy, min_size=2, max_size=2),
)
def test_statements_agree_and_the_books_tie_out_over_two_years(world, kind, policy, years):
    try:
        with transaction.atomic():
            rules_off(world)
            coop = CooperativeFactory(name="东安村合作社", village=world.v11, status="operating", kind=kind)
            CharterFactory(cooperative=coop, state="effective", distribution_policy=policy)
            acc = fresh(world.acc_v11)
            open_books(acc, coop, 2025)
            collective = CollectiveFactory(cooperative=coop, number=1)
            people = [MemberFactory(cooperative=coop, number=n) for n in (2, 3, 4)]
            drafts = [contribution_create(actor=acc, member=collective, kind="collective_assets", amount=D("30000.00"),
                                          contributed_on=datetime.date(2025, 1, 3), appraiser="经管站",
                                          appraisal_date=datetime.date(2025, 1, 2))]  # fmt: skip
            drafts += [
                contribution_create(
                    actor=acc, member=p, kind="cash", amount=D(10000 * n), contributed_on=datetime.date(2025, 1, 3)
                )
                for n, p in enumerate(people, start=1)
            ]
            contributions_confirm(actor=acc, cooperative=coop, contributions=drafts)
            for year, (sales, costs, trades) in zip((2025, 2026), years, strict=True):
                if year == 2026:
                    fiscal = FiscalYear.objects.filter(cooperative=coop, year=2026).first()
                    if fiscal is None:
                        fiscal_year_open(actor=acc, cooperative=coop, year=2026)
                _business(acc, coop, kind, year, sales, costs, trades, people)
                close_months(acc, coop, year, *range(1, 13))
                _plan_year(world, acc, coop, year)
                fiscal_year_close(actor=acc, fiscal_year=FiscalYear.objects.get(cooperative=coop, year=year))
                result = cooperative_tie_out(coop)
                assert result.ok, [d.describe() for d in result.differences] + result.notes
            raise _Rollback
    except _Rollback:
        pass
