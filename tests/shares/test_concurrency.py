"""Two accountants transferring from the same holder at the same moment never overdraw it
(real PostgreSQL, real transactions, two threads with their own connections)."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from core.exceptions import BusinessError
from shares.models import Holding, ShareEntry
from shares.services import share_transfer
from tests.concurrency import run_at_once
from tests.conftest import fresh
from tests.members.factories import CollectiveFactory, MemberFactory
from tests.shares.conftest import subscribe

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_transfers_from_one_holder_never_overdraw(world, coop, use_profile):
    use_profile("off")
    acc = fresh(world.acc_v11)
    collective = CollectiveFactory(cooperative=coop)
    source, a, b = (MemberFactory(cooperative=coop, name=n) for n in ("源", "甲", "乙"))
    subscribe(acc, {collective: "1000", source: "100", a: "100", b: "100"})

    for _round in range(3):
        held = Holding.objects.get(member=source, share_class="ordinary").amount
        amount = (held * Decimal("0.6")).quantize(Decimal("0.01"))  # two of these would overdraw
        barrier = threading.Barrier(2)
        outcomes = []

        def transfer(target, amount=amount, barrier=barrier, outcomes=outcomes):
            try:
                barrier.wait(timeout=10)
                share_transfer(
                    actor=fresh(world.acc_v11), source=source, target=target, share_class="ordinary", amount=amount
                )
                outcomes.append("ok")
            except BusinessError as exc:
                outcomes.append(exc.code)
            finally:
                connection.close()

        threads = [threading.Thread(target=transfer, args=(t,)) for t in (a, b)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
        assert sorted(outcomes) == ["insufficient_holding", "ok"]
        assert Holding.objects.get(member=source, share_class="ordinary").amount == held - amount
        # give the holder back what moved, for the next round
        receiver = a if Holding.objects.get(member=a, share_class="ordinary").amount > Decimal("100") else b
        share_transfer(actor=acc, source=receiver, target=source, share_class="ordinary", amount=amount)

    total = sum(h.amount for h in Holding.objects.all())
    assert total == Decimal("1300.00")
    assert all(h.amount >= 0 for h in Holding.objects.all())
    assert ShareEntry.objects.filter(entry_type="transfer").count() == 3 * 4


def test_six_simultaneous_transfers_of_20_from_a_holding_of_100_leave_it_at_zero_never_below(world, coop, use_profile):
    use_profile("off")
    acc = fresh(world.acc_v11)
    collective = CollectiveFactory(cooperative=coop)
    source = MemberFactory(cooperative=coop, name="源")
    targets = [MemberFactory(cooperative=coop, name=f"受让{i}") for i in range(6)]
    subscribe(acc, {collective: "1000", source: "100", **dict.fromkeys(targets, "10")})

    def transfer(target):
        share_transfer(
            actor=fresh(world.acc_v11), source=source, target=target, share_class="ordinary", amount=Decimal("20")
        )

    outcomes = run_at_once(transfer, [(t,) for t in targets])

    # 100 / 20 = 5 transfers fit; the sixth is refused. Holding 100 - 5 × 20 = 0; the total 1,160.00 is kept
    assert outcomes == ["insufficient_holding"] + ["ok"] * 5
    assert Holding.objects.get(member=source, share_class="ordinary").amount == Decimal("0.00")
    assert sum(h.amount for h in Holding.objects.all()) == Decimal("1160.00")
    assert ShareEntry.objects.filter(entry_type="transfer").count() == 5 * 2
