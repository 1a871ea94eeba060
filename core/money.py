"""Money helpers. Money is Decimal with two places (yuan and fen), rounded ROUND_HALF_UP.

Pro-rata splits use the largest-remainder method, so the parts always add up to the whole.
Every number that enters (a page's form field, an API field, a JSON number) passes one rule,
``plain_decimal``: plain digits only.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

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


# -- the one rule for a decimal that enters the system ------------------------------------------------

# ASCII digits only: Python's \d and Decimal() also take full-width and other scripts' digits
_PLAIN = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_GROUPED = re.compile(r"-?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?")
MAX_DECIMAL_TEXT = 100  # far longer than any amount; a longer text is refused before it is read


def plain_decimal_message(*, grouped: bool = False) -> str:
    """What a person is told when a number is not plain (in the active language)."""
    if grouped:
        return _(
            "Write a plain number such as 1234.50 or 1,234.50: digits, a minus sign in front if needed, a decimal "
            "point, commas only between groups of three digits (no exponent, full-width digits or other signs)."
        )
    return _(
        "Write a plain number such as 1234.50: digits, a minus sign in front if needed and a decimal point "
        "(no exponent, full-width digits or other signs)."
    )


def plain_decimal(value, *, grouped: bool = False) -> Decimal:
    """The one rule for a number that enters Lingban (money, and every rate, weight, area or quantity):
    an optional leading "-", ASCII digits, and optionally "." followed by digits — ``1234.50``, ``-3.10``,
    ``0``. Refused: exponents (``1e5``, ``1E+5``), full-width or other scripts' digits (``１２３``),
    ``NaN`` and ``Infinity``, a leading "+", underscores (``1_000``), a bare ``.5`` or ``5.``, and
    everything else ``Decimal()`` would also have taken. Surrounding spaces are removed first.

    ``grouped`` (the pages, where people type): thousands separators are also read, but only in
    their correct place — ``1,234,567.89``, never ``1,23`` or ``12,34.5``. The API takes none.

    ``value`` may be text, a whole number, a ``Decimal`` made by the program (finite), or a float
    from a JSON body (``core.api.parsers.JSONNumber`` keeps the text it was written as, so ``1e5``
    sent as a JSON number is refused too). Raises ``ValidationError`` (code ``plain_decimal``).
    """
    if isinstance(value, Decimal):
        if value.is_finite():
            return value
        raise ValidationError(plain_decimal_message(grouped=grouped), code="plain_decimal")
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    if isinstance(value, float):
        text = getattr(value, "literal", None) or repr(value)
    elif isinstance(value, str):
        text = value.strip()
    else:
        raise ValidationError(plain_decimal_message(grouped=grouped), code="plain_decimal")
    if len(text) <= MAX_DECIMAL_TEXT:
        if _PLAIN.fullmatch(text):
            return Decimal(text)
        if grouped and _GROUPED.fullmatch(text):
            return Decimal(text.replace(",", ""))
    raise ValidationError(plain_decimal_message(grouped=grouped), code="plain_decimal")


def plain_text(value: Decimal) -> str:
    """A Decimal written back as plain digits (``0E-8`` → ``0.00000000``, ``1E+5`` → ``100000``), so
    that what a form shows passes ``plain_decimal`` when it is sent back unchanged."""
    return format(value, "f")


_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_PLACES = ((1000, "仟"), (100, "佰"), (10, "拾"), (1, ""))


def _capital_group(group: int) -> str:
    """1..9999 in capitals, one 零 for any run of inner zeros, none for trailing ones."""
    out, zero = "", False
    for place, unit in _PLACES:
        digit = group // place % 10
        if digit == 0:
            zero = bool(out)
            continue
        if zero:
            out, zero = out + "零", False
        out += _DIGITS[digit] + unit
    return out


def _capital_yuan(yuan: int) -> str:
    groups = []
    while yuan:
        yuan, group = divmod(yuan, 10000)
        groups.append(group)
    out, skipped = "", False
    for index in reversed(range(len(groups))):
        group = groups[index]
        if group == 0:
            skipped = True
            continue
        if out and (skipped or group < 1000):
            out += "零"
        unit = ("", "万", "亿", "万")[index]
        if index == 3 and groups[2] == 0:
            unit = "万亿"
        out += _capital_group(group) + unit
        skipped = False
    return out


def chinese_capitals(amount) -> str:
    """An amount in Chinese capitals as written on vouchers and payout slips (会计基础工作规范
    第五十二条): 3,560.00 → 叁仟伍佰陆拾元整, 1,680.32 → 壹仟陆佰捌拾元零叁角贰分.

    One 零 for a run of zeros (10,010.00 → 壹万零壹拾元整) and for a zero 元 place before 角 or
    分 (100.07 → 壹佰元零柒分); 整 after an amount that ends at 元 or 角, none after 分."""
    amount = money(amount)
    sign = "负" if amount < 0 else ""
    yuan, rest = divmod(fen_of(abs(amount)), 100)
    jiao, fen = divmod(rest, 10)
    if not yuan and not rest:
        return "零元整"
    out = _capital_yuan(yuan) + "元" if yuan else ""
    if jiao:
        if yuan and yuan % 10 == 0:
            out += "零"
        out += _DIGITS[jiao] + "角"
    elif yuan and fen:
        out += "零"
    out += _DIGITS[fen] + "分" if fen else "整"
    return sign + out
