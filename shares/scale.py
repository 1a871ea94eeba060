"""Scale step: confirmed contributions, their subscription entries and the cached holdings.

Every cooperative's structure passes the county's policy profile (``shares/compliance.py``) by
construction. With V the villagers' own shares (1,000–3,000 yuan each, land rights valued at
500 yuan per mu for one in five):

* the party branch secretary holds the collective's shares on its behalf: ⌈V/2⌉ ≈ 31% of the total
  T ≈ V / 0.62 (seed 001: the party branch at least 30%);
* the village collective itself holds ≈ 5% (V × 5/62): the collective's stake is ≈ 36%, inside the
  recommended 20–40% band (seed 004) and above the 10% minimum (seed 002);
* the four party branch members own ≈ 2% together (seed 004: at least 1%);
* no villager reaches 20% (each holds at most 3,000 of a total above 24,000 with the smallest
  cooperatives of ``tiny``); every person holds shares, so the member households are those of
  the plan (17–50% of the village, seed 002: at least 10%).

Holdings equal the sum of the ledger (one subscription per member and class), which
``manage.py check_ledgers`` confirms. The subscriptions are dated in 2024, before the books start:
the finance step takes them over as the first year's opening balances (股金 per owner, and the
bank, land rights and collective assets they brought in), as the takeover service books them.
Each cooperative's structure stays in ``ctx.data["shares.structure"]`` (8 bytes a member) for
the distribution plans.
"""

from __future__ import annotations

import datetime
import uuid
from array import array
from decimal import Decimal

from core.scale import ScaleContext, register_step
from members.scale import BRANCH_MEMBERS

VALUE_PER_MU = 500  # yuan per mu of land contract-management rights


def structure(persons: int, rng) -> tuple[list[int], int, int]:
    """Own shares of persons 1..persons (yuan), the secretary's collective shares on the
    collective's behalf, and the collective's own shares."""
    own = [0] + [rng.randint(10, 30) * 100 for _ in range(persons)]
    villagers = sum(own[BRANCH_MEMBERS + 1 :])
    assert villagers > 0, "every cooperative needs villagers beyond the party branch members"
    branch = -(-villagers * 2 // 62)  # ⌈2% of V / 0.62⌉
    branch_members = min(BRANCH_MEMBERS, persons)
    for k in range(1, branch_members + 1):
        own[k] = branch // branch_members + (branch % branch_members if k == 1 else 0)
    on_behalf = -(-villagers // 2)  # ⌈31% × V / 0.62⌉ = ⌈V / 2⌉
    collective = round(villagers * 5 / 62)
    return own, on_behalf, collective


@register_step("shares.ledger", after=("members.members",))
def shares_step(ctx: ScaleContext) -> None:
    from shares.choices import ContributionKind, ContributionState, EntryType, ShareClass
    from shares.models import Contribution, Holding, ShareEntry

    rng = ctx.rng("shares")
    villages = ctx.plan.villages
    n = sum(v.persons + 2 for v in villages)  # persons, the collective and the secretary's second class
    first = {m: ctx.reserve_ids(m, n) for m in (Contribution, ShareEntry, Holding)}
    offset = 0
    contributions, entries, holdings = [], [], []
    # what later steps (the distribution plans) read without querying: yuan per member index
    ctx.data["shares.structure"] = kept = {}
    # what the books take over on their first day, per village: the assets the contributions brought
    # in (cash in the bank, land rights, the collective's assets), in yuan
    ctx.data["shares.brought_in"] = brought = {}
    for v in villages:
        own, on_behalf, collective = structure(v.persons, rng)
        kept[v.index] = (array("q", own), on_behalf, collective)
        day = datetime.date(2024, 3, 1) + datetime.timedelta(days=rng.randrange(200))
        confirmed_at = datetime.datetime.combine(day, datetime.time(10), tzinfo=datetime.UTC)
        coop, m0 = v.ids["cooperative"], v.ids["member_first"]
        rows = [(m0, ShareClass.COLLECTIVE, ContributionKind.COLLECTIVE_ASSETS, collective)]
        rows.append((m0 + 1, ShareClass.COLLECTIVE, ContributionKind.COLLECTIVE_ASSETS, on_behalf))
        rows += [
            (m0 + k, ShareClass.ORDINARY, ContributionKind.LAND if k % 5 == 3 else ContributionKind.CASH, own[k])
            for k in range(1, v.persons + 1)
        ]
        brought[v.index] = {
            "cash": sum(yuan for _m, _c, kind, yuan in rows if kind == ContributionKind.CASH),
            "land": sum(yuan for _m, _c, kind, yuan in rows if kind == ContributionKind.LAND),
            "collective_assets": collective + on_behalf,
        }
        for member_id, share_class, kind, yuan in rows:
            cid, eid, hid = (first[m] + offset for m in (Contribution, ShareEntry, Holding))
            offset += 1
            land = kind == ContributionKind.LAND
            appraised = kind != ContributionKind.CASH
            contributions.append(
                (
                    cid,
                    v.code,
                    coop,
                    member_id,
                    kind,
                    share_class,
                    ContributionState.CONFIRMED,
                    yuan,
                    day,
                    Decimal(yuan) / VALUE_PER_MU if land else None,
                    f"{v.name}东坡" if land else "",
                    15 if land else None,
                    VALUE_PER_MU if land else None,
                    "乡镇农村经营管理站" if appraised else "",
                    day if appraised else None,
                    confirmed_at,
                )
            )
            entries.append(
                (
                    eid,
                    v.code,
                    coop,
                    member_id,
                    share_class,
                    EntryType.SUBSCRIBE,
                    yuan,
                    yuan,
                    day,
                    uuid.UUID(int=rng.getrandbits(128), version=4),
                    cid,
                )
            )
            holdings.append((hid, v.code, coop, member_id, share_class, yuan))
        if len(entries) >= ctx.BATCH:
            _write(ctx, contributions, entries, holdings)
            contributions, entries, holdings = [], [], []
    _write(ctx, contributions, entries, holdings)


def _write(ctx: ScaleContext, contributions: list, entries: list, holdings: list) -> None:
    from shares.models import Contribution, Holding, ShareEntry

    ctx.copy(
        Contribution,
        [
            "id",
            "region_code",
            "cooperative_id",
            "member_id",
            "kind",
            "share_class",
            "state",
            "amount",
            "contributed_on",
            "area_mu",
            "location",
            "term_years",
            "value_per_mu",
            "appraiser",
            "appraisal_date",
            "confirmed_at",
        ],
        contributions,
    )
    ctx.copy(
        ShareEntry,
        [
            "id",
            "region_code",
            "cooperative_id",
            "member_id",
            "share_class",
            "entry_type",
            "amount",
            "balance_after",
            "effective_on",
            "operation",
            "contribution_id",
        ],
        entries,
    )
    ctx.copy(Holding, ["id", "region_code", "cooperative_id", "member_id", "share_class", "amount"], holdings)
