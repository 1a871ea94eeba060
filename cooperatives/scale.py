"""Scale step: one operating branch-led cooperative per village, with a valid USCC (DOMAIN.md §6.2)."""

from __future__ import annotations

import datetime

from core.scale import ScaleContext, register_step
from core.validators import org_code_check_character, uscc_check_character

BUSINESS = [
    ("种植", "crops"),
    ("果品", "fruit"),
    ("养殖", "livestock"),
    ("农机服务", "agri_services"),
    ("乡村旅游", "tourism"),
]


def uscc_for(county_code: str, serial: int, registration: str = "93") -> str:
    """A GB 32100 code: registration authority and category (93 = market regulation, farmer
    cooperative), the 6-digit county, a 9-character organisation code with its GB 11714 check
    character, and the MOD 31 check character."""
    org = f"{serial:08d}"
    first17 = f"{registration}{county_code}{org}{org_code_check_character(org)}"
    return first17 + uscc_check_character(first17)


@register_step("cooperatives.cooperatives", after=("core.regions",))
def cooperatives_step(ctx: ScaleContext) -> None:
    from cooperatives.choices import CooperativeKind, CooperativeStatus, Industry
    from cooperatives.models import Cooperative

    rng = ctx.rng("cooperatives")
    villages = ctx.plan.villages
    first = ctx.reserve_ids(Cooperative, len(villages))
    rows = []
    for v in villages:
        v.ids["cooperative"] = first + v.index
        word, industry = rng.choice(BUSINESS)
        rows.append(
            (
                first + v.index,
                v.code,
                f"{v.name}{word}专业合作社",
                CooperativeKind.FARMER,
                v.region_id,
                uscc_for(v.county_code, 10_000_000 + v.index),
                v.chair_name,
                v.chair_name,
                Industry(industry),
                CooperativeStatus.OPERATING,
                datetime.date(2018 + rng.randrange(6), rng.randint(1, 12), rng.randint(1, 28)),
                f"{v.name}村委会",
            )
        )
    ctx.copy(
        Cooperative,
        [
            "id",
            "region_code",
            "name",
            "kind",
            "village_id",
            "uscc",
            "legal_representative",
            "chair_name",
            "main_industry",
            "status",
            "founding_date",
            "address",
        ],
        rows,
    )
