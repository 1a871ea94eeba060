"""Assistance pairings (DOMAIN.md 1.4, seed 004): recorded by oversight, shown on the cooperative page."""

import datetime

import pytest

from core.exceptions import BusinessError, StateConflict
from supervision.services.pairings import pairing_create, pairing_end, pairing_summary, pairing_visit_record
from tests.conftest import fresh
from tests.factories import CooperativeFactory

pytestmark = pytest.mark.django_db
START = datetime.date(2026, 2, 1)


def test_one_plus_n_names_both_cooperatives(world):
    strong = CooperativeFactory(name="强社", village=world.v11, status="operating")
    weak = CooperativeFactory(name="弱社", village=world.v12, status="operating")
    with pytest.raises(BusinessError):
        pairing_create(actor=fresh(world.twp_t1), kind="strong_weak", village=world.v12, helper="", started_on=START)
    pairing = pairing_create(
        actor=fresh(world.twp_t1),
        kind="strong_weak",
        village=world.v12,
        cooperative=weak,
        helper_cooperative=strong,
        helper="",
        started_on=START,
    )
    assert pairing.helper == "强社" and pairing.region_code == world.v12.code


def test_township_cannot_pair_a_village_of_another_township(world):
    from django.http import Http404

    with pytest.raises(Http404):
        pairing_create(
            actor=fresh(world.twp_t2), kind="enterprise", village=world.v11, helper="某公司", started_on=START
        )


def test_visits_and_summary(world, client):
    coop = CooperativeFactory(name="东安村社", village=world.v11, status="operating")
    pairing = pairing_create(
        actor=fresh(world.county_a_off),
        kind="county_leader",
        village=world.v11,
        helper="县委常委 刘洪涛",
        started_on=START,
    )
    pairing_visit_record(
        actor=fresh(world.twp_t1),
        pairing=pairing,
        visited_on=datetime.date(2026, 5, 12),
        visitor="刘洪涛",
        content="调研",
        outcome="列入项目库",
    )
    with pytest.raises(BusinessError):
        pairing_visit_record(
            actor=fresh(world.twp_t1), pairing=pairing, visited_on=datetime.date(2026, 1, 1), visitor="x", content="y"
        )
    summary = pairing_summary(fresh(world.county_a_off), "371323")
    assert [(s["kind"], s["n_pairings"], s["n_visits"]) for s in summary] == [("county_leader", 1, 1)]
    # shown on the cooperative page of the village
    client.force_login(world.acc_v11)
    page = client.get(coop.get_absolute_url()).content.decode()
    assert "县委常委 刘洪涛" in page and "列入项目库" in page
    # ended pairings take no more visits
    pairing_end(actor=fresh(world.twp_t1), pairing=pairing, ended_on=datetime.date(2026, 6, 1))
    pairing.refresh_from_db()
    with pytest.raises(StateConflict):
        pairing_visit_record(
            actor=fresh(world.twp_t1), pairing=pairing, visited_on=datetime.date(2026, 7, 1), visitor="x", content="y"
        )


def test_pages(world, client):
    client.force_login(world.twp_t1)
    response = client.post(
        "/supervision/pairings/new/",
        {"kind": "enterprise", "village": world.v11.pk, "helper": "沂蒙山果业", "started_on": "2026-02-01"},
    )
    assert response.status_code == 302
    assert "沂蒙山果业" in client.get("/supervision/pairings/").content.decode()
    client.force_login(world.twp_t2)
    assert "沂蒙山果业" not in client.get("/supervision/pairings/").content.decode()
