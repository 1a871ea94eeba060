"""Background jobs of supervision: statistics refresh (on change and nightly) and bulletins."""

from __future__ import annotations

import logging

from celery import shared_task
from django.core.cache import cache

from supervision.tasks_oversight import (  # noqa: F401 - disclosures and alerts, registered here
    alerts_evaluate_cooperative,
    alerts_nightly,
    alerts_on_change,
    disclosure_generate,
    disclosures_quarter_end,
)

logger = logging.getLogger(__name__)

REFRESH_PENDING = "supervision:refresh:{}"


@shared_task(name="supervision.refresh_cooperative", acks_late=True, max_retries=3, default_retry_delay=60)
def refresh_cooperative(cooperative_id: int) -> int:
    """Recompute one cooperative's dirty snapshots (idempotent: snapshots are overwritten)."""
    from supervision.services.statistics import cooperative_refresh

    cache.delete(REFRESH_PENDING.format(cooperative_id))
    return cooperative_refresh(cooperative_id=cooperative_id)


@shared_task(name="supervision.refresh_all", acks_late=True, max_retries=1)
def refresh_all() -> int:
    """Nightly: every cooperative's and village's current quarter and year."""
    from supervision.services.statistics import snapshots_refresh_all

    return snapshots_refresh_all()


@shared_task(name="supervision.bulletins", acks_late=True, max_retries=3, default_retry_delay=300)
def bulletins(kind: str) -> list[int]:
    """The bulletins of ``kind`` due today, one per county (idempotent per county and period)."""
    from core.choices import RegionLevel
    from core.models import Region
    from supervision.services.bulletins import bulletin_generate

    # unscoped: every county gets its bulletin
    return [bulletin_generate(county=c, kind=kind).pk for c in Region.objects.filter(level=RegionLevel.COUNTY)]


def on_cooperative_changed(cooperative_id: int) -> None:
    """Listener of ``core.changes``: mark dirty now, recompute once in the background.

    A burst of writes (a roster import, a month of vouchers) enqueues one task: the pending key
    is set for a minute and cleared when the task starts.
    """
    from supervision.services.statistics import cooperative_mark_dirty

    cooperative_mark_dirty(cooperative_id)
    try:
        if cache.add(REFRESH_PENDING.format(cooperative_id), 1, timeout=60):
            refresh_cooperative.delay(cooperative_id)
    except Exception:  # broker or cache down: the rows stay dirty and the nightly run recomputes them
        logger.warning("supervision.refresh.not_queued", extra={"cooperative_id": cooperative_id}, exc_info=True)


@shared_task(name="supervision.bulletin_for_county", acks_late=True, max_retries=3, default_retry_delay=300)
def bulletin_for_county(county_id: int, kind: str) -> int:
    """One county's bulletin of ``kind`` due today (started from the bulletins page)."""
    from core.models import Region
    from supervision.services.bulletins import bulletin_generate

    return bulletin_generate(county=Region.objects.get(pk=county_id), kind=kind).pk
