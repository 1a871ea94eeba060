"""Kernel background tasks."""

import logging

from celery import shared_task
from django.db import connection

logger = logging.getLogger(__name__)


@shared_task(name="core.heartbeat", acks_late=True)
def heartbeat() -> bool:
    """Beat's liveness check: proves the worker reaches the database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        ok = cursor.fetchone() == (1,)
    logger.info("core.heartbeat", extra={"database": ok})
    return ok


LAST_LEDGER_CHECK = "core.ledgers.last_check"


@shared_task(name="core.check_ledgers", acks_late=True)
def check_ledgers() -> dict:
    """Nightly: run every ledger check; on drift log an error and mail the admins.

    Read-only, so running it twice is harmless. The outcome is kept in the cache under
    ``LAST_LEDGER_CHECK`` (when, ok, the drift lines) for the operators' pages and health checks.
    """
    from django.core.cache import cache
    from django.core.mail import mail_admins
    from django.utils import timezone

    from core.ledger_checks import run_all

    results = run_all()  # unscoped: a system check over every tenant's ledgers
    drift = [f"[{name}] {line}" for name, result in results.items() for line in result.drift]
    outcome = {"at": timezone.now().isoformat(), "ok": not drift, "problems": len(drift), "drift": drift[:200]}
    cache.set(LAST_LEDGER_CHECK, outcome, timeout=None)
    if drift:
        logger.error("core.ledgers.drift", extra={"problems": len(drift), "first": drift[:20]})
        mail_admins(
            f"check_ledgers: {len(drift)} problem(s)",
            "\n".join(drift[:200]) + "\n\nRun `python manage.py check_ledgers` for the full report.",
        )
    else:
        logger.info("core.ledgers.ok", extra={"checks": len(results)})
    return outcome
