"""The tie-out: the share register, the member accounts, the payouts and the books tell one story.

DESIGN.md "One ledger". For each cooperative that keeps its books in Lingban, per member and in
total, over the whole life of the books (the first year's opening balances and every posted line):

* ``capital``: the register's capital of each owner = 股金 (301) of that member. Collective shares
  are the village collective's, whoever holds them.
* ``reserve``: each member's quantified reserve share (member account) = their sub-ledger of 盈余
  公积 (322); reserve that belongs to no member yet is a difference (charts that keep reserve shares).
* ``funds``: the quantified shares of subsidy and donation property = 专项基金 (311).
* ``distributed``: what the member accounts say each member was refunded and distributed = what
  the distribution vouchers credited to their payables.
* apps above finance add their own (``register_comparison``): the payouts not yet paid = what the
  payables still owe each member (dividends).

Each comparison is one grouped statement over every cooperative asked for, returning only the
members that differ and a total per cooperative, so a county's tie-out costs a few queries. The
statements' agreement (01表 = 02表 = 03表, assets = liabilities + equity) is computed per
cooperative by ``statements_agree`` from the statements themselves.

``check_ledgers`` (and its nightly run), the books page, the statistics refresh behind the county
dashboard and the takeover all read this one function.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.money import ZERO
from finance.charts import parent_code
from finance.choices import MemberAccountEntryKind as K
from finance.choices import VoucherKind
from finance.models import Account, CooperativeBooks, FiscalYear

LABELS = {
    "capital": gettext_lazy("Share register ↔ capital (股金)"),
    "reserve": gettext_lazy("Reserve shares ↔ reserve (盈余公积)"),
    "funds": gettext_lazy("Quantified subsidy and donation shares ↔ special funds (专项基金)"),
    "distributed": gettext_lazy("Member accounts ↔ refunds and distributions booked"),
    "payouts": gettext_lazy("Payouts not yet paid ↔ what the payables owe"),
    "statements": gettext_lazy("Statements agree (01表 = 02表 = 03表)"),
}
REGISTER_SIDE = {
    "capital": gettext_lazy("share register"),
    "reserve": gettext_lazy("member accounts"),
    "funds": gettext_lazy("quantified shares"),
    "distributed": gettext_lazy("member accounts"),
    "payouts": gettext_lazy("payout list"),
}


@dataclass
class Difference:
    """One member (or, for ``member_id`` None, the part of an account that belongs to no member)
    where the two sides of a comparison differ."""

    check: str
    member_id: int | None
    register: Decimal
    books: Decimal
    member_name: str = ""

    @property
    def amount(self) -> Decimal:
        return self.register - self.books

    @property
    def check_label(self) -> str:
        return LABELS[self.check]

    def describe(self) -> str:
        who = self.member_name or (_("no member") if self.member_id is None else f"#{self.member_id}")
        return _("%(check)s, %(who)s: %(register_side)s %(register)s, books %(books)s, difference %(diff)s") % {
            "check": LABELS[self.check],
            "who": who,
            "register_side": REGISTER_SIDE.get(self.check, _("expected")),
            "register": f"{self.register:,.2f}",
            "books": f"{self.books:,.2f}",
            "diff": f"{self.amount:,.2f}",
        }


@dataclass
class Total:
    register: Decimal = ZERO
    books: Decimal = ZERO

    @property
    def difference(self) -> Decimal:
        return self.register - self.books


@dataclass
class TieOut:
    """One cooperative's tie-out: the totals of each comparison and every difference found."""

    cooperative_id: int
    totals: dict[str, Total] = field(default_factory=dict)
    differences: list[Difference] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # statement disagreements, in words

    @property
    def ok(self) -> bool:
        return not self.differences and not self.notes

    @property
    def problem_count(self) -> int:
        return len(self.differences) + len(self.notes)

    def rows(self) -> list[dict]:
        """The comparisons for a page: label, totals, how many members differ."""
        counts: dict[str, int] = defaultdict(int)
        for d in self.differences:
            counts[d.check] += 1
        return [
            {"key": key, "label": LABELS[key], "total": total, "differences": counts.get(key, 0)}
            for key, total in self.totals.items()
        ]


# -- the comparisons ---------------------------------------------------------------------------------


@dataclass
class Scope:
    """The cooperatives compared and, per cooperative, the account ids of each role."""

    cooperative_ids: list[int]
    accounts: dict[str, dict[int, list[int]]]  # role → cooperative → account ids (the role's subtree)
    quantifying: set[int]  # cooperatives whose chart keeps reserve shares
    dedicated_payables: set[int]  # cooperatives whose payables are kept for distributions only
    first_years: list[int] = field(default_factory=list)  # each cooperative's first fiscal year (its takeover)

    def ids(self, role: str, coops=None) -> list[int]:
        chosen = self.accounts.get(role, {})
        return sorted({a for c, ids in chosen.items() if coops is None or c in coops for a in ids})


Comparison = Callable[[Scope], tuple[str, str, dict]]  # (register SQL, books SQL, params)
_comparisons: dict[str, Comparison] = {}


def register_comparison(name: str, comparison: Comparison) -> None:
    """An app above finance adds a comparison (two SQL sets of cooperative_id, member_id, amount)."""
    _comparisons[name] = comparison


def _scope(cooperative_ids) -> Scope:
    books = CooperativeBooks.objects.select_related("chart")
    if cooperative_ids is not None:
        books = books.filter(cooperative_id__in=list(cooperative_ids))
    # unscoped: the tie-out reads what the caller already scoped (one cooperative, or a system job)
    rows = list(books.values_list("cooperative_id", "chart__roles", "chart__quantifies_reserve"))
    roles_by_coop = {coop: roles or {} for coop, roles, _q in rows}
    codes = {code for roles in roles_by_coop.values() for code in roles.values() if code}
    parents = {parent_code(code) for code in codes if parent_code(code)}
    wanted = codes | parents
    by_coop: dict[int, list[tuple[str, int]]] = defaultdict(list)  # cooperative → (code, account id)
    for coop, code, pk in Account.objects.filter(
        cooperative_id__in=list(roles_by_coop), code__regex=r"^\d{3}(\d\d)?$"
    ).values_list("cooperative_id", "code", "pk"):
        if code in wanted or code[:3] in wanted:  # an account of a role, or a sub-account of one
            by_coop[coop].append((code, pk))
    accounts: dict[str, dict[int, list[int]]] = defaultdict(dict)
    for coop, roles in roles_by_coop.items():
        own = by_coop.get(coop, [])
        for role, code in roles.items():
            if not code:
                continue
            if role in ("subsidy_fund", "donation_fund"):
                code = parent_code(code) or code  # the whole of 专项基金, by source or not
            accounts[role][coop] = [pk for account_code, pk in own if account_code.startswith(code)]
    quantifying = {coop for coop, _r, q in rows if q}
    dedicated = {
        coop
        for coop, roles in roles_by_coop.items()
        if roles.get("patronage_payable") and roles.get("patronage_payable") != roles.get("member_current")
    }
    first_years = list(
        FiscalYear.objects.filter(cooperative_id__in=list(roles_by_coop))
        .order_by("cooperative_id", "year")
        .distinct("cooperative_id")
        .values_list("pk", flat=True)
    )
    return Scope(sorted(roles_by_coop), dict(accounts), quantifying, dedicated, first_years)


# the balance of some accounts per cooperative and member over the life of the books: the opening
# balances of each cooperative's first fiscal year and every posted line since (credit positive).
# Plain conditions on arrays, no join: under row-level security PostgreSQL under-estimates the rows
# of a join and loops over it (4.4 s instead of 0.2 s for a county's opening balances).
BOOKS_SQL = """
SELECT o.cooperative_id, o.member_id, -o.amount AS amount
  FROM finance_openingbalance o
 WHERE o.fiscal_year_id = ANY(%(first_years)s) AND o.account_id = ANY(%({key})s)
UNION ALL
SELECT l.cooperative_id, l.member_id, l.credit - l.debit
  FROM finance_voucherline l
 WHERE l.is_posted AND l.account_id = ANY(%({key})s) AND l.cooperative_id = ANY(%(coops)s)
"""


def _capital(scope: Scope) -> tuple[str, str, dict]:
    register = """
    SELECT e.cooperative_id,
           CASE WHEN e.share_class = 'collective' AND c.id IS NOT NULL THEN c.id ELSE e.member_id END,
           e.amount
      FROM shares_shareentry e
      LEFT JOIN members_member c ON c.cooperative_id = e.cooperative_id AND c.kind = 'collective'
     WHERE e.cooperative_id = ANY(%(coops)s)
    """
    return register, BOOKS_SQL.format(key="accounts"), {"accounts": scope.ids("capital")}


def _entries(kinds) -> str:
    quoted = ", ".join(f"'{k}'" for k in kinds)  # the kinds are this module's constants
    return f"""
    SELECT a.cooperative_id, a.member_id, a.amount
      FROM finance_memberaccountentry a
     WHERE a.cooperative_id = ANY(%(coops)s) AND a.kind IN ({quoted})
    """  # noqa: S608 - fixed kinds, no user input


def _reserve(scope: Scope) -> tuple[str, str, dict]:
    coops = scope.quantifying
    return (
        _entries([K.RESERVE_SHARE.value]),
        BOOKS_SQL.format(key="accounts"),
        {"accounts": scope.ids("reserve", coops), "only": sorted(coops)},
    )


def _funds(scope: Scope) -> tuple[str, str, dict]:
    coops = scope.quantifying
    quantified = _entries([K.SUBSIDY_SHARE.value, K.DONATION_SHARE.value])
    # compared in total: the fund is quantified equally, nobody owns a part of it on the books
    register = f"SELECT x.cooperative_id, NULL::bigint, x.amount FROM ({quantified}) x"  # noqa: S608
    books = f"SELECT x.cooperative_id, NULL::bigint, x.amount FROM ({BOOKS_SQL.format(key='accounts')}) x"  # noqa: S608
    return register, books, {"accounts": scope.ids("subsidy_fund", coops), "only": sorted(coops)}


def _distributed(scope: Scope) -> tuple[str, str, dict]:
    ids = sorted(set(scope.ids("patronage_payable")) | set(scope.ids("dividend_payable")))
    books = f"""
    SELECT l.cooperative_id, l.member_id, l.credit
      FROM finance_voucherline l JOIN finance_voucher v ON v.id = l.voucher_id
     WHERE l.is_posted AND v.kind = '{VoucherKind.DISTRIBUTION.value}' AND l.account_id = ANY(%(accounts)s)
       AND l.cooperative_id = ANY(%(coops)s)
    """  # noqa: S608 - a constant kind
    return _entries([K.PATRONAGE_REFUND.value, K.SURPLUS_DISTRIBUTION.value]), books, {"accounts": ids}


COMPARISONS: dict[str, Comparison] = {
    "capital": _capital,
    "reserve": _reserve,
    "funds": _funds,
    "distributed": _distributed,
}

COMPARE_SQL = """
WITH register (cooperative_id, member_id, amount) AS ({register}),
books (cooperative_id, member_id, amount) AS ({books}),
j AS (
  SELECT coop, member, SUM(register) AS register, SUM(books) AS books
    FROM (SELECT cooperative_id AS coop, member_id AS member, amount AS register, 0 AS books FROM register
          UNION ALL
          SELECT cooperative_id, member_id, 0, amount FROM books) sides
   WHERE coop = ANY(%(coops)s)
   GROUP BY coop, member
)
SELECT coop, member, register, books, FALSE FROM j WHERE register <> books
UNION ALL
SELECT coop, NULL, SUM(register), SUM(books), TRUE FROM j GROUP BY coop
"""


def _compare(name: str, comparison: Comparison, scope: Scope, results: dict[int, TieOut]) -> None:
    register, books, params = comparison(scope)
    only = params.pop("only", None)
    coops = scope.cooperative_ids if only is None else only
    if not coops:
        return
    sql = COMPARE_SQL.format(register=register, books=books)
    with connection.cursor() as cursor:
        cursor.execute(sql, {"coops": coops, "first_years": scope.first_years, **params})
        for coop, member, in_register, in_books, is_total in cursor.fetchall():
            result = results[coop]
            if is_total:
                result.totals[name] = Total(in_register, in_books)
            else:
                result.differences.append(Difference(name, member, in_register, in_books))
    for coop in coops:
        results[coop].totals.setdefault(name, Total())


@contextmanager
def _without_jit() -> Iterator[None]:
    """Run the block's statements without PostgreSQL's JIT compiler. A county's comparisons are
    estimated dear enough to be compiled, and compiling them took longer than running them (2.9 s
    against 1.3 s for 904 cooperatives); the setting is put back for the rest of an outer transaction."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('jit'), set_config('jit', 'off', true)")
        previous = cursor.fetchone()[0]
        yield  # an error rolls the block back, and the setting with it
        cursor.execute("SELECT set_config('jit', %s, true)", [previous])


def tie_out(cooperative_ids=None) -> dict[int, TieOut]:
    """The tie-out of every cooperative in ``cooperative_ids`` (None: all) that keeps its books in
    Lingban, by cooperative id. Statements are not compared here (``statements_agree``)."""
    scope = _scope(cooperative_ids)
    results = {coop: TieOut(coop) for coop in scope.cooperative_ids}
    with _without_jit():
        for name, comparison in [*COMPARISONS.items(), *_comparisons.items()]:
            _compare(name, comparison, scope, results)
    _name_members(results)
    return results


def _name_members(results: dict[int, TieOut]) -> None:
    from members.models import Member

    ids = {d.member_id for r in results.values() for d in r.differences if d.member_id}
    if not ids:
        return
    names = dict(Member.objects.filter(pk__in=ids).values_list("pk", "name"))
    for result in results.values():
        for d in result.differences:
            d.member_name = names.get(d.member_id, "")
        result.differences.sort(key=lambda d: (list(LABELS).index(d.check), d.member_name))


# -- the statements ---------------------------------------------------------------------------------


def statements_agree(cooperative) -> list[str]:
    """For every fiscal year of the books: 资产 = 负债 + 所有者权益 on the balance sheet, and the
    undistributed surplus at the year end is the same on the balance sheet, the surplus statement
    and (the cooperative chart) the statement of changes in members' equity. What disagrees, in words."""
    from finance.charts import CHARTS
    from finance.selectors.ledgers import resolve_range
    from finance.selectors.statements import statement

    books = CooperativeBooks.objects.select_related("chart").filter(cooperative=cooperative).first()
    if books is None or books.chart.code not in CHARTS:
        return []
    lines = CHARTS[books.chart.code]["agree"]
    problems = []
    for year in FiscalYear.objects.filter(cooperative=cooperative).order_by("year").values_list("year", flat=True):
        rng = resolve_range(cooperative, year=year, period_from=1, period_to=12)
        sheet = statement(cooperative, "balance_sheet", rng)
        assets, claims = sheet.value(lines["assets"]), sheet.value(lines["claims"])
        if assets != claims:
            problems.append(
                _("%(year)s balance sheet: assets %(assets)s, liabilities and equity %(claims)s")
                % {"year": year, "assets": f"{assets:,.2f}", "claims": f"{claims:,.2f}"}
            )
        figures = {"01": sheet.value(lines["undistributed"])}
        figures["02"] = statement(cooperative, "surplus", rng).value(lines["surplus_end"])
        if "equity_end" in lines:
            equity = statement(cooperative, "equity_changes", rng)
            column = [c.key for c in equity.columns].index("undistributed")
            figures["03"] = equity.value(lines["equity_end"], column)
        if len(set(figures.values())) > 1:
            problems.append(
                _("%(year)s undistributed surplus at the year end: %(figures)s")
                % {"year": year, "figures": ", ".join(f"{k}表 {v:,.2f}" for k, v in figures.items())}
            )
    return problems


def cooperative_tie_out(cooperative) -> TieOut | None:
    """One cooperative's whole tie-out, statements included (the books page, ``check_ledgers
    --cooperative``); None when it keeps no books in Lingban."""
    result = tie_out([cooperative.pk]).get(cooperative.pk)
    if result is not None:
        result.notes = statements_agree(cooperative)
    return result
