"""generate_scale: valid codes and check characters, ledgers that pass their checks, distribution
plans whose allocations add up, snapshots and disclosures, determinism."""

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from cooperatives.models import Cooperative
from core.models import PolicyProfile, Region
from core.policies import LAW, SEED_001, SEED_002, SEED_004
from core.scale import SCALES, ScaleContext, make_plan, ordered_steps, register_step, run
from core.validators import parse_resident_id, validate_uscc
from dividends.models import DistributionPlan, MemberAllocation
from dividends.services.plans import plan_input, plan_preview
from finance.models import CollectiveIncome, PatronageTransaction, Period, Voucher, VoucherLine
from members.models import Member
from shares.compliance import evaluate
from shares.models import Holding, ShareEntry
from shares.scale import structure
from supervision.models import Disclosure, StatisticsSnapshot, VillageSnapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def tiny(db):
    call_command("generate_scale", scale="tiny", seed=7, stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_tiny_region_has_valid_codes(tiny):
    # DOMAIN.md §7: county 6 digits, township 9 (100–199 towns, 200–399 townships), village 12 (200–399)
    villages = list(Region.objects.filter(level="village", code__startswith="370681"))
    assert len(villages) == SCALES["tiny"].cooperatives == Cooperative.objects.count()
    for v in villages:
        assert len(v.code) == 12 and v.code.startswith(v.parent.code) and len(v.parent.code) == 9
        assert 100 <= int(v.code[6:9]) <= 399 and 200 <= int(v.code[9:]) <= 399
        assert v.parent.parent.code == "370681"
    for coop in Cooperative.objects.all():
        assert validate_uscc(coop.uscc) == coop.uscc and coop.uscc.startswith("93370681")
    persons = Member.objects.filter(kind="person")
    assert persons.count() == SCALES["tiny"].members - SCALES["tiny"].cooperatives
    for m in persons:
        parsed = parse_resident_id(m.id_number)  # raises on a wrong check character
        assert (parsed.birth_date, parsed.gender, parsed.region_code) == (m.birth_date, m.gender, "370681")
    for m in Member.objects.filter(kind="collective"):
        assert validate_uscc(m.uscc).startswith("N2")


def test_tiny_share_ledgers_match_and_pass_every_profile(tiny):
    call_command("check_ledgers", stdout=open("/dev/null", "w"))  # noqa: SIM115 - raises on drift
    assert Holding.objects.count() == ShareEntry.objects.count()
    profiles = [PolicyProfile.objects.get(code=c) for c in (LAW, SEED_001, SEED_002, SEED_004)]
    for coop in Cooperative.objects.all():
        for profile in profiles:
            evaluation = evaluate(coop, profile=profile)
            problems = [(r.rule, r.status) for r in evaluation.results if r.is_problem]
            assert problems == [], (coop.name, profile.code, problems)


def test_tiny_vouchers_balance_and_are_numbered_without_gaps(tiny):
    with connection.cursor() as cur:
        cur.execute(
            "SELECT count(*) FROM (SELECT voucher_id FROM finance_voucherline WHERE is_posted "
            "GROUP BY voucher_id HAVING sum(debit) <> sum(credit)) x"
        )
        assert cur.fetchone()[0] == 0
    assert VoucherLine.objects.count() == 2 * Voucher.objects.count() == 2 * SCALES["tiny"].members
    for period in Period.objects.all():
        numbers = sorted(Voucher.objects.filter(period=period).values_list("number", flat=True))
        assert numbers == list(range(1, period.last_voucher_number + 1))
    totals = {v.pk: v.total_debit for v in Voucher.objects.all()}
    for line in VoucherLine.objects.filter(line_no=1):
        assert line.debit == totals[line.voucher_id]
    # every purchase voucher carries its member transaction, and the 114 line names the member
    for t in PatronageTransaction.objects.select_related("voucher"):
        assert t.voucher.total_debit == t.amount
        assert VoucherLine.objects.get(voucher=t.voucher, line_no=2).member_id == t.member_id


def test_tiny_plans_add_up_to_their_pools_and_match_the_service(tiny):
    plans = list(DistributionPlan.objects.select_related("cooperative", "policy"))
    assert len(plans) == SCALES["tiny"].cooperatives  # every generated year closes with a surplus
    for plan in plans:
        assert (plan.year, plan.state, plan.surplus_source) == (2025, "draft", "entered")
        # the entered surplus is the books' result: operating income less the expenses
        with connection.cursor() as cur:
            cur.execute(
                "SELECT coalesce(sum(l.credit - l.debit), 0) FROM finance_voucherline l "
                "JOIN finance_account a ON a.id = l.account_id WHERE l.cooperative_id = %s AND l.is_posted "
                "AND a.code IN ('501', '521', '523')",
                [plan.cooperative_id],
            )
            assert cur.fetchone()[0] == plan.surplus
        steps = {s["kind"]: Decimal(s["amount"]) for s in plan.steps}
        assert sum(steps.values()) + plan.undistributed == plan.surplus
        allocations = MemberAllocation.objects.filter(plan=plan)
        assert allocations.count() == plan.member_count == Member.objects.filter(cooperative=plan.cooperative).count()
        for field, kind in (("patronage_refund", "patronage"), ("share_dividend", "shares")):
            assert sum(a[field] for a in allocations.values(field)) == steps.get(kind, Decimal(0))
        # the same figures the preview computes from the loaded ledgers
        preview = plan_preview(
            plan_input(cooperative=plan.cooperative, year=2025, policy=plan.policy, surplus=plan.surplus)
        )
        expected = {m.holder.member_id: (m.share_weight, m.patronage_refund, m.share_dividend) for m in preview.members}
        stored = {a.member_id: (a.share_weight, a.patronage_refund, a.share_dividend) for a in allocations}
        assert stored == expected


def test_tiny_snapshots_rank_two_quarters_and_disclosures_are_drafted(tiny):
    n = SCALES["tiny"].cooperatives
    for model in (StatisticsSnapshot, VillageSnapshot):
        assert sorted(model.objects.values_list("quarter", flat=True)) == [3] * n + [4] * n
    for snapshot in VillageSnapshot.objects.all():
        received = CollectiveIncome.objects.filter(
            village_id=snapshot.village_id, year=2025, received_on__lte=snapshot.period_end
        )
        assert snapshot.collective_income == sum(i.amount for i in received)
    fourth = StatisticsSnapshot.objects.filter(quarter=4)
    assert all(s.members > 0 and s.share_total > 0 and s.operating_income > 0 for s in fourth)
    disclosures = Disclosure.objects.all()
    assert {(d.year, d.quarter, d.status) for d in disclosures} == {(2025, 4, "draft")}
    assert disclosures.count() == n and all(d.content["entries"] for d in disclosures)


def test_second_run_refuses_with_a_clear_message(tiny):
    with pytest.raises(CommandError, match="already exists"):
        call_command("generate_scale", scale="tiny", seed=7)


def test_same_seed_same_rows_other_seed_other_rows():
    def digest(seed):
        ctx = ScaleContext(SCALES["tiny"], seed, digest=True)
        run(ctx)
        return ctx.digest

    assert digest(7) == digest(7)
    assert digest(7) != digest(8)


def test_digest_covers_the_plans_and_the_collective_income():
    ctx = ScaleContext(SCALES["tiny"], 7, digest=True)
    run(ctx)
    assert ctx.counts["dividends.DistributionPlan"] == SCALES["tiny"].cooperatives
    assert ctx.counts["dividends.MemberAllocation"] == SCALES["tiny"].members
    assert ctx.counts["finance.CollectiveIncome"] > SCALES["tiny"].cooperatives


def test_plan_sizes_add_up_exactly():
    import random

    plan = make_plan(SCALES["county"], random.Random(1))
    assert len(plan.villages) == 904 and len(plan.townships) == 33
    # members = persons + one village collective per cooperative
    assert sum(v.persons + 1 for v in plan.villages) == 375_000
    assert all(v.households <= 6 * v.member_households for v in plan.villages)  # coverage ≥ 1/6 ≥ 10%
    assert max(v.persons for v in plan.villages) == 10_000  # the plan preview benchmark's cooperative


class Twenty:
    """A stand-in random stream: every villager contributes 20 × 100 = 2,000 yuan."""

    def randint(self, a, b):
        return 20


def test_structure_numbers_worked_by_hand():
    # 24 persons: 4 branch members and 20 villagers of 2,000 → V = 40,000
    # branch members' own shares ⌈40,000 × 2 / 62⌉ = ⌈1,290.32⌉ = 1,291 → secretary 322 + 3, others 322
    # secretary on the collective's behalf ⌈40,000 / 2⌉ = 20,000; the collective round(40,000 × 5 / 62) = 3,226
    # total 40,000 + 1,291 + 20,000 + 3,226 = 64,517
    own, on_behalf, collective = structure(24, Twenty())
    assert own[1:5] == [325, 322, 322, 322] and own[5:] == [2000] * 20
    assert (on_behalf, collective) == (20_000, 3_226)
    total = Decimal(sum(own) + on_behalf + collective)
    assert total == 64_517
    assert on_behalf / total >= Decimal("0.30")  # 31.00%: party branch ≥ 30% (seed 001)
    assert Decimal("0.20") <= (on_behalf + collective) / total <= Decimal("0.40")  # 36.00% (seed 004 band)
    assert sum(own[1:5]) / total >= Decimal("0.01")  # 2.00% (seed 004)
    assert 2000 / total <= Decimal("0.20")  # 3.10% for one villager (seeds 002, 004)


def test_registry_orders_steps_after_their_dependencies():
    calls = []
    register_step("zz.late", lambda ctx: calls.append("late"), after=("zz.early", "not.installed"))
    register_step("zz.early", lambda ctx: calls.append("early"))
    try:
        names = [s.name for s in ordered_steps()]
        assert names.index("zz.early") < names.index("zz.late")
        assert names.index("finance.books") > names.index("members.members") > names.index("core.regions")
    finally:
        from core import scale

        scale._STEPS.pop("zz.late")
        scale._STEPS.pop("zz.early")
