"""PostgreSQL advisory locks keyed by a name and a row id, for work that must run once at a time.

``advisory_xact_lock`` serialises writers until the end of the current transaction (use it, then
re-read the state the lock protects). ``try_advisory_lock`` is held by the session: a Celery task
takes it for the whole run, and a second delivery of the same task finds it taken and stops. If the
worker dies, PostgreSQL drops its connection and with it the lock, so a redelivery can run.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection


def _keys(name: str, key: int) -> list:
    return [name, key % 2**31]


def advisory_xact_lock(name: str, key: int) -> None:
    """Wait for, then hold until commit or rollback, the lock on (``name``, ``key``)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s), %s)", _keys(name, key))


@contextmanager
def try_advisory_lock(name: str, key: int) -> Iterator[bool]:
    """Yield whether the session lock on (``name``, ``key``) was free; release it on the way out."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(hashtext(%s), %s)", _keys(name, key))
        taken = cursor.fetchone()[0]
    try:
        yield taken
    finally:
        if taken and connection.connection is not None and not connection.needs_rollback:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(hashtext(%s), %s)", _keys(name, key))
