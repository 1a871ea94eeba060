"""Background jobs of the shares app."""

from __future__ import annotations

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="shares.import_roster", acks_late=True, reject_on_worker_lost=True, max_retries=0)
def import_roster(batch_id: int, actor_id: int) -> str:
    """Import a large roster workbook (the page polls its progress).

    Safe to kill and to deliver twice (``acks_late`` + ``reject_on_worker_lost``: a worker that dies
    mid-task leaves the message to be delivered again). The batch id is the idempotency key: a
    finished batch is left alone; a second delivery while the first still runs finds the batch's
    session lock taken and stops; a batch whose worker died while writing is simply run again,
    since its rows and its DONE state are written in one transaction that was rolled back.
    """
    from core.locks import try_advisory_lock
    from core.models import User
    from shares.models import ImportBatch
    from shares.services.imports import IMPORT_LOCK, import_run

    with try_advisory_lock(f"{IMPORT_LOCK}.task", batch_id) as free:
        if not free:
            logger.info("shares.import.already_running", extra={"batch_id": batch_id})
            return "running"
        batch = ImportBatch.objects.select_related("cooperative__village").filter(pk=batch_id).first()
        if batch is None or batch.is_finished:
            return batch.state if batch else "missing"
        actor = User.objects.get(pk=actor_id)
        batch = import_run(actor=actor, batch=batch)
        return batch.state
