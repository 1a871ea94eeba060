"""Posting to the append-only share ledger; holdings cached in the same transaction.

``post_lines`` is the one place that writes ``ShareEntry`` rows and changes ``Holding.amount``.
Each public service (confirming contributions, transfers, gifts, withdrawals, conversions,
reversals) builds its lines and calls it. In one transaction it:

1. locks the cooperative row (every roster and ledger writer of the cooperative queues there,
   which also keeps the compliance check free of write skew);
2. locks the holding rows it changes with ``select_for_update`` in primary-key order, creating the
   missing ones;
3. refuses a line that would take a holding below zero, or a class the member may not hold;
4. evaluates the county's compliance rules on the structure the lines would leave (refusing, or
   only warning for statutory withdrawals and corrections);
5. writes the entries with the balance after each, updates the cached holdings, and reissues the
   certificates of members whose holdings changed.
"""

from __future__ import annotations

import datetime
import logging
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperatives.models import Cooperative
from core.exceptions import BusinessError, StateConflict
from core.models import User
from core.money import ZERO, money
from core.tenancy import assert_in_scope
from members.choices import MemberKind
from members.models import Member
from members.services import lock_cooperative, quiet_trigger_checks
from shares import bookkeeping, compliance
from shares.choices import EntryType, ShareClass
from shares.models import Contribution, Holding, ShareEntry, ShareWithdrawal

logger = logging.getLogger(__name__)

BULK_LINES = 50  # from this many lines, the row triggers' setting checks are made cheap for the transaction


@dataclass
class Line:
    """One signed change of one member's holding of one class."""

    member: Member
    share_class: str
    amount: Decimal
    counterparty: Member | None = None
    contribution: Contribution | None = None
    withdrawal: ShareWithdrawal | None = None
    reverses: ShareEntry | None = None
    note: str = ""
    operation: uuid.UUID | None = None  # defaults to the posting's operation id
    effective_on: datetime.date | None = None  # defaults to the posting's date
    account: str = ""  # the books: the account of this line's other side ("" = the chart's default)


@dataclass
class PostResult:
    """What a ledger operation wrote, and the compliance evaluation of the structure it left."""

    operation: uuid.UUID
    entries: list[ShareEntry]
    evaluation: compliance.Evaluation | None = None
    holdings: dict[tuple[int, str], Decimal] = field(default_factory=dict)
    vouchers: list = field(default_factory=list)  # what the books posted for it (shares.bookkeeping)

    @property
    def warnings(self) -> list[compliance.RuleResult]:
        return self.evaluation.warnings if self.evaluation else []


def class_label(share_class: str) -> str:
    return str(ShareClass(share_class).label)


def check_class_holder(member: Member, share_class: str) -> None:
    """Who may hold which class (DOMAIN.md 1.1):

    * the village collective holds only collective shares;
    * collective shares are held by the collective, or by a party-branch member on its behalf;
    * poverty-alleviation shares are held by poverty-registered or vulnerable persons.
    """
    if member.kind == MemberKind.COLLECTIVE and share_class != ShareClass.COLLECTIVE:
        raise BusinessError(
            _("The village collective holds collective shares only."), code="collective_holds_collective_class"
        )
    if share_class == ShareClass.COLLECTIVE and not (
        member.kind == MemberKind.COLLECTIVE or (member.kind == MemberKind.PERSON and member.is_branch_member)
    ):
        raise BusinessError(
            _(
                "Collective shares are held by the village collective, or by a party-branch member on the "
                "collective's behalf; %(name)s is neither."
            )
            % {"name": member.name},
            code="collective_class_holder",
            field="member",
        )
    if share_class == ShareClass.POVERTY and not (
        member.kind == MemberKind.PERSON and (member.is_poverty_registered or member.vulnerability)
    ):
        raise BusinessError(
            _(
                "Poverty-alleviation shares are held by poverty-registered or vulnerable households; "
                "%(name)s is not one."
            )
            % {"name": member.name},
            code="poverty_class_holder",
            field="member",
        )


def check_active(member: Member, on: datetime.date) -> None:
    if member.left_on is not None and member.left_on <= on:
        raise BusinessError(
            _("%(name)s left the cooperative on %(date)s.") % {"name": member.name, "date": member.left_on},
            code="member_has_left",
            field="member",
        )


def lock_holdings(cooperative: Cooperative, keys: set[tuple[int, str]]) -> dict[tuple[int, str], Holding]:
    """Lock (creating if needed) the holdings of ``keys`` (member id, class), in primary-key order."""
    member_ids = {m for m, _c in keys}
    classes = {c for _m, c in keys}
    rows = (
        Holding.objects.select_for_update()
        .filter(cooperative=cooperative, member_id__in=member_ids, share_class__in=classes)
        .order_by("pk")
    )
    found = {(h.member_id, h.share_class): h for h in rows}
    missing = sorted(keys - set(found))
    if missing:
        created = Holding.objects.bulk_create(
            [
                Holding(
                    cooperative=cooperative,
                    region_code=cooperative.region_code,
                    member_id=m,
                    share_class=c,
                    amount=ZERO,
                )
                for m, c in missing
            ],
            batch_size=2000,
        )
        found.update({(h.member_id, h.share_class): h for h in created})
    return found


def _update_holdings(changed: list[Holding], now) -> None:
    """Write the new cached amounts: one ``UPDATE … FROM (VALUES …)`` per 2,000 holdings (Django's
    bulk_update builds a CASE per row, quadratic for a 10,000-member confirmation)."""
    table = Holding._meta.db_table
    with connection.cursor() as cursor:
        for start in range(0, len(changed), 2000):
            chunk = changed[start : start + 2000]
            rows = ", ".join(["(%s, %s::numeric)"] * len(chunk))
            cursor.execute(
                f'UPDATE "{table}" AS h SET amount = v.amount, updated_at = %s '  # noqa: S608 - table name from the model
                f"FROM (VALUES {rows}) AS v(id, amount) WHERE h.id = v.id",
                [now, *(value for h in chunk for value in (h.pk, h.amount))],
            )


def post_lines(
    *,
    actor: User,
    cooperative: Cooperative,
    entry_type: str,
    lines: list[Line],
    effective_on: datetime.date | None = None,
    refuse_on_compliance: bool = True,
    operation: uuid.UUID | None = None,
    booking: bookkeeping.Booking | None = None,
) -> PostResult:
    """Write ``lines`` as one ledger operation (see the module docstring) and post its entry in the
    books (``shares.bookkeeping``: same transaction, so a share event the books refuse is not
    recorded). Call inside a transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("post_lines must run inside a transaction")
    if not lines:
        raise BusinessError(_("Nothing to record."), code="nothing_to_post")
    cooperative = lock_cooperative(cooperative)
    if len(lines) > BULK_LINES:
        quiet_trigger_checks()
    effective_on = effective_on or timezone.localdate()
    operation = operation or uuid.uuid4()
    for line in lines:
        line.amount = money(line.amount)
        if not line.amount:
            raise BusinessError(_("An amount of zero cannot be recorded."), code="zero_amount", field="amount")
        if line.member.cooperative_id != cooperative.pk:
            raise BusinessError(
                _("%(name)s is not a member of this cooperative.") % {"name": line.member.name},
                code="foreign_member",
                field="member",
            )
        if line.amount > 0 and entry_type != EntryType.REVERSAL:
            check_active(line.member, line.effective_on or effective_on)
            check_class_holder(line.member, line.share_class)

    keys = {(line.member.pk, line.share_class) for line in lines}
    holdings = lock_holdings(cooperative, keys)
    balances = {key: h.amount for key, h in holdings.items()}
    after_line: list[Decimal] = []
    for line in lines:
        key = (line.member.pk, line.share_class)
        balances[key] += line.amount
        if balances[key] < 0:
            held = holdings[key].amount
            raise BusinessError(
                _("%(name)s holds %(held)s yuan of %(cls)s; %(amount)s cannot be taken from it.")
                % {
                    "name": line.member.name,
                    "held": held,
                    "cls": class_label(line.share_class),
                    "amount": -line.amount,
                },
                code="insufficient_holding",
                field="amount",
            )
        after_line.append(balances[key])

    deltas: dict[tuple[int, str], Decimal] = defaultdict(lambda: ZERO)
    for line in lines:
        deltas[(line.member.pk, line.share_class)] += line.amount
    changes = [compliance.Change(m, c, d) for (m, c), d in deltas.items() if d]
    evaluation = compliance.enforce(cooperative, changes=changes, refuse=refuse_on_compliance)

    entries = [
        ShareEntry(
            cooperative=cooperative,
            region_code=cooperative.region_code,
            member=line.member,
            share_class=line.share_class,
            entry_type=entry_type,
            amount=line.amount,
            balance_after=balance,
            effective_on=line.effective_on or effective_on,
            operation=line.operation or operation,
            counterparty=line.counterparty,
            contribution=line.contribution,
            withdrawal=line.withdrawal,
            reverses=line.reverses,
            note=line.note,
            created_by=actor,
        )
        for line, balance in zip(lines, after_line, strict=True)
    ]
    ShareEntry.objects.bulk_create(entries, batch_size=2000)
    now = timezone.now()
    changed = []
    for key, holding in holdings.items():
        if balances[key] != holding.amount:
            holding.amount = balances[key]
            holding.updated_at = now
            changed.append(holding)
    _update_holdings(changed, now)
    assert_in_scope(actor, entries[0], "add")

    from shares.services.certificates import reissue_after_change

    reissue_after_change(
        actor=actor, cooperative=cooperative, member_ids={m for m, _c in deltas}, on=timezone.localdate()
    )
    vouchers = bookkeeping.post(
        bookkeeping.Operation(
            cooperative=cooperative,
            actor=actor,
            entry_type=entry_type,
            entries=entries,
            accounts=[line.account for line in lines],
            booking=booking or bookkeeping.Booking(),
        )
    )
    logger.info(
        "shares.ledger.posted",
        extra={"cooperative_id": cooperative.pk, "operation": str(operation), "type": entry_type, "lines": len(lines)},
    )
    return PostResult(operation, entries, evaluation, {k: balances[k] for k in holdings}, vouchers)


@transaction.atomic
def entry_reverse(*, actor: User, entry: ShareEntry, reason: str, on: datetime.date | None = None) -> PostResult:
    """Correct a mistaken operation by reversing entries: every line of ``entry``'s operation gets an
    opposite line linked to it (a transfer's two legs are reversed together), restoring the holdings.

    A reversal cannot itself be reversed, nor can an entry be reversed twice. It is a correction, so
    the compliance rules warn but do not refuse; a holding that has since been passed on cannot go
    below zero, so such a reversal is refused.
    """
    if not (reason or "").strip():
        raise BusinessError(_("Say why the entry is reversed."), code="reason_required", field="reason")
    cooperative = lock_cooperative(entry.cooperative)
    group = list(
        ShareEntry.objects.filter(cooperative=cooperative, operation=entry.operation)
        .select_related("member", "counterparty", "contribution", "withdrawal", "reversed_by")
        .order_by("pk")
    )
    # a batch of contributions confirmed together shares an evaluation, not an operation: the
    # operation of one subscription is its own contribution's entries
    for line in group:
        if line.entry_type == EntryType.REVERSAL:
            raise StateConflict(
                _("A reversal cannot be reversed; record the operation again instead."), code="cannot_reverse_reversal"
            )
        if hasattr(line, "reversed_by"):
            raise StateConflict(_("This entry has already been reversed."), code="already_reversed")
    lines = [
        Line(
            member=line.member,
            share_class=line.share_class,
            amount=-line.amount,
            counterparty=line.counterparty,
            contribution=line.contribution,
            withdrawal=line.withdrawal,
            reverses=line,
            note=reason.strip(),
        )
        for line in group
    ]
    for line in lines:
        if line.amount > 0:
            check_active(line.member, on or timezone.localdate())
    result = post_lines(
        actor=actor,
        cooperative=cooperative,
        entry_type=EntryType.REVERSAL,
        lines=lines,
        effective_on=on,
        refuse_on_compliance=False,
    )
    logger.info("shares.ledger.reversed", extra={"operation": str(entry.operation)})
    return result
