"""The distribution algorithm (DOMAIN.md §2.6.1), pure: numbers in, numbers out, nothing written.

1. ``S`` = the year's surplus; nothing is distributed from a loss or a nil surplus.
2. Steps before the distributable surplus, in the policy's order: prior losses made up (up to the
   loss carried in), rewards for contributions (seed 002: before the distributable surplus), the
   reserve, funds, the manager reward. Each is ``rate × base`` to the fen (ROUND_HALF_UP), where the
   base is the year's surplus after losses, or what the earlier steps leave.
3. ``DS`` = what is left: the distributable surplus. The patronage refund is ``rate × DS``; the
   distribution by shares takes all that remains (or ``rate × DS``). Anything still left stays
   undistributed, so the step amounts and the remainder add up to ``S`` exactly.
4. Each member pool is split with the largest-remainder method to the fen, in integers
   (``core.money.allocate_fen``): the parts add up to the pool exactly. Ties in the remainders go
   to the lower member number first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from core.exceptions import BusinessError
from core.money import ZERO, allocate_fen, fen_of, money, whole_weights, yuan
from dividends.choices import MEMBER_KINDS, PRE_KINDS, Basis, RateMode, StepBase, StepKind

RATE_PLACES = Decimal("0.0001")


@dataclass
class Holder:
    """One member as the allocation sees them."""

    member_id: int
    number: int
    name: str = ""
    ordinary: Decimal = ZERO
    collective: Decimal = ZERO
    poverty: Decimal = ZERO
    quantified: Decimal = ZERO  # reserve, subsidy and donation shares in the member account
    amount: Decimal = ZERO  # transaction amount of the year
    volume: Decimal = ZERO  # transaction volume of the year

    @property
    def capital(self) -> Decimal:
        return self.ordinary + self.collective + self.poverty

    def weight(self, basis: str) -> Decimal:
        if basis == Basis.CAPITAL:
            return self.capital
        if basis == Basis.ACCOUNT:
            return self.capital + self.quantified
        if basis == Basis.AMOUNT:
            return self.amount
        if basis == Basis.VOLUME:
            return self.volume
        raise KeyError(basis)


@dataclass
class StepResult:
    order: int
    kind: str
    rate: Decimal | None
    mode: str
    base: Decimal
    amount: Decimal
    basis: str = ""

    def as_dict(self) -> dict:
        return {
            "order": self.order,
            "kind": self.kind,
            "rate": None if self.rate is None else str(self.rate),
            "mode": self.mode,
            "base": str(self.base),
            "amount": str(self.amount),
            "basis": self.basis,
        }


@dataclass
class MemberResult:
    holder: Holder
    share_weight: Decimal = ZERO
    patronage_basis: Decimal = ZERO
    patronage_refund: Decimal = ZERO
    share_dividend: Decimal = ZERO
    capital_conversion: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.patronage_refund + self.share_dividend


@dataclass
class Computation:
    surplus: Decimal
    prior_loss: Decimal
    steps: list[StepResult]
    distributable: Decimal
    undistributed: Decimal
    members: list[MemberResult] = field(default_factory=list)

    def amount(self, kind: str) -> Decimal:
        return sum((s.amount for s in self.steps if s.kind == kind), ZERO)

    @property
    def share_weight_total(self) -> Decimal:
        return sum((m.share_weight for m in self.members), ZERO)


def _rate(value) -> Decimal:
    try:
        rate = Decimal(str(value))
    except Exception as exc:
        raise BusinessError(_("A rate must be a number between 0 and 1."), code="invalid_rate") from exc
    if not rate.is_finite() or rate < 0 or rate > 1:
        raise BusinessError(_("A rate must be a number between 0 and 1."), code="invalid_rate")
    return rate


def pct(rate: Decimal) -> str:
    return f"{rate * 100:.2f}%"


def effective_rate(step: dict, overrides: dict) -> Decimal | None:
    """The rate a plan applies to ``step``: the policy's, or the plan's choice within its cap/floor."""
    mode = step.get("mode", RateMode.FIXED)
    if mode == RateMode.REST or step["kind"] == StepKind.LOSSES:
        return None
    policy_rate = _rate(step["rate"])
    chosen = overrides.get(step["kind"])
    if chosen in (None, ""):
        return policy_rate
    rate = _rate(chosen)
    label = StepKind(step["kind"]).label
    if mode == RateMode.FIXED and rate != policy_rate:
        raise BusinessError(
            _("The policy fixes %(step)s at %(rate)s; it cannot be changed in a plan.")
            % {"step": label, "rate": pct(policy_rate)},
            code="fixed_rate",
            field=step["kind"],
        )
    if mode == RateMode.CAP and rate > policy_rate:
        # seed 002 §7: the reserve fund at most 15% of the year's surplus
        raise BusinessError(
            _("%(step)s may be at most %(cap)s; %(rate)s was entered.")
            % {"step": label, "cap": pct(policy_rate), "rate": pct(rate)},
            code="rate_above_cap",
            field=step["kind"],
        )
    if mode == RateMode.FLOOR and rate < policy_rate:
        # law Art. 44: the patronage refund at least 60% of the distributable surplus
        raise BusinessError(
            _("%(step)s must be at least %(floor)s; %(rate)s was entered.")
            % {"step": label, "floor": pct(policy_rate), "rate": pct(rate)},
            code="rate_below_floor",
            field=step["kind"],
        )
    return rate


def compute(
    *,
    surplus: Decimal,
    steps: list[dict],
    holders: list[Holder],
    overrides: dict | None = None,
    prior_loss: Decimal = ZERO,
    reserve_to_capital: Decimal = ZERO,
) -> Computation:
    """Apply ``steps`` to ``surplus`` and split the member pools over ``holders`` (see the module)."""
    overrides = overrides or {}
    surplus = money(surplus)
    if surplus <= 0:
        raise BusinessError(
            _(
                "The year's surplus is %(surplus)s yuan: there is nothing to distribute. A loss is carried "
                "forward and made up from later surplus or the reserve fund (law Art. 42)."
            )
            % {"surplus": f"{surplus:,.2f}"},
            code="no_surplus",
            field="surplus",
        )
    prior_loss = max(money(prior_loss), ZERO)
    remaining = surplus
    after_losses = surplus
    results: list[StepResult] = []
    distributable: Decimal | None = None
    for order, step in enumerate(steps, start=1):
        kind = step["kind"]
        rate = effective_rate(step, overrides)
        mode = step.get("mode", RateMode.FIXED)
        if kind in MEMBER_KINDS and distributable is None:
            distributable = remaining
        if kind == StepKind.LOSSES:
            amount = min(prior_loss, remaining)
            base = prior_loss
            after_losses = remaining - amount
        elif kind in PRE_KINDS:
            base = after_losses if step.get("base", StepBase.SURPLUS) == StepBase.SURPLUS else remaining
            amount = min(money(base * rate), remaining)
        else:
            base = distributable
            amount = remaining if rate is None else min(money(base * rate), remaining)
        remaining -= amount
        results.append(StepResult(order, kind, rate, mode, base, amount, step.get("basis", "")))
    if distributable is None:
        distributable = remaining
    computation = Computation(surplus, prior_loss, results, distributable, remaining)
    computation.members = split(computation, holders, reserve_to_capital=reserve_to_capital)
    return computation


def split(computation: Computation, holders: list[Holder], *, reserve_to_capital: Decimal = ZERO) -> list[MemberResult]:
    """Split each member pool over ``holders`` by the step's basis (largest remainder, ties by number).

    The split runs in whole fen over whole-number weights (``core.money.allocate_fen``); each
    member's part becomes a Decimal once."""
    holders = sorted(holders, key=lambda h: h.number)
    results = [MemberResult(h) for h in holders]
    for step in computation.steps:
        if step.kind not in MEMBER_KINDS:
            continue
        patronage = step.kind == StepKind.PATRONAGE
        basis = step.basis or (Basis.AMOUNT if patronage else Basis.CAPITAL)
        weights = [h.weight(basis) for h in holders]
        for result, weight in zip(results, weights, strict=True):
            if patronage:
                result.patronage_basis += weight
            else:
                result.share_weight += weight
        if not step.amount:
            continue
        parts = _split_pool(step.amount, weights)
        if parts is None:
            if patronage:
                message = _("No member traded with the cooperative this year: the patronage refund has no basis.")
            else:
                message = _("No member holds shares on the record date: the distribution by shares has no basis.")
            raise BusinessError(message, code="no_basis")
        for result, fen in zip(results, parts, strict=True):
            if fen:
                if patronage:
                    result.patronage_refund += yuan(fen)
                else:
                    result.share_dividend += yuan(fen)
    if reserve_to_capital:
        parts = _split_pool(reserve_to_capital, [h.capital for h in holders])
        if parts is None:
            raise BusinessError(_("No member holds capital to convert the reserve into."), code="no_basis")
        for result, fen in zip(results, parts, strict=True):
            result.capital_conversion = yuan(fen)
    return results


def _split_pool(amount: Decimal, weights: list[Decimal]) -> list[int] | None:
    """The pool in fen over ``weights`` (in the holders' order), or None when no weight is positive."""
    whole = whole_weights(weights)
    if not any(whole):
        return None
    return allocate_fen(fen_of(amount), whole)
