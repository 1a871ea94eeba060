"""Fixtures for the shares tests: a cooperative in 东安村 (386 households) with the county's profile."""

from decimal import Decimal

import pytest

from core.models import CountyPolicy, PolicyProfile
from core.policies import ensure_templates
from tests.conftest import fresh
from tests.factories import CooperativeFactory


@pytest.fixture
def profiles(db):
    ensure_templates()  # transactional tests flush the shipped templates; bring them back


@pytest.fixture
def use_profile(world, profiles):
    """``use_profile("seed-004")``: county A (沂水县) applies that profile."""

    def _use(code: str):
        if code == "off":  # every rule off: for building a structure that breaks rules on purpose
            profile, _ = PolicyProfile.objects.get_or_create(code="test-off", defaults={"name": "all rules off"})
        else:
            profile = PolicyProfile.objects.get(code=code)
        CountyPolicy.objects.update_or_create(county=world.county_a, defaults={"profile": profile})
        return profile

    return _use


@pytest.fixture
def coop(world, profiles):
    return CooperativeFactory(name="东安村富民合作社", village=world.v11, status="operating")


@pytest.fixture
def acc(world):
    return fresh(world.acc_v11)


def subscribe(actor, holdings: dict, kind_for=None):
    """Confirm founding contributions together: ``{member: amount}`` (cash; collective assets for the
    collective). Returns the PostResult."""
    from shares.services import contribution_create, contributions_confirm

    rows = []
    for member, amount in holdings.items():
        kind = "collective_assets" if member.kind == "collective" else "cash"
        if kind_for:
            kind = kind_for.get(member, kind)
        extra = {"appraiser": "县农经站", "appraisal_date": member.joined_on} if kind == "collective_assets" else {}
        rows.append(contribution_create(actor=actor, member=member, kind=kind, amount=Decimal(amount), **extra))
    return contributions_confirm(actor=actor, cooperative=rows[0].cooperative, contributions=rows)
