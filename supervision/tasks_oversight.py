"""Background jobs of disclosures and risk alerts.

* ``supervision.disclosures_quarter_end`` (beat, first day of each quarter): fans out one
  ``supervision.disclosure_generate`` per cooperative still without the quarter's disclosure. Each
  subtask is idempotent (unique key + get-or-create in one transaction) and ``acks_late``, so a
  worker killed mid-way leaves its message to be delivered again, and re-running the whole job
  creates nothing twice.
* ``supervision.alerts_nightly`` (beat): every rule on every cooperative.
* ``supervision.alerts_on_change`` (beat, every ten minutes): the cooperatives whose books, shares,
  contracts, disclosures or audits changed since the last run.
"""

from __future__ import annotations

import datetime
import logging

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

logger = logging.getLogger(__name__)

RETRY = {"autoretry_for": (OperationalError,), "max_retries": 5, "retry_backoff": True}


def _quarter(year, quarter) -> tuple[int, int]:
    from supervision.services.disclosures import previous_quarter

    if year is None or quarter is None:
        return previous_quarter(timezone.localdate())
    return int(year), int(quarter)


def cooperatives_due(year: int, quarter: int):
    """Cooperatives that disclose (not deregistered) and have no disclosure for the quarter yet."""
    from cooperatives.choices import CooperativeStatus
    from cooperatives.models import Cooperative
    from supervision.models import Disclosure

    done = Disclosure.objects.filter(year=year, quarter=quarter).values("cooperative_id")
    # unscoped: system job over every cooperative
    return (
        Cooperative.objects.exclude(status=CooperativeStatus.DEREGISTERED)
        .exclude(pk__in=done)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


@shared_task(name="supervision.disclosures_quarter_end", acks_late=True, **RETRY)
def disclosures_quarter_end(year: int | None = None, quarter: int | None = None) -> int:
    """Create the quarter's disclosure drafts (default: the quarter that just ended); returns how
    many subtasks were sent."""
    year, quarter = _quarter(year, quarter)
    ids = list(cooperatives_due(year, quarter))
    for cooperative_id in ids:
        disclosure_generate.delay(cooperative_id, year, quarter)
    logger.info("supervision.disclosures.fanned_out", extra={"year": year, "quarter": quarter, "count": len(ids)})
    return len(ids)


_profiles: dict[str, tuple[float, object]] = {}
PROFILE_TTL_S = 60


def _profile(region_code: str):
    """The county's policy profile, kept a minute per worker process (one lookup per county, not
    per cooperative, when a quarter-end run goes through a county's cooperatives)."""
    import time

    from core.policies import policy_for

    county = region_code[:6]
    cached = _profiles.get(county)
    if cached is None or time.monotonic() - cached[0] > PROFILE_TTL_S:
        cached = (time.monotonic(), policy_for(region_code))
        _profiles[county] = cached
    return cached[1]


@shared_task(name="supervision.disclosure_generate", acks_late=True, **RETRY)
def disclosure_generate(cooperative_id: int, year: int, quarter: int) -> bool:
    """One cooperative's quarter disclosure; True if it was created now."""
    from cooperatives.models import Cooperative
    from supervision.services.disclosures import disclosure_generate as generate

    cooperative = Cooperative.objects.filter(pk=cooperative_id).first()  # unscoped: system job
    if cooperative is None:
        return False
    return generate(cooperative=cooperative, year=year, quarter=quarter, profile=_profile(cooperative.region_code))[1]


@shared_task(name="supervision.alerts_evaluate_cooperative", acks_late=True, **RETRY)
def alerts_evaluate_cooperative(cooperative_id: int, today: str | None = None) -> int:
    """Every rule on one cooperative; returns how many alerts fire."""
    from cooperatives.models import Cooperative
    from supervision.services.alerts import alerts_evaluate

    cooperative = Cooperative.objects.select_related("village").filter(pk=cooperative_id).first()  # unscoped
    if cooperative is None:
        return 0
    day = datetime.date.fromisoformat(today) if today else None
    return len(alerts_evaluate(cooperative=cooperative, today=day))


def _run(kind: str, ids) -> int:
    from supervision.models import AlertRun

    run = AlertRun.objects.create(kind=kind, started_at=timezone.now())
    count = 0
    for cooperative_id in ids:
        alerts_evaluate_cooperative.delay(cooperative_id)
        count += 1
    run.finished_at, run.cooperatives = timezone.now(), count
    run.save(update_fields=["finished_at", "cooperatives"])
    return count


@shared_task(name="supervision.alerts_nightly", acks_late=True, **RETRY)
def alerts_nightly() -> int:
    """Every rule on every cooperative that is not deregistered."""
    from cooperatives.choices import CooperativeStatus
    from cooperatives.models import Cooperative

    # unscoped: nightly risk scan
    ids = Cooperative.objects.exclude(status=CooperativeStatus.DEREGISTERED).order_by("pk").values_list("pk", flat=True)
    return _run("nightly", list(ids))


def changed_cooperatives(since) -> set[int]:
    """Cooperatives with a row changed since ``since`` in the tables the rules read."""
    from cooperatives.models import Cooperative
    from finance.models import CollectiveIncome, Contract, Voucher
    from shares.models import Holding, ShareWithdrawal
    from supervision.models import Audit, Disclosure

    ids: set[int] = set()
    for model in (Voucher, Holding, ShareWithdrawal, Contract, Disclosure, Audit):
        ids.update(model.objects.filter(updated_at__gte=since).values_list("cooperative_id", flat=True).distinct())
    villages = CollectiveIncome.objects.filter(updated_at__gte=since).values("village_id")
    ids.update(Cooperative.objects.filter(village_id__in=villages).values_list("pk", flat=True))
    return ids


@shared_task(name="supervision.alerts_on_change", acks_late=True, **RETRY)
def alerts_on_change() -> int:
    """The rules on the cooperatives changed since the last run began (the first run: the last day)."""
    from supervision.models import AlertRun

    last = AlertRun.objects.filter(finished_at__isnull=False).order_by("-started_at").first()
    since = last.started_at if last else timezone.now() - datetime.timedelta(days=1)
    return _run("on_change", sorted(changed_cooperatives(since)))
