"""Change history for business rows, kept by PostgreSQL triggers (django-pghistory).

``@tracked()`` on a model records every insert, update and delete with the row before/after and
the request context (user, IP, URL) that ``core.middleware.HistoryContextMiddleware`` attaches.
Triggers see bulk updates and raw SQL too, which signal-based history would miss.
"""

import pghistory


def tracked(**kwargs):
    """Track inserts, updates and deletes of a model (fresh tracker instances per model)."""
    return pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(), **kwargs)
