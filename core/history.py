"""Change history for business rows, kept by PostgreSQL triggers (django-pghistory).

``@tracked()`` on a model records every insert, update and delete with the row before/after and
the request context (user, IP, URL) that ``core.middleware.HistoryContextMiddleware`` attaches.
Triggers see bulk updates and raw SQL too, which signal-based history would miss.
"""

import pghistory


def tracked(**kwargs):
    """Track inserts, updates and deletes of a model (fresh tracker instances per model)."""
    return pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(), **kwargs)


def tracked_in_bulk(**kwargs):
    """``tracked`` for tables written thousands of rows at a time (voucher lines, member-account
    entries, payouts): one history insert per statement, over the statement's transition tables,
    with the request context attached once per statement instead of once per row. The events
    recorded are the same."""
    return tracked(level=pghistory.Statement, **kwargs)
