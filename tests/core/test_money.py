"""Money helpers: quantisation and the largest-remainder split (hand-computed cases + properties)."""

import itertools
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.money import allocate, money


def test_money_rounds_half_up_to_the_fen():
    assert money("2.345") == Decimal("2.35")
    assert money("2.344") == Decimal("2.34")
    assert money("-2.345") == Decimal("-2.35")  # half up = away from zero, as in accounting
    assert money(7) == Decimal("7.00")


def test_money_refuses_float():
    with pytest.raises(TypeError):
        money(0.1)


def test_three_equal_shares_of_100_yuan():
    # 10000 fen / 3 = 3333.33… each; floors 3333 × 3 = 9999; the 1 fen left goes to the first key
    # (all remainders equal 1/3, ties by order)
    assert allocate(Decimal("100.00"), {"a": 1, "b": 1, "c": 1}) == {
        "a": Decimal("33.34"),
        "b": Decimal("33.33"),
        "c": Decimal("33.33"),
    }


def test_largest_remainder_goes_to_the_largest_fraction():
    # 1.00 yuan = 100 fen over weights 1:2:3 (sum 6): exact 16.67, 33.33, 50.00 fen
    # floors 16, 33, 50 = 99; remainders .67, .33, .00 → the 1 fen left goes to "x"
    assert allocate(Decimal("1.00"), {"x": 1, "y": 2, "z": 3}) == {
        "x": Decimal("0.17"),
        "y": Decimal("0.33"),
        "z": Decimal("0.50"),
    }


def test_tie_order_is_explicit():
    result = allocate(Decimal("0.01"), {"m1": 1, "m2": 1}, order=["m2", "m1"])
    assert result == {"m2": Decimal("0.01"), "m1": Decimal("0.00")}


def test_zero_weights_get_nothing_and_zero_total_is_fine():
    assert allocate(Decimal("10.00"), {"a": 0, "b": 5}) == {"a": Decimal("0.00"), "b": Decimal("10.00")}
    assert allocate(Decimal("0"), {"a": 1}) == {"a": Decimal("0.00")}
    with pytest.raises(ValueError):
        allocate(Decimal("1.00"), {"a": 0})
    with pytest.raises(ValueError):
        allocate(Decimal("-1.00"), {"a": 1})


weights = st.dictionaries(
    st.integers(min_value=1, max_value=500),
    st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False, allow_infinity=False),
    min_size=1,
    max_size=40,
).filter(lambda w: sum(w.values()) > 0)
totals = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)


@given(total=totals, w=weights)
def test_parts_add_up_exactly_and_are_never_negative(total, w):
    parts = allocate(total, w)
    assert sum(parts.values()) == money(total)
    assert all(p >= 0 for p in parts.values())
    assert set(parts) == set(w)


@given(total=totals, w=weights)
def test_parts_are_monotone_in_weight(total, w):
    parts = allocate(total, w)
    keys = sorted(w, key=lambda k: w[k])
    for small, large in itertools.pairwise(keys):
        if w[small] < w[large]:
            assert parts[small] <= parts[large]


@given(total=totals, w=weights)
def test_each_part_is_within_one_fen_of_the_exact_share(total, w):
    parts = allocate(total, w)
    weight_sum = sum(w.values())
    for k, part in parts.items():
        exact = money(total) * w[k] / weight_sum
        assert abs(part - exact) < Decimal("0.01")
