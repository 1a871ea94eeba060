"""Money helpers: quantisation and the largest-remainder split (hand-computed cases + properties)."""

import itertools
from decimal import Decimal, localcontext

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.money import FEN, allocate, allocate_fen, money


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


def reference_allocate(total, weights, order):
    """The largest-remainder split written out in Decimal, in a context wide enough that nothing is
    rounded: floor(total_fen × w / Σw) each, the remainder kept as the exact numerator
    total_fen × w − floor × Σw, the fen left over to the largest remainders, ties by ``order``."""
    with localcontext() as ctx:
        ctx.prec = 100
        total_fen = money(total) / FEN
        positive = {k: Decimal(weights[k]) for k in order if Decimal(weights[k]) > 0}
        weight_sum = sum(positive.values(), Decimal(0))
        floors, remainders = {}, {}
        for k, w in positive.items():
            floors[k] = (total_fen * w) // weight_sum
            remainders[k] = total_fen * w - floors[k] * weight_sum
        left = int(total_fen - sum(floors.values(), Decimal(0)))
        for k in sorted(positive, key=lambda k: (-remainders[k], order.index(k)))[:left]:
            floors[k] += 1
        return {k: (floors.get(k, Decimal(0)) * FEN).quantize(FEN) for k in order}


# small whole weights tie often; decimals of different places and ints mix in one split
mixed_weights = st.lists(
    st.one_of(
        st.integers(min_value=0, max_value=4),
        st.integers(min_value=0, max_value=10**9),
        st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False, allow_infinity=False),
        st.decimals(min_value=0, max_value=10**5, places=3, allow_nan=False, allow_infinity=False),
        st.sampled_from([Decimal("0.5"), Decimal("1.50"), Decimal("2"), Decimal("0.125")]),
    ),
    min_size=1,
    max_size=40,
).filter(lambda w: sum(w) > 0)


@given(total=totals, w=mixed_weights, data=st.data())
def test_integer_split_equals_the_decimal_reference(total, w, data):
    keys = [f"m{i}" for i in range(len(w))]
    order = data.draw(st.permutations(keys))
    weights = dict(zip(keys, w, strict=True))
    parts = allocate(total, weights, order=order)
    assert parts == reference_allocate(total, weights, order)
    assert all(p.as_tuple().exponent == -2 for p in parts.values())


def test_integer_split_keeps_exact_ties_in_order():
    # 7.98 over 0.5 : 2 : 2 — every exact share has the remainder 2/3 fen; the two fen left go to
    # the first two keys (a division rounded to 28 digits would rank these equal remainders apart)
    assert allocate(Decimal("7.98"), {"a": Decimal("0.5"), "b": Decimal("2"), "c": Decimal("2")}) == {
        "a": Decimal("0.89"),
        "b": Decimal("3.55"),
        "c": Decimal("3.54"),
    }
    assert allocate_fen(798, [1, 4, 4]) == [89, 355, 354]
    assert allocate_fen(0, [0, 0]) == [0, 0]
    with pytest.raises(ValueError):
        allocate_fen(1, [0, -3])
