"""Scale steps: the village collectives' income, the statistics snapshots and the quarter's disclosures.

* ``supervision.collective_income`` (COPY): what each village collective received from its
  cooperative — one receipt for the year before (the base of the 10% growth test) and one to four
  receipts spread over the generated year (dividend on the collective shares, rent, service fees).
  Annual amounts are log-normal around 150,000 yuan, so villages fall into every income tier, and
  the receipts of the fourth quarter move villages between the third quarter's ranks.
* ``supervision.snapshots``: the cooperative and village snapshots of the year's last two quarters
  computed by the nightly refresh's set-based services (``snapshots_compute_all``,
  ``village_snapshots_compute_all``, county by county) from the rows the lower steps wrote.
* ``supervision.disclosures``: the fourth quarter's disclosure draft of every cooperative, made by
  the quarter-end job's service (``disclosure_generate``).

The last two read the loaded rows through the ORM, so ``--digest`` leaves them out (like the
logins of ``core.regions``); their ``computed_at`` and ``generated_at`` are the load's clock.
"""

from __future__ import annotations

import datetime
import math

from core.scale import ScaleContext, money, register_step

SNAPSHOT_QUARTERS = (3, 4)  # the ranking of the fourth quarter shows the change since the third
DISCLOSED_QUARTER = 4
MEDIAN_INCOME = 150_000  # yuan a year (DOMAIN.md 1.5: weak below 50,000, strong from 500,000)
SOURCES = ("dividend", "dividend", "rent", "service")


@register_step("supervision.collective_income", after=("cooperatives.cooperatives",))
def collective_income_step(ctx: ScaleContext) -> None:
    from finance.models import CollectiveIncome

    rng = ctx.rng("collective_income")
    year = ctx.year
    days = (datetime.date(year, 12, 31) - datetime.date(year, 1, 1)).days + 1
    rows = []
    for v in ctx.plan.villages:
        cents = max(500_000, int(math.exp(rng.gauss(math.log(MEDIAN_INCOME), 0.8)) * 100))
        previous = int(cents / (1 + rng.uniform(-0.1, 0.35)))
        rows.append((v.code, v.region_id, v.ids["cooperative"], year - 1, datetime.date(year - 1, 12, 20), previous))
        receipts = rng.randint(1, 4)
        parts = sorted(rng.sample(range(1, cents), receipts - 1)) if receipts > 1 else []
        dates = sorted(rng.randrange(days) for _ in range(receipts))
        for day, low, high in zip(dates, [0, *parts], [*parts, cents], strict=True):
            received = datetime.date(year, 1, 1) + datetime.timedelta(days=day)
            rows.append((v.code, v.region_id, v.ids["cooperative"], year, received, high - low))
    first = ctx.reserve_ids(CollectiveIncome, len(rows))
    ctx.copy(
        CollectiveIncome,
        ["id", "region_code", "village_id", "cooperative_id", "year", "received_on", "amount", "source"],
        (
            (first + i, code, village, coop, y, day, money(cents), rng.choice(SOURCES))
            for i, (code, village, coop, y, day, cents) in enumerate(rows)
        ),
    )


@register_step(
    "supervision.snapshots",
    after=("supervision.collective_income", "shares.ledger", "finance.books", "dividends.plans"),
)
def snapshots_step(ctx: ScaleContext) -> None:
    if ctx.digest_only:
        return
    from finance.selectors.tieout import tie_out
    from supervision.services.statistics import snapshots_compute_all, village_snapshots_compute_all

    ids = [v.ids["cooperative"] for v in ctx.plan.villages]
    ties = tie_out(ids)
    for county, _name in ctx.plan.counties:
        for quarter in SNAPSHOT_QUARTERS:
            snapshots_compute_all(prefix=county, year=ctx.year, quarter=quarter, ties=ties)
            village_snapshots_compute_all(prefix=county, year=ctx.year, quarter=quarter)
    ctx.counts["supervision.StatisticsSnapshot"] = len(ids) * len(SNAPSHOT_QUARTERS)
    ctx.counts["supervision.VillageSnapshot"] = len(ids) * len(SNAPSHOT_QUARTERS)


@register_step("supervision.disclosures", after=("supervision.snapshots",))
def disclosures_step(ctx: ScaleContext) -> None:
    if ctx.digest_only:
        return
    from cooperatives.models import Cooperative
    from core.policies import policy_for
    from supervision.services.disclosures import disclosure_generate

    ids = [v.ids["cooperative"] for v in ctx.plan.villages]
    profiles = {code: policy_for(code) for code, _name in ctx.plan.counties}
    for cooperative in Cooperative.objects.filter(pk__in=ids).order_by("pk"):
        profile = profiles[cooperative.region_code[:6]]
        disclosure_generate(cooperative=cooperative, year=ctx.year, quarter=DISCLOSED_QUARTER, profile=profile)
    ctx.counts["supervision.Disclosure"] = len(ids)
