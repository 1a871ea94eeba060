"""The ranking computed by PostgreSQL equals the rule stated in Python (``rankings.rank``): scores,
competition ranks, ties, listing order and rank change, over generated units; and a page of the
cooperative ranking is the same slice of the whole list."""

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from supervision.services.rankings import COMPONENTS, Unit, cooperative_ranking, rank, ranked_rows, with_change
from tests.factories import CooperativeFactory, RegionFactory
from tests.supervision.factories import StatisticsSnapshotFactory

pytestmark = pytest.mark.django_db

# few distinct values, so that equal parts, equal scores and equal incomes come up often
SCALES = st.sampled_from([Decimal(v) for v in ("0", "0.0003", "0.0006", "0.1", "0.1250", "0.3333", "0.5", "1")])
INCOMES = st.sampled_from([Decimal(v) for v in ("-100.00", "0", "0.03", "3.00", "50000.00", "99999.99", "100000.00")])
POINTS = st.integers(min_value=0, max_value=7)
WEIGHTS = st.sampled_from([Decimal(v) for v in ("0", "0.1", "0.25", "0.3", "0.3333", "0.5", "1")])


@st.composite
def lists(draw):
    """Units of this period and, for some of the same keys and a few others, of the one before."""

    def unit(key):
        parts = {"scale": draw(SCALES), "income": draw(INCOMES), "models": draw(POINTS), "innovation": draw(POINTS)}
        return Unit(key=key, code=f"3713231042{key:02d}", name=str(key), components=parts, income=parts["income"])

    keys = draw(st.lists(st.integers(min_value=1, max_value=40), min_size=1, max_size=12, unique=True))
    before = draw(st.lists(st.integers(min_value=1, max_value=40), max_size=12, unique=True))
    weights = dict(zip(COMPONENTS, (draw(WEIGHTS) for _ in COMPONENTS), strict=True))
    return [unit(k) for k in keys], [unit(k) for k in before], weights


def _units_sql(current: list[Unit], previous: list[Unit]) -> tuple[str, tuple]:
    rows, params = [], []
    for is_current, units in ((True, current), (False, previous)):
        for u in units:
            rows.append("(%s, %s, %s, %s::numeric, %s::numeric, %s::numeric, %s::numeric)")
            params += [u.key, u.code, is_current, *(u.components[c] for c in COMPONENTS)]
    columns = "key, code, is_current, scale, income, models, innovation"
    sql = f"SELECT * FROM (VALUES {', '.join(rows)}) AS unit ({columns})"  # noqa: S608 — placeholders only
    return sql, tuple(params)


@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(lists())
def test_sql_ranking_equals_the_python_rule(data):
    current, previous, weights = data
    expected = with_change(rank(current, weights), rank(previous, weights))
    got = ranked_rows(_units_sql(current, previous), weights, None)
    assert [(r["key"], r["rank"], r["score"], r["tied"], r["previous_rank"]) for r in got] == [
        (r.unit.key, r.rank, r.score, r.tied, r.previous_rank) for r in expected
    ]
    assert all(r["best_" + c] == expected[0].maxima[c] for r in got for c in COMPONENTS)


@settings(max_examples=30, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(lists(), st.integers(min_value=0, max_value=12), st.integers(min_value=0, max_value=12))
def test_a_slice_is_the_same_rows_of_the_whole_list(data, offset, limit):
    current, previous, weights = data
    units = _units_sql(current, previous)
    whole = ranked_rows(units, weights, None)
    assert ranked_rows(units, weights, limit, offset) == whole[offset : offset + limit]


def test_a_ranking_page_of_cooperatives(world, client):
    # 12 cooperatives of 许家湖镇 with incomes 1,000 … 12,000: ranked by income, best first
    for i in range(12):
        village = RegionFactory(code=f"371323104{600 + i}", level="village", parent=world.t1, households=100)
        coop = CooperativeFactory(name=f"社{i}", village=village, status="operating")
        StatisticsSnapshotFactory(cooperative=coop, collective_income=Decimal(1000 * (i + 1)))
    ranking = cooperative_ranking(world.county_a_off, "371323", 2026, 3)
    assert ranking.count() == 12
    assert [r.unit.name for r in ranking[10:]] == ["社1", "社0"]
    assert [r.rank for r in ranking[3:5]] == [4, 5]
    client.force_login(world.county_a_off)
    page = client.get("/supervision/rankings/", {"period": "2026Q3", "page": 2}).context["page_obj"]
    assert page.paginator.count == 12 and page.number == 1  # one page of 50: page 2 falls back to the last
    api = client.get("/api/v1/supervision/rankings/", {"period": "2026Q3"}).json()
    assert (api["cooperatives_count"], api["pages"], len(api["cooperatives"])) == (12, 1, 12)
    assert api["cooperatives"][0]["name"] == "社11"
