"""Which law binds a plan: the cooperative's kind decides, never the scheme its charter chose.

DOMAIN.md §1.3. A 农民专业合作社 and a 联合社 are bound by the Farmer Specialized Cooperatives Law:
prior losses are made up first (Art. 42; the engine does so for every policy) and at least 60% of
the distributable surplus — the year's surplus after losses and the reserve, the law's figure, not
02表 line 16 — goes back to the members by their transactions with the cooperative (Art. 44). A
local scheme ("217", the 15% cap) is lawful for them only inside that frame. A 股份经济合作社 is a
collective economic organisation: its charter and the collective rules govern (losses first, then
the reserve and welfare funds, then by shares), so a scheme applies to it as written.

When no member traded with the cooperative in the year, there is nothing to refund by transactions:
the plan says so, and the member assembly's resolution records it.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cooperatives.choices import LAW_BOUND_KINDS
from core.exceptions import BusinessError
from core.money import money
from dividends.choices import RateMode, StepKind

LAW_PATRONAGE_MIN = Decimal("0.60")  # law Art. 44: at least 60% of the distributable surplus


def law_binds(kind: str) -> bool:
    """The cooperative law's distribution rules bind cooperatives of ``kind``."""
    return kind in LAW_BOUND_KINDS


def patronage_floor(distributable: Decimal) -> Decimal:
    return money(LAW_PATRONAGE_MIN * distributable)


def law_shortfall(kind: str, computation) -> Decimal:
    """How much the plan returns below the law's 60% by transactions (0 when lawful or not bound)."""
    if not law_binds(kind) or computation.no_transactions or computation.distributable <= 0:
        return Decimal("0.00")
    refund = computation.amount(StepKind.PATRONAGE)
    return max(patronage_floor(computation.distributable) - refund, Decimal("0.00"))


def law_message(kind: str, computation) -> str:
    """The refusal, naming the article and the shortfall in yuan; "" when the plan is lawful."""
    shortfall = law_shortfall(kind, computation)
    if not shortfall:
        return ""
    from cooperatives.choices import CooperativeKind

    return _(
        "Farmer Specialized Cooperatives Law Art. 44: a %(kind)s returns at least 60%% of the distributable "
        "surplus by the members' transactions. Distributable surplus %(distributable)s yuan, so at least "
        "%(floor)s yuan; this plan returns %(refund)s yuan, %(shortfall)s yuan short. Apply a policy with a "
        "patronage refund of at least 60%% (the law's, or “217” inside the law)."
    ) % {
        "kind": CooperativeKind(kind).label,
        "distributable": f"{computation.distributable:,.2f}",
        "floor": f"{patronage_floor(computation.distributable):,.2f}",
        "refund": f"{computation.amount(StepKind.PATRONAGE):,.2f}",
        "shortfall": f"{shortfall:,.2f}",
    }


def law_enforce(kind: str, computation) -> None:
    """Refuse a plan the law does not allow for a cooperative of ``kind`` (drafting, filing, carrying out)."""
    message = law_message(kind, computation)
    if message:
        raise BusinessError(message, code="law_patronage_refund", field="policy")


def no_transactions_note(computation) -> str:
    """What the plan and the assembly's resolution say when no member traded in the year (a plan
    or the engine's result: both carry ``no_transactions``)."""
    if not getattr(computation, "no_transactions", False):
        return ""
    return _(
        "No member traded with the cooperative this year: there is nothing to refund by transactions, and the "
        "distributable surplus is distributed by shares. The member assembly's resolution records this."
    )


def lawful_for_bound(steps: list[dict]) -> bool:
    """A policy suits the cooperatives the law binds: it refunds at least 60% of the distributable
    surplus by transactions (a floor or a fixed rate), whatever else it does first."""
    for step in steps:
        if step.get("kind") == StepKind.PATRONAGE and step.get("mode") in (RateMode.FLOOR, RateMode.FIXED):
            return Decimal(step.get("rate") or 0) >= LAW_PATRONAGE_MIN
    return False


def profile_policies_check(profile) -> None:
    """``core.policies`` profile check: a county can only default a kind to a policy lawful for it."""
    from dividends.models import DistributionPolicy

    codes = {
        "default_distribution_policy": profile.default_distribution_policy,
        "joint_stock_distribution_policy": profile.joint_stock_distribution_policy,
    }
    found = {p.code: p for p in DistributionPolicy.objects.filter(code__in=[c for c in codes.values() if c])}
    for field, code in codes.items():
        if code and code not in found:
            raise ValidationError({field: _("There is no distribution policy “%(code)s”.") % {"code": code}})
    bound = found.get(codes["default_distribution_policy"])
    if bound is not None and not lawful_for_bound(bound.steps):
        raise ValidationError(
            {
                "default_distribution_policy": _(
                    "“%(policy)s” refunds less than 60%% of the distributable surplus by transactions, so farmer "
                    "cooperatives and federations cannot apply it (law Art. 44). Choose a policy written to the law."
                )
                % {"policy": bound.name}
            }
        )
