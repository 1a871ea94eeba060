"""Posting never reports a failure after it committed (issue: hardening, finding 3).

The statistics listener runs once the voucher is committed. When it failed (a deadlock with the
background refresh on the snapshot rows), the error reached the caller: the voucher was posted but
the user saw 500, and a retry booked nothing new only by luck. Now a listener's failure is logged,
and every writer of the snapshot rows takes them in one order.
"""

import datetime

import pytest
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext

from core import changes
from supervision.models import StatisticsSnapshot
from supervision.services.statistics import cooperative_mark_dirty, cooperative_refresh, snapshot_compute
from tests.finance.factories import voucher


@pytest.fixture
def api(api_client, world):
    api_client.force_authenticate(world.acc_v11)
    return api_client


@pytest.fixture
def failing_listener():
    calls = []

    def deadlock(cooperative_id):
        calls.append(cooperative_id)
        raise OperationalError("deadlock detected")

    changes.register("tests.deadlock", deadlock)
    yield calls
    changes._listeners.pop("tests.deadlock", None)


def test_a_failing_listener_after_commit_does_not_turn_the_post_into_an_error(
    api, books, acc, failing_listener, django_capture_on_commit_callbacks, caplog
):
    draft = voucher(
        acc, books, datetime.date(2026, 1, 5), "零售苹果", ("101", "100.00", "0"), ("501", "0", "100.00"), post=False
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"/api/v1/finance/vouchers/{draft.pk}/post/")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "posted" and response.json()["display_number"] == "记-0001"
    assert failing_listener == [books.pk]  # it ran, failed, and was logged
    assert any(r.message == "core.changes.listener_failed" for r in caplog.records)
    # posting it again is refused as already posted, not booked twice
    again = api.post(f"/api/v1/finance/vouchers/{draft.pk}/post/")
    assert again.status_code == 409


def test_the_other_listeners_still_run_when_one_fails(books, failing_listener, django_capture_on_commit_callbacks):
    told = []
    changes.register("tests.after", told.append)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            changes.cooperative_changed(books.pk)
    finally:
        changes._listeners.pop("tests.after", None)
    assert failing_listener == [books.pk] and told == [books.pk]


def _locks(queries) -> list[str]:
    return [q["sql"] for q in queries if "FOR UPDATE" in q["sql"]]


def test_marking_dirty_and_the_refresh_lock_the_snapshot_rows_in_one_order(books):
    for quarter in (4, 3, 1, 2):  # rows created out of order
        snapshot_compute(cooperative=books, year=2026, quarter=quarter)
    with CaptureQueriesContext(connection) as marking:
        cooperative_mark_dirty(books.pk)
    with CaptureQueriesContext(connection) as refreshing:
        cooperative_refresh(cooperative_id=books.pk, today=datetime.date(2026, 12, 7))
    for queries in (marking.captured_queries, refreshing.captured_queries):
        locks = _locks(queries)
        # first all the cooperative's rows, then all the village's, each in id order, before any
        # update (the refresh's update_or_create then locks rows it already holds)
        assert "supervision_statisticssnapshot" in locks[0] and "ORDER BY 1 ASC" in locks[0]
        assert "supervision_villagesnapshot" in locks[1] and "ORDER BY 1 ASC" in locks[1]
        first_update = next(i for i, q in enumerate(queries) if q["sql"].startswith("UPDATE"))
        second_lock = [i for i, q in enumerate(queries) if "FOR UPDATE" in q["sql"]][1]
        assert first_update > second_lock
    assert not StatisticsSnapshot.objects.filter(cooperative=books, dirty=True).exists()
