"""The books' slot of the share register: every share event posts its entry in the books.

DESIGN.md "One ledger": the share register, the member accounts and the books are views of one set
of facts. ``shares`` sits below ``finance`` and cannot import its voucher services, so finance
registers its keeper here from ``FinanceConfig.ready`` (``register``), and the one writer of the
share ledger, ``shares.services.ledger.post_lines``, hands it every operation inside the same
transaction: a share event that cannot be booked (a closed month, an account missing) is not
recorded at all.

What each event posts is finance's business (``finance.services.share_books``); this module only
says what an operation is and how it settles (``Booking``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Protocol


@dataclass
class Booking:
    """How a share operation settles in the books, beyond what its entries say.

    ``date``: the day the entry is booked (default: each line's effective date; a refund is booked
    on the day it is paid, not at the year end it takes effect). ``settlement``: the account code
    money comes in or goes out through (a cash or bank sub-account, or 成员往来 for a refund owed);
    empty for the chart's cash account. ``leaving``: the member leaves, so their reserve share is
    refunded with their capital (law Art. 28). ``source``: what a conversion into capital comes
    from ("reserve" or "surplus"). ``kind``: the voucher kind ("shares"; "distribution" when a
    distribution plan carries the conversion out).
    """

    date: datetime.date | None = None
    settlement: str = ""
    leaving: bool = False
    source: str = "reserve"
    kind: str = "shares"
    summary: str = ""


@dataclass
class Operation:
    """One share-ledger operation as written: its entries (ShareEntry rows) and how it settles."""

    cooperative: object
    actor: object
    entry_type: str
    entries: list
    accounts: list[str] = field(default_factory=list)  # per entry: the account of its other side ("" = default)
    booking: Booking = field(default_factory=Booking)


class Keeper(Protocol):
    def post(self, operation: Operation) -> list: ...

    def choices(self, cooperative, purpose: str) -> list[tuple[str, str]]: ...


_keeper: Keeper | None = None


def register(keeper: Keeper) -> None:
    global _keeper
    _keeper = keeper


def post(operation: Operation) -> list:
    """Post ``operation`` in the books; the vouchers written (none without a keeper or books)."""
    return _keeper.post(operation) if _keeper is not None else []


def choices(cooperative, purpose: str) -> list[tuple[str, str]]:
    """Accounts a form may offer for ``purpose`` ("settlement": where money comes in or goes out;
    "refund": the same, or owed to the member; "asset": what a contribution in kind becomes)."""
    return _keeper.choices(cooperative, purpose) if _keeper is not None else []
