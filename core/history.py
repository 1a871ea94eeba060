"""Change history for business rows, kept by PostgreSQL triggers (django-pghistory).

``@tracked()`` on a model records every insert, update and delete with the row before/after and
the request context (user, IP, URL) that ``core.middleware.HistoryContextMiddleware`` attaches.
Triggers see bulk updates and raw SQL too, which signal-based history would miss.

An event table is read by object (``pgh_obj``: the history of one row) and by context (who, from
where), so those two columns are indexed; the copied foreign keys are not
(``PGHISTORY_FOREIGN_KEY_FIELD`` in the settings). Every index of an event table is written with
every change of a tracked row; at a plan's 16,700 voucher lines the six unread ones cost more
than the lines' own.
"""

import pghistory


def tracked(**kwargs):
    """Track inserts, updates and deletes of a model (fresh tracker instances per model)."""
    kwargs.setdefault("obj_field", pghistory.ObjForeignKey(db_index=True, related_name="events"))
    kwargs.setdefault("context_field", pghistory.ContextForeignKey(db_index=True))
    return pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(), **kwargs)


def tracked_in_bulk(**kwargs):
    """``tracked`` for tables written thousands of rows at a time (voucher lines, member-account
    entries, payouts): one history insert per statement, over the statement's transition tables,
    with the request context attached once per statement instead of once per row. The events
    recorded are the same."""
    return tracked(level=pghistory.Statement, **kwargs)
