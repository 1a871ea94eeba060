"""Factories of supervision rows (snapshots are normally computed; tests and benchmarks make them directly)."""

import datetime

import factory
from factory.django import DjangoModelFactory

from tests.factories import CooperativeFactory, UserFactory


class StatisticsSnapshotFactory(DjangoModelFactory):
    class Meta:
        model = "supervision.StatisticsSnapshot"

    cooperative = factory.SubFactory(CooperativeFactory, status="operating")
    region_code = factory.LazyAttribute(lambda o: o.cooperative.region_code)
    year = 2026
    quarter = 3
    period_end = datetime.date(2026, 9, 30)
    is_branch_led = True
    members = 10
    member_households = 10
    village_households = 100


class VillageSnapshotFactory(DjangoModelFactory):
    class Meta:
        model = "supervision.VillageSnapshot"

    region_code = factory.LazyAttribute(lambda o: o.village.code)
    year = 2026
    quarter = 3
    period_end = datetime.date(2026, 9, 30)
    households = factory.LazyAttribute(lambda o: o.village.households)


class PairingFactory(DjangoModelFactory):
    class Meta:
        model = "supervision.Pairing"

    kind = "county_leader"
    region_code = factory.LazyAttribute(lambda o: o.village.code)
    helper = factory.Sequence(lambda n: f"县委常委{n}")
    started_on = datetime.date(2026, 2, 1)
    created_by = factory.SubFactory(UserFactory)
