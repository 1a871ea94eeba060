"""A Celery worker killed in the middle of a roster import: the message is delivered again
(``acks_late`` + ``reject_on_worker_lost``), and the redelivered task imports the workbook exactly once.

The worker is a real separate process that runs the task body against the test database and dies
with ``os._exit`` after writing households and members but before its transaction commits;
PostgreSQL rolls the open transaction back when the connection drops.
"""

import os
import subprocess
import sys
import textwrap

import pytest
from django.conf import settings
from django.db import connection

from config.celery import app
from members.models import Household, Member
from shares.choices import ImportState
from shares.models import Contribution, ImportBatch
from shares.tasks import import_roster
from tests.concurrency import run_at_once
from tests.shares.workbooks import person_rows, workbook

pytestmark = pytest.mark.django_db(transaction=True)

ROWS = 30


@pytest.fixture
def queued_batch(coop, acc, monkeypatch):
    """A stored batch of 30 rows whose task was queued but not yet run."""
    from shares.services import imports

    monkeypatch.setattr(imports, "ASYNC_ROWS", 1)
    monkeypatch.setattr(import_roster, "delay", lambda *args: None)
    batch = imports.import_start(actor=acc, cooperative=coop, file=workbook(person_rows(ROWS)))
    assert batch.state == ImportState.PENDING
    return batch


def _database_url() -> str:
    """The test database as a URL for the worker process; a socket directory (the embedded
    PostgreSQL) goes before the name in the path, the form django-environ reads as a socket."""
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    host = s["HOST"] or "127.0.0.1"
    if host.startswith("/"):
        return f"postgres://{auth}@/{host}/{s['NAME']}"
    return f"postgres://{auth}@{host}:{s['PORT'] or 5432}/{s['NAME']}"


WORKER = textwrap.dedent(
    """
    import os, sys
    import django
    django.setup()
    from members.models import Member
    from shares.models import Contribution
    from shares.tasks import import_roster

    real = Contribution.objects.bulk_create

    def die(objs, *args, **kwargs):
        # households and members are written in the open transaction: the worker dies now
        assert Member.objects.count() > 0
        os._exit(9)

    Contribution.objects.bulk_create = die
    import_roster.run(int(sys.argv[1]), int(sys.argv[2]))
    """
)


def test_celery_writes_acknowledge_late_and_requeue_when_the_worker_dies():
    assert app.conf.task_acks_late is True and app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1
    assert import_roster.acks_late is True and import_roster.reject_on_worker_lost is True


def test_a_worker_killed_mid_import_leaves_nothing_and_the_redelivery_imports_once(queued_batch, acc):
    # given a worker process that dies after writing households and members, before committing
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    env.pop("TEST_DB_NAME", None)
    died = subprocess.run(  # our own interpreter and script
        [sys.executable, "-c", WORKER, str(queued_batch.pk), str(acc.pk)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        timeout=120,
    )
    assert died.returncode == 9, died.stderr.decode()[-2000:]

    # then nothing of its transaction is visible, and the batch is not finished (it may run again)
    assert (Member.objects.count(), Household.objects.count(), Contribution.objects.count()) == (0, 0, 0)
    queued_batch.refresh_from_db()
    assert not queued_batch.is_finished

    # when the broker delivers the message again, then the workbook is imported once: 30 of each
    assert import_roster.apply(args=(queued_batch.pk, acc.pk)).get() == ImportState.DONE
    assert (Member.objects.count(), Household.objects.count(), Contribution.objects.count()) == (ROWS, ROWS, ROWS)

    # and a further duplicate delivery changes nothing
    assert import_roster.apply(args=(queued_batch.pk, acc.pk)).get() == ImportState.DONE
    assert Member.objects.count() == ROWS


def test_two_deliveries_of_one_import_at_the_same_moment_import_once(queued_batch, acc):
    results = []
    outcomes = run_at_once(lambda: results.append(import_roster.run(queued_batch.pk, acc.pk)), [()] * 2)
    assert outcomes == ["ok", "ok"]
    # one ran it; the other found it running (session lock) or already done
    assert sorted(results) in (["done", "running"], ["done", "done"])
    assert (Member.objects.count(), Contribution.objects.count()) == (ROWS, ROWS)
    assert ImportBatch.objects.get().state == ImportState.DONE


def test_an_import_run_again_after_it_finished_writes_nothing(queued_batch, acc):
    from shares.services.imports import import_run

    import_run(actor=acc, batch=queued_batch)
    again = import_run(actor=acc, batch=ImportBatch.objects.get(pk=queued_batch.pk))
    assert again.state == ImportState.DONE
    assert Member.objects.count() == ROWS
