"""Money helpers. Money is Decimal with two places (yuan and fen), rounded ROUND_HALF_UP.

Pro-rata splits use the largest-remainder method, so the parts always add up to the whole.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal

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
    parts = allocate_fen(fen_of(total), whole_weights([weights[k] for k in keys]))
    return {k: yuan(part) for k, part in zip(keys, parts, strict=True)}


def fen_of(amount: Decimal) -> int:
    """A money amount (two places) as whole fen."""
    return int(money(amount).scaleb(2))


def yuan(fen: int) -> Decimal:
    """Whole fen as a money amount (two places)."""
    return Decimal(fen).scaleb(-2)


def whole_weights(weights: Sequence[Decimal | int]) -> list[int]:
    """Weights as whole numbers in the same proportions (decimals scaled by one power of ten, so
    exactly), zero for a weight that is not positive."""
    exact = [w if isinstance(w, int) else Decimal(w) for w in weights]
    places = max([0, *(-w.as_tuple().exponent for w in exact if isinstance(w, Decimal) and w > 0)])
    scale = 10**places
    return [(int(w.scaleb(places)) if isinstance(w, Decimal) else w * scale) if w > 0 else 0 for w in exact]


def allocate_fen(total_fen: int, weights: Sequence[int]) -> list[int]:
    """``allocate`` in integers: ``total_fen`` split over whole-number ``weights``, ties to the
    earlier position. Returns the parts in the order of ``weights``.

    The exact share total_fen × w / Σw has the floor total_fen × w div Σw and the remainder
    (total_fen × w mod Σw) / Σw; every remainder has the denominator Σw, so the integer numerators
    rank them exactly. Each is packed with its position into one integer, (Σw − numerator) × n +
    position, whose ascending order is the largest remainder first, ties by position.
    """
    if total_fen < 0:
        raise ValueError("cannot allocate a negative total")
    weight_sum = sum(w for w in weights if w > 0)
    if not weight_sum:
        if total_fen:
            raise ValueError("cannot allocate a non-zero total over zero weights")
        return [0] * len(weights)
    n = len(weights)
    parts = [0] * n
    ranked = []
    for i, w in enumerate(weights):
        if w > 0:
            parts[i], numerator = divmod(total_fen * w, weight_sum)
            ranked.append((weight_sum - numerator) * n + i)
    ranked.sort()
    for packed in ranked[: total_fen - sum(parts)]:
        parts[packed % n] += 1
    return parts
