"""Hypothesis: any sequence of ledger operations keeps every holding equal to the sum of its entries
and never below zero (DESIGN.md "Ledgers")."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.exceptions import BusinessError
from shares.models import Holding, ShareEntry
from shares.services import (
    contribution_create,
    contributions_confirm,
    entry_reverse,
    share_gift,
    share_transfer,
    share_withdrawal_apply,
    share_withdrawal_execute,
)
from tests.members.factories import CollectiveFactory, MemberFactory

amounts = st.integers(min_value=1, max_value=300_000).map(lambda fen: Decimal(fen) / 100)
people = st.integers(min_value=0, max_value=3)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("subscribe"), people, amounts),
        st.tuples(st.just("transfer"), people, people, amounts, st.booleans()),
        st.tuples(st.just("withdraw"), people, amounts),
        st.tuples(st.just("gift"), people, amounts),
        st.tuples(st.just("reverse"), st.integers(min_value=0, max_value=50)),
    ),
    min_size=1,
    max_size=12,
)


@pytest.fixture
def cast(coop, use_profile):
    use_profile("off")  # the ledger's own rules only: the structure rules are tested elsewhere
    return [
        CollectiveFactory(cooperative=coop),
        MemberFactory(cooperative=coop, name="甲", is_branch_member=True),
        MemberFactory(cooperative=coop, name="乙"),
        MemberFactory(cooperative=coop, name="丙", is_poverty_registered=True, vulnerability="elderly_alone"),
    ]


def _apply(op, cast, actor):
    kind = op[0]
    if kind == "subscribe":
        member, amount = cast[op[1]], op[2]
        extra = {"kind": "cash"}
        if member.kind == "collective":
            extra = {"kind": "collective_assets", "appraiser": "评估", "appraisal_date": datetime.date(2021, 1, 1)}
        c = contribution_create(actor=actor, member=member, amount=amount, **extra)
        contributions_confirm(actor=actor, cooperative=member.cooperative, contributions=[c])
    elif kind == "transfer":
        source, target, amount, collective = cast[op[1]], cast[op[2]], op[3], op[4]
        share_transfer(
            actor=actor,
            source=source,
            target=target,
            share_class="collective" if collective else "ordinary",
            amount=amount,
        )
    elif kind == "withdraw":
        w = share_withdrawal_apply(actor=actor, member=cast[op[1]], amount=op[2], applied_on=datetime.date(2021, 3, 1))
        share_withdrawal_execute(actor=actor, withdrawal=w)
    elif kind == "gift":
        source = cast[op[1]]
        share_gift(
            actor=actor,
            source=source,
            target=cast[3],
            share_class="collective" if source.kind == "collective" else "ordinary",
            amount=op[2],
        )
    elif kind == "reverse":
        entries = list(ShareEntry.objects.order_by("pk").values_list("pk", flat=True))
        if entries:
            entry = ShareEntry.objects.get(pk=entries[op[1] % len(entries)])
            entry_reverse(actor=actor, entry=entry, reason="冲正")


def _assert_ledger_invariants():
    sums = {
        (r["member_id"], r["share_class"]): r["total"]
        for r in ShareEntry.objects.values("member_id", "share_class").annotate(total=Sum("amount")).order_by()
    }
    holdings = {(h.member_id, h.share_class): h.amount for h in Holding.objects.all()}
    for key, amount in holdings.items():
        assert amount >= 0, key
        assert amount == sums.get(key, Decimal("0.00")), key
    for key, total in sums.items():
        assert holdings.get(key) == total, key
    # every entry's balance_after is the running sum of its holding's entries
    running: dict = {}
    for e in ShareEntry.objects.order_by("pk"):
        key = (e.member_id, e.share_class)
        running[key] = running.get(key, Decimal("0.00")) + e.amount
        assert e.balance_after == running[key] >= 0


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=operations)
def test_any_sequence_of_ledger_operations_keeps_holdings_equal_to_their_entries(cast, acc, ops):
    with transaction.atomic():
        for op in ops:
            try:
                with transaction.atomic():
                    _apply(op, cast, acc)
            except BusinessError:
                pass  # a refused operation writes nothing; the invariants must still hold
            _assert_ledger_invariants()
        transaction.set_rollback(True)  # the next example starts from an empty ledger
