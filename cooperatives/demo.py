"""Demo cooperatives: one branch-led cooperative per demo village."""

from datetime import date
from decimal import Decimal

from cooperatives.choices import (
    BusinessType,
    Classification,
    CooperativeKind,
    CooperativeStatus,
    Industry,
    OperatingMode,
)
from core.demo import DemoContext, upsert
from core.validators import org_code_check_character, uscc_check_character

# village code → name, chair, industry, business type, capital, classification, modes
COOPERATIVES = {
    "371323104201": (
        "沂水县东安村富民果品种植专业合作社",
        "赵德明",
        Industry.FRUIT,
        BusinessType.PRODUCTION,
        "860000.00",
        Classification.LEADING,
        [OperatingMode.SELF_RUN, OperatingMode.UNIFIED_PURCHASE],
    ),
    "371323104202": (
        "沂水县西岭村众兴土地股份专业合作社",
        "孙家和",
        Industry.CROPS,
        BusinessType.LAND_SHARE,
        "420000.00",
        Classification.IMPROVING,
        [OperatingMode.TRUSTEESHIP],
    ),
    "371323104203": (
        "沂水县南坪村惠农劳务服务专业合作社",
        "钱永胜",
        Industry.LABOUR,
        BusinessType.SERVICE,
        "150000.00",
        Classification.TRANSFORMING,
        [OperatingMode.SERVICES],
    ),
    "371323105201": (
        "沂水县北岭村金穗粮食种植专业合作社",
        "周立新",
        Industry.CROPS,
        BusinessType.PRODUCTION,
        "560000.00",
        Classification.IMPROVING,
        [OperatingMode.ORDER, OperatingMode.SELF_RUN],
    ),
    "371323105202": (
        "沂水县石泉村山里红乡村旅游专业合作社",
        "吴春来",
        Industry.TOURISM,
        BusinessType.PRODUCTION,
        "380000.00",
        Classification.LEADING,
        [OperatingMode.COOPERATIVE],
    ),
    "371323105203": (
        "沂水县杏山村兴旺生猪养殖专业合作社",
        "郑宝山",
        Industry.LIVESTOCK,
        BusinessType.PRODUCTION,
        "240000.00",
        Classification.REBUILDING,
        [OperatingMode.CONTRACTED],
    ),
}


def demo_uscc(village_code: str) -> str:
    """A well-formed code: 9 (market regulation) 3 (farmer cooperative) + county + organisation code."""
    body = f"MA{village_code[-6:]}"
    first17 = "93" + village_code[:6] + body + org_code_check_character(body)
    return first17 + uscc_check_character(first17)


def seed(ctx: DemoContext) -> None:
    from cooperatives.models import Cooperative

    for code, (name, chair, industry, btype, capital, classification, modes) in COOPERATIVES.items():
        village = ctx.regions[code]
        coop = upsert(
            Cooperative,
            {"village": village, "name": name},
            {
                "region_code": village.padded_code,
                "kind": CooperativeKind.FARMER,
                "uscc": demo_uscc(code),
                "legal_representative": chair,
                "chair_name": chair,
                "chair_is_branch_secretary": True,
                "registered_capital": Decimal(capital),
                "business_scope": "组织成员开展农产品生产、收购、加工、销售，提供技术培训和信息服务。",
                "main_industry": industry,
                "business_type": btype,
                "operating_modes": [str(m) for m in modes],
                "founding_date": date(2020, 3, 18),
                "status": CooperativeStatus.OPERATING,
                "classification": classification,
                "address": f"山东省临沂市沂水县{village.parent.name}{village.name}",
            },
            ctx,
        )
        ctx.cooperatives[code] = coop
