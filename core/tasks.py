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
