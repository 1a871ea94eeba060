"""The share-structure compliance engine (DOMAIN.md 1.1; law Art. 20).

It evaluates a cooperative's current structure, or the structure a *proposed* transaction would
leave, against the county's policy profile (``core.policies.policy_for``): every rule gives
passed / warning / failed / not applicable, the actual value, the threshold and a message.

How the structure is read (decisions documented here because the policy texts leave them open):

* **Units.** One share is one yuan of paid-in capital; every stake is (yuan held) ÷ (yuan held by
  all members), computed exactly: thresholds are compared by cross-multiplication
  (``part >= threshold × total``), never through a rounded ratio.
* **Who counts.** The structure is the set of members holding shares (a positive holding of any
  class). A member enters it when their first contribution is confirmed and leaves it when their
  last share is withdrawn or transferred; the law's composition rules (Art. 20) count these members.
* **Collective stake** (seeds 002, 004): all collective-class shares, whether the village collective
  (its joint-stock economic cooperative) holds them or a party-branch member holds them on the
  collective's behalf (seed 000/002: "或由党支部书记代表村集体持有").
* **Party-branch stake** (seed 001, ≥ 30%): the collective-class shares held by party-branch members
  on the collective's behalf — the branch secretary holding the collective's share "代表村集体"
  (seed 001). Collective shares the joint-stock cooperative holds itself are not the branch's.
* **Party-branch members' stake** (seed 004, ≥ 1%): the branch members' *own* shares (ordinary and
  poverty-alleviation classes); shares they hold for the collective are not their own.
* **One member's stake** (seeds 002, 004, ≤ 20%): each member's own shares (ordinary and poverty
  classes); the collective's shares — held by it or on its behalf — are governed by the collective
  rules instead (otherwise the 20–40% collective band could never coexist with the 20% cap).
* **Households** (≥ 10% of the village's households): distinct households, registered in the
  cooperative's village, of person members holding shares, ÷ ``Region.households`` of that village.
* **Social capital** (seed 002, > 50%): when an enterprise or other organisation holds shares, the
  collective's shares plus the persons' (villagers') shares must be more than the threshold.
* **Law Art. 20**: farmers ≥ 80% of members; at most one enterprise/institution/social-organisation
  member with 20 members or fewer, otherwise at most 5%. The village collective is a special legal
  person: neither a farmer nor one of those unit members.

Refusing: a proposed transaction is refused when it leaves a REFUSE rule failed that passed before,
or leaves it failed *further* than before (its shortfall grows). A cooperative already out of line
(an early-stage excess, seed 002) can therefore still make the transfers that bring it back. WARN
rules never refuse; OFF rules are not applicable.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.choices import Enforcement
from core.exceptions import BusinessError
from members.choices import ORGANISATION_KINDS, MemberKind
from shares.choices import ComplianceStatus, ShareClass

ZERO = Decimal("0.00")
HUNDRED = Decimal(100)
OWN_CLASSES = (ShareClass.ORDINARY, ShareClass.POVERTY)

RULE_LABELS = {
    "collective_min": gettext_lazy("Collective stake, minimum"),
    "collective_band": gettext_lazy("Collective stake, recommended band"),
    "party_branch_min": gettext_lazy("Party branch stake, minimum"),
    "party_members_min": gettext_lazy("Party branch members together, minimum"),
    "single_member_max": gettext_lazy("One member's stake, maximum"),
    "households_min": gettext_lazy("Member households, minimum"),
    "social_capital_majority": gettext_lazy("Collective and villagers with social capital present"),
    "farmer_members_min": gettext_lazy("Farmers among members, minimum (law Art. 20)"),
    "org_members": gettext_lazy("Organisation members, maximum (law Art. 20)"),
}
RULES = list(RULE_LABELS)


def percent(ratio: Decimal | None) -> str:
    """0.2 → '20.00%' (half up, two places)."""
    if ratio is None:
        return "—"
    return f"{(ratio * HUNDRED).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}%"


def ratio(part: Decimal | int, whole: Decimal | int) -> Decimal | None:
    if not whole:
        return None
    return Decimal(part) / Decimal(whole)


@dataclass(frozen=True)
class Change:
    """A proposed signed change of one member's holding of one class (yuan)."""

    member_id: int
    share_class: str
    amount: Decimal


@dataclass
class Holder:
    """What the engine needs to know about one member, and what they hold by class."""

    member_id: int
    number: int
    name: str
    kind: str
    is_branch_member: bool
    is_farmer: bool
    household_id: int | None
    household_village_id: int | None
    amounts: dict[str, Decimal] = field(default_factory=dict)

    @property
    def total(self) -> Decimal:
        return sum(self.amounts.values(), ZERO)

    @property
    def own(self) -> Decimal:
        """Shares the member holds for themself (not the collective's shares held on its behalf)."""
        if self.kind == MemberKind.COLLECTIVE:
            return ZERO
        return sum((self.amounts.get(c, ZERO) for c in OWN_CLASSES), ZERO)

    @property
    def collective(self) -> Decimal:
        return self.amounts.get(ShareClass.COLLECTIVE, ZERO)


HOLDER_FIELDS = (
    "pk",
    "number",
    "name",
    "kind",
    "is_branch_member",
    "is_farmer",
    "household_id",
    "household__village_id",
)


def _holder_from_values(row: dict) -> Holder:
    return Holder(
        member_id=row["pk"],
        number=row["number"],
        name=row["name"],
        kind=row["kind"],
        is_branch_member=row["is_branch_member"],
        is_farmer=row["is_farmer"],
        household_id=row["household_id"],
        household_village_id=row["household__village_id"],
    )


@dataclass
class Structure:
    """A cooperative's share structure: its holders and what they hold (current or proposed)."""

    cooperative_id: int
    village_id: int
    village_households: int
    holders: dict[int, Holder]

    @classmethod
    def load(cls, cooperative) -> Structure:
        """Two queries: the village's household count and the positive holdings with their members."""
        from core.models import Region
        from shares.models import Holding

        village_households = Region.objects.filter(pk=cooperative.village_id).values_list("households", flat=True)[0]
        holders: dict[int, Holder] = {}
        rows = (
            Holding.objects.filter(cooperative_id=cooperative.pk, amount__gt=0)
            .values_list(
                "share_class", "amount", *(f"member__{f}" if f != "pk" else "member_id" for f in HOLDER_FIELDS)
            )
            .order_by()
        )
        for share_class, amount, *facts in rows:
            member_id = facts[0]
            holder = holders.get(member_id)
            if holder is None:
                holder = holders[member_id] = _holder_from_values(dict(zip(HOLDER_FIELDS, facts, strict=True)))
            holder.amounts[share_class] = amount
        return cls(cooperative.pk, cooperative.village_id, village_households or 0, holders)

    def copy(self) -> Structure:
        return replace(self, holders={k: replace(h, amounts=dict(h.amounts)) for k, h in self.holders.items()})

    def with_changes(self, changes: Iterable[Change]) -> Structure:
        """The structure after ``changes`` (members new to the structure are read in one query)."""
        from members.models import Member

        changes = list(changes)
        after = self.copy()
        missing = {c.member_id for c in changes} - set(after.holders)
        if missing:
            for row in Member.objects.filter(pk__in=missing).values(*HOLDER_FIELDS):
                after.holders[row["pk"]] = _holder_from_values(row)
        for change in changes:
            holder = after.holders[change.member_id]
            holder.amounts[change.share_class] = holder.amounts.get(change.share_class, ZERO) + change.amount
        after.holders = {k: h for k, h in after.holders.items() if h.total > 0}
        return after

    # -- aggregates ---------------------------------------------------------------------------
    @property
    def total(self) -> Decimal:
        return sum((h.total for h in self.holders.values()), ZERO)

    def class_total(self, share_class: str) -> Decimal:
        return sum((h.amounts.get(share_class, ZERO) for h in self.holders.values()), ZERO)

    @property
    def collective(self) -> Decimal:
        return self.class_total(ShareClass.COLLECTIVE)

    @property
    def branch_on_behalf(self) -> Decimal:
        return sum(
            (h.collective for h in self.holders.values() if h.kind == MemberKind.PERSON and h.is_branch_member), ZERO
        )

    @property
    def branch_members_own(self) -> Decimal:
        return sum((h.own for h in self.holders.values() if h.kind == MemberKind.PERSON and h.is_branch_member), ZERO)

    @property
    def persons_own(self) -> Decimal:
        return sum((h.own for h in self.holders.values() if h.kind == MemberKind.PERSON), ZERO)

    @property
    def social_capital(self) -> Decimal:
        return sum((h.total for h in self.holders.values() if h.kind in ORGANISATION_KINDS), ZERO)

    @property
    def member_households(self) -> int:
        return len(
            {
                h.household_id
                for h in self.holders.values()
                if h.kind == MemberKind.PERSON and h.household_id and h.household_village_id == self.village_id
            }
        )

    def groups(self) -> list[dict]:
        """The structure by holder group, for the chart: amount and exact share of each group.

        The groups are disjoint and add up to the total: the collective holds only collective shares,
        a person may hold collective shares only as a party-branch member on the collective's behalf,
        and organisations hold ordinary shares.
        """
        sums = dict.fromkeys(GROUP_LABELS, ZERO)
        for h in self.holders.values():
            if h.kind == MemberKind.COLLECTIVE:
                sums["collective"] += h.total
            elif h.kind in ORGANISATION_KINDS:
                sums["social_capital"] += h.total
            elif h.is_branch_member:
                sums["branch_on_behalf"] += h.collective
                sums["branch_members"] += h.own
            else:
                sums["collective"] += h.collective  # not expected: collective shares outside the branch
                sums["poverty"] += h.amounts.get(ShareClass.POVERTY, ZERO)
                sums["villagers"] += h.amounts.get(ShareClass.ORDINARY, ZERO)
        total = self.total
        return [
            {"key": key, "label": str(GROUP_LABELS[key]), "amount": amount, "ratio": ratio(amount, total)}
            for key, amount in sums.items()
            if amount
        ]


GROUP_LABELS = {
    "collective": gettext_lazy("Village collective"),
    "branch_on_behalf": gettext_lazy("Collective, held by the party branch on its behalf"),
    "branch_members": gettext_lazy("Party branch members' own shares"),
    "villagers": gettext_lazy("Other villagers"),
    "poverty": gettext_lazy("Poverty-alleviation shares"),
    "social_capital": gettext_lazy("Enterprises and other organisations"),
}


@dataclass
class RuleResult:
    rule: str
    status: str
    enforcement: str
    actual: Decimal | None = None  # a ratio (0.2 = 20%) or, for ``unit == "count"``, a number
    threshold: Decimal | None = None
    threshold_high: Decimal | None = None
    unit: str = "ratio"
    message: str = ""
    shortfall: Decimal = ZERO  # how far from meeting the rule (0 when met); compares before/after
    detail: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        return str(RULE_LABELS[self.rule])

    @property
    def status_label(self) -> str:
        return str(ComplianceStatus(self.status).label)

    @property
    def actual_display(self) -> str:
        if self.actual is None:
            return "—"
        return str(self.actual) if self.unit == "count" else percent(self.actual)

    @property
    def threshold_display(self) -> str:
        if self.threshold is None:
            return "—"
        if self.unit == "count":
            return str(self.threshold)
        if self.threshold_high is not None:
            return f"{percent(self.threshold)} – {percent(self.threshold_high)}"
        return percent(self.threshold)

    @property
    def is_problem(self) -> bool:
        return self.status in (ComplianceStatus.WARNING, ComplianceStatus.FAILED)

    def as_dict(self) -> dict:
        return {
            "rule": self.rule,
            "label": self.label,
            "status": self.status,
            "enforcement": self.enforcement,
            "actual": None if self.actual is None else str(self.actual),
            "actual_display": self.actual_display,
            "threshold": None if self.threshold is None else str(self.threshold),
            "threshold_high": None if self.threshold_high is None else str(self.threshold_high),
            "threshold_display": self.threshold_display,
            "unit": self.unit,
            "message": self.message,
            "detail": {k: str(v) if isinstance(v, Decimal) else v for k, v in self.detail.items()},
        }


def _status(met: bool, enforcement: str) -> str:
    if met:
        return ComplianceStatus.PASSED
    return ComplianceStatus.FAILED if enforcement == Enforcement.REFUSE else ComplianceStatus.WARNING


def _not_applicable(rule: str, enforcement: str, message: str) -> RuleResult:
    return RuleResult(rule, ComplianceStatus.NOT_APPLICABLE, enforcement, message=message)


def _off(profile, rule: str, *fields: str) -> RuleResult | None:
    enforcement = getattr(profile, f"{rule}_enforcement")
    if enforcement == Enforcement.OFF or any(getattr(profile, f) is None for f in fields):
        return _not_applicable(rule, Enforcement.OFF, _("Not applied under this county's policy profile."))
    return None


def _min_stake(rule, profile, threshold_field, part: Decimal, total: Decimal, met_msg, short_msg, **detail):
    off = _off(profile, rule, threshold_field)
    if off:
        return off
    enforcement = getattr(profile, f"{rule}_enforcement")
    threshold = getattr(profile, threshold_field)
    if not total:
        return _not_applicable(rule, enforcement, _("No shares have been confirmed yet."))
    met = part >= threshold * total
    actual = part / total
    params = {
        "actual": percent(actual),
        "threshold": percent(threshold),
        "amount": f"{part:,.2f}",
        "total": f"{total:,.2f}",
    }
    return RuleResult(
        rule,
        _status(met, enforcement),
        enforcement,
        actual,
        threshold,
        message=(met_msg if met else short_msg) % params,
        shortfall=ZERO if met else threshold - actual,
        detail={"part": part, "total": total, **detail},
    )


def _collective_min(s: Structure, p) -> RuleResult:
    return _min_stake(
        "collective_min",
        p,
        "collective_min",
        s.collective,
        s.total,
        _("The collective holds %(actual)s of the shares (%(amount)s of %(total)s yuan); at least %(threshold)s."),
        _(
            "The collective holds only %(actual)s of the shares (%(amount)s of %(total)s yuan); the county's "
            "profile asks for at least %(threshold)s."
        ),
    )


def _collective_band(s: Structure, p) -> RuleResult:
    rule = "collective_band"
    off = _off(p, rule, "collective_band_low", "collective_band_high")
    if off:
        return off
    enforcement = p.collective_band_enforcement
    low, high, total, part = p.collective_band_low, p.collective_band_high, s.total, s.collective
    if not total:
        return _not_applicable(rule, enforcement, _("No shares have been confirmed yet."))
    actual = part / total
    met = low * total <= part <= high * total
    shortfall = ZERO if met else (low - actual if actual < low else actual - high)
    params = {"actual": percent(actual), "low": percent(low), "high": percent(high)}
    if met:
        message = _("The collective holds %(actual)s, within the recommended %(low)s – %(high)s.") % params
    elif actual < low:
        message = _("The collective holds %(actual)s, below the recommended %(low)s – %(high)s.") % params
    else:
        message = _("The collective holds %(actual)s, above the recommended %(low)s – %(high)s.") % params
    return RuleResult(
        rule,
        _status(met, enforcement),
        enforcement,
        actual,
        low,
        high,
        message=message,
        shortfall=shortfall,
        detail={"part": part, "total": total},
    )


def _party_branch_min(s: Structure, p) -> RuleResult:
    return _min_stake(
        "party_branch_min",
        p,
        "party_branch_min",
        s.branch_on_behalf,
        s.total,
        _(
            "The party branch holds %(actual)s on the collective's behalf (%(amount)s of %(total)s yuan); "
            "at least %(threshold)s."
        ),
        _(
            "The party branch holds only %(actual)s on the collective's behalf (%(amount)s of %(total)s yuan); "
            "at least %(threshold)s is required. Collective shares count when a party-branch member holds them "
            "for the collective."
        ),
    )


def _party_members_min(s: Structure, p) -> RuleResult:
    return _min_stake(
        "party_members_min",
        p,
        "party_members_min",
        s.branch_members_own,
        s.total,
        _("Party branch members together hold %(actual)s (%(amount)s of %(total)s yuan); at least %(threshold)s."),
        _(
            "Party branch members together hold only %(actual)s (%(amount)s of %(total)s yuan); at least "
            "%(threshold)s is required."
        ),
    )


def _single_member_max(s: Structure, p) -> RuleResult:
    rule = "single_member_max"
    off = _off(p, rule, "single_member_max")
    if off:
        return off
    enforcement = p.single_member_max_enforcement
    threshold, total = p.single_member_max, s.total
    if not total:
        return _not_applicable(rule, enforcement, _("No shares have been confirmed yet."))
    persons = [h for h in s.holders.values() if h.kind != MemberKind.COLLECTIVE and h.own > 0]
    if not persons:
        return _not_applicable(rule, enforcement, _("Only the collective holds shares."))
    top = max(persons, key=lambda h: (h.own, -h.number))
    cap = threshold * total
    over = [h for h in persons if h.own > cap]
    excess = sum((h.own - cap for h in over), ZERO)
    actual = top.own / total
    params = {
        "name": top.name,
        "number": top.number,
        "actual": percent(actual),
        "threshold": percent(threshold),
        "count": len(over),
    }
    if not over:
        message = _("The largest single stake is %(name)s's %(actual)s; at most %(threshold)s.") % params
    elif enforcement == Enforcement.WARN:
        message = (
            _(
                "%(name)s (No. %(number)s) holds %(actual)s, above %(threshold)s (%(count)s member(s) over the "
                "cap). Allowed in the early stage: reduce it over time by transfer or capital increase."
            )
            % params
        )
    else:
        message = (
            _("%(name)s (No. %(number)s) would hold %(actual)s, above the maximum of %(threshold)s.") % params
            if len(over) == 1
            else _("%(count)s members hold more than %(threshold)s each; the largest is %(name)s with %(actual)s.")
            % params
        )
    return RuleResult(
        rule,
        _status(not over, enforcement),
        enforcement,
        actual,
        threshold,
        message=message,
        shortfall=excess / total,
        detail={
            "member_id": top.member_id,
            "member": top.name,
            "part": top.own,
            "total": total,
            "over": [h.member_id for h in over],
        },
    )


def _households_min(s: Structure, p) -> RuleResult:
    rule = "households_min"
    off = _off(p, rule, "households_min")
    if off:
        return off
    enforcement = p.households_min_enforcement
    threshold, village = p.households_min, s.village_households
    if not village:
        return _not_applicable(
            rule, enforcement, _("The village's number of households is not recorded; ask the county to enter it.")
        )
    if not s.holders:
        return _not_applicable(rule, enforcement, _("No shares have been confirmed yet."))
    households = s.member_households
    needed = (threshold * village).to_integral_value(rounding=ROUND_CEILING)
    met = households >= threshold * village
    actual = Decimal(households) / Decimal(village)
    params = {
        "households": households,
        "village": village,
        "actual": percent(actual),
        "threshold": percent(threshold),
        "needed": needed,
    }
    message = (
        _("%(households)s of the village's %(village)s households are members (%(actual)s); at least %(threshold)s.")
        if met
        else _(
            "Only %(households)s of the village's %(village)s households are members (%(actual)s); at least "
            "%(threshold)s, that is %(needed)s households, should be."
        )
    ) % params
    return RuleResult(
        rule,
        _status(met, enforcement),
        enforcement,
        actual,
        threshold,
        message=message,
        shortfall=ZERO if met else threshold - actual,
        detail={"households": households, "village_households": village, "needed": int(needed)},
    )


def _social_capital_majority(s: Structure, p) -> RuleResult:
    rule = "social_capital_majority"
    off = _off(p, rule, "social_capital_majority")
    if off:
        return off
    enforcement = p.social_capital_majority_enforcement
    if not s.social_capital:
        return _not_applicable(rule, enforcement, _("No enterprise or other organisation holds shares."))
    threshold, total = p.social_capital_majority, s.total
    part = s.collective + s.persons_own
    actual = part / total
    met = part > threshold * total  # "more than": exactly the threshold does not suffice
    params = {"actual": percent(actual), "threshold": percent(threshold)}
    message = (
        _("The collective and the villagers hold %(actual)s, more than %(threshold)s.")
        if met
        else _(
            "With social capital in the cooperative, the collective and the villagers must hold more than "
            "%(threshold)s; they hold %(actual)s."
        )
    ) % params
    return RuleResult(
        rule,
        _status(met, enforcement),
        enforcement,
        actual,
        threshold,
        message=message,
        shortfall=ZERO if met else threshold - actual,
        detail={"part": part, "total": total, "social_capital": s.social_capital},
    )


def _farmer_members_min(s: Structure, p) -> RuleResult:
    rule = "farmer_members_min"
    off = _off(p, rule, "farmer_members_min")
    if off:
        return off
    enforcement = p.farmer_members_min_enforcement
    n = len(s.holders)
    if not n:
        return _not_applicable(rule, enforcement, _("No shares have been confirmed yet."))
    farmers = sum(1 for h in s.holders.values() if h.kind == MemberKind.PERSON and h.is_farmer)
    threshold = p.farmer_members_min
    met = farmers >= threshold * n
    actual = Decimal(farmers) / Decimal(n)
    params = {"farmers": farmers, "n": n, "actual": percent(actual), "threshold": percent(threshold)}
    message = (
        _("%(farmers)s of %(n)s members are farmers (%(actual)s); at least %(threshold)s.")
        if met
        else _("Only %(farmers)s of %(n)s members are farmers (%(actual)s); the law asks for at least %(threshold)s.")
    ) % params
    return RuleResult(
        rule,
        _status(met, enforcement),
        enforcement,
        actual,
        threshold,
        message=message,
        shortfall=ZERO if met else threshold - actual,
        detail={"farmers": farmers, "members": n},
    )


def _org_members(s: Structure, p) -> RuleResult:
    rule = "org_members"
    off = _off(p, rule, "org_members_small_max", "org_members_large_max")
    if off:
        return off
    enforcement = p.org_members_enforcement
    n = len(s.holders)
    if not n:
        return _not_applicable(rule, enforcement, _("No shares have been confirmed yet."))
    orgs = sum(1 for h in s.holders.values() if h.kind in ORGANISATION_KINDS)
    if n <= 20:
        allowed = Decimal(p.org_members_small_max)
        met = orgs <= allowed
        params = {"orgs": orgs, "n": n, "allowed": allowed}
        message = (
            _("%(orgs)s organisation member(s) among %(n)s members; with 20 members or fewer at most %(allowed)s.")
            % params
        )
        threshold = allowed
    else:
        threshold = p.org_members_large_max
        allowed = (threshold * n).to_integral_value(rounding=ROUND_FLOOR)
        met = orgs <= threshold * n
        params = {"orgs": orgs, "n": n, "threshold": percent(threshold), "allowed": allowed}
        message = (
            _("%(orgs)s organisation member(s) among %(n)s members; above 20 members at most %(threshold)s.") % params
        )
    return RuleResult(
        rule,
        _status(met, enforcement),
        enforcement,
        Decimal(orgs),
        allowed,
        unit="count",
        message=message,
        shortfall=ZERO if met else Decimal(orgs) - allowed,
        detail={"organisations": orgs, "members": n, "allowed": int(allowed)},
    )


CHECKS = {
    "collective_min": _collective_min,
    "collective_band": _collective_band,
    "party_branch_min": _party_branch_min,
    "party_members_min": _party_members_min,
    "single_member_max": _single_member_max,
    "households_min": _households_min,
    "social_capital_majority": _social_capital_majority,
    "farmer_members_min": _farmer_members_min,
    "org_members": _org_members,
}


def check_structure(structure: Structure, profile) -> list[RuleResult]:
    return [CHECKS[rule](structure, profile) for rule in RULES]


@dataclass
class Evaluation:
    """The rules on a structure; with a proposed change, also the rules before it and what it breaks."""

    profile: object
    structure: Structure
    results: list[RuleResult]
    before: list[RuleResult] | None = None
    refused: list[RuleResult] = field(default_factory=list)

    @property
    def warnings(self) -> list[RuleResult]:
        return [r for r in self.results if r.is_problem and r not in self.refused]

    @property
    def failed(self) -> list[RuleResult]:
        return [r for r in self.results if r.status == ComplianceStatus.FAILED]

    @property
    def ok(self) -> bool:
        return not self.refused

    def as_dict(self) -> dict:
        total = self.structure.total
        return {
            "profile": {"code": self.profile.code, "name": self.profile.name},
            "total": str(total),
            "classes": {c: str(self.structure.class_total(c)) for c in ShareClass.values},
            "holders": len(self.structure.holders),
            "results": [r.as_dict() for r in self.results],
            "before": [r.as_dict() for r in self.before] if self.before is not None else None,
            "refused": [r.rule for r in self.refused],
            "warnings": [r.rule for r in self.warnings],
            "allowed": self.ok,
        }


def _breaks(before: RuleResult, after: RuleResult) -> bool:
    if after.enforcement != Enforcement.REFUSE or after.status != ComplianceStatus.FAILED:
        return False
    return before.status != ComplianceStatus.FAILED or after.shortfall > before.shortfall


def evaluate(cooperative, *, changes: Iterable[Change] = (), profile=None, structure: Structure | None = None):
    """The rules on the current structure, or on the structure after ``changes`` (nothing is written)."""
    from core.policies import policy_for

    profile = profile or policy_for(cooperative.region_code)
    current = structure or Structure.load(cooperative)
    changes = [c for c in changes if c.amount]
    if not changes:
        return Evaluation(profile, current, check_structure(current, profile))
    before = check_structure(current, profile)
    after_structure = current.with_changes(changes)
    after = check_structure(after_structure, profile)
    refused = [a for b, a in zip(before, after, strict=True) if _breaks(b, a)]
    return Evaluation(profile, after_structure, after, before, refused)


class ComplianceRefused(BusinessError):
    """A proposed transaction would break a rule the county's profile enforces; nothing was written."""

    def __init__(self, evaluation: Evaluation):
        first = evaluation.refused[0]
        message = _("Refused by the rule “%(rule)s”: %(message)s") % {"rule": first.label, "message": first.message}
        super().__init__(message, code=f"compliance_{first.rule}", field="amount")
        self.evaluation = evaluation
        self.rule = first.rule


def enforce(cooperative, *, changes: Iterable[Change], profile=None, refuse: bool = True) -> Evaluation:
    """Evaluate ``changes`` and raise ``ComplianceRefused`` if they break a REFUSE rule (unless ``refuse``
    is False: a statutory withdrawal or a correcting reversal is only warned about)."""
    evaluation = evaluate(cooperative, changes=changes, profile=profile)
    if evaluation.refused and refuse:
        raise ComplianceRefused(evaluation)
    return evaluation
