"""Distribution policies: validation and creation (policies are data, DOMAIN.md §1.3)."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from core.exceptions import BusinessError
from core.models import User
from dividends.choices import MEMBER_KINDS, Basis, RateMode, StepBase, StepKind
from dividends.engine import _rate, pct
from dividends.models import DistributionPolicy

LAW_PATRONAGE_MIN = Decimal("0.60")  # law Art. 44: at least 60% of the distributable surplus
MEMBER_BASES = {StepKind.PATRONAGE: {Basis.AMOUNT, Basis.VOLUME}, StepKind.SHARES: {Basis.CAPITAL, Basis.ACCOUNT}}


def policy_validate(*, steps: list, law_applies: bool) -> list[dict]:
    """Check a policy's steps; returns them normalised. Refused: unknown kinds, rates outside 0–1,
    rates adding up to more than 100%, a member step before the steps that precede the distributable
    surplus, "all that remains" anywhere but last, and (where the law applies) a patronage refund
    below 60% of the distributable surplus."""
    if not isinstance(steps, list) or not steps:
        raise BusinessError(_("A policy needs at least one step."), code="no_steps", field="steps")
    cleaned: list[dict] = []
    total = Decimal(0)
    seen_member = False
    for i, raw in enumerate(steps, start=1):
        if not isinstance(raw, dict) or raw.get("kind") not in StepKind.values:
            raise BusinessError(_("Step %(n)s: unknown kind.") % {"n": i}, code="invalid_step", field="steps")
        kind = raw["kind"]
        mode = raw.get("mode") or RateMode.FIXED
        base = raw.get("base") or (StepBase.DISTRIBUTABLE if kind in MEMBER_KINDS else StepBase.SURPLUS)
        basis = raw.get("basis") or ""
        if mode not in RateMode.values or base not in StepBase.values:
            raise BusinessError(_("Step %(n)s: unknown mode or base.") % {"n": i}, code="invalid_step", field="steps")
        if kind in MEMBER_KINDS:
            seen_member = True
            basis = basis or min(MEMBER_BASES[kind])
            if basis not in MEMBER_BASES[kind]:
                raise BusinessError(
                    _("Step %(n)s: %(kind)s cannot be weighted by that basis.")
                    % {"n": i, "kind": StepKind(kind).label},
                    code="invalid_basis",
                    field="steps",
                )
        elif seen_member:
            raise BusinessError(
                _("Step %(n)s: %(kind)s comes before the distributable surplus is split among members.")
                % {"n": i, "kind": StepKind(kind).label},
                code="step_order",
                field="steps",
            )
        if mode == RateMode.REST:
            if i != len(steps) or kind not in MEMBER_KINDS:
                raise BusinessError(
                    _("Only the last step, split among members, may take all that remains."),
                    code="rest_not_last",
                    field="steps",
                )
            rate = None
        elif kind == StepKind.LOSSES:
            rate = None
        else:
            rate = _rate(raw.get("rate"))
            total += rate
        cleaned.append(
            {"kind": kind, "rate": None if rate is None else str(rate), "mode": mode, "base": base, "basis": basis}
        )
    if total > 1:
        raise BusinessError(
            _("The rates add up to %(total)s, more than 100%%.") % {"total": pct(total)},
            code="rates_above_100",
            field="steps",
        )
    if law_applies:
        patronage = [s for s in cleaned if s["kind"] == StepKind.PATRONAGE]
        if not patronage or Decimal(patronage[0]["rate"] or 0) < LAW_PATRONAGE_MIN:
            raise BusinessError(
                _(
                    "Where the law applies, the patronage refund is at least 60%% of the "
                    "distributable surplus (Art. 44)."
                ),
                code="law_patronage_min",
                field="steps",
            )
    return cleaned


@transaction.atomic
def policy_create(
    *, actor: User, code: str, name: str, steps: list, law_applies: bool = False, source: str = ""
) -> DistributionPolicy:
    """Add a policy a county may choose (system administrators)."""
    if not actor.is_superuser and not actor.jurisdiction.has_role("system_admin"):
        from core.exceptions import NotPermitted

        raise NotPermitted(_("Only a system administrator adds distribution policies."))
    code = (code or "").strip()
    if not code or DistributionPolicy.objects.filter(code=code).exists():
        raise BusinessError(_("Give the policy a new code."), code="invalid_code", field="code")
    if not (name or "").strip():
        raise BusinessError(_("Give the policy a name."), code="name_required", field="name")
    cleaned = policy_validate(steps=steps, law_applies=law_applies)
    return DistributionPolicy.objects.create(
        code=code, name=name.strip(), source=(source or "").strip(), law_applies=law_applies, steps=cleaned
    )
