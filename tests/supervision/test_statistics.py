"""Statistics snapshots: computed from the ledgers, tiers and reward rule (DOMAIN.md 1.5), refresh on change."""

import datetime
from decimal import Decimal

import pytest

from supervision.choices import IncomeTier
from supervision.models import StatisticsSnapshot, VillageSnapshot
from supervision.services.statistics import (
    income_tier,
    reward_eligible,
    snapshot_compute,
    snapshots_refresh_all,
)
from tests.conftest import fresh

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("income", "tier"),
    [
        ("0.00", IncomeTier.WEAK),
        ("49999.99", IncomeTier.WEAK),  # 002: weak village below 50,000
        ("50000.00", IncomeTier.BELOW_100K),
        ("99999.99", IncomeTier.BELOW_100K),
        ("100000.00", IncomeTier.FROM_100K),  # 002: the 100,000 tier
        ("200000.00", IncomeTier.FROM_200K),  # 002: the 200,000 tier
        ("300000.00", IncomeTier.FROM_300K),  # 000: reward floor
        ("499999.99", IncomeTier.FROM_300K),
        ("500000.00", IncomeTier.STRONG),  # 001: strong village from 500,000
    ],
)
def test_income_tiers_follow_the_thresholds(income, tier):
    assert income_tier(Decimal(income)) == tier


@pytest.mark.parametrize(
    ("income", "previous", "eligible"),
    [
        # 300,000 ≥ 300,000 and 300,000 ≥ 272,727.27 × 1.10 = 299,999.997 → eligible
        ("300000.00", "272727.27", True),
        # 300,000 < 272,727.28 × 1.10 = 300,000.008 → growth just under 10%
        ("300000.00", "272727.28", False),
        # 299,999.99 is below the floor whatever the growth
        ("299999.99", "100000.00", False),
        # 520,000 < 480,000 × 1.10 = 528,000: a strong village growing 8.3% is not eligible
        ("520000.00", "480000.00", False),
        ("320000.00", "0.00", True),  # growth from nothing counts
    ],
)
def test_reward_needs_300000_and_ten_percent_growth(income, previous, eligible):
    assert reward_eligible(Decimal(income), Decimal(previous)) is eligible


def test_snapshots_computed_from_the_books(county):
    # when
    snapshots_refresh_all(year=2026, quarter=3, prefix="371323")
    # then: 东安村's cooperative as of 30 September 2026
    coop = StatisticsSnapshot.objects.get(cooperative=county.c11, year=2026, quarter=3)
    assert (coop.members, coop.member_households, coop.village_households) == (3, 3, 386)
    # 120,000 (1 March) + 200,000 (1 August) = 320,000 received by 30 September
    assert coop.collective_income == Decimal("320000.00")
    assert coop.is_branch_led and not coop.dirty
    dongan = VillageSnapshot.objects.get(village=county.v11, year=2026, quarter=3)
    # 320,000 ≥ 300,000 and ≥ 280,000 × 1.10 = 308,000 → reward-eligible, tier 300,000–500,000
    assert dongan.collective_income_prev == Decimal("280000.00")
    assert (dongan.tier, dongan.reward_eligible) == (IncomeTier.FROM_300K, True)
    # 西岭村 has no cooperative but its income still counts: 60,000 → 50,000–100,000
    xiling = VillageSnapshot.objects.get(village=county.v12, year=2026, quarter=3)
    assert (xiling.cooperatives, xiling.collective_income, xiling.tier) == (0, Decimal("60000.00"), "below_100k")


def test_quarter_snapshot_counts_income_up_to_the_quarter_end(county):
    # as of 31 March only the 120,000 of 1 March was received
    snapshot = snapshot_compute(cooperative=county.c11, year=2026, quarter=1)
    assert snapshot.collective_income == Decimal("120000.00")
    assert snapshot.period_end == datetime.date(2026, 3, 31)


def test_share_capital_by_class(county):
    # given: rules off, two confirmed cash contributions of 1,000 and 500 (ordinary shares)
    from core.models import CountyPolicy, PolicyProfile
    from shares.services import contribution_create, contributions_confirm
    from tests.members.factories import MemberFactory

    off, _ = PolicyProfile.objects.get_or_create(code="test-off", defaults={"name": "all rules off"})
    CountyPolicy.objects.update_or_create(county=county.county_a, defaults={"profile": off})
    actor = fresh(county.acc_v11)
    first, second = (MemberFactory(cooperative=county.c11, joined_on=datetime.date(2026, 1, 10)) for _ in range(2))
    rows = [
        contribution_create(actor=actor, member=m, kind="cash", amount=Decimal(a))
        for m, a in ((first, "1000.00"), (second, "500.00"))
    ]
    contributions_confirm(actor=actor, cooperative=county.c11, contributions=rows)
    # when
    snapshot = snapshot_compute(cooperative=county.c11, year=2026, quarter=4)
    # then: 1,000 + 500 = 1,500 ordinary
    assert snapshot.share_ordinary == Decimal("1500.00")
    assert snapshot.share_total == Decimal("1500.00")
    assert snapshot.members == 5


def test_a_ledger_change_refreshes_the_cooperative(county, django_capture_on_commit_callbacks):
    from django.utils import timezone

    from finance.services.collective import collective_income_record
    from supervision import periods
    from tests.factories import CooperativeFactory

    # a cooperative the fixture's writes did not touch (their notices wait for the test's commit)
    coop = CooperativeFactory(name="东安村新合作社", village=county.v11, status="operating")
    year, quarter = periods.current_period()
    snapshot_compute(cooperative=coop, year=year, quarter=quarter)
    # when: the accountant records 5,000 received today
    with django_capture_on_commit_callbacks(execute=True):
        collective_income_record(
            actor=fresh(county.acc_v11),
            village=county.v11,
            cooperative=coop,
            received_on=timezone.localdate(),
            amount=Decimal("5000.00"),
        )
    # then: the snapshot of the current quarter shows the 5,000 without a nightly run
    after = StatisticsSnapshot.objects.get(cooperative=coop, year=year, quarter=quarter)
    assert after.collective_income == Decimal("5000.00")
    assert not after.dirty
    assert VillageSnapshot.objects.filter(village=county.v11, year=year, quarter=quarter, dirty=False).exists()


def test_many_writes_in_one_transaction_queue_one_refresh(county, django_capture_on_commit_callbacks):
    from core import changes
    from tests.factories import CooperativeFactory

    coop = CooperativeFactory(name="东安村新合作社", village=county.v11, status="operating")
    with django_capture_on_commit_callbacks() as callbacks:
        for _ in range(5):
            changes.cooperative_changed(coop.pk)
    assert len(callbacks) == 1


def test_nightly_refresh_is_idempotent(county):
    snapshots_refresh_all(year=2026, quarter=3, prefix="371323")
    snapshots_refresh_all(year=2026, quarter=3, prefix="371323")
    assert StatisticsSnapshot.objects.filter(year=2026, quarter=3).count() == 2
    assert VillageSnapshot.objects.filter(year=2026, quarter=3).count() == 3


def _rows(model, key: str) -> dict:
    skip = {"id", "computed_at", "created_at", "updated_at"}
    return {
        (getattr(row, key), row.year, row.quarter): {
            f.name: getattr(row, f.attname) for f in model._meta.concrete_fields if f.name not in skip
        }
        for row in model.objects.all()
    }


def test_the_set_based_refresh_gives_the_rows_of_the_one_by_one_refresh(county, acc):
    """Every figure of the snapshots, for the year and each quarter, computed both ways."""
    from finance.services.contracts import InstalmentInput, contract_create
    from supervision.services.statistics import (
        snapshots_compute_all,
        village_snapshot_compute,
        village_snapshots_compute_all,
    )
    from tests.factories import DemonstrationAwardFactory, ProductCertificationFactory
    from tests.finance.factories import open_books, voucher

    # 东安村's cooperative keeps books: a sale of 50,000.00 on 20 May, 1,200.00 of it refunded on credit on 10 August
    coop = county.c11
    open_books(acc, coop, 2026)
    voucher(acc, coop, datetime.date(2026, 5, 20), "销售苹果", ("101", "50000.00", 0), ("501", 0, "50000.00"))
    voucher(acc, coop, datetime.date(2026, 8, 10), "退货", ("501", "1200.00", 0), ("211", 0, "1200.00"))
    contract_create(
        actor=acc,
        cooperative=coop,
        number="HT-1",
        subject="冷库租赁",
        counterparty="东安村股份经济合作社",
        amount=Decimal("24000.00"),
        start_date=datetime.date(2026, 4, 1),
        end_date=datetime.date(2026, 12, 31),
        instalments=[InstalmentInput(datetime.date(2026, 12, 31), Decimal("24000.00"))],
    )
    DemonstrationAwardFactory(cooperative=coop, level="county", year=2024, award_amount=Decimal("10000.00"))
    DemonstrationAwardFactory(cooperative=coop, level="municipal", year=2026, award_amount=Decimal("20000.00"))
    ProductCertificationFactory(cooperative=county.c21, certified_on=datetime.date(2026, 7, 1))
    member = coop.members.order_by("pk").first()
    member.left_on, member.leave_reason = datetime.date(2026, 6, 30), "voluntary"
    member.save(update_fields=["left_on", "leave_reason"])

    periods_ = [(2026, q) for q in (0, 1, 2, 3, 4)]
    for year, quarter in periods_:
        for cooperative in (county.c11, county.c21):
            snapshot_compute(cooperative=cooperative, year=year, quarter=quarter)
        for village in (county.v11, county.v12, county.v21):
            village_snapshot_compute(village=village, year=year, quarter=quarter)
    one_by_one = (_rows(StatisticsSnapshot, "cooperative_id"), _rows(VillageSnapshot, "village_id"))
    # the worked figures, so that both ways agreeing is not both ways wrong: by 30 September the
    # sale less the refund, 50,000.00 − 1,200.00 = 48,800.00; two members (one left on 30 June);
    # the municipal title of 2026 outranks the county one (20 + the unclassified 0 points)
    q3 = one_by_one[0][(coop.pk, 2026, 3)]
    assert (q3["operating_income"], q3["members"], q3["contracts"]) == (Decimal("48800.00"), 2, 1)
    assert (q3["demonstration_level"], q3["demonstration_awards"], q3["model_points"]) == (
        "municipal",
        Decimal("30000.00"),
        20,
    )
    assert one_by_one[0][(coop.pk, 2026, 1)]["operating_income"] == Decimal("0.00")

    StatisticsSnapshot.objects.all().delete()
    VillageSnapshot.objects.all().delete()
    for year, quarter in periods_:
        snapshots_compute_all(prefix="371323", year=year, quarter=quarter)
        village_snapshots_compute_all(prefix="371323", year=year, quarter=quarter)
    assert (_rows(StatisticsSnapshot, "cooperative_id"), _rows(VillageSnapshot, "village_id")) == one_by_one

    # and computing again overwrites in place
    snapshots_compute_all(prefix="371323", year=2026, quarter=3)
    assert StatisticsSnapshot.objects.filter(year=2026, quarter=3).count() == 2
