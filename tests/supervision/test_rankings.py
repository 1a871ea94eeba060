"""Rankings of the "四比四看" contest: score, ties (competition ranking) and rank change."""

from decimal import Decimal

import pytest

from supervision.services.rankings import Unit, area_ranking, cooperative_ranking, rank, with_change
from tests.factories import CooperativeFactory
from tests.supervision.factories import StatisticsSnapshotFactory, VillageSnapshotFactory

pytestmark = pytest.mark.django_db

EQUAL = {"scale": Decimal("0.25"), "income": Decimal("0.25"), "models": Decimal("0.25"), "innovation": Decimal("0.25")}


def _unit(key, code, scale, income, models, innovation):
    comps = {
        "scale": Decimal(scale),
        "income": Decimal(income),
        "models": Decimal(models),
        "innovation": Decimal(innovation),
    }
    return Unit(key=key, code=code, name=key, components=comps, income=Decimal(income))


def test_equal_scores_share_a_rank_and_the_next_is_skipped():
    # A and B are best on every part: 100 each → score 100; C is half on every part → 50.
    units = [
        _unit("C", "371323104203", "0.05", "50000", "5", "5"),
        _unit("B", "371323104202", "0.10", "100000", "10", "10"),
        _unit("A", "371323104201", "0.10", "100000", "10", "10"),
    ]
    ranked = rank(units, EQUAL)
    # competition ranking 1, 1, 3; A before B by region code (same score, same income)
    assert [(r.unit.key, r.rank, r.score, r.tied) for r in ranked] == [
        ("A", 1, Decimal("100.00"), True),
        ("B", 1, Decimal("100.00"), True),
        ("C", 3, Decimal("50.00"), False),
    ]


def test_tied_units_are_listed_by_higher_income():
    # P: scale 100, income 50,000/100,000 = 50, models 100, innovation 100 → (100+50+100+100)/4 = 87.50
    # Q: scale 0.05/0.10 = 50, income 100, models 100, innovation 100 → 87.50: tied; Q earns more → first
    units = [
        _unit("P", "371323104201", "0.10", "50000", "10", "10"),
        _unit("Q", "371323104202", "0.05", "100000", "10", "10"),
    ]
    ranked = rank(units, EQUAL)
    assert [(r.unit.key, r.rank, r.score) for r in ranked] == [("Q", 1, Decimal("87.50")), ("P", 1, Decimal("87.50"))]


def test_weights_change_the_order():
    # income-only weights: Q (100,000) beats P (50,000); scale-only: P (0.10) beats Q (0.05)
    units = [
        _unit("P", "371323104201", "0.10", "50000", "10", "10"),
        _unit("Q", "371323104202", "0.05", "100000", "10", "10"),
    ]
    zero = dict.fromkeys(EQUAL, Decimal(0))
    assert [r.unit.key for r in rank(units, {**zero, "income": Decimal(1)})] == ["Q", "P"]
    assert [r.unit.key for r in rank(units, {**zero, "scale": Decimal(1)})] == ["P", "Q"]


def test_all_zero_parts_score_zero_and_tie():
    ranked = rank([_unit("A", "1", "0", "0", "0", "0"), _unit("B", "2", "0", "0", "0", "0")], EQUAL)
    assert [(r.rank, r.score) for r in ranked] == [(1, Decimal("0.00")), (1, Decimal("0.00"))]


def test_rank_change_is_previous_minus_current():
    previous = rank([_unit("A", "1", "0.05", "1", "1", "1"), _unit("B", "2", "0.10", "2", "2", "2")], EQUAL)
    current = rank(
        [
            _unit("A", "1", "0.10", "2", "2", "2"),
            _unit("B", "2", "0.05", "1", "1", "1"),
            _unit("N", "3", "0", "0", "0", "0"),
        ],
        EQUAL,
    )
    with_change(current, previous)
    # A was 2nd, now 1st → +1; B was 1st, now 2nd → −1; N is new → no change shown
    assert [(r.unit.key, r.rank, r.previous_rank, r.change) for r in current] == [
        ("A", 1, 2, 1),
        ("B", 2, 1, -1),
        ("N", 3, None, None),
    ]


def test_cooperative_ranking_from_snapshots_with_change(world):
    # given: two cooperatives; in Q2 Y (income 50,000) led X (10,000); in Q3 X earns 200,000
    x = CooperativeFactory(name="X社", village=world.v11, status="operating")
    y = CooperativeFactory(name="Y社", village=world.v12, status="operating")
    for coop, q2, q3 in ((x, "10000", "200000"), (y, "50000", "60000")):
        StatisticsSnapshotFactory(cooperative=coop, quarter=2, collective_income=Decimal(q2))
        StatisticsSnapshotFactory(cooperative=coop, quarter=3, collective_income=Decimal(q3))
    # when
    ranked = cooperative_ranking(world.county_a_off, "371323", 2026, 3, EQUAL)
    # then: scale 10/100 both (100), models and innovation 0 for both (0);
    # Q3: X income 100 → (100+100)/4 = 50.00; Y 60,000/200,000 = 30 → (100+30)/4 = 32.50
    assert [(r.unit.name, r.rank, r.score, r.change) for r in ranked] == [
        ("X社", 1, Decimal("50.00"), 1),
        ("Y社", 2, Decimal("32.50"), -1),
    ]


def test_township_ranking_from_village_snapshots(world):
    # 许家湖镇: 东安村 386 households, 西岭村 412; 院东头镇: 北岭村 530
    VillageSnapshotFactory(village=world.v11, member_households=100, collective_income=Decimal("300000"))
    VillageSnapshotFactory(village=world.v12, member_households=98, collective_income=Decimal("100000"))
    VillageSnapshotFactory(village=world.v21, member_households=53, collective_income=Decimal("300000"))
    names = {world.t1.code: world.t1.name, world.t2.code: world.t2.name}
    ranked = area_ranking(world.county_a_off, "371323", 9, 2026, 3, names, EQUAL)
    # T1: scale (100+98)/(386+412) = 198/798 = 0.2481; income (300,000+100,000)/2 = 200,000
    # T2: scale 53/530 = 0.1000; income 300,000
    # scaled: T1 scale 100, income 200,000/300,000 = 66.67; T2 scale 0.1/0.2481 = 40.31, income 100
    # no cooperatives: models and innovation 0 → T1 (100 + 66.67)/4 = 41.67; T2 (40.31 + 100)/4 = 35.08
    assert [(r.unit.name, r.rank, r.score) for r in ranked] == [
        ("许家湖镇", 1, Decimal("41.67")),
        ("院东头镇", 2, Decimal("35.08")),
    ]
