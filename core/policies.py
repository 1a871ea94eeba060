"""The shipped policy profiles and the lookup every app uses: ``policy_for(region_code)``."""

from __future__ import annotations

from decimal import Decimal as D

from core.choices import Enforcement

LAW = "law"
SEED_001 = "seed-001"
SEED_002 = "seed-002"
SEED_004 = "seed-004"
FALLBACK = LAW

_law_rules = {
    # Farmer Specialized Cooperatives Law Art. 20: farmers ≥ 80% of members; at most one
    # organisation member with 20 members or fewer, otherwise at most 5% of members.
    "farmer_members_min": D("0.80"),
    "farmer_members_min_enforcement": Enforcement.REFUSE,
    "org_members_small_max": 1,
    "org_members_large_max": D("0.05"),
    "org_members_enforcement": Enforcement.REFUSE,
}

# code → (name, source, fields)
TEMPLATES = {
    LAW: (
        "《农民专业合作社法》基本规则",
        "农民专业合作社法（2017修订）第二十条",
        {
            **_law_rules,
            "default_distribution_policy": "law",
            "joint_stock_distribution_policy": "reserve-cap-15",
        },
    ),
    SEED_001: (
        "**县：党支部占股不低于30%",
        "**县村党支部领办合作社工作材料：村党支部原则上占股不低于30%",
        {
            **_law_rules,
            "party_branch_min": D("0.30"),
            "party_branch_min_enforcement": Enforcement.REFUSE,
            "default_distribution_policy": "law",
            "joint_stock_distribution_policy": "reserve-cap-15",
        },
    ),
    SEED_002: (
        "xx区实施意见：集体≥10%、单个≤20%、入社≥10%",
        "xx区《关于推进党支部领办合作社全面转型高质量发展的实施意见》第3、7、24条",
        {
            **_law_rules,
            "collective_min": D("0.10"),
            "collective_min_enforcement": Enforcement.REFUSE,
            # early-stage excess allowed and reduced over time by transfer or capital increase: a warning
            "single_member_max": D("0.20"),
            "single_member_max_enforcement": Enforcement.WARN,
            "social_capital_majority": D("0.50"),
            "social_capital_majority_enforcement": Enforcement.REFUSE,
            "households_min": D("0.10"),
            "households_min_enforcement": Enforcement.WARN,
            # seed 002 §7: the reserve at most 15% of the year's surplus, rewards before it
            "reserve_cap": D("0.15"),
            "default_distribution_policy": "law",
            "joint_stock_distribution_policy": "reserve-cap-15",
        },
    ),
    SEED_004: (
        "沂水县：集体20–40%、党员≥1%、单个≤20%、入社≥10%",
        "沂水县农业农村局《一着妙棋活全盘——沂水县推进村党支部领办合作社》（2020年）",
        {
            **_law_rules,
            "collective_band_low": D("0.20"),
            "collective_band_high": D("0.40"),
            "collective_band_enforcement": Enforcement.WARN,
            "party_members_min": D("0.01"),
            "party_members_min_enforcement": Enforcement.REFUSE,
            "single_member_max": D("0.20"),
            "single_member_max_enforcement": Enforcement.REFUSE,
            "households_min": D("0.10"),
            "households_min_enforcement": Enforcement.WARN,
            "expenditure_approval_threshold": D("10000.00"),
            # 217 as the county writes it binds its joint-stock economic cooperatives; its farmer
            # cooperatives apply it inside the law (DOMAIN.md §1.3)
            "default_distribution_policy": "217-law",
            "joint_stock_distribution_policy": "217",
        },
    ),
}


def ensure_templates(profile_model=None) -> None:
    """Create or refresh the shipped templates (used by the data migration and the demo)."""
    if profile_model is None:
        from core.models import PolicyProfile as profile_model
    known = {f.name for f in profile_model._meta.get_fields()}  # a migration's model has the fields of its day
    for code, (name, source, fields) in TEMPLATES.items():
        fields = {k: v for k, v in fields.items() if k in known}
        profile_model.objects.update_or_create(code=code, defaults={"name": name, "source": source, **fields})


# Checks the apps above the kernel make on a profile before it is saved (the slot pattern: the
# kernel cannot import them). Each raises django.core.exceptions.ValidationError naming the field.
_profile_checks: list = []


def register_profile_check(check) -> None:
    if check not in _profile_checks:
        _profile_checks.append(check)


def run_profile_checks(profile) -> None:
    for check in _profile_checks:
        check(profile)


def policy_for(region_code: str):
    """The profile of the county that ``region_code`` lies in; the law's rules if none was chosen."""
    from core.models import CountyPolicy, PolicyProfile

    county_code = region_code[:6]
    chosen = CountyPolicy.objects.select_related("profile").filter(county__code=county_code).first()
    if chosen:
        return chosen.profile
    fallback = PolicyProfile.objects.filter(code=FALLBACK).first()
    if fallback is None:  # a flushed database (transactional tests) lost the shipped rows
        ensure_templates()
        fallback = PolicyProfile.objects.get(code=FALLBACK)
    return fallback
