"""Kernel background tasks."""

import logging

from celery import shared_task
from django.db import OperationalError, connection

from core.exceptions import WebhookError

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


# -- notifications (core.services.notifications) ----------------------------------------------------
# Sent after the commit of the event that caused them; a failed delivery is retried with growing
# pauses (1 s, 2 s, 4 s … up to 10 minutes, with jitter) and never reaches the request.
DELIVERY_RETRY = {
    "acks_late": True,
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 6,
}


# smtplib's errors and refused or timed-out connections are all OSError
DELIVERY_ERRORS = (WebhookError, OSError, OperationalError)


@shared_task(name="core.notifications.deliver_email", autoretry_for=DELIVERY_ERRORS, **DELIVERY_RETRY)
def deliver_email(notification_id: int) -> bool:
    """Mail one notification to its recipient (skipped once mailed or read, or if they chose otherwise)."""
    from core.services.notifications import email_send

    return email_send(notification_id=notification_id)


@shared_task(name="core.notifications.deliver_webhook", autoretry_for=DELIVERY_ERRORS, **DELIVERY_RETRY)
def deliver_webhook(delivery_id: int) -> bool:
    """Post one event to one group robot (skipped once sent)."""
    from core.services.notifications import webhook_deliver

    return webhook_deliver(delivery_id=delivery_id)


@shared_task(name="core.notifications.deliver_digest", autoretry_for=DELIVERY_ERRORS, **DELIVERY_RETRY)
def deliver_digest(user_id: int) -> bool:
    from core.services.notifications import digest_send

    return digest_send(user_id=user_id)


@shared_task(name="core.notifications.send_digests", acks_late=True)
def send_digests() -> int:
    """Daily (beat): one digest mail per user who chose it and has unread notifications not yet
    mailed; each user's mail is its own task, so one bad address delays no one else."""
    from core.services.notifications import digest_recipients

    users = digest_recipients()
    for user_id in users:
        deliver_digest.delay(user_id)
    logger.info("core.notifications.digests", extra={"users": len(users)})
    return len(users)
