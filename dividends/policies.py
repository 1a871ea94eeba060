"""The distribution policies that ship with Lingban (DOMAIN.md §1.3), as data.

``ensure_policies`` writes them (data migration, demo, tests); a county names one in its policy
profile (``core.policies``: ``default_distribution_policy``), a charter the one it applies.
"""

from __future__ import annotations

from dividends.choices import Basis, RateMode, StepBase, StepKind

LAW = "law"
CAP_15 = "reserve-cap-15"
S217 = "217"
S217_LAW = "217-law"


def _step(kind, rate=None, mode=RateMode.FIXED, base=StepBase.SURPLUS, basis=""):
    return {
        "kind": str(kind),
        "rate": None if rate is None else str(rate),
        "mode": str(mode),
        "base": str(base),
        "basis": str(basis),
    }


# Every policy makes up prior losses first (law Art. 42, and the collective rules alike). The
# rewards (seed 002's and 217's 10% for the managers) are an expense of the year, booked before the
# surplus is closed. Where the law binds (农民专业合作社, 联合社) a policy is applied inside it: the plan
# is refused when it returns less than 60% of the distributable surplus by transactions
# (``dividends.services.law``), so "217" and "reserve-cap-15" as the counties wrote them suit
# joint-stock economic cooperatives, and "217-law" is 217 inside the law's frame.
SHIPPED = {
    S217: (
        "“217”分配模式",
        "毕节市农业农村局《毕节市党支部领办村集体合作社的实践与探索》：纯收益20%留存作为发展和风险防控资金，10%作为合作社管理员奖励资金，其余70%按占比进行股东分成",
        False,
        [
            _step(StepKind.LOSSES, base=StepBase.REMAINING),
            _step(StepKind.DEV_FUND, "0.20"),
            _step(StepKind.MANAGER_REWARD, "0.10"),
            _step(StepKind.SHARES, mode=RateMode.REST, base=StepBase.DISTRIBUTABLE, basis=Basis.CAPITAL),
        ],
    ),
    CAP_15: (
        "公积金不超过15%、贡献奖励先行",
        "xx区《关于推进党支部领办合作社全面转型高质量发展的实施意见》第7条：公积金不高于当年盈余15%；管理、技术等贡献报酬在提取可分配盈余之前列支；其余按股分红",
        False,
        [
            _step(StepKind.LOSSES, base=StepBase.REMAINING),
            _step(StepKind.REWARDS, "0.05", RateMode.CAP),
            _step(StepKind.RESERVE, "0.15", RateMode.CAP, StepBase.REMAINING),
            _step(StepKind.SHARES, mode=RateMode.REST, base=StepBase.DISTRIBUTABLE, basis=Basis.CAPITAL),
        ],
    ),
    LAW: (
        "《农民专业合作社法》分配规则",
        "农民专业合作社法（2017修订）第四十二条、第四十四条",
        True,
        [
            _step(StepKind.LOSSES, base=StepBase.REMAINING),
            # the rate is the charter's (Art. 42 leaves it to the charter); 10% when it names none
            _step(StepKind.RESERVE, "0.10", RateMode.CHARTER, StepBase.REMAINING),
            _step(StepKind.PATRONAGE, "0.60", RateMode.FLOOR, StepBase.DISTRIBUTABLE, Basis.AMOUNT),
            _step(StepKind.SHARES, mode=RateMode.REST, base=StepBase.DISTRIBUTABLE, basis=Basis.ACCOUNT),
        ],
    ),
    S217_LAW: (
        "“217”分配模式（合作社法框架内）",
        "“217”分配模式适用于农民专业合作社时，按《农民专业合作社法》第四十二条、第四十四条：先弥补亏损，20%留存为公积金，10%管理人员奖励列支，可分配盈余的60%以上按交易量（额）返还，其余按出资及量化份额分配",
        True,
        [
            _step(StepKind.LOSSES, base=StepBase.REMAINING),
            _step(StepKind.DEV_FUND, "0.20"),
            _step(StepKind.MANAGER_REWARD, "0.10"),
            _step(StepKind.PATRONAGE, "0.60", RateMode.FLOOR, StepBase.DISTRIBUTABLE, Basis.AMOUNT),
            _step(StepKind.SHARES, mode=RateMode.REST, base=StepBase.DISTRIBUTABLE, basis=Basis.ACCOUNT),
        ],
    ),
}


def ensure_policies(policy_model=None) -> None:
    """Create or refresh the shipped policies (data migration, demo, flushed test databases)."""
    if policy_model is None:
        from dividends.models import DistributionPolicy as policy_model
    for code, (name, source, law_applies, steps) in SHIPPED.items():
        policy_model.objects.update_or_create(
            code=code, defaults={"name": name, "source": source, "law_applies": law_applies, "steps": steps}
        )
