"""Dashboards: figures against hand-computed values, jurisdiction, constant query count."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from supervision.services.dashboards import dashboard
from supervision.services.statistics import snapshots_refresh_all
from tests.conftest import fresh
from tests.factories import CooperativeFactory, RegionFactory
from tests.supervision.factories import StatisticsSnapshotFactory

pytestmark = pytest.mark.django_db


def test_county_dashboard_figures(county):
    snapshots_refresh_all(year=2026, quarter=3, prefix="371323")
    board = dashboard(fresh(county.county_a_off), county.county_a, 2026, 3)
    # villages of county A: 东安村, 西岭村, 北岭村; households 386 + 412 + 530 = 1,328
    assert (board["villages"], board["households"]) == (3, 1328)
    # 东安村 and 北岭村 have an operating cooperative: 2 / 3 = 66.7%
    assert board["village"]["covered"] == 2
    assert board["coverage_percent"] == Decimal("66.7")
    # member households 3 + 2 = 5; 5 / 1,328 = 0.376% → 0.4%
    assert board["village"]["member_households"] == 5
    assert board["household_percent"] == Decimal("0.4")
    # collective income 320,000 + 60,000 + 40,000 = 420,000; per village 140,000.00
    assert board["village"]["income"] == Decimal("420000.00")
    assert board["income_per_village"] == Decimal("140000.00")
    # last year 280,000 → growth (420,000 − 280,000) / 280,000 = 50.0%
    assert board["income_growth_percent"] == Decimal("50.0")
    # tiers: 北岭村 40,000 weak; 西岭村 60,000 50–100k; 东安村 320,000 300–500k and reward-eligible
    assert board["weak_villages"] == 1
    assert board["village"]["from_100k"] == 1 and board["tier_100k_percent"] == Decimal("33.3")
    assert board["village"]["reward_eligible"] == 1
    assert board["village"]["strong"] == 0
    # stacked bars: 许家湖镇 (东安村 300k, 西岭村 50–100k), 院东头镇 (北岭村 weak)
    chart = {s["key"]: s["data"] for s in board["tier_chart"]["series"]}
    assert board["tier_chart"]["labels"] == ["许家湖镇", "院东头镇"]
    assert chart["from_300k"] == [1, 0] and chart["below_100k"] == [1, 0] and chart["weak"] == [0, 1]
    # the figures of the other half of supervision read 0 until they are registered
    assert board["figures"]["open_alerts"] == 0
    assert [r.unit.name for r in board["area_ranking"]] == ["许家湖镇", "院东头镇"]


def test_registered_figures_reach_the_dashboard(county):
    from supervision import figures

    figures.register_figure("open_alerts", lambda **kw: 7 if kw["prefix"] == "371323" else 0)
    try:
        board = dashboard(fresh(county.county_a_off), county.county_a, 2026, 3)
    finally:
        figures.unregister_figure("open_alerts")
    assert board["figures"]["open_alerts"] == 7


def test_township_dashboard_shows_nothing_of_another_township(county, client):
    snapshots_refresh_all(year=2026, quarter=3, prefix="371323")
    client.force_login(county.twp_t1)
    page = client.get("/supervision/", {"period": "2026Q3"}).content.decode()
    # 许家湖镇 sees its villages and cooperative …
    assert "东安村富民合作社" in page and "西岭村" in page
    # … and nothing of 院东头镇: neither its village nor its cooperative nor its income
    assert "北岭村" not in page and "北岭村金穗合作社" not in page
    board = dashboard(fresh(county.twp_t1), county.t1, 2026, 3)
    # 320,000 + 60,000 = 380,000: 北岭村's 40,000 is not counted
    assert board["village"]["income"] == Decimal("380000.00")
    assert [r.unit.name for r in board["coop_ranking"]] == ["东安村富民合作社"]
    # asking for the other township is a 404
    assert client.get("/supervision/", {"region": county.t2.code}).status_code == 404


def test_village_dashboard_compares_with_the_township_median(county, client):
    snapshots_refresh_all(year=2026, quarter=3, prefix="371323")
    board = dashboard(fresh(county.acc_v11), county.v11, 2026, 3)
    # township 许家湖镇: 东安村 320,000 and 西岭村 60,000 → median (320,000 + 60,000) / 2 = 190,000
    assert board["median_income"] == Decimal("190000.00")
    assert board["own"].collective_income == Decimal("320000.00")
    client.force_login(county.acc_v11)
    assert client.get("/supervision/", {"period": "2026Q3"}).status_code == 200


def _county_with_cooperatives(world, n):
    for i in range(n):
        village = RegionFactory(code=f"371323104{600 + i}", level="village", parent=world.t1, households=100)
        coop = CooperativeFactory(name=f"社{i}", village=village, status="operating")
        StatisticsSnapshotFactory(cooperative=coop, collective_income=Decimal(1000 * i))
        StatisticsSnapshotFactory(cooperative=coop, quarter=2, collective_income=Decimal(500 * i))


def _queries(client, user):
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/supervision/", {"period": "2026Q3"}).status_code == 200
    return len(ctx.captured_queries)


def test_dashboard_query_count_does_not_grow_with_cooperatives(world, client):
    _county_with_cooperatives(world, 1)
    one = _queries(client, world.county_a_off)
    for i in range(1, 50):
        village = RegionFactory(code=f"371323105{600 + i}", level="village", parent=world.t2, households=100)
        coop = CooperativeFactory(name=f"社B{i}", village=village, status="operating")
        StatisticsSnapshotFactory(cooperative=coop, collective_income=Decimal(1000 * i))
    fifty = _queries(client, world.county_a_off)
    assert one == fifty, (one, fifty)


def test_stake_distribution_counts_each_bucket_once(world):
    # collective ÷ total shares: 5% (< 10%), exactly 10% (10–20%), 39.99% (20–40%), 40% (≥ 40%);
    # a cooperative without share capital is left out
    for i, (total, collective) in enumerate([(100, 5), (100, 10), (10000, 3999), (100, 40), (0, 0)]):
        village = RegionFactory(code=f"371323104{600 + i}", level="village", parent=world.t1, households=100)
        coop = CooperativeFactory(name=f"社{i}", village=village, status="operating")
        StatisticsSnapshotFactory(cooperative=coop, share_total=Decimal(total), share_collective=Decimal(collective))
    board = dashboard(fresh(world.county_a_off), world.county_a, 2026, 3)
    assert [b["value"] for b in board["stake_distribution"]] == [1, 1, 1, 1]
