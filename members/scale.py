"""Scale step: households and members (the village collective, the branch secretary, villagers).

Member ``k`` of a cooperative has id ``ids["member_first"] + k`` and number ``k + 1``: 0 is the
village collective (its joint-stock economic cooperative, USCC N2…), 1 the party branch secretary
who chairs the cooperative, 2–4 further party branch members, the rest villagers. Persons are
grouped four to a household in order (household ``h`` holds persons 4h+1 … 4h+4), so the shares
and finance steps find everyone by arithmetic, without keeping three million rows in memory.
Resident ID numbers carry the county's address code and a correct check character (DOMAIN.md §6.1).
"""

from __future__ import annotations

import datetime

from core.scale import GIVEN, SURNAMES, ScaleContext, register_step
from core.validators import id_check_character

BRANCH_MEMBERS = 4  # persons 1–4: the secretary and three more branch members
PER_HOUSEHOLD = 4


def is_branch_member(k: int) -> bool:
    return 1 <= k <= BRANCH_MEMBERS


def is_farmer(k: int) -> bool:
    # one villager in forty is not a farmer (law Art. 20 needs at least 80% farmers)
    return k % 40 != 39


def resident_id(county_code: str, birth: datetime.date, serial: int) -> str:
    first17 = f"{county_code}{birth:%Y%m%d}{serial:03d}"
    return first17 + id_check_character(first17)


@register_step("members.members", after=("cooperatives.cooperatives",))
def members_step(ctx: ScaleContext) -> None:
    from cooperatives.scale import uscc_for
    from members.choices import Gender, MemberKind
    from members.models import Household, Member

    rng = ctx.rng("members")
    villages = ctx.plan.villages
    household_first = ctx.reserve_ids(Household, sum(v.member_households for v in villages))
    member_first = ctx.reserve_ids(Member, sum(v.persons + 1 for v in villages))
    households, members = [], []
    for v in villages:
        v.ids["household_first"] = household_first
        v.ids["member_first"] = member_first
        coop_id = v.ids["cooperative"]
        joined = datetime.date(2024, 1, 1) + datetime.timedelta(days=rng.randrange(300))
        members.append(
            (
                member_first,
                v.code,
                coop_id,
                1,
                MemberKind.COLLECTIVE,
                f"{v.name}股份经济合作社",
                "",
                "",
                None,
                None,
                None,
                uscc_for(v.county_code, 50_000_000 + v.index, registration="N2"),
                v.chair_name,
                False,
                False,
                False,
                False,
                False,
                joined,
            )
        )
        used_ids: set[str] = set()
        surname = ""
        for k in range(1, v.persons + 1):
            h = (k - 1) // PER_HOUSEHOLD
            if (k - 1) % PER_HOUSEHOLD == 0:
                surname = rng.choice(SURNAMES)
            name = v.chair_name if k == 1 else surname + rng.choice(GIVEN) + rng.choice(GIVEN)
            if (k - 1) % PER_HOUSEHOLD == 0:
                size = min(PER_HOUSEHOLD, v.persons - k + 1) + rng.randrange(3)
                households.append((household_first + h, v.code, v.region_id, f"{v.code[-6:]}-{h + 1:04d}", name, size))
            while True:
                birth = datetime.date(1950 + rng.randrange(52), rng.randint(1, 12), rng.randint(1, 28))
                number = resident_id(v.county_code, birth, rng.randrange(1000))
                if number not in used_ids:
                    used_ids.add(number)
                    break
            members.append(
                (
                    member_first + k,
                    v.code,
                    coop_id,
                    k + 1,
                    MemberKind.PERSON,
                    name,
                    number,
                    Gender.MALE if int(number[16]) % 2 else Gender.FEMALE,
                    birth,
                    household_first + h,
                    v.region_id,
                    "",
                    "",
                    is_branch_member(k),
                    is_branch_member(k),
                    k <= 2,
                    k % 20 == 7,  # one in twenty a poverty-registered household member
                    is_farmer(k),
                    joined,
                )
            )
        household_first += v.member_households
        member_first += v.persons + 1
        if len(members) >= ctx.BATCH:
            _write(ctx, households, members)
            households, members = [], []
    _write(ctx, households, members)


def _write(ctx: ScaleContext, households: list, members: list) -> None:
    from members.models import Household, Member

    ctx.copy(Household, ["id", "region_code", "village_id", "number", "head_name", "size"], households)
    ctx.copy(
        Member,
        [
            "id",
            "region_code",
            "cooperative_id",
            "number",
            "kind",
            "name",
            "id_number",
            "gender",
            "birth_date",
            "household_id",
            "village_id",
            "uscc",
            "legal_representative",
            "is_party_member",
            "is_branch_member",
            "is_village_cadre",
            "is_poverty_registered",
            "is_farmer",
            "joined_on",
        ],
        members,
    )
