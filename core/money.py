"""Money helpers. Money is Decimal with two places (yuan and fen), rounded ROUND_HALF_UP.

Pro-rata splits use the largest-remainder method, so the parts always add up to the whole.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")
ZERO = Decimal("0.00")
MONEY = {"max_digits": 18, "decimal_places": 2}
RATIO = {"max_digits": 12, "decimal_places": 8}


def money(value) -> Decimal:
    """Quantize any number (str, int, Decimal) to the fen, half up. Floats are refused."""
    if isinstance(value, float):
        raise TypeError("money must not be built from a float")
    return Decimal(value).quantize(FEN, rounding=ROUND_HALF_UP)


def allocate(total: Decimal, weights: Mapping[Hashable, Decimal | int], *, order: Iterable[Hashable] | None = None):
    """Split ``total`` (in fen) over ``weights`` with the largest-remainder method.

    Every key gets floor(total × w / Σw) fen; the fen left over go one each to the keys with the
    largest remainders. Ties are broken by ``order`` (default: the keys sorted), earliest first.
    Returns a dict key → Decimal amount whose values add up to ``total`` exactly.
    Zero and negative weights receive nothing; a total below zero is refused.
    """
    total = money(total)
    if total < 0:
        raise ValueError("cannot allocate a negative total")
    keys = list(order) if order is not None else sorted(weights)
    positive = {k: Decimal(weights[k]) for k in keys if Decimal(weights[k]) > 0}
    result = dict.fromkeys(keys, ZERO)
    weight_sum = sum(positive.values(), Decimal(0))
    if not positive or total == 0:
        if total and not positive:
            raise ValueError("cannot allocate a non-zero total over zero weights")
        return result
    total_fen = int(total / FEN)
    floors: dict[Hashable, int] = {}
    remainders: dict[Hashable, Decimal] = {}
    for k, w in positive.items():
        exact = Decimal(total_fen) * w / weight_sum
        floor = int(exact.to_integral_value(rounding=ROUND_DOWN))
        floors[k] = floor
        remainders[k] = exact - floor
    left = total_fen - sum(floors.values())
    rank = {k: i for i, k in enumerate(keys)}
    for k in sorted(positive, key=lambda k: (-remainders[k], rank[k]))[:left]:
        floors[k] += 1
    for k, fen in floors.items():
        result[k] = (Decimal(fen) * FEN).quantize(FEN)
    return result
