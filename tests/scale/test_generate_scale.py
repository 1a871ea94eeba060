"""generate_scale: valid codes and check characters, ledgers that pass their checks, determinism."""

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from cooperatives.models import Cooperative
from core.models import PolicyProfile, Region
from core.policies import LAW, SEED_001, SEED_002, SEED_004
from core.scale import SCALES, ScaleContext, make_plan, ordered_steps, register_step, run
from core.validators import parse_resident_id, validate_uscc
from finance.models import PatronageTransaction, Period, Voucher, VoucherLine
from members.models import Member
from shares.compliance import evaluate
from shares.models import Holding, ShareEntry
from shares.scale import structure

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


def test_plan_sizes_add_up_exactly():
    import random

    plan = make_plan(SCALES["county"], random.Random(1))
    assert len(plan.villages) == 904 and len(plan.townships) == 33
    # members = persons + one village collective per cooperative
    assert sum(v.persons + 1 for v in plan.villages) == 375_000
    assert all(v.households <= 6 * v.member_households for v in plan.villages)  # coverage ≥ 1/6 ≥ 10%


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
