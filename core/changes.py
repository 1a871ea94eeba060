"""Ledger-change notices: a lower app says "this cooperative's figures changed", a higher app listens.

Services that write ledgers (vouchers posted, shares confirmed or withdrawn, members admitted or
leaving, collective income recorded) call ``cooperative_changed(cooperative_id)``. Listeners run
after the transaction commits (nothing happens on a rollback); the statistics snapshots register
one that marks the cooperative dirty and recomputes it in a background task. Explicit calls, not
Django signals, so the path from a write to its consequences can be read in the code.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from contextlib import contextmanager

from django.db import transaction

logger = logging.getLogger(__name__)
_listeners: dict[str, Callable[[int], None]] = {}
_state = threading.local()


@contextmanager
def quiet():
    """Within this block, in this thread, listeners are not told: for a job that computes what they
    would itself, afterwards (the demo seeds every statistics snapshot at its end)."""
    previous = getattr(_state, "quiet", False)
    _state.quiet = True
    try:
        yield
    finally:
        _state.quiet = previous


def register(key: str, listener: Callable[[int], None]) -> None:
    _listeners[key] = listener


class _Notice:
    """One on-commit callback per cooperative and transaction, however many rows were written."""

    def __init__(self, cooperative_id: int):
        self.cooperative_id = cooperative_id

    def __call__(self) -> None:
        for key, listener in list(_listeners.items()):
            try:
                listener(self.cooperative_id)
            except Exception:  # the next listeners still run; the nightly refresh catches up
                logger.exception(
                    "core.changes.listener_failed", extra={"listener": key, "cooperative_id": self.cooperative_id}
                )


def cooperative_changed(cooperative_id: int | None) -> None:
    """Tell the listeners, once the current transaction has committed, that a cooperative changed."""
    if cooperative_id is None or not _listeners or getattr(_state, "quiet", False):
        return
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
        getattr(entry[1], "cooperative_id", None) == cooperative_id for entry in connection.run_on_commit
    ):
        return
    # robust: the change is committed whatever a listener does; a listener that fails (a deadlock,
    # the broker down) is logged and never turns the caller's committed write into an error
    transaction.on_commit(_Notice(cooperative_id), robust=True)
