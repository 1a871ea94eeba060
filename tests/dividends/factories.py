"""Helpers of the dividends tests: a cooperative with the county's share rules off, members and
their holdings written through the share ledger on a given day."""

from __future__ import annotations

import datetime
from decimal import Decimal

from tests.conftest import fresh
from tests.factories import CooperativeFactory
from tests.members.factories import CollectiveFactory, MemberFactory

D = Decimal
START = datetime.date(2025, 1, 1)


def rules_off(world) -> None:
    """County A without share-structure rules, so any test holding is allowed."""
    from core.models import CountyPolicy, PolicyProfile
    from core.policies import ensure_templates
    from dividends.policies import ensure_policies

    ensure_templates()
    ensure_policies()
    off, _ = PolicyProfile.objects.get_or_create(code="test-off", defaults={"name": "all rules off"})
    CountyPolicy.objects.update_or_create(county=world.county_a, defaults={"profile": off})


def cooperative(world, name="东安村富民果品种植专业合作社"):
    rules_off(world)
    return CooperativeFactory(name=name, village=world.v11, status="operating")


def hold(actor, coop, rows, on: datetime.date = START):
    """``rows``: (member, class, amount) written as subscriptions on ``on``."""
    from django.db import transaction

    from shares.choices import EntryType
    from shares.services.ledger import Line, post_lines

    with transaction.atomic():
        post_lines(
            actor=actor,
            cooperative=coop,
            entry_type=EntryType.SUBSCRIBE,
            lines=[Line(member=m, share_class=c, amount=D(a)) for m, c, a in rows],
            effective_on=on,
            refuse_on_compliance=False,
        )


# The worked example of the "217" tests: eight members, a collective share and poverty shares,
# 100,000.00 of capital in all.
WORKED = [
    # number, name, kind, [(class, amount)]
    (1, "东安村股份经济合作社", "collective", [("collective", "30000.00")]),
    (2, "赵德明", "person", [("ordinary", "20000.00")]),
    (3, "孙丽华", "person", [("ordinary", "15000.00")]),
    (4, "周大山", "person", [("ordinary", "10000.00")]),
    (5, "钱永福", "person", [("ordinary", "8000.00")]),
    (6, "李桂英", "poor", [("poverty", "5000.00")]),
    (7, "王小军", "person", [("ordinary", "7000.00")]),
    (8, "陈秀兰", "poor", [("ordinary", "3000.00"), ("poverty", "2000.00")]),
]


def worked_members(world, coop, actor=None):
    """The eight members of ``WORKED`` with their holdings on 1 January 2025; returns number → member."""
    actor = actor or fresh(world.acc_v11)
    members = {}
    rows = []
    for number, name, kind, holdings in WORKED:
        if kind == "collective":
            m = CollectiveFactory(cooperative=coop, number=number, name=name)
        else:
            m = MemberFactory(cooperative=coop, number=number, name=name, is_poverty_registered=kind == "poor")
        members[number] = m
        rows += [(m, cls, amount) for cls, amount in holdings]
    hold(actor, coop, rows)
    return members


def _assembly_recorder(plan):
    """Who records the member assembly's resolution: the chair of the plan's village (a second
    person: whoever recorded the party organisation's steps does not record the vote)."""
    from core.choices import Role
    from core.models import Region, User
    from tests.factories import UserFactory

    code = plan.cooperative.region_code
    chair = User.objects.filter(role_assignments__role=Role.COOP_CHAIR, role_assignments__region__code=code).first()
    return chair or UserFactory(username=f"chair_{code}", roles=[(Role.COOP_CHAIR, Region.objects.get(code=code))])


def assembly(acc, plan, *, votes_for=40):
    """四议两公开 steps 1–4 on the plan's major matter (the assembly: 45 due, 42 present); steps 1–3
    recorded by ``acc``, the assembly's resolution by the village's chair."""
    from cooperatives.services.major_matters import major_matter_record_step

    matter = plan.major_matter
    day = datetime.date(2026, 2, 1)
    chair = _assembly_recorder(plan)
    major_matter_record_step(actor=acc, matter=matter, step=1, held_on=day, minutes="党支部提议")
    for step, expected, present in ((2, 7, 6), (3, 20, 18), (4, 45, 42)):
        major_matter_record_step(
            actor=chair if step == 4 else acc,
            matter=matter,
            step=step,
            held_on=day,
            minutes="会议记录",
            expected_attendance=expected,
            present=present,
            votes_for=votes_for if step == 4 else present,
            votes_against=0,
            votes_abstain=0,
        )


def file_plan(world, plan):
    """A draft plan taken through the chair's check, the assembly and the township's filing."""
    from core.models import ApprovalRequest
    from core.services.approvals import approval_approve
    from dividends.services.plans import plan_check, plan_file, plan_submit

    acc = fresh(world.acc_v11)
    plan_submit(actor=acc, plan=plan)
    plan = plan_check(actor=fresh(world.chair_v11), plan=plan)
    assembly(acc, plan)
    plan_file(actor=acc, plan=plan)
    approval_approve(
        actor=fresh(world.twp_t1), request=ApprovalRequest.objects.get(kind="distribution_plan", subject_id=plan.pk)
    )
    plan.refresh_from_db()
    return plan
