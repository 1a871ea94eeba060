"""Computing the statistics snapshots (the only reader of the raw ledgers for the dashboards).

``snapshot_compute`` recomputes one cooperative for one period, ``village_snapshot_compute`` one
village; ``cooperative_refresh`` recomputes a cooperative after its ledgers changed (its dirty
periods and the current quarter and year) together with its village. ``snapshots_compute_all`` and
``village_snapshots_compute_all`` compute every cooperative (village) of a region at once, a grouped
query per figure: the nightly run ``snapshots_refresh_all`` and the scale loader use them. All are
idempotent: a row per cooperative (village) and period, overwritten.
"""

from __future__ import annotations

import datetime
import logging
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from cooperatives.choices import Classification, CooperativeStatus, DemonstrationLevel
from cooperatives.models import Cooperative, DemonstrationAward, ProductCertification
from core.choices import ApprovalState, RegionLevel
from core.models import ApprovalRequest, Region
from core.money import ZERO
from finance.models import CollectiveIncome, Contract, VoucherLine
from members.models import Member
from shares.models import ShareEntry
from supervision import periods
from supervision.choices import IncomeTier
from supervision.models import StatisticsSnapshot, VillageSnapshot

logger = logging.getLogger(__name__)

# "Models and overall lift": the highest demonstration title and the four-type classification (seed 004).
DEMONSTRATION_POINTS = {
    DemonstrationLevel.NATIONAL: 40,
    DemonstrationLevel.PROVINCIAL: 30,
    DemonstrationLevel.MUNICIPAL: 20,
    DemonstrationLevel.COUNTY: 10,
}
CLASSIFICATION_POINTS = {
    Classification.LEADING: 10,
    Classification.IMPROVING: 5,
    Classification.TRANSFORMING: 2,
    Classification.REBUILDING: 0,
}
# "Highlights and innovation": certified products and the range of operating modes.
POINTS_PER_CERTIFICATION = 10
POINTS_PER_OPERATING_MODE = 5

# DOMAIN.md 1.5: weak below 50,000 (002); tiers 100,000 and 200,000 (002); reward 300,000 with ≥10%
# growth (000); strong from 500,000 (001).
TIER_FLOORS = [
    (Decimal("500000"), IncomeTier.STRONG),
    (Decimal("300000"), IncomeTier.FROM_300K),
    (Decimal("200000"), IncomeTier.FROM_200K),
    (Decimal("100000"), IncomeTier.FROM_100K),
    (Decimal("50000"), IncomeTier.BELOW_100K),
]
REWARD_FLOOR = Decimal("300000")
REWARD_GROWTH = Decimal("0.10")

INCOME_ACCOUNTS = ("501", "502", "511")  # 经营收入, 其他收入, 投资收益
DISTRIBUTION_ACCOUNTS = ("221", "222")  # 应付盈余返还, 应付剩余盈余


def income_tier(income: Decimal) -> str:
    for floor, tier in TIER_FLOORS:
        if income >= floor:
            return tier
    return IncomeTier.WEAK


def reward_eligible(income: Decimal, previous: Decimal) -> bool:
    """Income of 300,000 or more and at least 10% above the year before (000).

    Growth from nothing counts as growth: ``income >= previous × 1.10`` holds when ``previous`` is 0.
    """
    return income >= REWARD_FLOOR and income >= previous * (1 + REWARD_GROWTH)


def _sum(field: str, condition: Q | None = None):
    return Coalesce(Sum(field, filter=condition), ZERO, output_field=VoucherLine._meta.get_field("debit"))


def _codes(prefixes: tuple[str, ...]) -> Q:
    condition = Q(pk__in=[])
    for code in prefixes:
        condition |= Q(account__code__startswith=code)
    return condition


def _sum_amount(qs) -> Decimal:
    return qs.aggregate(t=Coalesce(Sum("amount"), ZERO))["t"]


def _active_members(cooperative_ids, end: datetime.date):
    return Member.objects.filter(cooperative_id__in=cooperative_ids, joined_on__lte=end).filter(
        Q(left_on__isnull=True) | Q(left_on__gt=end)
    )


def _ytd(qs, year: int, quarter: int, date_field: str):
    """Rows of ``year`` up to the period's end (the whole year for quarter 0)."""
    qs = qs.filter(**{f"{date_field}__gte": datetime.date(year, 1, 1)})
    return qs.filter(**{f"{date_field}__lte": periods.period_end(year, quarter)})


@transaction.atomic
def snapshot_compute(*, cooperative: Cooperative, year: int, quarter: int, tie=None) -> StatisticsSnapshot:
    """Recompute one cooperative's figures for one period from its ledgers (about ten queries, and
    the tie-out's few unless ``tie``, the cooperative's ``TieOut`` or False for no books, is given)."""
    from finance.selectors.tieout import tie_out

    end = periods.period_end(year, quarter)
    if tie is None:
        tie = tie_out([cooperative.pk]).get(cooperative.pk) or False
    members = _active_members([cooperative.pk], end).aggregate(
        n=Count("pk"), households=Count("household_id", distinct=True)
    )
    shares = dict(
        ShareEntry.objects.filter(cooperative=cooperative, effective_on__lte=end)
        .values_list("share_class")
        .annotate(total=Sum("amount"))
        .values_list("share_class", "total")
    )
    collective = CollectiveIncome.objects.filter(cooperative=cooperative, year=year)
    if quarter:
        collective = collective.filter(received_on__lte=end)
    lines = _ytd(
        VoucherLine.objects.filter(cooperative=cooperative, is_posted=True, is_closing=False),
        year,
        quarter,
        "voucher__date",
    ).aggregate(
        income_cr=_sum("credit", _codes(INCOME_ACCOUNTS)),
        income_dr=_sum("debit", _codes(INCOME_ACCOUNTS)),
        distributed=_sum("credit", _codes(DISTRIBUTION_ACCOUNTS)),
    )
    titles = list(
        DemonstrationAward.objects.filter(cooperative=cooperative, year__lte=year).values_list("level", "award_amount")
    )
    levels = {level for level, _amount in titles}
    top_level = next((lv for lv in DEMONSTRATION_POINTS if lv in levels), "")
    certs = ProductCertification.objects.filter(cooperative=cooperative, certified_on__lte=end).aggregate(
        n=Count("pk"), total=Coalesce(Sum("award_amount"), ZERO)
    )
    ordinary, collective_shares, poverty = (shares.get(c) or ZERO for c in ("ordinary", "collective", "poverty"))
    values = {
        "region_code": cooperative.region_code,
        "period_end": end,
        "is_branch_led": cooperative.status == CooperativeStatus.OPERATING,
        "members": members["n"],
        "member_households": members["households"],
        "village_households": cooperative.village.households,
        "share_total": ordinary + collective_shares + poverty,
        "share_ordinary": ordinary,
        "share_collective": collective_shares,
        "share_poverty": poverty,
        "collective_income": _sum_amount(collective),
        "operating_income": lines["income_cr"] - lines["income_dr"],
        "member_distributions": lines["distributed"],
        "contracts": Contract.objects.filter(cooperative=cooperative, start_date__lte=end).count(),
        "approvals_waiting": ApprovalRequest.objects.filter(
            region_code=cooperative.region_code, state=ApprovalState.SUBMITTED
        ).count(),
        "demonstration_level": top_level,
        "demonstration_awards": sum((amount for _level, amount in titles), ZERO),
        "certifications": certs["n"],
        "certification_awards": certs["total"],
        "model_points": DEMONSTRATION_POINTS.get(top_level, 0)
        + CLASSIFICATION_POINTS.get(cooperative.classification, 0),
        "innovation_points": POINTS_PER_CERTIFICATION * certs["n"]
        + POINTS_PER_OPERATING_MODE * len(set(cooperative.operating_modes or [])),
        "books_kept": bool(tie),
        "ledger_differences": tie.problem_count if tie else 0,
        "dirty": False,
        "computed_at": timezone.now(),
    }
    snapshot, _ = StatisticsSnapshot.objects.update_or_create(
        cooperative=cooperative, year=year, quarter=quarter, defaults=values
    )
    return snapshot


@transaction.atomic
def village_snapshot_compute(*, village: Region, year: int, quarter: int) -> VillageSnapshot:
    """Recompute one village's collective income, tier and household coverage for one period."""
    end = periods.period_end(year, quarter)
    coop_ids = list(Cooperative.objects.filter(village=village).values_list("pk", flat=True))
    operating = Cooperative.objects.filter(village=village, status=CooperativeStatus.OPERATING).count()
    households = _active_members(coop_ids, end).aggregate(n=Count("household_id", distinct=True))["n"]

    incomes = CollectiveIncome.objects.filter(village=village)
    current = _sum_amount(incomes.filter(year=year, **({"received_on__lte": end} if quarter else {})))
    # the reward compares with the whole previous year (000: growth of 10% on last year's income)
    previous = _sum_amount(incomes.filter(year=year - 1))
    snapshot, _ = VillageSnapshot.objects.update_or_create(
        village=village,
        year=year,
        quarter=quarter,
        defaults={
            "region_code": village.code,
            "period_end": end,
            "households": village.households,
            "cooperatives": operating,
            "member_households": households,
            "collective_income": current,
            "collective_income_prev": previous,
            "tier": income_tier(current),
            "reward_eligible": reward_eligible(current, previous),
            "dirty": False,
            "computed_at": timezone.now(),
        },
    )
    return snapshot


def _grouped(qs, key: str, **aggregates) -> dict:
    """``{key value: {name: aggregate}}`` from one grouped query."""
    return {row.pop(key): row for row in qs.values(key).annotate(**aggregates).order_by()}


def snapshots_compute_all(*, prefix: str, year: int, quarter: int, ties: dict | None = None) -> int:
    """Every cooperative under ``prefix`` for one period, set-based: one grouped query per figure
    over all of them and one upsert, instead of ``snapshot_compute``'s ten queries a cooperative.
    Gives the same rows as ``snapshot_compute`` cooperative by cooperative (tested); ``ties`` is
    ``tie_out`` of these cooperatives when the caller has it. # unscoped: nightly statistics"""
    from finance.selectors.tieout import tie_out

    end = periods.period_end(year, quarter)
    coops = list(
        Cooperative.objects.filter(region_code__startswith=prefix)
        .select_related("village")
        .only("pk", "region_code", "status", "classification", "operating_modes", "village__households")
        .order_by("pk")
    )
    if not coops:
        return 0
    if ties is None:
        ties = tie_out([c.pk for c in coops])
    within = Q(region_code__startswith=prefix)
    members = _grouped(
        Member.objects.filter(within, joined_on__lte=end).filter(Q(left_on__isnull=True) | Q(left_on__gt=end)),
        "cooperative_id",
        n=Count("pk"),
        households=Count("household_id", distinct=True),
    )
    shares: dict[int, dict[str, Decimal]] = {}
    rows = ShareEntry.objects.filter(within, effective_on__lte=end).values_list("cooperative_id", "share_class")
    for cooperative_id, share_class, total in rows.annotate(total=Sum("amount")).order_by():
        shares.setdefault(cooperative_id, {})[share_class] = total
    collective = CollectiveIncome.objects.filter(within, year=year, cooperative__isnull=False)
    if quarter:
        collective = collective.filter(received_on__lte=end)
    collective = _grouped(collective, "cooperative_id", total=Sum("amount"))
    lines = _grouped(
        _ytd(VoucherLine.objects.filter(within, is_posted=True, is_closing=False), year, quarter, "voucher__date"),
        "cooperative_id",
        income_cr=_sum("credit", _codes(INCOME_ACCOUNTS)),
        income_dr=_sum("debit", _codes(INCOME_ACCOUNTS)),
        distributed=_sum("credit", _codes(DISTRIBUTION_ACCOUNTS)),
    )
    titles: dict[int, list] = {}
    awards = DemonstrationAward.objects.filter(within, year__lte=year)
    for cooperative_id, level, amount in awards.values_list("cooperative_id", "level", "award_amount"):
        titles.setdefault(cooperative_id, []).append((level, amount))
    certs = _grouped(
        ProductCertification.objects.filter(within, certified_on__lte=end),
        "cooperative_id",
        n=Count("pk"),
        total=Coalesce(Sum("award_amount"), ZERO),
    )
    contracts = _grouped(Contract.objects.filter(within, start_date__lte=end), "cooperative_id", n=Count("pk"))
    waiting = _grouped(
        ApprovalRequest.objects.filter(within, state=ApprovalState.SUBMITTED), "region_code", n=Count("pk")
    )
    now = timezone.now()
    snapshots = []
    for cooperative in coops:
        pk = cooperative.pk
        held = shares.get(pk, {})
        ordinary, collective_shares, poverty = (held.get(c) or ZERO for c in ("ordinary", "collective", "poverty"))
        line = lines.get(pk, {"income_cr": ZERO, "income_dr": ZERO, "distributed": ZERO})
        cert = certs.get(pk, {"n": 0, "total": ZERO})
        own_titles = titles.get(pk, [])
        levels = {level for level, _amount in own_titles}
        top_level = next((lv for lv in DEMONSTRATION_POINTS if lv in levels), "")
        tie = ties.get(pk) or False
        counted = members.get(pk, {"n": 0, "households": 0})
        snapshots.append(
            StatisticsSnapshot(
                cooperative_id=pk,
                year=year,
                quarter=quarter,
                region_code=cooperative.region_code,
                period_end=end,
                is_branch_led=cooperative.status == CooperativeStatus.OPERATING,
                members=counted["n"],
                member_households=counted["households"],
                village_households=cooperative.village.households,
                share_total=ordinary + collective_shares + poverty,
                share_ordinary=ordinary,
                share_collective=collective_shares,
                share_poverty=poverty,
                collective_income=collective.get(pk, {}).get("total") or ZERO,
                operating_income=line["income_cr"] - line["income_dr"],
                member_distributions=line["distributed"],
                contracts=contracts.get(pk, {}).get("n", 0),
                approvals_waiting=waiting.get(cooperative.region_code, {}).get("n", 0),
                demonstration_level=top_level,
                demonstration_awards=sum((amount for _level, amount in own_titles), ZERO),
                certifications=cert["n"],
                certification_awards=cert["total"],
                model_points=DEMONSTRATION_POINTS.get(top_level, 0)
                + CLASSIFICATION_POINTS.get(cooperative.classification, 0),
                innovation_points=POINTS_PER_CERTIFICATION * cert["n"]
                + POINTS_PER_OPERATING_MODE * len(set(cooperative.operating_modes or [])),
                books_kept=bool(tie),
                ledger_differences=tie.problem_count if tie else 0,
                dirty=False,
                computed_at=now,
            )
        )
    _upsert(StatisticsSnapshot, snapshots, ["cooperative", "year", "quarter"])
    return len(snapshots)


def village_snapshots_compute_all(*, prefix: str, year: int, quarter: int) -> int:
    """Every village under ``prefix`` for one period, set-based (as ``village_snapshot_compute``)."""
    end = periods.period_end(year, quarter)
    villages = list(
        Region.objects.filter(level=RegionLevel.VILLAGE, code__startswith=prefix).only("pk", "code", "households")
    )
    if not villages:
        return 0
    within = Q(region_code__startswith=prefix)
    operating = _grouped(
        Cooperative.objects.filter(within, status=CooperativeStatus.OPERATING), "village_id", n=Count("pk")
    )
    households = _grouped(
        Member.objects.filter(within, joined_on__lte=end).filter(Q(left_on__isnull=True) | Q(left_on__gt=end)),
        "cooperative__village_id",
        n=Count("household_id", distinct=True),
    )
    current = CollectiveIncome.objects.filter(within, year=year)
    if quarter:
        current = current.filter(received_on__lte=end)
    current = _grouped(current, "village_id", total=Sum("amount"))
    previous = _grouped(CollectiveIncome.objects.filter(within, year=year - 1), "village_id", total=Sum("amount"))
    now = timezone.now()
    snapshots = []
    for village in villages:
        income = current.get(village.pk, {}).get("total") or ZERO
        before = previous.get(village.pk, {}).get("total") or ZERO
        snapshots.append(
            VillageSnapshot(
                village_id=village.pk,
                year=year,
                quarter=quarter,
                region_code=village.code,
                period_end=end,
                households=village.households,
                cooperatives=operating.get(village.pk, {}).get("n", 0),
                member_households=households.get(village.pk, {}).get("n", 0),
                collective_income=income,
                collective_income_prev=before,
                tier=income_tier(income),
                reward_eligible=reward_eligible(income, before),
                dirty=False,
                computed_at=now,
            )
        )
    _upsert(VillageSnapshot, snapshots, ["village", "year", "quarter"])
    return len(snapshots)


def _upsert(model, rows: list, unique: list[str]) -> None:
    fields = [
        f.name for f in model._meta.concrete_fields if not f.primary_key and f.name not in {*unique, "created_at"}
    ]
    for start in range(0, len(rows), 2000):
        model.objects.bulk_create(
            rows[start : start + 2000], update_conflicts=True, unique_fields=unique, update_fields=fields
        )


def _periods_to_refresh(today: datetime.date | None = None) -> list[tuple[int, int]]:
    year, quarter = periods.current_period(today)
    return [(year, quarter), (year, 0)]


@transaction.atomic
def _lock_snapshots(cooperative_id: int, village_code: str | None) -> tuple[list[int], list[int]]:
    """Lock a cooperative's snapshot rows, then its village's, each in id order: the one order in
    which every writer of these rows takes them (marking dirty after a commit, the refresh in the
    background), so that two of them wait for each other instead of deadlocking."""
    own = list(
        StatisticsSnapshot.objects.filter(cooperative_id=cooperative_id)
        .order_by("pk")
        .select_for_update()
        .values_list("pk", flat=True)
    )
    village = (
        list(
            VillageSnapshot.objects.filter(region_code=village_code)
            .order_by("pk")
            .select_for_update()
            .values_list("pk", flat=True)
        )
        if village_code
        else []
    )
    return own, village


@transaction.atomic
def cooperative_mark_dirty(cooperative_id: int) -> None:
    """Cheap, on the writer's path: flag the cooperative's and its village's snapshots."""
    village_code = Cooperative.objects.filter(pk=cooperative_id).values_list("region_code", flat=True).first()
    own, village = _lock_snapshots(cooperative_id, village_code)
    StatisticsSnapshot.objects.filter(pk__in=own).update(dirty=True)
    VillageSnapshot.objects.filter(pk__in=village).update(dirty=True)


@transaction.atomic
def cooperative_refresh(*, cooperative_id: int, today: datetime.date | None = None) -> int:
    """Recompute a cooperative's dirty periods and the current quarter and year, and its village's.

    # unscoped: statistics are system work (Celery), the dashboards scope what they show
    """
    cooperative = Cooperative.objects.select_related("village").filter(pk=cooperative_id).first()
    if cooperative is None:
        return 0
    from finance.selectors.tieout import tie_out

    _lock_snapshots(cooperative.pk, cooperative.region_code)

    wanted = set(_periods_to_refresh(today))
    wanted |= set(StatisticsSnapshot.objects.filter(cooperative=cooperative, dirty=True).values_list("year", "quarter"))
    wanted |= set(
        VillageSnapshot.objects.filter(village=cooperative.village, dirty=True).values_list("year", "quarter")
    )
    tie = tie_out([cooperative.pk]).get(cooperative.pk) or False  # the same for every period
    for year, quarter in sorted(wanted):
        snapshot_compute(cooperative=cooperative, year=year, quarter=quarter, tie=tie)
        village_snapshot_compute(village=cooperative.village, year=year, quarter=quarter)
    return len(wanted)


def snapshots_refresh_all(*, year: int | None = None, quarter: int | None = None, prefix: str = "") -> int:
    """The nightly run: every cooperative and every village (under ``prefix``) for the period(s),
    set-based (``snapshots_compute_all``): a grouped query per figure, one transaction per period,
    so a worker killed half-way leaves finished periods finished and the next run overwrites.
    # unscoped: nightly statistics
    """
    from finance.selectors.tieout import tie_out

    wanted = [(year, quarter)] if year is not None and quarter is not None else _periods_to_refresh()
    # one tie-out for all of them: a grouped statement per comparison, not a round per cooperative
    ties = tie_out(list(Cooperative.objects.filter(region_code__startswith=prefix).values_list("pk", flat=True)))
    count = 0
    for y, q in wanted:
        with transaction.atomic():
            count = snapshots_compute_all(prefix=prefix, year=y, quarter=q, ties=ties)
            village_snapshots_compute_all(prefix=prefix, year=y, quarter=q)
    # rows marked dirty whose refresh task never ran (broker down, worker killed)
    dirty = StatisticsSnapshot.objects.filter(dirty=True, region_code__startswith=prefix)
    for cooperative_id in dirty.values_list("cooperative_id", flat=True).distinct():
        cooperative_refresh(cooperative_id=cooperative_id)
    logger.info("supervision.snapshots.refreshed", extra={"cooperatives": count, "periods": wanted})
    return count
