"""The statements, computed from their layouts (``finance.charts``) by the formula language.

For each column the engine gathers what the layout's terms need with at most four aggregates:
balances per leaf account and member at the column's date (with the opening balances), opening
balances per account, movements per account over the column's months (closing transfers
excluded, period-end transfers apart), and — for terms with a counterpart condition — one
aggregate with an EXISTS per condition. Then every line is a sum of terms; ``L7`` lines resolve
in order.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, F, OuterRef, Q, Sum
from django.utils.translation import gettext as _

from core.exceptions import BusinessError
from core.money import ZERO
from finance import formulas
from finance.choices import StatementBasis, VoucherKind
from finance.models import Account, FiscalYear, OpeningBalance, Period, StatementTemplate, VoucherLine
from finance.selectors.ledgers import LedgerRange, books_of


@dataclass
class Column:
    key: str
    label: str
    fiscal_year: FiscalYear | None
    period_from: int = 1
    period_to: int = 12
    opening_only: bool = False


@dataclass
class StatementLine:
    number: int | None
    label: str
    side: str
    style: str
    values: list[Decimal | None]

    def as_dict(self, columns) -> dict:
        return {
            "line": self.number,
            "label": self.label,
            "side": self.side,
            "style": self.style,
            "values": {c.key: v for c, v in zip(columns, self.values, strict=False)},
        }


@dataclass
class Statement:
    template: StatementTemplate
    cooperative: object
    range: LedgerRange
    columns: list[Column]
    lines: list[StatementLine]
    unmapped: list[tuple[str, str, Decimal]] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.template.title

    @property
    def form_no(self) -> str:
        return self.template.form_no

    @property
    def basis(self) -> str:
        return self.template.basis

    def line(self, number: int) -> StatementLine:
        for line in self.lines:
            if line.number == number:
                return line
        raise KeyError(number)

    def value(self, number: int, column: int = 0) -> Decimal | None:
        return self.line(number).values[column]

    def halves(self) -> list[tuple[StatementLine | None, StatementLine | None]]:
        """The balance sheet's two halves side by side (assets left, liabilities and equity right)."""
        left = [line for line in self.lines if line.side == "L"]
        right = [line for line in self.lines if line.side == "R"]
        size = max(len(left), len(right))
        left += [None] * (size - len(left))
        right += [None] * (size - len(right))
        return list(zip(left, right, strict=True))

    def as_dict(self) -> dict:
        return {
            "key": self.template.key,
            "title": self.title,
            "form_no": self.form_no,
            "cooperative": self.cooperative.name,
            "unit": "元",
            "range": self.range.as_dict(),
            "columns": [{"key": c.key, "label": c.label} for c in self.columns],
            "lines": [line.as_dict(self.columns) for line in self.lines],
            "unmapped": [{"code": c, "name": n, "balance": b} for c, n, b in self.unmapped],
        }


class _Figures:
    """What one column's terms need, fetched by grouped aggregates and kept by leaf account."""

    def __init__(self, cooperative_id: int, accounts: list[Account], column: Column, terms: list[formulas.Term]):
        self.cooperative_id = cooperative_id
        self.accounts = accounts
        self.column = column
        self.codes = {a.pk: a.code for a in accounts}
        self.balances: dict[tuple[int, int | None], Decimal] = {}
        self.opening: dict[int, Decimal] = defaultdict(lambda: ZERO)
        self.moves: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
        self.conditional: dict[formulas.Term, Decimal] = {}
        fy = column.fiscal_year
        if fy is None:
            return
        self.period_ids = dict(Period.objects.filter(fiscal_year=fy).values_list("number", "pk"))
        fns = {t.fn for t in terms}
        if fns & {"bal", "baldr", "balcr"}:
            self._balances(fy)
        if "open" in fns:
            for item in (
                OpeningBalance.objects.filter(fiscal_year=fy).values("account_id").annotate(t=Sum("amount")).order_by()
            ):
                self.opening[item["account_id"]] += item["t"]
        plain = [t for t in terms if t.fn in formulas.MOVEMENT_FUNCTIONS and t.condition is None]
        if plain:
            self._moves(any(t.period_close_only for t in plain))
        conditional = [t for t in terms if t.fn in formulas.MOVEMENT_FUNCTIONS and t.condition is not None]
        if conditional:
            self._conditional(conditional)

    def _ids(self, first: int, last: int) -> list[int]:
        return [pk for number, pk in self.period_ids.items() if first <= number <= last]

    def ids_for(self, prefix: str) -> list[int]:
        return [pk for pk, code in self.codes.items() if code.startswith(prefix)]

    def _balances(self, fy: FiscalYear) -> None:
        totals: dict[tuple[int, int | None], Decimal] = defaultdict(lambda: ZERO)
        for item in (
            OpeningBalance.objects.filter(fiscal_year=fy)
            .values("account_id", "member_id")
            .annotate(t=Sum("amount"))
            .order_by()
        ):
            totals[(item["account_id"], item["member_id"])] += item["t"]
        if not self.column.opening_only:
            for item in (
                VoucherLine.objects.filter(
                    cooperative_id=self.cooperative_id,
                    is_posted=True,
                    period_id__in=self._ids(1, self.column.period_to),
                )
                .values("account_id", "member_id")
                .annotate(t=Sum(F("debit") - F("credit")))
                .order_by()
            ):
                totals[(item["account_id"], item["member_id"])] += item["t"]
        self.balances = dict(totals)

    def _lines(self):
        return VoucherLine.objects.filter(
            cooperative_id=self.cooperative_id,
            is_posted=True,
            period_id__in=self._ids(self.column.period_from, self.column.period_to),
        )

    def _moves(self, period_close: bool) -> None:
        aggregates = {
            "dr": Sum("debit", filter=Q(is_closing=False)),
            "cr": Sum("credit", filter=Q(is_closing=False)),
        }
        if period_close:
            aggregates["dr_pc"] = Sum("debit", filter=Q(voucher__kind=VoucherKind.PERIOD_CLOSE))
            aggregates["cr_pc"] = Sum("credit", filter=Q(voucher__kind=VoucherKind.PERIOD_CLOSE))
        for item in self._lines().values("account_id").annotate(**aggregates).order_by():
            for key in aggregates:
                self.moves[item["account_id"]][key] = item[key] or ZERO

    def _condition_q(self, condition: formulas.Condition) -> Q:
        q = Q(pk__in=[])
        for side, code in condition.sides_codes:
            nonzero = ~Q(debit=0) if side == "dr" else ~Q(credit=0)
            q |= nonzero & Q(account_id__in=self.ids_for(code))
        return q

    def _conditional(self, terms: list[formulas.Term]) -> None:
        conditions = {t.condition.key: t.condition for t in terms}
        names = {key: f"has_{i}" for i, key in enumerate(sorted(conditions))}
        qs = (
            self._lines()
            .filter(is_closing=False)
            .annotate(
                **{
                    names[key]: Exists(
                        VoucherLine.objects.filter(voucher_id=OuterRef("voucher_id")).filter(self._condition_q(cond))
                    )
                    for key, cond in conditions.items()
                }
            )
        )
        aggregates = {}
        for i, term in enumerate(terms):
            column = "debit" if term.fn == "dr" else "credit"
            has = Q(**{names[term.condition.key]: not term.condition.negate})
            aggregates[f"t{i}"] = Sum(column, filter=Q(account_id__in=self.ids_for(term.code)) & has)
        result = qs.aggregate(**aggregates)
        for i, term in enumerate(terms):
            self.conditional[term] = result[f"t{i}"] or ZERO

    def term(self, term: formulas.Term) -> Decimal:
        prefix = term.code
        if term.fn == "bal":
            return sum((v for (a, _m), v in self.balances.items() if self.codes[a].startswith(prefix)), ZERO)
        if term.fn == "baldr":
            return sum((v for (a, _m), v in self.balances.items() if self.codes[a].startswith(prefix) and v > 0), ZERO)
        if term.fn == "balcr":
            return sum((v for (a, _m), v in self.balances.items() if self.codes[a].startswith(prefix) and v < 0), ZERO)
        if term.fn == "open":
            return sum((v for a, v in self.opening.items() if self.codes[a].startswith(prefix)), ZERO)
        if term.condition is not None:
            return self.conditional[term]
        key = term.fn + ("_pc" if term.period_close_only else "")
        return sum((m[key] for a, m in self.moves.items() if self.codes[a].startswith(prefix)), ZERO)


class _Column:
    """Evaluates one column's formulas; a line reference (``L15``) resolves on demand, so a total
    may name lines below it (the equity statement's 本年减少数 sums its 其中 rows)."""

    def __init__(self, figures: _Figures, formulas_by_line: dict[int, list[formulas.Term]]):
        self.figures = figures
        self.by_line = formulas_by_line
        self.values: dict[int, Decimal] = {}
        self.busy: set[int] = set()

    def line(self, number: int) -> Decimal:
        if number in self.values:
            return self.values[number]
        if number in self.busy:
            raise formulas.FormulaError(f"line {number} refers to itself")
        self.busy.add(number)
        value = self.evaluate(self.by_line.get(number, []))
        self.busy.discard(number)
        self.values[number] = value
        return value

    def evaluate(self, terms: list[formulas.Term]) -> Decimal:
        total = ZERO
        for term in terms:
            value = self.line(term.line) if term.fn == "line" else self.figures.term(term)
            total += term.sign * value
        return total


def available(cooperative) -> list[StatementTemplate]:
    books = books_of(cooperative)
    if books is None:
        return []
    return list(StatementTemplate.objects.filter(template=books.chart).order_by("order"))


def statement(cooperative, key: str, rng: LedgerRange) -> Statement:
    """Compute statement ``key`` of the cooperative's chart for ``rng``."""
    books = books_of(cooperative)
    if books is None:
        raise BusinessError(_("The books of this cooperative are not open yet."), code="books_not_open")
    template = StatementTemplate.objects.filter(template=books.chart, key=key).first()
    if template is None:
        raise BusinessError(_("This chart of accounts has no such statement."), code="no_statement")
    layout = list(template.lines.order_by("order"))
    accounts = list(Account.objects.filter(cooperative=cooperative).order_by("code"))
    fy = rng.fiscal_year
    if template.basis == StatementBasis.BALANCE:
        columns = [
            Column("closing", template.columns[0]["label"], fy, 1, rng.period_to),
            Column("opening", template.columns[1]["label"], fy, 1, 1, opening_only=True),
        ]
    elif template.basis == StatementBasis.MOVEMENT:
        previous = FiscalYear.objects.filter(cooperative=cooperative, year=fy.year - 1).first()
        columns = [
            Column("current", template.columns[0]["label"], fy, rng.period_from, rng.period_to),
            Column("previous", template.columns[1]["label"], previous, 1, 12),
        ]
    else:
        columns = [Column(c["key"], c["label"], fy, rng.period_from, rng.period_to) for c in template.columns]
    lines = [StatementLine(row.number, row.label, row.side, row.style, []) for row in layout]
    if template.basis == StatementBasis.MATRIX:
        parsed = [{k: formulas.parse(v) for k, v in row.cells.items()} for row in layout]
        every_term = [t for cells in parsed for terms in cells.values() for t in terms]
        figures = _Figures(cooperative.pk, accounts, columns[0], every_term)
        for column in columns:
            evaluator = _Column(
                figures,
                {
                    row.number: cells[column.key]
                    for row, cells in zip(layout, parsed, strict=True)
                    if column.key in cells
                },
            )
            for row, cells, line in zip(layout, parsed, lines, strict=True):
                if column.key not in cells:
                    line.values.append(None)
                elif row.number is not None:
                    line.values.append(evaluator.line(row.number))
                else:
                    line.values.append(evaluator.evaluate(cells[column.key]))
        total = Column("total", "合计", fy)
        for line in lines:
            present = [v for v in line.values if v is not None]
            line.values.append(sum(present, ZERO) if present else None)
        columns.append(total)
    unmapped: list[tuple[str, str, Decimal]] = []
    if template.basis != StatementBasis.MATRIX:
        parsed_lines = [formulas.parse(row.formula) for row in layout]
        every_term = [t for terms in parsed_lines for t in terms]
        for column in columns:
            if column.fiscal_year is None:
                for line in lines:
                    line.values.append(None)
                continue
            figures = _Figures(cooperative.pk, accounts, column, every_term)
            evaluator = _Column(
                figures,
                {row.number: terms for row, terms in zip(layout, parsed_lines, strict=True) if row.number is not None},
            )
            for row, terms, line in zip(layout, parsed_lines, lines, strict=True):
                if not row.formula:
                    line.values.append(None)
                elif row.number is not None:
                    line.values.append(evaluator.line(row.number))
                else:
                    line.values.append(evaluator.evaluate(terms))
            if column.key == "closing":
                unmapped = _unmapped(figures, parsed_lines)
    result = Statement(template, cooperative, rng, columns, lines)
    if template.basis == StatementBasis.BALANCE:
        result.unmapped = unmapped
    return result


def _unmapped(figures: _Figures, parsed_lines) -> list[tuple[str, str, Decimal]]:
    """Accounts with a balance that no line of the balance sheet shows (e.g. 181 not yet processed)."""
    prefixes = {t.code for terms in parsed_lines for t in terms if t.fn in formulas.BALANCE_FUNCTIONS}
    totals: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for (account_id, _member), value in figures.balances.items():
        totals[account_id] += value
    names = {a.pk: a for a in figures.accounts}
    return [
        (names[a].code, names[a].name, v)
        for a, v in sorted(totals.items(), key=lambda kv: names[kv[0]].code)
        if v and not any(names[a].code.startswith(p) for p in prefixes)
    ]
