"""The distribution algorithm (DOMAIN.md §2.6.1), pure: numbers in, numbers out, nothing written.

1. ``S`` = the year's surplus; nothing is distributed from a loss or a nil surplus.
2. Prior losses are made up first, whatever the policy lists (law Art. 42; the collective rules
   alike): a policy without a "losses" step gets one in front.
3. Steps before the distributable surplus, in the policy's order: rewards for contributions (seed
   002: before the distributable surplus; an expense of the year), the reserve, funds, the manager
   reward. Each is ``rate × base`` to the fen (ROUND_HALF_UP), where the base is the year's surplus
   after losses, or what the earlier steps leave. A rate is the policy's, the charter's (mode
   "charter") or the plan's within the policy's cap or floor, and never above the county's cap.
4. ``DS`` = what is left: the distributable surplus (the law's, Art. 44 — not 02表 line 16, which
   also adds the undistributed surplus carried in). The patronage refund is ``rate × DS`` — nothing
   when no member traded with the cooperative in the year (said on the plan; the distribution by
   shares then takes it); the distribution by shares takes all that remains (or ``rate × DS``).
   Anything still left stays undistributed, so the step amounts and the remainder add up to ``S``.
5. Each member pool is split with the largest-remainder method to the fen, in integers
   (``core.money.allocate_fen``): the parts add up to the pool exactly. Ties in the remainders go
   to the lower member number first. The reserve extracted is quantified into each member's share
   the same way, by the charter's basis; reserve converted into capital comes out of the members'
   reserve shares in proportion to them, so the money is never counted twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from core.exceptions import BusinessError
from core.money import ZERO, allocate_fen, fen_of, money, whole_weights, yuan
from dividends.choices import MEMBER_KINDS, PRE_KINDS, RESERVE_KINDS, Basis, RateMode, StepBase, StepKind

RATE_PLACES = Decimal("0.0001")


@dataclass
class Holder:
    """One member as the allocation sees them."""

    member_id: int
    number: int
    name: str = ""
    ordinary: Decimal = ZERO
    collective: Decimal = ZERO  # the collective's own and those held on its behalf by a person
    poverty: Decimal = ZERO
    quantified: Decimal = ZERO  # reserve, subsidy and donation shares in the member account
    amount: Decimal = ZERO  # transaction amount of the year
    volume: Decimal = ZERO  # transaction volume of the year
    reserve: Decimal = ZERO  # the quantified reserve share (公积金份额), part of ``quantified``
    held_for_collective: Decimal = ZERO  # of ``collective``: held by a person on the collective's behalf
    # the charter's "pro rata by days": Σ capital × days held in the year, over ``days`` days
    capital_days: Decimal | None = None
    days: int = 1

    @property
    def capital(self) -> Decimal:
        return self.ordinary + self.collective + self.poverty

    @property
    def capital_weight(self) -> Decimal:
        return self.capital if self.capital_days is None else self.capital_days

    def weight(self, basis: str) -> Decimal:
        if basis == Basis.CAPITAL:
            return self.capital_weight
        if basis == Basis.ACCOUNT:
            # capital (by days when the charter says so) + the quantified shares held all year
            return self.capital_weight + self.quantified * (1 if self.capital_days is None else self.days)
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
    reserve_share: Decimal = ZERO  # the reserve extracted this year, quantified to the member

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
    no_transactions: bool = False  # no member traded in the year: nothing to refund by transactions

    def amount(self, kind: str) -> Decimal:
        return sum((s.amount for s in self.steps if s.kind == kind), ZERO)

    def amounts(self, kinds) -> Decimal:
        return sum((s.amount for s in self.steps if s.kind in kinds), ZERO)

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


def effective_rate(step: dict, overrides: dict, caps: dict | None = None) -> Decimal | None:
    """The rate a plan applies to ``step``: the policy's, or the plan's choice within its cap/floor
    (the charter's rate is the plan's choice unless the plan makes another), never above the
    county's cap for the step's kind (``caps``)."""
    mode = step.get("mode", RateMode.FIXED)
    if mode == RateMode.REST or step["kind"] == StepKind.LOSSES:
        return None
    rate = _chosen_rate(step, overrides)
    cap = (caps or {}).get(step["kind"])
    if cap is not None and rate > cap:
        # seed 002 §7: the reserve fund at most 15% of the year's surplus (a county's own number)
        raise BusinessError(
            _("The county caps %(step)s at %(cap)s; %(rate)s was applied.")
            % {"step": StepKind(step["kind"]).label, "cap": pct(cap), "rate": pct(rate)},
            code="rate_above_county_cap",
            field=step["kind"],
        )
    return rate


def _chosen_rate(step: dict, overrides: dict) -> Decimal:
    mode = step.get("mode", RateMode.FIXED)
    policy_rate = _rate(step["rate"])
    chosen = overrides.get(step["kind"])
    if chosen in (None, ""):
        return policy_rate
    rate = _rate(chosen)
    if mode == RateMode.CHARTER:
        return rate
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


LOSSES_FIRST = {"kind": StepKind.LOSSES.value, "rate": None, "mode": "fixed", "base": "remaining", "basis": ""}


def with_losses_first(steps: list[dict]) -> list[dict]:
    """``steps`` with prior losses made up first: a policy that lists no "losses" step gets one in front."""
    if any(step["kind"] == StepKind.LOSSES for step in steps):
        return list(steps)
    return [dict(LOSSES_FIRST), *steps]


def compute(
    *,
    surplus: Decimal,
    steps: list[dict],
    holders: list[Holder],
    overrides: dict | None = None,
    prior_loss: Decimal = ZERO,
    reserve_to_capital: Decimal = ZERO,
    caps: dict | None = None,
    reserve_basis: str | None = None,
    conversion_by_reserve: bool = False,
) -> Computation:
    """Apply ``steps`` to ``surplus`` and split the member pools over ``holders`` (see the module).

    ``reserve_basis`` ("capital", "transactions", "equal"): quantify the reserve extracted to the
    members on that basis (a chart that keeps reserve shares). ``conversion_by_reserve``: reserve
    converted into capital comes out of the members' reserve shares (else it is split by capital).
    """
    overrides = overrides or {}
    steps = with_losses_first(steps)
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
    # no member traded with the cooperative in the year: nothing to refund by transactions (law Art. 44)
    no_transactions = not any(h.amount > 0 or h.volume > 0 for h in holders)
    basis_traded = {
        _basis(s): any(h.weight(_basis(s)) > 0 for h in holders) for s in steps if s["kind"] == StepKind.PATRONAGE
    }
    for order, step in enumerate(steps, start=1):
        kind = step["kind"]
        rate = effective_rate(step, overrides, caps)
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
        elif kind == StepKind.PATRONAGE and not basis_traded[_basis(step)]:
            base, amount = distributable, ZERO
        else:
            base = distributable
            amount = remaining if rate is None else min(money(base * rate), remaining)
        remaining -= amount
        results.append(StepResult(order, kind, rate, mode, base, amount, step.get("basis", "")))
    if distributable is None:
        distributable = remaining
    computation = Computation(surplus, prior_loss, results, distributable, remaining, no_transactions=no_transactions)
    computation.members = split(
        computation,
        holders,
        reserve_to_capital=reserve_to_capital,
        reserve_basis=reserve_basis,
        conversion_by_reserve=conversion_by_reserve,
    )
    return computation


def _basis(step: dict) -> str:
    return step.get("basis") or (Basis.AMOUNT if step["kind"] == StepKind.PATRONAGE else Basis.CAPITAL)


def split(
    computation: Computation,
    holders: list[Holder],
    *,
    reserve_to_capital: Decimal = ZERO,
    reserve_basis: str | None = None,
    conversion_by_reserve: bool = False,
) -> list[MemberResult]:
    """Split each member pool over ``holders`` by the step's basis (largest remainder, ties by number).

    The split runs in whole fen over whole-number weights (``core.money.allocate_fen``); each
    member's part becomes a Decimal once."""
    holders = sorted(holders, key=lambda h: h.number)
    results = [MemberResult(h) for h in holders]
    for step in computation.steps:
        if step.kind not in MEMBER_KINDS:
            continue
        patronage = step.kind == StepKind.PATRONAGE
        basis = _basis({"kind": step.kind, "basis": step.basis})
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
        if conversion_by_reserve:
            shares = [h.reserve for h in holders]
            held = sum(shares, ZERO)
            if reserve_to_capital > held:
                raise BusinessError(
                    _(
                        "The members' reserve shares add up to %(held)s yuan; %(amount)s cannot be converted into "
                        "capital. Quantify the reserve to the members first."
                    )
                    % {"held": f"{held:,.2f}", "amount": f"{reserve_to_capital:,.2f}"},
                    code="conversion_above_reserve_shares",
                    field="reserve_to_capital",
                )
        else:
            shares = [h.capital for h in holders]
        parts = _split_pool(reserve_to_capital, shares)
        if parts is None:
            raise BusinessError(_("No member holds capital to convert the reserve into."), code="no_basis")
        for result, fen in zip(results, parts, strict=True):
            result.capital_conversion = yuan(fen)
    reserve = computation.amounts(RESERVE_KINDS)
    if reserve_basis and reserve:
        weights = _reserve_weights(holders, reserve_basis)
        parts = _split_pool(reserve, weights)
        if parts is None:
            parts = _split_pool(reserve, [1] * len(holders))
        for result, fen in zip(results, parts, strict=True):
            result.reserve_share = yuan(fen)
    return results


def _reserve_weights(holders: list[Holder], basis: str) -> list:
    """The charter's basis for quantifying the reserve (law Art. 42): by contribution, by the year's
    transactions (by contribution when nobody traded), or equally per member."""
    if basis == "transactions" and any(h.amount > 0 for h in holders):
        return [h.amount for h in holders]
    if basis == "equal":
        return [1] * len(holders)
    return [h.capital_weight for h in holders]


def _split_pool(amount: Decimal, weights: list[Decimal]) -> list[int] | None:
    """The pool in fen over ``weights`` (in the holders' order), or None when no weight is positive."""
    whole = whole_weights(weights)
    if not any(whole):
        return None
    return allocate_fen(fen_of(amount), whole)
