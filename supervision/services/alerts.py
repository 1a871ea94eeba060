"""Risk alerts: a registry of small rules, evaluated nightly and on change, written as a problem
list deduplicated per rule, subject and period and tracked to closure (DOMAIN.md 1.4, 1.5).

A rule is a function of one cooperative (``RuleContext``) returning the ``Hit``s it finds; the
evaluation upserts an alert per hit, reopens a resolved one that fires again, and resolves by itself
an open alert whose condition no longer holds.

    @rule("contract_overdue", Severity.MEDIUM)
    def contract_overdue(ctx): ...
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django.db import IntegrityError, transaction
from django.db.models import F, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cooperatives.models import Cooperative
from core.exceptions import BusinessError, NotPermitted, StateConflict
from core.money import ZERO
from core.policies import policy_for
from core.tenancy import assert_in_scope
from supervision.choices_oversight import OPEN_ALERT_STATES, AlertStatus, AuditKind, DisclosureStatus, Severity
from supervision.models import Alert, Audit, Disclosure

logger = logging.getLogger(__name__)

# Loan accounts are the first-level accounts named 借款 in either chart (DOMAIN.md 3.2, 4.2):
# 201 短期借款 and 231 长期借款 (cooperatives), 201 and 221 长期借款及应付款 (village collectives).
LOAN_ACCOUNT_NAME = "借款"


@dataclass
class Hit:
    """A rule firing on one subject in one period."""

    subject_key: str
    period: str
    title: str
    detail: str = ""
    evidence_url: str = ""
    severity: str | None = None


@dataclass
class RuleContext:
    cooperative: Cooperative
    today: datetime.date

    @cached_property
    def profile(self):
        return policy_for(self.cooperative.region_code)

    @cached_property
    def structure(self):
        from shares.compliance import Structure

        return Structure.load(self.cooperative)

    @property
    def coop_key(self) -> str:
        return f"cooperative:{self.cooperative.pk}"


@dataclass(frozen=True)
class Rule:
    code: str
    label: str
    severity: str
    check: Callable[[RuleContext], list[Hit]] = field(compare=False)


RULES: dict[str, Rule] = {}


def rule(code: str, label, severity: str):
    """Register a rule function under ``code``."""

    def decorate(fn):
        RULES[code] = Rule(code, label, severity, fn)
        return fn

    return decorate


def _coop_url(ctx: RuleContext, name: str = "cooperatives:cooperative_detail") -> str:
    return reverse(name, args=[ctx.cooperative.pk])


# -- the rules ---------------------------------------------------------------------------------


@rule("share_structure", gettext_lazy("Share-structure rule failing"), Severity.HIGH)
def share_structure(ctx: RuleContext) -> list[Hit]:
    """A rule of the county's profile that the current structure fails (a refused rule: high; a
    warned rule: low). The single-member cap has its own rule."""
    from shares.choices import ComplianceStatus
    from shares.compliance import check_structure

    hits = []
    for result in check_structure(ctx.structure, ctx.profile):
        if not result.is_problem or result.rule == "single_member_max":
            continue
        hits.append(
            Hit(
                f"{ctx.coop_key}:{result.rule}",
                str(ctx.today.year),
                _("%(coop)s: %(rule)s") % {"coop": ctx.cooperative.name, "rule": result.label},
                result.message,
                reverse("shares:structure", args=[ctx.cooperative.pk]),
                Severity.HIGH if result.status == ComplianceStatus.FAILED else Severity.LOW,
            )
        )
    return hits


@rule("single_member_cap", gettext_lazy("A member above the single-member cap"), Severity.MEDIUM)
def single_member_cap(ctx: RuleContext) -> list[Hit]:
    """A member holding more than the profile's single-member maximum (seed 002/004: 20%)."""
    from members.choices import MemberKind

    cap_ratio = ctx.profile.single_member_max
    total = ctx.structure.total
    if cap_ratio is None or not total:
        return []
    cap = cap_ratio * total
    return [
        Hit(
            f"member:{h.member_id}",
            str(ctx.today.year),
            _("%(name)s holds %(actual).2f%% of %(coop)s, above %(cap).2f%%")
            % {"name": h.name, "actual": h.own / total * 100, "coop": ctx.cooperative.name, "cap": cap_ratio * 100},
            _("Reduce the stake by transfer or capital increase."),
            reverse("members:member_detail", args=[h.member_id]),
        )
        for h in ctx.structure.holders.values()
        if h.kind != MemberKind.COLLECTIVE and h.own > cap
    ]


@rule("unapproved_expenditure", gettext_lazy("Expenditure posted without the required approval"), Severity.HIGH)
def unapproved_expenditure(ctx: RuleContext) -> list[Hit]:
    """A posted payment at or above the county's threshold (seed 004: 10,000) with no approved
    township approval (imported, or posted around the workflow)."""
    from django.contrib.contenttypes.models import ContentType

    from core.choices import ApprovalState
    from core.models import ApprovalRequest
    from finance.choices import VoucherKind, VoucherStatus
    from finance.models import Voucher

    threshold = ctx.profile.expenditure_approval_threshold
    approved = ApprovalRequest.objects.filter(
        subject_type=ContentType.objects.get_for_model(Voucher), kind="expenditure", state=ApprovalState.APPROVED
    ).values("subject_id")
    vouchers = (
        Voucher.objects.filter(
            cooperative=ctx.cooperative,
            status=VoucherStatus.POSTED,
            kind=VoucherKind.MANUAL,
            payment_amount__gte=threshold,
            date__year=ctx.today.year,
        )
        .exclude(pk__in=approved)
        .order_by("date", "pk")
    )
    return [
        Hit(
            f"voucher:{v.pk}",
            str(v.date.year),
            _("%(coop)s: %(number)s pays out %(amount)s without township approval")
            % {"coop": ctx.cooperative.name, "number": v.display_number, "amount": f"{v.payment_amount:,.2f}"},
            v.summary,
            v.get_absolute_url(),
        )
        for v in vouchers
    ]


def _quarters_due(ctx: RuleContext, count: int = 4) -> list[tuple[int, int]]:
    from supervision.services.disclosures import quarter_of

    year, quarter = quarter_of(ctx.today)
    found = []
    for _i in range(count):
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
        found.append((year, quarter))
    return found


@rule("disclosure_overdue", gettext_lazy("Quarterly disclosure overdue"), Severity.MEDIUM)
def disclosure_overdue(ctx: RuleContext) -> list[Hit]:
    """A quarter of the last four whose disclosure is not published by the county's deadline
    (quarter end + ``disclosure_deadline_days``). Quarters before the cooperative was entered are skipped."""
    from supervision.services.disclosures import deadline_for, quarter_bounds

    since = timezone.localdate(ctx.cooperative.created_at)
    published = {
        (d.year, d.quarter): d
        for d in Disclosure.objects.filter(cooperative=ctx.cooperative).only("year", "quarter", "status")
    }
    hits = []
    for year, quarter in _quarters_due(ctx):
        if quarter_bounds(year, quarter)[1] < since:
            continue
        deadline = deadline_for(ctx.cooperative.region_code, year, quarter, ctx.profile)
        found = published.get((year, quarter))
        if ctx.today <= deadline or (found and found.status == DisclosureStatus.PUBLISHED):
            continue
        hits.append(
            Hit(
                ctx.coop_key,
                f"{year}Q{quarter}",
                _("%(coop)s: the disclosure of %(year)s Q%(q)s is not published (due %(deadline)s)")
                % {"coop": ctx.cooperative.name, "year": year, "q": quarter, "deadline": deadline.isoformat()},
                evidence_url=found.get_absolute_url() if found else reverse("oversight:disclosure_list"),
            )
        )
    return hits


@rule("no_audit", gettext_lazy("No annual audit this year"), Severity.MEDIUM)
def no_audit(ctx: RuleContext) -> list[Hit]:
    """Seed 002 §8: the township audits every cooperative once a year. Fires in the year's last
    quarter for the current year, and for the previous year, when no annual audit was made."""
    since = timezone.localdate(ctx.cooperative.created_at)
    years = [ctx.today.year - 1] + ([ctx.today.year] if ctx.today.month >= 10 else [])
    audited = set(
        Audit.objects.filter(cooperative=ctx.cooperative, kind=AuditKind.ANNUAL, year__in=years).values_list(
            "year", flat=True
        )
    )
    return [
        Hit(
            ctx.coop_key,
            str(year),
            _("%(coop)s has no annual audit for %(year)s") % {"coop": ctx.cooperative.name, "year": year},
            evidence_url=reverse("oversight:audit_list"),
        )
        for year in years
        if year not in audited and since <= datetime.date(year, 12, 31)
    ]


@rule("new_debt", gettext_lazy("New borrowing above the county's limit"), Severity.HIGH)
def new_debt(ctx: RuleContext) -> list[Hit]:
    """Credits posted this year to the loan accounts above ``loan_alert_limit`` (200,000 by default)."""
    from finance.models import Account, VoucherLine

    limit = ctx.profile.loan_alert_limit
    codes = Account.objects.filter(cooperative=ctx.cooperative, level=1, name__contains=LOAN_ACCOUNT_NAME).values_list(
        "code", flat=True
    )
    q = Q(pk__in=[])
    for code in codes:
        q |= Q(account__code__startswith=code)
    borrowed = (
        VoucherLine.objects.filter(
            q, cooperative=ctx.cooperative, is_posted=True, is_closing=False, voucher__date__year=ctx.today.year
        ).aggregate(t=Sum("credit"))["t"]
        or ZERO
    )
    if borrowed <= limit:
        return []
    return [
        Hit(
            ctx.coop_key,
            str(ctx.today.year),
            _("%(coop)s borrowed %(amount)s this year, above %(limit)s")
            % {"coop": ctx.cooperative.name, "amount": f"{borrowed:,.2f}", "limit": f"{limit:,.2f}"},
            evidence_url=_coop_url(ctx, "finance:books_detail"),
        )
    ]


@rule("withdrawals", gettext_lazy("Share withdrawals above the county's rate"), Severity.MEDIUM)
def withdrawals(ctx: RuleContext) -> list[Hit]:
    """Withdrawals applied for this year (not cancelled) as a share of the capital before them
    (current holdings + what was already refunded this year) above ``withdrawal_alert_rate``."""
    from shares.choices import WithdrawalState
    from shares.models import ShareWithdrawal

    rate = ctx.profile.withdrawal_alert_rate
    if rate is None:
        return []
    rows = ShareWithdrawal.objects.filter(cooperative=ctx.cooperative, applied_on__year=ctx.today.year).exclude(
        state=WithdrawalState.CANCELLED
    )
    withdrawn = rows.aggregate(t=Sum("amount"))["t"] or ZERO
    refunded = rows.filter(state=WithdrawalState.EXECUTED).aggregate(t=Sum("amount"))["t"] or ZERO
    base = ctx.structure.total + refunded
    if not withdrawn or not base or withdrawn / base <= rate:
        return []
    return [
        Hit(
            ctx.coop_key,
            str(ctx.today.year),
            _("%(coop)s: withdrawals of %(amount)s are %(actual).2f%% of its shares, above %(rate).2f%%")
            % {
                "coop": ctx.cooperative.name,
                "amount": f"{withdrawn:,.2f}",
                "actual": withdrawn / base * 100,
                "rate": rate * 100,
            },
            evidence_url=reverse("shares:withdrawal_list"),
        )
    ]


@rule("collective_income_falling", gettext_lazy("Collective income falling"), Severity.LOW)
def collective_income_falling(ctx: RuleContext) -> list[Hit]:
    """The village collective's income of the last full year below the year before."""
    from finance.models import CollectiveIncome

    last, before = ctx.today.year - 1, ctx.today.year - 2
    totals = dict(
        CollectiveIncome.objects.filter(village_id=ctx.cooperative.village_id, year__in=[last, before])
        .values("year")
        .annotate(t=Sum("amount"))
        .values_list("year", "t")
    )
    if before not in totals or totals.get(last, ZERO) >= totals[before]:
        return []
    return [
        Hit(
            f"village:{ctx.cooperative.region_code}",
            str(last),
            _("Collective income of %(village)s fell from %(before)s to %(last)s")
            % {
                "village": ctx.cooperative.village.name,
                "before": f"{totals[before]:,.2f}",
                "last": f"{totals.get(last, ZERO):,.2f}",
            },
            evidence_url=reverse("finance:collectiveincome_list"),
        )
    ]


@rule("contract_overdue", gettext_lazy("Contract payments overdue"), Severity.MEDIUM)
def contract_overdue(ctx: RuleContext) -> list[Hit]:
    """An effective contract whose instalments due before today exceed what has been paid."""
    from finance.choices import ContractStatus
    from finance.models import Contract
    from finance.selectors.contracts import with_payment_figures

    overdue = with_payment_figures(
        Contract.objects.filter(cooperative=ctx.cooperative, status=ContractStatus.EFFECTIVE), ctx.today
    ).filter(due_to_date__gt=F("paid"))
    return [
        Hit(
            f"contract:{c.pk}",
            str(ctx.today.year),
            _("%(coop)s: contract %(number)s has %(amount)s overdue")
            % {"coop": ctx.cooperative.name, "number": c.number, "amount": f"{c.due_to_date - c.paid:,.2f}"},
            c.subject,
            c.get_absolute_url(),
        )
        for c in overdue.order_by("pk")
    ]


# -- evaluation ------------------------------------------------------------------------------


def rule_hits(cooperative: Cooperative, *, today: datetime.date | None = None, rules=None) -> dict[str, list[Hit]]:
    """What each rule finds on ``cooperative`` (nothing is written)."""
    ctx = RuleContext(cooperative, today or timezone.localdate())
    return {code: RULES[code].check(ctx) for code in (rules or RULES)}


def _alert_notify(alert: Alert, event_key: str) -> None:
    """A risk alert raised (or raised again) tells the village's accountant and chair, who put it
    right, and the township's officials, who follow it up."""
    from core.choices import NotificationKind, Role
    from core.services.notifications import notify, village_people

    notify(
        recipients=village_people(
            alert.region_code, Role.VILLAGE_ACCOUNTANT, Role.COOP_CHAIR, township_roles=[Role.TOWNSHIP_OFFICIAL]
        ),
        kind=NotificationKind.ALERT_RAISED,
        text=alert.title,
        link=alert.get_absolute_url(),
        event_key=event_key,
        region_code=alert.region_code,
    )


def _upsert(cooperative: Cooperative, r: Rule, hit: Hit, now) -> Alert:
    values = {
        "cooperative": cooperative,
        "region_code": cooperative.region_code,
        "severity": hit.severity or r.severity,
        "title": hit.title[:200],
        "detail": hit.detail,
        "evidence_url": hit.evidence_url[:200],
    }
    alert = (
        Alert.objects.select_for_update().filter(rule=r.code, subject_key=hit.subject_key, period=hit.period).first()
    )
    if alert is None:
        try:
            with transaction.atomic():
                alert = Alert.objects.create(
                    rule=r.code,
                    subject_key=hit.subject_key,
                    period=hit.period,
                    first_seen_at=now,
                    last_seen_at=now,
                    **values,
                )
            _alert_notify(alert, f"alert:{alert.pk}:raised")
            return alert
        except IntegrityError:
            alert = Alert.objects.select_for_update().get(rule=r.code, subject_key=hit.subject_key, period=hit.period)
    changed = ["last_seen_at", "updated_at"]
    alert.last_seen_at = now
    for key, value in values.items():
        if key != "cooperative" and getattr(alert, key) != value:
            setattr(alert, key, value)
            changed.append(key)
    # a problem someone resolved by hand stays resolved while the rule finds the very same figures
    # (they have looked at them); new figures, or a problem that had cleared and came back, reopen it
    resolved_as_is = alert.resolved_by_id is not None and changed == ["last_seen_at", "updated_at"]
    if alert.status == AlertStatus.RESOLVED and not resolved_as_is:
        alert.status, alert.resolved_at, alert.resolved_by = AlertStatus.OPEN, None, None
        alert.note = (alert.note + "\n" if alert.note else "") + _("Reopened: the problem is found again.")
        changed += ["status", "resolved_at", "resolved_by", "note"]
        _alert_notify(alert, f"alert:{alert.pk}:reopened:{now:%Y%m%d%H%M%S}")
    alert.save(update_fields=changed)
    return alert


@transaction.atomic
def alerts_evaluate(*, cooperative: Cooperative, today: datetime.date | None = None, rules=None) -> list[Alert]:
    """Run the rules on one cooperative (system job, or on a change): upsert what fires, resolve
    what no longer does. Returns the alerts that fire now."""
    now = timezone.now()
    codes = list(rules or RULES)
    fired: list[Alert] = []
    for code, hits in rule_hits(cooperative, today=today, rules=codes).items():
        fired += [_upsert(cooperative, RULES[code], hit, now) for hit in hits]
    cleared = (
        Alert.objects.select_for_update()
        .filter(cooperative=cooperative, rule__in=codes, status__in=OPEN_ALERT_STATES)
        .exclude(pk__in=[a.pk for a in fired])
    )
    for alert in cleared.order_by("pk"):
        # resolved by the rule itself, not by a person: should it fire again, it reopens
        alert.status, alert.resolved_at, alert.resolved_by = AlertStatus.RESOLVED, now, None
        alert.note = (alert.note + "\n" if alert.note else "") + _("Resolved: the condition no longer holds.")
        alert.save(update_fields=["status", "resolved_at", "resolved_by", "note", "updated_at"])
    return fired


# -- people working the list -------------------------------------------------------------------


def _locked(actor, alert: Alert, action: str = "change") -> Alert:
    if not Alert.objects.for_user(actor, action).filter(pk=alert.pk).exists():
        raise NotPermitted(_("You may not do this with this alert."))
    return Alert.objects.select_for_update().get(pk=alert.pk)


@transaction.atomic
def alert_acknowledge(*, actor, alert: Alert, note: str = "") -> Alert:
    """Someone responsible has seen the problem and works on it."""
    alert = _locked(actor, alert)
    if alert.status != AlertStatus.OPEN:
        raise StateConflict(_("Only an open alert can be acknowledged."), code="not_open")
    alert.status = AlertStatus.ACKNOWLEDGED
    if alert.assignee_id is None:
        alert.assignee = actor
    if note:
        alert.note = (alert.note + "\n" if alert.note else "") + note.strip()
    alert.save(update_fields=["status", "assignee", "note", "updated_at"])
    return alert


def assignees(alert: Alert):
    """The people the problem can be handed to: active users holding a role that works alerts over
    a region that contains the alert's (its village, township, county or prefecture)."""
    from core.models import User

    code = alert.region_code
    return (
        User.objects.filter(
            is_active=True,
            role_assignments__is_active=True,
            role_assignments__role__in=Alert.tenancy.roles_for("change"),
            role_assignments__region__prefix__in=[code[:n] for n in range(1, len(code) + 1)],
        )
        .distinct()
        .order_by("username")
    )


@transaction.atomic
def alert_assign(*, actor, alert: Alert, assignee) -> Alert:
    """The township or county hands the problem to a person whose jurisdiction covers it (none:
    nobody in particular)."""
    alert = _locked(actor, alert, "assign")
    if assignee is not None and not Alert.objects.for_user(assignee, "change").filter(pk=alert.pk).exists():
        raise BusinessError(_("This person's jurisdiction does not cover the alert."), code="invalid", field="assignee")
    alert.assignee = assignee
    alert.save(update_fields=["assignee", "updated_at"])
    return alert


@transaction.atomic
def alert_resolve(*, actor, alert: Alert, note: str) -> Alert:
    """Close the problem with a note on what was done; the next evaluation reopens it if it persists."""
    alert = _locked(actor, alert)
    if alert.status == AlertStatus.RESOLVED:
        raise StateConflict(_("This alert is resolved already."), code="resolved")
    if not (note or "").strip():
        raise BusinessError(_("Say what was done about it."), code="required", field="note")
    alert.status, alert.resolved_at, alert.resolved_by = AlertStatus.RESOLVED, timezone.now(), actor
    alert.note = (alert.note + "\n" if alert.note else "") + note.strip()
    alert.save(update_fields=["status", "resolved_at", "resolved_by", "note", "updated_at"])
    assert_in_scope(actor, alert, "view")
    return alert
