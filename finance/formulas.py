"""The statement formula language (see ``finance.charts`` for what each function means).

``parse("bal(113)+baldr(114)")`` → ``[Term(+1, "bal", "113"), Term(+1, "baldr", "114")]``. A formula
is a signed sum of terms; a term is a line reference ``L7`` or a function over an account-code
prefix with optional modifiers: ``#pc`` (period-end transfers only) and a counterpart condition
``|dr321,cr301`` (the voucher also has a debit line on 321 or a credit line on 301) or its negation
``|!dr321,cr301``. Parsing is strict: a layout with a typo fails loudly when it is stored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

FUNCTIONS = frozenset({"bal", "baldr", "balcr", "open", "dr", "cr"})
BALANCE_FUNCTIONS = frozenset({"bal", "baldr", "balcr", "open"})
MOVEMENT_FUNCTIONS = frozenset({"dr", "cr"})

_TERM = re.compile(
    r"""\s*(?P<sign>[+-])?\s*(?:
        L(?P<line>\d+)
      | (?P<fn>[a-z]+)\(\s*(?P<code>\d+)(?P<pc>\#pc)?(?:\|(?P<neg>!)?(?P<conds>(?:dr|cr)\d+(?:,(?:dr|cr)\d+)*))?\s*\)
    )\s*""",
    re.VERBOSE,
)


class FormulaError(ValueError):
    pass


@dataclass(frozen=True)
class Condition:
    """The voucher has (or, negated, has none of) a line on one of ``sides_codes``."""

    negate: bool
    sides_codes: tuple[tuple[str, str], ...]

    @property
    def key(self) -> str:
        return ("!" if self.negate else "") + ",".join(f"{s}{c}" for s, c in self.sides_codes)


@dataclass(frozen=True)
class Term:
    sign: int
    fn: str  # "line" or one of FUNCTIONS
    code: str = ""
    line: int = 0
    period_close_only: bool = False
    condition: Condition | None = field(default=None)


def parse(formula: str) -> list[Term]:
    formula = (formula or "").strip()
    terms: list[Term] = []
    pos = 0
    while pos < len(formula):
        m = _TERM.match(formula, pos)
        if not m or m.end() == pos:
            raise FormulaError(f"cannot read {formula[pos:]!r} in {formula!r}")
        if terms and not m.group("sign"):
            raise FormulaError(f"terms must be joined by + or - in {formula!r}")
        sign = -1 if m.group("sign") == "-" else 1
        if m.group("line"):
            terms.append(Term(sign, "line", line=int(m.group("line"))))
        else:
            fn = m.group("fn")
            if fn not in FUNCTIONS:
                raise FormulaError(f"unknown function {fn!r} in {formula!r}")
            condition = None
            if m.group("conds"):
                if fn not in MOVEMENT_FUNCTIONS:
                    raise FormulaError(f"only dr() and cr() take a counterpart condition: {formula!r}")
                pairs = tuple((c[:2], c[2:]) for c in m.group("conds").split(","))
                condition = Condition(bool(m.group("neg")), pairs)
            if m.group("pc") and fn not in MOVEMENT_FUNCTIONS:
                raise FormulaError(f"only dr() and cr() take #pc: {formula!r}")
            terms.append(Term(sign, fn, m.group("code"), 0, bool(m.group("pc")), condition))
        pos = m.end()
    return terms


def account_codes(terms: list[Term]) -> set[str]:
    return {t.code for t in terms if t.fn != "line"}
