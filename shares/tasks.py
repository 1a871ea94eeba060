"""Background jobs of the shares app."""

from __future__ import annotations

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="shares.import_roster", acks_late=True, max_retries=0)
def import_roster(batch_id: int, actor_id: int) -> str:
    """Import a large roster workbook (the page polls its progress).

    Idempotent: a finished batch is left alone; a batch whose worker died while writing is simply
    run again, since its rows are written in one transaction that was rolled back.
    """
    from core.models import User
    from shares.models import ImportBatch
    from shares.services.imports import import_run

    batch = ImportBatch.objects.select_related("cooperative__village").filter(pk=batch_id).first()
    if batch is None or batch.is_finished:
        return batch.state if batch else "missing"
    actor = User.objects.get(pk=actor_id)
    batch = import_run(actor=actor, batch=batch)
    return batch.state
