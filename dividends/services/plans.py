"""Distribution plans: draft (and preview), submit, the chair's check, the assembly resolution,
filing with the township, new versions, and carrying a plan out.

draft → checking (submitted: frozen) → checked (the chair; a major matter 四议两公开 is opened) →
filing (the member assembly adopted it; an approval request waits in the township's inbox) →
filed → executed. A returned, refused or checked plan changes only as a new version.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cooperatives.models import Cooperative
from core.bulk import insert_columns
from core.exceptions import BusinessError, NotPermitted, StateConflict
from core.models import User
from core.money import ZERO, money
from core.tenancy import assert_in_scope
from dividends.choices import REVISABLE_STATES, PlanState, SurplusSource
from dividends.engine import Computation, compute
from dividends.models import DistributionPlan, DistributionPolicy, MemberAllocation
from dividends.selectors import books_surplus, holders_on

logger = logging.getLogger(__name__)

APPROVAL_KIND = "distribution_plan"
LIVE_STATES = [
    PlanState.DRAFT,
    PlanState.CHECKING,
    PlanState.CHECKED,
    PlanState.FILING,
    PlanState.RETURNED,
    PlanState.FILED,
]


@dataclass
class CharterTerms:
    """What the charter in force says about distribution (the county's defaults without a charter)."""

    policy_code: str
    reserve_rate: Decimal | None = None
    reserve_basis: str = "capital"
    leaver_share: str = "year_end"


def charter_terms(cooperative: Cooperative) -> CharterTerms:
    from cooperatives.choices import CharterState
    from cooperatives.models import Charter
    from core.policies import policy_for
    from dividends.policies import LAW

    charter = Charter.objects.filter(cooperative=cooperative, state=CharterState.EFFECTIVE).order_by("-version").first()
    default = policy_for(cooperative.region_code).default_policy_for(cooperative.kind)
    if charter is None:
        return CharterTerms(default or LAW)
    return CharterTerms(
        (charter.distribution_policy or default or LAW),
        charter.reserve_rate,
        charter.reserve_basis,
        charter.leaver_share,
    )


def charter_policy(cooperative: Cooperative) -> DistributionPolicy:
    """The policy the cooperative's charter in force names; the county's default for its kind without one."""
    from dividends.policies import ensure_policies

    code = charter_terms(cooperative).policy_code
    policy = DistributionPolicy.objects.filter(code=code).first()
    if policy is None:
        ensure_policies()  # a flushed database (transactional tests) lost the shipped rows
        policy = DistributionPolicy.objects.filter(code=code).first()
    if policy is None:
        raise BusinessError(
            _("The charter names distribution policy “%(code)s”, which does not exist.") % {"code": code},
            code="unknown_policy",
            field="policy",
        )
    return policy


@dataclass
class PlanInput:
    """What a plan is computed from."""

    cooperative: Cooperative
    year: int
    policy: DistributionPolicy
    surplus: Decimal
    source: str
    prior_loss: Decimal
    record_date: datetime.date
    overrides: dict = field(default_factory=dict)
    reserve_to_capital: Decimal = ZERO
    leaver_share: str = "year_end"
    reserve_basis: str | None = None  # quantify the reserve to members on this basis (None: the chart does not)
    caps: dict = field(default_factory=dict)  # the county's caps by step kind

    @property
    def kind(self) -> str:
        return self.cooperative.kind


def _check_year(year) -> int:
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise BusinessError(_("Give a year between 2000 and 2100."), code="invalid_year", field="year") from None
    if not 2000 <= year <= 2100:
        raise BusinessError(_("Give a year between 2000 and 2100."), code="invalid_year", field="year")
    return year


def plan_input(
    *,
    cooperative: Cooperative,
    year,
    policy: DistributionPolicy | None = None,
    surplus: Decimal | None = None,
    prior_loss: Decimal | None = None,
    record_date: datetime.date | None = None,
    overrides: dict | None = None,
    reserve_to_capital: Decimal | None = None,
) -> PlanInput:
    """The year's surplus from the closed books, unless a figure is entered (a what-if, or a year whose
    books were kept before Lingban)."""
    from core.policies import policy_for
    from dividends.choices import RESERVE_KINDS, StepKind

    year = _check_year(year)
    terms = charter_terms(cooperative)
    policy = policy or charter_policy(cooperative)
    books = books_surplus(cooperative, year)
    if surplus in (None, ""):
        if books["status"] not in ("closed", "ready"):
            raise BusinessError(
                _(
                    "The twelve months of %(year)s are not all closed, so the year's surplus is not known: "
                    "close December, or enter the surplus."
                )
                % {"year": year},
                code="books_not_closed",
                field="surplus",
            )
        surplus, source = books["surplus"], SurplusSource.BOOKS
        loss = books["prior_loss"]
    else:
        try:
            surplus = money(surplus)
        except Exception as exc:
            raise BusinessError(_("Give the surplus in yuan."), code="invalid_amount", field="surplus") from exc
        source = SurplusSource.ENTERED
        loss = books["prior_loss"] if prior_loss in (None, "") else money(prior_loss)
    conversion = money(reserve_to_capital or 0)
    if conversion < 0:
        raise BusinessError(_("The amount cannot be negative."), code="negative_amount", field="reserve_to_capital")
    chosen = {k: str(v) for k, v in (overrides or {}).items() if v not in (None, "")}
    if terms.reserve_rate is not None and StepKind.RESERVE not in chosen:
        chosen[StepKind.RESERVE.value] = str(terms.reserve_rate)  # the charter's rate (law Art. 42)
    cap = policy_for(cooperative.region_code).reserve_cap
    quantifies = _quantifies_reserve(cooperative)
    return PlanInput(
        cooperative=cooperative,
        year=year,
        policy=policy,
        surplus=surplus,
        source=source,
        prior_loss=loss,
        record_date=record_date or datetime.date(year, 12, 31),
        overrides=chosen,
        reserve_to_capital=conversion,
        leaver_share=terms.leaver_share,
        reserve_basis=terms.reserve_basis if quantifies else None,
        caps=dict.fromkeys(RESERVE_KINDS, cap) if cap is not None else {},
    )


def _quantifies_reserve(cooperative: Cooperative) -> bool:
    """The books keep each member's reserve share (the cooperative chart; law Arts. 42–43). Without
    books in Lingban, the kinds the law binds do."""
    from finance.models import CooperativeBooks
    from finance.selectors.ledgers import books_of

    books = books_of(cooperative) if CooperativeBooks.objects.filter(cooperative=cooperative).exists() else None
    if books is not None:
        return books.chart.quantifies_reserve
    from dividends.services.law import law_binds

    return law_binds(cooperative.kind)


def plan_preview(data: PlanInput) -> Computation:
    """Compute a plan without writing anything (the preview and the what-if comparison)."""
    return compute(
        surplus=data.surplus,
        steps=data.policy.steps,
        holders=holders_on(data.cooperative, data.record_date, data.year, leaver_share=data.leaver_share),
        overrides=data.overrides,
        prior_loss=data.prior_loss,
        reserve_to_capital=data.reserve_to_capital,
        caps=data.caps,
        reserve_basis=data.reserve_basis,
        conversion_by_reserve=data.reserve_basis is not None,
    )


def plan_compute(data: PlanInput) -> Computation:
    """Compute a plan that may be written: refused where the law binds the cooperative and the plan
    breaks it (DOMAIN.md §1.3, ``dividends.services.law``)."""
    from dividends.services.law import law_enforce

    computation = plan_preview(data)
    law_enforce(data.kind, computation)
    return computation


def _fill(plan: DistributionPlan, data: PlanInput, computation: Computation) -> None:
    plan.policy = data.policy
    plan.policy_steps = data.policy.steps
    plan.rate_overrides = data.overrides
    plan.surplus_source = data.source
    plan.surplus = computation.surplus
    plan.prior_loss = computation.prior_loss
    plan.distributable = computation.distributable
    plan.undistributed = computation.undistributed
    plan.reserve_to_capital = data.reserve_to_capital
    plan.record_date = data.record_date
    plan.steps = [s.as_dict() for s in computation.steps]
    plan.member_count = len(computation.members)
    plan.no_transactions = computation.no_transactions
    plan.leaver_share = data.leaver_share
    plan.reserve_basis = data.reserve_basis or ""


def _write_allocations(plan: DistributionPlan, computation: Computation) -> None:
    """One row per member, sent as columns (``core.bulk.insert_columns``: 10,000 rows in one statement)."""
    total_weight = computation.share_weight_total
    members = computation.members
    places = Decimal("0.00000001")  # a share ratio has eight decimals
    insert_columns(
        MemberAllocation,
        {
            "member_id": [m.holder.member_id for m in members],
            "ordinary": [m.holder.ordinary for m in members],
            "collective": [m.holder.collective for m in members],
            "poverty": [m.holder.poverty for m in members],
            "share_weight": [m.share_weight for m in members],
            "share_ratio": [(m.share_weight / total_weight).quantize(places) if total_weight else 0 for m in members],
            "patronage_basis": [m.patronage_basis for m in members],
            "patronage_refund": [m.patronage_refund for m in members],
            "share_dividend": [m.share_dividend for m in members],
            "capital_conversion": [m.capital_conversion for m in members],
            "reserve_share": [m.reserve_share for m in members],
            "held_for_collective": [m.holder.held_for_collective for m in members],
            "total": [m.total for m in members],
        },
        {"plan_id": plan.pk, "region_code": plan.region_code},
    )


@transaction.atomic
def plan_create(
    *, actor: User, data: PlanInput, note: str = "", previous: DistributionPlan | None = None
) -> DistributionPlan:
    """Draft a plan (version 1, or the next version after ``previous``) with every member's amount."""
    coop = Cooperative.objects.select_for_update().get(pk=data.cooperative.pk)
    existing = DistributionPlan.objects.filter(cooperative=coop, year=data.year)
    if existing.filter(state=PlanState.EXECUTED).exists():
        raise StateConflict(
            _("The plan of %(year)s has been carried out; it cannot be drafted again.") % {"year": data.year},
            code="already_executed",
        )
    # the law first: a plan the law refuses is refused for that, whether or not another is under way
    computation = plan_compute(data)
    live = existing.filter(state__in=LIVE_STATES).exclude(pk=getattr(previous, "pk", None)).first()
    if live is not None:
        raise StateConflict(
            _("%(plan)s is under way: change it, or make a new version of it.") % {"plan": live},
            code="plan_under_way",
        )
    version = (existing.aggregate(v=Max("version"))["v"] or 0) + 1
    plan = DistributionPlan(
        cooperative=coop,
        region_code=coop.region_code,
        year=data.year,
        version=version,
        created_by=actor,
        note=(note or "").strip(),
        previous=previous,
    )
    _fill(plan, data, computation)
    plan.save()
    _write_allocations(plan, computation)
    assert_in_scope(actor, plan, "add")
    logger.info("dividends.plan.drafted", extra={"plan_id": plan.pk, "version": version})
    return plan


def _lock(plan: DistributionPlan) -> DistributionPlan:
    return DistributionPlan.objects.select_for_update().select_related("cooperative").get(pk=plan.pk)


def _may(actor: User, plan: DistributionPlan, action: str) -> None:
    if not DistributionPlan.objects.for_user(actor, action).filter(pk=plan.pk).exists():
        raise NotPermitted(_("You may not do this with this plan."))


@transaction.atomic
def plan_update(*, actor: User, plan: DistributionPlan, data: PlanInput, note: str = "") -> DistributionPlan:
    """Change a draft (recomputed from scratch). A submitted plan is frozen: make a new version."""
    _may(actor, plan, "change")
    plan = _lock(plan)
    if plan.state != PlanState.DRAFT:
        raise StateConflict(
            _("The plan was submitted and is frozen; a change makes a new version."), code="plan_frozen"
        )
    if data.year != plan.year or data.cooperative.pk != plan.cooperative_id:
        raise BusinessError(_("A plan keeps its cooperative and year."), code="invalid", field="year")
    computation = plan_compute(data)
    _fill(plan, data, computation)
    plan.note = (note or "").strip()
    plan.save()
    plan.allocations.all().delete()
    _write_allocations(plan, computation)
    return plan


@transaction.atomic
def plan_delete(*, actor: User, plan: DistributionPlan) -> None:
    _may(actor, plan, "delete")
    plan = _lock(plan)
    if plan.state != PlanState.DRAFT:
        raise StateConflict(_("Only a draft plan can be deleted."), code="plan_frozen")
    plan.allocations.all().delete()
    plan.delete()


def _expect(plan: DistributionPlan, expected) -> None:
    if plan.state not in expected:
        raise StateConflict(
            _("The plan is “%(state)s”; that step is not possible now.") % {"state": plan.get_state_display()},
            code="invalid_state",
        )


def _move(plan: DistributionPlan, expected: set, to: str) -> DistributionPlan:
    _expect(plan, expected)
    plan.state = to
    plan.save(update_fields=["state", "updated_at"])
    return plan


@transaction.atomic
def plan_submit(*, actor: User, plan: DistributionPlan) -> DistributionPlan:
    """The accountant hands the draft to the chair; from now on the plan is frozen."""
    _may(actor, plan, "change")
    return _move(_lock(plan), {PlanState.DRAFT}, PlanState.CHECKING)


@transaction.atomic
def plan_check_return(*, actor: User, plan: DistributionPlan, comment: str) -> DistributionPlan:
    """The chair sends the plan back to the accountant with a comment (required): it is a draft
    again, and who drafted it is told why."""
    from core.choices import NotificationKind
    from core.services.notifications import chinese, notify

    comment = (comment or "").strip()
    if not comment:
        raise BusinessError(_("Say what should change before returning the plan."), code="comment_required")
    _may(actor, plan, "check")
    plan = _move(_lock(plan), {PlanState.CHECKING}, PlanState.DRAFT)
    plan.check_comment = comment
    plan.save(update_fields=["check_comment", "updated_at"])
    if plan.created_by_id:
        notify(
            recipients=[plan.created_by_id],
            kind=NotificationKind.RETURNED,
            text=chinese(
                gettext_lazy("%(who)s returned “%(title)s” for changes: %(comment)s"),
                who=actor.display_name,
                title=f"{plan.cooperative.name}{plan}",
                comment=comment,
            ),
            link=plan.get_absolute_url(),
            event_key=f"plan:{plan.pk}:returned:{plan.updated_at.isoformat()}",
            region_code=plan.region_code,
        )
    return plan


@transaction.atomic
def plan_check(*, actor: User, plan: DistributionPlan, comment: str = "") -> DistributionPlan:
    """The chair checks the plan (with a comment if he has one); it goes to the member assembly as
    a major matter (四议两公开)."""
    from cooperatives.choices import MatterCategory
    from cooperatives.services.major_matters import major_matter_open
    from dividends.services.law import no_transactions_note

    _may(actor, plan, "check")
    plan = _move(_lock(plan), {PlanState.CHECKING}, PlanState.CHECKED)
    plan.checked_by = actor
    plan.checked_at = timezone.now()
    plan.check_comment = (comment or "").strip()
    plan.major_matter = major_matter_open(
        actor=actor,
        cooperative=plan.cooperative,
        title=f"{plan.cooperative.name}{plan}",
        category=MatterCategory.DISTRIBUTION,
        amount=plan.surplus,
        description=" ".join(
            filter(
                None,
                [
                    _("Surplus %(surplus)s yuan; policy %(policy)s; record date %(date)s.")
                    % {"surplus": f"{plan.surplus:,.2f}", "policy": plan.policy, "date": plan.record_date},
                    no_transactions_note(plan),
                ],
            )
        ),
        subject=plan,
    )
    plan.save(update_fields=["checked_by", "checked_at", "check_comment", "major_matter", "updated_at"])
    return plan


def law_enforce_stored(plan: DistributionPlan) -> None:
    """The law's check on the figures the assembly adopted (a plan drafted before the check existed,
    or a cooperative whose kind changed, is refused at filing and at carrying out)."""
    from dividends.services.law import law_enforce

    law_enforce(plan.cooperative.kind, StoredComputation(plan))


class StoredComputation:
    """A stored plan read as the engine's result, for the checks made on the adopted figures."""

    def __init__(self, plan: DistributionPlan):
        self.distributable = plan.distributable
        self.no_transactions = plan.no_transactions
        self._amounts: dict[str, Decimal] = {}
        for step in plan.steps:
            self._amounts[step["kind"]] = self._amounts.get(step["kind"], ZERO) + Decimal(step["amount"])

    def amount(self, kind: str) -> Decimal:
        return self._amounts.get(kind, ZERO)


def resolution_of(plan: DistributionPlan):
    from cooperatives.selectors import major_matter_resolution

    if plan.major_matter_id is None:
        return None
    return major_matter_resolution(matter=plan.major_matter)


@transaction.atomic
def plan_file(*, actor: User, plan: DistributionPlan, comment: str = "") -> DistributionPlan:
    """File the plan the member assembly adopted with the township (the approval engine's inbox)."""
    from core.services.approvals import approval_request_create, approval_submit

    _may(actor, plan, "file")
    plan = _lock(plan)
    _expect(plan, {PlanState.CHECKED})
    resolution = resolution_of(plan)
    if resolution is None or not resolution.adopted:
        raise BusinessError(
            _("The member assembly has not adopted the plan yet: record its resolution (四议两公开 step 4) first."),
            code="no_resolution",
        )
    law_enforce_stored(plan)
    request = approval_request_create(
        actor=actor,
        subject=plan,
        kind=APPROVAL_KIND,
        title=f"{plan.cooperative.name}{plan}",
        region_code=plan.region_code,
        amount=plan.surplus,
    )
    _move(plan, {PlanState.CHECKED}, PlanState.FILING)
    approval_submit(actor=actor, request=request, comment=comment)
    assert_in_scope(actor, plan, "file")
    return plan


@transaction.atomic
def plan_decided(*, plan: DistributionPlan, state: str) -> DistributionPlan:
    """The township's decision (inside its transaction): filed, returned, refused; withdrawn → checked."""
    plan = _lock(plan)
    if plan.state == PlanState.FILING:
        plan.state = state
        plan.save(update_fields=["state", "updated_at"])
    return plan


def open_request(plan: DistributionPlan):
    from django.contrib.contenttypes.models import ContentType

    from core.choices import OPEN_APPROVAL_STATES
    from core.models import ApprovalRequest

    return ApprovalRequest.objects.filter(
        subject_type=ContentType.objects.get_for_model(DistributionPlan),
        subject_id=plan.pk,
        kind=APPROVAL_KIND,
        state__in=OPEN_APPROVAL_STATES,
    ).first()


@transaction.atomic
def plan_revise(*, actor: User, plan: DistributionPlan) -> DistributionPlan:
    """A change to a submitted plan: a new draft version, recomputed from today's data; the old one is
    kept as "replaced" (and its open filing withdrawn)."""
    from core.services.approvals import approval_withdraw

    _may(actor, plan, "change")
    plan = _lock(plan)
    _expect(plan, REVISABLE_STATES)
    request = open_request(plan)
    if request is not None:
        approval_withdraw(actor=actor, request=request, comment=_("Replaced by a new version."))
    plan.refresh_from_db()
    plan.state = PlanState.SUPERSEDED
    plan.save(update_fields=["state", "updated_at"])
    data = PlanInput(
        cooperative=plan.cooperative,
        year=plan.year,
        policy=plan.policy,
        surplus=plan.surplus,
        source=plan.surplus_source,
        prior_loss=plan.prior_loss,
        record_date=plan.record_date,
        overrides=plan.rate_overrides,
        reserve_to_capital=plan.reserve_to_capital,
    )
    fresh = plan_input(cooperative=plan.cooperative, year=plan.year, policy=plan.policy, surplus=plan.surplus)
    data.leaver_share, data.reserve_basis, data.caps = fresh.leaver_share, fresh.reserve_basis, fresh.caps
    if plan.surplus_source == SurplusSource.BOOKS:
        books = books_surplus(plan.cooperative, plan.year)
        data.surplus, data.prior_loss = books["surplus"], books["prior_loss"]
    return plan_create(actor=actor, data=data, note=plan.note, previous=plan)


def plan_waits_year_close(fiscal_year) -> None:
    """Registered with finance's year close: a plan of the year under way is carried out into the
    year first (its entries are the year's; DOMAIN.md §2.6.1)."""
    live = (
        DistributionPlan.objects.filter(cooperative_id=fiscal_year.cooperative_id, year=fiscal_year.year)
        .filter(state__in=LIVE_STATES)
        .order_by("-version")
        .first()
    )
    if live is None:
        return
    if live.state == PlanState.DRAFT:
        todo = _("carry it out, or delete the draft")
    elif live.state == PlanState.FILED:
        todo = _("carry it out")
    else:
        todo = _("take it through the assembly and the township's filing and carry it out")
    raise StateConflict(
        _(
            "%(plan)s is under way: its entries belong to %(year)s, so the year closes after it — %(todo)s. "
            "Its vouchers go into December."
        )
        % {"plan": live, "year": fiscal_year.year, "todo": todo},
        code="plan_under_way",
    )


def plan_assess(data: PlanInput) -> Computation:
    """The preview with the law's verdict for the cooperative's kind, for pages and the API to show
    (``law_shortfall``, ``law_message``; nothing refused here: a what-if may show an unlawful scheme)."""
    from dividends.services.law import law_message, law_shortfall

    computation = plan_preview(data)
    computation.law_shortfall = law_shortfall(data.kind, computation)
    computation.law_message = law_message(data.kind, computation)
    return computation


def plan_facts(plan: DistributionPlan) -> dict:
    """What the plan page says about the law and the books: which law binds the cooperative, how
    much the plan refunds by transactions against the law's 60%, and where its entries go."""
    from cooperatives.choices import CooperativeKind
    from dividends.choices import StepKind
    from dividends.services.law import law_binds, no_transactions_note, patronage_floor
    from finance.models import FiscalYear

    kind = plan.cooperative.kind
    refund = StoredComputation(plan).amount(StepKind.PATRONAGE)
    year_books = FiscalYear.objects.filter(cooperative_id=plan.cooperative_id, year=plan.year).first()
    return {
        "kind_label": CooperativeKind(kind).label,
        "law_binds": law_binds(kind),
        "refund": refund,
        "floor": patronage_floor(plan.distributable),
        "refund_share": (refund / plan.distributable * 100) if plan.distributable else None,
        "no_transactions": no_transactions_note(plan) if plan.no_transactions else "",
        "books_in_year": year_books is not None and year_books.status == "open",
    }
