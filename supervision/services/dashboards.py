"""The dashboards' figures, read from the snapshots only (a fixed number of queries at any size).

``dashboard(user, region, year, quarter)`` returns everything one page shows for a prefecture,
county, township or village, over what the user may see of it.
"""

from __future__ import annotations

import statistics as stats
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, Count, F, Q, Sum, Value, When
from django.db.models.functions import Coalesce, Substr

from core.choices import RegionLevel
from core.models import Region
from core.money import ZERO
from core.policies import policy_for
from core.selectors import approval_inbox
from supervision import figures, periods
from supervision.choices import IncomeTier
from supervision.models import StatisticsSnapshot, VillageSnapshot
from supervision.services import rankings
from supervision.services.rankings import scoped

CENT = Decimal("0.01")
PERCENT = Decimal("0.1")
TOP_COOPERATIVES = 10  # the cooperatives a dashboard lists; the ranking page has them all

# the child level whose areas are ranked and charted under each level
CHILD_LENGTH = {RegionLevel.PREFECTURE: 6, RegionLevel.COUNTY: 9, RegionLevel.TOWNSHIP: 12}
CHILD_LEVEL = {
    RegionLevel.PREFECTURE: RegionLevel.COUNTY,
    RegionLevel.COUNTY: RegionLevel.TOWNSHIP,
    RegionLevel.TOWNSHIP: RegionLevel.VILLAGE,
}
# collective stake buckets of the share-structure chart (seed 004: 20–40% recommended; 002: at least 10%)
STAKE_BUCKETS = [
    (Decimal("0.10"), "< 10%"),
    (Decimal("0.20"), "10–20%"),
    (Decimal("0.40"), "20–40%"),
    (None, "≥ 40%"),
]


def percent(part, whole) -> Decimal | None:
    """``part / whole`` as a percentage with one decimal, half up; None when ``whole`` is 0."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(PERCENT, ROUND_HALF_UP)


def per(part: Decimal, whole) -> Decimal | None:
    return (part / Decimal(whole)).quantize(CENT, ROUND_HALF_UP) if whole else None


def default_region(user) -> Region | None:
    """The widest region the user's roles grant (the county for a county official)."""
    grants = sorted(user.jurisdiction.grants, key=lambda g: (len(g.prefix), g.prefix))
    if grants:
        return Region.objects.filter(pk=grants[0].region_id).first()
    if user.is_superuser:
        return Region.objects.filter(parent__isnull=True).order_by("code").first()
    return None


def _village_figures(qs) -> dict:
    return qs.aggregate(
        covered=Count("pk", filter=Q(cooperatives__gt=0)),
        member_households=Coalesce(Sum("member_households"), 0),
        income=Coalesce(Sum("collective_income"), ZERO),
        income_prev=Coalesce(Sum("collective_income_prev"), ZERO),
        reward_eligible=Count("pk", filter=Q(reward_eligible=True)),
        weak=Count("pk", filter=Q(tier=IncomeTier.WEAK)),
        from_100k=Count("pk", filter=Q(collective_income__gte=100000)),
        from_200k=Count("pk", filter=Q(collective_income__gte=200000)),
        strong=Count("pk", filter=Q(tier=IncomeTier.STRONG)),
        snapshots=Count("pk"),
    )


def _coop_figures(qs) -> dict:
    return qs.aggregate(
        cooperatives=Count("pk"),
        members=Coalesce(Sum("members"), 0),
        member_households=Coalesce(Sum("member_households"), 0),
        share_total=Coalesce(Sum("share_total"), ZERO),
        share_ordinary=Coalesce(Sum("share_ordinary"), ZERO),
        share_collective=Coalesce(Sum("share_collective"), ZERO),
        share_poverty=Coalesce(Sum("share_poverty"), ZERO),
        operating_income=Coalesce(Sum("operating_income"), ZERO),
        distributions=Coalesce(Sum("member_distributions"), ZERO),
        contracts=Coalesce(Sum("contracts"), 0),
        approvals_waiting=Coalesce(Sum("approvals_waiting"), 0),
        books_kept=Count("pk", filter=Q(books_kept=True)),
        out_of_balance=Count("pk", filter=Q(ledger_differences__gt=0)),
        demonstration=Count("pk", filter=~Q(demonstration_level="")),
        demonstration_awards=Coalesce(Sum("demonstration_awards"), ZERO),
        certifications=Coalesce(Sum("certifications"), 0),
        certification_awards=Coalesce(Sum("certification_awards"), ZERO),
    )


def _tiers_by_child(village_qs, length: int) -> dict[str, dict[str, int]]:
    rows = (
        village_qs.annotate(area=Substr("region_code", 1, length))
        .values("area", "tier")
        .annotate(n=Count("pk"))
        .order_by()
    )
    out: dict[str, dict[str, int]] = {}
    for row in rows:
        out.setdefault(row["area"], {})[row["tier"]] = row["n"]
    return out


def _trend(user, prefix: str, year: int, quarter: int) -> dict:
    """Collective income and member households per quarter over the last eight (two grouped queries)."""
    quarters = periods.recent_quarters(year, quarter)
    years = sorted({y for y, _q in quarters})
    villages = {
        (r["year"], r["quarter"]): r
        for r in scoped(VillageSnapshot, user)
        .filter(region_code__startswith=prefix, year__in=years, quarter__gt=0)
        .values("year", "quarter")
        .annotate(income=Sum("collective_income"), households=Sum("member_households"))
        .order_by()
    }
    return {
        "labels": [periods.label(y, q) for y, q in quarters],
        "income": [str(villages.get(k, {}).get("income") or ZERO) for k in quarters],
        "households": [villages.get(k, {}).get("households") or 0 for k in quarters],
    }


def _stake_distribution(coop_qs) -> list[dict]:
    """Cooperatives by collective stake (collective ÷ total shares), one grouped query over the
    snapshots; a cooperative without share capital is left out."""
    bucket = Case(
        *(
            When(share_collective__lt=F("share_total") * upper, then=Value(i))
            for i, (upper, _label) in enumerate(STAKE_BUCKETS)
            if upper is not None
        ),
        default=Value(len(STAKE_BUCKETS) - 1),
    )
    counts = dict(
        coop_qs.filter(share_total__gt=0)
        .annotate(bucket=bucket)
        .order_by()
        .values("bucket")
        .annotate(n=Count("pk"))
        .values_list("bucket", "n")
    )
    return [{"name": label, "value": counts.get(i, 0)} for i, (_upper, label) in enumerate(STAKE_BUCKETS)]


def dashboard(user, region: Region, year: int, quarter: int, top: int = TOP_COOPERATIVES) -> dict:
    """Everything the dashboard page of ``region`` shows, over what ``user`` may see of it: the
    ``top`` cooperatives of the ranking (the ranking page lists them all, page by page)."""
    prefix = region.prefix
    level = region.level
    villages_qs = scoped(VillageSnapshot, user).filter(region_code__startswith=prefix, year=year, quarter=quarter)
    coops_qs = scoped(StatisticsSnapshot, user).filter(region_code__startswith=prefix, year=year, quarter=quarter)
    regions = scoped(Region, user).filter(prefix__startswith=prefix)
    head = headline(user, region, year, quarter)
    v, c, n_villages = head["village"], head["coop"], head["villages"]
    tiers = [{"key": t.value, "label": t.label} for t in IncomeTier]
    context = {
        "region": region,
        "level": level,
        "year": year,
        "quarter": quarter,
        "period_label": periods.label(year, quarter),
        **head,
        "income_per_village": per(v["income"], n_villages),
        "income_per_member_household": per(c["distributions"], c["member_households"]),
        "income_growth_percent": percent(v["income"] - v["income_prev"], v["income_prev"]),
        "tier_100k_percent": percent(v["from_100k"], n_villages),
        "tier_200k_percent": percent(v["from_200k"], n_villages),
        "demonstration_percent": percent(c["demonstration"], c["cooperatives"]),
        "awards_total": c["demonstration_awards"] + c["certification_awards"],
        "inbox_count": approval_inbox(user).count() if user is not None else 0,
        "figures": figures.figures_for(user=user, prefix=prefix, year=year, quarter=quarter),
        "tiers": tiers,
        "weights": rankings.weights_for(prefix.ljust(6, "0")),
        "tie_rule": rankings.TIE_RULE,
    }
    weights = context["weights"]
    context["coop_ranking"] = rankings.cooperative_ranking(user, prefix, year, quarter, weights)[:top]
    context["stake_distribution"] = _stake_distribution(coops_qs)
    context["trend"] = _trend(user, prefix, year, quarter)
    child_length = CHILD_LENGTH.get(level)
    if child_length:
        children = {r.code: r.name for r in regions.filter(level=CHILD_LEVEL[level]).only("code", "name")}
        context["children"] = children
        by_child = _tiers_by_child(villages_qs, child_length)
        context["tier_chart"] = {
            "labels": [children.get(code, code) for code in sorted(children)],
            "series": [
                {
                    "key": t["key"],
                    "name": str(t["label"]),
                    "data": [by_child.get(code, {}).get(t["key"], 0) for code in sorted(children)],
                }
                for t in tiers
            ],
        }
        if level != RegionLevel.TOWNSHIP:
            context["area_ranking"] = rankings.area_ranking(
                user, prefix, child_length, year, quarter, children, weights
            )
    if level == RegionLevel.TOWNSHIP:
        context["village_rows"] = list(villages_qs.select_related("village").order_by("region_code"))
    if level == RegionLevel.VILLAGE:
        context.update(village_comparison(user, region, year, quarter))
    return context


def village_comparison(user, village: Region, year: int, quarter: int) -> dict:
    """A village's own figures against the targets and against its township's median."""
    own = scoped(VillageSnapshot, user).filter(village=village, year=year, quarter=quarter).first()
    # unscoped: only the township's medians leave this function, never another village's row
    peers = list(
        VillageSnapshot.objects.filter(
            region_code__startswith=village.code[:9], year=year, quarter=quarter
        ).values_list("collective_income", "member_households", "households")
    )
    ratios = [Decimal(m) / Decimal(h) for _i, m, h in peers if h]
    profile = policy_for(village.code)
    households_min = profile.households_min
    own_ratio = Decimal(own.member_households) / Decimal(own.households) if own and own.households else None
    return {
        "own": own,
        "median_income": stats.median([i for i, _m, _h in peers]) if peers else None,
        "median_household_percent": (stats.median(ratios) * 100).quantize(PERCENT, ROUND_HALF_UP) if ratios else None,
        "own_household_percent": (own_ratio * 100).quantize(PERCENT, ROUND_HALF_UP) if own_ratio is not None else None,
        "households_min_percent": (households_min * 100).quantize(PERCENT, ROUND_HALF_UP) if households_min else None,
        "targets": [
            {"label": str(IncomeTier.WEAK.label), "floor": Decimal("50000")},
            {"label": "100,000", "floor": Decimal("100000")},
            {"label": "200,000", "floor": Decimal("200000")},
            {"label": "300,000", "floor": Decimal("300000")},
            {"label": "500,000", "floor": Decimal("500000")},
        ],
    }


def headline(user, region: Region, year: int, quarter: int) -> dict:
    """The few figures the home panel shows (three aggregate queries)."""
    prefix = region.prefix
    region_totals = (
        scoped(Region, user)
        .filter(prefix__startswith=prefix)
        .aggregate(
            villages=Count("pk", filter=Q(level=RegionLevel.VILLAGE)),
            households=Coalesce(Sum("households", filter=Q(level=RegionLevel.VILLAGE)), 0),
        )
    )
    v = _village_figures(
        scoped(VillageSnapshot, user).filter(region_code__startswith=prefix, year=year, quarter=quarter)
    )
    c = _coop_figures(
        scoped(StatisticsSnapshot, user).filter(region_code__startswith=prefix, year=year, quarter=quarter)
    )
    return {
        "village": v,
        "coop": c,
        "villages": region_totals["villages"],
        "households": region_totals["households"],
        "coverage_percent": percent(v["covered"], region_totals["villages"]),
        "household_percent": percent(v["member_households"], region_totals["households"]),
        # villages without a snapshot have no recorded income: they count as weak
        "weak_villages": v["weak"] + max(region_totals["villages"] - v["snapshots"], 0),
    }
