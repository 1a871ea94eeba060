"""The books' side of the share register: what each share event posts (``shares.bookkeeping``).

Registered from ``FinanceConfig.ready``; the share ledger's one writer calls it in its transaction,
so the register and the books change together or not at all. Accounts come from the cooperative's
own chart by role (``finance.selectors.roles``), on both charts. Entries are written already posted
(``create_posted_voucher_row``, kind "shares"), dated on the event's day, which must fall in an
open month of a fiscal year the books keep.

| event | entry |
|---|---|
| contribution (认购) | Dr the account it was paid into or the asset it becomes / Cr 股金 of the owner |
| transfer, gift | Dr 股金 of the giver / Cr 股金 of the receiver |
| withdrawal (退股) | Dr 股金 (and, when the member leaves, 盈余公积 of their reserve share) / Cr the refund account |
| reserve → capital | Dr 盈余公积 of the member / Cr 股金 of the owner; their reserve share goes down as much |
| surplus → capital | Dr 各项分配—转为成员出资 / Cr 股金 of the owner (law Art. 44 ¶4) |
| reversal | the original entry again in red ink (negative amounts in the same columns) |

The owner of a share is its holder, except for collective shares: they are the village collective's
whoever holds them (DOMAIN.md §1.3), so 股金 is kept per owner. A share event dated before the books
start is part of the opening balances (the takeover tie-out checks them) and posts nothing.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Min
from django.utils.translation import gettext as _

from core.bulk import insert_columns
from core.exceptions import BusinessError
from core.money import ZERO
from finance.choices import AccountCategory, MemberAccountEntryKind, VoucherKind
from finance.models import CooperativeBooks, FiscalYear, MemberAccountEntry, ShareBooking
from finance.selectors.roles import Roles
from finance.services.vouchers import LineInput, MemberLines, create_posted_voucher_row, period_for

# what a contribution in kind becomes when the accountant names no account (DOMAIN.md §3.3)
KIND_ROLES = {
    "cash": "cash",
    "land": "intangible",  # 土地经营权 (Art. 13), an intangible asset of the standard
    "forest": "intangible",
    "ip": "intangible",
    "goods": "fixed_assets",
    "attachments": "fixed_assets",
    "fiscal_funds": "bank",  # quantified poverty-alleviation funds are paid into the bank
    "collective_assets": "fixed_assets",
}
SETTLEMENT_ROLES = ("cash", "bank")
FEW_LINES = 20  # up to this many member lines a voucher's lines are objects, sorted debits first
OTHER_MONEY = "109"  # 其他货币资金 (Alipay, WeChat) settles too where the chart has it


def books_start(cooperative_id: int) -> datetime.date | None:
    """The first day the books in Lingban cover (1 January of the first fiscal year)."""
    first = FiscalYear.objects.filter(cooperative_id=cooperative_id).aggregate(y=Min("year"))["y"]
    return datetime.date(first, 1, 1) if first else None


def ledger_by_member(cooperative_id: int, account_ids: list[int], member_ids=None) -> dict[tuple[int, int], Decimal]:
    """Balance (debit positive) per (account, member) over the whole life of the books: the opening
    balances of the first fiscal year plus every posted line since. Two grouped queries."""
    from django.db.models import F, Sum

    from finance.models import OpeningBalance, VoucherLine

    first = FiscalYear.objects.filter(cooperative_id=cooperative_id).order_by("year").values_list("pk", flat=True)[:1]
    openings = OpeningBalance.objects.filter(fiscal_year_id__in=first, account_id__in=account_ids)
    lines = VoucherLine.objects.filter(cooperative_id=cooperative_id, is_posted=True, account_id__in=account_ids)
    if member_ids is not None:
        openings = openings.filter(member_id__in=member_ids)
        lines = lines.filter(member_id__in=member_ids)
    totals: dict[tuple[int, int], Decimal] = defaultdict(lambda: ZERO)
    for row in openings.values("account_id", "member_id").annotate(t=Sum("amount")).order_by():
        totals[(row["account_id"], row["member_id"])] += row["t"]
    for row in lines.values("account_id", "member_id").annotate(t=Sum(F("debit") - F("credit"))).order_by():
        totals[(row["account_id"], row["member_id"])] += row["t"]
    return dict(totals)


@dataclass
class _Draft:
    """Lines being gathered: a signed amount (debit positive) per (account, member)."""

    amounts: dict[tuple[int, int | None], Decimal] = field(default_factory=lambda: defaultdict(lambda: ZERO))
    accounts: dict[int, object] = field(default_factory=dict)
    reserve: dict[int, Decimal] = field(default_factory=lambda: defaultdict(lambda: ZERO))  # member → change
    zero_quantified: set[int] = field(default_factory=set)  # leavers: subsidy/donation shares back to nil

    def add(self, account, member_id: int | None, amount: Decimal) -> None:
        if not amount:
            return
        self.accounts[account.pk] = account
        self.amounts[(account.pk, member_id if account.tracks_members else None)] += amount

    def lines(self, *, red_ink: bool = False) -> tuple[list[LineInput], list[MemberLines]]:
        """The voucher's lines, debits first. A few lines (one member's event) as LineInputs; many
        (a batch of contributions, a plan's conversion) with the member lines as columns, one part
        per account and side. Red ink keeps each amount in its column with the sign turned."""
        if sum(1 for (_a, m) in self.amounts if m is not None) <= FEW_LINES:
            return self._few_lines(red_ink), []
        sign = -1 if red_ink else 1
        plain: list[LineInput] = []
        parts: dict[tuple[int, str], MemberLines] = {}
        for (account_id, member_id), amount in sorted(self.amounts.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0)):
            if not amount:
                continue
            account = self.accounts[account_id]
            side = "debit" if amount > 0 else "credit"
            value = abs(amount) * sign
            if member_id is None:
                plain.append(LineInput(account=account, **{side: value}))
                continue
            part = parts.setdefault((account_id, side), MemberLines(account, [], [], side))
            part.member_ids.append(member_id)
            part.amounts.append(value)
        # debits first, as a voucher reads
        ordered = sorted(parts.values(), key=lambda p: (p.side != "debit", p.account.code))
        plain.sort(key=lambda line: (not line.debit, line.account.code))
        return plain, ordered

    def _few_lines(self, red_ink: bool) -> list[LineInput]:
        from members.models import Member

        sign = -1 if red_ink else 1
        members = Member.objects.in_bulk([m for (_a, m) in self.amounts if m is not None])
        lines = []
        for (account_id, member_id), amount in self.amounts.items():
            if not amount:
                continue
            side = "debit" if amount > 0 else "credit"
            member = members.get(member_id) if member_id is not None else None
            lines.append(LineInput(account=self.accounts[account_id], member=member, **{side: abs(amount) * sign}))
        lines.sort(key=lambda line: (not line.debit, line.account.code, line.member.number if line.member else 0))
        return lines


class _Context:
    def __init__(self, books: CooperativeBooks):
        from members.selectors import collective_member_id

        self.books = books
        self.roles = Roles(books)
        self.collective = collective_member_id(books.cooperative_id)
        self._reserve_balances: dict[int, Decimal] | None = None

    def owner(self, entry) -> int:
        """The member whose capital a share is: the village collective for every collective share."""
        if entry.share_class == "collective" and self.collective:
            return self.collective
        return entry.member_id

    def settlement(self, code: str, *, refund: bool = False):
        if not code:
            return self.roles.account("cash")
        allowed = [self.roles.code(r) for r in SETTLEMENT_ROLES if self.roles.code(r)] + [OTHER_MONEY]
        if refund and self.roles.code("member_current"):
            allowed.append(self.roles.code("member_current"))
        account = self.roles.leaf(code)
        if not any(account.code.startswith(prefix) for prefix in allowed):
            raise BusinessError(
                _("%(account)s is not a cash, bank or member account; choose where the money goes.")
                % {"account": account},
                code="wrong_account",
                field="refund_account" if refund else "booked_to",
            )
        return account

    def contribution_account(self, entry, code: str):
        if code:
            account = self.roles.leaf(code)
            if account.category != AccountCategory.ASSET or account.balance_side == "credit":
                raise BusinessError(
                    _("%(account)s is not an asset account; a contribution is booked to what it brings in.")
                    % {"account": account},
                    code="wrong_account",
                    field="booked_to",
                )
            return account
        kind = entry.contribution.kind if entry.contribution_id else "cash"
        return self.roles.account(KIND_ROLES.get(kind, "cash"))

    def reserve_balance(self, member_id: int) -> Decimal:
        if self._reserve_balances is None:
            self._reserve_balances = {}
        if member_id not in self._reserve_balances:
            reserve = self.roles.account("reserve")
            balances = ledger_by_member(self.books.cooperative_id, [reserve.pk], [member_id])
            self._reserve_balances[member_id] = -balances.get((reserve.pk, member_id), ZERO)
        return self._reserve_balances[member_id]


def _entry_lines(ctx: _Context, draft: _Draft, entry_type: str, entry, account_code: str, booking) -> None:
    """Add what one share entry posts (``entry_type`` is the entry's own type, a reversal's original)."""
    capital = ctx.roles.account("capital")
    amount = entry.amount
    owner = ctx.owner(entry)
    if entry_type == "subscribe":
        draft.add(ctx.contribution_account(entry, account_code), None, amount)
        draft.add(capital, owner, -amount)
    elif entry_type in ("transfer", "gift"):
        draft.add(capital, owner, -amount)
    elif entry_type == "withdraw":
        settle = ctx.settlement(booking.settlement, refund=True)
        draft.add(capital, owner, -amount)  # amount is negative: a debit
        draft.add(settle, entry.member_id, amount)
        if booking.leaving and ctx.books.chart.quantifies_reserve and entry.member_id not in draft.reserve:
            share = ctx.reserve_balance(entry.member_id)
            if share > 0:
                draft.add(ctx.roles.account("reserve"), entry.member_id, share)
                draft.add(settle, entry.member_id, -share)
                draft.reserve[entry.member_id] -= share
            draft.zero_quantified.add(entry.member_id)
    elif entry_type == "conversion":
        draft.add(ctx.roles.account("reserve"), entry.member_id, amount)
        draft.add(capital, owner, -amount)
        if ctx.books.chart.quantifies_reserve:
            draft.reserve[entry.member_id] -= amount
    elif entry_type == "capitalise":
        draft.add(ctx.roles.account("alloc_capital"), None, amount)
        draft.add(capital, owner, -amount)
    else:
        raise ValueError(f"no entry for share operations of type {entry_type}")


def _summary(op, entries) -> str:
    if op.booking.summary:
        return op.booking.summary[:200]
    names = []
    for entry in entries:
        if entry.member.name not in names:
            names.append(entry.member.name)
    who = names[0] if len(names) == 1 else f"{names[0]}等{len(names)}人"
    # bookkeeping text of record, kept in the standard's language
    texts = {
        "subscribe": f"成员出资入股：{who}",
        "transfer": "股份转让：" + "→".join(names[:2]),
        "gift": "股权赠与：" + "→".join(names[:2]),
        "withdraw": f"退还出资{'及公积金份额' if op.booking.leaving else ''}：{who}",
        "conversion": f"公积金转为成员出资：{who}",
        "capitalise": f"盈余转为成员出资：{who}",
    }
    if op.entry_type == "reversal":
        original = entries[0].reverses
        return f"冲正{texts.get(original.entry_type, '')}（{entries[0].note}）"[:200]
    return texts[op.entry_type][:200]


def share_operation_post(op) -> list:
    """Post one share-register operation (``shares.bookkeeping.Operation``); the vouchers written."""
    books = CooperativeBooks.objects.select_related("chart").filter(cooperative_id=op.cooperative.pk).first()
    if books is None:
        return []  # the cooperative keeps no books in Lingban
    start = books_start(books.cooperative_id)
    groups: dict[datetime.date, list] = defaultdict(list)
    accounts = op.accounts or [""] * len(op.entries)
    for entry, code in zip(op.entries, accounts, strict=True):
        groups[op.booking.date or entry.effective_on].append((entry, code))
    ctx = None
    vouchers = []
    for day in sorted(groups):
        if start is None or day < start:
            continue  # before the books start: part of the opening balances
        ctx = ctx or _Context(books)
        draft = _Draft()
        rows = groups[day]
        for entry, code in rows:
            if op.entry_type == "reversal":
                original = entry.reverses
                code = original.contribution.booked_to if original.contribution_id else ""
                booking = op.booking
                if original.withdrawal_id:
                    booking = type(op.booking)(settlement=original.withdrawal.refund_account)
                # a converted reserve share comes back: the reserve change is turned with the lines
                _entry_lines(ctx, draft, original.entry_type, original, code, booking)
            else:
                _entry_lines(ctx, draft, op.entry_type, entry, code, op.booking)
        red_ink = op.entry_type == "reversal"
        plain, parts = draft.lines(red_ink=red_ink)
        if not plain and not parts:
            continue  # e.g. collective shares handed between the collective and its holder
        if len(plain) + sum(len(p.member_ids) for p in parts) < 2:
            continue
        kind = VoucherKind.DISTRIBUTION if op.booking.kind == VoucherKind.DISTRIBUTION else VoucherKind.SHARES
        voucher = create_posted_voucher_row(
            actor=op.actor,
            cooperative=op.cooperative,
            period=period_for(op.cooperative, day),
            date=day,
            summary=_summary(op, [e for e, _c in rows]),
            lines=plain,
            kind=kind,
            member_lines=parts,
        )
        operations = sorted({str(e.operation) for e, _c in rows})
        insert_columns(
            ShareBooking,
            {"operation": operations},
            {"cooperative_id": books.cooperative_id, "region_code": books.region_code, "voucher_id": voucher.pk},
        )
        sign = -1 if red_ink else 1
        _member_account_write(op, books, voucher, day, {m: sign * v for m, v in draft.reserve.items() if v})
        if draft.zero_quantified:
            _quantified_shares_cleared(op, books, voucher, day, draft.zero_quantified)
        vouchers.append(voucher)
    return vouchers


def _member_account_write(op, books, voucher, day, changes: dict[int, Decimal]) -> None:
    """Each member's reserve share moves with the 322 lines just posted (member account = the books)."""
    if not changes:
        return
    members = sorted(changes)
    insert_columns(
        MemberAccountEntry,
        {"member_id": members, "amount": [changes[m] for m in members]},
        {
            "cooperative_id": books.cooperative_id,
            "region_code": books.region_code,
            "year": day.year,
            "date": day,
            "kind": MemberAccountEntryKind.RESERVE_SHARE.value,
            "summary": voucher.summary,
            "voucher_id": voucher.pk,
            "created_by_id": getattr(op.actor, "pk", None),
        },
    )


def _quantified_shares_cleared(op, books, voucher, day, member_ids: set[int]) -> None:
    """A leaver's quantified shares of subsidy and donation property go back to the pool (they are
    not refunded, law Art. 28; the next quantification shares them among the members who stay)."""
    from django.db.models import Sum

    kinds = [MemberAccountEntryKind.SUBSIDY_SHARE, MemberAccountEntryKind.DONATION_SHARE]
    rows = [
        r
        for r in MemberAccountEntry.objects.filter(member_id__in=member_ids, kind__in=kinds)
        .values("member_id", "kind")
        .annotate(t=Sum("amount"))
        .order_by("member_id", "kind")
        if r["t"]
    ]
    if rows:
        insert_columns(
            MemberAccountEntry,
            {
                "member_id": [r["member_id"] for r in rows],
                "kind": [r["kind"] for r in rows],
                "amount": [-r["t"] for r in rows],
            },
            {
                "cooperative_id": books.cooperative_id,
                "region_code": books.region_code,
                "year": day.year,
                "date": day,
                "summary": "退社：量化份额不予退还，转回待量化",
                "voucher_id": voucher.pk,
                "created_by_id": getattr(op.actor, "pk", None),
            },
        )


class ShareBooks:
    """The keeper ``shares.bookkeeping`` calls (registered in ``FinanceConfig.ready``)."""

    def post(self, operation) -> list:
        return share_operation_post(operation)

    def choices(self, cooperative, purpose: str) -> list[tuple[str, str]]:
        roles = Roles.of(cooperative)
        if roles is None:
            return []
        money_codes = [roles.code(r) for r in SETTLEMENT_ROLES if roles.code(r)] + [OTHER_MONEY]
        if purpose == "settlement":
            accounts = roles.leaves_under(*money_codes)
        elif purpose == "refund":
            extra = [roles.code("member_current")] if roles.code("member_current") else []
            accounts = roles.leaves_under(*money_codes, *extra)
        elif purpose == "asset":
            accounts = [
                a
                for a in roles.accounts.values()
                if a.is_leaf
                and a.is_active
                and a.category == AccountCategory.ASSET
                and a.balance_side != "credit"
                and not a.tracks_members
            ]
        else:
            raise ValueError(purpose)
        return [(a.code, f"{a.code} {a.name}") for a in sorted(accounts, key=lambda a: a.code)]
