"""Running the same work in several threads at the same moment, each on its own database connection
(for ``@pytest.mark.django_db(transaction=True)`` tests against the real PostgreSQL).

The pattern for any service that must not double or lose work under concurrent callers (voucher
posting, share transfers, a distribution plan's execution): the service locks the row it changes
with ``select_for_update`` and re-checks its state after the lock, so the second caller sees the
first one's result; the test starts N callers behind a barrier and checks that exactly the expected
number succeeded and that the totals add up.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connection

from core.exceptions import BusinessError


def run_at_once(work: Callable[..., object], calls: list[tuple], *, timeout: float = 30) -> list[str]:
    """Call ``work(*args)`` for every ``args`` in ``calls``, all released at once by a barrier.

    Returns one outcome per call, sorted: "ok", a BusinessError's code, or the repr of any other
    exception (which a test should then fail on). Each thread closes its connection.
    """
    barrier = threading.Barrier(len(calls))
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(args: tuple) -> None:
        try:
            barrier.wait(timeout=10)
            work(*args)
            outcome = "ok"
        except BusinessError as exc:
            outcome = exc.code
        except Exception as exc:  # any other failure is reported to the test
            outcome = repr(exc)
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=(args,)) for args in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not any(t.is_alive() for t in threads), "a thread is still waiting (deadlock?)"
    return sorted(outcomes)
